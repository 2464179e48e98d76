"""Sending an offer from the volunteers' side: Marie, a volunteer of Paris 11e, opens the match
preview of a vetted cleaning offer in Montreuil (how many fit, of whom proposable, the near
misses, examples with why), sends it to the proposable people, taps again (nobody gets it
twice, she is told to how many it went), then to everyone it fits. The broadcast runs through
the real runtime and outbox on a channel that edits messages: one progress message edited as
it goes, then the report (delivered, blocked). Drafts, closed and expired offers cannot be
sent; forged and foreign offer ids get the same answer as unknown ones. The offer's message
itself is the real one (kind "offer", bot/offers/message.py).
"""

from __future__ import annotations

import itertools
import socket
import subprocess
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.channels.protocol import KEEP_ID, BadRequest, Capabilities, PlannedCall, Received, Target
from bot.channels.runtime import Runtime
from bot.core.domain import EventKind, Inbound
from bot.desk.buttons import build
from bot.offers import progress
from bot.offers.domain import Offer, OfferDetails
from bot.reach.delivery import BULK_BACKLOG
from bot.reach.started import BULK
from bot.service import Relais
from bot.storage.offers import OFFER_KIND
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands
from tests.test_offer_matching import CLEANER, FATOU

CHANNEL = "editing"
NO_OFFER = "Je ne trouve pas cette offre parmi celles de votre centre."
# the offer screen's button to the preview (bot/offers/offer_screen.py)
MATCH_LABEL = "👥 Qui peut la recevoir ?"


class EditingChannel:
    """A channel that shows messages and edits them in place, and tells a message's id when
    asked (as Telegram does): what the progress message needs."""

    name = CHANNEL
    capabilities = Capabilities(can_edit=True)

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.screens: dict[str, dict[int, str]] = defaultdict(dict)
        self.edits: list[tuple[str, int, str]] = []
        self.calls: list[PlannedCall] = []

    def receive(self, payload: dict[str, Any]) -> Received | None:
        return None

    def target(self, payload: dict[str, Any]) -> Target:
        return Target(None)

    def is_status(self, payload: dict[str, Any]) -> bool:
        return False

    async def call(self, planned: PlannedCall) -> dict[str, Any] | None:
        self.calls.append(planned)
        p = planned.payload
        if planned.method == "sendMessage":
            message_id = next(self.ids)
            self.screens[planned.chat][message_id] = p["text"]
            return {"message_id": message_id} if p.get(KEEP_ID) else None
        if planned.method == "editMessageText":
            if p["message_id"] not in self.screens[planned.chat]:
                raise BadRequest("message to edit not found")
            self.screens[planned.chat][p["message_id"]] = p["text"]
            self.edits.append((planned.chat, p["message_id"], p["text"]))
            return None
        return None

    def texts(self, chat: str) -> list[str]:
        return list(self.screens[chat].values())


async def person(
    relais: Relais, name: str, profile: dict[str, Any], checked: bool, centre: str = "paris11"
) -> int:
    async with relais.storage.transaction() as tx:
        state = await tx.load_state(CHANNEL, name)
        state.person.consent = True
        state.person.centre = centre
        state.profile.update({"first_name": name.capitalize(), **profile})
        await tx.save_state(state)
        assert state.person.id is not None
        if checked:
            await tx._execute(
                "INSERT INTO followup (person_id, cv_status, searching, updated_at)"
                " VALUES (?, 'checked', 1, '')",
                (state.person.id,),
            )
        return state.person.id


async def volunteer(relais: Relais, user: str, centre: str = "paris11") -> tuple[Conversation, int]:
    invitation = await relais.invite(centre, "volunteer", created_by=None)
    assert invitation is not None
    marie = Conversation(relais, user=user, channel=CHANNEL)
    await marie.play(f"> /start {invitation[0]}\n< Bienvenue dans l'équipe")
    await marie.press("Français")
    await marie.type("Marie")
    async with relais.storage.transaction() as tx:
        found = await tx.find_person(CHANNEL, user)
    assert found is not None and found.id is not None
    return marie, found.id


