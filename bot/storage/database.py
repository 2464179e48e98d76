"""Storage: the only module that speaks SQL (aiosqlite, numbered migrations, WAL mode).

Everything goes through `Storage.transaction()`, which yields a `Tx` whose methods are the whole
repository API: persons and their state, the Telegram update journal and the outbox.
Timestamps are stored as ISO-8601 UTC text of fixed width, so text order is time order.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.clock import Clock, utc_now
from bot.core.domain import Person, Session, State
from bot.privacy.private_files import prepare_database
from bot.storage.erasure import ErasureQueries
from bot.storage.export import ExportQueries
from bot.storage.keyboards import KeyboardQueries
from bot.storage.queries import from_text, to_text
from bot.storage.reach import ReachQueries
from bot.storage.stats import StatsQueries
from bot.storage.team import TeamQueries, person_from_row

log = logging.getLogger("relais.storage")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
# after a checkpoint the WAL is cut back to this size, so it cannot keep old pages for long
JOURNAL_SIZE_LIMIT = 1024 * 1024
OUTBOX_STATES = ("queued", "sent", "failed", "blocked")
ERROR_MAX = 200

# an erased person's id is never given again (old buttons and audit lines name it): above
# every id in use and every id the audit log still names
_NEW_PERSON_ID = (
    "(SELECT MAX(top) + 1 FROM (SELECT COALESCE(MAX(id), 0) AS top FROM persons"
    " UNION ALL SELECT COALESCE(MAX(subject_id), 0) FROM audit_log))"
)

_MIGRATION_NAME = re.compile(r"^(\d+)_([A-Za-z0-9_]+)\.sql$")


class StorageError(Exception):
    """The database cannot be used as it is (bad migration, newer schema, closed transaction)."""


@dataclass(frozen=True)
class OutboxItem:
    """One queued platform call."""

    id: int
    chat_id: str
    method: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class PendingUpdate:
    """A journaled update not handled yet, with its sender (a platform user id, or None)."""

    update_id: int
    sender: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class DroppedUpdates:
    """Updates skipped at once: how many, and the newest button press among them to answer."""

    count: int
    newest_query: str | None


def _dump(value: Any) -> str:
    # sorted keys and no spaces: equal values give equal text, so changes can be detected;
    # NaN and infinities are not JSON (PostgreSQL's jsonb refuses them): refuse them here too
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def _short_error(error: str) -> str:
    # callers pass a class name or code; a length cap keeps a mistake from storing a whole text
    return str(error)[:ERROR_MAX]


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


class Storage:
    """One SQLite connection; transactions are serialised so tasks never interleave them."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock
        self._lock = asyncio.Lock()

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
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            mode = await _pragma(conn, "journal_mode=WAL")
            if str(mode).lower() != "wal":
                log.warning("journal_mode is %s, not WAL: the file system may not allow WAL", mode)
            await _pragma(conn, "synchronous=FULL")
            await _pragma(conn, "foreign_keys=ON")
            await _pragma(conn, f"busy_timeout={BUSY_TIMEOUT_MS}")
            # deleted rows are overwritten with zeros, whatever the build's default
            await _pragma(conn, "secure_delete=ON")
            await _pragma(conn, f"journal_size_limit={JOURNAL_SIZE_LIMIT}")
            storage = cls(conn, clock)
            await storage._migrate(find_migrations(migrations_dir))
            await storage.checkpoint()
        except BaseException:
            await conn.close()
            raise
        return storage

    async def close(self) -> None:
        """Close the connection (waits for a transaction in progress)."""
        async with self._lock:
            await self._conn.close()

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
    async def transaction(self) -> AsyncIterator[Tx]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK if the block raises."""
        async with self._lock:
            if self._conn.in_transaction:
                # left open by a cancellation during a previous rollback: start clean
                await self._conn.execute("ROLLBACK")
            await self._conn.execute("BEGIN IMMEDIATE")
            tx = Tx(self._conn, self._clock)
            try:
                yield tx
                await self._conn.execute("COMMIT")
                if tx._checkpoint_after:
                    # still holding the lock: nothing is sent before the WAL lost its copies
                    await self._checkpoint()
            except BaseException:
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                raise
            finally:
                tx._open = False

    async def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it to zero bytes, so that the old
        versions of changed or deleted rows it holds are gone; False if a reader prevented it."""
        async with self._lock:
            return await self._checkpoint()

    async def _checkpoint(self) -> bool:
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


