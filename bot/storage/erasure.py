"""SQL of erasure: a person goes with everything about them; old messages and audit lines go
when the retention period ends.

Mixed into `storage.Tx`; the methods run inside its transaction. Each erasure asks for a WAL
checkpoint when the transaction commits (see `Storage.transaction`), so the old versions of
the deleted rows do not stay in the `-wal` file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.queries import Queries, to_text

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
)


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
        row = await self._fetchone(
            "SELECT channel, external_id FROM persons WHERE id = ?", (person_id,)
        )
        if row is None:
            return False
        channel, chat = str(row["channel"]), str(row["external_id"])
        # an update set aside keeps its text for a look by the operator, but not once its
        # sender asked to be forgotten
        await self._execute(
            "DELETE FROM update_journal WHERE channel = ? AND sender = ?"
            " AND set_aside_at IS NOT NULL",
            (channel, chat),
        )
        await self._execute("DELETE FROM started_messages WHERE subject_id = ?", (person_id,))
        await self._execute("DELETE FROM outbox WHERE subject_id = ?", (person_id,))
        # a volunteer's list naming them among others, still waiting to be sent
        await self._execute(
            "DELETE FROM outbox WHERE id IN"
            " (SELECT outbox_id FROM outbox_about WHERE person_id = ?)",
            (person_id,),
        )
        # the chat's messages (what Relais said to them: summaries of their answers…) go now;
        # a button's pending answer holds only a query id: it is sent, then deleted (their
        # chat on their channel: a person's chat id is their id there)
        await self._execute(
            "DELETE FROM outbox WHERE channel = ? AND chat_id = ?"
            " AND (state <> 'queued' OR method <> 'answerCallbackQuery')",
            (channel, chat),
        )
        await self._execute(
            "UPDATE outbox SET sensitive = 1 WHERE channel = ? AND chat_id = ?", (channel, chat)
        )
        await self._execute("DELETE FROM audit_log WHERE subject_id = ?", (person_id,))
        # a volunteer's correction of their CV in progress, or theirs of someone else's
        await self._execute(
            "DELETE FROM correction_drafts WHERE subject_id = ? OR volunteer_id = ?",
            (person_id, person_id),
        )
        for table in _OWNED:
            await self._execute(f"DELETE FROM {table} WHERE person_id = ?", (person_id,))
        await self._execute("DELETE FROM persons WHERE id = ?", (person_id,))
        await self._execute(
            "INSERT INTO audit_log (actor_id, subject_id, action, at) VALUES (?, ?, ?, ?)",
            (actor_id, person_id, action, self._now()),
        )
        self.checkpoint_after_commit()
        return True

    async def inactive_persons(self, before: datetime) -> list[Gone]:
        """Everyone whose last message is older than `before`."""
        rows = await self._fetchall(
            "SELECT id, channel, external_id FROM persons WHERE last_seen_at < ? ORDER BY id",
            (to_text(before),),
        )
        return [Gone(int(r["id"]), str(r["channel"]), str(r["external_id"])) for r in rows]

    async def purge_audit(self, before: datetime) -> int:
        """Delete audit lines older than `before`: the log is kept as long as the data."""
        return await self._execute("DELETE FROM audit_log WHERE at < ?", (to_text(before),))
