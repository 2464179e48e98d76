"""The team of a centre on the desk: coordinators see it and take access back (`/team`).

A coordinator sees and removes the volunteers of the centres they coordinate; an admin sees
every centre's team and removes anyone but themselves and the admins of the configuration
(another coordinator is removed by an admin only). Removing revokes the person's roles at
once: they are told, their app menu goes back to a beneficiary's, and from then on they get
the answers anyone gets. Buttons carry "V:t<x>:<person id>" and every press checks again.
Team members are not the centre's beneficiaries: this capability finds them itself, with one
answer for someone unknown and someone outside one's teams.
"""

from __future__ import annotations

from bot.core.domain import Button, Effect, Message
from bot.core.i18n import N_, Translator
from bot.core.ids import parse_id
from bot.desk import about
from bot.desk.buttons import build
from bot.desk.context import Call, Ctx
from bot.desk.domain import ROLE_LABELS, Access, TeamMember, person_name
from bot.desk.notices import notify
from bot.desk.router import Need, Router

router = Router("team")

T_TEAM_HEAD = N_("L'équipe de {centre} :")
T_TEAM_LINE = N_("{name} (n° {id}) – {role}")
T_TEAM_LINE_UNNAMED = N_("{name} – {role}")  # the name is already "Personne n° 12"
T_TEAM_EMPTY = N_("Personne dans cette équipe pour l'instant.")
T_TEAM_HINT = N_("Pour retirer quelqu'un : le bouton « Retirer », ou /team remove <n°>.")
B_REMOVE = N_("Retirer {name}")
T_TEAM_USAGE = N_("Écrivez /team pour voir l'équipe, ou /team remove <n°> pour retirer quelqu'un.")
T_TEAM_NOT_FOUND = N_("Je ne trouve pas cette personne dans votre équipe.")
T_TEAM_SELF = N_("Vous ne pouvez pas vous retirer vous-même. Demandez à un admin.")
T_TEAM_ADMIN = N_("Cette personne est admin : ses droits viennent de la configuration de Relais.")
T_TEAM_COORDINATOR = N_("Seul un admin peut retirer un coordinateur ou une coordinatrice.")
T_REMOVE_ASK = N_(
    "Retirer {name} de l'équipe de {centres} ?\n"
    "Cette personne ne verra plus les personnes suivies ni leurs demandes."
)
B_REMOVE_YES = N_("Oui, retirer")
B_REMOVE_NO = N_("Non")
T_REMOVED = N_("C'est fait : {name} ne fait plus partie de l'équipe de {centres}.")
T_REMOVE_CANCELLED = N_("D'accord, rien ne change.")
T_REMOVED_NOTICE = N_(
    "Vous ne faites plus partie de l'équipe de {centres}. "
    "Vous ne voyez plus les personnes suivies. Merci pour votre aide !"
)


@router.command(
    "team", Need.COORDINATOR, menu=N_("L'équipe du centre"), order=50, button=N_("🤝 Équipe")
)
async def team(ctx: Ctx, call: Call) -> None:
    """`/team` lists the teams; `/team remove <n°>` asks to confirm a removal."""
    words = call.words
    if not words:
        await _list(ctx)
        return
    removing = len(words) == 2 and words[0] == "remove"
    person_id = parse_id(words[1].lstrip("n°#")) if removing else None
    if person_id is None:
        ctx.say(T_TEAM_USAGE)
        return
    await _ask(ctx, person_id)


@router.button("tr", Need.COORDINATOR)
async def ask_remove(ctx: Ctx, call: Call) -> None:
    """Ask to confirm a removal ("Retirer …")."""
    await _ask(ctx, call.id(0))


@router.button("ty", Need.COORDINATOR)
async def remove(ctx: Ctx, call: Call) -> None:
    """Confirmed ("Oui, retirer"): the person's roles in one's centres are taken back."""
    ctx.out.echo = ctx.t.gettext(B_REMOVE_YES)
    await _remove(ctx, call.id(0))


@router.button("tn", Need.COORDINATOR)
async def keep(ctx: Ctx, call: Call) -> None:
    """Not confirmed ("Non"): nothing changes."""
    ctx.out.echo = ctx.t.gettext(B_REMOVE_NO)
    ctx.say(T_REMOVE_CANCELLED)


# -- the list --------------------------------------------------------------------------------


