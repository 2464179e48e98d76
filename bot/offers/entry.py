"""What a volunteer enters for a job offer, checked the same way whether it comes from the desk
flow (`desk_offer`) or a CSV row (bot/offers/csv_import.py): the values of the lists, a known
postcode, a last day not already past, a CDD's length (and only a CDD's). Also the desk flow's
answers for an offer, and the offer those answers describe.

Pure: values in, problems or details out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core.i18n import N_
from bot.offers import places
from bot.offers.domain import (
    CONTRACTS,
    DIPLOMAS,
    EMPLOYER_KINDS,
    EXPERIENCES,
    FRENCH_LEVELS,
    SCHEDULES,
    SECTORS,
    SOURCES,
    TIMES,
    OfferDetails,
)

T_EMPTY = N_("à remplir")
T_UNKNOWN_VALUE = N_("valeur inconnue")
T_UNKNOWN_POSTCODE = N_("code postal inconnu")
T_PAST = N_("la date limite est déjà passée")
T_MONTHS = N_("la durée d'un CDD, de 1 à 36 mois")
T_MONTHS_NOT_CDD = N_("une durée seulement pour un CDD")

# the lists each field's value must be in
CHOICES: dict[str, tuple[str, ...]] = {
    "employer_kind": EMPLOYER_KINDS,
    "source": SOURCES,
    "contract": CONTRACTS,
    "time": TIMES,
    "sector": SECTORS,
    "french": FRENCH_LEVELS,
    "experience": EXPERIENCES,
    "diploma": DIPLOMAS,
}
REQUIRED_TEXT = ("title", "employer", "town")
MAX_MONTHS = 36

# the desk flow's step for each field of OfferDetails (where to ask again when it is wrong)
STEPS = {
    "title": "offer_title",
    "employer": "offer_employer",
    "employer_kind": "offer_employer_kind",
    "source": "offer_source",
    "town": "offer_town",
    "postcode": "offer_postcode",
    "contract": "offer_contract",
    "contract_months": "offer_months",
    "time": "offer_time",
    "schedule": "offer_schedule",
    "sector": "offer_sector",
    "french": "offer_french",
    "licence": "offer_licence",
    "experience": "offer_experience",
    "diploma": "offer_diploma",
    "pay": "offer_pay",
    "description": "offer_description",
    "how_to_apply": "offer_apply",
    "expires_on": "offer_expires",
}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field (a msgid, French reference)."""

    field: str  # a field of OfferDetails
    msgid: str


def problems(details: OfferDetails, today: date) -> list[Problem]:
    """Everything wrong with an offer entered today (local date), in the order of its fields."""
    found = [Problem(f, T_EMPTY) for f in REQUIRED_TEXT if not getattr(details, f).strip()]
    for name, allowed in CHOICES.items():
        if getattr(details, name) not in allowed:
            found.append(Problem(name, T_UNKNOWN_VALUE))
    if any(s not in SCHEDULES for s in details.schedule):
        found.append(Problem("schedule", T_UNKNOWN_VALUE))
    if places.departement(details.postcode) is None:
        found.append(Problem("postcode", T_UNKNOWN_POSTCODE))
    months = details.contract_months
    if details.contract == "cdd" and months is not None and not 1 <= months <= MAX_MONTHS:
        found.append(Problem("contract_months", T_MONTHS))
    elif details.contract != "cdd" and months is not None:
        found.append(Problem("contract_months", T_MONTHS_NOT_CDD))
    if details.expires_on < today:
        found.append(Problem("expires_on", T_PAST))
    order = list(STEPS)
    return sorted(found, key=lambda p: order.index(p.field))


def _text(answers: dict[str, Any], key: str) -> str:
    value = answers.get(key)
    return value.strip() if isinstance(value, str) else ""


def from_answers(answers: dict[str, Any]) -> OfferDetails | None:
    """The offer the desk flow's answers describe (None: answers a changed flow file left
    incomplete). Not checked: see `problems`."""
    try:
        expires_on = date.fromisoformat(str(answers.get("offer_expires")))
    except ValueError:
        return None
    contract = _text(answers, "offer_contract")
    months = answers.get("offer_months")
    schedule = answers.get("offer_schedule") or []
    if not isinstance(schedule, list):
        return None
    return OfferDetails(
        title=_text(answers, "offer_title"),
        employer=_text(answers, "offer_employer"),
        employer_kind=_text(answers, "offer_employer_kind"),
        source=_text(answers, "offer_source"),
        town=_text(answers, "offer_town"),
        postcode=_text(answers, "offer_postcode"),
        contract=contract,
        contract_months=int(months)
        if contract == "cdd" and isinstance(months, int | float)
        else None,
        time=_text(answers, "offer_time"),
        # in the order of the list, whatever order they were tapped in
        schedule=tuple(s for s in SCHEDULES if s in schedule),
        sector=_text(answers, "offer_sector"),
        expires_on=expires_on,
        french=_text(answers, "offer_french") or "none",
        licence=answers.get("offer_licence") is True,
        experience=_text(answers, "offer_experience") or "none",
        diploma=_text(answers, "offer_diploma") or "none",
        pay=_text(answers, "offer_pay"),
        description=_text(answers, "offer_description"),
        how_to_apply=_text(answers, "offer_apply"),
    )


def to_answers(details: OfferDetails) -> dict[str, Any]:
    """The desk flow's answers for an offer as it is (to change it)."""
    given: dict[str, Any] = {
        "offer_title": details.title,
        "offer_employer": details.employer,
        "offer_employer_kind": details.employer_kind,
        "offer_source": details.source,
        "offer_town": details.town,
        "offer_postcode": details.postcode,
        "offer_contract": details.contract,
        "offer_time": details.time,
        "offer_schedule": list(details.schedule),
        "offer_sector": details.sector,
        "offer_french": details.french,
        "offer_licence": details.licence,
        "offer_experience": details.experience,
        "offer_diploma": details.diploma,
        "offer_expires": details.expires_on.isoformat(),
    }
    if details.contract_months is not None:
        given["offer_months"] = details.contract_months
    for key, value in (
        ("offer_pay", details.pay),
        ("offer_description", details.description),
        ("offer_apply", details.how_to_apply),
    ):
        if value:
            given[key] = value
    return given
