"""SQL of the reads of a person's own state: their row, answers and where their CV stands.

Mixed into `storage.Tx` (whose `load_state` also records the message) and `storage.ReadTx`
(documents made when sent read the state there, without writing).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from bot.core.domain import Session, State
from bot.storage.queries import Queries, maybe_from_text
from bot.storage.team import person_from_row

# the columns of a person's own state (the consent's version and date included)
STATE_COLUMNS = (
    "id, channel, external_id, locale, consent, centre, stopped, blocked, session,"
    " consent_version, consent_at"
)


class PersonReadQueries(Queries):
    """A person's state, read."""

    async def state_of(self, channel: str, external_id: str) -> State | None:
        """The person's state as saved (None: they never wrote, or were erased); unlike
        `load_state`, records nothing."""
        row = await self._fetchone(
            f"SELECT {STATE_COLUMNS} FROM persons WHERE channel = ? AND external_id = ?",
            (channel, str(external_id)),
        )
        return await self._state(row) if row is not None else None

    async def _profile_texts(self, person_id: int) -> dict[str, str]:
        """A person's saved answers as stored: JSON text by key."""
        rows = await self._fetchall(
            "SELECT key, value FROM profile WHERE person_id = ?", (person_id,)
        )
        return {r["key"]: r["value"] for r in rows}

    async def _state(self, row: sqlite3.Row, stored: dict[str, str] | None = None) -> State:
        """The state of the person of `row` (STATE_COLUMNS): their session, profile (`stored`,
        if already read) and CV."""
        person = person_from_row(row)
        if stored is None:
            stored = await self._profile_texts(int(row["id"]))
        profile = {key: json.loads(value) for key, value in stored.items()}
        # the follow-up and whether offers come ("Offres d'emploi" asks "again?" only of someone
        # who stopped them), in one statement: this is read for every message
        found = await self._fetchone(
            "SELECT f.cv_status, f.cv_note, f.cv_done_at,"
            " (SELECT receive FROM offer_choices WHERE person_id = ?) AS receive"
            " FROM (SELECT 1) LEFT JOIN followup f ON f.person_id = ?",
            (person.id, person.id),
        )
        assert found is not None  # one row, whatever the person has
        followup = found if found["cv_status"] is not None else None
        cv: dict[str, Any] = {
            "cv.status": followup["cv_status"] if followup else "none",
            "cv.note": followup["cv_note"] if followup else None,
            "cv.changed_at": maybe_from_text(followup["cv_done_at"]) if followup else None,
            "offers.receive": "no" if found["receive"] == 0 else "yes",
        }
        return State(person, Session.from_json(json.loads(row["session"])), profile, followup=cv)
