"""The volunteer desk: the capabilities of the volunteer side put together, and how a desk event
runs. Joining with an invitation code is open to everyone; every other desk command and button
is answered as to anyone (unknown command, stale button: `handle` returns None) for a person
without a role. Multi-step input (a note, an outcome) runs as desk flows by the engine: the
desk opens them, gives them the person's name for each event, and applies them when they end.
"""

from __future__ import annotations

from bot.core.domain import DESK_MENU, EventKind, Inbound, Message, Person, Reply, State
from bot.core.engine import Engine
from bot.core.i18n import N_, Catalogs
from bot.core.turn.texts import T_NOT_CHANGED
from bot.core.world import World
from bot.desk import (
    about,
    audit,
    centres,
    cv_check,
    exchanges,
    help_requests,
    invitations,
    menu,
    outcomes,
    people,
    statistics,
    team,
)
from bot.desk.buttons import is_desk
from bot.desk.context import T_NOT_FOUND, Answer, Call, Ctx, DeskConfig, find_subject
from bot.desk.domain import Access, Role
from bot.desk.router import Need, Registry, Router
from bot.schedule.quiet_hours import QuietHours
from bot.storage.database import Tx

__all__ = ["TEAM_COMMANDS", "Desk", "team_command_names"]

T_CENTRE_CLOSED = N_(
    "Votre centre a fermé : vous ne voyez plus ses personnes. "
    "Pour aider dans un autre centre, demandez un code à son coordinateur."
)
T_NOTHING_TO_CANCEL = N_("Il n'y a rien à annuler.")
SHOWN_NAME = "subject_name"  # given to a desk flow for each event, never stored
LEGACY_KEYS = ("await", "person", "kind", "contract")  # a desk question before desk flows
# the beneficiaries' first steps, never a team member's (one who joined while in them leaves
# them at their next message)
NOT_FOR_TEAM = ("onboarding", "centre")

flows_router = Router("desk_flows")


@flows_router.command("cancel", Need.VOLUNTEER)
async def cancel(ctx: Ctx, call: Call) -> None:
    """`/cancel`: leave the note or outcome being written (any desk command leaves it too)."""
    ctx.say(T_NOT_CHANGED if ctx.dropped_flow else T_NOTHING_TO_CANCEL)


CAPABILITIES = (
    people.router,
    cv_check.router,
    exchanges.router,
    help_requests.router,
    outcomes.router,
    statistics.router,
    centres.router,
    audit.router,
    invitations.router,
    team.router,
    menu.router,
    flows_router,
)
REGISTRY = Registry(CAPABILITIES)
# shown in the app's command menu of each volunteer (Telegram), by role: name → msgid
TEAM_COMMANDS = REGISTRY.menu_texts()
DESK_COMMANDS = tuple(REGISTRY.commands)


def team_command_names(roles: tuple[Role, ...]) -> list[str]:
    """The desk commands of a person's app menu for their roles (none: a beneficiary's menu)."""
    return REGISTRY.menu(roles)


