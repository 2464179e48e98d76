"""The desk's registry, as aiogram's routers: each capability makes a `Router`, registers its
commands, buttons and desk flows on it with the role they need, and the `Registry` of all the
routers answers an event.

For every press or command the registry checks the role; for a route that is about a person
(`about=`) it reads the id, finds the person and answers "not among your centre's people"
the same way for one who does not exist and one outside the volunteer's centres. A button it
does not know, or that is not this person's to press, gets the stale-button answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, TypeVar

from bot.core.i18n import N_
from bot.core.turn.texts import T_STALE
from bot.desk import buttons
from bot.desk.buttons import Arg
from bot.desk.context import T_NOT_ALLOWED, T_NOT_FOUND, T_SELF, Call, Ctx, MenuEntry, Subject
from bot.desk.domain import Access, Role
from bot.flows.model import FlowError, FlowSet


class Need(IntEnum):
    """The role a route needs; each includes the ones below it."""

    VOLUNTEER = 1  # any role in a centre
    COORDINATOR = 2  # coordinates an active centre
    ADMIN = 3  # named in the configuration


# what a team member is told when a command needs a role they do not have (beneficiaries get
# the engine's "unknown command": the desk's commands are not revealed to them)
REFUSALS = {
    Need.COORDINATOR: N_("Cette commande est réservée aux coordinateurs de centre."),
    Need.ADMIN: N_("Cette commande est réservée aux administrateurs."),
}


def level(access: Access, active: tuple[str, ...]) -> Need | None:
    """What this person may do now (None: nothing on the desk)."""
    if access.admin:
        return Need.ADMIN
    if any(access.coordinates(c) for c in active):
        return Need.COORDINATOR
    return Need.VOLUNTEER if access.is_team else None


def menu_level(roles: tuple[Role, ...]) -> Need | None:
    """The level whose commands someone's app menu shows (admins come from the configuration:
    their menu is their roles')."""
    if any(r.role == "coordinator" for r in roles):
        return Need.COORDINATOR
    return Need.VOLUNTEER if roles else None


R = TypeVar("R")
Handler = Callable[[Ctx, Call], Awaitable[None]]
# from an id carried by a button to the person it is about (None: nothing this volunteer sees)
Finder = Callable[[Ctx, int], Awaitable[int | None]]


async def person(ctx: Ctx, person_id: int) -> int | None:
    """The finder of buttons that carry the person's own id."""
    return person_id


@dataclass(frozen=True)
class CommandRoute:
    """A /command of the desk."""

    name: str
    need: Need
    handler: Handler
    menu: str = ""  # its line in the app's menu (a msgid); "" keeps it out of the menu
    order: int = 50
    button: str = ""  # its short label on the volunteer menu (a msgid); "": not there


@dataclass(frozen=True)
class ButtonRoute:
    """A desk button: its verb, the role it needs, what its arguments are and who it is about
    (the first argument, an id, through `about`)."""

    verb: str
    need: Need
    handler: Handler
    args: tuple[Arg, ...] = (Arg.ID,)
    about: Finder | None = None


@dataclass(frozen=True)
class FlowRoute:
    """A desk flow (role = "desk") and what applies its answers when it ends."""

    flow: str
    need: Need
    handler: Handler
    # about a person of the volunteer's centres (its "subject"); False: about no one (a job
    # offer), the handler checks what the answers are about
    person: bool = True


