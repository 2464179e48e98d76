"""SQL of a volunteer's corrections of someone's answers: the answers written for that person,
and the entry being changed kept between two messages (see migration 013).

Mixed into `storage.Tx`; the methods run inside its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.offers import profile_index
from bot.storage.queries import Queries, dump_json, to_text


@dataclass(frozen=True)
class Draft:
    """The correction a volunteer is in the middle of: whom it is about, and its values."""

    subject_id: int
    data: dict[str, Any]


class CorrectionReadQueries(Queries):
    """The reads of corrections, also made on the read-only connection (storage.ReadTx)."""

    async def corrections_about(self, person_id: int) -> int:
        """How many volunteers are in the middle of correcting this person's answers."""
        row = await self._fetchone(
            "SELECT COUNT(*) AS n FROM correction_drafts WHERE subject_id = ?", (person_id,)
        )
        return int(row["n"]) if row is not None else 0


class CorrectionQueries(CorrectionReadQueries):
    """Repository methods of corrections (see storage.Tx for the helpers)."""

    _profiles: dict[int, dict[str, str]]  # see storage.Tx

    if TYPE_CHECKING:  # storage.offers.OfferQueries, mixed in beside this one in storage.Tx

        async def refresh_offer_profile(
            self, person_id: int, profile: Mapping[str, Any]
        ) -> None: ...

    async def set_answers(self, person_id: int, values: Mapping[str, Any]) -> None:
        """Write some of a person's saved answers (None: the answer is removed), the others
        left as they are."""
        now = self._now()
        self._profiles.pop(person_id, None)  # what save_state knew of them is out of date
        for key, value in values.items():
            if value is None:
                await self._execute(
                    "DELETE FROM profile WHERE person_id = ? AND key = ?", (person_id, key)
                )
                continue
            await self._execute(
                "INSERT INTO profile (person_id, key, value, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (person_id, key)"
                " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (person_id, key, dump_json(value), now),
            )
        if profile_index.KEYS & values.keys():
            texts = await self._fetchall(
                "SELECT key, value FROM profile WHERE person_id = ?", (person_id,)
            )
            await self.refresh_offer_profile(
                person_id, {str(t["key"]): json.loads(t["value"]) for t in texts}
            )

    async def correction_draft(self, volunteer_id: int) -> Draft | None:
        """The correction this volunteer is in the middle of, if any."""
        row = await self._fetchone(
            "SELECT subject_id, data FROM correction_drafts WHERE volunteer_id = ?",
            (volunteer_id,),
        )
        if row is None:
            return None
        data = json.loads(row["data"])
        return Draft(int(row["subject_id"]), data if isinstance(data, dict) else {})

    async def keep_correction_draft(
        self, volunteer_id: int, subject_id: int, data: Mapping[str, Any]
    ) -> None:
        """Keep the correction in progress until the volunteer's next message (one per
        volunteer: a new one replaces the last)."""
        await self._execute(
            "INSERT INTO correction_drafts (volunteer_id, subject_id, data, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (volunteer_id) DO UPDATE SET"
            " subject_id = excluded.subject_id, data = excluded.data,"
            " updated_at = excluded.updated_at",
            (volunteer_id, subject_id, dump_json(dict(data)), self._now()),
        )

    async def drop_correction_draft(self, volunteer_id: int) -> None:
        """The correction is over (saved, cancelled or left)."""
        await self._execute("DELETE FROM correction_drafts WHERE volunteer_id = ?", (volunteer_id,))

    async def purge_correction_drafts(self, before: datetime) -> int:
        """Drop corrections left midway before `before` (the volunteer went away)."""
        return await self._execute(
            "DELETE FROM correction_drafts WHERE updated_at < ?", (to_text(before),)
        )