class Desk:
    """Volunteer commands, buttons and desk flows, over the database."""

    def __init__(
        self,
        catalogs: Catalogs,
        engine: Engine,
        admins: tuple[str, ...],
        invite_days: int,
        quiet: QuietHours | None = None,
    ) -> None:
        REGISTRY.check_flows(engine.flows)
        self.registry = REGISTRY
        self.engine = engine
        self.config = DeskConfig(catalogs, admins, invite_days, quiet or QuietHours())
        self.bot_username = ""  # set by the Telegram channel, for invitation links

    async def access(self, tx: Tx, person: Person) -> Access:
        """What this person may do on the volunteer side."""
        assert person.id is not None
        admin = person.external_id in self.config.admins
        return Access(person.id, await tx.roles_of(person.id), admin)

    async def team_help(self, tx: Tx, st: State, world: World) -> tuple[Message, ...]:
        """For someone of a team, the desk commands they may use, each with what it does
        (from the registry, as their app's command menu); nothing for anyone else."""
        if st.person.id is None:
            return ()
        access = await self.access(tx, st.person)
        if not access.is_team:
            return ()
        return (menu.help_message(self._ctx(tx, st, access, world)),)

    async def subject(
        self, tx: Tx, access: Access, person_id: int, world: World
    ) -> tuple[Person, dict] | None:
        """The person if this volunteer may see them (same answer for unknown and forbidden)."""
        return await find_subject(tx, access, tuple(c.id for c in world.centres), person_id)

    def _ctx(self, tx: Tx, st: State, access: Access, world: World) -> Ctx:
        # the world of this event: the one place to read it from (centres, now, today)
        return Ctx(
            tx=tx,
            state=st,
            access=access,
            t=self.config.catalogs.get(st.person.locale),
            world=world,
            render=self.engine.renderer(world),
            config=self.config,
            bot_username=self.bot_username,
            menu_for=team_command_names,
            entries=lambda: self.registry.entries(access, tuple(c.id for c in world.centres)),
        )

    # -- entry points ------------------------------------------------------------------------

    async def handle(self, tx: Tx, st: State, event: Inbound, world: World) -> Reply | None:
        """Answer a desk event, or None when the event is for the engine (which then runs
        with the names of the people of the desk flows in progress filled in)."""
        for key in LEGACY_KEYS:
            st.session.desk.pop(key, None)
        code = invitations.code_in(event)
        if code is not None:
            ctx = self._ctx(tx, st, Access(st.person.id or 0), world)
            await invitations.join(ctx, code)
            self._as_team(st, await self.access(tx, st.person))
            return _reply(ctx.out)
        button = event.kind == EventKind.BUTTON and is_desk(event.data)
        command = event.kind == EventKind.COMMAND and event.command in self.registry.commands
        access = await self.access(tx, st.person)
        self._as_team(st, access)
        if not access.is_team:
            self._drop_flows(st)  # e.g. removed from the team while writing a note
            if command and await tx.had_role(access.person_id):
                t = self.config.catalogs.get(st.person.locale)
                return Reply((Message(t.gettext(T_CENTRE_CLOSED), rtl=t.rtl),))
            return None  # the engine answers as to anyone: unknown command, stale button
        ctx = self._ctx(tx, st, access, world)
        if not (button or command):
            return await self._into_flows(ctx)
        with about.noting() as shown:
            if command:
                # leaving for another desk action drops the note or outcome being written
                ctx.dropped_flow = self._drop_flows(st)
                await self.registry.command(ctx, event.command, event.text)
            else:
                await self.registry.button(ctx, event.data)
            if ctx.out.opening is not None:
                await self._open_flow(ctx)
        return _reply(ctx.out, about.effect(shown))

    async def after_engine(self, tx: Tx, st: State, reply: Reply, world: World) -> Reply:
        """After the engine: take the names out of the desk flows in progress (they are never
        stored), apply a desk flow that ended, access and person checked again, and write the
        volunteer menu where the engine asked for it."""
        people_shown: set[int] = set()
        for frame in self._desk_frames(st):
            frame.answers.pop(SHOWN_NAME, None)
            if isinstance(frame.answers.get("subject"), int):
                people_shown.add(frame.answers["subject"])
        ended = [e for e in reply.effects if e.name == "desk_flow_done"]
        if any(e.name == DESK_MENU for e in reply.effects):
            reply = await self._with_menu(tx, st, reply, world)
        if not ended and not people_shown:
            return reply
        out = Answer()
        for effect in ended:
            answers = dict(effect.data.get("answers", {}))
            answers.pop(SHOWN_NAME, None)
            ctx = self._ctx(tx, st, await self.access(tx, st.person), world)
            with about.noting() as shown:
                await self.registry.flow_done(ctx, str(effect.data.get("flow")), answers)
            people_shown |= shown
            out.messages += ctx.out.messages
            out.effects += ctx.out.effects
        effects = [e for e in reply.effects if e.name != "desk_flow_done"] + out.effects
        return Reply(
            tuple(out.messages) + reply.messages,
            reply.echo,
            reply.edit,
            tuple(effects) + about.effect(people_shown),
        )

    # -- the volunteer menu ----------------------------------------------------------------------

    def _as_team(self, st: State, access: Access) -> None:
        """Tell the engine whether this person is of a team; a team member leaves the
        beneficiaries' first steps (joined while in them, or before a restart)."""
        st.team = access.is_team
        if not st.team:
            return
        flows = self.engine.flows.flows
        for frame in list(st.session.stack):
            if frame.flow in flows and flows[frame.flow].role in NOT_FOR_TEAM:
                st.session.stack.remove(frame)
        for key in list(st.session.paused):
            if key in flows and flows[key].role in NOT_FOR_TEAM:
                del st.session.paused[key]

    async def _with_menu(self, tx: Tx, st: State, reply: Reply, world: World) -> Reply:
        """The engine's answer with the volunteer menu at its end (asked by a DESK_MENU
        effect: none for someone no longer of a team)."""
        effects = tuple(e for e in reply.effects if e.name != DESK_MENU)
        access = await self.access(tx, st.person)
        if not access.is_team:
            return Reply(reply.messages, reply.echo, reply.edit, effects)
        ctx = self._ctx(tx, st, access, world)
        await menu.show(ctx)
        return Reply(reply.messages + tuple(ctx.out.messages), reply.echo, reply.edit, effects)

    # -- desk flows ----------------------------------------------------------------------------

    def _desk_frames(self, st: State) -> list:
        return [f for f in st.session.stack if self.engine.flows.desk_flow(f.flow) is not None]

    def _drop_flows(self, st: State) -> bool:
        """Leave the desk flows in progress; True when there was one."""
        frames = self._desk_frames(st)
        for frame in frames:
            st.session.stack.remove(frame)
        return bool(frames)

    async def _into_flows(self, ctx: Ctx) -> Reply | None:
        """Before the engine answers an event inside a desk flow: the person it is about must
        still be one this volunteer sees, and the flow's texts get their name."""
        frames = self._desk_frames(ctx.state)
        for frame in frames:
            number = frame.answers.get("subject")
            subject = await ctx.subject(number) if isinstance(number, int) else None
            if subject is None:
                self._drop_flows(ctx.state)
                ctx.say(T_NOT_FOUND)
                return _reply(ctx.out)
            frame.answers[SHOWN_NAME] = subject.name
        return None

    async def _open_flow(self, ctx: Ctx) -> None:
        """Open the desk flow a handler asked for (its route's role checked like a press)."""
        opening = ctx.out.opening
        assert opening is not None
        subject = await ctx.subject(opening.subject)
        if subject is None or opening.flow not in self.registry.flows:
            ctx.say(T_NOT_FOUND)
            return
        given = {"subject": subject.id, SHOWN_NAME: subject.name}
        new, reply = self.engine.start_desk_flow(ctx.state, opening.flow, given, ctx.world)
        for frame in self._desk_frames(new):
            frame.answers.pop(SHOWN_NAME, None)
        ctx.state.session = new.session  # a desk flow changes nothing else of the volunteer
        ctx.out.messages += reply.messages


def _reply(out: Answer, effects: tuple = ()) -> Reply:
    return Reply(tuple(out.messages), out.echo, effects=tuple(out.effects) + effects)
