"""The nudges about job offers, as messages Relais starts (the scheduler only wakes the sweeps;
what is due lives in the database):

- the weekly digest (kind "offer_digest"), on settings.offers.digest_day from digest_at (local
  time), once a week per person (dedupe key "offer_digest:<person>:<year>-W<week>"): the open
  offers sent to them that they have not answered, each a button that shows the offer again
  with its answers;
- the follow-up (kind "offer_followup"), `followup_days` after "Ça m'intéresse", once per
  offer and person ("offer_followup:<offer>:<person>"): "Avez-vous des nouvelles ?", whose
  answers feed the result (an interview, not retained) or ask the volunteer to confirm a hire.

Both count in the weekly cap with the offers (bot/offers/message.py `hold`), wait for quiet
hours like every message Relais starts, and are never sent to someone who said "Stop offers"
(checked when queued and again when delivered).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from bot.core.domain import Button, Message
from bot.core.i18n import N_, Translator
from bot.desk.buttons import build
from bot.desk.domain import profile_name
from bot.desk.notices import notify
from bot.offers import message, wording
from bot.offers.domain import CONTRACT_LABELS
from bot.reach.centre_message import recipients_for
from bot.reach.pressed import Answered, Pressing
from bot.reach.queue import queue
from bot.reach.started import BULK, NewStarted, ReadNow, Started
from bot.storage.database import Tx

if TYPE_CHECKING:
    from bot.service import Relais

DIGEST = "offer_digest"
FOLLOWUP = "offer_followup"
LISTED = 5  # offers in one digest: the newest
BATCH = 500  # people read at once by the digest sweep
BUTTON_DAYS = 14  # how long a digest's or follow-up's buttons work
# an offer in a digest was sent at least this long ago: one that just arrived is still on the
# screen, and a digest repeating it at once would only be noise
DIGEST_AFTER = timedelta(days=2)

# the digest's buttons: "o1"… the offers in the order listed
DIGEST_CHOICES = tuple(f"o{n}" for n in range(1, LISTED + 1))
T_DIGEST = N_("📋 Les offres d'emploi de la semaine pour vous, sans réponse de votre part :")
T_DIGEST_LINE = N_("{n}. {title} – {town} – {contract}")
T_DIGEST_HOW = N_("Appuyez sur un numéro pour revoir l'offre et y répondre.")

INTERVIEW, HIRED, NOT_RETAINED, NO_NEWS = "intvw", "hired", "notret", "nonews"
FOLLOWUP_CHOICES = (INTERVIEW, HIRED, NOT_RETAINED, NO_NEWS)
T_FOLLOWUP = N_(
    "Avez-vous des nouvelles de l'offre « {title} » ({employer}) qui vous intéressait ?"
)
B_INTERVIEW = N_("🗓 J'ai un entretien")
B_HIRED = N_("🎉 J'ai eu le travail")
B_NOT_RETAINED = N_("Ça n'a pas marché")
B_NO_NEWS = N_("Pas encore de nouvelles")
T_GOOD_LUCK = N_("Bonne chance pour l'entretien ! Votre bénévole est prévenu.")
T_BRAVO = N_("Bravo ! Votre bénévole va le confirmer.")
T_NEXT_TIME = N_("Merci de nous le dire. D'autres offres viendront, courage !")
T_NO_NEWS = N_("Merci ! Votre bénévole reste en contact avec l'employeur.")

# for the volunteer
T_INTERVIEW_NOTICE = N_("{name} ({centre}) a un entretien pour l'offre « {title} ».")
T_HIRED_NOTICE = N_(
    "{name} ({centre}) dit avoir été embauché·e pour l'offre « {title} ». Confirmez-vous ?"
)
T_NOT_RETAINED_NOTICE = N_("{name} ({centre}) n'a pas été retenu·e pour l'offre « {title} ».")
B_CONFIRM_HIRE = N_("🎉 Confirmer l'embauche")
B_PAGE = N_("Voir la fiche")

# the weeks whose digest this process has queued, by database (queued twice is harmless:
# dedupe keys; this only spares the sweep's reads the rest of the day)
_DONE_WEEKS: WeakKeyDictionary[object, set[str]] = WeakKeyDictionary()


# -- the digest ---------------------------------------------------------------------------------


def week_of(moment: datetime) -> str:
    """ "2026-W50": the ISO week of a local moment."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


