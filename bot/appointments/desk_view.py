"""One appointment as the desk reads and shows it, shared by the desk's appointment modules
(booking.py, appointment_screen.py): the appointment a button is about, its screen, whether it
can still be changed or cancelled, a moment in words ("demain à 08:30"), and the words and
buttons said after booking, changing or cancelling. No Router here: the modules that register
routes stand alone and share this one instead of importing each other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.appointments import shown
from bot.appointments.domain import Appointment
from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import build
from bot.desk.context import Call, Ctx, Subject
from bot.desk.domain import person_name

T_UNREACHABLE = N_(
    "{name} ne reçoit plus de messages de Relais (la personne a écrit /stop ou a bloqué "
    "Relais) : ni confirmation ni rappel tant qu'elle ne revient pas. Prévenez-la autrement, "
    "par téléphone par exemple."
)
T_TOLD_CHANGE_LATER = N_(
    "C'est le soir ou un jour de repos : Relais lui enverra les nouveaux détails {at}."
)
T_TODAY_AT = N_("aujourd'hui à {time}")
T_TOMORROW_AT = N_("demain à {time}")
T_DAY_AT = N_("le {date} à {time}")
T_CHANGED_MEANWHILE = N_(
    "Quelqu'un a changé ce rendez-vous pendant que vous écriviez : vos changements ne sont pas "
    "enregistrés, les siens sont gardés. Le voici maintenant."
)
T_ENDED_MEANWHILE = N_("Ce rendez-vous n'est plus prévu : le voici.")
T_STARTED = N_(
    "Ce rendez-vous a déjà commencé : on ne peut plus le changer ni l'annuler. Notez si la "
    "personne est venue."
)
T_ALREADY_CANCELLED = N_("Ce rendez-vous est déjà annulé.")
T_SCREEN_HEAD = N_("📅 Rendez-vous avec {name}")
T_NOTE = N_("📝 {note}")
T_WHO = N_("👤 {volunteer}")
T_NOBODY = N_("personne n'est choisi")
T_YOU = N_("vous")
T_STATE = N_("État : {state}")
T_ANSWER = N_("Réponse : {answer}")
B_CHANGE = N_("✏️ Changer")
B_CANCEL = N_("❌ Annuler")
B_ATTENDED = N_("✅ Venu(e)")
B_MISSED = N_("🚫 Pas venu(e)")
B_NOW_ATTENDED = N_("🔁 Plutôt venu(e)")
B_NOW_MISSED = N_("🔁 Plutôt pas venu(e)")
B_PAGE = N_("↩ Fiche")
B_AGENDA = N_("📅 Agenda")
B_SEE = N_("📅 Voir le rendez-vous")
PER_ROW = 2


def unreachable(who: Subject) -> bool:
    """Whether Relais cannot write to the person now (they wrote /stop or blocked it)."""
    return who.person.stopped or who.person.blocked


def at(ctx: Ctx, moment: datetime) -> str:
    """ "aujourd'hui à 14:30", "demain à 08:30", "le mardi 24 novembre 2026 à 12:30"."""
    t = ctx.t
    local = moment.astimezone(ctx.world.tz)
    clock = t.time(local.time())
    if local.date() == ctx.today:
        return t.gettext(T_TODAY_AT, time=clock)
    if local.date() == ctx.today + timedelta(days=1):
        return t.gettext(T_TOMORROW_AT, time=clock)
    return t.gettext(T_DAY_AT, date=t.day(local.date()), time=clock)


def after_rows(ctx: Ctx, appointment: Appointment) -> tuple[tuple[Button, ...], ...]:
    """The buttons under "booked", "changed" or "cancelled": the appointment, the person's page."""
    t = ctx.t
    return (
        (
            Button(t.gettext(B_SEE), build("ad", appointment.id)),
            Button(t.gettext(B_PAGE), build("p", appointment.person_id)),
        ),
    )


async def appointment_person(ctx: Ctx, appointment_id: int) -> int | None:
    """Whom an appointment is with, if it is one of this volunteer's centres (the router then
    checks they still see the person)."""
    appointment = await ctx.tx.appointment(appointment_id)
    if appointment is None or appointment.centre not in ctx.access.centres(ctx.active):
        return None
    return appointment.person_id


async def read(ctx: Ctx, call: Call) -> Appointment | None:
    """The appointment a button is about, read now (the router found its person)."""
    appointment = await ctx.tx.appointment(call.id(0))
    if appointment is None or appointment.person_id != call.who.id:
        ctx.stale()
        return None
    return appointment


async def volunteer_name(ctx: Ctx, volunteer_id: int | None) -> str:
    """Who will be there, as the reader says it: "vous", their name, or that nobody is chosen."""
    t = ctx.t
    if volunteer_id is None:
        return t.gettext(T_NOBODY)
    if volunteer_id == ctx.access.person_id:
        return t.gettext(T_YOU)
    profile = await ctx.tx.profile_of(volunteer_id)
    first, last = profile.get("first_name"), profile.get("last_name")
    return person_name(
        first if isinstance(first, str) else "",
        last if isinstance(last, str) else "",
        volunteer_id,
        t,
    )


async def show_screen(ctx: Ctx, appointment: Appointment, who: Subject) -> None:
    """One appointment: when, where, what for, who, its state and the person's answer, and
    what can be done now."""
    t, zone = ctx.t, ctx.world.tz
    centre = ctx.world.centre(appointment.centre)
    address = centre.address if centre is not None else ""
    lines = [
        t.gettext(T_SCREEN_HEAD, name=who.name),
        shown.when(t, appointment.starts_at, zone),
        "📍 " + shown.place(t, appointment, address),
        "🎯 " + shown.purpose(t, appointment),
    ]
    if appointment.note:
        lines.append(t.gettext(T_NOTE, note=appointment.note))
    volunteer = await volunteer_name(ctx, appointment.volunteer_id)
    lines.append(t.gettext(T_WHO, volunteer=volunteer))
    lines.append(t.gettext(T_STATE, state=shown.state(t, appointment)))
    if appointment.state == "planned":
        lines.append(t.gettext(T_ANSWER, answer=shown.answer(t, appointment)))
    found: list[tuple[str, str]] = []
    if appointment.ahead(ctx.now):
        found += [(B_CHANGE, build("am", appointment.id)), (B_CANCEL, build("ak", appointment.id))]
    elif appointment.state == "planned":
        found += [
            (B_ATTENDED, build("aa", appointment.id)),
            (B_MISSED, build("ax", appointment.id)),
        ]
    elif appointment.state == "attended":
        found.append((B_NOW_MISSED, build("ax", appointment.id)))
    elif appointment.state == "missed":
        found.append((B_NOW_ATTENDED, build("aa", appointment.id)))
    found += [(B_PAGE, build("p", who.id)), (B_AGENDA, build("ag", 0))]
    buttons = [Button(t.gettext(label), data) for label, data in found]
    rows = tuple(tuple(buttons[i : i + PER_ROW]) for i in range(0, len(buttons), PER_ROW))
    ctx.show(Message("\n".join(lines), rows, rtl=t.rtl))


async def still_open(ctx: Ctx, appointment: Appointment, who: Subject) -> bool:
    """Whether the appointment can still be changed or cancelled; if not, say why and show it."""
    if appointment.state == "cancelled":
        ctx.say(T_ALREADY_CANCELLED)
    elif appointment.state != "planned":
        ctx.say(T_ENDED_MEANWHILE)
    elif not appointment.ahead(ctx.now):
        ctx.say(T_STARTED)
    else:
        return True
    await show_screen(ctx, appointment, who)
    return False
