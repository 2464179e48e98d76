"""The team of a centre on the desk: coordinators see it and take access back (`/team`).

A coordinator sees and removes the volunteers of the centres they coordinate; an admin sees
every centre's team and removes anyone but themselves and the admins of the configuration
(another coordinator is removed by an admin only). Removing revokes the person's roles at
once: they are told, their app menu goes back to a beneficiary's, and from then on they get
the answers anyone gets. Buttons carry "V:t<x>:<person id>" and every press checks again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.core.domain import Button, Effect, Message
from bot.core.i18n import N_, Catalogs, Translator
from bot.core.ids import parse_id
from bot.desk import about
from bot.desk.domain import Access, Role, TeamMember, person_name
from bot.desk.notices import notify
from bot.storage.database import Tx

TEAM_VERBS = ("tr", "ty", "tn")  # ask to remove, yes, no

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


@dataclass
class TeamAnswer:
    """What the team capability answers: messages, the pressed button's echo, effects."""

    messages: list[Message] = field(default_factory=list)
    echo: str | None = None
    effects: list[Effect] = field(default_factory=list)


class TeamDesk:
    """`/team` and its buttons."""

    def __init__(
        self,
        catalogs: Catalogs,
        admins: tuple[str, ...],
        centre_name: Callable[[str | None], str],
        command_names: Callable[[tuple[Role, ...]], list[str]],
        role_labels: Mapping[str, str],
    ) -> None:
        self.catalogs = catalogs
        self.admins = admins
        self.centre_name = centre_name
        self.command_names = command_names
        self.role_labels = role_labels

    async def command(
        self, tx: Tx, access: Access, args: list[str], active: tuple[str, ...], t: Translator
    ) -> TeamAnswer | None:
        """`/team` lists the teams; `/team remove <n°>` asks to confirm a removal. None: not
        allowed (the desk says so as for its other coordinator commands)."""
        if not _coordinated(access, active):
            return None
        if not args:
            return await self._list(tx, access, active, t)
        removing = len(args) == 2 and args[0] == "remove"
        person_id = parse_id(args[1].lstrip("n°#")) if removing else None
        if person_id is None:
            return _say(t, T_TEAM_USAGE)
        return await self._ask(tx, access, person_id, active, t)

    async def button(
        self,
        tx: Tx,
        access: Access,
        verb: str,
        args: list[str],
        active: tuple[str, ...],
        t: Translator,
    ) -> TeamAnswer | None:
        """A team button; None when it is not one (the desk answers as to a stale button)."""
        person_id = parse_id(args[0]) if len(args) == 1 else None
        if person_id is None or verb not in TEAM_VERBS or not _coordinated(access, active):
            return None
        if verb == "tr":
            return await self._ask(tx, access, person_id, active, t)
        if verb == "ty":
            answer = await self._remove(tx, access, person_id, active, t)
        else:
            answer = _say(t, T_REMOVE_CANCELLED)
        pressed = B_REMOVE_YES if verb == "ty" else B_REMOVE_NO
        answer.echo = t.gettext(pressed)
        return answer

    # -- the list --------------------------------------------------------------------------

    async def _list(
        self, tx: Tx, access: Access, active: tuple[str, ...], t: Translator
    ) -> TeamAnswer:
        """One message: each centre's team, then a "Retirer" button per person one may remove
        (once, even when they belong to two of one's centres)."""
        centres = _coordinated(access, active)
        members = await tx.team_members(centres)
        blocks: list[str] = []
        buttons: dict[int, Button] = {}
        for centre in centres:
            lines = [t.gettext(T_TEAM_HEAD, centre=self.centre_name(centre))]
            team = [m for m in members if m.centre == centre]
            for member in team:
                about.shown(member.person_id)  # the list names them: erased with any of them
                name = _name(member, t)
                role = t.gettext(self.role_labels.get(member.role, member.role))
                named = member.first_name or member.last_name
                line = T_TEAM_LINE if named else T_TEAM_LINE_UNNAMED
                lines.append(t.gettext(line, name=name, id=member.person_id, role=role))
                if self._may_remove(access, member) is None:
                    label = t.gettext(B_REMOVE, name=name)[:60]
                    buttons[member.person_id] = Button(label, f"V:tr:{member.person_id}")
            if not team:
                lines.append(t.gettext(T_TEAM_EMPTY))
            blocks.append("\n".join(lines))
        if buttons:
            blocks.append(t.gettext(T_TEAM_HINT))
        rows = tuple((button,) for button in buttons.values())
        return TeamAnswer([Message("\n\n".join(blocks), rows, rtl=t.rtl)])

    # -- removing someone ------------------------------------------------------------------

    def _may_remove(self, access: Access, member: TeamMember) -> str | None:
        """Why this role cannot be taken back by this person (None: it can)."""
        if member.person_id == access.person_id:
            return T_TEAM_SELF
        if member.external_id in self.admins:
            return T_TEAM_ADMIN
        if member.role == "coordinator" and not access.admin:
            return T_TEAM_COORDINATOR
        return None if access.coordinates(member.centre) else T_TEAM_NOT_FOUND

    async def _target(
        self, tx: Tx, access: Access, person_id: int, active: tuple[str, ...], t: Translator
    ) -> tuple[str, tuple[str, ...]] | TeamAnswer:
        """(name, centres to remove them from), or the answer saying why not."""
        roles = [
            m
            for m in await tx.team_members(_coordinated(access, active))
            if m.person_id == person_id
        ]
        if not roles:
            return _say(t, T_TEAM_NOT_FOUND)  # the same for unknown and outside one's centres
        reasons = [self._may_remove(access, m) for m in roles]
        centres = tuple(m.centre for m, why in zip(roles, reasons, strict=True) if why is None)
        if not centres:
            return _say(t, next(why for why in reasons if why is not None))
        return _name(roles[0], t), centres

    async def _ask(
        self, tx: Tx, access: Access, person_id: int, active: tuple[str, ...], t: Translator
    ) -> TeamAnswer:
        target = await self._target(tx, access, person_id, active, t)
        if isinstance(target, TeamAnswer):
            return target
        name, centres = target
        text = t.gettext(T_REMOVE_ASK, name=name, centres=self._names(centres))
        rows = (
            (
                Button(t.gettext(B_REMOVE_YES), f"V:ty:{person_id}"),
                Button(t.gettext(B_REMOVE_NO), f"V:tn:{person_id}"),
            ),
        )
        return TeamAnswer([Message(text, rows, rtl=t.rtl)])

    async def _remove(
        self, tx: Tx, access: Access, person_id: int, active: tuple[str, ...], t: Translator
    ) -> TeamAnswer:
        target = await self._target(tx, access, person_id, active, t)
        person = await tx.person_by_id(person_id)
        if isinstance(target, TeamAnswer) or person is None:
            return target if isinstance(target, TeamAnswer) else _say(t, T_TEAM_NOT_FOUND)
        name, centres = target
        await tx.revoke_roles(person_id, centres)
        await tx.audit(access.person_id, person_id, "team_removed")
        remaining = await tx.roles_of(person_id)
        if not remaining:
            await tx.drop_pending_notices(person_id)
        # what was already queued for them about people they no longer see is not sent
        await tx.drop_queued_about_unseen(person_id)
        await notify(tx, self.catalogs, person, T_REMOVED_NOTICE, centres=self._names(centres))
        # their app menu shows only the commands they still have (a beneficiary's when none);
        # "chat" and "channel" say whose menu it is: not the coordinator's
        menu = Effect(
            "team_commands",
            {
                "commands": self.command_names(remaining),
                "locale": person.locale or "",
                "chat": person.external_id,
                "channel": person.channel,
            },
        )
        answer = _say(t, T_REMOVED, name=name, centres=self._names(centres))
        answer.effects.append(menu)
        return answer

    def _names(self, centres: tuple[str, ...]) -> str:
        return ", ".join(self.centre_name(c) for c in centres)


def _coordinated(access: Access, active: tuple[str, ...]) -> tuple[str, ...]:
    """The active centres whose team this person manages."""
    return tuple(c for c in active if access.coordinates(c))


def _name(member: TeamMember, t: Translator) -> str:
    return person_name(member.first_name, member.last_name, member.person_id, t)


def _say(t: Translator, msgid: str, **params: object) -> TeamAnswer:
    return TeamAnswer([Message(t.gettext(msgid, **params), rtl=t.rtl)])
