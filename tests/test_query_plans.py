"""Cost flat with size: every statement of the hot path reads through an index.

A few hundred people who did the self-assessment (made through the engine, then copied with
SQL), with their journal, outbox, audit lines, help requests and outcomes, on a real SQLite
file. Relais then runs for real on the shared runtime (bot.testing.test_channel): a newcomer's
/start and first press, a person's /menu and typed text, a volunteer's /menu, /people, the next
page and a person's page, the runtime's 1-second sweep and outbox drain, the retention purge
and the erasure-warning sweep. Every statement it ran is recorded and SQLite is asked how it
plans it (EXPLAIN QUERY PLAN): none may read the whole of a table that grows with the number of
people (bot.testing.query_plans). Twice: without the planner's statistics, and with them (the
bot runs PRAGMA optimize every hour and at close, which writes them).

Appointments (issue 12) too: every copy has one in the coming weeks with its reminders queued
(through bot.appointments.lifecycle), so that with the statistics of 100,000 people the planner
sees 100,000 appointments and 200,000 reminders queued for later; the sweep that leases the due
ones, a centre's agenda, a person's appointments, booking, moving and ending one are recorded.

The deletes and updates a foreign key makes when a person goes do not show in a plan: a second
test walks the schema and wants an index starting with every column that names a person.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.appointments import lifecycle
from bot.appointments.domain import NewAppointment
from bot.config import Settings, load_settings
from bot.core.domain import Centre
from bot.schedule.sweeps import sweeps
from bot.service import open_relais
from bot.storage.database import Storage
from bot.storage.queries import to_text
from bot.testing.moment import NOW, Hands
from bot.testing.query_plans import StatementRecorder, full_scans
from bot.testing.test_channel import CHANNEL, Running, SmallPhone
from tests.appointment_kit import stand_in_kinds
from tests.test_flow_self_assessment import AMINA_FR, ONBOARDING_FR

PEOPLE = 300  # copies of Amina, in three centres
SILENT = 12  # of them, silent past the retention period: the purge erases them

# a centre without a team: every event then looks the admins up (their requests go there)
CONFIG = """
[general]
languages = ["fr", "en"]
admins = ["9001"]

[[centres]]
id = "paris11"
name = "Paris 11e"

[[centres]]
id = "lyon"
name = "Lyon Part-Dieu"