class Router:
    """One capability's routes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.commands: list[CommandRoute] = []
        self.buttons: list[ButtonRoute] = []
        self.flows: list[FlowRoute] = []

    def command(
        self, name: str, need: Need, menu: str = "", order: int = 50, button: str = ""
    ) -> Callable[[Handler], Handler]:
        """Register a /command (menu: its description in the app's menu; button: its label on
        the volunteer menu, which runs it without words)."""
        if button and not buttons.WORD.match(name):
            raise ValueError(f"{self.name}: command {name!r} cannot be a menu button")

        def register(handler: Handler) -> Handler:
            self.commands.append(CommandRoute(name, need, handler, menu, order, button))
            return handler

        return register

    def button(
        self, verb: str, need: Need, args: tuple[Arg, ...] = (Arg.ID,), about: Finder | None = None
    ) -> Callable[[Handler], Handler]:
        """Register a button verb (about: the finder of the person its first id is about)."""
        if not buttons.VERB.match(verb):
            raise ValueError(f"{self.name}: button verb {verb!r}: 1 to 3 letters a-z")
        if about is not None and (not args or args[0] != Arg.ID):
            raise ValueError(f"{self.name}: button {verb!r} is about a person: first arg an id")

        def register(handler: Handler) -> Handler:
            self.buttons.append(ButtonRoute(verb, need, handler, args, about))
            return handler

        return register

    def flow(self, flow_id: str, need: Need, person: bool = True) -> Callable[[Handler], Handler]:
        """Register what applies a desk flow's answers (the call carries its subject; with
        person=False the flow is about no one and the call has none)."""

        def register(handler: Handler) -> Handler:
            self.flows.append(FlowRoute(flow_id, need, handler, person))
            return handler

        return register


class Registry:
    """Every capability's routes, checked together; answers desk events."""

    def __init__(self, routers: Iterable[Router]) -> None:
        self.commands: dict[str, CommandRoute] = {}
        self.buttons: dict[str, ButtonRoute] = {}
        self.flows: dict[str, FlowRoute] = {}
        for router in routers:
            for command in router.commands:
                _add(self.commands, command.name, command, router)
            for button in router.buttons:
                _add(self.buttons, button.verb, button, router)
            for flow in router.flows:
                _add(self.flows, flow.flow, flow, router)

    def check_flows(self, flows: FlowSet) -> None:
        """Every desk flow a capability applies exists, with role = "desk"."""
        for name in self.flows:
            if flows.desk_flow(name) is None:
                raise FlowError(f"{name}.toml", 'a desk capability needs this flow, role = "desk"')

    # -- the app's menu --------------------------------------------------------------------

    def menu_texts(self) -> dict[str, str]:
        """Every command shown in menus and its description (msgid), in menu order."""
        shown = sorted((c for c in self.commands.values() if c.menu), key=lambda c: c.order)
        return {c.name: c.menu for c in shown}

    def menu(self, roles: tuple[Role, ...]) -> list[str]:
        """The desk commands of a person's app menu for their roles (none: a beneficiary's)."""
        need = menu_level(roles)
        texts = self.menu_texts()
        return [n for n in texts if need is not None and self.commands[n].need <= need]

    def entries(self, access: Access, active: tuple[str, ...]) -> list[MenuEntry]:
        """The desk commands this person may run now, in menu order, with what each does
        (admins included: their level comes from the configuration)."""
        found = level(access, active)
        return [
            MenuEntry(c.name, c.menu, c.button)
            for c in sorted(self.commands.values(), key=lambda c: c.order)
            if found is not None and c.need <= found and (c.menu or c.button)
        ]

    # -- answering -------------------------------------------------------------------------

    def _wire(self, ctx: Ctx) -> None:
        """What a handler may go on with: another press, another command (checked the same)."""
        ctx.press = lambda data: self.button(ctx, data)
        ctx.run = lambda name: self.command(ctx, name, "")

    async def command(self, ctx: Ctx, name: str, text: str) -> None:
        """Run a desk command; refused with the role it needs when this person lacks it."""
        route = self.commands.get(name)
        if route is None:
            ctx.stale()
            return
        if not self._allowed(ctx, route.need):
            ctx.say(REFUSALS.get(route.need, T_NOT_ALLOWED))
            return
        self._wire(ctx)
        await route.handler(ctx, Call(text=text))

    async def button(self, ctx: Ctx, data: str) -> None:
        """Run a desk button: unknown, malformed or not this person's is a stale button."""
        self._wire(ctx)
        verb, raw = buttons.split(data)
        route = self.buttons.get(verb)
        values = buttons.read(route.args, raw) if route is not None else None
        if route is None or values is None or not self._allowed(ctx, route.need):
            ctx.say(T_STALE)
            return
        subject = None
        if route.about is not None:
            number = values[0]
            assert isinstance(number, int)
            subject = await self._subject(ctx, await route.about(ctx, number))
            if subject is None:
                return
        await route.handler(ctx, Call(args=values, subject=subject))

    async def flow_done(self, ctx: Ctx, flow: str, answers: dict[str, Any]) -> None:
        """Apply a finished desk flow, access and person checked again now."""
        route = self.flows.get(flow)
        if route is None or not self._allowed(ctx, route.need):
            ctx.say(T_NOT_ALLOWED)
            return
        if not route.person:
            self._wire(ctx)
            await route.handler(ctx, Call(answers=answers))
            return
        number = answers.get("subject")
        subject = await self._subject(ctx, number if isinstance(number, int) else None)
        if subject is not None:
            self._wire(ctx)
            await route.handler(ctx, Call(subject=subject, answers=answers))

    def about_person(self, flow: str) -> bool:
        """Whether a desk flow is about a person (its "subject"), as registered."""
        route = self.flows.get(flow)
        return route is None or route.person

    def _allowed(self, ctx: Ctx, need: Need) -> bool:
        found = level(ctx.access, ctx.active)
        return found is not None and found >= need

    async def _subject(self, ctx: Ctx, person_id: int | None) -> Subject | None:
        """The person, or None after saying why not (one answer for unknown and forbidden)."""
        if person_id is not None and person_id == ctx.access.person_id:
            ctx.say(T_SELF)
            return None
        found = await ctx.subject(person_id) if person_id is not None else None
        if found is None:
            ctx.say(T_NOT_FOUND)
        return found


def _add(table: dict[str, R], name: str, route: R, router: Router) -> None:
    """Register one route; a name taken twice is a mistake of the capabilities."""
    if name in table:
        raise ValueError(f"{router.name}: {name!r} is registered twice")
    table[name] = route
