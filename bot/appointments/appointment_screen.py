"""One appointment's screen on the volunteers' side ("ad": drawn by desk_view.show_screen) and
what its buttons end: cancel it ("ak", then a confirming tap "aky"), and say afterwards whether
the person came ("aa") or not ("ax", a wrong tap corrected the same way). Changing it ("am") is
booking.py's.

Every button checks again that the appointment is of one of this volunteer's centres and that
they still see the person (the registry's `about`); a cancellation carries the version it was
made for, so a second volunteer changing the same appointment meanwhile is told, never written
over. Ending goes through bot.appointments.lifecycle, the one place that drops the person's
reminders and queues what they are told.
"""

from __future__ import annotations

from bot.appointments import desk_view, lifecycle, shown
from bot.appointments.desk_view import (
    T_ALREADY_CANCELLED,
    T_CHANGED_MEANWHILE,
    T_TOLD_CHANGE_LATER,
    T_UNREACHABLE,
)
from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import Arg, build
from bot.desk.context import Call, Ctx
from bot.desk.router import Need, Router

router = Router("appointment_screen")

T_NOT_YET = N_(
    "Pas encore : vous pourrez noter si la personne est venue à partir de son heure, {at}."
)
T_CANCEL_ASK = N_("Annuler le rendez-vous avec {name}, {when} ? La personne sera prévenue.")
T_CANCELLED = N_("C'est annulé. {name} est prévenu(e) : plus de rappel pour ce rendez-vous.")
T_CANCELLED_UNTOLD = N_(
    "C'est annulé. {name} n'avait pas encore reçu ce rendez-vous (c'était le soir ou un jour "
    "de repos) : rien ne lui est envoyé."
)
T_ATTENDED = N_("C'est noté : {name} est venu(e).")
T_MISSED = N_(
    "C'est noté : {name} n'est pas venu(e). Relais lui écrit gentiment pour proposer un autre "
    "rendez-vous."
)
T_ALREADY_MARKED = N_("C'est déjà noté : {state}.")
T_CORRECTED = N_("C'est corrigé : {state}.")
B_CONFIRM_CANCEL = N_("❌ Oui, annuler")
B_KEEP = N_("Non, le garder")


@router.button("ad", Need.VOLUNTEER, about=desk_view.appointment_person)
async def screen(ctx: Ctx, call: Call) -> None:
    """One appointment and what can be done with it."""
    appointment = await desk_view.read(ctx, call)
    if appointment is not None:
        await desk_view.show_screen(ctx, appointment, call.who)


@router.button("ak", Need.VOLUNTEER, about=desk_view.appointment_person)
async def cancel(ctx: Ctx, call: Call) -> None:
    """ "Annuler": asked once more, with the version being cancelled."""
    appointment = await desk_view.read(ctx, call)
    if appointment is None or not await desk_view.still_open(ctx, appointment, call.who):
        return
    t = ctx.t
    text = t.gettext(
        T_CANCEL_ASK,
        name=call.who.name,
        when=shown.when(t, appointment.starts_at, ctx.world.tz),
    )
    rows = (
        (
            Button(t.gettext(B_CONFIRM_CANCEL), build("aky", appointment.id, appointment.version)),
            Button(t.gettext(B_KEEP), build("ad", appointment.id)),
        ),
    )
    ctx.show(Message(text, rows, rtl=t.rtl))


@router.button("aky", Need.VOLUNTEER, args=(Arg.ID, Arg.ID), about=desk_view.appointment_person)
async def cancelled(ctx: Ctx, call: Call) -> None:
    """ "Oui, annuler": cancelled if still as it was shown; the person is told (quiet hours
    hold it) and its reminders go."""
    appointment = await desk_view.read(ctx, call)
    if appointment is None:
        return
    ended = None
    if appointment.ahead(ctx.now):
        ended = await ctx.tx.end_appointment(appointment.id, "cancelled", call.id(1))
    if ended is None:
        current = await ctx.tx.appointment(appointment.id) or appointment
        if current.state == "planned" and current.version != call.id(1):
            ctx.say(T_CHANGED_MEANWHILE)
            await desk_view.show_screen(ctx, current, call.who)
        else:
            await desk_view.still_open(ctx, current, call.who)
        return
    told = await lifecycle.ended(ctx.tx, ended, ctx.world.centre(ended.centre), tell=True)
    t = ctx.t
    lines = [t.gettext(T_CANCELLED if told else T_CANCELLED_UNTOLD, name=call.who.name)]
    if told and desk_view.unreachable(call.who):
        lines.append(t.gettext(T_UNREACHABLE, name=call.who.name))
    elif told:
        due = ctx.config.quiet.next_allowed(ctx.now, ctx.world.tz)
        if due > ctx.now:
            lines.append(t.gettext(T_TOLD_CHANGE_LATER, at=desk_view.at(ctx, due)))
    ctx.show(Message("\n".join(lines), desk_view.after_rows(ctx, ended), rtl=t.rtl))


async def _attendance(ctx: Ctx, call: Call, state: str) -> None:
    """Came ("attended") or not ("missed"), from its start on; the other one pressed after
    a first tap corrects it."""
    appointment = await desk_view.read(ctx, call)
    if appointment is None:
        return
    t, who = ctx.t, call.who
    if appointment.state == "cancelled":
        ctx.say(T_ALREADY_CANCELLED)
        await desk_view.show_screen(ctx, appointment, who)
        return
    if appointment.state == state:
        ctx.say(T_ALREADY_MARKED, state=shown.state(t, appointment))
        await desk_view.show_screen(ctx, appointment, who)
        return
    if appointment.ahead(ctx.now):
        at = appointment.starts_at.astimezone(ctx.world.tz)
        ctx.say(T_NOT_YET, at=desk_view.at(ctx, at))
        await desk_view.show_screen(ctx, appointment, who)
        return
    if appointment.state == "planned":
        ended = await ctx.tx.end_appointment(appointment.id, state)
        said = T_ATTENDED if state == "attended" else T_MISSED
    else:
        ended = await ctx.tx.correct_attendance(appointment.id, state)
        said = T_CORRECTED
    if ended is None:  # marked by someone else between the read and the write
        current = await ctx.tx.appointment(appointment.id) or appointment
        ctx.say(T_ALREADY_MARKED, state=shown.state(t, current))
        await desk_view.show_screen(ctx, current, who)
        return
    # the missed message (and only it) follows what is marked now
    await lifecycle.ended(ctx.tx, ended, ctx.world.centre(ended.centre), tell=False)
    ctx.say(said, name=who.name, state=shown.state(t, ended))
    await desk_view.show_screen(ctx, ended, who)


@router.button("aa", Need.VOLUNTEER, about=desk_view.appointment_person)
async def attended(ctx: Ctx, call: Call) -> None:
    """ "Venu(e)"."""
    await _attendance(ctx, call, "attended")


@router.button("ax", Need.VOLUNTEER, about=desk_view.appointment_person)
async def missed(ctx: Ctx, call: Call) -> None:
    """ "Pas venu(e)": the person gets a kind message offering another appointment."""
    await _attendance(ctx, call, "missed")
