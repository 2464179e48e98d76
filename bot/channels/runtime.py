"""The runtime every channel shares: updates in through a journal, replies out through a
durable outbox.

Every update is written to SQLite before the channel acknowledges it, and handled in the same
transaction that saves the person's new state and queues the replies. A crash therefore loses
nothing, handles nothing twice, and at worst sends a call that was in flight once more. Updates
are handled in fair rounds per sender within a per-person budget; one that keeps failing is set
aside. An update that needs a long read (statistics, a long list) is handled once the read is
made beside the writer, on the read-only connection (bot.storage.long_reads); other people's
updates are handled meanwhile. The channel itself (bot.channels.protocol) only turns payloads
into events and planned calls into platform calls.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import traceback
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.channels import keyboards
from bot.channels.protocol import Channel, Journaled, Received
from bot.channels.replies import Planner
from bot.channels.sender import OutboxSender
from bot.core.clock import Clock, utc_now
from bot.core.domain import EventKind, Inbound
from bot.core.i18n import N_, Translator
from bot.fairness.budget import Budgets, Verdict
from bot.reach import delivery
from bot.service import Relais
from bot.storage.database import PendingUpdate, Tx
from bot.storage.long_reads import LongRead, ReadFirst, made_ahead

T_GROUP = N_("Relais marche seulement en conversation privée. Écrivez-moi directement.")
T_ERROR = N_("Désolé, quelque chose n'a pas marché. Réessayez dans un moment, s'il vous plaît.")
T_SLOW_DOWN = N_(
    "Doucement : j'ai reçu beaucoup de messages d'un coup. "
    "Attendez un petit moment, puis réessayez."
)
SHUTDOWN_GRACE = 10.0  # seconds to finish work in hand when asked to stop
UPDATE_TRIES = 3  # an update whose handling and apology fail this often is set aside
SENDER_TURN = 2  # updates of one sender handled per round, so nobody waits behind a backlog
ROUND_SIZE = 64  # updates read per round
# long reads one update may wait for (access changing under it asks for another each time);
# past that, the update reads in its own transaction, as without a runtime
LONG_READS = 3

log = logging.getLogger("relais.runtime")


@dataclass
class Ahead:
    """The long reads made for one update on the read-only connection, and the one being
    made."""

    sender: str | None
    results: dict[LongRead[Any], Any] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None  # the read in progress
    reads: int = 0
    in_transaction: bool = False  # a read failed: the update reads in its transaction

    def holds(self, update: PendingUpdate, update_id: int) -> bool:
        """While its read is made, this update and the later ones of its sender wait."""
        if self.task is None:
            return False
        return update.update_id == update_id or (
            update.sender is not None and update.sender == self.sender
        )


class Runtime:
    """Journal, workers and outbox of one channel (or of one chat of it: the terminal's)."""

    def __init__(
        self,
        relais: Relais,
        channel: Channel,
        clock: Clock = utc_now,
        *,
        chat: str | None = None,
        budgets: bool = True,
        owner: str | None = None,
        flood_retries: int = 0,
    ) -> None:
        """`chat`: serve only this chat (updates, outbox, messages Relais starts); `budgets`:
        hold each sender to the fairness budget (a shared bot), or not (one's own terminal);
        `flood_retries`: flood waits a call waits out in place (bot.channels.sender)."""
        self.relais = relais
        self.channel = channel
        self.name = channel.name
        self.clock = clock
        self.chat = chat
        fairness = relais.settings.fairness
        self.budgets = Budgets(fairness.burst, fairness.per_second) if budgets else None
        self.planner = Planner(channel.name, channel.capabilities)
        self.sender = OutboxSender(
            relais, channel, clock, chat=chat, owner=owner, flood_retries=flood_retries
        )
        self.updates_ready = asyncio.Event()
        self.stopping = asyncio.Event()
        self._handling = asyncio.Lock()
        self._journaled = 0  # journal writes so far: a round knows whether any came meanwhile
        self._workers: list[asyncio.Task[None]] = []
        self._ahead: dict[int, Ahead] = {}  # update id → its long reads

    # -- life cycle ----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Runtime]:
        """Run the update and outbox workers in the background for the block; on leaving, let
        them finish the update in hand and send what is due, then stop them."""
        await self.sender.recover()
        self._workers = [
            asyncio.create_task(self._update_worker(), name=f"{self.name}-updates"),
            asyncio.create_task(self._outbox_worker(), name=f"{self.name}-outbox"),
        ]
        self.updates_ready.set()
        self.sender.wake()
        try:
            yield self
        finally:
            self.stopping.set()
            self.sender.stopping.set()
            self.updates_ready.set()
            self.sender.wake()
            _, late = await asyncio.wait(self._workers, timeout=SHUTDOWN_GRACE)
            for task in late:
                task.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
            self._workers = []
            # their updates stay journaled, handled at the next start
            reads = [a.task for a in self._ahead.values() if a.task is not None]
            for read in reads:
                read.cancel()
            await asyncio.gather(*reads, return_exceptions=True)
            self._ahead.clear()
            with contextlib.suppress(Exception):
                await self.sender.release()

    async def sweep(self) -> int:
        """The periodic wake-up: queue the messages Relais starts that are due, then let the
        workers see retries whose time has come and updates a crash left (without workers:
        handle and send now). How many messages were queued."""
        async with self.relais.storage.transaction() as tx:
            queued = await self._queue_due(tx)
        if self._workers:
            self.sender.wake()
            self.updates_ready.set()
        else:
            await self.settle()
        return queued

    async def settle(self) -> None:
        """Handle every journaled update and send everything due, now."""
        await self.process_pending()
        await self.drain()

    async def drain(self) -> None:
        """Send every due outbox item of this channel (or chat)."""
        await self.sender.drain()

    # -- receiving -----------------------------------------------------------------------

    async def journal(self, entries: Iterable[Journaled]) -> None:
        """Record updates durably, then wake the worker that handles them."""
        async with self.relais.storage.transaction(durable=True) as tx:
            for entry in entries:
                await tx.journal_update(
                    entry.update_id, entry.payload, entry.sender, channel=self.name
                )
        self._journaled += 1
        self.updates_ready.set()

    async def journal_next(self, sender: str, payload: dict[str, Any]) -> int:
        """Record an update of a channel that numbers nothing itself; its id."""
        async with self.relais.storage.transaction(durable=True) as tx:
            update_id = await tx.next_update_id(self.name)
            await tx.journal_update(update_id, payload, sender, channel=self.name)
        self._journaled += 1
        self.updates_ready.set()
        return update_id

    # -- handling ------------------------------------------------------------------------

    async def _update_worker(self) -> None:
        while not self.stopping.is_set():
            await self.updates_ready.wait()
            self.updates_ready.clear()
            if self.stopping.is_set():
                return
            try:
                await self.process_pending()
            except Exception as exc:  # e.g. a full disk: keep the worker alive, retry later
                log_failure("handling updates", exc)
                await self._sleep(5)
                self.updates_ready.set()

    async def process_pending(self) -> None:
        """Handle every journaled update not handled yet, fairly: in rounds of a few updates
        per sender, each sender's in order; a sender over budget is told once to slow down and
        their pending updates are skipped. An update waiting for its long read is handled
        once it is made (with workers, when they are woken; without, before returning)."""
        async with self._handling:
            while True:
                journaled = self._journaled
                async with self.relais.storage.transaction() as tx:
                    pending = await tx.fair_pending_updates(
                        SENDER_TURN, ROUND_SIZE, channel=self.name
                    )
                ready = [u for u in pending if not self._held(u)]
                if not ready:
                    reads = [a.task for a in self._ahead.values() if a.task is not None]
                    if not pending or not reads or self._workers:
                        return  # (the end of a read wakes the workers)
                    await asyncio.wait(reads, return_when=asyncio.FIRST_COMPLETED)
                    continue
                skipped: set[str] = set()
                for update in ready:
                    if self.stopping.is_set():
                        return  # the rest stays journaled for the next start
                    if update.sender in skipped:
                        continue  # dropped with the rest of that sender's updates
                    if self._held(update):
                        continue  # an earlier one of its sender's waits for a long read
                    verdict = Verdict.ALLOW
                    if (
                        self.budgets is not None
                        and update.sender is not None
                        and not self.channel.is_status(update.payload)
                        and update.update_id not in self._ahead  # counted the first time
                    ):
                        verdict = self.budgets.take(update.sender)
                    if verdict is Verdict.ALLOW:
                        await self._process(update.update_id, update.payload, update.sender)
                    else:
                        assert update.sender is not None
                        skipped.add(update.sender)
                        await self._skip_excess(update, warn=verdict is Verdict.WARN)
                # what this round's events left for others (a help request for the team), once
                # per round and in its own transaction: a bulk send waiting there never
                # lengthens the transaction of a person's reply
                async with self.relais.storage.transaction() as tx:
                    await self._queue_due(tx)
                self.sender.wake()
                if (
                    self._round_took_all(pending)
                    and self._journaled == journaled
                    and not self._ahead
                ):
                    # nothing was left, nothing journaled since, and no update waits for a
                    # long read: no need to look again (what another process journals is seen
                    # at the next sweep)
                    return

    @staticmethod
    def _round_took_all(pending: list[PendingUpdate]) -> bool:
        """Whether a round held every update pending when it was read: it was not full, and
        no sender had their whole turn (they may have more)."""
        per_sender = collections.Counter(update.sender for update in pending)
        return len(pending) < ROUND_SIZE and max(per_sender.values()) < SENDER_TURN

    async def _skip_excess(self, update: PendingUpdate, warn: bool) -> None:
        """Mark a sender's pending updates handled without reading them; say once why."""
        assert update.sender is not None
        # whatever the payload's shape: this path must not fail on a strange update
        target = self.channel.target(update.payload)
        async with self.relais.storage.transaction() as tx:
            dropped = await tx.drop_pending_updates(update.sender, channel=self.name)
            if dropped.newest_query is not None:
                # a pressed button spins until answered; the last press is the one in sight,
                # and answering every skipped press would spend everyone's sending rate
                where = target.chat or update.sender
                await self._enqueue(tx, where, "answerCallbackQuery", {"id": dropped.newest_query})
            if warn and target.chat is not None:
                t = await self._person_translator(tx, update.sender, target.language_code)
                await self._enqueue(
                    tx, target.chat, "sendMessage", {"text": t.gettext(T_SLOW_DOWN)}
                )
        log.info("over budget: %d update(s) skipped, told=%s", dropped.count, warn)

    def _held(self, update: PendingUpdate) -> bool:
        """Whether this update waits for a long read (its own, or an earlier one of its
        sender's)."""
        return any(ahead.holds(update, update_id) for update_id, ahead in self._ahead.items())

    async def _process(self, update_id: int, payload: dict[str, Any], sender: str | None) -> None:
        ahead = self._ahead.get(update_id)
        try:
            async with self.relais.storage.transaction() as tx:
                received = self.channel.receive(payload)
                if received is not None:
                    if ahead is not None and ahead.in_transaction:
                        await self._handle(tx, received)
                    else:
                        with made_ahead(ahead.results if ahead is not None else {}):
                            await self._handle(tx, received)
                await tx.mark_update_handled(update_id, channel=self.name)
        except ReadFirst as first:
            # rolled back, nothing written: read beside the writer, then handle it again
            self._read_ahead(update_id, sender, first.read, ahead)
            return
        except Exception as exc:
            # a bug must not block the queue: say sorry, and never handle this update again
            self._ahead.pop(update_id, None)
            log_failure(f"update {update_id}", exc)
            await self._apologise(update_id, payload)
            return
        self._ahead.pop(update_id, None)

    def _read_ahead(
        self, update_id: int, sender: str | None, read: LongRead[Any], ahead: Ahead | None
    ) -> None:
        """Make `read` on the read-only connection in a task of its own; its update (and its
        sender's later ones) wait for it, the others are handled meanwhile."""
        if ahead is None:
            ahead = self._ahead[update_id] = Ahead(sender)
        ahead.reads += 1
        if ahead.reads > LONG_READS:
            ahead.in_transaction = True
            self.updates_ready.set()
            return
        ahead.task = asyncio.create_task(
            self._long_read(ahead, read), name=f"{self.name}-read-{update_id}"
        )

    async def _long_read(self, ahead: Ahead, read: LongRead[Any]) -> None:
        try:
            async with self.relais.storage.reading() as reads:
                ahead.results[read] = await read.run(reads)
        except Exception as exc:
            # e.g. the database refusing: the update reads in its own transaction, as before
            log_failure("a long read", exc)
            ahead.in_transaction = True
        finally:
            ahead.task = None
            self.updates_ready.set()

    async def _apologise(self, update_id: int, payload: dict[str, Any]) -> None:
        """Mark a failed update handled and say sorry where the payload tells, whatever its
        shape; if even that fails a few times, set the update aside."""
        try:
            async with self.relais.storage.transaction() as tx:
                await tx.mark_update_handled(update_id, channel=self.name)
                target = self.channel.target(payload)
                if target.acknowledge is not None:
                    call = target.acknowledge
                    await self._enqueue(tx, call.chat, call.method, call.payload)
                if target.chat is not None:
                    text = self._translator(target.language_code).gettext(T_ERROR)
                    await self._enqueue(tx, target.chat, "sendMessage", {"text": text})
        except Exception as exc:
            # the database itself fails (full, refusing): count the try, and after a few, set
            # the update aside (kept in the journal, flagged) so that later ones are handled
            log_failure(f"apology for update {update_id}", exc)
            async with self.relais.storage.transaction() as tx:
                aside = await tx.record_update_failure(update_id, UPDATE_TRIES, channel=self.name)
            if not aside:
                raise  # the worker waits a little and tries again: the fault may be passing
            log.error("update %s set aside after %d tries", update_id, UPDATE_TRIES)

    async def _handle(self, tx: Tx, received: Received) -> None:
        if received.acknowledge is not None:
            call = received.acknowledge
            await self._enqueue(tx, call.chat, call.method, call.payload)
        if received.blocked is not None:
            await self._status(tx, received.sender, received.chat, received.blocked)
            return
        if received.group:
            await self._refuse_group(tx, received.chat, received.language_code)
            return
        if received.event is None:
            return
        await tx.set_blocked(self.name, received.sender, False)
        event = await self._typed_choice(tx, received.chat, received.event)
        answered = await self.relais.answer(tx, self.name, received.sender, event)
        # after handling: the language the person may just have chosen, else their app's
        t = (
            self.relais.catalogs.get(answered.locale)
            if answered.locale
            else self._translator(received.language_code)
        )
        await self.planner.queue_reply(tx, received.chat, answered.reply, received.pressed, t)

    async def _typed_choice(self, tx: Tx, chat: str, event: Inbound) -> Inbound:
        """A typed number where choices were shown as numbered text is the press of that
        choice (bot.channels.keyboards); any other event stays as it came."""
        if event.kind is not EventKind.TEXT:
            return event
        resolved = await keyboards.resolve_typed(tx, self.name, chat, event.text)
        return resolved if resolved.kind is EventKind.BUTTON else event

    async def _status(self, tx: Tx, sender: str, chat: str, blocked: bool) -> None:
        await tx.set_blocked(self.name, sender, blocked)
        if blocked:
            await tx.mark_blocked_chat(chat, channel=self.name)
        # the person's id in Relais, never their platform id
        person = await tx.find_person(self.name, sender)
        who = person.id if person is not None else "-"
        log.info("bot %s by person=%s", "blocked" if blocked else "unblocked", who)

    async def _refuse_group(self, tx: Tx, chat: str, language_code: str | None) -> None:
        text = self._translator(language_code).gettext(T_GROUP)
        await self._enqueue(tx, chat, "sendMessage", {"text": text})
        await self._enqueue(tx, chat, "leaveChat", {})
        log.info("refused a group chat")

    async def _queue_due(self, tx: Tx) -> int:
        """Queue the messages Relais starts that are due on this channel (or to this chat),
        each with its priority and the person it is about (erased with them)."""
        due = await delivery.take_due(
            tx,
            self.relais.catalogs,
            self.name,
            self.clock(),
            external_id=self.chat,
            quiet=self.relais.settings.quiet_hours,
            weekly_cap=self.relais.settings.offers.weekly_cap,
        )
        for outgoing in due:
            await self.planner.queue_messages(
                tx,
                outgoing.person.external_id,
                (outgoing.message,),
                self.relais.catalogs.get(outgoing.person.locale or None),
                subject_id=outgoing.subject_id,
                shows=outgoing.shows,
                priority=outgoing.priority,
                mark=outgoing.mark,
            )
        return len(due)

    async def _enqueue(self, tx: Tx, chat: str, method: str, payload: dict[str, Any]) -> None:
        await tx.enqueue(chat, method, payload, channel=self.name, priority=delivery.REPLY)

    async def _person_translator(
        self, tx: Tx, sender: str, language_code: str | None
    ) -> Translator:
        """The language the person chose in Relais, else the one their app uses."""
        person = await tx.find_person(self.name, sender)
        if person is not None and person.locale:
            return self.relais.catalogs.get(person.locale)
        return self._translator(language_code)

    def _translator(self, language_code: str | None) -> Translator:
        """Speak the language the person's app uses, when Relais has it."""
        code = (language_code or "").split("-")[0]
        return self.relais.catalogs.get(code if code in self.relais.catalogs.languages else None)

    # -- sending -------------------------------------------------------------------------

    async def _outbox_worker(self) -> None:
        # woken by new replies, and by the scheduler's sweep for retries whose time has come
        while True:
            if not self.stopping.is_set():
                await self.sender.ready.wait()
            # a drain in progress may have used up the wake-up of the stop: not waited for then
            self.sender.ready.clear()
            stopping = self.stopping.is_set()
            try:
                await self.drain()
            except Exception as exc:
                log_failure("sending the outbox", exc)
                await self._sleep(5)
            if stopping:
                return  # one last round after the stop was asked

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)


def log_failure(what: str, exc: BaseException) -> None:
    """Log a failure with its code location but not its message, which may quote personal data."""
    where = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s failed: %s\n%s", what, type(exc).__name__, where)
