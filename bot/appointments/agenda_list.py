"""`/agenda` on the volunteers' side ("ag" for its pages): the appointments to come of one's
centres, how many in the next 7 days, and those past their start still to be marked (came or
not), each with a button to its screen ("ad", appointment_screen.py). The morning agenda sent
to volunteers is agenda.py's.
"""

from __future__ import annotations

from datetime import timedelta

from bot.appointments import shown
from bot.appointments.domain import Appointment
from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import Arg, build, page_rows
from bot.desk.context import Call, Ctx, Subject
from bot.desk.router import Need, Router

router = Router("agenda_list")

PAGE_SIZE = 8
WEEK = timedelta(days=7)
# how far back appointments still to be marked (came or not) are listed in the agenda
TO_MARK_DAYS = 30
FAR = timedelta(days=3660)  # "every appointment to come"

T_AGENDA_HEAD = N_("📅 Agenda – {centres}")
T_AGENDA_WEEK = N_("Dans les 7 prochains jours : {n}")
T_TO_MARK = N_("À noter (venu ou pas) :")
T_UPCOMING = N_("À venir (page {page}) :")
T_AGENDA_EMPTY = N_("Pas de rendez-vous à venir.")
B_PREV = N_("◀ Précédents")
B_NEXT = N_("Suivants ▶")


@router.command(
    "agenda",
    Need.VOLUNTEER,
    menu=N_("Les rendez-vous à venir"),
    order=15,
    button=N_("📅 Agenda"),
)
async def agenda(ctx: Ctx, call: Call) -> None:
    """`/agenda`: the appointments to come at one's centres, and those to mark."""
    await show_agenda(ctx, 0)


@router.button("ag", Need.VOLUNTEER, args=(Arg.ID,))
async def agenda_page(ctx: Ctx, call: Call) -> None:
    """A page of the agenda."""
    await show_agenda(ctx, call.id(0))


async def _named(ctx: Ctx, found: list[Appointment]) -> list[tuple[Appointment, Subject]]:
    """The appointments whose person this volunteer sees now, with them (moved away or erased
    since: left out)."""
    named = []
    for appointment in found:
        who = await ctx.subject(appointment.person_id)
        if who is not None:
            named.append((appointment, who))
    return named


async def show_agenda(ctx: Ctx, page: int) -> None:
    """The agenda: how many in the next 7 days, those past their start still to mark (first
    page), then a page of those to come, soonest first, each with a button to open it."""
    t, zone, now = ctx.t, ctx.world.tz, ctx.now
    centres = ctx.access.centres(ctx.active)
    page = min(page, 10_000)  # a forged page number costs nothing
    week = await ctx.tx.agenda(centres, now, now + WEEK)
    upcoming = await ctx.tx.agenda(centres, now, now + FAR, limit=(page + 1) * PAGE_SIZE + 1)
    more = len(upcoming) > (page + 1) * PAGE_SIZE
    shown_now = await _named(ctx, upcoming[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    names = ", ".join(c.name for c in ctx.centres if c.id in centres)
    lines = [
        t.gettext(T_AGENDA_HEAD, centres=names),
        t.gettext(T_AGENDA_WEEK, n=t.number(len(week))),
    ]
    rows: list[tuple[Button, ...]] = []
    if page == 0:
        since = now - timedelta(days=TO_MARK_DAYS)
        to_mark = await _named(ctx, await ctx.tx.agenda(centres, since, now, limit=PAGE_SIZE))
        if to_mark:
            lines += ["", t.gettext(T_TO_MARK)]
            for appointment, who in to_mark:
                lines.append(shown.line(t, appointment, who.name, zone))
                rows.append((_open_button(ctx, appointment, who),))
    lines += ["", t.gettext(T_UPCOMING, page=page + 1)]
    if not shown_now:
        lines.append(t.gettext(T_AGENDA_EMPTY))
    for appointment, who in shown_now:
        lines.append(shown.line(t, appointment, who.name, zone))
        rows.append((_open_button(ctx, appointment, who),))
    rows += page_rows((t.gettext(B_PREV), t.gettext(B_NEXT)), page, more, "ag")
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl))


def _open_button(ctx: Ctx, appointment: Appointment, who: Subject) -> Button:
    label = f"{shown.short_when(ctx.t, appointment.starts_at, ctx.world.tz)} · {who.name}"
    return Button(label[:60], build("ad", appointment.id))
