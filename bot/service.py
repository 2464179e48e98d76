"""Assembles Relais from its settings and runs one event through engine and storage."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.appointments import messages as appointment_messages
from bot.appointments import mine as my_appointments
from bot.appointments import typed as typed_appointment
from bot.appointments.calendar_file import calendar_file
from bot.config import Settings
from bot.core.clock import Clock, utc_now
from bot.core.domain import EventKind, Inbound, Reply, State
from bot.core.engine import Engine
from bot.core.i18n import Catalogs
from bot.core.ids import parse_id
from bot.core.world import World
from bot.desk import stats
from bot.desk.desk import Desk
from bot.desk.followup import FollowUpRecorder
from bot.desk.invitations import create_invitation
from bot.documents.maker import Document, Documents, NoDocument
from bot.fairness.repeats import RecentDocuments
from bot.flows.loader import load_flows
from bot.flows.model import FlowSet
from bot.privacy import erasure, retention
from bot.privacy import export as data_export
from bot.reach import buttons as started_buttons
from bot.reach import centre_message
from bot.reach.kinds import check_reply_flows
from bot.reach.started import is_started_button
from bot.schedule.sweeps import sweeps
from bot.storage.database import Storage, Tx
from bot.storage.erasure import ERASED
from bot.storage.interfaces import Reading

log = logging.getLogger("relais")


@dataclass(frozen=True)
class Answered:
    """The reply to an event, and the language the person reads now (None: they chose none
    yet, or no longer exist)."""

    reply: Reply
    locale: str | None


@dataclass
class Relais:
    """The running bot minus its channels: settings, flows, catalogs, engine and storage."""

    settings: Settings
    flows: FlowSet
    catalogs: Catalogs
    engine: Engine
    storage: Storage
    documents: Documents
    desk: Desk
    recorder: FollowUpRecorder
    clock: Callable[[], datetime]
    # documents made lately, so the same one asked again at once is not made twice
    recent_documents: RecentDocuments = field(init=False)

    def __post_init__(self) -> None:
        self.recent_documents = RecentDocuments(self.settings.fairness.repeat_document_seconds)

    async def handle(self, tx: Tx, channel: str, external_id: str, event: Inbound) -> Reply:
        """Load the person, let the desk or the engine answer, record what it means for the
        person's centre, save the new state (all inside `tx`)."""
        return (await self.answer(tx, channel, external_id, event)).reply

    async def answer(self, tx: Tx, channel: str, external_id: str, event: Inbound) -> Answered:
        """As `handle`, also telling the language the person chose in Relais, as saved (so the
        reply is written in it without reading the person again)."""
        state = await tx.load_state(channel, external_id)
        world = await self.world(tx)
        if event.kind == EventKind.BUTTON and is_started_button(event.data):
            return await self._started_button(tx, state, event.data, world)
        reply = await self.desk.handle(tx, state, event, world)
        # text typed at a beneficiary's menu, naming none of its choices, may answer a message
        # Relais started (a volunteer's menu is their own)
        free_text = (
            reply is None
            and not state.team
            and self.engine.at_menu_with_free_text(state, event, world)
        )
        if free_text:
            # "je peux pas venir" under a reminder: the answer it names, or its buttons again
            typed = await typed_appointment.typed_answer(
                tx, self.catalogs, state.person, event.text, world.now
            )
            if isinstance(typed, str):
                return await self._started_button(tx, state, typed, world)
            if typed is not None:
                await tx.save_state(state)
                return Answered(Reply((typed,)), state.person.locale)
            state = await self._typed_to_centre(tx, state, world)
        if reply is None:
            # a volunteer correcting someone's CV: the engine works on that person's answers
            new_state, reply = await self.desk.engine_turn(
                tx, state, world, lambda st: self.engine.handle(st, event, world)
            )
            # "Mes rendez-vous": the person's appointments, read now, where the flow shows them
            reply = await my_appointments.shown(
                tx,
                self.catalogs.get(new_state.person.locale),
                new_state.person,
                world.centres,
                reply,
                world.now,
            )
            if event.kind == EventKind.COMMAND and event.command == "help":
                # volunteers also read the commands of their role
                listed = await self.desk.team_help(tx, new_state, world)
                reply = Reply(reply.messages + listed, reply.echo, reply.edit, reply.effects)
            # a desk flow's end, the volunteer menu
            reply = await self.desk.after_engine(tx, new_state, reply, world)
            centre = new_state.person.centre
            name = world.centre_name(centre)
            if reply.effects:
                await self.recorder.apply(
                    tx, new_state, reply.effects, name, world.now, world.today
                )
                # a reply flow ended (an answer to the centre): to the kind that opened it
                await started_buttons.replied(
                    tx, self.catalogs, new_state, reply.effects, world.now, self.settings.admins
                )
            if centre and centre != state.person.centre:
                await self.recorder.moved(tx, new_state, name)
        else:
            new_state = state
            joined = any(e.name == "team_commands" for e in reply.effects)
            more = None
            if event.kind == EventKind.COMMAND and event.command == "start":
                # from an invitation link: go on as /start does (language, volunteer menu…)
                new_state, more = self.engine.handle(
                    state, Inbound(EventKind.COMMAND, command="start"), world
                )
            elif joined:
                # a code typed: the question in progress again, or the volunteer menu
                new_state, more = self.engine.resume(state, world)
            if more is not None:
                more = await self.desk.after_engine(tx, new_state, more, world)
                reply = Reply(reply.messages + more.messages, reply.echo, effects=reply.effects)
        locale = new_state.person.locale
        if erasure.asked(reply) and new_state.person.id is not None:
            # the person goes entirely: saving the state would bring their row back
            await tx.erase_person(new_state.person.id, ERASED, new_state.person.id)
            erasure.forget_documents(self.settings.documents_dir, external_id, new_state.person.id)
            if erasure.refused(reply):
                # a "no" to a new notice: a new row with the language only, as after a refusal
                new_state.person.id = None
                await tx.save_state(new_state)
            else:
                locale = None  # nobody left to have chosen one
        else:
            await tx.save_state(new_state)
        frame = new_state.session.current
        # ids and step names only: never names, answers or message text
        log.info(
            "event person=%s kind=%s flow=%s step=%s replies=%d",
            new_state.person.id,
            event.kind.value,
            frame.flow if frame else "-",
            frame.step if frame else "-",
            len(reply.messages),
        )
        return Answered(reply, locale)

    async def _started_button(self, tx: Tx, state: State, data: str, world: World) -> Answered:
        """A press on a message Relais started: the kind that sent it answers, then the current
        question comes again; forged or stale data is answered as any stale button."""
        answered = await started_buttons.press(
            tx, self.catalogs, state.person, data, world.now, self.settings.admins
        )
        said = answered.messages if answered is not None else ()
        # a volunteer writing a note: the person it is about is checked again and named
        dropped = await self.desk.handle(tx, state, Inbound(EventKind.BUTTON, data=data), world)
        if dropped is not None:
            new_state, reply = state, Reply((*said, *dropped.messages))
        elif answered is None:
            # data no question counter matches: the engine's own "this button no longer works"
            stale = Inbound(EventKind.BUTTON, data="-")
            new_state, reply = await self.desk.engine_turn(
                tx, state, world, lambda st: self.engine.handle(st, stale, world)
            )
        elif answered.opens is not None:
            # e.g. "Répondre": a reply flow over the question in progress, asked again after
            opens = answered.opens
            new_state, more = self.engine.start_reply_flow(state, opens.flow, opens.given, world)
            reply = Reply(said + more.messages)
        else:
            new_state, more = await self.desk.engine_turn(
                tx, state, world, lambda st: self.engine.resume(st, world)
            )
            reply = Reply(said + more.messages, effects=more.effects)
        reply = await self.desk.after_engine(tx, new_state, reply, world)  # names taken out
        await tx.save_state(new_state)
        log.info("started button person=%s answered=%s", state.person.id, answered is not None)
        return Answered(reply, new_state.person.locale)

    async def _typed_to_centre(self, tx: Tx, state: State, world: World) -> State:
        """Text typed at the menu, naming none of its choices, while a volunteer's conversation
        is open: the answer to it, as in any messaging app (the reply flow opened for it)."""
        person_id = state.person.id
        if person_id is None:
            return state
        exchange = await tx.latest_open_exchange(person_id)
        if exchange is None:
            return state
        opened, _ = self.engine.start_reply_flow(
            state, centre_message.REPLY_FLOW, {"exchange": exchange.id}, world
        )
        return opened

    async def document(self, channel: str, external_id: str, kind: str) -> Document | None:
        """Make a document asked for by a person, from the answers saved now (None: nothing to
        make it from, e.g. erased since, or no longer allowed). RepeatedDocument: the same
        document, from the same answers, was made for this person less than a minute ago.

        Kinds: "cv_pdf" (one's own CV; "cv_json" from older messages), "my_data_txt" and
        "my_data_json" (everything kept about oneself), "cv_pdf:<person id>" and
        "cv_json:<person id>" (a volunteer reads the CV of someone of their centre, as a PDF or
        as JSON Resume), "stats_csv:<from>:<to>" (a coordinator's figures),
        "appointment_ics:<appointment id>" (one's own appointment, as a calendar file).
        """
        asked = kind
        kind, _, args = kind.partition(":")
        if kind in data_export.KINDS:
            return await self._my_data(channel, external_id, kind)
        if kind == appointment_messages.DOCUMENT:
            return await self._calendar_file(channel, external_id, asked, args)
        # read beside the writer, on the read-only connection: nobody's reply waits for it
        async with self.storage.reading() as reads:
            state = await reads.state_of(channel, external_id)
            if state is None:
                return None  # erased since asking
            profile = state.profile
            if kind == "stats_csv":
                return await self._stats_csv(reads, state, args)
            if args:
                # checked now, at the read: the volunteer may no longer see the person
                access = await self.desk.access(reads, state.person)
                world = await self.world(reads)
                number = parse_id(args)
                found = (
                    await self.desk.subject(reads, access, number, world)
                    if number is not None
                    else None
                )
                if found is None:
                    return None
                profile = found[1]
        self.recent_documents.claim(channel, external_id, asked, profile)
        try:
            # laying out a PDF takes a tenth of a second or more: keep the event loop free
            document = await asyncio.to_thread(self.documents.make, kind, profile)
        except BaseException as exc:
            self.recent_documents.release(channel, external_id, asked)
            if isinstance(exc, NoDocument):
                return None
            raise
        log.info("document person=%s kind=%s bytes=%d", state.person.id, kind, len(document.data))
        return document

    async def _calendar_file(
        self, channel: str, external_id: str, asked: str, args: str
    ) -> Document | None:
        """The calendar file of one of the person's own appointments, as it is now (None: not
        theirs, no such appointment, or erased since)."""
        number = parse_id(args)
        async with self.storage.reading() as reads:
            state = await reads.state_of(channel, external_id)
            found = await reads.appointment(number) if number is not None else None
            if state is None or found is None or found.person_id != state.person.id:
                return None
            centres = {c.id: c for c in await reads.active_centres()}
            names = await reads.centre_names()
        centre = centres.get(found.centre)
        name = centre.name if centre is not None else names.get(found.centre, found.centre)
        if found.place == "centre":
            address = centre.address if centre is not None else ""
        else:
            address = found.address
        # a changed or cancelled appointment is a new file; the same one asked again is not
        self.recent_documents.claim(
            channel, external_id, asked, {"version": found.version, "state": found.state}
        )
        translator = self.catalogs.get(state.person.locale)
        document = calendar_file(found, translator, name, address, self.clock())
        log.info(
            "document person=%s kind=%s bytes=%d",
            state.person.id,
            appointment_messages.DOCUMENT,
            len(document.data),
        )
        return document

    async def _my_data(self, channel: str, external_id: str, kind: str) -> Document | None:
        """Everything kept about the person, read now on the read-only connection (None:
        nothing is kept any more, e.g. they erased it since asking)."""
        if kind == "my_data_txt":
            # one request makes both files: one audit line, written first (the file lists it)
            async with self.storage.transaction() as tx:
                person = await tx.find_person(channel, external_id)
                if person is not None and person.consent and person.id is not None:
                    await tx.audit(person.id, person.id, "export")
        async with self.storage.reading() as reads:
            state = await reads.state_of(channel, external_id)
            if state is None or not state.person.consent or state.person.id is None:
                return None
            world = await self.world(reads)
            gathered = await data_export.gather(reads, state)
        exporter = data_export.DataExport(
            self.flows, self.catalogs, self.engine.renderer(world), world.now
        )
        document = exporter.make(kind, gathered)
        log.info("document person=%s kind=%s bytes=%d", state.person.id, kind, len(document.data))
        return document

    async def world(self, tx: Reading) -> World:
        """The world of an event happening now: read once, then passed along, never changed
        (centres change while running: an admin command, another process)."""
        centres, unstaffed = await tx.open_centres()
        if unstaffed and await tx.persons_by_external_ids(self.settings.admins):
            unstaffed = frozenset()  # the admins receive the requests of centres without a team
        return World(
            now=self.clock(),
            tz=self.catalogs.tz,
            centres=centres,
            languages=tuple(self.catalogs.languages),
            unstaffed=unstaffed,
        )

    async def _stats_csv(self, tx: Reading, state: State, args: str) -> Document | None:
        access = await self.desk.access(tx, state.person)
        active = await tx.active_centres()
        centres = tuple(c.id for c in active if access.coordinates(c.id))
        try:
            start, end = (date.fromisoformat(a) for a in args.split(":"))
        except ValueError:
            return None
        if not centres:
            return None
        figures = await stats.compute(tx, centres, start, end)
        data = stats.to_csv(figures).encode("utf-8")
        return Document(f"relais-stats-{start}-{end}.csv", "text/csv", data)

    async def invite(
        self, centre: str, role: str, created_by: int | None
    ) -> tuple[str, datetime] | None:
        """A one-time invitation code for an active centre and when it expires (None: no such
        centre)."""
        async with self.storage.transaction() as tx:
            world = await self.world(tx)
            if world.centre(centre) is None:
                return None
            return await create_invitation(
                tx, centre, role, created_by, self.clock(), self.settings.invite_days
            )

    async def purge(self, now: datetime, *, seconds: float | None = None) -> int:
        """Apply the retention promise: erase people silent too long (as their own erasure
        does), messages Relais started and audit lines as old, old updates and sends, a few at
        a time (bot.privacy.retention), then empty the WAL; how many people were erased. With
        `seconds`, stop once that time is spent: the next purge goes on."""
        purged = await retention.purge(self.storage, self.settings, now, seconds=seconds)
        return purged.people

    async def close(self) -> None:
        """Close the database."""
        await self.storage.close()