async def vetted(
    relais: Relais, by: int, details: OfferDetails = CLEANER, centre: str = "paris11"
) -> Offer:
    async with relais.storage.transaction() as tx:
        added = await tx.add_offer(centre, details, by)
        assert await tx.set_offer_state(added.id, "vetted", by)
        found = await tx.offer(added.id)
    assert found is not None
    return found


async def press(who: Conversation, verb: str, *args: int) -> str:
    return await who.send(Inbound(EventKind.BUTTON, data=build(verb, *args)))


async def the_montreuil_centre(relais: Relais) -> tuple[Conversation, int, Offer, dict[str, int]]:
    """Marie, five proposable cleaners, two whose CV is not checked, one without the hours."""
    marie, marie_id = await volunteer(relais, "marie")
    people = {}
    for name in ("fatou", "awa", "nadia", "olena", "sara"):
        people[name] = await person(relais, name, FATOU, checked=True)
    for name in ("binta", "mariam"):
        people[name] = await person(relais, name, FATOU, checked=False)
    people["lina"] = await person(relais, "lina", {**FATOU, "hours_available": ["morning"]}, True)
    # another centre's cleaner: never matched, never named
    people["kim"] = await person(relais, "kim", FATOU, checked=True, centre="lyon")
    job = await vetted(relais, marie_id)
    return marie, marie_id, job, people


async def sends(relais: Relais, offer_id: int) -> dict[int, tuple[int, str | None]]:
    async with relais.storage.reading() as reads:
        rows = await reads._fetchall(
            "SELECT person_id, broadcast_id, delivered_at FROM offer_sends WHERE offer_id = ?",
            (offer_id,),
        )
    return {int(r["person_id"]): (int(r["broadcast_id"]), r["delivered_at"]) for r in rows}


async def queued_offers(relais: Relais) -> list[str]:
    async with relais.storage.reading() as reads:
        rows = await reads._fetchall(
            "SELECT dedupe_key FROM started_messages WHERE kind = ? ORDER BY id", (OFFER_KIND,)
        )
    return [str(r["dedupe_key"]) for r in rows]


NOW_TEXT = "2026-11-23T10:00:00.000000+00:00"


async def test_the_preview_counts_explains_and_offers_to_send(relais: Relais) -> None:
    marie, _, job, people = await the_montreuil_centre(relais)
    text = await press(marie, "om", job.id)
    assert "Qui reçoit « Agent d'entretien » (Mairie de Montreuil, Montreuil) ?" in text
    assert "7 personnes correspondent.\nProposables à l'employeur : 5." in text
    assert "Presque : 1 (un seul critère ne va pas)." in text
    # examples: proposable ones first, by number; the first name only, never another centre's
    assert (
        f"✅ n° {people['fatou']} Fatou (proposable) : le métier fait partie de ses choix" in text
    )
    assert "assez près de chez elle ou lui, disponible à ces horaires, son français suffit" in text
    assert f"➖ n° {people['lina']} Lina : pas disponible à ces horaires" in text
    assert "Kim" not in text and "Binta" not in text  # (three examples only)
    assert "Déjà envoyée" not in text
    assert marie.labels() == [
        "📤 Envoyer aux 5 proposables",
        "📤 Envoyer aux 7 (CV à vérifier compris)",
        "🔄 Actualiser",
        "↩ Retour à l'offre",
    ]
    # the answer names these people: erased with any of them while it waits in the outbox
    about = [e for e in marie.replies[0].effects if e.name == "about"]
    assert about and people["fatou"] in about[0].data["people"]


