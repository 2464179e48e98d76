"""The read-only connection (Storage.reading): long reads beside the writer, that can never
write, and never keep an erased person in the WAL."""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.core.domain import Centre
from bot.storage import interfaces
from bot.storage.database import ReadTx, Storage, StorageError
from bot.storage.reading import ReadGate
from bot.testing.moment import fixed_clock
from tests.leftovers import FIRST_NAME, LAST_NAME, PERSONAL, database_files, leftovers


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    store = await Storage.open(tmp_path / "relais.sqlite3", clock=fixed_clock)
    async with store.transaction() as tx:
        await tx.sync_centres([Centre("paris11", "Paris 11e")])
    yield store
    await store.close()


async def a_person(storage: Storage, name: str = "ana", **profile: str) -> int:
    async with storage.transaction() as tx:
        state = await tx.load_state("test", name)
        state.person.consent, state.person.centre = True, "paris11"
        state.profile.update(profile)
        await tx.save_state(state)
    assert state.person.id is not None
    return state.person.id


class WatchedGate(ReadGate):
    """The reader's gate, telling when a checkpoint waits for a read in progress."""

    def __init__(self) -> None:
        super().__init__()
        self.waited = asyncio.Event()

    @asynccontextmanager
    async def without_reads(self) -> AsyncIterator[None]:
        if self.busy:
            self.waited.set()
        async with super().without_reads():
            yield


def reads_declared() -> set[str]:
    """Every method of the reads' interface (its aggregates' read parts)."""
    return {
        name
        for part in interfaces.Reading.__mro__
        if part.__module__ == interfaces.__name__
        for name, value in vars(part).items()
        if not name.startswith("_") and callable(value)
    }


def test_the_read_only_transaction_has_the_reads_and_nothing_else() -> None:
    public = {n for n, v in inspect.getmembers(ReadTx) if not n.startswith("_") and callable(v)}
    assert public == reads_declared()
    # what writes is not even there
    for write in (
        "load_state",
        "save_state",
        "audit",
        "erase_person",
        "enqueue",
        "update_followup",
    ):
        assert not hasattr(ReadTx, write), write


async def test_a_write_on_the_read_only_connection_fails(storage: Storage) -> None:
    async with storage.reading() as reads:
        assert isinstance(reads, ReadTx)
        # SQL slipped into a read: refused by SQLite itself (mode=ro, query_only)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await reads._fetchall(
                "INSERT INTO centres (id, name, source) VALUES ('x', 'X', 'admin')"
            )
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await reads._fetchall("DELETE FROM centres")
        with pytest.raises(StorageError, match="never writes"):
            await reads._execute("DELETE FROM centres")
        assert [c.id for c in await reads.active_centres()] == ["paris11"]
    async with storage.transaction() as tx:
        assert [c.id for c in await tx.active_centres()] == ["paris11"]


async def test_a_read_ends_with_its_block(storage: Storage) -> None:
    async with storage.reading() as reads:
        pass
    with pytest.raises(StorageError, match="ended"):
        await reads.active_centres()


async def test_the_writer_goes_on_while_a_read_holds_its_snapshot(storage: Storage) -> None:
    async def add(centre: str) -> None:
        async with storage.transaction() as tx:
            await tx.add_centre(Centre(centre, centre))

    async with storage.reading() as reads:
        before = await reads.active_centres()
        await asyncio.create_task(add("lyon"))  # committed while the read is open
        assert await reads.active_centres() == before  # the read sees its snapshot
    async with storage.reading() as reads:
        assert [c.id for c in await reads.active_centres()] == ["paris11", "lyon"]


async def test_a_read_never_waits_for_the_writer(storage: Storage) -> None:
    # the writer may be waiting for this very read (the checkpoint after an erasure)
    async with storage.reading():
        with pytest.raises(StorageError, match="inside a read"):
            async with storage.transaction():
                pass
        with pytest.raises(StorageError, match="inside a read"):
            await storage.checkpoint()


async def test_an_erasure_while_a_read_is_in_progress_leaves_no_byte_in_the_wal(
    storage: Storage, tmp_path: Path
) -> None:
    person = await a_person(storage, first_name=FIRST_NAME, last_name=LAST_NAME)
    await a_person(storage, "bob", first_name="Bob")  # someone else on the same pages
    database = tmp_path / "relais.sqlite3"
    # the WAL holds the person's answers now
    assert leftovers(database_files(database), PERSONAL)
    # a reader that kept a snapshot longer than the writer's busy timeout: without waiting for
    # the read, the checkpoint would give up and leave the old pages in the WAL
    await storage._conn.execute("PRAGMA busy_timeout=0")
    storage._gate = lock = WatchedGate()
    reading, release = asyncio.Event(), asyncio.Event()

    async def long_read() -> dict:
        async with storage.reading() as reads:
            profile = await reads.profile_of(person)  # the snapshot holds the person
            reading.set()
            await release.wait()
            return profile

    async def erase() -> None:
        async with storage.transaction() as tx:
            assert await tx.erase_person(person, "erased", person)

    read = asyncio.create_task(long_read())
    try:
        await reading.wait()
        erasure = asyncio.create_task(erase())
        # the erasure commits, then its checkpoint waits for the read (or, wrongly, gives up)
        waiting = asyncio.create_task(lock.waited.wait())
        await asyncio.wait([erasure, waiting], return_when=asyncio.FIRST_COMPLETED)
        assert not erasure.done()
    finally:
        release.set()
    assert (await read)["first_name"] == FIRST_NAME  # the read ended on its snapshot
    await erasure
    assert Path(f"{database}-wal").stat().st_size == 0
    assert leftovers(database_files(database), PERSONAL) == []


async def test_a_checkpoint_waits_for_the_read_in_progress_and_goes_before_those_waiting() -> None:
    gate, order = ReadGate(), []
    first_in, first_out = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with gate.read():
            first_in.set()
            await first_out.wait()
            order.append("first read")

    async def second() -> None:
        async with gate.read():
            order.append("second read")

    async def checkpoint() -> None:
        async with gate.without_reads():
            order.append("checkpoint")

    reading = asyncio.create_task(first())
    await first_in.wait()
    waiting = asyncio.create_task(second())
    await asyncio.sleep(0)  # the second read waits for the first
    emptying = asyncio.create_task(checkpoint())
    await asyncio.sleep(0)
    assert order == []
    first_out.set()
    await asyncio.gather(reading, waiting, emptying)
    assert order == ["first read", "checkpoint", "second read"]
