"""The base of the repository mixins (storage_team, storage_stats, storage_export,
storage_erasure): the helpers `storage.Tx` provides, declared once for the type checker, and
how moments are written in the database.

Timestamps are stored as ISO-8601 UTC text of fixed width, so text order is time order.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any


class StorageError(Exception):
    """The database cannot be used as it is (bad migration, newer schema, closed transaction)."""


def to_text(moment: datetime) -> str:
    """A timezone-aware datetime as fixed-width ISO-8601 UTC text."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        # a naive datetime is ambiguous: refuse it rather than guess its zone
        raise ValueError("naive datetime: pass a timezone-aware datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """Inverse of to_text."""
    return datetime.fromisoformat(text)


def dump_json(value: Any) -> str:
    """JSON text with sorted keys and no spaces: equal values give equal text, so changes can
    be detected; NaN and infinities are refused (PostgreSQL's jsonb refuses them too)."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def limit_clause(limit: int | None) -> str:
    """The LIMIT clause of at most `limit` rows (a positive whole number), or nothing for None
    (every row): the purges delete a batch at a time, each in its own transaction."""
    if limit is None:
        return ""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"not a row limit: {limit!r}")
    return f" LIMIT {limit}"


def maybe_from_text(text: str | None) -> datetime | None:
    """from_text of a column that may be NULL."""
    return from_text(text) if text else None


class Queries:
    """What a mixin of `storage.Tx` may call; Tx overrides each of these."""

    async def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        raise NotImplementedError  # provided by Tx

    async def _fetchall(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        raise NotImplementedError  # provided by Tx

    async def _fetchone(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        raise NotImplementedError  # provided by Tx

    def _now(self) -> str:
        raise NotImplementedError  # provided by Tx
