"""A message from the person's centre: a volunteer wrote it from the person's page
(bot/desk/exchanges.py); the person reads it as coming from the centre (its name, never the
volunteer's), with buttons to answer ("Répondre"), to give their phone number and to end the
conversation. It is a message Relais starts: quiet hours hold it.

"Répondre" and "Donner mon numéro" open a reply flow over the question the person was
answering (flows/reply_to_centre.toml, flows/share_phone.toml); when it ends, the answer goes
to the volunteer who wrote (a notice, with buttons to answer again or end), and the question
comes again. The buttons work as long as the conversation goes on: either side ends it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core import answers
from bot.core.domain import Button, Message, Person
from bot.core.i18n import N_, Catalogs, Translator
from bot.desk.buttons import build
from bot.desk.domain import Access, Exchange, profile_name
from bot.desk.notices import notify
from bot.reach.pressed import Answered, Pressing, Replied, ReplyOpening
from bot.reach.queue import queue
from bot.reach.started import NOTICE, NewStarted, Started
from bot.storage.database import Tx, to_text

KIND = "centre_message"
REPLY, PHONE, END = "reply", "phone", "end"
CHOICES = (REPLY, PHONE, END)
REPLY_FLOW = "reply_to_centre"
PHONE_FLOW = "share_phone"
BUTTON_DAYS = 30  # how long "Répondre" works under one message (a newer message has its own)

T_MESSAGE = N_("✉️ Message de {centre} :\n« {text} »")
T_HOW_TO_REPLY = N_("Pour répondre, appuyez sur « Répondre ».")
B_REPLY = N_("✍️ Répondre")
B_PHONE = N_("📞 Donner mon numéro")
B_END = N_("Terminer la conversation")
T_ENDED = N_(
    "Cette conversation est terminée. Pour parler à nouveau au centre, choisissez "
    "« Parler à un bénévole » dans le menu."
)
T_YOU_ENDED = N_(
    "D'accord, la conversation est terminée. Pour parler à nouveau au centre, choisissez "
    "« Parler à un bénévole » dans le menu."
)

# for the volunteer (notices, in their language when delivered)
T_REPLY_NOTICE = N_("Réponse de {name} ({centre}) :\n« {text} »")
T_PHONE_NOTICE = N_("{name} ({centre}) vous donne son numéro de téléphone : {phone}")
T_ENDED_NOTICE = N_("{name} ({centre}) a terminé la conversation.")
B_ANSWER = N_("✍️ Répondre")
B_STOP = N_("Terminer")
B_PAGE = N_("Voir la fiche")


async def send(
    tx: Tx,
    exchange: Exchange,
    person: Person,
    centre_name: str,
    text: str,
    ask_phone: bool,
    now: datetime,
) -> None:
    """Queue a volunteer's message for the person, as coming from their centre (its buttons
    work for BUTTON_DAYS; quiet hours hold it, as every message Relais starts)."""
    assert person.id is not None
    params = {"exchange": exchange.id, "centre": centre_name, "text": text, "phone": ask_phone}
    expires = now + timedelta(days=BUTTON_DAYS)
    await queue(tx, NewStarted(person.id, KIND, params, priority=NOTICE, expires_at=expires))


def render(t: Translator, started: Started) -> Message:
    """The centre's message in the person's language, with its buttons."""
    params = started.params
    text = t.gettext(T_MESSAGE, centre=str(params["centre"]), text=str(params["text"]))
    rows = [(Button(t.gettext(B_REPLY), started.button_data(REPLY)),)]
    if params.get("phone"):
        rows.append((Button(t.gettext(B_PHONE), started.button_data(PHONE)),))
    rows.append((Button(t.gettext(B_END), started.button_data(END)),))
    return Message(f"{text}\n{t.gettext(T_HOW_TO_REPLY)}", tuple(rows), rtl=t.rtl)


async def press(pressing: Pressing) -> Answered:
    """ "Répondre", "Donner mon numéro": a reply flow over the question in progress;
    "Terminer": the conversation ends and the volunteer is told. Once it has ended (either
    side), the buttons say so."""
    tx, person = pressing.tx, pressing.started.person
    number = pressing.started.params.get("exchange")
    exchange = await tx.exchange(number) if isinstance(number, int) else None
    if exchange is None or exchange.person_id != person.id or not exchange.open:
        return Answered((pressing.say(T_ENDED),))
    if pressing.choice in (REPLY, PHONE):
        flow = REPLY_FLOW if pressing.choice == REPLY else PHONE_FLOW
        return Answered(opens=ReplyOpening(flow, {"exchange": exchange.id}))
    await tx.end_exchange(exchange.id, "person")
    assert person.id is not None
    profile = await tx.profile_of(person.id)
    await tell_centre(
        tx, pressing.catalogs, pressing.admins, exchange, person, profile, T_ENDED_NOTICE
    )
    return Answered((pressing.say(T_YOU_ENDED),))


# -- the person's answers, back to the volunteer ----------------------------------------------


async def _exchange_of(done: Replied) -> Exchange | None:
    """The exchange a reply flow was about, if it is this person's."""
    number = done.given.get("exchange")
    exchange = await done.tx.exchange(number) if isinstance(number, int) else None
    if exchange is None or exchange.person_id != done.state.person.id:
        return None
    return exchange


