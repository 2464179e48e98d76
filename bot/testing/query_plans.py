"""Which statements Relais runs, and whether SQLite reads a whole large table to run them.

A test (or a benchmark) records every statement the storage's connection executes while the
bot does something, with the values bound, then asks SQLite how it would run each again
(`EXPLAIN QUERY PLAN`, on a second connection to the same file) and lists the full scans of the
tables that grow with the number of people. A scan of a partial index (only the rows it holds,
e.g. the outbox's queued ones; not the started messages', which hold every reminder booked), of
a json_each list or of a WITH table is no full scan.

    recorder = StatementRecorder.attach(relais.storage)
    ... play a conversation ...
    recorder.detach()
    assert full_scans(path, recorder.statements) == []
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.storage.database import Storage

# the tables whose size follows the number of people (or of their messages)
LARGE_TABLES = frozenset(
    {
        "persons",
        "profile",
        "followup",
        "help_requests",
        "outcomes",
        "audit_log",
        "update_journal",
        "outbox",
        "outbox_about",
        "started_messages",
        "exchanges",
        "exchange_messages",
        "numbered_keyboards",
        "appointments",
    }
)
# partial indexes that hold a share of the rows growing with the number of people all the
# same: every reminder of every appointment booked waits in started_due (two an appointment),
# and every notice or reminder about someone is in started_subject. A scan of them is a full
# scan; a range of them (e.g. the due rows, up to now) is not.
GROWING_PARTIAL = frozenset({"started_due", "started_subject"})

# statements with a plan worth asking for
_PLANNED = re.compile(r"^\s*(WITH|SELECT|UPDATE|DELETE|INSERT|REPLACE)\b", re.IGNORECASE)
# "SCAN t", "SCAN t USING INDEX i", "SCAN t USING COVERING INDEX i"
_SCAN = re.compile(r"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?")


@dataclass(frozen=True)
class FullScan:
    """A statement, and the line of its plan that reads a whole large table."""

    statement: str
    table: str
    plan: str

    def __str__(self) -> str:
        return f"{self.plan} (table {self.table}) in:\n    {self.statement}"


@dataclass(frozen=True)
class Statement:
    """One statement as Relais ran it: its SQL, with `?` marks, and the values bound."""

    sql: str
    params: tuple[Any, ...] = ()


# the connection's calls that run a statement (bot.storage.database.Tx)
ENTRY_POINTS = ("execute", "execute_fetchall")


@dataclass
class StatementRecorder:
    """Every statement run on the storage's connection while attached.

    Kept as written, values apart: SQLite plans a statement before the values are bound, so
    the plan asked for later with the same marks is the plan it ran with (SQL with the values
    written in, as a trace callback gives it, may use a partial index the real statement
    could not).
    """

    storage: Storage
    statements: list[Statement] = field(default_factory=list)

    @classmethod
    def attach(cls, storage: Storage) -> StatementRecorder:
        """Start recording the statements of `storage`'s connection."""
        recorder = cls(storage)
        # the test kit may look inside the storage: every statement goes through these calls,
        # on the event loop's thread or (background transactions) aiosqlite's
        for conn in (storage._writer, storage._conn):
            for name in ENTRY_POINTS:
                setattr(conn, name, recorder._recording(getattr(conn, name)))
        return recorder

    def _recording(self, call: Any) -> Any:
        def recording(sql: str, parameters: Any = None) -> Any:
            self.statements.append(Statement(sql, tuple(parameters or ())))
            return call(sql, parameters)

        return recording

    def detach(self) -> None:
        """Stop recording."""
        for conn in (self.storage._writer, self.storage._conn):
            for name in ENTRY_POINTS:
                delattr(conn, name)  # the class's method again


