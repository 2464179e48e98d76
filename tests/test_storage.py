"""Storage on a real SQLite file: migrations, state, journal, outbox, transactions."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.domain import Frame, Person, Session, State
from bot.storage.database import (
    MIGRATIONS_DIR,
    Storage,
    StorageError,
    find_migrations,
    split_statements,
    to_text,
)

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "relais.sqlite3"


@pytest.fixture
async def storage(db_path: Path, clock: FakeClock) -> AsyncIterator[Storage]:
    store = await Storage.open(db_path, clock=clock)
    yield store
    await store.close()


def raw_rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the file with the standard library, as a second opinion."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# -- opening and migrations ------------------------------------------------------------


async def test_open_creates_parent_directory_and_sets_pragmas(storage: Storage, db_path: Path):
    assert db_path.exists()
    assert str(await storage.pragma("journal_mode")).lower() == "wal"
    assert await storage.pragma("synchronous") == 1  # NORMAL: WAL, a crash undoes nothing
    assert await storage.pragma("foreign_keys") == 1
    assert await storage.pragma("busy_timeout") > 0


async def test_a_durable_transaction_reaches_the_disk_then_the_level_comes_back(
    storage: Storage,
):
    # the journal's: what is acknowledged to Telegram must survive a power cut
    async with storage.transaction(durable=True):
        assert await storage.pragma("synchronous") == 2  # FULL
    assert await storage.pragma("synchronous") == 1
    with pytest.raises(RuntimeError):
        async with storage.transaction(durable=True):
            raise RuntimeError("a failed block")
    assert await storage.pragma("synchronous") == 1


async def test_migrations_applied_once_and_reopen_is_idempotent(db_path: Path):
    expected = [(m.version, m.name) for m in find_migrations()]
    assert expected[0] == (1, "001_initial")
    first = await Storage.open(db_path)
    assert await first.applied_migrations() == expected
    await first.close()
    again = await Storage.open(db_path)
    assert await again.applied_migrations() == expected
    await again.close()
    rows = raw_rows(db_path, "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version")
    assert all(count == 1 for _, count in rows)


async def test_a_later_migration_is_applied_next(db_path: Path, tmp_path: Path):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    initial = (MIGRATIONS_DIR / "001_initial.sql").read_text(encoding="utf-8")
    (migrations / "001_initial.sql").write_text(initial, encoding="utf-8")
    store = await Storage.open(db_path, migrations_dir=migrations)
    await store.close()
    (migrations / "002_notes.sql").write_text(
        "-- a note per person\n"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT ';');\n"
        "INSERT INTO notes (body) VALUES ('a; b');\n",
        encoding="utf-8",
    )
    store = await Storage.open(db_path, migrations_dir=migrations)
    assert await store.applied_migrations() == [(1, "001_initial"), (2, "002_notes")]
    await store.close()
    assert raw_rows(db_path, "SELECT body FROM notes") == [("a; b",)]


async def test_failed_migration_leaves_nothing(db_path: Path, tmp_path: Path):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "001_broken.sql").write_text(
        "CREATE TABLE half (id INTEGER);\nINSERT INTO missing VALUES (1);\n", encoding="utf-8"
    )
    with pytest.raises(sqlite3.OperationalError):
        await Storage.open(db_path, migrations_dir=migrations)
    tables = raw_rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")
    assert ("half",) not in tables
    assert raw_rows(db_path, "SELECT * FROM schema_migrations") == []


async def test_database_newer_than_the_program_is_refused(db_path: Path, tmp_path: Path):
    await (await Storage.open(db_path)).close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO schema_migrations VALUES (999, '999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="999"):
        await Storage.open(db_path)


def test_split_statements_keeps_semicolons_in_strings_and_triggers():
    sql = (
        "CREATE TABLE a (x TEXT); INSERT INTO a VALUES ('1;2');\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 'y'; END;\n"
        "-- trailing comment\n"
    )
    statements = split_statements(sql)
    assert len(statements) == 3
    assert statements[1] == "INSERT INTO a VALUES ('1;2');"
    with pytest.raises(StorageError, match="semicolon"):
        split_statements("CREATE TABLE b (x TEXT)", "002_b.sql")


def test_migration_names_are_checked(tmp_path: Path):
    (tmp_path / "1_a.sql").write_text("", encoding="utf-8")
    (tmp_path / "01_b.sql").write_text("", encoding="utf-8")
    with pytest.raises(StorageError, match="version 1 already used"):
        find_migrations(tmp_path)
    (tmp_path / "1_a.sql").unlink()
    (tmp_path / "notes.sql").write_text("", encoding="utf-8")
    with pytest.raises(StorageError, match=r"notes\.sql"):
        find_migrations(tmp_path)


# -- persons and state -----------------------------------------------------------------


def rich_state(person: Person) -> State:
    session = Session(
        stack=[
            Frame("onboarding", "consent", {"name": "Ana"}, ["language"], []),
            Frame("cv", "experiences", {"jobs": [{"title": "cook"}]}, ["a", "b"], ["x", "y"]),
        ],
        paused={"self_assessment": Frame("self_assessment", "q3", {"q1": True}, ["q1", "q2"])},
        seq=7,
    )
    profile = {
        "first_name": "Ana",
        "age": 34,
        "languages": ["fr", "pt"],
        "address": {"postcode": "75011", "city": "Paris"},
        "driving_licence": True,
        "car": False,
        "phone": None,
        "ratio": 0.5,
        "note": "accents é, emoji 🙂",
    }
    person.locale = "pt"
    person.consent = True
    person.centre = "paris11"
    person.stopped = True
    person.blocked = False
    return State(person, session, profile)


async def test_new_person_gets_defaults(storage: Storage):
    async with storage.transaction() as tx:
        assert await tx.find_person("telegram", "42") is None
        state = await tx.load_state("telegram", "42")
    person = state.person
    assert person.id is not None
    assert (person.channel, person.external_id) == ("telegram", "42")
    assert (person.locale, person.consent, person.centre) == (None, None, None)
    assert (person.stopped, person.blocked) == (False, False)
    assert state.session == Session()
    assert state.profile == {}
    async with storage.transaction() as tx:
        again = await tx.load_state("telegram", "42")
        other = await tx.load_state("terminal", "42")
    assert again.person.id == person.id
    assert other.person.id != person.id


async def test_state_round_trip_through_reopen(db_path: Path, clock: FakeClock):
    store = await Storage.open(db_path, clock=clock)
    async with store.transaction() as tx:
        state = rich_state((await tx.load_state("telegram", "1001")).person)
        await tx.save_state(state)
    await store.close()

    clock.now = T0 + timedelta(hours=1)
    store = await Storage.open(db_path, clock=clock)
    async with store.transaction() as tx:
        loaded = await tx.load_state("telegram", "1001")
        found = await tx.find_person("telegram", "1001")
    await store.close()
    assert loaded == state
    assert loaded.session.current is not None
    assert loaded.session.current.selected == ["x", "y"]
    assert found == state.person
    rows = raw_rows(
        db_path, "SELECT consent, stopped, blocked, created_at, last_seen_at FROM persons"
    )
    assert rows == [(1, 1, 0, to_text(T0), to_text(T0 + timedelta(hours=1)))]


async def test_consent_is_stored_as_null_zero_or_one(storage: Storage, db_path: Path):
    for value in (False, None, True):
        async with storage.transaction() as tx:
            state = await tx.load_state("test", "c")
            state.person.consent = value
            await tx.save_state(state)
            assert (await tx.find_person("test", "c")).consent is value
        expected = None if value is None else int(value)
        assert raw_rows(db_path, "SELECT consent FROM persons") == [(expected,)]


async def test_profile_keys_removed_from_state_are_deleted(storage: Storage, db_path: Path):
    async with storage.transaction() as tx:
        state = await tx.load_state("test", "p")
        state.profile.update({"a": 1, "b": [1, 2], "c": "x"})
        await tx.save_state(state)
    async with storage.transaction() as tx:
        state = await tx.load_state("test", "p")
        del state.profile["b"]
        state.profile["c"] = "changed"
        await tx.save_state(state)
    async with storage.transaction() as tx:
        assert (await tx.load_state("test", "p")).profile == {"a": 1, "c": "changed"}
    assert raw_rows(db_path, "SELECT key FROM profile ORDER BY key") == [("a",), ("c",)]

    async with storage.transaction() as tx:
        state = await tx.load_state("test", "p")
        state.profile.clear()
        await tx.save_state(state)
    assert raw_rows(db_path, "SELECT COUNT(*) FROM profile") == [(0,)]


async def test_unchanged_profile_keys_keep_their_timestamp(storage: Storage, clock, db_path):
    async with storage.transaction() as tx:
        state = await tx.load_state("test", "t")
        state.profile.update({"same": {"b": 1, "a": 2}, "moves": 1})
        await tx.save_state(state)
    clock.now = T0 + timedelta(minutes=5)
    async with storage.transaction() as tx:
        state = await tx.load_state("test", "t")
        state.profile["moves"] = 2
        await tx.save_state(state)
    rows = dict(raw_rows(db_path, "SELECT key, updated_at FROM profile"))
    assert rows == {"same": to_text(T0), "moves": to_text(clock.now)}


async def test_save_state_of_a_person_never_loaded_creates_them(storage: Storage):
    async with storage.transaction() as tx:
        await tx.save_state(State(Person("test", "new", locale="en"), profile={"k": "v"}))
        state = await tx.load_state("test", "new")
    assert state.person.locale == "en"
    assert state.profile == {"k": "v"}


async def test_profile_value_that_is_not_json_names_only_the_key(storage: Storage):
    with pytest.raises(TypeError, match="'when'") as caught:
        async with storage.transaction() as tx:
            state = await tx.load_state("test", "j")
            state.profile["when"] = {1, 2}
            await tx.save_state(state)
    assert "{1, 2}" not in str(caught.value)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=st.dictionaries(st.text(), JSON, max_size=6), second=st.dictionaries(st.text(), JSON))
def test_any_json_profile_round_trips(tmp_path: Path, first: dict, second: dict):
    async def play() -> None:
        path = tmp_path / "hypothesis.sqlite3"
        path.unlink(missing_ok=True)
        store = await Storage.open(path)
        try:
            for profile in (first, second):
                async with store.transaction() as tx:
                    state = await tx.load_state("test", "h")
                    state.profile = dict(profile)
                    await tx.save_state(state)
                async with store.transaction() as tx:
                    assert (await tx.load_state("test", "h")).profile == profile
        finally:
            await store.close()

    asyncio.run(play())


async def test_nan_is_refused_as_not_json(storage: Storage):
    with pytest.raises(TypeError, match="'score'"):
        async with storage.transaction() as tx:
            state = await tx.load_state("test", "n")
            state.profile["score"] = float("nan")
            await tx.save_state(state)


async def test_set_blocked(storage: Storage):
    async with storage.transaction() as tx:
        await tx.set_blocked("telegram", "5", True)  # unknown person: nothing to do
        assert await tx.find_person("telegram", "5") is None
        await tx.load_state("telegram", "5")
        await tx.set_blocked("telegram", "5", True)
        assert (await tx.find_person("telegram", "5")).blocked is True
        await tx.set_blocked("telegram", "5", False)
        assert (await tx.find_person("telegram", "5")).blocked is False


# -- update journal --------------------------------------------------------------------


async def pending_of(tx, limit: int = 100) -> list[tuple[int, dict]]:
    """Every update still to handle (one sender here), in order: (update_id, payload)."""
    updates = await tx.fair_pending_updates(per_sender=limit, limit=limit)
    return [(u.update_id, u.payload) for u in updates]


async def test_journal_dedupes_and_returns_pending_in_order(storage: Storage, db_path: Path):
    async with storage.transaction() as tx:
        assert await tx.last_update_id() is None
        assert await tx.journal_update(12, {"update_id": 12, "message": {"text": "b"}})
        assert await tx.journal_update(10, {"update_id": 10, "message": {"text": "a"}})
        assert not await tx.journal_update(12, {"update_id": 12, "message": {"text": "other"}})
        assert await tx.last_update_id() == 12
        pending = await pending_of(tx)
    assert pending == [
        (10, {"update_id": 10, "message": {"text": "a"}}),
        (12, {"update_id": 12, "message": {"text": "b"}}),
    ]
    async with storage.transaction() as tx:
        await tx.mark_update_handled(10)
        assert [u for u, _ in await pending_of(tx)] == [12]
        assert not await tx.journal_update(10, {"update_id": 10})  # redelivered: ignored
        assert [u for u, _ in await pending_of(tx, limit=1)] == [12]
    # a handled update keeps its id (for dedupe) but not its text
    assert raw_rows(db_path, "SELECT payload FROM update_journal WHERE update_id = 10") == [(None,)]


async def test_pending_updates_survive_a_restart(db_path: Path):
    store = await Storage.open(db_path)
    async with store.transaction() as tx:
        await tx.journal_update(1, {"update_id": 1})
        await tx.journal_update(2, {"update_id": 2})
        await tx.mark_update_handled(1)
    await store.close()
    store = await Storage.open(db_path)
    async with store.transaction() as tx:
        assert await pending_of(tx) == [(2, {"update_id": 2})]
    await store.close()


async def test_purge_handled_updates_keeps_pending_recent_and_last(storage: Storage, clock):
    async with storage.transaction() as tx:
        for update_id in (1, 2, 3, 4):
            await tx.journal_update(update_id, {"update_id": update_id})
        await tx.mark_update_handled(1)
        await tx.mark_update_handled(4)
    clock.now = T0 + timedelta(days=1)
    async with storage.transaction() as tx:
        await tx.mark_update_handled(2)
        await tx.purge_handled_updates(T0 + timedelta(hours=1))
        # 1 is gone; 4 is old but the latest, so polling still knows where it was
        assert await tx.journal_update(1, {"update_id": 1}) is True
        assert await tx.journal_update(2, {"update_id": 2}) is False
        assert await tx.journal_update(4, {"update_id": 4}) is False
        assert await tx.last_update_id() == 4
        assert [u for u, _ in await pending_of(tx)] == [1, 3]


# -- outbox ----------------------------------------------------------------------------


async def due_at(tx, now, limit: int = 50):
    """The items due at `now`: every chat's turn at once, oldest chat first."""
    return await tx.due_outbox_turns(now, per_chat=limit, chats=limit)


