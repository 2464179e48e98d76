"""The base of the repository mixins (storage_team, storage_stats, storage_export,
storage_erasure): the helpers `storage.Tx` provides, declared once for the type checker."""

from __future__ import annotations

import sqlite3
from typing import Any


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
