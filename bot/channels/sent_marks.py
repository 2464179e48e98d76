"""Outbox rows sent, marked so in one transaction for every turn that ends at the same moment.

Marking each sent row on its own cost a transaction (and its disk flush) per call. A turn now
hands its sent rows here when it ends (or before it waits), and waits until they are marked:
the turns that end while a transaction is being written are marked together by the next one.

What a crash can cost: a row sent but not yet marked is sent again after a restart. That is at
most the rows of the turns in flight (a few calls per chat, `SEND_TURN`), each once: nothing is
lost, and no message goes more than twice. The rows stay leased to this sender until marked, and
a turn waits for its marks before it ends, so no other turn (of this sender or another) sends
them again meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from bot.storage.database import Storage

Sent = tuple[int, dict[str, Any] | None]  # an outbox id, and the platform's result (ids only)


class SentMarks:
    """Marks sent outbox rows, batching the turns that end together."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._pending: list[Sent] = []
        self._batch: asyncio.Task[None] | None = None

    async def mark(self, sent: Sequence[Sent]) -> None:
        """Mark these rows sent, with whatever other turns hand in meanwhile; returns once they
        are committed (raises if that transaction fails: the rows are then sent again later)."""
        if not sent:
            return
        self._pending.extend(sent)
        if self._batch is None:
            self._batch = asyncio.get_running_loop().create_task(self._write())
        # a turn cancelled meanwhile (a stop) leaves the batch to be written for the others
        await asyncio.shield(self._batch)

    async def _write(self) -> None:
        try:
            # the other turns ending at this moment join in before the rows are taken
            await asyncio.sleep(0)
            async with self.storage.transaction() as tx:
                # taken once the lock is held: rows handed in while waiting for it come too
                rows, self._pending = self._pending, []
                self._batch = None
                await tx.mark_sent_many(rows)
        finally:
            if self._batch is asyncio.current_task():
                self._batch = None