async def test_outbox_lifecycle(storage: Storage, db_path: Path):
    async with storage.transaction() as tx:
        first = await tx.enqueue("100", "sendMessage", {"text": "bonjour"})
        second = await tx.enqueue("200", "sendMessage", {"text": "salut"})
        later = await tx.enqueue("300", "sendMessage", {"text": "rappel"}, T0 + timedelta(hours=2))
        assert await tx.outbox_counts() == {"queued": 3, "sent": 0, "failed": 0, "blocked": 0}
        due = await due_at(tx, T0)
    assert [i.id for i in due] == [first, second]
    assert due[0].chat_id == "100"
    assert due[0].method == "sendMessage"
    assert due[0].payload == {"text": "bonjour"}
    assert due[0].attempts == 0
    assert due[0].created_at == T0

    async with storage.transaction() as tx:
        await tx.mark_sent(first, {"message_id": 55})
        await tx.mark_retry(second, T0 + timedelta(seconds=30), "RetryAfter")
        assert await due_at(tx, T0) == []
        retried = await due_at(tx, T0 + timedelta(seconds=30))
        assert [(i.id, i.attempts) for i in retried] == [(second, 1)]
        await tx.mark_failed(second, "BadRequest:chat not found")
        assert [i.id for i in await due_at(tx, T0 + timedelta(hours=3))] == [later]
        assert await tx.outbox_counts() == {"queued": 1, "sent": 1, "failed": 1, "blocked": 0}

    rows = raw_rows(
        db_path, "SELECT state, attempts, payload, last_error, result FROM outbox ORDER BY id"
    )
    assert rows == [
        ("sent", 1, "{}", None, '{"message_id":55}'),
        ("failed", 2, "{}", "BadRequest:chat not found", None),
        ("queued", 0, '{"text":"rappel"}', None, None),
    ]