def _outbox_item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=int(row["id"]),
        chat_id=row["chat_id"],
        method=row["method"],
        payload=json.loads(row["payload"]),
        attempts=int(row["attempts"]),
        created_at=from_text(row["created_at"]),
    )


async def _pragma(conn: aiosqlite.Connection, statement: str) -> Any:
    async with conn.execute(f"PRAGMA {statement}") as cursor:
        row = await cursor.fetchone()
    return row[0] if row is not None else None


class Tx(TeamQueries, StatsQueries, ExportQueries, ErasureQueries, KeyboardQueries, ReachQueries):
    """The repository API, valid only inside its `Storage.transaction()` block."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock
        self._open = True
        self._checkpoint_after = False  # set by a change that must leave no copy in the WAL

    # -- helpers ---------------------------------------------------------------------------

    def _now(self) -> str:
        return to_text(self._clock())

    async def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        if not self._open:
            raise StorageError("transaction already ended")
        async with self._conn.execute(sql, params) as cursor:
            return cursor.rowcount

    async def _fetchall(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        if not self._open:
            raise StorageError("transaction already ended")
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

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
            " RETURNING id, channel, external_id, locale, consent, centre, stopped, blocked,"
            " session, consent_version, consent_at",
            (channel, str(external_id), now, now),
        )
        assert row is not None  # an upsert with RETURNING always yields its row
        person = person_from_row(row)
        profile = {
            r["key"]: json.loads(r["value"])
            for r in await self._fetchall(
                "SELECT key, value FROM profile WHERE person_id = ?", (person.id,)
            )
        }
        return State(person, Session.from_json(json.loads(row["session"])), profile)

    async def save_state(self, state: State) -> None:
        """Write the person, session and profile; profile keys no longer present are deleted."""
        person = state.person
        now = self._now()
        if person.id is None:
            person.id = (await self.load_state(person.channel, person.external_id)).person.id
        await self._execute(
            "UPDATE persons SET locale = ?, consent = ?, centre = ?, stopped = ?, blocked = ?,"
            " session = ?, consent_version = ?, consent_at = ? WHERE id = ?",
            (
                person.locale,
                None if person.consent is None else int(person.consent),
                person.centre,
                int(person.stopped),
                int(person.blocked),
                _dump(state.session.to_json()),
                person.consent_version,
                None if person.consent_at is None else to_text(person.consent_at),
                person.id,
            ),
        )
        stored = {
            r["key"]: r["value"]
            for r in await self._fetchall(
                "SELECT key, value FROM profile WHERE person_id = ?", (person.id,)
            )
        }
        for key, value in state.profile.items():
            try:
                text = _dump(value)
            except (TypeError, ValueError) as exc:
                # name the key only: the value may be personal
                raise TypeError(f"profile key {key!r}: value is not JSON-serialisable") from exc
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

    # -- update journal --------------------------------------------------------------------

    async def journal_update(
        self, update_id: int, payload: dict[str, Any], sender: str | None = None
    ) -> bool:
        """Record an incoming update and who sent it; False if it was already recorded."""
        changed = await self._execute(
            "INSERT INTO update_journal (update_id, payload, received_at, sender)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING",
            (int(update_id), _dump(payload), self._now(), sender),
        )
        return changed == 1

    async def fair_pending_updates(
        self, per_sender: int = 2, limit: int = 64
    ) -> list[PendingUpdate]:
        """One round of updates to handle: each sender's oldest `per_sender` at most, in turns
        (everyone's first, then everyone's second…), oldest first within a turn.

        A person's update therefore never waits behind another person's backlog, and each
        person's updates keep their order. Set-aside updates are left out.
        """
        rows = await self._fetchall(
            "WITH ranked AS ("
            " SELECT update_id,"
            "  ROW_NUMBER() OVER (PARTITION BY sender ORDER BY update_id) AS turn"
            " FROM update_journal WHERE handled_at IS NULL AND set_aside_at IS NULL)"
            " SELECT j.update_id, j.sender, j.payload FROM ranked r"
            " JOIN update_journal j ON j.update_id = r.update_id"
            " WHERE r.turn <= ? ORDER BY r.turn, r.update_id LIMIT ?",
            (per_sender, limit),
        )
        return [
            PendingUpdate(int(r["update_id"]), r["sender"], json.loads(r["payload"])) for r in rows
        ]

    async def drop_pending_updates(self, sender: str) -> DroppedUpdates:
        """Mark every pending message and button press of `sender` handled, unread (they sent
        too much at once); chat membership changes are kept, they cost nothing."""
        pending = (
            "sender = ? AND handled_at IS NULL AND set_aside_at IS NULL"
            " AND json_extract(payload, '$.my_chat_member') IS NULL"
        )
        row = await self._fetchone(
            "SELECT json_extract(payload, '$.callback_query.id') AS query FROM update_journal"
            f" WHERE {pending} AND json_extract(payload, '$.callback_query.id') IS NOT NULL"
            " ORDER BY update_id DESC LIMIT 1",
            (sender,),
        )
        count = await self._execute(
            "UPDATE update_journal SET handled_at = ?, payload = NULL, sender = NULL"
            f" WHERE {pending}",
            (self._now(), sender),
        )
        return DroppedUpdates(count, None if row is None else str(row["query"]))

    async def mark_update_handled(self, update_id: int) -> None:
        """Never handle this update again; its payload (names, text) and sender are dropped."""
        await self._execute(
            "UPDATE update_journal SET handled_at = ?, payload = NULL, sender = NULL"
            " WHERE update_id = ? AND handled_at IS NULL",
            (self._now(), int(update_id)),
        )

    async def record_update_failure(self, update_id: int, max_attempts: int) -> bool:
        """Count a failed try at an update; True once it is set aside (kept, flagged, never
        tried again)."""
        await self._execute(
            "UPDATE update_journal SET attempts = attempts + 1,"
            " set_aside_at = CASE WHEN attempts + 1 >= ? THEN ? END"
            " WHERE update_id = ? AND handled_at IS NULL AND set_aside_at IS NULL",
            (max_attempts, self._now(), int(update_id)),
        )
        row = await self._fetchone(
            "SELECT set_aside_at FROM update_journal WHERE update_id = ?", (int(update_id),)
        )
        return row is not None and row["set_aside_at"] is not None

    async def purge_set_aside_updates(self, before: datetime) -> int:
        """Forget updates set aside before `before` (their payload holds what people wrote)."""
        return await self._execute(
            "DELETE FROM update_journal WHERE set_aside_at IS NOT NULL AND set_aside_at < ?"
            " AND update_id < (SELECT MAX(update_id) FROM update_journal)",
            (to_text(before),),
        )

    async def last_update_id(self) -> int | None:
        """The highest update_id ever recorded (the next polling offset is this + 1)."""
        row = await self._fetchone("SELECT MAX(update_id) AS top FROM update_journal")
        return int(row["top"]) if row is not None and row["top"] is not None else None

    async def purge_handled_updates(self, before: datetime) -> int:
        """Forget updates handled before `before`; the latest is kept for last_update_id."""
        return await self._execute(
            "DELETE FROM update_journal WHERE handled_at IS NOT NULL AND handled_at < ?"
            " AND update_id < (SELECT MAX(update_id) FROM update_journal)",
            (to_text(before),),
        )

    # -- outbox ----------------------------------------------------------------------------

    async def enqueue(
        self,
        chat_id: str,
        method: str,
        payload: dict[str, Any],
        not_before: datetime | None = None,
        *,
        subject_id: int | None = None,
        sensitive: bool = False,
        shows: Collection[int] = (),
    ) -> int:
        """Queue one platform call (due now, or at `not_before`); its outbox id.

        `subject_id`: the person the message is about (erased with them); `shows`: everyone
        else it names (a volunteer's list; each erased with them too); `sensitive`: the row is
        deleted, not kept, once it leaves the queue (an invitation code, a farewell).
        """
        now = self._now()
        row = await self._fetchone(
            "INSERT INTO outbox (chat_id, method, payload, not_before, created_at, updated_at,"
            " subject_id, sensitive) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                str(chat_id),
                method,
                _dump(payload),
                None if not_before is None else to_text(not_before),
                now,
                now,
                subject_id,
                int(sensitive),
            ),
        )
        assert row is not None
        for person_id in set(shows):
            await self._execute(
                "INSERT INTO outbox_about (outbox_id, person_id) VALUES (?, ?)",
                (int(row["id"]), int(person_id)),
            )
        return int(row["id"])

    async def due_outbox_turns(
        self, now: datetime, per_chat: int, chats: int, busy: Collection[str] = ()
    ) -> list[OutboxItem]:
        """The next turn of up to `chats` chats not in `busy`: each chat's first `per_chat`
        due items, chats by their oldest due item, each chat's items in order.

        An item waits while an older item of the same chat waits for a retry, so a chat never
        receives its messages out of order. The scheduler, not this query, decides which chats
        go first.
        """
        at = to_text(now)
        rows = await self._fetchall(
            "WITH waiting AS ("
            " SELECT chat_id, MIN(id) AS first_wait FROM outbox"
            " WHERE state = 'queued' AND attempts > 0 AND not_before > ? GROUP BY chat_id),"
            " due AS ("
            " SELECT o.id, o.chat_id,"
            "  ROW_NUMBER() OVER (PARTITION BY o.chat_id ORDER BY o.id) AS turn,"
            "  MIN(o.id) OVER (PARTITION BY o.chat_id) AS first"
            " FROM outbox o LEFT JOIN waiting w ON w.chat_id = o.chat_id"
            " WHERE o.state = 'queued' AND (o.not_before IS NULL OR o.not_before <= ?)"
            "  AND (w.first_wait IS NULL OR o.id < w.first_wait)"
            "  AND o.chat_id NOT IN (SELECT value FROM json_each(?)))"
            " SELECT o.id, o.chat_id, o.method, o.payload, o.attempts, o.created_at"
            " FROM due d JOIN outbox o ON o.id = d.id"
            " WHERE d.turn <= ? ORDER BY d.first, d.turn LIMIT ?",
            (at, at, json.dumps([str(c) for c in busy]), per_chat, per_chat * chats),
        )
        return [_outbox_item(r) for r in rows]

    async def mark_sent(self, id: int, result: dict[str, Any] | None = None) -> None:
        """The call succeeded; `result` (ids only, never text) is kept, the payload dropped."""
        await self._finish(id, "sent", None, None if result is None else _dump(result))

    async def mark_retry(self, id: int, next_at: datetime, error: str) -> None:
        """The call failed for now: try again at `next_at` (only if still queued)."""
        await self._execute(
            "UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?,"
            " updated_at = ? WHERE id = ? AND state = 'queued'",
            (to_text(next_at), _short_error(error), self._now(), id),
        )

    async def mark_failed(self, id: int, error: str) -> None:
        """The call failed for good; `error` is an error class or code, never message text."""
        await self._finish(id, "failed", _short_error(error), None)

    async def _finish(self, id: int, state: str, error: str | None, result: str | None) -> None:
        # a finished row is never sent again, so its text is no longer needed: drop it
        await self._execute(
            "UPDATE outbox SET state = ?, attempts = attempts + 1, payload = '{}',"
            " last_error = COALESCE(?, last_error), result = ?, updated_at = ? WHERE id = ?",
            (state, error, result, self._now(), id),
        )
        await self._forget_sensitive("id = ?", (id,))

    async def _forget_sensitive(self, where: str, params: tuple[Any, ...]) -> None:
        # a sensitive row that left the queue is deleted, and the WAL copies of its text go
        # with a checkpoint when the transaction commits
        if await self._execute(
            f"DELETE FROM outbox WHERE sensitive = 1 AND state <> 'queued' AND {where}", params
        ):
            self._checkpoint_after = True

    async def mark_blocked_chat(self, chat_id: str) -> int:
        """Every queued item of this chat becomes 'blocked' (the recipient blocked the bot)."""
        blocked = await self._execute(
            "UPDATE outbox SET state = 'blocked', payload = '{}', updated_at = ?"
            " WHERE chat_id = ? AND state = 'queued'",
            (self._now(), str(chat_id)),
        )
        await self._forget_sensitive("chat_id = ?", (str(chat_id),))
        return blocked

    async def outbox_counts(self) -> dict[str, int]:
        """Number of outbox items in each state (every state present, zeros included)."""
        counts = dict.fromkeys(OUTBOX_STATES, 0)
        for row in await self._fetchall("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state"):
            counts[row["state"]] = int(row["n"])
        return counts

    async def purge_outbox(self, before: datetime) -> int:
        """Delete items that left the queue (sent, failed, blocked) before `before`."""
        return await self._execute(
            "DELETE FROM outbox WHERE state <> 'queued' AND updated_at < ?", (to_text(before),)
        )