async def test_a_double_tap_never_sends_twice(relais: Relais) -> None:
    marie, marie_id, job, people = await the_montreuil_centre(relais)
    text = await press(marie, "ob", job.id)
    assert "C'est parti : l'offre part à 5 personnes" in text
    first = await sends(relais, job.id)
    proposable = {people[n] for n in ("fatou", "awa", "nadia", "olena", "sara")}
    assert set(first) == proposable
    # the same button again, and the preview's button pressed later: nobody new
    for _ in range(2):
        text = await press(marie, "ob", job.id)
        assert "Déjà envoyée à 5 personnes." in text
        assert "Personne de plus à qui l'envoyer pour l'instant." in text
    assert await sends(relais, job.id) == first
    text = await press(marie, "om", job.id)
    assert "2 personnes correspondent.\nProposables à l'employeur : 0." in text
    assert "Déjà envoyée à 5 personnes." in text
    assert marie.labels()[0] == "📤 Envoyer aux 2 (CV à vérifier compris)"
    # then everyone it fits: only the two others are added
    text = await press(marie, "obu", job.id)
    assert "l'offre part à 2 personnes" in text
    text = await press(marie, "obu", job.id)
    assert "Déjà envoyée à 7 personnes." in text
    after = await sends(relais, job.id)
    assert set(after) == proposable | {people["binta"], people["mariam"]}
    keys = await queued_offers(relais)
    assert len(keys) == len(set(keys)) == 7
    async with relais.storage.reading() as reads:
        rows = await reads._fetchall("SELECT total, volunteer_id FROM offer_broadcasts")
    assert [(r["total"], r["volunteer_id"]) for r in rows] == [(5, marie_id), (2, marie_id)]


async def test_only_a_vetted_offer_still_open_can_be_sent(relais: Relais) -> None:
    marie, marie_id, job, _ = await the_montreuil_centre(relais)
    async with relais.storage.transaction() as tx:
        draft = await tx.add_offer("paris11", CLEANER, marie_id)
        old = await tx.add_offer("paris11", _until(CLEANER, date(2026, 11, 22)), marie_id)
        await tx.set_offer_state(old.id, "vetted", marie_id)  # its last day was yesterday
        await tx.set_offer_state(job.id, "closed", marie_id)
    cases = (
        (draft.id, "Cette offre n'est pas encore validée"),
        (old.id, "Cette offre a expiré"),
        (job.id, "Cette offre est fermée"),
    )
    for offer_id, said in cases:
        text = await press(marie, "om", offer_id)
        assert "7 personnes correspondent" in text and said in text, text
        assert not any(label.startswith("📤") for label in marie.labels())
        for verb in ("ob", "obu"):
            assert said in await press(marie, verb, offer_id)
    assert await queued_offers(relais) == []


async def test_forged_and_foreign_offers_are_unknown(relais: Relais) -> None:
    marie, _, job, _ = await the_montreuil_centre(relais)
    _, lyon_id = await volunteer(relais, "leo", centre="lyon")
    lyon_job = await vetted(relais, lyon_id, centre="lyon")
    for verb in ("om", "ob", "obu"):
        for offer_id in (lyon_job.id, 999_999):
            assert await press(marie, verb, offer_id) == NO_OFFER
    assert await queued_offers(relais) == []
    # a beneficiary pressing the volunteers' button gets the stale-button answer
    fatou = Conversation(relais, user="fatou", channel=CHANNEL)
    assert NO_OFFER not in await press(fatou, "ob", job.id)
    assert await queued_offers(relais) == []


def _until(details: OfferDetails, last: date) -> OfferDetails:
    from dataclasses import replace

    return replace(details, expires_on=last)


async def test_progress_is_one_message_edited_then_a_report(relais: Relais) -> None:
    marie, _, job, people = await the_montreuil_centre(relais)
    channel = EditingChannel()
    runtime = Runtime(relais, channel, relais.clock, budgets=False)
    await press(marie, "obu", job.id)
    # Nadia blocked the bot before it reached her
    async with relais.storage.transaction() as tx:
        await tx.set_blocked(CHANNEL, "nadia", True)
    # the first sweep shows the progress message, at 0 of 7
    assert await progress.sweep(relais, relais.clock()) == 1
    await runtime.drain()
    (shown,) = channel.texts("marie")
    assert shown == "📤 « Agent d'entretien » : envoyée à 0 / 7"
    # nothing changed: not edited again
    assert await progress.sweep(relais, relais.clock()) == 0
    # the offers leave (the runtime's sweep hands them to the outbox, the sender sends them)
    await runtime.sweep()
    await runtime.drain()
    sent = await sends(relais, job.id)
    assert {p for p, (_, at) in sent.items() if at is not None} == {
        people[n] for n in ("fatou", "awa", "olena", "sara", "binta", "mariam")
    }
    # one message each: the offer, with the question of its buttons
    for name in ("fatou", "binta"):
        (offer,) = channel.texts(name)
        assert "Agent d'entretien" in offer and "Cette offre vous intéresse ?" in offer
    assert channel.texts("nadia") == []
    assert await progress.sweep(relais, relais.clock()) == 2  # the last edit, the report
    await runtime.drain()
    progress_id, report_id = list(channel.screens["marie"])
    assert channel.screens["marie"][progress_id] == "📤 « Agent d'entretien » : envoyée à 6 / 7"
    assert channel.edits == [("marie", progress_id, channel.screens["marie"][progress_id])]
    assert channel.screens["marie"][report_id] == (
        "✅ Envoi terminé : « Agent d'entretien »\n"
        "Reçue : 6 sur 7.\n"
        "Ont bloqué Relais ou l'ont arrêté entre-temps : 1."
    )
    # finished: the sweep does nothing more, even run again
    assert await progress.sweep(relais, relais.clock()) == 0
    async with relais.storage.reading() as reads:
        (row,) = await reads._fetchall("SELECT finished_at FROM offer_broadcasts")
    assert row["finished_at"] is not None


