"""SQL of erasure: a person goes with everything about them; old messages and audit lines go
when the retention period ends.

Mixed into `storage.Tx`; the methods run inside its transaction. Each erasure asks for a WAL
checkpoint when the transaction commits (see `Storage.transaction`), so the old versions of
the deleted rows do not stay in the `-wal` file.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.storage.queries import Queries, limit_clause, to_text

ERASED = "erased"  # the person asked ("Mes données" → "Tout effacer")
PURGED = "purged"  # the retention period ended (no actor: Relais itself)

# tables whose rows belong to one person (person_id); the persons row goes last
_OWNED = (
    "profile",
    "followup",
    "help_requests",
    "outcomes",
    "roles",
    "started_messages",
    "exchange_messages",
    "exchanges",
    "appointments",
)

# the people erased, as a JSON list of ids bound to one parameter: one statement a table for a
# whole batch, each a lookup of the table's index on the person's column
_IDS = "(SELECT value FROM json_each(?))"
# their chats (a person's chat is their platform id on their channel)
_CHATS = f"(SELECT channel, external_id FROM persons WHERE id IN {_IDS})"


@dataclass(frozen=True)
class Gone:
    """Someone the retention purge erased: enough to remove their files, nothing else."""

    id: int
    channel: str
    external_id: str


class ErasureQueries(Queries):
    """Repository methods of erasure (see storage.Tx for the helpers)."""

    _checkpoint_after: bool

    def checkpoint_after_commit(self) -> None:
        """Empty the WAL into the database (TRUNCATE) as soon as this transaction commits,
        before any other transaction, so that no reply leaves before the copies are gone."""
        self._checkpoint_after = True

    async def erase_person(self, person_id: int, action: str, actor_id: int | None) -> bool:
        """Delete a person and everything about them; keep one id-only audit line saying
        that it happened (`action`: "erased" or "purged"). False if there was no such person.

        Goes: the person's row (so their platform id too), answers, session, follow-up, help
        requests, messages with their centre, outcomes, roles, messages Relais started for them
        and about them, outbox messages of their chat and about them, audit lines about them, a
        volunteer's correction of their CV in progress (and theirs of someone else's). Their
        outbox callback answers still queued are sent, then deleted (sensitive).
        """
        return bool(await self.erase_persons([person_id], action, actor_id))

    async def erase_persons(
        self, person_ids: Collection[int], action: str, actor_id: int | None
    ) -> list[int]:
        """`erase_person` for several people at once (the retention purge), with one statement
        a table for all of them; the ids of those who were there."""
        ids = json.dumps(sorted({int(i) for i in person_ids}))
        found = [
            int(r["id"])
            for r in await self._fetchall(
                f"SELECT id FROM persons WHERE id IN {_IDS} ORDER BY id", (ids,)
            )
        ]
        if not found:
            return []
        ids = json.dumps(found)
        # an update set aside keeps its text for a look by the operator, but not once its
        # sender asked to be forgotten
        await self._execute(
            f"DELETE FROM update_journal WHERE (channel, sender) IN {_CHATS}"
            " AND set_aside_at IS NOT NULL",
            (ids,),
        )
        await self._execute(f"DELETE FROM started_messages WHERE subject_id IN {_IDS}", (ids,))
        await self._execute(f"DELETE FROM outbox WHERE subject_id IN {_IDS}", (ids,))
        # a volunteer's list naming them among others, still waiting to be sent
        await self._execute(
            f"DELETE FROM outbox WHERE id IN (SELECT outbox_id FROM outbox_about"
            f" WHERE person_id IN {_IDS})",
            (ids,),
        )
        # the chat's messages (what Relais said to them: summaries of their answers…) go now;
        # a button's pending answer holds only a query id: it is sent, then deleted (their
        # chat on their channel: a person's chat id is their id there)
        await self._execute(
            f"DELETE FROM outbox WHERE (channel, chat_id) IN {_CHATS}"
            " AND (state <> 'queued' OR method <> 'answerCallbackQuery')",
            (ids,),
        )
        await self._execute(
            f"UPDATE outbox SET sensitive = 1 WHERE (channel, chat_id) IN {_CHATS}", (ids,)
        )
        await self._execute(f"DELETE FROM audit_log WHERE subject_id IN {_IDS}", (ids,))
        # a volunteer's correction of their CV in progress, or theirs of someone else's
        await self._execute(
            f"DELETE FROM correction_drafts WHERE subject_id IN {_IDS} OR volunteer_id IN {_IDS}",
            (ids, ids),
        )
        for table in _OWNED:
            await self._execute(f"DELETE FROM {table} WHERE person_id IN {_IDS}", (ids,))
        await self._execute(f"DELETE FROM persons WHERE id IN {_IDS}", (ids,))
        await self._execute(
            "INSERT INTO audit_log (actor_id, subject_id, action, at)"
            " SELECT ?, value, ?, ? FROM json_each(?) ORDER BY value",
            (actor_id, action, self._now(), ids),
        )
        self.checkpoint_after_commit()
        return found

    async def inactive_persons(self, before: datetime, limit: int | None = None) -> list[Gone]:
        """Everyone whose last message is older than `before`, longest silent first (only the
        first `limit`: the purge erases a few at a time)."""
        # in the order of persons_last_seen: a range of it, however many people there are
        rows = await self._fetchall(
            "SELECT id, channel, external_id FROM persons WHERE last_seen_at < ?"
            " ORDER BY last_seen_at, id" + limit_clause(limit),
            (to_text(before),),
        )
        return [Gone(int(r["id"]), str(r["channel"]), str(r["external_id"])) for r in rows]

    async def purge_audit(self, before: datetime, limit: int | None = None) -> int:
        """Delete audit lines older than `before` (at most `limit`): the log is kept as long as
        the data."""
        return await self._execute(
            "DELETE FROM audit_log WHERE id IN"
            " (SELECT id FROM audit_log WHERE at < ? ORDER BY at" + limit_clause(limit) + ")",
            (to_text(before),),
        )
