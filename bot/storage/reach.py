"""SQL of messages Relais starts: queue (deduplicated), lease and deliver, buttons answered once.

Mixed into `storage.Tx`; the methods run inside its transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.reach.started import BULK, PRIORITIES, NewStarted, Started
from bot.storage.queries import Queries, from_text, limit_clause, maybe_from_text, to_text
from bot.storage.team import person_from_row

# notices of the volunteer side: one removed from a team must not receive those still queued
NOTICE_KINDS = ("notice", "rendered", "offer_relay")  # the last: bot/offers/relay.py

_COLUMNS = (
    "s.id AS sid, s.kind, s.params, s.priority, s.subject_id, s.token, s.state, s.expires_at,"
    " p.id, p.channel, p.external_id, p.locale, p.consent, p.centre, p.stopped, p.blocked"
)


@dataclass(frozen=True)
class Silent:
    """Someone who has not written for a while, and when they last did."""

    person_id: int
    last_seen: datetime


def _started(row: sqlite3.Row) -> Started:
    return Started(
        id=int(row["sid"]),
        person=person_from_row(row),
        kind=str(row["kind"]),
        params=json.loads(row["params"]),
        priority=int(row["priority"]),
        subject_id=None if row["subject_id"] is None else int(row["subject_id"]),
        token=str(row["token"]),
        state=str(row["state"]),
        expires_at=maybe_from_text(row["expires_at"]),
    )


def _ids(ids: Collection[int]) -> str:
    return json.dumps([int(i) for i in ids])


class ReachQueries(Queries):
    """Repository methods of messages Relais starts (see storage.Tx for the helpers)."""

    async def queue_started(self, new: NewStarted, token: str) -> int | None:
        """Queue a message; its id, or None when one with the same dedupe key exists."""
        now = self._now()
        row = await self._fetchone(
            "INSERT INTO started_messages (person_id, kind, params, priority, not_before,"
            " dedupe_key, subject_id, token, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            (
                new.person_id,
                new.kind,
                json.dumps(new.params, ensure_ascii=False, sort_keys=True),
                new.priority,
                "" if new.not_before is None else to_text(new.not_before),
                new.dedupe_key,
                new.subject_id,
                token,
                now,
                None if new.expires_at is None else to_text(new.expires_at),
            ),
        )
        return None if row is None else int(row["id"])

    async def lease_due_started(
        self,
        channel: str,
        now: datetime,
        owner: str,
        until: datetime,
        external_id: str | None = None,
        limit: int = 100,
        bulk_backlog: int | None = None,
    ) -> list[Started]:
        """Take up to `limit` due messages for a channel's persons (or one of them), in
        delivery order, for `owner` until `until`: nobody else takes them meanwhile; bulk ones
        (BULK) only while fewer than `bulk_backlog` bulk calls wait in the channel's outbox."""
        at = to_text(now)
        params: tuple[str, ...]
        if external_id is None:
            # the queue drives (CROSS JOIN keeps it outer): a range of started_due, not a
            # scan of every person of the channel
            source = "started_messages s CROSS JOIN persons p ON p.id = s.person_id"
            who, params = "p.channel = ?", (channel,)
        else:
            source = "started_messages s JOIN persons p ON p.id = s.person_id"
            who, params = "p.channel = ? AND p.external_id = ?", (channel, str(external_id))
        # each priority's due rows are a range of started_due, read up to `limit`; the best
        # `limit` of them all are taken, in one statement (run after every update: nothing is
        # due most of the time, and one statement is all that costs then)
        # (the room left in the outbox for bulk calls is counted in the same statement: a
        # range of outbox_queued_chat)
        room = (
            "(SELECT MAX(0, MIN(?, ? - COUNT(*))) FROM outbox"
            " WHERE state = 'queued' AND channel = ? AND priority = ?)"
        )
        ranges = " UNION ALL ".join(
            f"SELECT * FROM (SELECT s.id, s.priority, s.not_before FROM {source}"
            " WHERE s.state = 'queued' AND s.priority = ? AND s.not_before <= ?"
            "  AND (s.lease_until IS NULL OR s.lease_until <= ?)"
            f"  AND {who} ORDER BY s.not_before, s.id"
            f" LIMIT {room if priority == BULK and bulk_backlog is not None else '?'})"
            for priority in PRIORITIES
        )

        def cap(priority: int) -> tuple[Any, ...]:
            if priority == BULK and bulk_backlog is not None:
                return (limit, bulk_backlog, channel, BULK)
            return (limit,)

        leased = await self._fetchall(
            "UPDATE started_messages SET lease_owner = ?, lease_until = ? WHERE id IN ("
            f" SELECT id FROM ({ranges}) ORDER BY priority, not_before, id LIMIT ?)"
            " RETURNING id",
            (
                owner,
                to_text(until),
                *(
                    v
                    for priority in PRIORITIES
                    for v in (priority, at, at, *params, *cap(priority))
                ),
                limit,
            ),
        )
        ids = [int(r["id"]) for r in leased]
        if not ids:
            return []
        rows = await self._fetchall(
            f"SELECT {_COLUMNS} FROM started_messages s JOIN persons p ON p.id = s.person_id"
            " WHERE s.id IN (SELECT value FROM json_each(?)) AND s.lease_owner = ?"
            " ORDER BY s.priority, s.not_before, s.id",
            (_ids(ids), owner),
        )
        return [_started(r) for r in rows]

    async def finish_started(self, kept: Collection[int], done: Collection[int]) -> None:
        """Delivered: `kept` (with buttons) wait for a press; `done` go, but one with a dedupe
        key stays as an empty row, so that queueing it again does nothing."""
        now = self._now()
        await self._execute(
            "UPDATE started_messages SET state = 'sent', sent_at = ?, lease_owner = NULL,"
            " lease_until = NULL WHERE id IN (SELECT value FROM json_each(?))",
            (now, _ids(kept)),
        )
        # a delivered notice is not kept: its text names someone
        await self._execute(
            "UPDATE started_messages SET state = 'sent', sent_at = ?, params = '{}',"
            " lease_owner = NULL, lease_until = NULL"
            " WHERE id IN (SELECT value FROM json_each(?)) AND dedupe_key IS NOT NULL",
            (now, _ids(done)),
        )
        await self._execute(
            "DELETE FROM started_messages"
            " WHERE id IN (SELECT value FROM json_each(?)) AND dedupe_key IS NULL",
            (_ids(done),),
        )

    async def drop_started(self, ids: Collection[int]) -> int:
        """Forget messages that will not be delivered (the recipient stopped or blocked)."""
        return await self._execute(
            "DELETE FROM started_messages WHERE id IN (SELECT value FROM json_each(?))",
            (_ids(ids),),
        )

    async def started_message(self, started_id: int) -> Started | None:
        """A message Relais started, with its recipient (None: no such message any more)."""
        row = await self._fetchone(
            f"SELECT {_COLUMNS} FROM started_messages s JOIN persons p ON p.id = s.person_id"
            " WHERE s.id = ?",
            (started_id,),
        )
        return None if row is None else _started(row)

    async def answer_started(self, started_id: int) -> bool:
        """Record the answer to a delivered message; False if it was already answered (or is
        not delivered): a message is answered once."""
        return (
            await self._execute(
                "UPDATE started_messages SET state = 'answered', answered_at = ?"
                " WHERE id = ? AND state = 'sent'",
                (self._now(), started_id),
            )
            == 1
        )

    async def drop_pending_notices(self, person_id: int) -> int:
        """Forget the notices not yet delivered to a person (one just removed from a team must
        not learn more about the people they followed); how many."""
        marks = ", ".join("?" for _ in NOTICE_KINDS)
        return await self._execute(
            "DELETE FROM started_messages WHERE person_id = ? AND state = 'queued'"
            f" AND kind IN ({marks})",
            (person_id, *NOTICE_KINDS),
        )

    async def purge_started(self, before: datetime, now: datetime, limit: int | None = None) -> int:
        """Delete messages queued before `before`, delivered or not (nobody read them in
        time), and answered or expired ones whose buttons no longer work (at most `limit`)."""
        # two ranges: of started_created, and of started_finished (delivered, no dedupe key)
        return await self._execute(
            "DELETE FROM started_messages WHERE id IN ("
            " SELECT id FROM started_messages WHERE created_at < ?"
            " UNION SELECT id FROM started_messages"
            "  WHERE state <> 'queued' AND dedupe_key IS NULL"
            "  AND (expires_at IS NULL OR expires_at < ?)" + limit_clause(limit) + ")",
            (to_text(before), to_text(now)),
        )

    async def silent_since(
        self, until: datetime, after: datetime, unless_sent: str | None = None
    ) -> list[Silent]:
        """People who agreed to Relais keeping their answers and can be written to (not
        stopped, not blocked) whose last message is from `after` to `until` (both included);
        with `unless_sent`, not those who were queued a message of that kind since their last
        message (the hourly sweep then reads only who is new in the window)."""
        told = (
            ""
            if unless_sent is None
            else " AND NOT EXISTS (SELECT 1 FROM started_messages s WHERE s.person_id = p.id"
            "  AND s.kind = ? AND s.created_at >= p.last_seen_at)"
        )
        rows = await self._fetchall(
            "SELECT p.id, p.last_seen_at FROM persons p"
            " WHERE p.last_seen_at <= ? AND p.last_seen_at >= ? AND p.stopped = 0"
            "  AND p.blocked = 0 AND p.consent = 1" + told + " ORDER BY p.id",
            (to_text(until), to_text(after), *(() if unless_sent is None else (unless_sent,))),
        )
        return [Silent(int(r["id"]), from_text(r["last_seen_at"])) for r in rows]
