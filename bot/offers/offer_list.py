"""`/offres` on the volunteers' side ("ol" <page> for its pages): the offers of one's centres,
drafts to vet first, then those that may be sent, then closed or expired ones, newest first;
each with its state and what came of it (sent, interested, sent to the employer, hired) and a
button to its screen ("of", offer_screen.py)."""

from __future__ import annotations

from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import Arg, build, page_rows
from bot.desk.context import Call, Ctx
from bot.desk.router import Need, Router
from bot.offers import offer_screen
from bot.storage.offer_desk import OfferLine

router = Router("offer_list")

PAGE_SIZE = 8
MAX_PAGE = 10_000  # a forged page number costs nothing

T_HEAD = N_("💼 Offres d'emploi – {centres} (page {page})")
T_EMPTY = N_("Pas encore d'offre. Écrivez /offre pour en saisir une.")
T_LINE = N_("n° {id} · {title} · {town} · {state}")
T_LINE_SENT = N_(
    "   envoyée à {sent} · intéressées {interested} · transmises {to_employer} · embauchées {hired}"
)
B_NEW = N_("➕ Nouvelle offre")
B_PREV = N_("◀ Précédentes")
B_NEXT = N_("Suivantes ▶")


@router.command(
    "offres",
    Need.VOLUNTEER,
    menu=N_("Les offres d'emploi du centre"),
    order=16,
    button=N_("💼 Offres"),
)
async def offers(ctx: Ctx, call: Call) -> None:
    """`/offres`: the offers of one's centres, first page."""
    await show_list(ctx, 0)


@router.button("ol", Need.VOLUNTEER, args=(Arg.ID,))
async def offers_page(ctx: Ctx, call: Call) -> None:
    """A page of the offers."""
    await show_list(ctx, call.id(0))


def _lines(ctx: Ctx, line: OfferLine) -> list[str]:
    t, offer, funnel = ctx.t, line.offer, line.funnel
    said = [
        t.gettext(
            T_LINE,
            id=offer.id,
            title=offer.details.title,
            town=offer.details.town,
            state=offer_screen.state_label(ctx, offer),
        )
    ]
    if funnel.sent:
        n = t.number
        said.append(
            t.gettext(
                T_LINE_SENT,
                sent=n(funnel.sent),
                interested=n(funnel.interested),
                to_employer=n(funnel.to_employer),
                hired=n(funnel.hired),
            )
        )
    return said


async def show_list(ctx: Ctx, page: int) -> None:
    """One page of the offers, each with a button to its screen."""
    t = ctx.t
    page = min(page, MAX_PAGE)
    centres = ctx.access.centres(ctx.active)
    found = await ctx.tx.offer_lines(centres, PAGE_SIZE + 1, page * PAGE_SIZE)
    more, found = len(found) > PAGE_SIZE, found[:PAGE_SIZE]
    names = ", ".join(c.name for c in ctx.centres if c.id in centres)
    lines = [t.gettext(T_HEAD, centres=names, page=page + 1), ""]
    rows: list[tuple[Button, ...]] = []
    if not found:
        lines.append(t.gettext(T_EMPTY))
    for line in found:
        lines += _lines(ctx, line)
        label = f"n° {line.offer.id} · {line.offer.details.title}"
        rows.append((Button(label[:60], build("of", line.offer.id)),))
    rows += page_rows((t.gettext(B_PREV), t.gettext(B_NEXT)), page, more, "ol")
    rows.append((Button(t.gettext(B_NEW), build("mc", "offre")),))
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl))
