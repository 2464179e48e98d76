"""SQL of the outbox: every platform call Relais will make, on every channel, sent by senders
that survive restarts and may run side by side.

Mixed into `storage.Tx`. Chats are served best priority first (a reply before a notice before a
bulk send), then oldest first; each chat's rows in order. A sender leases the rows it is about
to send (lease_owner, lease_until) in the write transaction, so two senders on one database never
send the same row; a lease that ended (its sender crashed) is taken over.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.reach.started import TIDY
from bot.storage.journal import DEFAULT_CHANNEL
from bot.storage.offer_broadcast import DELIVERY_MARK
from bot.storage.queries import Queries, dump_json, from_text, limit_clause, to_text

OUTBOX_STATES = ("queued", "sent", "failed", "blocked")
ERROR_MAX = 200


@dataclass(frozen=True)
class OutboxItem:
    """One queued platform call."""

    id: int
    chat_id: str
    method: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    channel: str = DEFAULT_CHANNEL
    priority: int = 0


def _outbox_item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=int(row["id"]),
        chat_id=row["chat_id"],
        method=row["method"],
        payload=json.loads(row["payload"]),
        attempts=int(row["attempts"]),
        created_at=from_text(row["created_at"]),
        channel=row["channel"],
        priority=int(row["priority"]),
    )


def _short_error(error: str) -> str:
    # callers pass a class name or code; a length cap keeps a mistake from storing a whole text
    return str(error)[:ERROR_MAX]


class OutboxQueries(Queries):
    """Repository methods of the outbox (see storage.Tx for the helpers)."""

    _checkpoint_after: bool

    async def enqueue(
        self,
        chat_id: str,
        method: str,
        payload: dict[str, Any],
        not_before: datetime | None = None,
        *,
        subject_id: int | None = None,
        sensitive: bool = False,
        shows: Collection[int] = (),
        channel: str = DEFAULT_CHANNEL,
        priority: int = 0,
    ) -> int:
        """Queue one platform call (due now, or at `not_before`); its outbox id.

        `subject_id`: the person the message is about (erased with them); `shows`: everyone
        else it names (a volunteer's list; each erased with them too); `sensitive`: the row is
        deleted, not kept, once it leaves the queue (an invitation code, a farewell);
        `priority`: 0 a reply, 1 a notice, 2 a bulk send (bot.reach.delivery).
        """
        now = self._now()
        row = await self._fetchone(
            "INSERT INTO outbox (channel, chat_id, method, payload, not_before, created_at,"
            " updated_at, subject_id, sensitive, priority)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                channel,
                str(chat_id),
                method,
                dump_json(payload),
                None if not_before is None else to_text(not_before),
                now,
                now,
                subject_id,
                int(sensitive),
                int(priority),
            ),
        )
        assert row is not None
        for person_id in set(shows):
            await self._execute(
                "INSERT INTO outbox_about (outbox_id, person_id) VALUES (?, ?)",
                (int(row["id"]), int(person_id)),
            )
        return int(row["id"])

    async def due_outbox_turns(
        self,
        now: datetime,
        per_chat: int,
        chats: int,
        busy: Collection[str] = (),
        *,
        channel: str = DEFAULT_CHANNEL,
        chat: str | None = None,
        owner: str | None = None,
        horizon: datetime | None = None,
    ) -> list[OutboxItem]:
        """The next turn of up to `chats` chats of `channel` (or only `chat`) not in `busy`:
        each chat's first `per_chat` due items; chats by their best priority, then their oldest
        due item; each chat's items in order.

        An item waits while an older item of the same chat waits for a retry, so a chat never
        receives its messages out of order; a chat whose rows another sender than `owner`
        holds is left to it. A lease ending after `horizon` (the furthest a sender leases now)
        was given by a clock that went back since: it holds nothing. The scheduler, not this
        query, decides which of these chats go first.

        A call that only tidies (priority TIDY: an answered question's buttons taken off) holds
        nothing back and is never in the turn of a more urgent item: a chat's tidying comes in
        a turn of its own once nothing else of that chat is due, ranked after every chat with
        something else to send.
        """
        at = to_text(now)
        rows = await self._fetchall(
            "WITH waiting AS ("
            " SELECT chat_id, MIN(id) AS first_wait FROM outbox"
            " WHERE state = 'queued' AND channel = ? AND attempts > 0 AND not_before > ?"
            "  AND priority < ?"
            " GROUP BY chat_id),"
            " held AS ("
            " SELECT DISTINCT chat_id FROM outbox"
            " WHERE state = 'queued' AND channel = ? AND lease_owner IS NOT NULL"
            "  AND lease_owner IS NOT ? AND lease_until > ? AND (? IS NULL OR lease_until <= ?)),"
            " ready AS ("
            " SELECT o.id, o.chat_id, o.priority"
            " FROM outbox o LEFT JOIN waiting w ON w.chat_id = o.chat_id"
            " WHERE o.state = 'queued' AND o.channel = ? AND (? IS NULL OR o.chat_id = ?)"
            "  AND (o.not_before IS NULL OR o.not_before <= ?)"
            "  AND (w.first_wait IS NULL OR o.id < w.first_wait)"
            "  AND o.chat_id NOT IN (SELECT chat_id FROM held)"
            "  AND o.chat_id NOT IN (SELECT value FROM json_each(?))),"
            " due AS ("
            " SELECT r.id, r.chat_id,"
            "  ROW_NUMBER() OVER (PARTITION BY r.chat_id ORDER BY r.id) AS turn,"
            "  MIN(r.id) OVER (PARTITION BY r.chat_id) AS first,"
            "  MIN(r.priority) OVER (PARTITION BY r.chat_id) AS best"
            " FROM ready r WHERE r.priority < ? OR NOT EXISTS ("
            "  SELECT 1 FROM ready u WHERE u.chat_id = r.chat_id AND u.priority < ?))"
            " SELECT o.id, o.channel, o.chat_id, o.method, o.payload, o.attempts, o.created_at,"
            "  o.priority"
            " FROM due d JOIN outbox o ON o.id = d.id"
            " WHERE d.turn <= ? ORDER BY d.best, d.first, d.turn LIMIT ?",
            (
                channel,
                at,
                TIDY,
                channel,
                owner,
                at,
                _maybe_text(horizon),
                _maybe_text(horizon),
                channel,
                chat,
                chat,
                at,
                json.dumps([str(c) for c in busy]),
                TIDY,
                TIDY,
                per_chat,
                per_chat * chats,
            ),
        )
        return [_outbox_item(r) for r in rows]

    async def lease_outbox(
        self,
        ids: Collection[int],
        owner: str,
        now: datetime,
        until: datetime,
        horizon: datetime | None = None,
    ) -> list[int]:
        """Take these queued rows for `owner` until `until`, unless another sender holds them
        (an ended lease, or one ending after `horizon` (default `until`): from a clock that
        went back, holds nothing); the ids taken."""
        if not ids:
            return []
        rows = await self._fetchall(
            "UPDATE outbox SET lease_owner = ?, lease_until = ?"
            " WHERE id IN (SELECT value FROM json_each(?)) AND state = 'queued'"
            " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?"
            "  OR lease_until > ?)"
            " RETURNING id",
            (
                owner,
                to_text(until),
                json.dumps(list(ids)),
                owner,
                to_text(now),
                to_text(horizon or until),
            ),
        )
        return sorted(int(r["id"]) for r in rows)

    async def release_outbox(self, owner: str, ids: Collection[int] | None = None) -> int:
        """Give back the leases `owner` holds (on these rows, or all); how many."""
        where = "" if ids is None else " AND id IN (SELECT value FROM json_each(?))"
        params: tuple[Any, ...] = (owner,) if ids is None else (owner, json.dumps(list(ids)))
        return await self._execute(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL"
            f" WHERE lease_owner = ?{where}",
            params,
        )

    async def outbox_lease_owners(self, now: datetime) -> list[str]:
        """The senders holding leases not ended yet (to find those that died)."""
        rows = await self._fetchall(
            "SELECT DISTINCT lease_owner FROM outbox"
            " WHERE state = 'queued' AND lease_owner IS NOT NULL AND lease_until > ?",
            (to_text(now),),
        )
        return [str(r["lease_owner"]) for r in rows]

    async def mark_sent(self, id: int, result: dict[str, Any] | None = None) -> None:
        """The call succeeded; `result` (ids only, never text) is kept, the payload dropped."""
        await self.mark_sent_many([(id, result)])

    async def mark_sent_many(self, sent: Collection[tuple[int, dict[str, Any] | None]]) -> None:
        """Several calls succeeded, each with its `result` (as `mark_sent`): one statement per
        distinct result (all None, on most channels) rather than one per row."""
        ids_by_result: dict[str | None, list[int]] = {}
        offer_by_result: dict[str | None, int] = {}
        for id, result in sent:
            text = None if result is None else dump_json(result)
            ids_by_result.setdefault(text, []).append(int(id))
            mark = (result or {}).get(DELIVERY_MARK)
            if isinstance(mark, int):
                offer_by_result[text] = mark
        sensitive: list[int] = []
        for text, ids in ids_by_result.items():
            rows = await self._fetchall(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, payload = '{}',"
                " result = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL"
                " WHERE id IN (SELECT value FROM json_each(?)) RETURNING id, sensitive, subject_id",
                (text, self._now(), json.dumps(ids)),
            )
            sensitive += [int(r["id"]) for r in rows if r["sensitive"]]
            offer = offer_by_result.get(text)
            if offer is not None:
                # an offer's message left: the moment is kept with whom it was sent to
                # (one statement per offer, and none for any other message)
                people = [int(r["subject_id"]) for r in rows if r["subject_id"] is not None]
                await self._execute(
                    "UPDATE offer_sends SET delivered_at = ? WHERE offer_id = ?"
                    " AND person_id IN (SELECT value FROM json_each(?)) AND delivered_at IS NULL",
                    (self._now(), offer, json.dumps(people)),
                )
        if sensitive:  # rarely: most rows are not, and need no second statement
            await self._forget_sensitive(
                "id IN (SELECT value FROM json_each(?))", (json.dumps(sensitive),)
            )

    async def mark_retry(self, id: int, next_at: datetime, error: str) -> None:
        """The call failed for now: try again at `next_at` (only if still queued)."""
        await self._execute(
            "UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?,"
            " updated_at = ?, lease_owner = NULL, lease_until = NULL"
            " WHERE id = ? AND state = 'queued'",
            (to_text(next_at), _short_error(error), self._now(), id),
        )

    async def hold_outbox(self, id: int, until: datetime) -> None:
        """Not now (quiet hours): send it from `until` on; not a failure, so the chat's later
        calls (replies) are not held behind it."""
        await self._execute(
            "UPDATE outbox SET not_before = ?, updated_at = ?, lease_owner = NULL,"
            " lease_until = NULL WHERE id = ? AND state = 'queued'",
            (to_text(until), self._now(), id),
        )

    async def mark_failed(self, id: int, error: str) -> None:
        """The call failed for good; `error` is an error class or code, never message text."""
        await self._finish(id, "failed", _short_error(error), None)

    async def _finish(self, id: int, state: str, error: str | None, result: str | None) -> None:
        # a finished row is never sent again, so its text is no longer needed: drop it
        await self._execute(
            "UPDATE outbox SET state = ?, attempts = attempts + 1, payload = '{}',"
            " last_error = COALESCE(?, last_error), result = ?, updated_at = ?,"
            " lease_owner = NULL, lease_until = NULL WHERE id = ?",
            (state, error, result, self._now(), id),
        )
        await self._forget_sensitive("id = ?", (id,))

    async def _forget_sensitive(self, where: str, params: tuple[Any, ...]) -> None:
        # a sensitive row that left the queue is deleted, and the WAL copies of its text go
        # with a checkpoint when the transaction commits
        if await self._execute(
            f"DELETE FROM outbox WHERE sensitive = 1 AND state <> 'queued' AND {where}", params
        ):
            self._checkpoint_after = True

    async def mark_blocked_chat(self, chat_id: str, *, channel: str = DEFAULT_CHANNEL) -> int:
        """Every queued item of this chat becomes 'blocked' (the recipient blocked the bot)."""
        blocked = await self._execute(
            "UPDATE outbox SET state = 'blocked', payload = '{}', updated_at = ?,"
            " lease_owner = NULL, lease_until = NULL"
            " WHERE channel = ? AND chat_id = ? AND state = 'queued'",
            (self._now(), channel, str(chat_id)),
        )
        await self._forget_sensitive("channel = ? AND chat_id = ?", (channel, str(chat_id)))
        return blocked

    async def outbox_counts(self) -> dict[str, int]:
        """Number of outbox items in each state (every state present, zeros included)."""
        counts = dict.fromkeys(OUTBOX_STATES, 0)
        for row in await self._fetchall("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state"):
            counts[row["state"]] = int(row["n"])
        return counts

    async def queued_outbox(self, channel: str, priority: int) -> int:
        """How many calls of this priority wait in a channel's outbox (a range of
        outbox_queued_chat)."""
        row = await self._fetchone(
            "SELECT COUNT(*) AS n FROM outbox WHERE state = 'queued' AND channel = ?"
            " AND priority = ?",
            (channel, priority),
        )
        return int(row["n"]) if row is not None else 0

    async def purge_outbox(self, before: datetime, limit: int | None = None) -> int:
        """Delete items that left the queue (sent, failed, blocked) before `before` (at most
        `limit`, oldest first)."""
        # a range of outbox_finished
        return await self._execute(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
            " WHERE state <> 'queued' AND updated_at < ? ORDER BY updated_at"
            + limit_clause(limit)
            + ")",
            (to_text(before),),
        )


def _maybe_text(moment: datetime | None) -> str | None:
    return None if moment is None else to_text(moment)