async def _list(ctx: Ctx) -> None:
    """One message: each centre's team, then a "Retirer" button per person one may remove
    (once, even when they belong to two of one's centres)."""
    t, centres = ctx.t, ctx.coordinated
    members = await ctx.tx.team_members(centres)
    blocks: list[str] = []
    buttons: dict[int, Button] = {}
    for centre in centres:
        lines = [t.gettext(T_TEAM_HEAD, centre=ctx.centre_name(centre))]
        team = [m for m in members if m.centre == centre]
        for member in team:
            about.shown(member.person_id)  # the list names them: erased with any of them
            name = _name(member, t)
            role = t.gettext(ROLE_LABELS.get(member.role, member.role))
            named = member.first_name or member.last_name
            line = T_TEAM_LINE if named else T_TEAM_LINE_UNNAMED
            lines.append(t.gettext(line, name=name, id=member.person_id, role=role))
            if _may_remove(ctx, member) is None:
                label = t.gettext(B_REMOVE, name=name)[:60]
                buttons[member.person_id] = Button(label, build("tr", member.person_id))
        if not team:
            lines.append(t.gettext(T_TEAM_EMPTY))
        blocks.append("\n".join(lines))
    if buttons:
        blocks.append(t.gettext(T_TEAM_HINT))
    rows = tuple((button,) for button in buttons.values())
    ctx.show(Message("\n\n".join(blocks), rows, rtl=t.rtl))


# -- removing someone ------------------------------------------------------------------------


def _may_remove(ctx: Ctx, member: TeamMember) -> str | None:
    """Why this role cannot be taken back by this person (None: it can)."""
    access: Access = ctx.access
    if member.person_id == access.person_id:
        return T_TEAM_SELF
    if member.external_id in ctx.config.admins:
        return T_TEAM_ADMIN
    if member.role == "coordinator" and not access.admin:
        return T_TEAM_COORDINATOR
    return None if access.coordinates(member.centre) else T_TEAM_NOT_FOUND


async def _target(ctx: Ctx, person_id: int) -> tuple[str, tuple[str, ...]] | None:
    """(name, centres to remove them from), or None after saying why not."""
    roles = [m for m in await ctx.tx.team_members(ctx.coordinated) if m.person_id == person_id]
    if not roles:
        ctx.say(T_TEAM_NOT_FOUND)  # the same for unknown and outside one's centres
        return None
    reasons = [_may_remove(ctx, m) for m in roles]
    centres = tuple(m.centre for m, why in zip(roles, reasons, strict=True) if why is None)
    if not centres:
        ctx.say(next(why for why in reasons if why is not None))
        return None
    return _name(roles[0], ctx.t), centres


async def _ask(ctx: Ctx, person_id: int) -> None:
    target = await _target(ctx, person_id)
    if target is None:
        return
    name, centres = target
    t = ctx.t
    text = t.gettext(T_REMOVE_ASK, name=name, centres=_names(ctx, centres))
    rows = (
        (
            Button(t.gettext(B_REMOVE_YES), build("ty", person_id)),
            Button(t.gettext(B_REMOVE_NO), build("tn", person_id)),
        ),
    )
    ctx.show(Message(text, rows, rtl=t.rtl))


async def _remove(ctx: Ctx, person_id: int) -> None:
    target = await _target(ctx, person_id)
    if target is None:
        return
    gone = await ctx.tx.person_by_id(person_id)
    if gone is None:
        ctx.say(T_TEAM_NOT_FOUND)
        return
    name, centres = target
    tx = ctx.tx
    await tx.revoke_roles(person_id, centres)
    await tx.audit(ctx.access.person_id, person_id, "team_removed")
    remaining = await tx.roles_of(person_id)
    if not remaining:
        await tx.drop_pending_notices(person_id)
    # what was already queued for them about people they no longer see is not sent
    await tx.drop_queued_about_unseen(person_id)
    await notify(tx, gone, T_REMOVED_NOTICE, centres=_names(ctx, centres))
    ctx.say(T_REMOVED, name=name, centres=_names(ctx, centres))
    # their app menu shows only the commands they still have (a beneficiary's when none);
    # "chat" and "channel" say whose menu it is: not the coordinator's
    menu = {
        "commands": ctx.menu_for(remaining),
        "locale": gone.locale or "",
        "chat": gone.external_id,
        "channel": gone.channel,
    }
    ctx.out.effects.append(Effect("team_commands", menu))


def _names(ctx: Ctx, centres: tuple[str, ...]) -> str:
    return ", ".join(ctx.centre_name(c) for c in centres)


def _name(member: TeamMember, t: Translator) -> str:
    return person_name(member.first_name, member.last_name, member.person_id, t)
