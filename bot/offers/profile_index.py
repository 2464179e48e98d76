"""What matching reads of a person, made from their saved answers: sectors, places, hours and
ranks as small integers, one row per person (table offer_profiles), so that an offer is
matched against a whole centre in one pass of SQL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.offers import places
from bot.offers.domain import DIPLOMAS, SCHEDULES, SECTORS

# the answers the index is made of: a change to any other leaves it as it is
KEYS = frozenset(
    {
        "job_now",
        "sectors_wanted",
        "experiences",
        "has_worked",
        "postcode",
        "travel_time",
        "hours_available",
        "days_available",
        "french_speaking",
        "driving_licence",
        "diploma_level",
    }
)
ALL_SECTORS = (1 << len(SECTORS)) - 1
# how far each travel time reaches, as places.closeness: postcodes tell départements only, and
# half an hour often crosses a border (Montreuil to Paris 20e), so from 30 minutes on it is the
# département and its neighbours; a "too far" answer to an offer narrows it (reach_cut)
REACH = {
    "15_min": places.SAME_POSTCODE,
    "30_min": places.NEIGHBOUR,
    "1_hour": places.NEIGHBOUR,
    "more_1_hour": places.NEIGHBOUR,
}
FRENCH_RANK = {"not_yet": 0, "a_little": 1, "good": 2, "very_good": 3, "native": 4}
# the self-assessment's diploma levels against an offer's minimum (domain.DIPLOMAS)
DIPLOMA_RANK = {
    "none": 0,
    "primary": 0,
    "secondary": 0,
    "cap_bep": DIPLOMAS.index("cap_bep"),
    "bac": DIPLOMAS.index("bac"),
    "higher": DIPLOMAS.index("higher"),
}
WEEKEND = 1 << SCHEDULES.index("weekend")


def sector_bit(sector: str) -> int:
    """The bit of one sector (0 for a value that is not a sector: "other", "dont_know")."""
    return 1 << SECTORS.index(sector) if sector in SECTORS else 0


def slot_bits(slots: object) -> int:
    """The bits of a list of schedule slots (unknown values ignored)."""
    if not isinstance(slots, list | tuple):
        return 0
    return sum(1 << SCHEDULES.index(s) for s in set(slots) if isinstance(s, str) and s in SCHEDULES)


def _sectors(value: object) -> int:
    if not isinstance(value, list):
        return 0
    if "any" in value:
        return ALL_SECTORS
    return sum(sector_bit(s) for s in set(value) if isinstance(s, str))


@dataclass(frozen=True)
class ProfileIndex:
    """One person's row of offer_profiles, without what their answers to offers added."""

    sectors: int
    exp_sectors: int
    worked: bool
    postcode: str | None
    departement: str | None
    reach: int | None
    hours: int | None
    days: str | None
    french: int
    licence: bool
    diploma: int


def index(profile: Mapping[str, Any]) -> ProfileIndex | None:
    """The person's index, or None while they have said no sector (nothing to match yet)."""
    sectors = _sectors(profile.get("job_now")) | _sectors(profile.get("sectors_wanted"))
    if not sectors:
        return None
    experiences = profile.get("experiences")
    items = [e for e in experiences if isinstance(e, dict)] if isinstance(experiences, list) else []
    postcode = profile.get("postcode")
    postcode = postcode if isinstance(postcode, str) and postcode else None
    hours = profile.get("hours_available")
    days = profile.get("days_available")
    return ProfileIndex(
        sectors=sectors,
        exp_sectors=_sectors([e.get("exp_sector") for e in items]),
        worked=profile.get("has_worked") is True or bool(items),
        postcode=postcode,
        departement=places.departement(postcode) if postcode else None,
        reach=REACH.get(str(profile.get("travel_time"))),
        hours=slot_bits(hours) if isinstance(hours, list) else None,
        days=days if isinstance(days, str) else None,
        french=FRENCH_RANK.get(str(profile.get("french_speaking")), 0),
        licence=profile.get("driving_licence") == "b",
        diploma=DIPLOMA_RANK.get(str(profile.get("diploma_level")), 0),
    )