def _aliases(statement: str, tables: frozenset[str]) -> dict[str, str]:
    """Name in the plan → table: each table, and the alias a statement gives it."""
    found = {table: table for table in tables}
    for table in tables:
        pattern = rf"\b(?:FROM|JOIN|UPDATE|INTO)\s+{table}\s+(?:AS\s+)?(\w+)"
        for match in re.finditer(pattern, statement, re.IGNORECASE):
            alias = match.group(1)
            if alias.upper() not in _KEYWORDS:
                found[alias] = table
    return found


# words that may follow a table's name where an alias would be
_KEYWORDS = frozenset(
    (
        *("WHERE", "ON", "SET", "JOIN", "LEFT", "CROSS", "INNER", "NATURAL", "USING"),
        *("GROUP", "ORDER", "LIMIT", "VALUES", "DEFAULT", "SELECT", "RETURNING", "AS"),
        *("UNION", "EXCEPT"),
    )
)


def _partial_indexes(db: sqlite3.Connection) -> frozenset[str]:
    return frozenset(
        str(row[0])
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'"
        )
    )


def plan_lines(db: sqlite3.Connection, statement: Statement) -> list[str]:
    """The lines of SQLite's plan of `statement` (not run)."""
    return [
        str(row[3]) for row in db.execute(f"EXPLAIN QUERY PLAN {statement.sql}", statement.params)
    ]


def planning_copy(database: Path, people: int | None) -> sqlite3.Connection:
    """An in-memory copy of the database file (its schema and rows, the WAL's included) whose
    planner has the statistics of a deployment of `people` people, or none (`people` None:
    SQLite's defaults, which take every table for a large one).

    The statistics are this file's (ANALYZE), with its tables' row counts scaled to `people`:
    a key that picks a few rows of one person (their answers) still does; a column that parts
    the rows into a few groups (a centre, a state) picks as large a share of many more rows.
    """
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    db = sqlite3.connect(":memory:")
    try:
        source.backup(db)
    finally:
        source.close()
    db.execute("ANALYZE")
    if people is None:
        db.execute("DELETE FROM sqlite_stat1")
    else:
        here = int(db.execute("SELECT COUNT(*) FROM persons").fetchone()[0]) or 1
        factor = max(1.0, people / here)
        scaled = []
        for table, index, stat in db.execute("SELECT tbl, idx, stat FROM sqlite_stat1"):
            numbers = str(stat).split()
            rows = int(numbers[0])
            out = [str(round(rows * factor))]
            for average in numbers[1:]:
                if not average.isdigit():
                    out.append(average)  # "unordered", "sz=…": kept as they are
                    continue
                # a group holding more than 2 % of the rows is a category: it grows with them
                grows = int(average) > 1 and int(average) * 50 >= rows
                out.append(str(round(int(average) * factor)) if grows else average)
            scaled.append((" ".join(out), table, index))
        db.executemany("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?", scaled)
    db.commit()
    db.execute("ANALYZE sqlite_schema")  # the planner reads the statistics again
    return db


def full_scans(
    database: Path,
    statements: list[Statement],
    tables: frozenset[str] = LARGE_TABLES,
    people: int | None = None,
) -> list[FullScan]:
    """The full scans of `tables` the plans of `statements` make on the database file as it
    is now, with the statistics of a deployment of `people` people (None: none, see
    `planning_copy`)."""
    found: list[FullScan] = []
    seen: set[str] = set()  # a statement run many times is asked about once
    db = planning_copy(database, people)
    try:
        partial = _partial_indexes(db)
        for statement in statements:
            if statement.sql in seen or not _PLANNED.match(statement.sql):
                continue
            seen.add(statement.sql)
            names = _aliases(statement.sql, tables)
            for line in plan_lines(db, statement):
                match = _SCAN.match(line)
                if match is None or match.group(1) not in names:
                    continue
                if match.group(2) in partial and match.group(2) not in GROWING_PARTIAL:
                    continue  # only the rows the index holds (e.g. the queued ones)
                found.append(FullScan(statement.sql, names[match.group(1)], line))
    finally:
        db.close()
    return found
