"""Booking an appointment for a person of one's centre, and changing it: `/rdv <n°>`, or
"📅 Rendez-vous" on their page ("ab"), opens the desk flow `desk_appointment` (when, where, what
for, who will be there); "✏️ Changer" on the appointment's screen ("am") opens the same flow at
its summary with the appointment's answers. When the flow ends, the appointment is booked or
changed through bot.appointments.lifecycle, the one place that queues and drops the person's
confirmation and reminders, and the volunteer is told what the person will receive and when.

A change carries the version it was made for, so a second volunteer changing the same
appointment meanwhile is told, never written over.

A person who stopped Relais or blocked it can still get an appointment: the volunteer may have
arranged it by phone, and it belongs in the agenda and the figures. Relais queues the
confirmation and reminders as for anyone and the delivery drops them while the person does not
want messages (delivered if they come back in time); the volunteer is told to let them know
another way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any

from bot.appointments import desk_view, lifecycle, reminders, shown
from bot.appointments.desk_view import (
    T_CHANGED_MEANWHILE,
    T_ENDED_MEANWHILE,
    T_TOLD_CHANGE_LATER,
    T_UNREACHABLE,
)
from bot.appointments.domain import PLACES, PURPOSES, Appointment, NewAppointment
from bot.core.answers import local_moment
from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import build
from bot.desk.context import Call, Ctx, Subject
from bot.desk.router import Need, Router, person

router = Router("appointment_booking")

FLOW = "desk_appointment"
SUMMARY = "appt_summary"  # where a change opens: the appointment as it is, and what to change

T_RDV_USAGE = N_("Écrivez /rdv suivi du numéro de la personne, par exemple : /rdv 12")
T_BOOKED = N_("📅 C'est réservé pour {name} : {when}.")
T_CHANGED = N_("📅 C'est changé pour {name} : {when}.")
T_TOLD_NOW = N_("{name} reçoit la confirmation maintenant.")
T_TOLD_CHANGE_NOW = N_("{name} reçoit les nouveaux détails maintenant.")
T_TOLD_LATER = N_("C'est le soir ou un jour de repos : Relais lui enverra la confirmation {at}.")
T_REMINDERS = N_("Rappels : {moments}.")
T_NO_REMINDER = N_("Pas de rappel : le rendez-vous est trop proche.")
T_LIST_SEPARATOR = N_(", ")
T_PASSED = N_(
    "Ce moment est passé pendant que vous écriviez : rien n'est réservé. "
    "Choisissez un autre jour ou une autre heure."
)
T_NOT_CHANGED = N_("Rien n'a changé : le rendez-vous reste comme il était.")
T_CHANGE_WHAT = N_("Changer ce rendez-vous : choisissez ce qui change.")
B_AGAIN = N_("📅 Recommencer")


T_NO_PHONE = N_(
    "Attention : {name} n'a pas donné de numéro de téléphone à Relais. Écrivez-lui (✍️ Écrire) "
    "pour le demander avant l'appel."
)


@router.command("rdv", Need.VOLUNTEER, menu=N_("Prendre rendez-vous avec une personne"), order=22)
async def book_command(ctx: Ctx, call: Call) -> None:
    """`/rdv 12`: an appointment with person n° 12."""
    await ctx.press_for_number(call, "ab", T_RDV_USAGE)


@router.button("ab", Need.VOLUNTEER, about=person)
async def book(ctx: Ctx, call: Call) -> None:
    """ "📅 Rendez-vous" (a page, a request for an appointment): the desk flow asks when,
    where, what for and who will be there."""
    if desk_view.unreachable(call.who):
        ctx.say(T_UNREACHABLE, name=call.who.name)
    ctx.open_flow(FLOW, call.who)


@dataclass(frozen=True)
class Asked:
    """What the desk flow's answers say, read and checked."""

    new: NewAppointment
    appointment: int | None  # the appointment being changed (None: a new one)
    version: int