async def test_the_progress_says_who_waits_for_next_week(relais: Relais) -> None:
    marie, _, job, people = await the_montreuil_centre(relais)
    channel = EditingChannel()
    runtime = Runtime(relais, channel, relais.clock, budgets=False)
    # Fatou already had her three offer messages this week: hers waits for next week
    async with relais.storage.transaction() as tx:
        for n in range(3):
            await tx._execute(
                "INSERT INTO started_messages (person_id, kind, params, priority, dedupe_key,"
                " token, state, created_at, sent_at) VALUES (?, 'offer', '{}', 2, ?,"
                " 'aaaaaaaaaaaa', 'sent', ?, ?)",
                (people["fatou"], f"offer:99{n}:{people['fatou']}", NOW_TEXT, NOW_TEXT),
            )
    await press(marie, "ob", job.id)
    await runtime.sweep()
    await runtime.drain()
    await progress.sweep(relais, relais.clock())
    await runtime.drain()
    assert channel.texts("fatou") == []
    assert channel.texts("marie")[-1] == (
        "📤 « Agent d'entretien » : envoyée à 4 / 5\n"
        "Plus tard : 1 (ces personnes ont déjà reçu leurs offres de la semaine, ou c'est la"
        " nuit)."
    )


async def test_the_progress_waits_for_its_previous_edit(relais: Relais) -> None:
    marie, _, job, people = await the_montreuil_centre(relais)
    channel = EditingChannel()
    runtime = Runtime(relais, channel, relais.clock, budgets=False)
    await press(marie, "ob", job.id)
    await progress.sweep(relais, relais.clock())
    await runtime.drain()
    # two offers leave, one edit is queued; more leave before it is sent: no second edit
    async with relais.storage.transaction() as tx:
        await tx._execute(
            "UPDATE offer_sends SET delivered_at = '2026-11-23T10:00:00.000000+00:00'"
            " WHERE person_id IN (?, ?)",
            (people["fatou"], people["awa"]),
        )
    assert await progress.sweep(relais, relais.clock()) == 1
    async with relais.storage.transaction() as tx:
        await tx._execute(
            "UPDATE offer_sends SET delivered_at = '2026-11-23T10:00:00.000000+00:00'"
            " WHERE person_id = ?",
            (people["nadia"],),
        )
    assert await progress.sweep(relais, relais.clock()) == 0
    await runtime.drain()
    assert [text for _, _, text in channel.edits] == ["📤 « Agent d'entretien » : envoyée à 2 / 5"]
    assert await progress.sweep(relais, relais.clock()) == 1
    await runtime.drain()
    assert channel.edits[-1][2] == "📤 « Agent d'entretien » : envoyée à 3 / 5"


async def test_a_channel_without_message_ids_gets_the_report(relais: Relais) -> None:
    """The terminal and the test channels tell no message id: no edits, the report only."""
    marie, _, job, _ = await the_montreuil_centre(relais)
    channel = EditingChannel()
    channel.call = _without_ids(channel.call)  # type: ignore[method-assign]
    runtime = Runtime(relais, channel, relais.clock, budgets=False)
    await press(marie, "ob", job.id)
    await progress.sweep(relais, relais.clock())
    await runtime.sweep()
    await runtime.drain()
    await progress.sweep(relais, relais.clock())
    await runtime.drain()
    assert channel.edits == []
    assert channel.texts("marie")[-1].startswith("✅ Envoi terminé")
    assert "Reçue : 5 sur 5." in channel.texts("marie")[-1]


