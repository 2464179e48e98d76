"""SQL of the volunteers' side of job offers: a centre's offers a page at a time, each with
what came of it (sent, interested, sent to the employer, hired), read from offer_sends.

Mixed into `storage.Tx`; the reads also into `storage.ReadTx`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.offers.domain import Offer
from bot.storage.offers import _SELECT, _offer
from bot.storage.queries import Queries

# what came of each offer, one pass over its offer_sends rows ("sent": their message left, not
# only queued: one held back by the weekly cap is not counted until it goes)
_FUNNEL = (
    "SELECT offer_id, SUM(delivered_at IS NOT NULL) AS sent,"
    " SUM(answer = 'interested') AS interested,"
    " SUM(sent_to_employer_at IS NOT NULL) AS to_employer, SUM(result = 'hired') AS hired"
    " FROM offer_sends"
)


@dataclass(frozen=True)
class OfferFunnel:
    """What came of an offer: people it was sent to, who said they were interested, whose
    candidacy went to the employer, who were hired."""

    sent: int = 0
    interested: int = 0
    to_employer: int = 0
    hired: int = 0


@dataclass(frozen=True)
class OfferLine:
    """One offer of the list, with its funnel."""

    offer: Offer
    funnel: OfferFunnel


class OfferDeskReadQueries(Queries):
    """The reads of /offres and of an offer's screen, also made on the read-only connection."""

    async def offer_funnel(self, offer_id: int) -> OfferFunnel:
        """What came of one offer."""
        row = await self._fetchone(_FUNNEL + " WHERE offer_id = ?", (offer_id,))
        if row is None or not row["sent"]:
            return OfferFunnel()
        return OfferFunnel(
            int(row["sent"]), int(row["interested"]), int(row["to_employer"]), int(row["hired"])
        )

    async def offer_lines(
        self, centres: Sequence[str], limit: int, offset: int = 0
    ) -> list[OfferLine]:
        """The offers of these centres, open ones first (drafts, then vetted), then closed or
        expired, newest first within each; `limit` of them from `offset`, with their funnel."""
        if not centres:
            return []
        marks = ", ".join("?" * len(centres))
        rows = await self._fetchall(
            f"SELECT o.*, f.sent, f.interested, f.to_employer, f.hired FROM ({_SELECT}"
            f" WHERE centre IN ({marks})) AS o"
            f" LEFT JOIN ({_FUNNEL} GROUP BY offer_id) AS f ON f.offer_id = o.id"
            " ORDER BY CASE o.state WHEN 'draft' THEN 0 WHEN 'vetted' THEN 1 ELSE 2 END,"
            " o.id DESC LIMIT ? OFFSET ?",
            (*centres, limit, offset),
        )
        return [
            OfferLine(
                _offer(r),
                OfferFunnel(
                    int(r["sent"] or 0),
                    int(r["interested"] or 0),
                    int(r["to_employer"] or 0),
                    int(r["hired"] or 0),
                ),
            )
            for r in rows
        ]


class OfferDeskQueries(OfferDeskReadQueries):
    """Vetting the version a volunteer read."""

    async def vet_offer(self, offer_id: int, version: int, by: int | None) -> bool:
        """Mark a draft vetted if it is still the version the volunteer read (False: vetted,
        edited, closed or expired meanwhile)."""
        now = self._now()
        changed = await self._execute(
            "UPDATE offers SET state = 'vetted', vetted_by = ?, vetted_at = ?, updated_at = ?"
            " WHERE id = ? AND version = ? AND state = 'draft'",
            (by, now, now, offer_id, version),
        )
        return changed > 0