async def answered(done: Replied) -> None:
    """The person answered: kept with the exchange, the volunteer told (with buttons to answer
    again or end), and the first contact recorded if it was the first. An answer written
    while the other side ended the conversation still reaches them: nothing is lost."""
    exchange = await _exchange_of(done)
    text = done.answers.get("reply")
    person = done.state.person
    if exchange is None or not isinstance(text, str) or not text or person.id is None:
        return
    tx = done.tx
    await tx.add_exchange_message(exchange, True, None, text)
    if (await tx.followup_of(person.id)).first_contact_at is None:
        await tx.update_followup(person.id, first_contact_at=to_text(done.now))
    await tell_centre(
        tx,
        done.catalogs,
        done.admins,
        exchange,
        person,
        done.state.profile,
        T_REPLY_NOTICE,
        answer=True,
        text=text,
    )


async def phone_given(done: Replied) -> None:
    """The person gave their phone number (kept with their answers by the flow): the
    volunteer is told, and the number they are shown is audited."""
    exchange = await _exchange_of(done)
    phone = done.answers.get("phone")
    person = done.state.person
    if exchange is None or not isinstance(phone, str) or person.id is None:
        return
    told = await tell_centre(
        done.tx,
        done.catalogs,
        done.admins,
        exchange,
        person,
        done.state.profile,
        T_PHONE_NOTICE,
        answer=True,
        phone=answers.format_phone(phone),
    )
    for volunteer in told:
        assert volunteer.id is not None
        await done.tx.audit(volunteer.id, person.id, "phone")


REPLIES = {REPLY_FLOW: answered, PHONE_FLOW: phone_given}


# -- who on the centre's side is told ---------------------------------------------------------


async def _sees(tx: Tx, admins: tuple[str, ...], volunteer: Person, person: Person) -> bool:
    """Whether the volunteer may still see the person (same rule as the desk: their centre)."""
    assert volunteer.id is not None
    access = Access(volunteer.id, await tx.roles_of(volunteer.id), volunteer.external_id in admins)
    active = tuple(c.id for c in await tx.active_centres())
    return person.centre is not None and person.centre in access.centres(active)


async def recipients(
    tx: Tx, admins: tuple[str, ...], exchange: Exchange, person: Person
) -> list[Person]:
    """The volunteer of the exchange if they still see the person; else their centre's team
    (the admins when it has none): an answer always reaches someone who can act on it."""
    return await recipients_for(tx, admins, exchange.volunteer_id, person)


async def recipients_for(
    tx: Tx, admins: tuple[str, ...], volunteer_id: int | None, person: Person
) -> list[Person]:
    """The volunteer who follows something about the person (an exchange, an appointment) if
    they still see the person; else the person's centre's team, the admins when it has none."""
    if volunteer_id is not None:
        volunteer = await tx.person_by_id(volunteer_id)
        if volunteer is not None and await _sees(tx, admins, volunteer, person):
            return [volunteer]
    if person.centre is None:
        return []
    team = await tx.team_of(person.centre) or await tx.persons_by_external_ids(admins)
    return [member for member in team if member.id != person.id]


async def tell_centre(
    tx: Tx,
    catalogs: Catalogs,
    admins: tuple[str, ...],
    exchange: Exchange,
    person: Person,
    profile: dict[str, Any],
    msgid: str,
    answer: bool = False,
    **params: object,
) -> list[Person]:
    """A notice about the person for the centre's side of the exchange (its buttons: answer
    and end when `answer`, and the person's page); who was told."""
    assert person.id is not None
    told = await recipients(tx, admins, exchange, person)
    rows: list[tuple[tuple[str, str], ...]] = []
    if answer:
        rows.append(((B_ANSWER, build("w", person.id)), (B_STOP, build("we", exchange.id))))
    rows.append(((B_PAGE, build("p", person.id)),))
    centre = await _centre_name(tx, person.centre or exchange.centre)
    for member in told:
        name = profile_name(profile, person.id, catalogs.get(member.locale))
        await notify(
            tx, member, msgid, tuple(rows), subject_id=person.id, name=name, centre=centre, **params
        )
    return told


async def _centre_name(tx: Tx, centre: str) -> str:
    names = await tx.centre_names()
    return names.get(centre, centre)
