"""The read-only connection: long reads (statistics, long lists, documents) beside the writer.

In WAL mode SQLite lets a connection read the last committed state while another writes, so a
read made here never holds the writer: every other person's message is handled meanwhile.
Nothing can write here: `ReadTx` has only the methods of the `Reading` interface (each a
SELECT), and its connection is opened read-only (`mode=ro`) with `PRAGMA query_only`, so that
even a write SQL statement slipped into a read fails in SQLite itself.

A read holds a snapshot of the database (WAL frames) until it ends, and the TRUNCATE checkpoint
that empties the WAL after an erasure cannot finish meanwhile: `ReadGate` makes that checkpoint
wait for the read in progress (and go before the reads waiting), so reads made here must stay
short (seconds, never a conversation).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.storage.appointments import AppointmentReadQueries
from bot.storage.corrections import CorrectionReadQueries
from bot.storage.exchanges import ExchangeReadQueries
from bot.storage.export import ExportQueries
from bot.storage.offer_broadcast import OfferBroadcastReadQueries
from bot.storage.offer_desk import OfferDeskReadQueries
from bot.storage.offer_sends import OfferSendReadQueries
from bot.storage.offers import OfferReadQueries
from bot.storage.people import PersonReadQueries
from bot.storage.queries import StorageError
from bot.storage.stats import StatsQueries
from bot.storage.team import TeamReadQueries


async def open_reader(path: Path, busy_timeout_ms: int) -> aiosqlite.Connection:
    """A read-only connection to the database at `path` (opened, in WAL mode, by the writer)."""
    # isolation_level=None: no implicit transactions, the snapshot's BEGIN/COMMIT are ours
    conn = await aiosqlite.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
    )
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA query_only=ON")
        await conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    except BaseException:
        await conn.close()
        raise
    return conn


class ReadGate:
    """Who uses the read-only connection: one read at a time; a checkpoint (or closing) waits
    for the read in progress, whose snapshot keeps WAL frames, and goes before the reads
    waiting, so that it waits for one read at most."""

    def __init__(self) -> None:
        self._idle = asyncio.Event()  # no read in progress
        self._idle.set()
        self._open = asyncio.Event()  # no checkpoint waiting or running
        self._open.set()
        self._exclusive = 0

    @property
    def busy(self) -> bool:
        """A read is in progress."""
        return not self._idle.is_set()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[None]:
        """The block is the only read, and runs while no checkpoint does."""
        while not (self._open.is_set() and self._idle.is_set()):
            await self._open.wait()
            await self._idle.wait()
        self._idle.clear()  # taken in the same step as seen free: no other read starts
        try:
            yield
        finally:
            self._idle.set()

    @asynccontextmanager
    async def without_reads(self) -> AsyncIterator[None]:
        """No read runs during the block: the one in progress ends first; those waiting, and
        any asked meanwhile, start after."""
        self._exclusive += 1
        self._open.clear()
        try:
            await self._idle.wait()
            yield
        finally:
            self._exclusive -= 1
            if not self._exclusive:
                self._open.set()


class ReadTx(
    PersonReadQueries,
    TeamReadQueries,
    StatsQueries,
    ExportQueries,
    ExchangeReadQueries,
    CorrectionReadQueries,
    AppointmentReadQueries,
    OfferBroadcastReadQueries,  # (before OfferReadQueries, its base)
    OfferReadQueries,
    OfferSendReadQueries,
    OfferDeskReadQueries,
):
    """The reads, valid only inside their `Storage.reading()` block: one snapshot."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._open = True

    async def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        raise StorageError("a read never writes")

    def _now(self) -> str:
        raise StorageError("a read records no moment")

    async def _fetchall(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        if not self._open:
            raise StorageError("read already ended")
        return list(await self._conn.execute_fetchall(sql, params))

    async def _fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None


if TYPE_CHECKING:
    from bot.storage.interfaces import Reading

    # mypy proves here that the read-only transaction implements the reads' interface
    _CONFORMS: type[Reading] = ReadTx
