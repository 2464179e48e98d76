"""Storage: the only module that speaks SQL (aiosqlite, numbered migrations, WAL mode).

Every write goes through `Storage.transaction()`, which yields a `Tx` whose methods are the whole
repository API: persons and their state here; the update journal, the outbox and the rest in
the mixins it is made of. A transaction's statements run on the event loop's thread
(`InlineWriter`): each is an indexed read or write of a few rows, far shorter than a trip to
aiosqlite's thread and back; what may wait (for another process's lock, for the disk) goes to
that thread. Long reads (statistics, long lists, documents) go through
`Storage.reading()`, on a second, read-only connection beside the writer (bot.storage.reading).
Timestamps are stored as ISO-8601 UTC text of fixed width, so text order is time order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.core.clock import Clock, utc_now
from bot.core.domain import Person, State
from bot.offers import profile_index
from bot.privacy.private_files import prepare_database
from bot.storage.appointments import AppointmentQueries
from bot.storage.corrections import CorrectionQueries
from bot.storage.erasure import ErasureQueries
from bot.storage.exchanges import ExchangeQueries
from bot.storage.export import ExportQueries
from bot.storage.journal import DroppedUpdates, JournalQueries, PendingUpdate
from bot.storage.keyboards import KeyboardQueries
from bot.storage.offer_broadcast import OfferBroadcastQueries
from bot.storage.offer_desk import OfferDeskQueries
from bot.storage.offer_sends import OfferSendQueries
from bot.storage.offers import OfferQueries
from bot.storage.outbox import OUTBOX_STATES, OutboxItem, OutboxQueries
from bot.storage.people import STATE_COLUMNS, PersonReadQueries
from bot.storage.queries import StorageError, dump_json, to_text
from bot.storage.reach import ReachQueries
from bot.storage.reading import ReadGate, ReadTx, open_reader
from bot.storage.stats import StatsQueries
from bot.storage.team import TeamQueries, person_from_row

# the journal's and the outbox's types, where callers have always found them
__all__ = [
    "OUTBOX_STATES",
    "DroppedUpdates",
    "OutboxItem",
    "PendingUpdate",
    "ReadTx",
    "Storage",
    "StorageError",
    "Tx",
]

log = logging.getLogger("relais.storage")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
SYNCHRONOUS = "NORMAL"  # and FULL for a durable transaction (see Storage.transaction)
# after a checkpoint the WAL is cut back to this size, so it cannot keep old pages for long
JOURNAL_SIZE_LIMIT = 1024 * 1024
# the WAL is copied into the database once it holds this many pages (SQLite's own default), on
# aiosqlite's thread: left to SQLite, the commit that crosses it would copy and fsync on the
# event loop's thread (bot.storage.database.InlineWriter)
CHECKPOINT_PAGES = 1000
ANALYSIS_LIMIT = 400
# people whose offer_profiles row is made per transaction after the offers' migration
INDEX_BATCH = 500

# an erased person's id is never given again (old buttons and audit lines name it): above
# every id in use and every id the audit log still names
_NEW_PERSON_ID = (
    "(SELECT MAX(top) + 1 FROM (SELECT COALESCE(MAX(id), 0) AS top FROM persons"
    " UNION ALL SELECT COALESCE(MAX(subject_id), 0) FROM audit_log))"
)

_MIGRATION_NAME = re.compile(r"^(\d+)_([A-Za-z0-9_]+)\.sql$")


# -- migrations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    path: Path


def find_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files of `directory`, by version; duplicate versions are an error."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise StorageError(f"{path.name}: expected a migration named like 001_name.sql")
        version = int(match.group(1))
        if version in found:
            raise StorageError(
                f"{path.name}: version {version} already used by {found[version].path.name}"
            )
        found[version] = Migration(version, path.stem, path)
    return [found[v] for v in sorted(found)]


def split_statements(sql: str, source: str = "<sql>") -> list[str]:
    """Cut a script into single statements (semicolons inside strings or triggers kept)."""
    statements: list[str] = []
    start = 0
    for index, char in enumerate(sql):
        if char == ";" and sqlite3.complete_statement(sql[start : index + 1]):
            statement = sql[start : index + 1].strip()
            if _without_comments(statement).strip(" \n\t;"):
                statements.append(statement)
            start = index + 1
    if _without_comments(sql[start:]).strip():
        raise StorageError(f"{source}: the last statement does not end with a semicolon")
    return statements


def _without_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))


# -- storage -------------------------------------------------------------------------------


class InlineWriter:
    """The writer's connection, used from the event loop's thread for a transaction's
    statements.

    Going through aiosqlite's thread cost two thread switches a statement, for statements
    that take tens of microseconds: waking that thread alone was a quarter of the event loop
    thread's CPU under load, and the update worker spent most of its time waiting for it.
    Only one transaction is open at a time (the storage's lock), and aiosqlite's thread runs
    nothing on this connection meanwhile but what the transaction itself hands it (a durable
    COMMIT, a checkpoint, a background transaction's statements), awaited: the two threads
    never use it at once.
    """

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        """Run one statement now; its cursor (rows not fetched yet, rowcount)."""
        return self._raw.execute(sql, parameters or ())

    def execute_fetchall(self, sql: str, parameters: Any = ()) -> list[sqlite3.Row]:
        """Run one statement now; every row it gives."""
        return self._raw.execute(sql, parameters or ()).fetchall()

    def try_begin(self) -> bool:
        """BEGIN IMMEDIATE at once; False if another connection holds the write lock (then
        the caller waits for it on aiosqlite's thread, not here)."""
        # the timeout set (BUSY_TIMEOUT_MS, or a test's) is put back after
        waits = int(self._raw.execute("PRAGMA busy_timeout").fetchone()[0])
        self._raw.execute("PRAGMA busy_timeout=0")
        try:
            self._raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                return False
            raise
        finally:
            self._raw.execute(f"PRAGMA busy_timeout={waits}")
        return True


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite refused because another connection holds a lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


class Storage:
    """One SQLite connection that writes, whose transactions are serialised so tasks never
    interleave them; and one read-only connection beside it, for long reads."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock, wal: Path | None = None) -> None:
        self._conn = conn
        self._writer = InlineWriter(conn._conn)
        self._wal = wal  # the WAL file, whose size says when to checkpoint
        self._checkpoint_bytes = 0  # none by size (the file's page size is read at open)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._reader: aiosqlite.Connection | None = None
        # one read at a time on the reader; the checkpoint after an erasure waits for it, so
        # that no snapshot of the erased rows is still being read while the WAL is emptied
        self._gate = ReadGate()
        # the task reading now: it must not wait for the writer, which may be waiting for this
        # very read to end before its checkpoint
        self._reading_task: asyncio.Task[Any] | None = None

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        clock: Clock = utc_now,
        migrations_dir: Path = MIGRATIONS_DIR,
    ) -> Storage:
        """Open (creating if needed) the database at `path` and apply pending migrations."""
        path = Path(path)
        prepare_database(path)  # readable by the bot's user only, whatever the umask
        # isolation_level=None: no implicit transactions, every BEGIN/COMMIT is ours
        # check_same_thread=False: transactions run their statements on the event loop's
        # thread (InlineWriter), the rest on aiosqlite's; never both at once
        conn = await aiosqlite.connect(path, isolation_level=None, check_same_thread=False)
        try:
            conn.row_factory = aiosqlite.Row
            mode = await _pragma(conn, "journal_mode=WAL")
            if str(mode).lower() != "wal":
                log.warning("journal_mode is %s, not WAL: the file system may not allow WAL", mode)
            # WAL keeps the file whole whatever happens; a commit reaches the disk with the
            # next checkpoint or durable transaction (a power cut may undo the last ones, a
            # crash of the process never does). Only what Relais acknowledges to a platform
            # must be on disk first: the journal's transactions are durable (FULL).
            await _pragma(conn, f"synchronous={SYNCHRONOUS}")
            await _pragma(conn, "foreign_keys=ON")
            await _pragma(conn, f"busy_timeout={BUSY_TIMEOUT_MS}")
            # deleted rows are overwritten with zeros, whatever the build's default
            await _pragma(conn, "secure_delete=ON")
            await _pragma(conn, f"journal_size_limit={JOURNAL_SIZE_LIMIT}")
            # `PRAGMA optimize` (Storage.optimize) samples this many rows an index: quick on
            # any size of database
            await _pragma(conn, f"analysis_limit={ANALYSIS_LIMIT}")
            # checkpoints by size are Storage._transaction's, off the event loop's thread
            await _pragma(conn, "wal_autocheckpoint=0")
            storage = cls(conn, clock, path.with_name(path.name + "-wal"))
            storage._checkpoint_bytes = CHECKPOINT_PAGES * int(await _pragma(conn, "page_size"))
            await storage._migrate(find_migrations(migrations_dir))
            await storage._index_waiting_profiles()
            await storage.checkpoint()
            # opened once the schema is up to date: it reads beside the writer (WAL)
            storage._reader = await open_reader(path, BUSY_TIMEOUT_MS)
        except BaseException:
            await conn.close()
            raise
        return storage

    async def _index_waiting_profiles(self) -> None:
        """Make what matching reads of people who answered before offers existed (once, after
        the migration that brought offers), a few hundred per transaction."""
        known = await _pragma(
            self._conn, "table_list('offer_profiles_todo')"
        )  # absent from a schema of other migrations (tests of the runner)
        if known is None:
            return
        while True:
            async with self.transaction() as tx:
                if not await tx.index_waiting_profiles(INDEX_BATCH):
                    return

    async def close(self) -> None:
        """Close both connections (waits for a transaction and a read in progress), with the
        statistics of the query planner brought up to date first."""
        # the writer's lock first, then the reader's, as a checkpoint takes them
        async with self._lock, self._gate.without_reads():
            with contextlib.suppress(sqlite3.Error):  # statistics are a help, never a need
                await _pragma(self._conn, "optimize")
            if self._reader is not None:
                await self._reader.close()
                self._reader = None
            await self._conn.close()

    async def optimize(self) -> None:
        """Bring the statistics the query planner reads up to date where the tables changed
        much (`PRAGMA optimize`, sampled: milliseconds), so that it keeps choosing the right
        index as the database grows; the retention sweep asks for it every hour."""
        async with self._lock:
            await _pragma(self._conn, "optimize")

    async def pragma(self, name: str) -> Any:
        """The value of a PRAGMA, for checks and tests."""
        if not re.fullmatch(r"[a-z_]+", name):
            raise ValueError(f"not a pragma name: {name!r}")
        return await _pragma(self._conn, name)

    async def applied_migrations(self) -> list[tuple[int, str]]:
        """(version, name) of every applied migration, in order."""
        async with self._conn.execute(
            "SELECT version, name FROM schema_migrations ORDER BY version"
        ) as cursor:
            return [(int(row[0]), str(row[1])) for row in await cursor.fetchall()]

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Reading]:
        """A read on the read-only connection: one snapshot of what is committed, read beside
        the writer (no transaction waits for it). Keep it short: the checkpoint after an
        erasure waits for it. No write transaction may be opened inside the block."""
        async with self._gate.read():
            if self._reader is None:
                raise StorageError("the storage is closed")
            reader = self._reader
            self._reading_task = asyncio.current_task()
            read = ReadTx(reader)
            try:
                await reader.execute("BEGIN")
                yield read
            finally:
                read._open = False
                self._reading_task = None
                if reader.in_transaction:
                    # ends the snapshot: the WAL frames it kept can go at the next checkpoint
                    await reader.execute("ROLLBACK")

    @asynccontextmanager
    async def transaction(
        self, *, durable: bool = False, background: bool = False
    ) -> AsyncIterator[Tx]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK if the block raises. `durable`: the commit
        is on disk when the block ends (what is then acknowledged to a platform, which will not
        send it again); otherwise a power cut may undo it, a crash never does. `background`:
        its statements run on aiosqlite's thread, not the event loop's (bulk work, e.g. the
        retention purge: SQLite's work then goes on beside the event loop's, on another core,
        and calls in flight are answered meanwhile)."""
        self._not_reading("a write transaction")
        async with self._lock:
            writer = self._writer
            if self._conn.in_transaction:
                # left open by a cancellation during a previous rollback: start clean
                writer.execute("ROLLBACK")
            if durable:  # SQLite takes the level only between transactions
                writer.execute("PRAGMA synchronous=FULL")
            try:
                async with self._transaction(durable) as tx:
                    if background:
                        tx._offload = self._conn
                    yield tx
            finally:
                if durable:
                    writer.execute(f"PRAGMA synchronous={SYNCHRONOUS}")

    @asynccontextmanager
    async def _transaction(self, durable: bool = False) -> AsyncIterator[Tx]:
        """One transaction on the writer; the caller holds the lock."""
        writer = self._writer
        if not writer.try_begin():
            # another process writes: wait for its lock (busy_timeout) off the event loop
            await self._off_loop("BEGIN IMMEDIATE")
        tx = Tx(writer, self._clock)
        try:
            yield tx
            if durable:
                # on disk before returning (fsync): off the event loop
                await self._off_loop("COMMIT")
            else:
                # WAL, synchronous=NORMAL: a commit appends to the WAL, no fsync
                writer.execute("COMMIT")
            if tx._checkpoint_after:
                # still holding the lock: nothing is sent before the WAL lost its copies (the
                # checkpoint also puts the erasure on disk)
                await self._checkpoint()
            elif self._wal_full():
                try:
                    await self._off_loop("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:
                    # committed all the same: the next commit tries again
                    log.warning("WAL checkpoint failed: %s", type(exc).__name__)
        except BaseException:
            if self._conn.in_transaction:
                writer.execute("ROLLBACK")
            raise
        finally:
            tx._open = False

    async def _off_loop(self, statement: str) -> None:
        """Run one statement on aiosqlite's thread (it may wait: for a lock, for the disk).
        A cancellation waits for it to end first: meanwhile the connection is the thread's,
        and the event loop's thread must not use it (a ROLLBACK beside a COMMIT)."""
        # every row read: a statement left unfinished would keep the next COMMIT from working
        running = asyncio.ensure_future(self._conn.execute_fetchall(statement))
        try:
            await asyncio.shield(running)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await running
            raise

    def _wal_full(self) -> bool:
        """Whether the WAL grew past CHECKPOINT_PAGES (what SQLite's automatic checkpoint
        looks at; a PASSIVE checkpoint copies what no reader needs, then the next write starts
        the WAL again from its beginning, cut back to JOURNAL_SIZE_LIMIT)."""
        if self._wal is None or not self._checkpoint_bytes:
            return False
        try:
            return self._wal.stat().st_size >= self._checkpoint_bytes
        except OSError:
            return False

    async def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it to zero bytes, so that the old
        versions of changed or deleted rows it holds are gone; False if a reader prevented it."""
        self._not_reading("a checkpoint")
        async with self._lock:
            return await self._checkpoint()

    def _not_reading(self, what: str) -> None:
        """Refuse to wait for the writer inside a read: it may be waiting for that read."""
        if self._reading_task is not None and self._reading_task is asyncio.current_task():
            raise StorageError(f"{what} inside a read would wait for itself")

    async def _checkpoint(self) -> bool:
        # a read in progress on the reader holds a snapshot the WAL must keep: wait for it to
        # end (reads are short), and start no other until the WAL is empty
        async with self._gate.without_reads():
            return await self._truncate_wal()

    async def _truncate_wal(self) -> bool:
        try:
            async with self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                row = await cursor.fetchone()
        except sqlite3.Error as exc:
            # the change is committed: report the failed checkpoint, the next one will do it
            log.warning("WAL checkpoint failed: %s", type(exc).__name__)
            return False
        busy = row is not None and int(row[0]) != 0
        if busy:
            log.warning("WAL checkpoint incomplete: another connection is reading")
        return not busy

    async def _migrate(self, migrations: list[Migration]) -> None:
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        known = {m.version for m in migrations}
        newer = [v for v, _ in await self.applied_migrations() if v not in known]
        if newer:
            raise StorageError(
                f"the database has schema version {max(newer)}, which this program does not know:"
                " run a newer Relais"
            )
        for migration in migrations:
            statements = split_statements(
                migration.path.read_text(encoding="utf-8"), migration.path.name
            )
            async with self._lock:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    # checked inside the transaction: another process may have just applied it
                    async with self._conn.execute(
                        "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                    ) as cursor:
                        done = await cursor.fetchone() is not None
                    if not done:
                        for statement in statements:
                            await self._conn.execute(statement)
                        await self._conn.execute(
                            "INSERT INTO schema_migrations (version, name, applied_at)"
                            " VALUES (?, ?, ?)",
                            (migration.version, migration.name, to_text(self._clock())),
                        )
                    await self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
            if not done:
                log.info("applied migration %s", migration.name)


async def _pragma(conn: aiosqlite.Connection, statement: str) -> Any:
    rows = list(await conn.execute_fetchall(f"PRAGMA {statement}"))
    return rows[0][0] if rows else None


class Tx(
    PersonReadQueries,
    CorrectionQueries,
    JournalQueries,
    OutboxQueries,
    TeamQueries,
    StatsQueries,
    ExportQueries,
    ErasureQueries,
    KeyboardQueries,
    ReachQueries,
    ExchangeQueries,
    AppointmentQueries,
    OfferQueries,
    OfferSendQueries,
    OfferBroadcastQueries,
    OfferDeskQueries,
):
    """The repository API, valid only inside its `Storage.transaction()` block."""

    def __init__(self, conn: InlineWriter, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock
        self._open = True
        # a background transaction's statements go to aiosqlite's thread (Storage.transaction)
        self._offload: aiosqlite.Connection | None = None
        self._checkpoint_after = False  # set by a change that must leave no copy in the WAL
        # each person's saved answers as last read or written in this transaction (JSON text by
        # key), so that save_state writes what changed without reading them all again; a
        # method that writes answers otherwise forgets that person's (ids are never reused)
        self._profiles: dict[int, dict[str, str]] = {}

    # -- helpers ---------------------------------------------------------------------------

    def _now(self) -> str:
        return to_text(self._clock())

    async def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        if not self._open:
            raise StorageError("transaction already ended")
        if self._offload is not None:
            # the statement has run when execute returns: its cursor holds nothing to close
            return (await self._offload.execute(sql, params)).rowcount
        return self._conn.execute(sql, params).rowcount

    async def _fetchall(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        if not self._open:
            raise StorageError("transaction already ended")
        if self._offload is not None:
            return list(await self._offload.execute_fetchall(sql, params))
        return self._conn.execute_fetchall(sql, params)

    async def _fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    # -- persons and state -----------------------------------------------------------------

    async def load_state(self, channel: str, external_id: str) -> State:
        """The person (created if new), their session and profile; records last_seen_at."""
        now = self._now()
        row = await self._fetchone(
            "INSERT INTO persons (id, channel, external_id, created_at, last_seen_at)"
            f" VALUES ({_NEW_PERSON_ID}, ?, ?, ?, ?)"
            " ON CONFLICT (channel, external_id) DO UPDATE SET last_seen_at = excluded.last_seen_at"
            f" RETURNING {STATE_COLUMNS}",
            (channel, str(external_id), now, now),
        )
        assert row is not None  # an upsert with RETURNING always yields its row
        person_id = int(row["id"])
        # kept for save_state, which then writes only what changed without reading them again
        self._profiles[person_id] = stored = await self._profile_texts(person_id)
        return await self._state(row, stored)

    async def save_state(self, state: State) -> None:
        """Write the person, session and profile; profile keys no longer present are deleted."""
        person = state.person
        now = self._now()
        if person.id is None:
            person.id = (await self.load_state(person.channel, person.external_id)).person.id
        person_id = person.id
        assert person_id is not None
        await self._execute(
            "UPDATE persons SET locale = ?, consent = ?, centre = ?, stopped = ?, blocked = ?,"
            " session = ?, consent_version = ?, consent_at = ? WHERE id = ?",
            (
                person.locale,
                None if person.consent is None else int(person.consent),
                person.centre,
                int(person.stopped),
                int(person.blocked),
                dump_json(state.session.to_json()),
                person.consent_version,
                None if person.consent_at is None else to_text(person.consent_at),
                person.id,
            ),
        )
        stored = self._profiles.get(person_id)
        if stored is None:
            stored = await self._profile_texts(person_id)
        written: dict[str, str] = {}
        # until every write below is done, nothing is known of this person's rows
        self._profiles.pop(person_id, None)
        for key, value in state.profile.items():
            try:
                text = dump_json(value)
            except (TypeError, ValueError) as exc:
                # name the key only: the value may be personal
                raise TypeError(f"profile key {key!r}: value is not JSON-serialisable") from exc
            written[key] = text
            if stored.get(key) != text:
                await self._execute(
                    "INSERT INTO profile (person_id, key, value, updated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (person_id, key)"
                    " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    (person.id, key, text, now),
                )
        for key in stored.keys() - state.profile.keys():
            await self._execute(
                "DELETE FROM profile WHERE person_id = ? AND key = ?", (person.id, key)
            )
        self._profiles[person_id] = written
        if any(stored.get(k) != written.get(k) for k in profile_index.KEYS):
            await self.refresh_offer_profile(person_id, state.profile)

    async def find_person(self, channel: str, external_id: str) -> Person | None:
        """The person, or None if they never wrote; does not touch last_seen_at."""
        row = await self._fetchone(
            "SELECT id, channel, external_id, locale, consent, centre, stopped, blocked"
            " FROM persons WHERE channel = ? AND external_id = ?",
            (channel, str(external_id)),
        )
        return person_from_row(row) if row is not None else None

    async def set_blocked(self, channel: str, external_id: str, blocked: bool) -> None:
        """Record that the person blocked (or unblocked) the bot; unknown persons are ignored."""
        await self._execute(
            "UPDATE persons SET blocked = ? WHERE channel = ? AND external_id = ?",
            (int(blocked), channel, str(external_id)),
        )


if TYPE_CHECKING:
    from bot.storage.interfaces import Reading, Transaction

    # mypy proves here that the SQLite transaction implements every aggregate's interface
    _CONFORMS: type[Transaction] = Tx
