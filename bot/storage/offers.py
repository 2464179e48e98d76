"""SQL of job offers: the offers, matching over offer_profiles, and the broadcast that queues
one message Relais starts per person (dedupe key "offer:<offer id>:<person id>") together with
its offer_sends row.

Mixed into `storage.Tx`; the methods run inside its transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.offers import matching, profile_index
from bot.offers.domain import Broadcast, Offer, OfferDetails
from bot.reach.started import BULK
from bot.storage.queries import Queries, from_text, maybe_from_text, to_text

OFFER_KIND = "offer"  # the kind of message Relais starts that carries an offer

_DETAILS = (
    "title, employer, employer_kind, source, town, postcode, contract, contract_months, time,"
    " schedule, sector, french, licence, experience, diploma, pay, description, how_to_apply,"
    " expires_on"
)
_SELECT = (
    f"SELECT id, centre, {_DETAILS}, state, created_by, vetted_by, version, created_at,"
    " vetted_at, closed_at FROM offers"
)
# of person `x`: may still get offer messages (consent, reachable, no "Stop offers"; NOT IN:
# each list is read once per query, not probed by a subquery per person)
WANTS_OFFERS = (
    "x.consent = 1 AND x.stopped = 0 AND x.blocked = 0"
    " AND x.id NOT IN (SELECT c.person_id FROM offer_choices c WHERE c.receive = 0)"
)
# who may be matched at all: wants offers, and is not on the team
_REACHABLE = WANTS_OFFERS + " AND x.id NOT IN (SELECT r.person_id FROM roles r)"
# of `m.person`: read only for the people kept (matches, near misses), not for the whole centre
_PROPOSABLE = (
    "EXISTS (SELECT 1 FROM followup f WHERE f.person_id = m.person"
    " AND f.cv_status = 'checked' AND f.searching = 1)"
)
# at most one miss: at most one bit set
_NEAR = "(m.misses & (m.misses - 1)) = 0"


def offer_key(offer_id: int, person_id: int) -> str:
    """The dedupe key of the message carrying one offer to one person."""
    return f"offer:{offer_id}:{person_id}"


def _details_params(d: OfferDetails) -> tuple[Any, ...]:
    return (
        d.title,
        d.employer,
        d.employer_kind,
        d.source,
        d.town,
        d.postcode,
        d.contract,
        d.contract_months,
        d.time,
        json.dumps(list(d.schedule)),
        d.sector,
        d.french,
        int(d.licence),
        d.experience,
        d.diploma,
        d.pay,
        d.description,
        d.how_to_apply,
        d.expires_on.isoformat(),
    )


def _offer(row: sqlite3.Row) -> Offer:
    return Offer(
        id=int(row["id"]),
        centre=str(row["centre"]),
        details=OfferDetails(
            title=str(row["title"]),
            employer=str(row["employer"]),
            employer_kind=str(row["employer_kind"]),
            source=str(row["source"]),
            town=str(row["town"]),
            postcode=str(row["postcode"]),
            contract=str(row["contract"]),
            contract_months=None if row["contract_months"] is None else int(row["contract_months"]),
            time=str(row["time"]),
            schedule=tuple(json.loads(row["schedule"])),
            sector=str(row["sector"]),
            french=str(row["french"]),
            licence=bool(row["licence"]),
            experience=str(row["experience"]),
            diploma=str(row["diploma"]),
            pay=str(row["pay"]),
            description=str(row["description"]),
            how_to_apply=str(row["how_to_apply"]),
            expires_on=date.fromisoformat(row["expires_on"]),
        ),
        state=str(row["state"]),
        created_by=None if row["created_by"] is None else int(row["created_by"]),
        vetted_by=None if row["vetted_by"] is None else int(row["vetted_by"]),
        version=int(row["version"]),
        created_at=from_text(row["created_at"]),
        vetted_at=maybe_from_text(row["vetted_at"]),
        closed_at=maybe_from_text(row["closed_at"]),
    )


@dataclass(frozen=True)
class MatchCounts:
    """How many people an offer would reach now: matches (of whom proposable to the
    employer: checked CV, actively searching) and near misses (one criterion missed)."""

    matches: int
    proposable: int
    near: int


class OfferReadQueries(Queries):
    """The reads of offers and matching, also made on the read-only connection."""

    async def offer(self, offer_id: int) -> Offer | None:
        """An offer by id."""
        row = await self._fetchone(_SELECT + " WHERE id = ?", (offer_id,))
        return _offer(row) if row is not None else None

    async def offers_of(self, centre: str, states: tuple[str, ...] = ()) -> list[Offer]:
        """A centre's offers (in these states, if given), newest first."""
        where, params = "centre = ?", [centre]
        if states:
            where += f" AND state IN ({', '.join('?' * len(states))})"
            params.extend(states)
        rows = await self._fetchall(f"{_SELECT} WHERE {where} ORDER BY id DESC", tuple(params))
        return [_offer(r) for r in rows]

    def _scored(self, offer: Offer) -> tuple[str, tuple[Any, ...]]:
        """The SELECT of (person, misses) of everyone of the offer's centre who may be matched
        and was not sent it: one pass over the centre. LIMIT -1 keeps SQLite from flattening
        it into the query around it, which computed each person's misses once for every use
        (4 times in the counts: 224 ms for 100,000 people, 90 ms computed once)."""
        misses, params = matching.misses_sql(offer.details)
        sql = (
            f"SELECT x.id AS person, ({misses}) AS misses"
            " FROM persons AS x JOIN offer_profiles AS p ON p.person_id = x.id"
            f" WHERE x.centre = ? AND {_REACHABLE}"
            " AND x.id NOT IN (SELECT s.person_id FROM offer_sends s WHERE s.offer_id = ?)"
            " LIMIT -1"
        )
        return sql, (*params, offer.centre, offer.id)

    def _matched(
        self, offer: Offer, near: bool, limit: int | None = None, only_near: bool = False
    ) -> tuple[str, tuple[Any, ...]]:
        """The SELECT of the people this offer fits (near: or nearly fits; only_near: only
        nearly), with their offer_profiles row, misses bits and whether they are proposable;
        with `limit`, the first ones (near misses last, proposable first, then by id), whose
        rows alone are read."""
        scored, params = self._scored(offer)
        keep = "m.misses = 0" if not near else _NEAR
        if only_near:
            keep = f"m.misses != 0 AND {_NEAR}"
        first = ""
        if limit is not None:
            first = f" ORDER BY m.misses != 0, proposable DESC, m.person LIMIT {int(limit)}"
        sql = (
            "SELECT p.*, k.person, k.misses, k.proposable FROM ("
            f"SELECT m.person, m.misses, {_PROPOSABLE} AS proposable FROM ({scored}) AS m"
            f" WHERE {keep}{first}) AS k JOIN offer_profiles AS p ON p.person_id = k.person"
        )
        return sql, params

    async def offer_match_counts(self, offer: Offer) -> MatchCounts:
        """How many people of its centre the offer fits now, not counting those it was sent to."""
        scored, params = self._scored(offer)
        row = await self._fetchone(
            "SELECT COALESCE(SUM(m.misses = 0), 0) AS matches,"
            f" COALESCE(SUM(m.misses = 0 AND {_PROPOSABLE}), 0) AS proposable,"
            f" COALESCE(SUM(m.misses != 0 AND {_NEAR}), 0) AS near FROM ({scored}) AS m",
            params,
        )
        assert row is not None
        return MatchCounts(int(row["matches"]), int(row["proposable"]), int(row["near"]))

    async def offer_candidates(
        self, offer: Offer, near: bool = False, limit: int | None = None
    ) -> list[matching.Candidate]:
        """The people the offer fits (near: and those who miss one criterion), proposable
        ones first, then by id; at most `limit`."""
        return await self._candidates(offer, near, limit)

    async def _candidates(
        self, offer: Offer, near: bool, limit: int | None, only_near: bool = False
    ) -> list[matching.Candidate]:
        """offer_candidates, or (only_near) the near misses alone, in the same order."""
        sql, params = self._matched(offer, near, limit, only_near)
        rows = await self._fetchall(
            f"SELECT * FROM ({sql}) ORDER BY misses != 0, proposable DESC, person", params
        )
        return [
            matching.Candidate(int(r["person"]), int(r["misses"]), bool(r["proposable"]), dict(r))
            for r in rows
        ]

    async def broadcast(self, broadcast_id: int) -> Broadcast | None:
        """A broadcast by id."""
        row = await self._fetchone(
            "SELECT id, offer_id, volunteer_id, total, started_at, finished_at"
            " FROM offer_broadcasts WHERE id = ?",
            (broadcast_id,),
        )
        if row is None:
            return None
        return Broadcast(
            id=int(row["id"]),
            offer_id=int(row["offer_id"]),
            volunteer_id=None if row["volunteer_id"] is None else int(row["volunteer_id"]),
            total=int(row["total"]),
            started_at=from_text(row["started_at"]),
            finished_at=maybe_from_text(row["finished_at"]),
        )


