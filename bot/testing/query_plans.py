"""Which statements Relais runs, and whether SQLite reads a whole large table to run them.

A test (or a benchmark) records every statement the storage's connection executes while the
bot does something, with the values bound, then asks SQLite how it would run each again
(`EXPLAIN QUERY PLAN`, on a second connection to the same file) and lists the full scans of the
tables that grow with the number of people. A scan of a partial index (only the rows it holds,
e.g. the queued ones), of a json_each list or of a WITH table is no full scan.

    recorder = await StatementRecorder.attach(relais.storage)
    ... play a conversation ...
    await recorder.detach()
    assert full_scans(path, recorder.statements) == []
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

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
    }
)

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


@dataclass
class StatementRecorder:
    """Every statement run on the storage's connection while attached, values bound."""

    storage: Storage
    statements: list[str] = field(default_factory=list)

    @classmethod
    async def attach(cls, storage: Storage) -> StatementRecorder:
        """Start recording the statements of `storage`'s connection."""
        recorder = cls(storage)
        # the test kit may look inside the storage: the connection is its own
        await storage._conn.set_trace_callback(recorder.statements.append)
        return recorder

    async def detach(self) -> None:
        """Stop recording."""
        await self.storage._conn.set_trace_callback(None)


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


_KEYWORDS = frozenset(
    {"WHERE", "ON", "SET", "JOIN", "LEFT", "CROSS", "INNER", "GROUP", "ORDER", "LIMIT", "USING",
     "VALUES", "DEFAULT", "SELECT", "RETURNING", "AS", "NATURAL", "UNION", "EXCEPT"}
)


def _partial_indexes(db: sqlite3.Connection) -> frozenset[str]:
    return frozenset(
        str(row[0])
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'")
    )


def plan_lines(db: sqlite3.Connection, statement: str) -> list[str]:
    """The lines of SQLite's plan of `statement` (not run)."""
    return [str(row[3]) for row in db.execute(f"EXPLAIN QUERY PLAN {statement}")]


def full_scans(
    database: Path, statements: list[str], tables: frozenset[str] = LARGE_TABLES
) -> list[FullScan]:
    """The full scans of `tables` the plans of `statements` make, on the database file as it
    is now (its indexes, and its statistics if ANALYZE ran)."""
    found: list[FullScan] = []
    seen: set[str] = set()
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        partial = _partial_indexes(db)
        for statement in statements:
            if statement in seen or not _PLANNED.match(statement):
                continue
            seen.add(statement)
            names = _aliases(statement, tables)
            for line in plan_lines(db, statement):
                match = _SCAN.match(line)
                if match is None or match.group(1) not in names:
                    continue
                if match.group(2) in partial:
                    continue  # only the rows the index holds (e.g. the queued ones)
                found.append(FullScan(statement, names[match.group(1)], line))
    finally:
        db.close()
    return found
