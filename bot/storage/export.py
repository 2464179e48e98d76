"""SQL of a person's own data export: what the database holds about them beyond their answers.

Mixed into `storage.Tx`; the methods run inside its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.queries import Queries, maybe_from_text


@dataclass(frozen=True)
class PersonDates:
    """When a person first and last wrote."""

    created_at: datetime | None
    last_seen_at: datetime | None


@dataclass(frozen=True)
class HelpAsked:
    """One request to talk to a volunteer or for an appointment, as its author sees it (no
    volunteer named)."""

    created_at: datetime
    taken_at: datetime | None
    about: str = "talk"  # "talk" or "appointment"


@dataclass(frozen=True)
class Access:
    """One line of the audit log about a person: what was opened or made, and when."""

    action: str
    at: datetime
    by_self: bool  # the person themself (their own export), not a volunteer


class ExportQueries(Queries):
    """Repository methods of the data export (see storage.Tx for the helpers)."""

    async def person_dates(self, person_id: int) -> PersonDates:
        """When the person first and last wrote."""
        row = await self._fetchone(
            "SELECT created_at, last_seen_at FROM persons WHERE id = ?", (person_id,)
        )
        if row is None:
            return PersonDates(None, None)
        return PersonDates(maybe_from_text(row["created_at"]), maybe_from_text(row["last_seen_at"]))

    async def help_requests_of(self, person_id: int) -> list[HelpAsked]:
        """The person's requests to talk to a volunteer or for an appointment, oldest first."""
        rows = await self._fetchall(
            "SELECT created_at, taken_at, about FROM help_requests WHERE person_id = ? ORDER BY id",
            (person_id,),
        )
        return [
            HelpAsked(
                datetime.fromisoformat(r["created_at"]),
                maybe_from_text(r["taken_at"]),
                str(r["about"]),
            )
            for r in rows
        ]

    async def audit_about(self, person_id: int) -> list[Access]:
        """Every audit line about the person, oldest first (who did it is left out)."""
        rows = await self._fetchall(
            "SELECT action, at, actor_id FROM audit_log WHERE subject_id = ? ORDER BY id",
            (person_id,),
        )
        return [
            Access(r["action"], datetime.fromisoformat(r["at"]), r["actor_id"] == person_id)
            for r in rows
        ]
