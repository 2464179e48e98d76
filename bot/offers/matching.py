"""Whom an offer fits, and why: each criterion (sector, distance, hours, French, licence,
experience, diploma) is one SQL test over the person's row of offer_profiles that says "misses",
so that one pass over a centre counts the matches (no miss) and the near misses (one miss); the
reasons a volunteer reads are then written from the same row and the same tests.

Who is never matched (not a miss, not shown): people without consent, who stopped Relais,
blocked the bot, said "Stop offers", volunteers, people of another centre, and anyone the
offer was already sent to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.i18n import N_
from bot.offers import places
from bot.offers.domain import DIPLOMAS, FRENCH_LEVELS, SCHEDULES, OfferDetails
from bot.offers.profile_index import WEEKEND, sector_bit, slot_bits

CRITERIA = ("sector", "distance", "hours", "french", "licence", "experience", "diploma")
BIT = {name: 1 << i for i, name in enumerate(CRITERIA)}
# weekday daytime: an offer that says no time is done in the morning or the afternoon
DAYTIME = (1 << SCHEDULES.index("morning")) | (1 << SCHEDULES.index("afternoon"))
# travel time not said: as far as the neighbouring départements (what the data can tell)
DEFAULT_REACH = places.NEIGHBOUR

# What a volunteer reads for each criterion, met (first) or missed (second).
MET = {
    "sector": N_("le métier fait partie de ses choix"),
    "distance": N_("assez près de chez elle ou lui"),
    "hours": N_("disponible à ces horaires"),
    "french": N_("son français suffit"),
    "licence": N_("a le permis B"),
    "experience": N_("a l'expérience demandée"),
    "diploma": N_("a le diplôme demandé"),
}
MISSED = {
    "sector": N_("ce métier n'est pas dans ses choix"),
    "distance": N_("trop loin pour le trajet qu'elle ou il peut faire"),
    "hours": N_("pas disponible à ces horaires"),
    "french": N_("le français demandé est plus avancé"),
    "licence": N_("il faut le permis B"),
    "experience": N_("il faut une expérience qu'elle ou il n'a pas"),
    "diploma": N_("il faut un diplôme qu'elle ou il n'a pas"),
}
# said after the reason when the person's own "not for me" caused the miss
AVOIDED = N_("(a refusé une offre semblable)")
# said when nothing is known, so the volunteer checks it
UNKNOWN_PLACE = N_("lieu de vie inconnu : à vérifier")


@dataclass(frozen=True)
class Test:
    """One criterion as SQL over `p` (offer_profiles): true when the person misses it."""

    criterion: str
    sql: str
    params: tuple[Any, ...] = ()


def tests(offer: OfferDetails) -> list[Test]:
    """The criteria this offer asks for, as SQL tests; the ones it does not ask are left out."""
    bit = sector_bit(offer.sector)
    found: list[Test] = [
        Test("sector", "((p.sectors & ?) = 0 OR (p.avoid_sectors & ?) != 0)", (bit, bit))
    ]
    home = places.departement(offer.postcode) or ""
    near = sorted(places.neighbours(home))
    marks = ", ".join("?" * len(near)) or "NULL"
    closeness = (
        f"CASE WHEN p.postcode = ? THEN {places.SAME_POSTCODE}"
        f" WHEN p.departement = ? THEN {places.SAME_DEPARTEMENT}"
        f" WHEN p.departement IN ({marks}) THEN {places.NEIGHBOUR} ELSE {places.FAR} END"
    )
    found.append(
        Test(
            "distance",
            f"(p.departement IS NOT NULL AND {closeness} >"
            f" MIN(COALESCE(p.reach, {DEFAULT_REACH}), COALESCE(p.reach_cut, {DEFAULT_REACH})))",
            (offer.postcode, home, *near),
        )
    )
    slots = slot_bits(offer.schedule)
    need = slots & ~WEEKEND
    weekend = bool(slots & WEEKEND)
    hours_params: tuple[int, ...]
    if need:  # available at every time the job is done
        hours, hours_params = "(p.hours IS NOT NULL AND (p.hours & ?) != ?)", (need, need)
    else:  # available some time of the working day
        hours, hours_params = "(p.hours IS NOT NULL AND (p.hours & ?) = 0)", (DAYTIME,)
    found.append(
        Test(
            "hours",
            f"({hours} OR p.days = ? OR (p.avoid_slots & ?) != 0)",
            (*hours_params, "weekdays" if weekend else "weekend", slots & _UNUSUAL),
        )
    )
    if offer.french != "none":
        found.append(Test("french", "p.french < ?", (FRENCH_LEVELS.index(offer.french),)))
    if offer.licence:
        found.append(Test("licence", "p.licence = 0"))
    if offer.experience == "some":
        found.append(Test("experience", "p.worked = 0"))
    elif offer.experience == "sector":
        found.append(Test("experience", "(p.exp_sectors & ?) = 0", (bit,)))
    if offer.diploma != "none":
        found.append(Test("diploma", "p.diploma < ?", (DIPLOMAS.index(offer.diploma),)))
    return found


# the times a "not for me: hours" is remembered for (ordinary daytime is never avoided)
_UNUSUAL = sum(1 << SCHEDULES.index(s) for s in ("early", "evening", "night", "weekend"))
UNUSUAL_SLOTS = _UNUSUAL  # what a "not for me: hours" remembers (bot/offers/message.py)


def misses_sql(offer: OfferDetails) -> tuple[str, tuple[Any, ...]]:
    """One SQL expression over `p`: the bits (BIT) of the criteria the person misses."""
    parts: list[str] = []
    params: list[Any] = []
    for test in tests(offer):
        parts.append(f"(CASE WHEN {test.sql} THEN {BIT[test.criterion]} ELSE 0 END)")
        params.extend(test.params)
    return " + ".join(parts), tuple(params)


def missed(bits: int) -> list[str]:
    """The criteria named by a misses bit set, in CRITERIA order."""
    return [name for name in CRITERIA if bits & BIT[name]]


@dataclass(frozen=True)
class Candidate:
    """A person an offer fits (no miss) or nearly fits (one miss), as matching read them."""

    person_id: int
    misses: int  # BIT of each criterion missed
    proposable: bool  # checked CV and actively searching: may be proposed to the employer
    row: Mapping[str, Any]  # their offer_profiles row (for the reasons)

    @property
    def matches(self) -> bool:
        """No criterion missed."""
        return self.misses == 0


@dataclass(frozen=True)
class Reason:
    """One line of why: a criterion the offer asks for, met or not, as a msgid."""

    criterion: str
    met: bool
    msgid: str
    avoided: bool = False  # missed because of the person's own "not for me"


def reasons(offer: OfferDetails, candidate: Candidate) -> list[Reason]:
    """Why this person fits (or nearly): every criterion the offer asks, met or missed."""
    row = candidate.row
    out: list[Reason] = []
    for test in tests(offer):
        name = test.criterion
        met = not candidate.misses & BIT[name]
        avoided = not met and _avoided(name, offer, row)
        out.append(Reason(name, met, MET[name] if met else MISSED[name], avoided))
    return out


def _avoided(criterion: str, offer: OfferDetails, row: Mapping[str, Any]) -> bool:
    """Whether the person's own "not for me" is what makes them miss this criterion."""
    if criterion == "sector":
        return bool(int(row["avoid_sectors"] or 0) & sector_bit(offer.sector))
    if criterion == "hours":
        return bool(int(row["avoid_slots"] or 0) & slot_bits(offer.schedule) & _UNUSUAL)
    if criterion == "distance":
        return row["reach_cut"] is not None
    return False
