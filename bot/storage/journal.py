"""SQL of the update journal: every channel's updates, recorded before they are acknowledged,
handled in fair rounds, and forgotten once handled.

Mixed into `storage.Tx`. An update is known by its channel and its id there; `channel` defaults
to "telegram", the channel the journal was first written for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.queries import Queries, dump_json, limit_clause, to_text

DEFAULT_CHANNEL = "telegram"


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


class JournalQueries(Queries):
    """Repository methods of the update journal (see storage.Tx for the helpers)."""

    async def journal_update(
        self,
        update_id: int,
        payload: dict[str, Any],
        sender: str | None = None,
        *,
        channel: str = DEFAULT_CHANNEL,
    ) -> bool:
        """Record an incoming update and who sent it; False if it was already recorded."""
        changed = await self._execute(
            "INSERT INTO update_journal (channel, update_id, payload, received_at, sender)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, update_id) DO NOTHING",
            (channel, int(update_id), dump_json(payload), self._now(), sender),
        )
        return changed == 1

    async def next_update_id(self, channel: str) -> int:
        """An id for a channel that numbers nothing itself (the terminal): one above its last."""
        last = await self.last_update_id(channel=channel)
        return 1 if last is None else last + 1

    async def fair_pending_updates(
        self, per_sender: int = 2, limit: int = 64, *, channel: str = DEFAULT_CHANNEL
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
            " FROM update_journal"
            " WHERE channel = ? AND handled_at IS NULL AND set_aside_at IS NULL)"
            " SELECT j.update_id, j.sender, j.payload FROM ranked r"
            " JOIN update_journal j ON j.channel = ? AND j.update_id = r.update_id"
            " WHERE r.turn <= ? ORDER BY r.turn, r.update_id LIMIT ?",
            (channel, channel, per_sender, limit),
        )
        return [
            PendingUpdate(int(r["update_id"]), r["sender"], json.loads(r["payload"])) for r in rows
        ]

    async def drop_pending_updates(
        self, sender: str, *, channel: str = DEFAULT_CHANNEL
    ) -> DroppedUpdates:
        """Mark every pending message and button press of `sender` handled, unread (they sent
        too much at once); chat membership changes are kept, they cost nothing."""
        pending = (
            "channel = ? AND sender = ? AND handled_at IS NULL AND set_aside_at IS NULL"
            " AND json_extract(payload, '$.my_chat_member') IS NULL"
        )
        row = await self._fetchone(
            "SELECT json_extract(payload, '$.callback_query.id') AS query FROM update_journal"
            f" WHERE {pending} AND json_extract(payload, '$.callback_query.id') IS NOT NULL"
            " ORDER BY update_id DESC LIMIT 1",
            (channel, sender),
        )
        count = await self._execute(
            "UPDATE update_journal SET handled_at = ?, payload = NULL, sender = NULL"
            f" WHERE {pending}",
            (self._now(), channel, sender),
        )
        return DroppedUpdates(count, None if row is None else str(row["query"]))

    async def mark_update_handled(self, update_id: int, *, channel: str = DEFAULT_CHANNEL) -> None:
        """Never handle this update again; its payload (names, text) and sender are dropped."""
        await self._execute(
            "UPDATE update_journal SET handled_at = ?, payload = NULL, sender = NULL"
            " WHERE channel = ? AND update_id = ? AND handled_at IS NULL",
            (self._now(), channel, int(update_id)),
        )

    async def record_update_failure(
        self, update_id: int, max_attempts: int, *, channel: str = DEFAULT_CHANNEL
    ) -> bool:
        """Count a failed try at an update; True once it is set aside (kept, flagged, never
        tried again)."""
        await self._execute(
            "UPDATE update_journal SET attempts = attempts + 1,"
            " set_aside_at = CASE WHEN attempts + 1 >= ? THEN ? END"
            " WHERE channel = ? AND update_id = ? AND handled_at IS NULL"
            " AND set_aside_at IS NULL",
            (max_attempts, self._now(), channel, int(update_id)),
        )
        row = await self._fetchone(
            "SELECT set_aside_at FROM update_journal WHERE channel = ? AND update_id = ?",
            (channel, int(update_id)),
        )
        return row is not None and row["set_aside_at"] is not None

    async def purge_set_aside_updates(self, before: datetime, limit: int | None = None) -> int:
        """Forget updates set aside before `before` (at most `limit`; their payload holds what
        people wrote)."""
        return await self._execute(
            "DELETE FROM update_journal WHERE (channel, update_id) IN"
            " (SELECT channel, update_id FROM update_journal"
            "  WHERE set_aside_at IS NOT NULL AND set_aside_at < ?"
            f" AND {_NOT_LAST}{limit_clause(limit)})",
            (to_text(before),),
        )

    async def last_update_id(self, *, channel: str = DEFAULT_CHANNEL) -> int | None:
        """The highest update_id ever recorded on `channel` (the next polling offset is this
        + 1)."""
        row = await self._fetchone(
            "SELECT MAX(update_id) AS top FROM update_journal WHERE channel = ?", (channel,)
        )
        return int(row["top"]) if row is not None and row["top"] is not None else None

    async def purge_handled_updates(self, before: datetime, limit: int | None = None) -> int:
        """Forget updates handled before `before` (at most `limit`); each channel's latest is
        kept for last_update_id."""
        # a range of update_journal_handled, oldest first
        return await self._execute(
            "DELETE FROM update_journal WHERE (channel, update_id) IN"
            " (SELECT channel, update_id FROM update_journal"
            "  WHERE handled_at IS NOT NULL AND handled_at < ?"
            f" AND {_NOT_LAST} ORDER BY handled_at{limit_clause(limit)})",
            (to_text(before),),
        )


# the newest update of each channel stays: it is where that channel's numbering goes on
_NOT_LAST = (
    "update_id < (SELECT MAX(j.update_id) FROM update_journal j"
    " WHERE j.channel = update_journal.channel)"
)