[[centres]]
id = "nantes"
name = "Nantes"
"""

# columns that name a person without a foreign key (the row outlives the person, or the table
# is older than the key); each needs an index starting with it all the same
PERSON_COLUMNS_WITHOUT_KEY = {
    ("outbox", "subject_id"),
    ("outbox_about", "person_id"),
    ("started_messages", "subject_id"),
    ("audit_log", "subject_id"),
}
# columns whose name says they hold a person's id but that need no index: who did something,
# kept in the audit log after they are gone (nothing looks lines up by actor)
PERSON_COLUMNS_NOT_LOOKED_UP = {("audit_log", "actor_id")}
# other names this schema gives a person's id
_WHO = ("volunteer_id", "author_id", "actor_id")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return load_settings(
        config,
        env={
            "RELAIS_DATABASE": str(tmp_path / "relais.sqlite3"),
            "RELAIS_DOCUMENTS_DIR": str(tmp_path / "documents"),
        },
    )


@pytest.fixture
async def running(settings: Settings) -> AsyncIterator[Running]:
    app = Running(await open_relais(settings, clock=lambda: NOW))
    yield app
    await app.relais.close()


async def volunteer(running: Running, user: str, centre: str) -> SmallPhone:
    """A coordinator of `centre`, joined with an invitation code."""
    invitation = await running.relais.invite(centre, "coordinator", created_by=None)
    assert invitation is not None
    phone = running.phone(user)
    await phone.play(f"> /start {invitation[0]}\n> [Français]\n> Cora\n< Espace bénévole")
    return phone


def copy_people(database: Path, template: str) -> None:
    """PEOPLE copies of the person `template` of the test channel, with what a deployment
    holds beside them: handled updates, sent messages, audit lines, help requests, outcomes."""
    db = sqlite3.connect(database)
    try:
        db.execute(
            _COPY_PERSONS,
            (SILENT, to_text(NOW - timedelta(days=800)), PEOPLE, CHANNEL, template),
        )
        db.execute(
            "INSERT INTO profile (person_id, key, value, updated_at)"
            " SELECT c.id, f.key, f.value, f.updated_at FROM persons c, persons p"
            " JOIN profile f ON f.person_id = p.id"
            " WHERE c.external_id LIKE 'copy%' AND p.channel = ? AND p.external_id = ?",
            (CHANNEL, template),
        )
        db.execute(
            "INSERT INTO followup (person_id, cv_status, searching, assessment_done_at,"
            " updated_at) SELECT id, CASE id % 3 WHEN 0 THEN 'to_check' ELSE 'none' END,"
            " id % 2, last_seen_at, last_seen_at FROM persons WHERE external_id LIKE 'copy%'"
        )
        db.execute(
            "INSERT INTO help_requests (person_id, centre, created_at)"
            " SELECT id, centre, last_seen_at FROM persons"
            " WHERE external_id LIKE 'copy%' AND id % 5 = 0"
        )
        db.execute(
            "INSERT INTO outcomes (person_id, centre, kind, contract, happened_on, confirmed,"
            " created_at) SELECT id, centre, 'job', 'cdi', '2026-11-01', id % 2, last_seen_at"
            " FROM persons WHERE external_id LIKE 'copy%' AND id % 7 = 0"
        )
        db.execute(
            "INSERT INTO audit_log (actor_id, subject_id, action, at)"
            " SELECT 1, id, 'profile', last_seen_at FROM persons"
            " WHERE external_id LIKE 'copy%'"
        )
        for sql in _OLD_ROWS:
            db.execute(sql, (CHANNEL, to_text(NOW - timedelta(days=8)), to_text(NOW)))
        db.commit()
    finally:
        db.close()


# the template person, PEOPLE times ("copy0", "copy1"…), the first SILENT ones silent for long
_COPY_PERSONS = (
    "WITH RECURSIVE n(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM n WHERE value < ?3 - 1)"
    " INSERT INTO persons (channel, external_id, locale, consent, centre, session,"
    " consent_version, consent_at, created_at, last_seen_at)"
    " SELECT p.channel, 'copy' || n.value, p.locale, p.consent,"
    " CASE n.value % 3 WHEN 0 THEN 'paris11' WHEN 1 THEN 'lyon' ELSE 'nantes' END,"
    " p.session, p.consent_version, p.consent_at, p.created_at,"
    " CASE WHEN n.value < ?1 THEN ?2 ELSE p.last_seen_at END"
    " FROM persons p, n WHERE p.channel = ?4 AND p.external_id = ?5"
)

# a week of handled updates and sent messages, two a person: one of them older than a week
_OLD_ROWS = (
    (
        "INSERT INTO update_journal (channel, update_id, payload, received_at, handled_at,"
        " sender) SELECT ?1, 1000 + p.id * 2 + k.k, NULL, CASE k.k WHEN 0 THEN ?2 ELSE ?3 END,"
        " CASE k.k WHEN 0 THEN ?2 ELSE ?3 END, p.external_id"
        " FROM persons p, (SELECT 0 AS k UNION ALL SELECT 1) k"
        " WHERE p.external_id LIKE 'copy%'"
    ),
    (
        "INSERT INTO outbox (channel, chat_id, method, payload, state, attempts, result,"
        " created_at, updated_at) SELECT ?1, p.external_id, 'sendMessage', '{}', 'sent', 1,"
        " '{}', CASE k.k WHEN 0 THEN ?2 ELSE ?3 END, CASE k.k WHEN 0 THEN ?2 ELSE ?3 END"
        " FROM persons p, (SELECT 0 AS k UNION ALL SELECT 1) k"
        " WHERE p.external_id LIKE 'copy%'"
    ),
)


async def populate(running: Running) -> tuple[SmallPhone, SmallPhone]:
    """A coordinator of Paris 11e and of Lyon, Amina (who did her self-assessment), and
    PEOPLE copies of her."""
    cora = await volunteer(running, "cora", "paris11")
    await volunteer(running, "leo", "lyon")
    amina = running.phone("amina")
    await amina.play(ONBOARDING_FR)
    await amina.play(AMINA_FR)
    copy_people(running.relais.settings.database, "amina")
    return cora, amina


# the planner's statistics: none (SQLite's defaults), or those of a deployment of 100,000
# people (bot.testing.query_plans.planning_copy), as PRAGMA optimize writes them there
STATISTICS = [None, 100_000]


@pytest.mark.parametrize("people", STATISTICS, ids=["no-statistics", "100000-people"])
async def test_the_hot_path_reads_no_whole_table(running: Running, people: int | None) -> None:
    cora, amina = await populate(running)
    relais = running.relais
    recorder = StatementRecorder.attach(relais.storage)
    try:
        newcomer = running.phone("newcomer")
        await newcomer.type("/start")  # a new person
        await newcomer.press("Français")  # a press
        await amina.type("/menu")
        await amina.type("bonjour")  # typed text where a choice is asked
        await amina.press("Faire mon bilan")
        await cora.type("/menu")
        assert "Personnes" in cora.text
        await cora.type("/people")
        assert "page 1 sur" in cora.text
        await cora.press("Suivants")  # the next page
        assert "page 2 sur" in cora.text
        await cora.press("Amina")  # a person's page
        assert "(n° " in cora.text
        await running.runtime.sweep()  # the 1-second wake-up, and the outbox drain
        for sweep in sweeps():  # the retention purge, the erasure warnings
            await sweep.run(relais, NOW)
    finally:
        recorder.detach()
    async with relais.storage.transaction() as tx:
        assert await tx.find_person(CHANNEL, "copy0") is None  # the purge erased
    sql = [s.sql for s in recorder.statements]
    assert any("started_messages" in s for s in sql)  # the notices were read
    assert any(s.startswith("DELETE FROM persons") for s in sql)  # someone was erased
    scans = full_scans(relais.settings.database, recorder.statements, people=people)
    assert not scans, "full scans:\n" + "\n".join(map(str, scans))


@pytest.mark.parametrize("people", STATISTICS, ids=["no-statistics", "100000-people"])
async def test_an_erasure_reads_every_table_through_an_index(
    running: Running, people: int | None
) -> None:
    await populate(running)
    relais = running.relais
    recorder = StatementRecorder.attach(relais.storage)
    try:
        async with relais.storage.transaction() as tx:
            silent = await tx.inactive_persons(NOW - timedelta(days=730))
            erased = await tx.erase_persons([p.id for p in silent], "purged", None)
            await tx.erase_person(erased[-1] + 1, "erased", erased[-1] + 1)  # one who asked
    finally:
        recorder.detach()
    assert len(erased) == SILENT
    with sqlite3.connect(relais.settings.database) as db:
        tables = frozenset(
            str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        )
    db.close()
    scans = full_scans(relais.settings.database, recorder.statements, tables, people)
    assert not scans, "full scans:\n" + "\n".join(map(str, scans))


async def book_for_everyone(running: Running) -> None:
    """An appointment for each copy of Amina, in the coming six weeks (its confirmation
    delivered, its two reminders queued for later), and a few due now."""
    relais = running.relais
    settings = relais.settings
    async with relais.storage.transaction() as tx:
        found = await tx._fetchall(  # the copies, as the test made them
            "SELECT id, centre FROM persons WHERE external_id LIKE 'copy%' ORDER BY id"
        )
        for number, row in enumerate(found):
            starts = NOW + timedelta(days=1 + number % 42, hours=number % 7)
            new = NewAppointment(int(row["id"]), str(row["centre"]), starts, "centre", "other")
            appointment = await tx.book_appointment(new, None)
            centre = Centre(str(row["centre"]), str(row["centre"]))
            await lifecycle.booked(
                tx,
                appointment,
                centre,
                settings.appointments,
                settings.quiet_hours,
                relais.catalogs.tz,
                NOW - timedelta(days=2),
            )
        # the confirmations went when booked; a few reminders are due now
        await tx._execute(
            "UPDATE started_messages SET state = 'sent', sent_at = ?"
            " WHERE kind = ? AND state = 'queued'",
            (to_text(NOW - timedelta(days=2)), lifecycle.CONFIRMED),
        )
        await tx._execute(
            "UPDATE started_messages SET not_before = ? WHERE id IN (SELECT id FROM"
            " started_messages WHERE kind = ? AND state = 'queued' ORDER BY id LIMIT 5)",
            (to_text(NOW - timedelta(minutes=1)), lifecycle.REMINDER),
        )


@pytest.mark.parametrize("people", STATISTICS, ids=["no-statistics", "100000-people"])
async def test_the_appointment_path_reads_no_whole_table(
    running: Running, people: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in_kinds(monkeypatch, Hands(NOW))
    await populate(running)
    await book_for_everyone(running)
    relais = running.relais
    settings = relais.settings
    zone = relais.catalogs.tz
    async with relais.storage.transaction() as tx:
        person = await tx.find_person(CHANNEL, "amina")
        assert person is not None and person.id is not None
        queued = await tx._fetchone(
            "SELECT count(*) FROM started_messages WHERE state = 'queued' AND kind = ?",
            (lifecycle.REMINDER,),
        )
        assert queued is not None and queued[0] >= 2 * (PEOPLE - SILENT - 5)
    recorder = StatementRecorder.attach(relais.storage)
    try:
        await running.runtime.sweep()  # leases the 5 due among the reminders queued for later
        centre = Centre("paris11", "Paris 11e", "12 rue des Lilas")
        async with relais.storage.transaction() as tx:
            new = NewAppointment(person.id, "paris11", NOW + timedelta(days=3), "centre", "other")
            booked = await tx.book_appointment(new, None)
            await lifecycle.booked(
                tx, booked, centre, settings.appointments, settings.quiet_hours, zone, NOW
            )
        async with relais.storage.transaction() as tx:
            later = NewAppointment(person.id, "paris11", NOW + timedelta(days=4), "phone", "other")
            moved = await tx.change_appointment(booked.id, booked.version, later)
            assert moved is not None
            await lifecycle.changed(
                tx, booked, moved, centre, settings.appointments, settings.quiet_hours, zone, NOW
            )
            assert await tx.answer_appointment(moved.id, moved.version, "coming")
        async with relais.storage.transaction() as tx:
            assert await tx.appointment(moved.id) is not None
            assert len(await tx.appointments_of(person.id, NOW)) == 1
            assert await tx.appointments_of(person.id) != []
            week = await tx.agenda(["paris11"], NOW, NOW + timedelta(days=7), limit=20)
            assert week
            assert await tx.agenda(["paris11", "lyon"], NOW, NOW + timedelta(days=8))
            assert (await tx.appointment_counts(["paris11"], NOW, NOW + timedelta(days=60)))[
                "booked"
            ]
            ended = await tx.end_appointment(moved.id, "missed", moved.version)
            assert ended is not None
            await lifecycle.ended(tx, ended, centre, tell=True)
            assert await tx.correct_attendance(moved.id, "attended") is not None
    finally:
        recorder.detach()
    sql = [s.sql for s in recorder.statements]
    assert any("FROM appointments" in s for s in sql)
    scans = full_scans(relais.settings.database, recorder.statements, people=people)
    assert not scans, "full scans:\n" + "\n".join(map(str, scans))


# -- the schema ----------------------------------------------------------------------------


def _indexes(db: sqlite3.Connection, table: str) -> list[tuple[list[str], bool]]:
    """(columns, partial) of each index of a table, the rowid's included (as ['rowid'])."""
    found = []
    for row in db.execute(f"PRAGMA index_list({table})").fetchall():
        name, partial = str(row[1]), bool(row[4])
        columns = [str(c[2]) for c in db.execute(f"PRAGMA index_info({name})").fetchall()]
        found.append((columns, partial))
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    keys = [r for r in info if r[5]]
    if len(keys) == 1 and str(keys[0][2]).upper() == "INTEGER":
        found.append(([str(keys[0][1])], False))  # INTEGER PRIMARY KEY: the rowid itself
    return found