async def test_blocked_chat_stops_every_queued_item_of_that_chat(storage: Storage):
    async with storage.transaction() as tx:
        sent = await tx.enqueue("7", "sendMessage", {"text": "1"})
        await tx.mark_sent(sent)
        await tx.enqueue("7", "sendMessage", {"text": "2"})
        await tx.enqueue("7", "sendMessage", {"text": "3"}, T0 + timedelta(days=1))
        other = await tx.enqueue("8", "sendMessage", {"text": "4"})
        assert await tx.mark_blocked_chat("7") == 2
        assert await tx.outbox_counts() == {"queued": 1, "sent": 1, "failed": 0, "blocked": 2}
        assert [i.id for i in await due_at(tx, T0 + timedelta(days=2))] == [other]


async def test_a_chat_waiting_for_a_retry_gets_nothing_newer(storage: Storage):
    async with storage.transaction() as tx:
        a1 = await tx.enqueue("a", "sendMessage", {"text": "a1"})
        a2 = await tx.enqueue("a", "sendMessage", {"text": "a2"})
        b1 = await tx.enqueue("b", "sendMessage", {"text": "b1"})
        # a scheduled reminder must not hold back the conversation
        await tx.enqueue("b", "sendMessage", {"text": "tomorrow"}, T0 + timedelta(days=1))
        b2 = await tx.enqueue("b", "sendMessage", {"text": "b2"})
        await tx.mark_retry(a1, T0 + timedelta(seconds=5), "RetryAfter")
        assert [i.id for i in await due_at(tx, T0)] == [b1, b2]
        assert [i.id for i in await due_at(tx, T0 + timedelta(seconds=5))] == [a1, a2, b1, b2]
        assert [i.id for i in await due_at(tx, T0, limit=1)] == [b1]


