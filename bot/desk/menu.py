"""The volunteer menu: a team member's commands as buttons, two to a row, for a phone.

A volunteer, coordinator or admin sees it instead of the beneficiaries' onboarding and menu:
at /start, /menu, after choosing a language, when typing something outside any question, and
after a restart. Each capability puts its command there by registering it with a `button`
label; pressing it runs the command as if typed without words (the role checked again).
"""

from __future__ import annotations

from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import Arg, build
from bot.desk.context import Call, Ctx
from bot.desk.router import Need, Router

router = Router("menu")

PER_ROW = 2  # two short labels fit a phone's width
T_DESK_MENU = N_("Espace bénévole. Que voulez-vous faire ?")
B_HELP = N_("❓ Aide")
T_DESK_HELP = N_("Vos commandes de bénévole :")
T_DESK_HELP_END = N_(
    "/menu : ce menu\n/language : changer de langue\n/cancel : quitter ce que vous écrivez"
)


async def show(ctx: Ctx) -> None:
    """The menu: a line on the requests waiting, then a button per command of one's role."""
    t = ctx.t
    lines = [t.gettext(T_DESK_MENU)]
    waiting = await ctx.tx.waiting_help_count(ctx.access.centres(ctx.active))
    if waiting:
        lines.append(
            t.ngettext(
                "🙋 {n} demande attend un bénévole.",
                "🙋 {n} demandes attendent un bénévole.",
                waiting,
            )
        )
    labels = [
        Button(t.gettext(entry.button), build("mc", entry.name))
        for entry in ctx.entries()
        if entry.button
    ]
    labels.append(Button(t.gettext(B_HELP), build("mh")))
    rows = tuple(tuple(labels[i : i + PER_ROW]) for i in range(0, len(labels), PER_ROW))
    ctx.show(Message("\n".join(lines), rows, rtl=t.rtl))


@router.button("mc", Need.VOLUNTEER, args=(Arg.WORD,))
async def run(ctx: Ctx, call: Call) -> None:
    """A command's button: the command runs as if typed alone."""
    await ctx.then_run(call.word(0))


@router.button("mh", Need.VOLUNTEER, args=())
async def help_lines(ctx: Ctx, call: Call) -> None:
    """ "Aide": each command of one's role with what it does, then the menu again."""
    ctx.show(help_message(ctx))
    await show(ctx)


def help_message(ctx: Ctx) -> Message:
    """The commands this person may type, each with what it does."""
    t = ctx.t
    lines = [t.gettext(T_DESK_HELP)]
    lines += [f"/{e.name} : {t.gettext(e.description)}" for e in ctx.entries() if e.description]
    lines.append(t.gettext(T_DESK_HELP_END))
    return Message("\n".join(lines), rtl=t.rtl)
