"""Statistics for coordinators: `/stats` shows a centre's figures for a period, with a button
for the same figures in CSV (the file is made when sent, from the figures then)."""

from __future__ import annotations

from datetime import date

from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk import stats
from bot.desk.buttons import Arg, build
from bot.desk.context import Call, Ctx
from bot.desk.router import Need, Router

router = Router("statistics")

T_STATS_USAGE = N_("Écrivez /stats, ou /stats 2026-01-01 2026-06-30 pour une période.")
B_CSV = N_("Exporter en CSV")
T_CSV = N_("Les chiffres en CSV :")


def _period(words: list[str], today: date) -> tuple[date, date] | None:
    """From January 1st to today, or the dates written (end: today by default)."""
    if not words:
        return date(today.year, 1, 1), today
    try:
        days = [date.fromisoformat(a) for a in words[:2]]
    except ValueError:
        return None
    start, end = days[0], days[1] if len(days) > 1 else today
    return (start, end) if start <= end else None


@router.command(
    "stats",
    Need.COORDINATOR,
    menu=N_("Les résultats du centre"),
    order=40,
    button=N_("📊 Statistiques"),
)
async def figures(ctx: Ctx, call: Call) -> None:
    """`/stats [from [to]]`: the figures of the centres this person coordinates."""
    period = _period(call.words, ctx.today)
    if period is None:
        ctx.say(T_STATS_USAGE)
        return
    # a long read at 100,000 people: made beside the writer (bot.storage.long_reads)
    found = await ctx.long_read(stats.Figures(ctx.coordinated, *period))
    text = stats.format_text(found, ctx.t, {c.id: c.name for c in ctx.centres})
    start, end = period
    rows = ((Button(ctx.t.gettext(B_CSV), build("sc", start, end)),),)
    ctx.show(Message(text, rows, rtl=ctx.t.rtl))


@router.button("sc", Need.COORDINATOR, args=(Arg.DAY, Arg.DAY))
async def as_csv(ctx: Ctx, call: Call) -> None:
    """The same figures as a CSV file."""
    document = f"stats_csv:{call.day(0)}:{call.day(1)}"
    ctx.show(Message(ctx.t.gettext(T_CSV), rtl=ctx.t.rtl, document=document))
