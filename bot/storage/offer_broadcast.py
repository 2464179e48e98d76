"""SQL of sending an offer: what the match preview reads (near misses, how many were already
sent it), and what the progress of a broadcast is (delivered, blocked, not delivered, still on
its way), read from the offer_sends rows and the queues they went through.

Mixed into `storage.Tx` (and the reads into `storage.ReadTx`); the methods run inside its
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.offers import matching
from bot.offers.domain import Offer
from bot.storage.offers import OfferReadQueries
from bot.storage.queries import from_text, to_text

# The outbox payload's key that carries the offer a message is for (its person is the row's
# subject): outbox.mark_sent_many stamps offer_sends.delivered_at from it.
DELIVERY_MARK = "offer"

# still on its way: its message Relais starts not handed to the outbox yet, or its outbox
# call not made yet
_PENDING = (
    "(EXISTS (SELECT 1 FROM started_messages m"
    "  WHERE m.dedupe_key = 'offer:' || s.offer_id || ':' || s.person_id AND m.state = 'queued')"
    " OR EXISTS (SELECT 1 FROM outbox o WHERE o.subject_id = s.person_id AND o.state = 'queued'"
    f"  AND json_extract(o.payload, '$.{DELIVERY_MARK}') = s.offer_id))"
)


@dataclass(frozen=True)
class BroadcastCounts:
    """Where the people of one broadcast are: their message left (delivered), they blocked
    the bot or stopped Relais meanwhile, it will not leave (the offer closed, the platform
    refused it), or it is still on its way."""

    total: int
    delivered: int
    blocked: int
    undelivered: int
    pending: int
    in_flight: int = 0  # being sent at a crash: may have reached their person twice
    later: int = 0  # of the pending, waiting for a later moment (weekly cap, quiet hours)

    @property
    def finished(self) -> bool:
        """Nothing is on its way any more."""
        return self.pending == 0


@dataclass(frozen=True)
class RunningBroadcast:
    """A broadcast not finished yet, with its progress message (the outbox row that sent it,
    and the platform's message id once it left, on a channel that tells it)."""

    id: int
    offer_id: int
    volunteer_id: int | None
    total: int
    started_at: datetime
    progress_outbox_id: int | None
    progress_message_id: int | None


class OfferBroadcastReadQueries(OfferReadQueries):
    """The reads of sending offers, also made on the read-only connection."""

    async def offer_sent_count(self, offer_id: int) -> int:
        """How many people an offer was queued for so far (all its broadcasts)."""
        row = await self._fetchone(
            "SELECT COUNT(*) AS n FROM offer_sends WHERE offer_id = ?", (offer_id,)
        )
        return int(row["n"]) if row is not None else 0

    async def offer_near_misses(self, offer: Offer, limit: int) -> list[matching.Candidate]:
        """Up to `limit` people the offer nearly fits (one criterion missed), proposable ones
        first, then by id."""
        return await self._candidates(offer, near=True, limit=limit, only_near=True)

    async def broadcast_counts(
        self, broadcast_id: int, now: datetime | None = None
    ) -> BroadcastCounts:
        """Where the people of a broadcast are now (BroadcastCounts; `later`: those whose
        message waits for after `now`, when given)."""
        later = (
            "COALESCE((SELECT COUNT(*) FROM offer_sends s JOIN started_messages m"
            "  ON m.dedupe_key = 'offer:' || s.offer_id || ':' || s.person_id"
            "  WHERE s.broadcast_id = ? AND s.delivered_at IS NULL AND m.state = 'queued'"
            "  AND m.not_before > ?), 0)"
        )
        row = await self._fetchone(
            f"SELECT {later} AS later, COUNT(*) AS total,"
            " COALESCE(SUM(d.delivered), 0) AS delivered,"
            " COALESCE(SUM(NOT d.delivered AND NOT d.pending AND d.gone), 0) AS blocked,"
            " COALESCE(SUM(NOT d.delivered AND NOT d.pending AND NOT d.gone), 0) AS undelivered,"
            " COALESCE(SUM(NOT d.delivered AND d.pending), 0) AS pending,"
            " (SELECT in_flight FROM offer_broadcasts WHERE id = ?) AS in_flight"
            " FROM (SELECT s.delivered_at IS NOT NULL AS delivered,"
            f"  s.delivered_at IS NULL AND {_PENDING} AS pending,"
            "  (p.blocked = 1 OR p.stopped = 1) AS gone"
            "  FROM offer_sends s JOIN persons p ON p.id = s.person_id"
            "  WHERE s.broadcast_id = ?) AS d",
            (broadcast_id, "" if now is None else to_text(now), broadcast_id, broadcast_id),
        )
        assert row is not None
        return BroadcastCounts(
            int(row["total"]),
            int(row["delivered"]),
            int(row["blocked"]),
            int(row["undelivered"]),
            int(row["pending"]),
            int(row["in_flight"] or 0),
            int(row["later"]) if now is not None else 0,
        )


class OfferBroadcastQueries(OfferBroadcastReadQueries):
    """Repository methods of sending offers (see storage.Tx for the helpers)."""

    async def running_broadcasts(self) -> list[RunningBroadcast]:
        """The broadcasts not finished yet, oldest first, with their progress message."""
        rows = await self._fetchall(
            "SELECT b.id, b.offer_id, b.volunteer_id, b.total, b.started_at,"
            " b.progress_outbox_id, json_extract(o.result, '$.message_id') AS message_id"
            " FROM offer_broadcasts b LEFT JOIN outbox o ON o.id = b.progress_outbox_id"
            " WHERE b.finished_at IS NULL ORDER BY b.id"
        )
        return [
            RunningBroadcast(
                id=int(r["id"]),
                offer_id=int(r["offer_id"]),
                volunteer_id=None if r["volunteer_id"] is None else int(r["volunteer_id"]),
                total=int(r["total"]),
                started_at=from_text(r["started_at"]),
                progress_outbox_id=(
                    None if r["progress_outbox_id"] is None else int(r["progress_outbox_id"])
                ),
                progress_message_id=None if r["message_id"] is None else int(r["message_id"]),
            )
            for r in rows
        ]

    async def set_broadcast_progress(self, broadcast_id: int, outbox_id: int) -> None:
        """Record the outbox row of a broadcast's progress message."""
        await self._execute(
            "UPDATE offer_broadcasts SET progress_outbox_id = ? WHERE id = ?",
            (outbox_id, broadcast_id),
        )

    async def finish_broadcast(self, broadcast_id: int) -> bool:
        """Mark a broadcast finished (its report sent); False if it already was."""
        changed = await self._execute(
            "UPDATE offer_broadcasts SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
            (self._now(), broadcast_id),
        )
        return changed > 0

    async def edit_waiting(self, channel: str, chat: str, message_id: int) -> bool:
        """Whether an edit of this message is still queued (the next one waits for it)."""
        row = await self._fetchone(
            "SELECT 1 FROM outbox WHERE state = 'queued' AND channel = ? AND chat_id = ?"
            " AND method = 'editMessageText' AND json_extract(payload, '$.message_id') = ?"
            " LIMIT 1",
            (channel, str(chat), message_id),
        )
        return row is not None

    async def note_offers_in_flight(self, owner: str) -> int:
        """Before the leases of a sender that died (`owner`) are taken back: count, for each
        running broadcast, its messages that sender was holding (they may have left just
        before the crash, and will go again); how many in all."""
        rows = await self._fetchall(
            "SELECT s.broadcast_id, COUNT(*) AS n FROM outbox o JOIN offer_sends s"
            f" ON s.offer_id = json_extract(o.payload, '$.{DELIVERY_MARK}')"
            " AND s.person_id = o.subject_id"
            " WHERE o.state = 'queued' AND o.lease_owner = ? AND s.delivered_at IS NULL"
            " GROUP BY s.broadcast_id",
            (owner,),
        )
        for row in rows:
            await self._execute(
                "UPDATE offer_broadcasts SET in_flight = in_flight + ? WHERE id = ?",
                (int(row["n"]), int(row["broadcast_id"])),
            )
        return sum(int(r["n"]) for r in rows)