def _asked(ctx: Ctx, call: Call, centre: str) -> Asked | None:
    """The appointment the answers describe (None: answers a changed flow file left
    incomplete: nothing half-booked)."""
    given = call.answers
    try:
        day = date.fromisoformat(str(given.get("appt_date")))
        clock = time.fromisoformat(str(given.get("appt_time")))
    except ValueError:
        return None
    starts_at = local_moment(day, clock, ctx.world.tz)
    where, purpose = given.get("appt_place"), given.get("appt_purpose")
    if starts_at is None or where not in PLACES or purpose not in PURPOSES:
        return None
    address = str(given.get("appt_address") or "") if where == "address" else ""
    volunteer = given.get("appt_volunteer")
    number = given.get("appointment")
    version = given.get("version")
    new = NewAppointment(
        person_id=call.who.id,
        centre=centre,
        starts_at=starts_at,
        place=str(where),
        purpose=str(purpose),
        address=address,
        note=str(given.get("appt_note") or ""),
        volunteer_id=int(volunteer) if isinstance(volunteer, str) and volunteer.isdigit() else None,
        minutes=ctx.config.appointments.minutes,
    )
    if number is not None and not (isinstance(number, int) and isinstance(version, int)):
        return None
    return Asked(new, number, version if isinstance(version, int) else 0)


async def _volunteer_of(ctx: Ctx, new: NewAppointment) -> NewAppointment:
    """Who will be there, if still of the centre's team (or the volunteer booking); someone
    who left meanwhile is nobody: the centre's coordinators then see it in their agenda."""
    chosen = new.volunteer_id
    if chosen is None or chosen == ctx.access.person_id:
        return new
    team = {m.person_id for m in await ctx.tx.team_members((new.centre,))}
    if chosen in team:
        return new
    return replace(new, volunteer_id=None)


@router.flow(FLOW, Need.VOLUNTEER)
async def answered(ctx: Ctx, call: Call) -> None:
    """The desk flow ended: book the appointment, or change the one it was opened for."""
    who = call.who
    centre = who.person.centre
    assert centre is not None  # someone this volunteer sees is at one of their centres
    asked = _asked(ctx, call, centre)
    if asked is None:
        ctx.stale()
        return
    if asked.new.starts_at <= ctx.now:
        rows = ((Button(ctx.t.gettext(B_AGAIN), build("ab", who.id)),),)
        ctx.show(Message(ctx.t.gettext(T_PASSED), rows, rtl=ctx.t.rtl))
        return
    new = await _volunteer_of(ctx, asked.new)
    if asked.appointment is None:
        await _book(ctx, who, new)
    else:
        await _change(ctx, who, asked.appointment, asked.version, new)


async def _book(ctx: Ctx, who: Subject, new: NewAppointment) -> None:
    appointment = await ctx.tx.book_appointment(new, ctx.access.person_id)
    settings = ctx.config.appointments
    centre = ctx.world.centre(appointment.centre)
    await lifecycle.booked(
        ctx.tx, appointment, centre, settings, ctx.config.quiet, ctx.world.tz, ctx.now
    )
    t = ctx.t
    lines = [t.gettext(T_BOOKED, name=who.name, when=shown.when(t, new.starts_at, ctx.world.tz))]
    lines += _what_they_get(ctx, who, appointment, T_TOLD_NOW, T_TOLD_LATER)
    ctx.show(Message("\n".join(lines), desk_view.after_rows(ctx, appointment), rtl=t.rtl))