class OfferQueries(OfferReadQueries):
    """Repository methods of offers (see storage.Tx for the helpers)."""

    async def add_offer(self, centre: str, details: OfferDetails, created_by: int | None) -> Offer:
        """Record a new offer (a draft until vetted)."""
        now = self._now()
        row = await self._fetchone(
            f"INSERT INTO offers (centre, {_DETAILS}, created_by, created_at, updated_at)"
            f" VALUES (?, {', '.join('?' * 19)}, ?, ?, ?) RETURNING id",
            (centre, *_details_params(details), created_by, now, now),
        )
        assert row is not None
        offer = await self.offer(int(row["id"]))
        assert offer is not None
        return offer

    async def edit_offer(
        self, offer_id: int, details: OfferDetails, version: int, state: str
    ) -> Offer | None:
        """Rewrite an offer's details and state if it is still at `version` (else None: someone
        changed it meanwhile); its version grows."""
        sets = ", ".join(f"{c.strip()} = ?" for c in _DETAILS.split(","))
        changed = await self._execute(
            f"UPDATE offers SET {sets}, state = ?, version = version + 1, updated_at = ?"
            " WHERE id = ? AND version = ?",
            (*_details_params(details), state, self._now(), offer_id, version),
        )
        return await self.offer(offer_id) if changed else None

    async def set_offer_state(self, offer_id: int, state: str, by: int | None) -> bool:
        """Vet, close or reopen an offer; False if it was already in that state."""
        now = self._now()
        extra = {"vetted": ", vetted_by = ?, vetted_at = ?", "closed": ", closed_at = ?"}
        params: tuple[Any, ...] = {
            "vetted": (by, now),
            "closed": (now,),
        }.get(state, ())
        changed = await self._execute(
            f"UPDATE offers SET state = ?, updated_at = ?{extra.get(state, '')}"
            " WHERE id = ? AND state != ?",
            (state, now, *params, offer_id, state),
        )
        return changed > 0

    async def expire_offers(self, today: date) -> list[int]:
        """Mark expired every draft or vetted offer whose last day is before `today`."""
        rows = await self._fetchall(
            "UPDATE offers SET state = 'expired', updated_at = ?"
            " WHERE state IN ('draft', 'vetted') AND expires_on < ? RETURNING id",
            (self._now(), today.isoformat()),
        )
        return sorted(int(r["id"]) for r in rows)

    async def queue_broadcast(
        self,
        offer: Offer,
        volunteer_id: int | None,
        include_unchecked: bool,
        not_before: datetime,
        expires_at: datetime,
    ) -> Broadcast:
        """Queue the offer for everyone it fits now (with include_unchecked, also those whose
        CV is not checked or who are not actively searching), as one message Relais starts
        each (lowest priority) and one offer_sends row each: a person already sent it is never
        queued again. The broadcast records how many were queued."""
        now = self._now()
        row = await self._fetchone(
            "INSERT INTO offer_broadcasts (offer_id, volunteer_id, total, include_unchecked,"
            " started_at) VALUES (?, ?, 0, ?, ?) RETURNING id",
            (offer.id, volunteer_id, int(include_unchecked), now),
        )
        assert row is not None
        broadcast_id = int(row["id"])
        sql, params = self._matched(offer, near=False)
        only = "" if include_unchecked else " WHERE proposable"
        await self._execute(
            "INSERT INTO offer_sends (offer_id, person_id, broadcast_id, proposable, created_at)"
            f" SELECT ?, person, ?, proposable, ? FROM ({sql}){only}",
            (offer.id, broadcast_id, now, *params),
        )
        params_json = json.dumps({"offer": offer.id, "version": offer.version})
        total = await self._execute(
            "INSERT INTO started_messages (person_id, kind, params, priority, not_before,"
            " dedupe_key, subject_id, token, created_at, expires_at)"
            " SELECT person_id, ?, ?, ?, ?, 'offer:' || offer_id || ':' || person_id,"
            " person_id, lower(hex(randomblob(6))), ?, ? FROM offer_sends"
            " WHERE broadcast_id = ? ORDER BY person_id"
            " ON CONFLICT (dedupe_key) DO NOTHING",
            (
                OFFER_KIND,
                params_json,
                BULK,
                to_text(not_before),
                now,
                to_text(expires_at),
                broadcast_id,
            ),
        )
        await self._execute(
            "UPDATE offer_broadcasts SET total = ? WHERE id = ?", (total, broadcast_id)
        )
        found = await self.broadcast(broadcast_id)
        assert found is not None
        return found

    async def index_waiting_profiles(self, limit: int) -> int:
        """Make the offer_profiles rows of up to `limit` people who answered before offers
        existed (offer_profiles_todo); how many were done."""
        rows = await self._fetchall(
            "SELECT person_id FROM offer_profiles_todo ORDER BY person_id LIMIT ?", (limit,)
        )
        for row in rows:
            person_id = int(row["person_id"])
            texts = await self._fetchall(
                "SELECT key, value FROM profile WHERE person_id = ?", (person_id,)
            )
            await self.refresh_offer_profile(
                person_id, {str(t["key"]): json.loads(t["value"]) for t in texts}
            )
            await self._execute("DELETE FROM offer_profiles_todo WHERE person_id = ?", (person_id,))
        return len(rows)

    async def refresh_offer_profile(self, person_id: int, profile: Mapping[str, Any]) -> None:
        """Rewrite what matching reads of a person from their answers (kept: what their own
        answers to offers added)."""
        found = profile_index.index(profile)
        if found is None:
            await self._execute("DELETE FROM offer_profiles WHERE person_id = ?", (person_id,))
            return
        await self._execute(
            "INSERT INTO offer_profiles (person_id, sectors, exp_sectors, worked, postcode,"
            " departement, reach, hours, days, french, licence, diploma, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET"
            " sectors = excluded.sectors, exp_sectors = excluded.exp_sectors,"
            " worked = excluded.worked, postcode = excluded.postcode,"
            " departement = excluded.departement, reach = excluded.reach,"
            " hours = excluded.hours, days = excluded.days, french = excluded.french,"
            " licence = excluded.licence, diploma = excluded.diploma,"
            " updated_at = excluded.updated_at",
            (
                person_id,
                found.sectors,
                found.exp_sectors,
                int(found.worked),
                found.postcode,
                found.departement,
                found.reach,
                found.hours,
                found.days,
                found.french,
                int(found.licence),
                found.diploma,
                self._now(),
            ),
        )