def build_engine(settings: Settings) -> tuple[FlowSet, Catalogs, Engine]:
    """Load and check flows and catalogs (raises FlowError) and build the engine."""
    flows = load_flows(settings.flows_dir)
    catalogs = Catalogs(settings.locales_dir, list(settings.languages), settings.timezone)
    return flows, catalogs, Engine(flows, catalogs)


async def open_relais(settings: Settings, clock: Clock = utc_now) -> Relais:
    """Everything but the channel, ready to handle events (expired data already erased,
    warnings due queued)."""
    flows, catalogs, engine = build_engine(settings)
    check_reply_flows(flows)
    storage = await Storage.open(settings.database, clock=clock)
    async with storage.transaction() as tx:
        closed = await tx.sync_centres(settings.centres)
    if closed:
        log.info("centres no longer configured, their people will choose again: %s", closed)
    documents = Documents(flows, catalogs, settings.font_cache)
    desk = Desk(
        catalogs,
        engine,
        settings.admins,
        settings.invite_days,
        settings.quiet_hours,
        settings.appointments,
        settings.offers,
    )
    recorder = FollowUpRecorder(catalogs, settings.admins)
    relais = Relais(settings, flows, catalogs, engine, storage, documents, desk, recorder, clock)
    # every sweep once now (expired data erased, warnings due queued), each within its start-up
    # share (a long purge goes on in the scheduler's next run); a scheduler runs them on
    for sweep in sweeps():
        await (sweep.at_start or sweep.run)(relais, clock())
    return relais