async def _change(ctx: Ctx, who: Subject, number: int, version: int, new: NewAppointment) -> None:
    before = await ctx.tx.appointment(number)
    if before is None or before.person_id != who.id:
        ctx.stale()
        return
    if before.state != "planned" or before.version != version:
        ctx.say(T_CHANGED_MEANWHILE if before.state == "planned" else T_ENDED_MEANWHILE)
        await desk_view.show_screen(ctx, before, who)
        return
    new = replace(new, centre=before.centre, minutes=before.minutes)
    if _same(before, new):
        ctx.say(T_NOT_CHANGED)
        await desk_view.show_screen(ctx, before, who)
        return
    after = await ctx.tx.change_appointment(number, version, new)
    if after is None:  # changed or ended between the read and the write
        current = await ctx.tx.appointment(number)
        ctx.say(
            T_CHANGED_MEANWHILE if current and current.state == "planned" else T_ENDED_MEANWHILE
        )
        if current is not None:
            await desk_view.show_screen(ctx, current, who)
        return
    centre = ctx.world.centre(after.centre)
    await lifecycle.changed(
        ctx.tx,
        before,
        after,
        centre,
        ctx.config.appointments,
        ctx.config.quiet,
        ctx.world.tz,
        ctx.now,
    )
    t = ctx.t
    lines = [t.gettext(T_CHANGED, name=who.name, when=shown.when(t, after.starts_at, ctx.world.tz))]
    lines += _what_they_get(ctx, who, after, T_TOLD_CHANGE_NOW, T_TOLD_CHANGE_LATER)
    ctx.show(Message("\n".join(lines), desk_view.after_rows(ctx, after), rtl=t.rtl))


def _same(before: Appointment, new: NewAppointment) -> bool:
    """Whether the answers say what the appointment already says."""
    return (
        before.starts_at == new.starts_at
        and before.place == new.place
        and before.address == new.address
        and before.purpose == new.purpose
        and before.note == new.note
        and before.volunteer_id == new.volunteer_id
    )


def _what_they_get(
    ctx: Ctx, who: Subject, appointment: Appointment, now_text: str, later_text: str
) -> list[str]:
    """What the person will receive, and when: now or after quiet hours, then the reminders
    (or that Relais cannot reach them)."""
    t, zone = ctx.t, ctx.world.tz
    if desk_view.unreachable(who):
        return [t.gettext(T_UNREACHABLE, name=who.name)]
    due = ctx.config.quiet.next_allowed(ctx.now, zone)
    if due > ctx.now:
        lines = [t.gettext(later_text, at=desk_view.at(ctx, due))]
    else:
        lines = [t.gettext(now_text, name=who.name)]
    planned = reminders.plan(
        appointment.starts_at,
        ctx.config.appointments.reminders,
        ctx.config.quiet,
        zone,
        ctx.now,
    )
    if planned:
        moments = t.gettext(T_LIST_SEPARATOR).join(desk_view.at(ctx, r.at) for r in planned)
        lines.append(t.gettext(T_REMINDERS, moments=moments))
    elif ctx.config.appointments.reminders:
        lines.append(t.gettext(T_NO_REMINDER))
    if appointment.place == "phone" and not who.profile.get("phone"):
        # "the volunteer will call you": the person is told so, the volunteer needs a number
        lines.append(t.gettext(T_NO_PHONE, name=who.name))
    return lines


def _given(appointment: Appointment, ctx: Ctx) -> dict[str, Any]:
    """The desk flow's answers for an appointment as it is (ids and choices: never a name)."""
    at = appointment.starts_at.astimezone(ctx.world.tz)
    given: dict[str, Any] = {
        "appointment": appointment.id,
        "version": appointment.version,
        "appt_date": at.date().isoformat(),
        "appt_time": at.strftime("%H:%M"),
        "appt_place": appointment.place,
        "appt_purpose": appointment.purpose,
        "appt_confirm": "book",  # each change goes back to the summary
    }
    if appointment.address:
        given["appt_address"] = appointment.address
    if appointment.note:
        given["appt_note"] = appointment.note
    if appointment.volunteer_id is not None:
        given["appt_volunteer"] = str(appointment.volunteer_id)
    return given


@router.button("am", Need.VOLUNTEER, about=desk_view.appointment_person)
async def change(ctx: Ctx, call: Call) -> None:
    """ "Changer" (the screen, or a notice that the person cannot come or asks for another
    day): the desk flow at its summary, with this version of the appointment."""
    appointment = await desk_view.read(ctx, call)
    if appointment is None:
        return
    if not await desk_view.still_open(ctx, appointment, call.who):
        return
    ctx.say(T_CHANGE_WHAT)
    ctx.open_flow(FLOW, call.who, _given(appointment, ctx), at=SUMMARY)
