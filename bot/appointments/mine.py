""" "Mes rendez-vous": a beneficiary's appointments to come, in their language, read from the
database where the flow's "show_appointments" step stands (flows/my_appointments.toml): when,
where, what for, the practical note and what they answered, with the answers' buttons for the
soonest (those of the last message about it, so a press is checked as there). With none to
come, it says so and points to "Prendre rendez-vous", in the menu right under it.
"""

from __future__ import annotations

from datetime import datetime

from bot.appointments import lifecycle, messages, wording
from bot.appointments.domain import Appointment
from bot.core.domain import Centre, Message, Person, Reply
from bot.core.i18n import N_, Translator
from bot.storage.database import Tx

EFFECT = "show_appointments"  # the engine's effect: {"at": where among the messages}
LISTED = 5  # the next ones; more are rare, and the latest messages have them all

T_HEAD = N_("Vos rendez-vous :")
T_NONE = N_(
    "Vous n'avez pas de rendez-vous prévu.\n"
    "Pour en demander un, choisissez « Prendre rendez-vous » ci-dessous."
)
T_WHEN = N_("📅 {when}")
T_BUTTONS_FOR = N_("Les boutons ci-dessous répondent pour le rendez-vous du {when}.")
ANSWERS = {
    "": N_("Votre réponse : pas encore donnée."),
    "coming": N_("Votre réponse : je viendrai."),
    "cannot": N_(
        "Votre réponse : je ne peux pas venir. Le centre va vous proposer une autre date."
    ),
    "change": N_("Votre réponse : changer la date. Le centre va vous proposer une autre date."),
}


def _one(t: Translator, appointment: Appointment, centres: dict[str, Centre]) -> str:
    # where, what for and the note as the confirmation writes them
    params = lifecycle.details(appointment, centres.get(appointment.centre))
    lines = [
        t.gettext(T_WHEN, when=wording.when(t, appointment.starts_at)),
        *messages.particulars(t, params),
        t.gettext(ANSWERS.get(appointment.answer, ANSWERS[""])),
    ]
    return "\n".join(lines)


async def upcoming(tx: Tx, person_id: int, now: datetime) -> list[Appointment]:
    """The person's planned appointments not started yet, soonest first."""
    found = await tx.appointments_of(person_id, since=now)
    return [a for a in found if a.ahead(now)][:LISTED]


async def listed(
    tx: Tx, t: Translator, person: Person, centres: tuple[Centre, ...], now: datetime
) -> Message:
    """The person's appointments to come, or that there are none."""
    found = await upcoming(tx, person.id, now) if person.id is not None else []
    if not found:
        return Message(t.gettext(T_NONE), rtl=t.rtl)
    by_id = {c.id: c for c in centres}
    parts = [t.gettext(T_HEAD), *(_one(t, a, by_id) for a in found)]
    # the soonest can be answered here too, with the buttons of the last message about it
    soonest = found[0]
    number = await tx.answerable_message(soonest.id, soonest.version)
    started = await tx.started_message(number) if number is not None else None
    if started is None:
        return Message("\n\n".join(parts), rtl=t.rtl)
    if len(found) > 1:
        parts.append(t.gettext(T_BUTTONS_FOR, when=wording.when(t, soonest.starts_at)))
    return Message("\n\n".join(parts), messages.answer_buttons(t, started), rtl=t.rtl)


async def shown(
    tx: Tx,
    t: Translator,
    person: Person,
    centres: tuple[Centre, ...],
    reply: Reply,
    now: datetime,
) -> Reply:
    """The engine's reply with the person's appointments where its flow asked for them."""
    wanted = [e for e in reply.effects if e.name == EFFECT]
    if not wanted:
        return reply
    messages = list(reply.messages)
    # from the last place to the first, so that the earlier places stay where they were
    for effect in reversed(wanted):
        at = effect.data.get("at")
        place = at if isinstance(at, int) and 0 <= at <= len(messages) else len(messages)
        messages.insert(place, await listed(tx, t, person, centres, now))
    effects = tuple(e for e in reply.effects if e.name != EFFECT)
    return Reply(tuple(messages), reply.echo, reply.edit, effects)