async def test_retry_does_not_revive_a_finished_item(storage: Storage):
    async with storage.transaction() as tx:
        item = await tx.enqueue("9", "sendMessage", {"text": "x"})
        await tx.mark_blocked_chat("9")
        await tx.mark_retry(item, T0, "TimedOut")
        assert await tx.outbox_counts() == {"queued": 0, "sent": 0, "failed": 0, "blocked": 1}


async def test_stored_errors_are_capped(storage: Storage, db_path: Path):
    async with storage.transaction() as tx:
        item = await tx.enqueue("9", "sendMessage", {"text": "x"})
        await tx.mark_failed(item, "E" * 10_000)
    [(error,)] = raw_rows(db_path, "SELECT last_error FROM outbox")
    assert len(error) <= 200


async def test_purge_outbox_deletes_only_finished_items(storage: Storage, clock):
    async with storage.transaction() as tx:
        done = await tx.enqueue("1", "sendMessage", {"text": "x"})
        await tx.enqueue("1", "sendMessage", {"text": "y"})
        await tx.mark_sent(done)
    clock.now = T0 + timedelta(days=30)
    async with storage.transaction() as tx:
        assert await tx.purge_outbox(T0 + timedelta(days=1)) == 1
        assert await tx.outbox_counts() == {"queued": 1, "sent": 0, "failed": 0, "blocked": 0}


