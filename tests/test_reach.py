"""Messages Relais starts, on a real SQLite file: queued once per dedupe key, delivered by
priority, in the recipient's language of the moment of delivery, never to someone who stopped
or blocked, never twice when two senders share the database, and not in quiet hours."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.core.domain import Message, Person
from bot.desk.domain import CONTRACT_LABELS
from bot.desk.followup import B_CONFIRM, T_JOB_NOTICE
from bot.desk.notices import Msgid, message_to_json, notify
from bot.reach.delivery import BULK, LEASE, NOTICE, Outgoing, take_due
from bot.reach.queue import queue
from bot.reach.started import NewStarted, button_data, parse_button
from bot.service import Relais
from bot.storage.database import MIGRATIONS_DIR, Storage
from bot.testing.moment import NOW, fixed_clock


async def person(relais: Relais, user: str, locale: str = "fr") -> Person:
    """Someone who wrote to Relais once, in `locale`."""
    async with relais.storage.transaction() as tx:
        state = await tx.load_state("test", user)
        state.person.locale = locale
        await tx.save_state(state)
    return state.person


async def delivered(relais: Relais, user: str | None = None, now: datetime = NOW) -> list[str]:
    """The texts a sender takes now (for `user`, or for the whole test channel)."""
    async with relais.storage.transaction() as tx:
        due = await take_due(tx, relais.catalogs, "test", now, user)
    return [d.message.text for d in due]


async def test_queued_twice_with_one_key_is_delivered_once(relais: Relais) -> None:
    vic = await person(relais, "vic")
    assert vic.id is not None
    reminder = NewStarted(vic.id, "notice", {"msgid": "Rendez-vous demain"}, dedupe_key="rdv:1")
    async with relais.storage.transaction() as tx:
        assert await queue(tx, reminder) is not None
        assert await queue(tx, reminder) is None  # the same key: nothing happens
    assert await delivered(relais) == ["Rendez-vous demain"]
    async with relais.storage.transaction() as tx:
        assert await queue(tx, reminder) is None  # even once it was delivered
    assert await delivered(relais) == []


async def test_a_notice_is_written_in_the_language_the_recipient_has_when_delivered(
    relais: Relais,
) -> None:
    vic = await person(relais, "vic", "fr")
    async with relais.storage.transaction() as tx:
        await notify(
            tx,
            vic,
            T_JOB_NOTICE,
            (((B_CONFIRM, "V:cf:1"),),),
            name="Amina",
            centre="Paris 11e",
            contract=Msgid(CONTRACT_LABELS["interim"]),
        )
    await person(relais, "vic", "en")  # vic changes language before the notice goes
    async with relais.storage.transaction() as tx:
        [due] = await take_due(tx, relais.catalogs, "test", NOW, "vic")
    # the contract (a msgid) is translated then; the names stay as given
    assert due.message.text == (
        "Amina (Paris 11e) says they have found a job: Temp work (intérim). Do you confirm?"
    )
    assert [(b.label, b.data) for row in due.message.buttons for b in row] == [
        ("✅ Confirm", "V:cf:1")
    ]
    assert due.priority == NOTICE


async def test_notices_go_before_bulk_sends_then_in_order(relais: Relais) -> None:
    vic = await person(relais, "vic")
    assert vic.id is not None
    async with relais.storage.transaction() as tx:
        for n in range(3):
            await queue(tx, NewStarted(vic.id, "notice", {"msgid": f"offre {n}"}, priority=BULK))
        await queue(tx, NewStarted(vic.id, "notice", {"msgid": "urgent"}))
    assert await delivered(relais) == ["urgent", "offre 0", "offre 1", "offre 2"]


async def test_nothing_goes_before_its_time(relais: Relais) -> None:
    vic = await person(relais, "vic")
    assert vic.id is not None
    later = NOW + timedelta(hours=2)
    async with relais.storage.transaction() as tx:
        await queue(tx, NewStarted(vic.id, "notice", {"msgid": "plus tard"}, not_before=later))
    assert await delivered(relais) == []
    assert await delivered(relais, now=later) == ["plus tard"]


async def test_who_stopped_or_blocked_receives_nothing_and_it_is_not_kept(relais: Relais) -> None:
    ids = []
    for user in ("stop", "block", "vic"):
        found = await person(relais, user)
        assert found.id is not None
        ids.append(found.id)
    async with relais.storage.transaction() as tx:
        for person_id in ids:
            await queue(tx, NewStarted(person_id, "notice", {"msgid": "Bonjour"}))
        state = await tx.load_state("test", "stop")
        state.person.stopped = True
        await tx.save_state(state)
        await tx.set_blocked("test", "block", True)
    async with relais.storage.transaction() as tx:
        due = await take_due(tx, relais.catalogs, "test", NOW)
        assert [d.person.external_id for d in due] == ["vic"]
        row = await tx._fetchone("SELECT COUNT(*) FROM started_messages")
        assert row is not None and row[0] == 0


async def test_quiet_hours_hold_what_is_due(relais: Relais) -> None:
    vic = await person(relais, "vic")
    assert vic.id is not None
    async with relais.storage.transaction() as tx:
        await queue(tx, NewStarted(vic.id, "notice", {"msgid": "Bonjour"}))
    evening = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # 20:00 in Paris
    assert await delivered(relais, now=evening) == []
    assert await delivered(relais, now=evening - timedelta(minutes=1)) == ["Bonjour"]


async def test_two_senders_on_one_database_deliver_each_row_exactly_once(
    relais: Relais, settings: Settings
) -> None:
    vic = await person(relais, "vic")
    assert vic.id is not None
    async with relais.storage.transaction() as tx:
        for n in range(250):
            await queue(tx, NewStarted(vic.id, "notice", {"msgid": f"n°{n}"}))
    other = await Storage.open(settings.database, clock=fixed_clock)
    seen: list[str] = []
    try:
        for _ in range(4):  # each takes a batch in turn, on its own connection
            for storage in (relais.storage, other):
                async with storage.transaction() as tx:
                    due = await take_due(tx, relais.catalogs, "test", NOW)
                seen += [d.message.text for d in due]
    finally:
        await other.close()
    assert sorted(seen) == sorted(f"n°{n}" for n in range(250))


async def test_a_row_leased_by_a_sender_that_died_is_taken_after_the_lease(
    relais: Relais,
) -> None:
    vic = await person(relais, "vic")
    assert vic.id is not None
    async with relais.storage.transaction() as tx:
        await queue(tx, NewStarted(vic.id, "notice", {"msgid": "Bonjour"}))
    async with relais.storage.transaction() as tx:
        # another process took it and died before delivering
        taken = await tx.lease_due_started("test", NOW, "other", NOW + LEASE)
        assert len(taken) == 1
    assert await delivered(relais) == []
    assert await delivered(relais, now=NOW + LEASE) == ["Bonjour"]


def test_button_data_is_short_and_read_back_in_one_place() -> None:
    data = button_data(2**62, "0123456789ab", "keep")
    assert len(data.encode()) <= 64
    pressed = parse_button(data)
    assert pressed is not None and (pressed.started_id, pressed.choice) == (2**62, "keep")
    for forged in ("R:1:short:keep", "R:x:0123456789ab:", "R:1:0123456789ab:TOO_LONG_CHOICE"):
        assert parse_button(forged) is None


async def test_notices_an_older_version_left_are_delivered_by_the_new_path(
    tmp_path: Path, settings: Settings, relais: Relais
) -> None:
    # a database at version 8, holding a notice written out as before
    older = tmp_path / "older"
    older.mkdir()
    for path in MIGRATIONS_DIR.glob("*.sql"):
        if int(path.name[:3]) < 9:
            shutil.copy(path, older)
    database = tmp_path / "old.sqlite3"
    storage = await Storage.open(database, clock=fixed_clock, migrations_dir=older)
    async with storage.transaction() as tx:
        # a person row as the older Relais wrote it (today's load_state reads newer tables)
        vic = Person(
            "test",
            "vic",
            id=(
                await tx._fetchone(
                    "INSERT INTO persons (channel, external_id, created_at, last_seen_at)"
                    " VALUES ('test', ?, '', '') RETURNING id",
                    ("vic",),
                )
            )["id"],
        )
        message = message_to_json(Message("Amina voudrait parler à un bénévole."))
        await tx._execute(
            "INSERT INTO notices (person_id, message, created_at, subject_id) VALUES (?, ?, ?, ?)",
            (vic.id, json.dumps(message), "2026-11-23T09:00:00.000000+00:00", 7),
        )
    await storage.close()
    storage = await Storage.open(database, clock=fixed_clock)  # migration 009
    try:
        async with storage.transaction() as tx:
            due = await take_due(tx, relais.catalogs, "test", NOW)
    finally:
        await storage.close()
    assert [(d.message.text, d.subject_id) for d in due] == [
        ("Amina voudrait parler à un bénévole.", 7)
    ]
    assert isinstance(due[0], Outgoing)