def _without_ids(call: Any) -> Any:
    async def without(planned: PlannedCall) -> dict[str, Any] | None:
        await call(planned)
        return None

    return without


async def test_the_outbox_holds_two_seconds_of_a_broadcast_at_most(relais: Relais) -> None:
    """The rest waits among the messages Relais starts, where what they say is checked when
    they go, and the progress message is not queued behind the whole broadcast."""
    marie, _, job, _ = await the_montreuil_centre(relais)
    for index in range(100):
        await person(relais, f"many{index}", FATOU, checked=True)
    channel = EditingChannel()
    runtime = Runtime(relais, channel, relais.clock, budgets=False)
    assert "l'offre part à 105 personnes" in await press(marie, "ob", job.id)
    for _ in range(3):
        async with relais.storage.transaction() as tx:
            await runtime._queue_due(tx)
            waiting = await tx.queued_outbox(CHANNEL, BULK)
        assert waiting == BULK_BACKLOG
    for _ in range(3):  # each sweep sends what waits, and hands over the next ones
        await runtime.sweep()
    assert len(await sends(relais, job.id)) == 105
    assert all(at is not None for _, at in (await sends(relais, job.id)).values())


async def test_offers_in_flight_at_a_crash_are_counted_in_the_report(relais: Relais) -> None:
    marie, _, job, _ = await the_montreuil_centre(relais)
    channel = EditingChannel()
    runtime = Runtime(relais, channel, relais.clock, budgets=False)
    await press(marie, "ob", job.id)
    async with relais.storage.transaction() as tx:
        await runtime._queue_due(tx)
        rows = await tx._fetchall(
            "SELECT id FROM outbox WHERE state = 'queued' AND json_extract(payload, '$.offer') = ?"
            " ORDER BY id",
            (job.id,),
        )
    assert len(rows) == 5
    # a sender of a process that died was sending two of them
    dead = subprocess.Popen(["true"])
    dead.wait()
    owner = f"{socket.gethostname()}:{dead.pid}:dead"
    async with relais.storage.transaction() as tx:
        ids = [int(r["id"]) for r in rows[:2]]
        now = relais.clock()
        assert await tx.lease_outbox(ids, owner, now, now + timedelta(seconds=60)) == ids
    assert await runtime.sender.recover() == 2
    await runtime.sweep()
    await progress.sweep(relais, relais.clock())
    await runtime.drain()
    assert channel.texts("marie")[-1] == (
        "✅ Envoi terminé : « Agent d'entretien »\n"
        "Reçue : 5 sur 5.\n"
        "En cours d'envoi quand Relais s'est arrêté : 2 (ces personnes ont pu la recevoir deux"
        " fois)."
    )


async def test_sent_in_the_evening_it_leaves_in_the_morning(relais: Relais, hands: Hands) -> None:
    marie, _, job, _ = await the_montreuil_centre(relais)
    hands.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 21:00 in Paris
    text = await press(marie, "ob", job.id)
    assert "C'est parti : l'offre part à 5 personnes" in text
    assert "C'est le soir ou un jour de repos : les messages partiront demain à 08:30." in text
    channel = EditingChannel()
    runtime = Runtime(relais, channel, relais.clock, budgets=False)
    await runtime.sweep()
    assert channel.texts("fatou") == []  # nothing leaves at night
    hands.now = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 08:30 in Paris
    await runtime.sweep()
    assert len(channel.texts("fatou")) == 1


async def test_from_the_offer_screen_to_the_preview_and_back(relais: Relais) -> None:
    marie, _, job, _ = await the_montreuil_centre(relais)
    await press(marie, "of", job.id)
    text = await marie.press(MATCH_LABEL)
    assert "7 personnes correspondent.\nProposables à l'employeur : 5." in text
    text = await marie.press("Retour à l'offre")
    assert f"Offre n° {job.id}" in text