async def digest_sweep(relais: Relais, now: datetime) -> int:
    """On the digest's day, from its hour: queue each person's digest of the week; how many."""
    settings = relais.settings.offers
    local = now.astimezone(relais.catalogs.tz)
    week = week_of(local)
    if (
        local.weekday() != settings.digest_day
        or local.time() < settings.digest_at
        or week in _DONE_WEEKS.get(relais.storage, ())
    ):
        return 0
    queued, after = 0, 0
    expires = now + timedelta(days=BUTTON_DAYS)
    while True:
        async with relais.storage.transaction() as tx:
            waiting, last = await tx.digest_waiting(local.date(), now - DIGEST_AFTER, after, BATCH)
            for person_id, offers in waiting.items():
                params = {"offers": offers[:LISTED]}
                new = NewStarted(
                    person_id,
                    DIGEST,
                    params,
                    priority=BULK,
                    dedupe_key=f"{DIGEST}:{person_id}:{week}",
                    expires_at=expires,
                )
                queued += await queue(tx, new) is not None
        if last is None:
            break
        after = last
    _DONE_WEEKS.setdefault(relais.storage, set()).add(week)
    return queued


def _offer_ids(started: Started) -> list[int]:
    found = started.params.get("offers")
    return [n for n in found if isinstance(n, int)] if isinstance(found, list) else []


async def digest_still_due(tx: Tx, started: Started, now: datetime) -> bool:
    """A digest goes to someone who still wants offers, while one of its offers is open and
    not answered."""
    person = started.person.id
    if person is None or not await tx.wants_offers(person):
        return False
    for number in _offer_ids(started):
        offer, send = await tx.offer(number), await tx.offer_send(number, person)
        if offer is not None and offer.open_on(now.date()) and send and send.answer == "":
            return True
    return False


async def digest_read(tx: Tx, started: Started) -> ReadNow | None:
    """The digest's offers as they are now: open ones, not answered since."""
    person = started.person.id
    listed: list[dict[str, Any]] = []
    for number in _offer_ids(started):
        offer = await tx.offer(number)
        send = await tx.offer_send(number, person) if person is not None else None
        if offer is None or offer.state != "vetted" or send is None or send.answer:
            continue
        d = offer.details
        listed.append(
            {
                "offer": offer.id,
                "title": d.title,
                "town": d.town,
                "contract": d.contract,
                "months": d.contract_months,
            }
        )
    if not listed:
        return None
    return ReadNow({"offers": [item["offer"] for item in listed], "listed": listed})


def digest_render(t: Translator, started: Started) -> Message:
    """The week's offers, numbered, with a button for each."""
    listed = started.params.get("listed") or []
    lines = [t.gettext(T_DIGEST)]
    rows = []
    for n, item in enumerate(listed[:LISTED], start=1):
        lines.append(
            t.gettext(
                T_DIGEST_LINE,
                n=n,
                title=str(item.get("title", "")),
                town=str(item.get("town", "")),
                contract=_contract(t, item),
            )
        )
        rows.append(Button(str(n), started.button_data(f"o{n}")))
    lines.append(t.gettext(T_DIGEST_HOW))
    return Message("\n".join(lines), (tuple(rows),) if rows else (), rtl=t.rtl)


def _contract(t: Translator, item: dict[str, Any]) -> str:
    """The contract in words, as the offer writes it ("CDD de 6 mois")."""
    contract, months = str(item.get("contract", "")), item.get("months")
    if contract == "cdd" and isinstance(months, int) and months:
        return t.gettext(wording.T_CDD_MONTHS, months=t.number(months))
    return t.gettext(CONTRACT_LABELS.get(contract, contract))


async def digest_press(pressing: Pressing) -> Answered:
    """A number of the digest: the offer again, with the answers of the message that carried
    it (a press there is checked as there)."""
    tx, started = pressing.tx, pressing.started
    offers = _offer_ids(started)
    index = DIGEST_CHOICES.index(pressing.choice)
    person = started.person.id
    if index >= len(offers) or person is None:
        return Answered((pressing.say(message.T_CLOSED),))
    number = offers[index]
    offer = await tx.offer(number)
    carried = await tx.offer_message_id(number, person)
    first = await tx.started_message(carried) if carried is not None else None
    if offer is None or first is None or not offer.open_on(message.local_today(pressing)):
        return Answered((pressing.say(message.T_CLOSED),))
    fresh = await message.read(tx, first)
    if fresh is None:
        return Answered((pressing.say(message.T_CLOSED),))
    shown = Started(
        first.id,
        first.person,
        first.kind,
        fresh.params,
        first.priority,
        first.subject_id,
        first.token,
        first.state,
        first.expires_at,
    )
    return Answered((message.render(pressing.t, shown),))


