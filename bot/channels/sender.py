"""The outbox sender of one channel: chats side by side and in turns, best priority first, each
chat's calls in order; retries with backoff; people who blocked the bot are no longer written
to. Rows are leased while sent, so several senders may share one database; the rows a turn
sent are marked when it ends, with those of the turns ending with it (bot.channels.sent_marks).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Collection
from datetime import timedelta

from aiolimiter import AsyncLimiter

from bot.channels.protocol import (
    BadRequest,
    Blocked,
    Channel,
    ChannelError,
    PlannedCall,
    RetryAfter,
    Unavailable,
)
from bot.channels.sent_marks import Sent, SentMarks
from bot.core.clock import Clock
from bot.core.owners import dead_here, new_owner
from bot.fairness.repeats import RepeatedDocument
from bot.fairness.turns import ChatTurns
from bot.reach.delivery import BULK, NOTICE, TIDY
from bot.service import Relais
from bot.storage.database import OutboxItem
from bot.storage.offer_broadcast import DELIVERY_MARK

MAX_BACKOFF = 300.0
SEND_CONCURRENCY = 16  # chats served at the same time
SEND_TURN = 4  # outbox items of one chat sent per turn before the other chats' turns
TIDY_PLACES = 1  # chats whose answered questions are tidied at the same time, at most
# chats of a bulk send (an offer's broadcast) served at the same time, at most: with the bulk
# pace (Capabilities.bulk_per_second) below the platform's, a reply finds at most one bulk call
# ahead of it in python-telegram-bot's limiter; 4 keep that pace while a call takes < 4/29 s
BULK_PLACES = 4
LEASE_SECONDS = 60.0  # far longer than a turn takes; a crashed sender's rows wait this long
WAIT_IN_PLACE_MAX = 60.0  # a longer flood wait is spent in the outbox, not holding the row
# the furthest any sender leases ahead; a lease ending later comes from a clock that went back
HORIZON_SECONDS = LEASE_SECONDS + WAIT_IN_PLACE_MAX

log = logging.getLogger("relais.outbox")


class OutboxSender:
    """Sends what the outbox holds for one channel (or one chat of it)."""

    def __init__(
        self,
        relais: Relais,
        channel: Channel,
        clock: Clock,
        *,
        chat: str | None = None,
        owner: str | None = None,
        flood_retries: int = 0,
    ) -> None:
        """`flood_retries`: how many flood waits (RetryAfter) a call waits out in place before
        its row waits in the outbox (where a restart does not forget the wait)."""
        self.relais = relais
        self.channel = channel
        self.clock = clock
        self.chat = chat
        self.owner = owner or new_owner()
        self.flood_retries = flood_retries
        self.ready = asyncio.Event()
        self.stopping = asyncio.Event()
        self._draining = asyncio.Lock()
        settings = relais.settings.outbox
        self.max_attempts = settings.max_attempts
        self.marks = SentMarks(relais.storage)
        pace = channel.capabilities.bulk_per_second
        # bulk calls enter the platform's limiter at this pace, leaving room for replies
        self._bulk_pace = AsyncLimiter(1, 1 / pace) if pace else None
        self.base_backoff = settings.base_backoff_seconds
        self._turns: ChatTurns[OutboxItem] = ChatTurns(
            self._due_turns,
            self._deliver_chat,
            lambda item: item.chat_id,
            SEND_CONCURRENCY,
            self.ready,
            rank=lambda item: item.priority,
            # tidying answered questions takes one place, and only one no reply wants
            low_rank=TIDY,
            low_places=TIDY_PLACES,
            bulk_rank=BULK,
            bulk_places=BULK_PLACES,
        )

    def wake(self) -> None:
        """New calls may be due."""
        self.ready.set()

    async def drain(self) -> None:
        """Send every due outbox item: chats side by side and in turns (a long queue never
        holds up another chat), each chat's items in order."""
        async with self._draining:
            await self._turns.run()

    async def recover(self) -> int:
        """Give back the leases of senders of this host that died (a crash); how many rows."""
        freed = 0
        async with self.relais.storage.transaction() as tx:
            for owner in await tx.outbox_lease_owners(self.clock()):
                if dead_here(owner):
                    # an offer it held may have left just before the crash: its report says so
                    await tx.note_offers_in_flight(owner)
                    freed += await tx.release_outbox(owner)
        return freed

    async def release(self) -> None:
        """Give back every lease of this sender (it stops)."""
        async with self.relais.storage.transaction() as tx:
            await tx.release_outbox(self.owner)

    async def _due_turns(self, busy: Collection[str], chats: int) -> list[OutboxItem]:
        now = self.clock()
        async with self.relais.storage.transaction() as tx:
            return await tx.due_outbox_turns(
                now,
                SEND_TURN,
                chats,
                busy,
                channel=self.channel.name,
                chat=self.chat,
                owner=self.owner,
                horizon=now + timedelta(seconds=HORIZON_SECONDS),
            )

    async def _lease(self, ids: list[int], extra_seconds: float = 0.0) -> list[int]:
        """Take these rows for this sender, for a lease (plus `extra_seconds`, a flood wait
        spent holding the row); the ids taken."""
        now = self.clock()
        until = now + timedelta(seconds=LEASE_SECONDS + extra_seconds)
        horizon = now + timedelta(seconds=HORIZON_SECONDS)
        async with self.relais.storage.transaction() as tx:
            return await tx.lease_outbox(ids, self.owner, now, until, horizon)

    async def _deliver_chat(self, items: list[OutboxItem]) -> None:
        taken = set(await self._lease([i.id for i in items]))
        done: list[int] = []
        sent: list[Sent] = []  # marked together when the turn ends (bot.channels.sent_marks)
        try:
            for item in items:
                # another sender took it (or it is sent already): the rest keeps its order there
                if item.id not in taken:
                    break
                done.append(item.id)
                # after a postponed or refused message, the rest of that chat waits its turn
                if not await self._deliver(item, sent):
                    break
        finally:
            await self.marks.mark(sent)
        left = taken.difference(done)
        if left:
            async with self.relais.storage.transaction() as tx:
                await tx.release_outbox(self.owner, left)

    async def _held_for_quiet_hours(self, item: OutboxItem) -> bool:
        """A message Relais started, handed to the outbox before quiet hours began but not sent
        by then (a busy outbox, a stopped process), waits for the morning too."""
        now, zone = self.clock(), self.relais.catalogs.tz
        quiet = self.relais.settings.quiet_hours
        if quiet.allows(now, zone):
            return False
        async with self.relais.storage.transaction() as tx:
            await tx.hold_outbox(item.id, quiet.next_allowed(now, zone))
        return True

    async def _deliver(self, item: OutboxItem, sent: list[Sent]) -> bool:
        """Send one item and record the outcome (a success in `sent`, marked when the turn
        ends); False when the chat's later items must wait."""
        # a reply, or the tidying of a question it answered, is never held
        if NOTICE <= item.priority <= BULK and await self._held_for_quiet_hours(item):
            return False
        planned = PlannedCall(item.chat_id, item.method, item.payload)
        kind = str(item.payload.get("kind", ""))
        if item.method == "sendDocument":
            try:
                document = await self.relais.document(self.channel.name, item.chat_id, kind)
            except RepeatedDocument:
                # the very same document was sent a moment ago: once is enough
                sent.append((item.id, None))
                return True
            if document is None:
                return await self._refused(item, BadRequest("nothing to make the document from"))
            planned = PlannedCall(item.chat_id, item.method, item.payload, document)
        if item.priority == BULK and self._bulk_pace is not None:
            await self._bulk_pace.acquire()
        waits = 0
        while True:
            try:
                result = await self.channel.call(planned)
            except RetryAfter as exc:
                # a flood wait: this chat waits in place a few times (the others go on), then
                # the row waits in the outbox
                waits += 1
                if waits <= self.flood_retries and exc.seconds <= WAIT_IN_PLACE_MAX:
                    # what this turn sent is marked first: its leases must not end meanwhile
                    await self.marks.mark(sent)
                    sent.clear()
                    if await self._wait_in_place(item, exc.seconds):
                        continue
                error: ChannelError = exc
            except ChannelError as exc:
                error = exc
            else:
                break
            if planned.document is not None:
                # not delivered: when tried again, it must be made again
                self.relais.recent_documents.release(self.channel.name, item.chat_id, kind)
            return await self._failed(item, error)
        mark = item.payload.get(DELIVERY_MARK)
        if mark is not None:
            # an offer's message: offer_sends.delivered_at is stamped when it is marked sent
            result = {**(result or {}), DELIVERY_MARK: mark}
        sent.append((item.id, result))
        return True

    async def _wait_in_place(self, item: OutboxItem, seconds: float) -> bool:
        """Wait `seconds` holding the row (no other sender takes it meanwhile); False if the
        sender stops first, or the row is gone meanwhile (erased with someone, or no longer
        queued)."""
        if not await self._lease([item.id], extra_seconds=seconds):
            return False
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)
        if self.stopping.is_set():
            return False
        return bool(await self._lease([item.id]))

    async def _failed(self, item: OutboxItem, exc: ChannelError) -> bool:
        if isinstance(exc, RetryAfter):
            await self._retry(item, exc.seconds, "RetryAfter")
            return False
        if isinstance(exc, Blocked):
            async with self.relais.storage.transaction() as tx:
                await tx.mark_failed(item.id, "Forbidden")
                await tx.mark_blocked_chat(item.chat_id, channel=self.channel.name)
                await tx.set_blocked(self.channel.name, item.chat_id, True)
            log.info("outbox %s: recipient blocked the bot", item.id)
            return False
        if isinstance(exc, BadRequest):
            return await self._refused(item, exc)
        assert isinstance(exc, Unavailable), type(exc).__name__
        backoff = self.base_backoff * 2**item.attempts
        await self._retry(item, min(backoff, MAX_BACKOFF), str(exc) or "Unavailable")
        return False

    async def _refused(self, item: OutboxItem, exc: BadRequest) -> bool:
        async with self.relais.storage.transaction() as tx:
            if exc.harmless:
                await tx.mark_sent(item.id)
            else:
                await tx.mark_failed(item.id, f"BadRequest:{exc.reason}")
        if not exc.harmless:
            log.warning("outbox %s %s refused: %s", item.id, item.method, exc.reason)
        return True

    async def _retry(self, item: OutboxItem, seconds: float, error: str) -> None:
        async with self.relais.storage.transaction() as tx:
            if item.attempts + 1 >= self.max_attempts:
                await tx.mark_failed(item.id, error)
                log.warning("outbox %s gave up after %d attempts", item.id, item.attempts + 1)
            else:
                due = self.clock() + timedelta(seconds=seconds)
                await tx.mark_retry(item.id, due, error)