async def test_the_purges_delete_a_batch_at_a_time_oldest_first(storage: Storage, clock):
    # the retention purge calls each with a limit, one transaction a batch
    async with storage.transaction() as tx:
        for update_id in (1, 2, 3, 4):
            await tx.journal_update(update_id, {"update_id": update_id})
            await tx.mark_update_handled(update_id)
            sent = await tx.enqueue("1", "sendMessage", {"text": "x"})
            await tx.mark_sent(sent)
            clock.now += timedelta(minutes=1)
    clock.now = T0 + timedelta(days=30)
    async with storage.transaction() as tx:
        assert await tx.purge_handled_updates(clock.now, limit=2) == 2
        assert await tx.purge_handled_updates(clock.now, limit=2) == 1  # the last one stays
        assert await tx.journal_update(1, {"update_id": 1}) is True  # the oldest went first
        assert await tx.purge_outbox(clock.now, limit=3) == 3
        assert await tx.purge_outbox(clock.now, limit=3) == 1
        assert await tx.purge_outbox(clock.now, limit=3) == 0
        with pytest.raises(ValueError, match="row limit"):
            await tx.purge_outbox(clock.now, limit=0)


async def test_naive_datetimes_are_refused(storage: Storage):
    with pytest.raises(ValueError, match="naive"):
        async with storage.transaction() as tx:
            await due_at(tx, datetime(2026, 1, 1))


# -- transactions ----------------------------------------------------------------------


