"""SQL of the statistics: counts per centre and period, never names.

Mixed into `storage.Tx`; the methods run inside its transaction. The definitions of the
figures are in `bot.desk.stats`. Periods are whole days in UTC: since timestamps are fixed-width
ISO-8601 UTC text, "on or before day D" is `< 'D+1'` and "on or after day D" is `>= 'D'`,
plain text comparisons that any SQL database does the same way.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from bot.storage.queries import Queries


@dataclass(frozen=True)
class PeopleCounts:
    """How many people were followed, and how far they got."""

    followed: int
    assessment_done: int
    cv_checked: int


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" for _ in values)


def _after(end: date) -> str:
    # the first instant after the period, as text comparable with stored timestamps
    return (end + timedelta(days=1)).isoformat()


def _followed(centres: tuple[str, ...], by_centre: bool) -> str:
    """How many people these centres followed, and how far they got (see bot.desk.stats): one
    row; or one row per centre (someone followed by two centres is counted by both)."""
    marks = _marks(centres)
    person, outcome = ("p.centre", "o.centre") if by_centre else ("NULL", "NULL")
    # beneficiaries present during the period, plus whoever had a confirmed outcome there (they
    # may have moved or gone silent since, and still count)
    return (
        "WITH followed AS ("
        f" SELECT {person} AS centre, p.id AS person_id FROM persons p"
        f" WHERE p.centre IN ({marks}) AND p.consent = 1"
        " AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.person_id = p.id)"
        " AND p.created_at < ? AND p.last_seen_at >= ?"
        " UNION"
        f" SELECT {outcome}, o.person_id FROM outcomes o"
        f" WHERE o.centre IN ({marks}) AND o.confirmed = 1"
        " AND o.happened_on >= ? AND o.happened_on <= ?"
        ")"
        " SELECT x.centre, COUNT(*) AS followed,"
        " COALESCE(SUM(CASE WHEN f.assessment_done_at < ? THEN 1 ELSE 0 END), 0)"
        " AS assessment_done,"
        " COALESCE(SUM(CASE WHEN f.cv_status = 'checked' THEN 1 ELSE 0 END), 0) AS cv_checked"
        " FROM followed x LEFT JOIN followup f ON f.person_id = x.person_id"
        + (" GROUP BY x.centre" if by_centre else "")
    )


def _params(centres: tuple[str, ...], start: date, end: date) -> tuple[str, ...]:
    after = _after(end)
    return (*centres, after, start.isoformat(), *centres, start.isoformat(), end.isoformat(), after)


def _counts(row: sqlite3.Row) -> PeopleCounts:
    return PeopleCounts(int(row["followed"]), int(row["assessment_done"]), int(row["cv_checked"]))


class StatsQueries(Queries):
    """Repository methods of the statistics (see storage.Tx for the helpers)."""

    async def centre_names(self) -> dict[str, str]:
        """Every centre ever known, removed ones included (their outcomes still count)."""
        rows = await self._fetchall("SELECT id, name FROM centres ORDER BY id")
        return {r["id"]: r["name"] for r in rows}

    async def stats_people(self, centres: tuple[str, ...], start: date, end: date) -> PeopleCounts:
        """People followed by these centres in [start, end], each counted once."""
        if not centres:
            return PeopleCounts(0, 0, 0)
        row = await self._fetchone(_followed(centres, False), _params(centres, start, end))
        return _counts(row) if row is not None else PeopleCounts(0, 0, 0)

    async def stats_people_by_centre(
        self, centres: tuple[str, ...], start: date, end: date
    ) -> dict[str, PeopleCounts]:
        """`stats_people` of each of these centres (zeros included), in one pass over the
        people rather than one per centre."""
        found = dict.fromkeys(centres, PeopleCounts(0, 0, 0))
        if not centres:
            return found
        rows = await self._fetchall(_followed(centres, True), _params(centres, start, end))
        for row in rows:
            found[row["centre"]] = _counts(row)
        return found

    async def stats_outcomes(
        self, centres: tuple[str, ...], start: date, end: date
    ) -> list[tuple[str, str | None, int]]:
        """(kind, contract, count) of the confirmed outcomes of these centres in [start, end]."""
        if not centres:
            return []
        rows = await self._fetchall(
            "SELECT kind, contract, COUNT(*) AS n FROM outcomes"
            f" WHERE centre IN ({_marks(centres)}) AND confirmed = 1"
            " AND happened_on >= ? AND happened_on <= ?"
            " GROUP BY kind, contract ORDER BY kind, contract",
            (*centres, start.isoformat(), end.isoformat()),
        )
        return [(r["kind"], r["contract"], int(r["n"])) for r in rows]

    async def stats_back_to_work(self, centres: tuple[str, ...], start: date, end: date) -> int:
        """How many distinct people had a confirmed job outcome of these centres in [start, end]."""
        if not centres:
            return 0
        row = await self._fetchone(
            "SELECT COUNT(DISTINCT person_id) AS n FROM outcomes"
            f" WHERE centre IN ({_marks(centres)}) AND confirmed = 1 AND kind = 'job'"
            " AND happened_on >= ? AND happened_on <= ?",
            (*centres, start.isoformat(), end.isoformat()),
        )
        return int(row["n"]) if row is not None else 0
