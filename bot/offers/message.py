"""The job offer as it reaches a person (the message Relais starts, kind "offer"), and what its
buttons do.

At delivery the offer is read as it is now (`read`): a closed or expired offer is dropped
(`still_due`), an edited one is sent as edited. The fixed words are in the person's language,
the volunteer's words in French (bot/offers/wording.py); someone whose CV is not checked yet
(not proposable when it was sent) reads a line asking them to show it to a volunteer first,
or, without a CV at delivery, to make it first with « Faire mon CV » (and so does the answer
to their "Ça m'intéresse").
Each offer message counts in the person's weekly cap of offer messages (offers, digests,
follow-ups): beyond it, the offer waits in the queue until the oldest of the week is a week
old (`hold`), it is never dropped for that.

Buttons: "Ça m'intéresse" (the person is told a volunteer will call back; a volunteer gets the
relay task, bot/offers/relay.py), "Pas pour moi" (recorded, then the same message offers an
optional one-tap reason: the hours, the distance, the kind of job, which later matching
avoids), "Ne plus recevoir d'offres" (recorded; the menu's "Offres d'emploi" turns them on
again). An answer can change (a mis-tap): the buttons are not "once". A press on a closed or
expired offer, or by someone who moved to another centre since, says so and records nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.core.domain import Button, Message
from bot.core.i18n import N_, Translator
from bot.offers import places, profile_index, relay, wording
from bot.offers.domain import Offer, OfferDetails
from bot.offers.matching import UNUSUAL_SLOTS
from bot.reach.pressed import Answered, Pressing
from bot.reach.started import ReadNow, Started
from bot.storage.database import Tx

KIND = "offer"  # bot.storage.offers.OFFER_KIND
WEEK = timedelta(days=7)

# the choices of its buttons (bot.reach.started: at most 8 of a-z0-9_)
YES, NO, STOP = "yes", "no", "stop"
HOURS, DISTANCE, JOB_TYPE, SKIP = "hours", "dist", "type", "skip"
REASONS = {HOURS: "hours", DISTANCE: "distance", JOB_TYPE: "job_type"}
CHOICES = (YES, NO, STOP, HOURS, DISTANCE, JOB_TYPE, SKIP)

T_QUESTION = N_("Cette offre vous intéresse ?")
B_YES = N_("👍 Ça m'intéresse")
B_NO = N_("👎 Pas pour moi")
B_STOP = N_("🔕 Ne plus recevoir d'offres")

T_INTERESTED = N_("C'est noté ! Un bénévole de votre centre va vous rappeler pour la suite.")
T_INTERESTED_CV = N_(
    "C'est noté ! Un bénévole de votre centre va vous contacter. Montrez-lui d'abord votre CV :"
    " il faut qu'il soit vérifié avant de l'envoyer à l'employeur."
)
T_INTERESTED_NO_CV = N_(
    "C'est noté ! Un bénévole de votre centre va vous contacter. Faites d'abord votre CV :"
    " « Faire mon CV » dans le menu, puis montrez-le à un bénévole."
)
T_ALREADY_INTERESTED = N_(
    "C'est déjà noté : cette offre vous intéresse. Un bénévole va vous rappeler."
)
T_DECLINED = N_("C'est noté. Pourquoi ? (si vous voulez)")
B_HOURS = N_("Les horaires")
B_DISTANCE = N_("Trop loin")
B_JOB_TYPE = N_("Ce métier")
B_SKIP = N_("Passer")
T_ALREADY_DECLINED = N_("C'est déjà noté : cette offre n'est pas pour vous.")
T_REASON = N_("Merci ! Nous vous enverrons des offres qui vous conviennent mieux.")
T_SKIPPED = N_("D'accord. Merci pour votre réponse.")
T_STOPPED = N_(
    "C'est noté : vous ne recevrez plus d'offres d'emploi.\n"
    "Pour en recevoir à nouveau, choisissez « Offres d'emploi » dans le menu."
)
T_ALREADY_STOPPED = N_(
    "Vous ne recevez déjà plus d'offres. Pour en recevoir à nouveau, choisissez"
    " « Offres d'emploi » dans le menu."
)
T_CLOSED = N_("Cette offre n'est plus disponible. Merci quand même !")
T_EXPIRED = N_("Cette offre est terminée : sa date limite est passée.")
T_OTHER_CENTRE = N_(
    "Cette offre est celle de votre ancien centre. Pour les offres de votre centre, choisissez"
    " « Offres d'emploi » dans le menu."
)


# -- the offer in params (read at delivery, rebuilt to render) ---------------------------------


def to_params(offer: Offer, proposable: bool, no_cv: bool = False) -> dict[str, Any]:
    """What `render` needs of an offer, as JSON (its words are the volunteer's, no one's data;
    `no_cv`: the person has no CV yet)."""
    d = offer.details
    details = {k: v for k, v in d.__dict__.items() if k != "how_to_apply"}
    details["expires_on"] = d.expires_on.isoformat()
    details["schedule"] = list(d.schedule)
    return {
        "offer": offer.id,
        "version": offer.version,
        "centre": offer.centre,
        "state": offer.state,
        "details": details,
        "proposable": proposable,
        "no_cv": no_cv,
    }


def from_params(params: dict[str, Any]) -> Offer | None:
    """The offer `to_params` wrote (None: params of a queued row, not read yet)."""
    raw = params.get("details")
    if not isinstance(raw, dict):
        return None
    fields = dict(raw)
    fields["expires_on"] = date.fromisoformat(str(fields["expires_on"]))
    fields["schedule"] = tuple(fields.get("schedule") or ())
    return Offer(
        id=int(params["offer"]),
        centre=str(params.get("centre", "")),
        details=OfferDetails(**fields),
        state=str(params.get("state", "vetted")),
        created_by=None,
        vetted_by=None,
        version=int(params.get("version", 1)),
        created_at=datetime.fromisoformat("2000-01-01T00:00:00+00:00"),
    )


# -- delivery -----------------------------------------------------------------------------------


def _offer_id(started: Started) -> int | None:
    number = started.params.get("offer")
    return number if isinstance(number, int) else None


async def still_due(tx: Tx, started: Started, now: datetime) -> bool:
    """An offer goes while it is open (vetted, its last day not past), to someone it was sent
    to who has not answered it and still wants offers. (The day is UTC's: around midnight,
    when it could differ from the deployment's, quiet hours hold every message anyway.)"""
    number = _offer_id(started)
    person = started.person.id
    if number is None or person is None:
        return False
    offer = await tx.offer(number)
    send = await tx.offer_send(number, person)
    return (
        offer is not None
        and offer.centre == started.person.centre  # they may have moved since
        and offer.open_on(now.date())
        and send is not None
        and send.answer == ""
        and await tx.wants_offers(person)
    )


async def read(tx: Tx, started: Started) -> ReadNow | None:
    """The offer as it is now (edited since it was queued: as edited)."""
    number = _offer_id(started)
    person = started.person.id
    offer = await tx.offer(number) if number is not None else None
    send = await tx.offer_send(number, person) if number is not None and person else None
    if offer is None or send is None or person is None:
        return None
    # whether they made a CV since it was sent: read now, what the line asks depends on it
    no_cv = not send.proposable and await relay.has_no_cv(tx, person)
    return ReadNow(to_params(offer, send.proposable, no_cv))


async def cap_reached(tx: Tx, person_id: int, now: datetime, cap: int) -> datetime | None:
    """When a person may get their next offer message: None (now) under the weekly cap, else
    the moment the oldest of the last seven days turns a week old."""
    sent = await tx.offer_messages_since(person_id, now - WEEK)
    if len(sent) < cap:
        return None
    return sent[len(sent) - cap] + WEEK


async def hold(tx: Tx, started: Started, now: datetime, cap: int) -> datetime | None:
    """The `hold` of every offer message (offer, digest, follow-up): beyond `cap` a week, it
    waits; the one that goes is counted at once (a second one in the same batch sees it).
    (offer_sends.delivered_at is stamped by the outbox when the message has left.)"""
    person = started.person.id
    if person is None:
        return None
    until = await cap_reached(tx, person, now, cap)
    if until is not None:
        return until
    await tx.count_offer_message(started.id)
    return None


def buttons(t: Translator, started: Started) -> tuple[tuple[Button, ...], ...]:
    """The three answers under an offer."""
    return (
        (Button(t.gettext(B_YES), started.button_data(YES)),),
        (Button(t.gettext(B_NO), started.button_data(NO)),),
        (Button(t.gettext(B_STOP), started.button_data(STOP)),),
    )


def render(t: Translator, started: Started) -> Message:
    """The offer in the person's language (the volunteer's words in French), and the
    question with its three answers."""
    offer = from_params(started.params)
    if offer is None:  # never read: nothing to show but the question
        return Message(t.gettext(T_QUESTION), buttons(t, started), rtl=t.rtl)
    proposable = bool(started.params.get("proposable", True))
    no_cv = bool(started.params.get("no_cv", False))
    text = wording.beneficiary_text(t, offer, proposable, no_cv) + "\n\n" + t.gettext(T_QUESTION)
    return Message(text, buttons(t, started), rtl=t.rtl)


# -- the presses ---------------------------------------------------------------------------------


def local_today(pressing: Pressing) -> date:
    """The day of the press where the deployment is."""
    return pressing.now.astimezone(pressing.catalogs.tz).date()


async def press(pressing: Pressing) -> Answered:
    """The answers to an offer (see the module's docstring)."""
    tx, started, choice = pressing.tx, pressing.started, pressing.choice
    person = started.person
    number = _offer_id(started)
    assert person.id is not None
    if choice == STOP:
        stopped = await tx.set_wants_offers(person.id, False)
        return Answered((pressing.say(T_STOPPED if stopped else T_ALREADY_STOPPED),))
    offer = await tx.offer(number) if number is not None else None
    send = await tx.offer_send(number, person.id) if number is not None else None
    if offer is None or send is None or offer.state in ("draft", "closed"):
        return Answered((pressing.say(T_CLOSED),))
    if not offer.open_on(local_today(pressing)):
        return Answered((pressing.say(T_EXPIRED),))
    if person.centre != offer.centre:
        # they moved since: their new centre cannot send them to this employer
        return Answered((pressing.say(T_OTHER_CENTRE),))
    if choice == YES:
        if not await tx.answer_offer(offer.id, person.id, "interested"):
            return Answered((pressing.say(T_ALREADY_INTERESTED),))
        await relay.relay(tx, pressing.catalogs, pressing.admins, offer, person)
        followup = await tx.followup_of(person.id)
        if followup.cv_status == "checked" and followup.searching:
            return Answered((pressing.say(T_INTERESTED),))
        no_cv = relay.lacks_cv(followup, await tx.profile_of(person.id))
        return Answered((pressing.say(T_INTERESTED_NO_CV if no_cv else T_INTERESTED_CV),))
    if choice == NO:
        if not await tx.answer_offer(offer.id, person.id, "declined"):
            return Answered((pressing.say(T_ALREADY_DECLINED),))
        if send.answer == "interested":
            await relay.withdrawn(tx, pressing.catalogs, pressing.admins, offer, person, send)
        return Answered((_why_not(pressing),))
    if send.answer != "declined":
        # a reason only follows "not for me" (the buttons come with it)
        return Answered((pressing.say(T_SKIPPED),))
    if choice == SKIP:
        return Answered((pressing.say(T_SKIPPED),))
    reason = REASONS[choice]
    if await tx.set_offer_reason(offer.id, person.id, reason):
        await _avoid(tx, person.id, offer.details, reason)
    return Answered((pressing.say(T_REASON),))


def _why_not(pressing: Pressing) -> Message:
    """ "Why?", with the one-tap reasons on the same message's buttons."""
    t, started = pressing.t, pressing.started
    rows = (
        (
            Button(t.gettext(B_HOURS), started.button_data(HOURS)),
            Button(t.gettext(B_DISTANCE), started.button_data(DISTANCE)),
        ),
        (
            Button(t.gettext(B_JOB_TYPE), started.button_data(JOB_TYPE)),
            Button(t.gettext(B_SKIP), started.button_data(SKIP)),
        ),
    )
    return Message(t.gettext(T_DECLINED), rows, rtl=t.rtl)


async def _avoid(tx: Tx, person_id: int, details: OfferDetails, reason: str) -> None:
    """What a reason teaches matching: offers of this sector, at these unusual times, or as
    far as this one, are no longer sent."""
    if reason == "job_type":
        await tx.avoid_in_offers(person_id, sectors=profile_index.sector_bit(details.sector))
    elif reason == "hours":
        slots = profile_index.slot_bits(details.schedule) & UNUSUAL_SLOTS
        if slots:
            await tx.avoid_in_offers(person_id, slots=slots)
    else:
        found = profile_index.index(await tx.profile_of(person_id))
        if found is not None and found.postcode:
            far = places.closeness(details.postcode, found.postcode)
            await tx.avoid_in_offers(person_id, reach_cut=max(far - 1, places.SAME_POSTCODE))