def _has_index(db: sqlite3.Connection, table: str, columns: list[str], partial_ok: bool) -> bool:
    return any(
        found[: len(columns)] == columns and (partial_ok or not partial)
        for found, partial in _indexes(db, table)
    )


async def test_every_column_naming_a_person_has_an_index(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "schema.sqlite3")
    await storage.close()
    db = sqlite3.connect(tmp_path / "schema.sqlite3")
    try:
        tables = [
            str(r[0])
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        missing = []
        keyed = set()
        for table in tables:
            keys: dict[int, tuple[str, list[str]]] = {}
            for row in db.execute(f"PRAGMA foreign_key_list({table})").fetchall():
                parent, column = str(row[2]), str(row[3])
                keys.setdefault(int(row[0]), (parent, []))[1].append(column)
            for parent, columns in keys.values():
                if parent != "persons":
                    continue
                keyed.update((table, c) for c in columns)
                # the lookups a foreign key makes cannot use a partial index
                if not _has_index(db, table, columns, partial_ok=False):
                    missing.append(f"{table} ({', '.join(columns)}) references persons")
        for table, column in sorted(PERSON_COLUMNS_WITHOUT_KEY):
            if not _has_index(db, table, [column], partial_ok=True):
                missing.append(f"{table} ({column}) names a person")
        # a new column named like a person's id must be declared one way or the other
        named = {
            (table, str(r[1]))
            for table in tables
            for r in db.execute(f"PRAGMA table_info({table})").fetchall()
            if str(r[2]).upper() == "INTEGER"
            and (str(r[1]).endswith(("person_id", "subject_id", "_by")) or str(r[1]) in _WHO)
        }
        undeclared = named - keyed - PERSON_COLUMNS_WITHOUT_KEY - PERSON_COLUMNS_NOT_LOOKED_UP
        assert not undeclared, f"columns naming a person, neither a key nor listed: {undeclared}"
    finally:
        db.close()
    assert not missing, "no index starting with:\n" + "\n".join(missing)