# -- the follow-up ------------------------------------------------------------------------------


async def followup_sweep(relais: Relais, now: datetime) -> int:
    """Queue "Avez-vous des nouvelles ?" for the people interested `followup_days` ago; how
    many."""
    days = relais.settings.offers.followup_days
    queued = 0
    async with relais.storage.transaction() as tx:
        for offer_id, person_id in await tx.followups_due(now - timedelta(days=days), BATCH):
            await tx.offer_followed_up(offer_id, person_id)
            if not await tx.wants_offers(person_id):
                continue
            new = NewStarted(
                person_id,
                FOLLOWUP,
                {"offer": offer_id},
                priority=BULK,
                dedupe_key=f"{FOLLOWUP}:{offer_id}:{person_id}",
                expires_at=now + timedelta(days=BUTTON_DAYS),
            )
            queued += await queue(tx, new) is not None
    return queued


async def followup_still_due(tx: Tx, started: Started, now: datetime) -> bool:
    """Still interested, no result said since, and still wanting offers."""
    del now
    number, person = started.params.get("offer"), started.person.id
    if not isinstance(number, int) or person is None:
        return False
    send = await tx.offer_send(number, person)
    return (
        send is not None
        and send.answer == "interested"
        and send.result in ("", "interview")
        and await tx.wants_offers(person)
    )


async def followup_read(tx: Tx, started: Started) -> ReadNow | None:
    """The offer's title and employer, as they are now."""
    number = started.params.get("offer")
    offer = await tx.offer(number) if isinstance(number, int) else None
    if offer is None:
        return None
    details = offer.details
    return ReadNow({"offer": offer.id, "title": details.title, "employer": details.employer})


def followup_render(t: Translator, started: Started) -> Message:
    """ "Avez-vous des nouvelles ?" with its four answers."""
    p = started.params
    text = t.gettext(T_FOLLOWUP, title=str(p.get("title", "")), employer=str(p.get("employer", "")))
    rows = tuple(
        (Button(t.gettext(label), started.button_data(choice)),)
        for choice, label in (
            (INTERVIEW, B_INTERVIEW),
            (HIRED, B_HIRED),
            (NOT_RETAINED, B_NOT_RETAINED),
            (NO_NEWS, B_NO_NEWS),
        )
    )
    return Message(text, rows, rtl=t.rtl)


async def followup_press(pressing: Pressing) -> Answered:
    """The news: an interview or "not retained" is recorded and the volunteer told; a hire
    is for the volunteer to confirm (then it is an outcome); no news is only thanked."""
    tx, started, choice = pressing.tx, pressing.started, pressing.choice
    number, person = started.params.get("offer"), started.person
    offer = await tx.offer(number) if isinstance(number, int) else None
    send = await tx.offer_send(offer.id, person.id) if offer and person.id else None
    if offer is None or send is None or send.answer != "interested":
        return Answered((pressing.say(message.T_CLOSED),))
    if choice == NO_NEWS:
        return Answered((pressing.say(T_NO_NEWS),))
    if choice == HIRED:
        notice, said = T_HIRED_NOTICE, T_BRAVO
    elif choice == INTERVIEW:
        notice, said = T_INTERVIEW_NOTICE, T_GOOD_LUCK
    else:
        notice, said = T_NOT_RETAINED_NOTICE, T_NEXT_TIME
    if choice != HIRED:
        word = "interview" if choice == INTERVIEW else "not_retained"
        if not await tx.offer_result(offer.id, send.person_id, word):
            return Answered((pressing.say(said),))  # said already: nobody told twice
    assert person.id is not None
    told = await recipients_for(tx, pressing.admins, send.relayed_to or offer.created_by, person)
    profile = await tx.profile_of(person.id)
    names = await tx.centre_names()
    centre = names.get(person.centre or offer.centre, offer.centre)
    rows: list[tuple[str, str]] = []
    if choice == HIRED:
        rows.append((B_CONFIRM_HIRE, build("oy", offer.id, person.id, "hired")))
    rows.append((B_PAGE, build("p", person.id)))
    for member in told:
        await notify(
            tx,
            member,
            notice,
            tuple((row,) for row in rows),
            subject_id=person.id,
            name=profile_name(profile, person.id, pressing.catalogs.get(member.locale)),
            centre=centre,
            title=offer.details.title,
        )
    return Answered((pressing.say(said),))
