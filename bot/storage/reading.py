"""The read-only connection: long reads (statistics, long lists, documents) beside the writer.

In WAL mode SQLite lets a connection read the last committed state while another writes, so a
read made here never holds the writer: every other person's message is handled meanwhile.
Nothing can write here: `ReadTx` has only the methods of the `Reading` interface (each a
SELECT), and its connection is opened read-only (`mode=ro`) with `PRAGMA query_only`, so that
even a write SQL statement slipped into a read fails in SQLite itself.

A read holds a snapshot of the database (WAL frames) until it ends, and the TRUNCATE checkpoint
that empties the WAL after an erasure cannot finish meanwhile: `Storage` makes that checkpoint
wait for the read in progress, so reads made here must stay short (seconds, never a
conversation).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.storage.corrections import CorrectionReadQueries
from bot.storage.exchanges import ExchangeReadQueries
from bot.storage.export import ExportQueries
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


class ReadTx(
    PersonReadQueries,
    TeamReadQueries,
    StatsQueries,
    ExportQueries,
    ExchangeReadQueries,
    CorrectionReadQueries,
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
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None


if TYPE_CHECKING:
    from bot.storage.interfaces import Reading

    # mypy proves here that the read-only transaction implements the reads' interface
    _CONFORMS: type[Reading] = ReadTx