async def test_rollback_on_exception_leaves_nothing(storage: Storage, db_path: Path):
    with pytest.raises(RuntimeError, match="boom"):
        async with storage.transaction() as tx:
            state = await tx.load_state("test", "r")
            state.profile["k"] = "v"
            await tx.save_state(state)
            await tx.journal_update(1, {"update_id": 1})
            await tx.enqueue("1", "sendMessage", {"text": "x"})
            raise RuntimeError("boom")
    for table in ("persons", "profile", "update_journal", "outbox"):
        assert raw_rows(db_path, f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    async with storage.transaction() as tx:  # the connection is usable again
        assert await tx.find_person("test", "r") is None


async def test_commit_is_durable_and_visible_to_another_connection(storage: Storage, db_path):
    async with storage.transaction() as tx:
        await tx.enqueue("1", "sendMessage", {"text": "x"})
    assert raw_rows(db_path, "SELECT COUNT(*) FROM outbox") == [(1,)]


async def test_tx_cannot_be_used_after_its_block(storage: Storage):
    async with storage.transaction() as tx:
        pass
    with pytest.raises(StorageError, match="ended"):
        await tx.find_person("test", "x")


async def test_concurrent_transactions_are_serialised(storage: Storage):
    inside = 0
    overlaps = 0

    async def worker(n: int) -> None:
        nonlocal inside, overlaps
        for i in range(10):
            async with storage.transaction() as tx:
                inside += 1
                overlaps += inside > 1
                state = await tx.load_state("test", "shared")
                count = state.profile.get("count", 0)
                await asyncio.sleep(0)  # let the other tasks try to get in
                state.profile["count"] = count + 1
                await tx.save_state(state)
                await tx.enqueue(str(n), "sendMessage", {"i": i})
                inside -= 1

    await asyncio.gather(*(worker(n) for n in range(8)))
    assert overlaps == 0
    async with storage.transaction() as tx:
        assert (await tx.load_state("test", "shared")).profile["count"] == 80
        assert (await tx.outbox_counts())["queued"] == 80


async def test_a_transaction_left_open_is_rolled_back_first(storage: Storage):
    # what a cancellation during ROLLBACK could leave behind
    await storage._conn.execute("BEGIN")
    await storage._conn.execute(
        "INSERT INTO update_journal (update_id, received_at) VALUES (1, '')"
    )
    async with storage.transaction() as tx:
        assert await tx.last_update_id() is None


async def test_a_transaction_waits_for_another_process_without_holding_the_event_loop(
    storage: Storage, db_path: Path
):
    # a transaction's statements run on the event loop's thread; waiting for the write lock
    # that another process holds must not: everything else goes on meanwhile
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO update_journal (update_id, received_at) VALUES (7, '')")

    async def write() -> int | None:
        async with storage.transaction() as tx:
            return await tx.last_update_id()

    writing = asyncio.create_task(write())
    ticks = 0
    while ticks < 5:  # the event loop turns while the transaction waits
        await asyncio.sleep(0.01)
        ticks += 1
    assert not writing.done()
    other.execute("COMMIT")
    other.close()
    # it began once the lock was free: it sees what the other process wrote
    assert await asyncio.wait_for(writing, 5) == 7
    async with storage.transaction() as tx:
        assert await tx.journal_update(8, {})


async def test_a_durable_transaction_cancelled_in_its_commit_ends_cleanly(storage: Storage):
    # the durable COMMIT runs on aiosqlite's thread: a cancellation waits for it, so that the
    # event loop's thread never uses the connection at the same time
    async def journal() -> None:
        async with storage.transaction(durable=True) as tx:
            await tx.journal_update(1, {"n": 1})

    task = asyncio.create_task(journal())
    await asyncio.sleep(0)
    await asyncio.sleep(0)  # now in its COMMIT, or done
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    async with storage.transaction() as tx:  # the connection is usable again
        assert await tx.journal_update(2, {"n": 2})


async def test_cancelled_transaction_rolls_back_and_frees_the_lock(storage: Storage):
    started = asyncio.Event()

    async def slow() -> None:
        async with storage.transaction() as tx:
            await tx.enqueue("1", "sendMessage", {"text": "never"})
            started.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(slow())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with storage.transaction() as tx:
        assert (await tx.outbox_counts())["queued"] == 0
