"""The volunteer desk: the capabilities of the volunteer side put together, and how a desk event
runs. Joining with an invitation code is open to everyone; every other desk command and button
is answered as to anyone (unknown command, stale button: `handle` returns None) for a person
without a role. Multi-step input (a note, an outcome) runs as desk flows by the engine: the
desk opens them, gives them the person's name for each event, and applies them when they end.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.appointments import agenda_list, appointment_screen, booking
from bot.config import AppointmentSettings, OfferSettings
from bot.core.domain import (
    DESK_MENU,
    Effect,
    EventKind,
    Frame,
    Inbound,
    Message,
    Person,
    Reply,
    State,
)
from bot.core.engine import Engine
from bot.core.i18n import N_, Catalogs
from bot.core.render import TEAM_GIVEN
from bot.core.turn.texts import T_NOT_CHANGED
from bot.core.world import World
from bot.desk import (
    about,
    audit,
    centres,
    corrections,
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
from bot.desk.context import (
    T_NOT_FOUND,
    Answer,
    Call,
    Ctx,
    DeskConfig,
    Opening,
    Subject,
    find_subject,
)
from bot.desk.domain import Access, Role, person_name
from bot.desk.router import Need, Registry, Router
from bot.offers import candidates as offer_candidates
from bot.offers import desk_offer, offer_list, offer_screen
from bot.offers import relay as offer_relay
from bot.offers import sending as offer_sending
from bot.schedule.quiet_hours import QuietHours
from bot.storage.database import Tx
from bot.storage.interfaces import Reading

__all__ = ["TEAM_COMMANDS", "Desk", "team_command_names"]

T_CENTRE_CLOSED = N_(
    "Votre centre a fermé : vous ne voyez plus ses personnes. "
    "Pour aider dans un autre centre, demandez un code à son coordinateur."
)
T_NOTHING_TO_CANCEL = N_("Il n'y a rien à annuler.")
T_TEAM_HELP = N_("Vos commandes de bénévole :")
T_CORRECTION_LOST = N_("Cette correction n'est plus en cours. Voici le CV.")
T_ME = N_("Moi")  # the volunteer themself, first among their team's names
SHOWN_NAME = "subject_name"  # given to a desk flow for each event, never stored
SHOWN_ADDRESS = "subject_address"  # the address of the person's centre, likewise
# everything a desk flow is given for each event and that is never stored: the person's name,
# their centre's address, the team of their centre (a flow that asks who will be there)
SHOWN = (SHOWN_NAME, SHOWN_ADDRESS, TEAM_GIVEN)
LEGACY_KEYS = ("await", "person", "kind", "contract")  # a desk question before desk flows
# the beneficiaries' flows (first steps, bilan, CV…) and answers to their centre's messages,
# never a team member's (one who joined while in them leaves them at their next message)
NOT_FOR_TEAM = ("", "onboarding", "centre", "reply")
Run = Callable[[State], tuple[State, Reply]]  # the engine answering one event for a state

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
    offer_relay.router,
    offer_candidates.router,
    booking.router,
    appointment_screen.router,
    agenda_list.router,
    offer_sending.router,
    desk_offer.router,
    offer_screen.router,
    offer_list.router,
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
        appointment_settings: AppointmentSettings | None = None,
        offer_settings: OfferSettings | None = None,
    ) -> None:
        REGISTRY.check_flows(engine.flows)
        self.registry = REGISTRY
        self.engine = engine
        self.config = DeskConfig(
            catalogs,
            admins,
            invite_days,
            quiet or QuietHours(),
            appointment_settings or AppointmentSettings(),
            offer_settings or OfferSettings(),
        )
        self.bot_username = ""  # set by the Telegram channel, for invitation links

    async def access(self, tx: Reading, person: Person) -> Access:
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
        self, tx: Reading, access: Access, person_id: int, world: World
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
            await self._drop_flows(tx, st)  # e.g. removed from the team while writing a note
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
                left = corrections.review_frame(self.engine.flows, st)
                ctx.dropped_flow = await self._drop_flows(tx, st)
                applied = await self._review_left(ctx, left)
                if not (applied and event.command == "cancel"):  # its changes are saved
                    await self.registry.command(ctx, event.command, event.text)
            else:
                await self.registry.button(ctx, event.data)
            if ctx.out.opening is not None:
                await self._open_flow(ctx)
        return _reply(ctx.out, about.effect(shown))

    async def engine_turn(self, tx: Tx, st: State, world: World, run: Run) -> tuple[State, Reply]:
        """Let the engine answer (`run`); during a volunteer's review of someone's answers
        (correcting their CV), on that person's answers, read again now."""
        review = corrections.review_frame(self.engine.flows, st)
        if review is None:
            return run(st)
        subject = review.answers.get("subject")
        return await self._on_behalf(tx, st, world, subject if isinstance(subject, int) else 0, run)

    async def after_engine(self, tx: Tx, st: State, reply: Reply, world: World) -> Reply:
        """After the engine: take the names out of the desk flows in progress (they are never
        stored), apply a desk flow that ended, access and person checked again, and write the
        volunteer menu where the engine asked for it."""
        people_shown: set[int] = set()
        for frame in self._desk_frames(st):
            _forget_shown(frame.answers)
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
            _forget_shown(answers)
            ctx = self._ctx(tx, st, await self.access(tx, st.person), world)
            with about.noting() as shown:
                await self.registry.flow_done(ctx, str(effect.data.get("flow")), answers)
                if ctx.out.opening is not None:  # e.g. an answer to correct: asked again
                    await self._open_flow(ctx)
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
        beneficiaries' flows (joined while in them, or before a restart)."""
        st.team = access.is_team
        if not st.team:
            return
        flows = self.engine.flows.flows
        for frame in list(st.session.stack):
            correcting = self.engine.flows.desk_flow(frame.edit.get("review", "")) is not None
            if frame.flow in flows and flows[frame.flow].role in NOT_FOR_TEAM and not correcting:
                st.session.stack.remove(frame)  # (a CV correction's screens are the volunteer's)
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

    def _desk_frames(self, st: State) -> list[Frame]:
        """The desk flows in progress, with the corrections a desk review opened."""
        flows = self.engine.flows
        return [
            f
            for f in st.session.stack
            if flows.desk_flow(f.flow) is not None or flows.desk_flow(f.edit.get("review", ""))
        ]

    async def _drop_flows(self, tx: Tx, st: State) -> bool:
        """Leave the desk flows in progress (and a correction's draft); True when there was one."""
        frames = self._desk_frames(st)
        for frame in frames:
            st.session.stack.remove(frame)
        if frames and st.person.id is not None:
            await tx.drop_correction_draft(st.person.id)
        return bool(frames)

    async def _into_flows(self, ctx: Ctx) -> Reply | None:
        """Before the engine answers an event inside a desk flow: the person it is about must
        still be one this volunteer sees, and the flow's texts get their name."""
        frames = self._desk_frames(ctx.state)
        for frame in frames:
            number = frame.answers.get("subject")
            if frame.edit:
                continue  # a correction: its review is about the person
            if not self.registry.about_person(frame.flow):
                continue  # about no one (an offer): checked again when it ends
            subject = await ctx.subject(number) if isinstance(number, int) else None
            if subject is None:
                await self._drop_flows(ctx.tx, ctx.state)
                ctx.say(T_NOT_FOUND)
                return _reply(ctx.out)
            frame.answers.update(await self._shown(ctx, frame.flow, subject))
        return None

    async def _shown(self, ctx: Ctx, flow_id: str, subject: Subject) -> dict[str, Any]:
        """What a desk flow shows of its person at this event, never stored: their name, their
        centre's address, and the team of their centre when the flow asks who will be there
        (the volunteer first, as "Moi")."""
        shown: dict[str, Any] = {SHOWN_NAME: subject.name}
        centre = ctx.world.centre(subject.person.centre)
        if centre is not None and centre.address:
            shown[SHOWN_ADDRESS] = centre.address
        flow = self.engine.flows.flows.get(flow_id)
        if flow is not None and any(s.options_from == "team" for s in flow.steps.values()):
            me = ctx.access.person_id
            team = [[str(me), ctx.t.gettext(T_ME)]]
            for member in await ctx.tx.team_members((subject.person.centre or "",)):
                if member.person_id != me and str(member.person_id) not in {v for v, _ in team}:
                    name = person_name(member.first_name, member.last_name, member.person_id, ctx.t)
                    team.append([str(member.person_id), name])
            shown[TEAM_GIVEN] = team
        return shown

    async def _open_flow(self, ctx: Ctx) -> None:
        """Open the desk flow a handler asked for (its route's role checked like a press)."""
        opening = ctx.out.opening
        assert opening is not None
        if opening.subject is None:
            await self._open_unattached(ctx, opening)
            return
        subject = await ctx.subject(opening.subject)
        if subject is None or opening.flow not in self.registry.flows:
            ctx.say(T_NOT_FOUND)
            return
        given = {**opening.given, "subject": subject.id}
        given.update(await self._shown(ctx, opening.flow, subject))
        flow = self.engine.flows.flows[opening.flow]
        left = corrections.review_frame(self.engine.flows, ctx.state)
        if left is not None:  # a review left for this flow: what it changed is applied
            await self._drop_flows(ctx.tx, ctx.state)
            await self._review_left(ctx, left)

        def start(st: State) -> tuple[State, Reply]:
            return self.engine.start_desk_flow(st, opening.flow, given, ctx.world, opening.at)

        if any(step.sections_from for step in flow.steps.values()):
            new, reply = await self._on_behalf(ctx.tx, ctx.state, ctx.world, subject.id, start)
        else:
            new, reply = start(ctx.state)
        for frame in self._desk_frames(new):
            _forget_shown(frame.answers)
        ctx.state.session = new.session  # a desk flow changes nothing else of the volunteer
        ctx.out.messages += reply.messages

    async def _open_unattached(self, ctx: Ctx, opening: Opening) -> None:
        """Open a desk flow about no one (a job offer): nothing of a person to give it."""
        if self.registry.about_person(opening.flow) or opening.flow not in self.registry.flows:
            ctx.stale()
            return
        left = corrections.review_frame(self.engine.flows, ctx.state)
        if left is not None:
            await self._drop_flows(ctx.tx, ctx.state)
            await self._review_left(ctx, left)
        new, reply = self.engine.start_desk_flow(
            ctx.state, opening.flow, dict(opening.given), ctx.world, opening.at
        )
        ctx.state.session = new.session
        ctx.out.messages += reply.messages

    # -- a review of someone's answers ---------------------------------------------------------

    async def _review_left(self, ctx: Ctx, left: Frame | None) -> bool:
        """A review of someone's answers left before "Terminé" (a command, another desk flow):
        what it changed is applied as when it is finished (the person told); True if so."""
        if left is None or not left.answers.get(corrections.CHANGED):
            return False
        answers = copy.deepcopy(left.answers)
        _forget_shown(answers)
        await self.registry.flow_done(ctx, left.flow, answers)
        return True

    async def _on_behalf(
        self, tx: Tx, st: State, world: World, subject_id: int, run: Run
    ) -> tuple[State, Reply]:
        """Run the engine for a volunteer on the answers of the person their review is about:
        checked again and read now; the changes written for that person and audited one by
        one (field names only); the entry being changed kept apart in a draft, so that the
        volunteer's session holds nothing of the person."""
        volunteer = st.person.id or 0
        access = await self.access(tx, st.person)
        found = await self.subject(tx, access, subject_id, world) if access.is_team else None
        if found is None:
            await self._drop_flows(tx, st)
            return run(st)
        flows = self.engine.flows
        before = found[1]
        notes = await self._restore_draft(tx, st, volunteer, subject_id)
        opened = corrections.review_frame(flows, st)
        new, reply = run(State(st.person, st.session, copy.deepcopy(before)))
        review = corrections.review_frame(flows, new)
        ended = any(e.name == "desk_flow_done" for e in reply.effects)
        if opened is not None and review is None and not ended:
            # left (/menu, /stop): answered as if no review was open, from the volunteer's own
            # answers (their menu), and what it changed applied as when it is finished
            own = State(st.person, copy.deepcopy(st.session), st.profile)
            own.session.stack = [f for f in own.session.stack if f not in self._desk_frames(own)]
            new, reply = run(own)
            await tx.drop_correction_draft(volunteer)
            if opened.answers.get(corrections.CHANGED):
                done = {"flow": opened.flow, "answers": copy.deepcopy(opened.answers)}
                reply = replace(reply, effects=(*reply.effects, Effect("desk_flow_done", done)))
            return new, reply
        shown = review or opened  # opened: "Terminé" ended it in this event
        sections = corrections.review_step(flows, shown).sections if shown else ()
        keys = corrections.answer_keys(sections)
        written = {k: new.profile.get(k) for k in keys if new.profile.get(k) != before.get(k)}
        if written:
            await tx.set_answers(subject_id, written)
            found_changes = corrections.changes(sections, before, new.profile)
            for change in found_changes:
                await tx.audit(volunteer, subject_id, change.action)
            if review is not None:
                corrections.noted(review, found_changes)
        await self._keep_draft(tx, new, volunteer, subject_id)
        # recorded above for the person: not a change of the volunteer's own CV
        effects = [
            e
            for e in reply.effects
            if not (e.name == "review_changed" and flows.desk_flow(str(e.data.get("flow"))))
        ]
        effects += about.effect({subject_id})
        answer = Reply(notes + reply.messages, reply.echo, reply.edit, tuple(effects))
        # the volunteer's own answers stay theirs; only where they are in the flows changes
        return State(new.person, new.session, st.profile), answer

    async def _restore_draft(
        self, tx: Tx, st: State, volunteer: int, subject_id: int
    ) -> tuple[Message, ...]:
        """Put the values of the correction in progress back into its frame (the engine then
        checks the person did not change that entry meanwhile); drop the correction when
        they are gone (left for a week, or about someone else)."""
        review = corrections.review_frame(self.engine.flows, st)
        edits = corrections.edit_frames(st, review) if review else []
        if not edits:
            return ()
        draft = await tx.correction_draft(volunteer)
        data = draft.data if draft is not None and draft.subject_id == subject_id else {}
        edit = edits[-1]
        if data.get("edit") == edit.edit and data.get("step") == edit.step:
            edit.answers = dict(data.get("answers") or {})
            edit.selected = list(data.get("selected") or [])
            if "was" in data:
                edit.edit["was"] = data["was"]
            return ()
        for frame in edits:
            st.session.stack.remove(frame)
        await tx.drop_correction_draft(volunteer)
        t = self.config.catalogs.get(st.person.locale)
        return (Message(t.gettext(T_CORRECTION_LOST), rtl=t.rtl),)

    async def _keep_draft(self, tx: Tx, st: State, volunteer: int, subject_id: int) -> None:
        """Move the values of the correction in progress out of the volunteer's session."""
        review = corrections.review_frame(self.engine.flows, st)
        edits = corrections.edit_frames(st, review) if review else []
        if not edits:
            await tx.drop_correction_draft(volunteer)
            return
        edit = edits[-1]
        was = edit.edit.pop("was", None)  # the entry as it was: the person's too
        data = {
            "edit": edit.edit,
            "step": edit.step,
            "answers": edit.answers,
            "selected": edit.selected,
            "was": was,
        }
        await tx.keep_correction_draft(volunteer, subject_id, copy.deepcopy(data))
        edit.answers, edit.selected = {}, []


def _forget_shown(answers: dict[str, Any]) -> None:
    """Take out what a desk flow was shown for one event (names, addresses): never stored."""
    for key in SHOWN:
        answers.pop(key, None)


def _reply(out: Answer, effects: tuple = ()) -> Reply:
    return Reply(tuple(out.messages), out.echo, effects=tuple(out.effects) + effects)
