"""SQL of what follows an offer sent to a person: their answer (and why not), "Stop offers",
the relay to a volunteer, "sent to the employer" and the result; the weekly cap on offer
messages; the offers' funnel for /stats.

Mixed into `storage.Tx` (OfferSendQueries) and `storage.ReadTx` (OfferSendReadQueries).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from bot.offers.domain import SOURCES, OfferSend
from bot.storage.offers import WANTS_OFFERS
from bot.storage.queries import Queries, dump_json, maybe_from_text, to_text

# the kinds of messages Relais starts that count in a person's weekly cap of offer messages
OFFER_MESSAGE_KINDS = ("offer", "offer_digest", "offer_followup")
# the funnel of /stats, in order (see bot.desk.stats)
OFFER_FIGURES = ("received", "vetted", "sent", "reached", "interested", "to_employer", "hired")

# the offer's message to the person has left the queue (its dedupe key's row, kept)
_LEFT = (
    "EXISTS (SELECT 1 FROM started_messages m"
    " WHERE m.dedupe_key = 'offer:' || s.offer_id || ':' || s.person_id AND m.state <> 'queued')"
)
_SEND_COLUMNS = (
    "offer_id",
    "person_id",
    "broadcast_id",
    "proposable",
    "answer",
    "reason",
    "result",
    "answered_at",
    "sent_to_employer_at",
    "result_at",
    "relayed_to",
)
_SEND = f"SELECT {', '.join(_SEND_COLUMNS)} FROM offer_sends"


def _send(row: sqlite3.Row) -> OfferSend:
    return OfferSend(
        offer_id=int(row["offer_id"]),
        person_id=int(row["person_id"]),
        broadcast_id=int(row["broadcast_id"]),
        proposable=bool(row["proposable"]),
        answer=str(row["answer"]),
        reason=str(row["reason"]),
        result=str(row["result"]),
        answered_at=maybe_from_text(row["answered_at"]),
        sent_to_employer_at=maybe_from_text(row["sent_to_employer_at"]),
        result_at=maybe_from_text(row["result_at"]),
        relayed_to=None if row["relayed_to"] is None else int(row["relayed_to"]),
    )


def _after(end: date) -> str:
    # the first instant after the period, as text comparable with stored timestamps
    return (end + timedelta(days=1)).isoformat()


class OfferSendReadQueries(Queries):
    """The reads of offers sent to people, also made on the read-only connection."""

    async def offer_send(self, offer_id: int, person_id: int) -> OfferSend | None:
        """What became of one offer sent to one person (None: it was never sent to them)."""
        row = await self._fetchone(
            _SEND + " WHERE offer_id = ? AND person_id = ?", (offer_id, person_id)
        )
        return _send(row) if row is not None else None

    async def offer_sends_of(self, person_id: int) -> list[OfferSend]:
        """Every offer sent to a person, newest first (their data export, their menu)."""
        rows = await self._fetchall(
            _SEND + " WHERE person_id = ? ORDER BY created_at DESC, offer_id DESC", (person_id,)
        )
        return [_send(r) for r in rows]

    async def offer_candidacies(
        self, offer_id: int, centres: Collection[str], offset: int, limit: int
    ) -> tuple[list[OfferSend], int]:
        """The people interested in an offer (still: "not for me" since takes them off) whom
        a volunteer of `centres` sees (consenting beneficiaries of these centres, as
        bot.desk.context.find_subject), in the order they said so: `limit` of them from
        `offset`, and how many in all."""
        where = (
            " FROM offer_sends s JOIN persons x ON x.id = s.person_id"
            " WHERE s.offer_id = ? AND s.answer = 'interested' AND x.consent = 1"
            " AND x.centre IN (SELECT value FROM json_each(?))"
            " AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.person_id = x.id)"
        )
        params = (offer_id, dump_json(sorted(centres)))
        counted = await self._fetchone("SELECT count(*) AS n" + where, params)
        total = int(counted["n"]) if counted is not None else 0
        if not total or limit <= 0:
            return [], total
        rows = await self._fetchall(
            f"SELECT {', '.join('s.' + c for c in _SEND_COLUMNS)}"
            + where
            + " ORDER BY s.answered_at, s.person_id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_send(r) for r in rows], total

    async def wants_offers(self, person_id: int) -> bool:
        """Whether a person receives offers (they did not say "Stop offers", or said "yes"
        again since)."""
        row = await self._fetchone(
            "SELECT receive FROM offer_choices WHERE person_id = ?", (person_id,)
        )
        return row is None or bool(row["receive"])

    async def offer_messages_since(self, person_id: int, since: datetime) -> list[datetime]:
        """When each offer message (offer, digest, follow-up) left for a person since `since`,
        oldest first: the weekly cap counts them."""
        marks = ", ".join("?" * len(OFFER_MESSAGE_KINDS))
        rows = await self._fetchall(
            "SELECT sent_at FROM started_messages WHERE person_id = ?"
            f" AND kind IN ({marks}) AND sent_at >= ? ORDER BY sent_at",
            (person_id, *OFFER_MESSAGE_KINDS, to_text(since)),
        )
        return [found for r in rows if (found := maybe_from_text(r["sent_at"])) is not None]

    async def offer_message_id(self, offer_id: int, person_id: int) -> int | None:
        """The delivered message that carried an offer to a person (its buttons answer it)."""
        row = await self._fetchone(
            "SELECT id FROM started_messages WHERE dedupe_key = ? AND state <> 'queued'",
            (f"offer:{offer_id}:{person_id}",),
        )
        return int(row["id"]) if row is not None else None

    async def unanswered_offers(self, person_id: int, today: date) -> list[int]:
        """The open offers sent to a person that they have not answered, newest first."""
        rows = await self._fetchall(
            "SELECT s.offer_id FROM offer_sends s JOIN offers o ON o.id = s.offer_id"
            " WHERE s.person_id = ? AND s.answer = '' AND o.state = 'vetted'"
            f" AND o.expires_on >= ? AND {_LEFT} ORDER BY s.offer_id DESC",
            (person_id, today.isoformat()),
        )
        return [int(r["offer_id"]) for r in rows]

    async def digest_waiting(
        self, today: date, sent_before: datetime, after: int, limit: int
    ) -> tuple[dict[int, list[int]], int | None]:
        """People (ids above `after`, `limit` of them looked at) with open offers sent to
        them before `sent_before` and not answered, who still want offers: person id → offer
        ids, newest first;
        and the last id looked at (None: nobody is left after these)."""
        looked = await self._fetchall(
            "SELECT DISTINCT s.person_id FROM offer_sends s JOIN offers o ON o.id = s.offer_id"
            " WHERE s.person_id > ? AND s.answer = '' AND o.state = 'vetted'"
            " AND o.expires_on >= ? AND s.created_at < ? ORDER BY s.person_id LIMIT ?",
            (after, today.isoformat(), to_text(sent_before), limit),
        )
        ids = [int(r["person_id"]) for r in looked]
        if not ids:
            return {}, None
        rows = await self._fetchall(
            "SELECT s.person_id, s.offer_id FROM offer_sends s"
            " JOIN offers o ON o.id = s.offer_id"
            " JOIN persons x ON x.id = s.person_id"
            " WHERE s.person_id IN (SELECT value FROM json_each(?))"
            f" AND s.answer = '' AND {_LEFT}"
            " AND o.state = 'vetted' AND o.expires_on >= ?"
            " AND COALESCE(s.delivered_at, s.created_at) < ?"
            f" AND {WANTS_OFFERS} ORDER BY s.person_id, s.offer_id DESC",
            (dump_json(ids), today.isoformat(), to_text(sent_before)),
        )
        found: dict[int, list[int]] = {}
        for row in rows:
            found.setdefault(int(row["person_id"]), []).append(int(row["offer_id"]))
        return found, (ids[-1] if len(ids) == limit else None)

    async def followups_due(self, before: datetime, limit: int) -> list[tuple[int, int]]:
        """(offer, person) of the people who said "interested" before `before` and whose
        candidacy went to the employer, with no result yet and not asked for news yet, oldest
        first. "Any news?" about a candidacy the employer never received would puzzle them."""
        rows = await self._fetchall(
            "SELECT offer_id, person_id FROM offer_sends"
            " WHERE answer = 'interested' AND answered_at < ? AND followed_up_at IS NULL"
            " AND sent_to_employer_at IS NOT NULL"
            " AND result IN ('', 'interview') ORDER BY answered_at LIMIT ?",
            (to_text(before), limit),
        )
        return [(int(r["offer_id"]), int(r["person_id"])) for r in rows]

    async def offers_stats(
        self, centres: Collection[str], start: date, end: date
    ) -> tuple[dict[str, int], dict[str, int]]:
        """The offers' funnel of these centres in [start, end] (OFFER_FIGURES: each counted
        when it happened in the period), and the offers received by source."""
        centres_json = dump_json(sorted(centres))
        first, after = start.isoformat(), _after(end)
        row = await self._fetchone(
            "SELECT"
            " (SELECT count(*) FROM offers WHERE centre IN (SELECT value FROM json_each(?))"
            "  AND created_at >= ? AND created_at < ?) AS received,"
            " (SELECT count(*) FROM offers WHERE centre IN (SELECT value FROM json_each(?))"
            "  AND vetted_at >= ? AND vetted_at < ?) AS vetted,"
            " (SELECT count(DISTINCT b.offer_id) FROM offer_broadcasts b"
            "  JOIN offers o ON o.id = b.offer_id"
            "  WHERE o.centre IN (SELECT value FROM json_each(?))"
            "  AND b.started_at >= ? AND b.started_at < ?) AS sent",
            (centres_json, first, after) * 3,
        )
        assert row is not None
        figures: dict[str, Any] = {key: int(row[key]) for key in ("received", "vetted", "sent")}
        sends = await self._fetchone(
            "SELECT"
            " count(DISTINCT CASE WHEN s.delivered_at >= ? AND s.delivered_at < ?"
            "  THEN s.person_id END) AS reached,"
            # people, as "reached" (one person interested in two offers is one person)
            " count(DISTINCT CASE WHEN s.answer = 'interested' AND s.answered_at >= ?"
            "  AND s.answered_at < ? THEN s.person_id END) AS interested,"
            " coalesce(sum(s.sent_to_employer_at >= ? AND s.sent_to_employer_at < ?), 0)"
            "  AS to_employer,"
            " coalesce(sum(s.result = 'hired' AND s.result_at >= ? AND s.result_at < ?), 0)"
            "  AS hired"
            " FROM offer_sends s JOIN offers o ON o.id = s.offer_id"
            " WHERE o.centre IN (SELECT value FROM json_each(?))",
            (first, after) * 4 + (centres_json,),
        )
        assert sends is not None
        for key in ("reached", "interested", "to_employer", "hired"):
            figures[key] = int(sends[key])
        sources = dict.fromkeys(SOURCES, 0)
        for r in await self._fetchall(
            "SELECT source, count(*) AS n FROM offers"
            " WHERE centre IN (SELECT value FROM json_each(?))"
            " AND created_at >= ? AND created_at < ? GROUP BY source",
            (centres_json, first, after),
        ):
            sources[str(r["source"])] = int(r["n"])
        return {key: figures[key] for key in OFFER_FIGURES}, sources


class OfferSendQueries(OfferSendReadQueries):
    """Repository methods of what follows an offer sent (see storage.Tx for the helpers)."""

    async def answer_offer(self, offer_id: int, person_id: int, answer: str) -> bool:
        """Record "interested" or "declined" (a reason said before is forgotten); False if
        it was already the answer, or the offer was never sent to them."""
        return (
            await self._execute(
                "UPDATE offer_sends SET answer = ?, reason = '', answered_at = ?"
                " WHERE offer_id = ? AND person_id = ? AND answer <> ?",
                (answer, self._now(), offer_id, person_id, answer),
            )
            == 1
        )

    async def set_offer_reason(self, offer_id: int, person_id: int, reason: str) -> bool:
        """Why "not for me" (after it only); False if not declined or already this reason."""
        return (
            await self._execute(
                "UPDATE offer_sends SET reason = ? WHERE offer_id = ? AND person_id = ?"
                " AND answer = 'declined' AND reason <> ?",
                (reason, offer_id, person_id, reason),
            )
            == 1
        )

    async def avoid_in_offers(
        self, person_id: int, sectors: int = 0, slots: int = 0, reach_cut: int | None = None
    ) -> None:
        """Remember what a "not for me" said, for later matching: these sectors, these
        times, or no farther than `reach_cut`."""
        await self._execute(
            "UPDATE offer_profiles SET avoid_sectors = avoid_sectors | ?,"
            " avoid_slots = avoid_slots | ?,"
            " reach_cut = CASE WHEN ? IS NULL THEN reach_cut"
            "  ELSE min(coalesce(reach_cut, ?), ?) END, updated_at = ?"
            " WHERE person_id = ?",
            (sectors, slots, reach_cut, reach_cut, reach_cut, self._now(), person_id),
        )

    async def set_wants_offers(self, person_id: int, receive: bool) -> bool:
        """ "Stop offers" (False) or offers again (True); False if it was already so."""
        if await self.wants_offers(person_id) == receive:
            return False
        await self._execute(
            "INSERT INTO offer_choices (person_id, receive, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (person_id) DO UPDATE SET receive = excluded.receive,"
            " updated_at = excluded.updated_at",
            (person_id, int(receive), self._now()),
        )
        if not receive:
            # what waits for them (an offer, a digest, a follow-up) is not sent after "stop"
            marks = ", ".join("?" * len(OFFER_MESSAGE_KINDS))
            await self._execute(
                "DELETE FROM started_messages WHERE person_id = ? AND state = 'queued'"
                f" AND kind IN ({marks})",
                (person_id, *OFFER_MESSAGE_KINDS),
            )
        return True

    async def relay_offer(self, offer_id: int, person_id: int, volunteer_id: int | None) -> None:
        """Record which volunteer was given an interested candidate to send on."""
        await self._execute(
            "UPDATE offer_sends SET relayed_to = ? WHERE offer_id = ? AND person_id = ?",
            (volunteer_id, offer_id, person_id),
        )

    async def offer_sent_to_employer(self, offer_id: int, person_id: int) -> bool:
        """The volunteer sent the candidate to the employer; False if already recorded or
        the person is not interested."""
        return (
            await self._execute(
                "UPDATE offer_sends SET sent_to_employer_at = ? WHERE offer_id = ?"
                " AND person_id = ? AND answer = 'interested' AND sent_to_employer_at IS NULL",
                (self._now(), offer_id, person_id),
            )
            == 1
        )

    async def offer_result(self, offer_id: int, person_id: int, result: str) -> bool:
        """The result of a candidacy (interview, hired, not retained); False if it already
        was this result, or the person is not interested."""
        return (
            await self._execute(
                "UPDATE offer_sends SET result = ?, result_at = ? WHERE offer_id = ?"
                " AND person_id = ? AND answer = 'interested' AND result <> ?",
                (result, self._now(), offer_id, person_id, result),
            )
            == 1
        )

    async def offer_followed_up(self, offer_id: int, person_id: int) -> None:
        """The "any news?" was queued: never twice."""
        await self._execute(
            "UPDATE offer_sends SET followed_up_at = ? WHERE offer_id = ? AND person_id = ?",
            (self._now(), offer_id, person_id),
        )

    async def count_offer_message(self, started_id: int) -> None:
        """Count a message leaving now in its person's weekly cap at once (the delivery marks
        it sent at the end of its batch: a second offer of the same batch must see it)."""
        await self._execute(
            "UPDATE started_messages SET sent_at = ? WHERE id = ?", (self._now(), started_id)
        )

    async def hold_started(self, started_id: int, until: datetime) -> None:
        """Put a message taken for delivery back in the queue until `until` (the weekly cap
        is reached: it waits rather than being dropped)."""
        await self._execute(
            "UPDATE started_messages SET not_before = ?, lease_owner = NULL, lease_until = NULL"
            " WHERE id = ? AND state = 'queued'",
            (to_text(until), started_id),
        )
