"""Invitations: a coordinator invites a volunteer (an admin, a coordinator) with a one-time
code; whoever sends the code joins the centre's team, and is told when people of the centre
wait for a volunteer. Joining is open to everyone: the code is the proof, and wrong codes are
limited per hour so that codes cannot be guessed."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.domain import Button, Effect, EventKind, Inbound, Message
from bot.core.i18n import N_
from bot.desk.buttons import Arg, build
from bot.desk.context import T_NOT_ALLOWED, Call, Ctx
from bot.desk.domain import ROLE_LABELS, code_hash, new_code, normalise_code
from bot.desk.router import Need, Router
from bot.storage.database import Tx, to_text

router = Router("invitations")

JOIN_ATTEMPTS = 5  # wrong codes allowed per hour: codes cannot be guessed by trying
T_JOIN_UNKNOWN = N_("Ce code ne marche pas. Vérifiez-le, ou demandez un nouveau code.")
T_JOIN_USED = N_("Ce code a déjà servi : il ne marche qu'une fois. Demandez un nouveau code.")
T_JOIN_EXPIRED = N_("Ce code a expiré. Demandez un nouveau code.")
T_JOIN_LOCKED = N_("Trop d'essais. Réessayez dans une heure.")
T_JOINED = N_(
    "Bienvenue dans l'équipe de {centre} !\n"
    "/people : les personnes suivies\n/person <n°> : ouvrir une fiche"
)
T_JOINED_COORDINATOR = N_(
    "Vous coordonnez {centre}.\n/invite : inviter un bénévole\n/stats : les résultats du centre\n"
    "/team : l'équipe du centre"
)
T_WAITING_JOINED = N_(
    "Des personnes de {centre} attendent qu'un bénévole leur écrive (demandes en attente : {n})."
    " Pour les voir : « 🙋 Demandes en attente » dans votre menu, ou /requests."
)
T_INVITE = N_(
    "Code d'invitation pour {centre} ({role}) :\n{code}\n"
    "Il marche une fois, jusqu'au {date}. La personne l'envoie au bot."
)
T_INVITE_LINK = N_("Ou elle ouvre ce lien : {link}")
T_INVITE_WHICH = N_("Pour quel centre ?")
T_ONLY_ADMINS_INVITE_COORDINATORS = N_(
    "Seuls les administrateurs peuvent inviter un coordinateur ou une coordinatrice."
)
T_INVITE_USAGE = N_("Écrivez /invite <centre> ou /invite <centre> coordinator. Centres : {centres}")


# -- joining ---------------------------------------------------------------------------------


def code_in(event: Inbound) -> str | None:
    """The invitation code an event carries ("" for /join without a valid one; None: none)."""
    if event.kind == EventKind.COMMAND and event.command in ("join", "start") and event.text:
        return normalise_code(event.text) or ("" if event.command == "join" else None)
    if event.kind == EventKind.COMMAND and event.command == "join":
        return ""
    if event.kind == EventKind.TEXT:
        return normalise_code(event.text)
    return None


async def join(ctx: Ctx, code: str) -> None:
    """Redeem a code: the person joins the team, and their app menu gets the desk commands."""
    desk, now, t = ctx.state.session.desk, ctx.now, ctx.t
    window_start = desk.get("fails_since", "")
    if not window_start or datetime.fromisoformat(window_start) < now - timedelta(hours=1):
        desk["fails_since"], desk["fails"] = now.isoformat(), 0
    if desk.get("fails", 0) >= JOIN_ATTEMPTS:
        ctx.say(T_JOIN_LOCKED)
        return
    person_id = ctx.state.person.id
    assert person_id is not None
    result = await ctx.tx.redeem_invite(code_hash(code), person_id) if code else "unknown"
    if isinstance(result, str):
        if result == "unknown":  # only wrong codes count: guessing is what we slow down
            desk["fails"] = desk.get("fails", 0) + 1
        ctx.say({"used": T_JOIN_USED, "expired": T_JOIN_EXPIRED}.get(result, T_JOIN_UNKNOWN))
        return
    desk.pop("fails", None)
    desk.pop("fails_since", None)
    centre, role = result
    name = ctx.centre_name(centre)
    text = t.gettext(T_JOINED, centre=name)
    if role == "coordinator":
        text += "\n" + t.gettext(T_JOINED_COORDINATOR, centre=name)
    names = ctx.menu_for(await ctx.tx.roles_of(person_id))
    waiting = await ctx.tx.waiting_help_count((centre,))
    if waiting:
        # requests made before anyone was there waited: the newcomer is told where they are
        # (words, not a button: a question may be waiting for a typed "1" on some channels)
        text += "\n\n" + t.gettext(T_WAITING_JOINED, centre=name, n=waiting)
    ctx.show(Message(text, rtl=t.rtl))
    locale = ctx.state.person.locale or ""
    ctx.out.effects.append(Effect("team_commands", {"commands": names, "locale": locale}))


# -- inviting --------------------------------------------------------------------------------


@router.command(
    "invite", Need.COORDINATOR, menu=N_("Inviter un bénévole"), order=30, button=N_("✉️ Inviter")
)
async def invite_command(ctx: Ctx, call: Call) -> None:
    """`/invite`, `/invite <centre>`, `/invite <centre> coordinator`."""
    words, allowed = call.words, ctx.coordinated
    role = "coordinator" if len(words) > 1 and words[1] == "coordinator" else "volunteer"
    if words:
        await invite(ctx, words[0], role)
    elif len(allowed) == 1:
        await invite(ctx, allowed[0], role)
    else:
        rows = tuple((Button(ctx.centre_name(c), build("iv", c, "volunteer")),) for c in allowed)
        ctx.show(Message(ctx.t.gettext(T_INVITE_WHICH), rows, rtl=ctx.t.rtl))


@router.button("iv", Need.COORDINATOR, args=(Arg.WORD, Arg.WORD))
async def invite_button(ctx: Ctx, call: Call) -> None:
    """A centre chosen for an invitation."""
    await invite(ctx, call.word(0), call.word(1))


async def invite(ctx: Ctx, centre: str, role: str) -> None:
    """A code for a centre: coordinators invite volunteers of their centres; only admins
    invite coordinators."""
    if centre not in ctx.active or role not in ROLE_LABELS:
        ctx.say(T_INVITE_USAGE, centres=", ".join(ctx.coordinated))
        return
    if not ctx.access.coordinates(centre):
        ctx.say(T_NOT_ALLOWED)
        return
    if role == "coordinator" and not ctx.access.admin:
        ctx.say(T_ONLY_ADMINS_INVITE_COORDINATORS)
        return
    code, expires = await create_invitation(
        ctx.tx, centre, role, ctx.access.person_id, ctx.now, ctx.config.invite_days
    )
    t = ctx.t
    text = t.gettext(
        T_INVITE,
        centre=ctx.centre_name(centre),
        role=t.gettext(ROLE_LABELS[role]),
        code=code,
        date=t.datetime(expires),
    )
    if ctx.bot_username:
        link = f"https://t.me/{ctx.bot_username}?start={code}"
        text += "\n" + t.gettext(T_INVITE_LINK, link=link)
    # only the code's hash may be kept: the outbox deletes this message once sent
    ctx.show(Message(text, rtl=t.rtl, sensitive=True))


async def create_invitation(
    tx: Tx, centre: str, role: str, created_by: int | None, now: datetime, days: int
) -> tuple[str, datetime]:
    """A new one-time code for a centre, and when it expires."""
    code = new_code()
    expires = now + timedelta(days=days)
    await tx.create_invite(code_hash(code), centre, role, created_by, to_text(expires))
    return code, expires
