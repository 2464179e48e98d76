"""The volunteer side's domain: roles, invitations, follow-up, help requests and outcomes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from bot.core.i18n import N_, Translator
from bot.documents import wording

ROLES = ("volunteer", "coordinator")
OUTCOME_KINDS = ("job", "training", "french_class", "stopped", "moved")
CONTRACTS = ("cdi", "cdd", "interim", "iae", "unknown")
CV_STATUSES = ("none", "to_check", "checked", "to_fix")
# The words of outcomes and contracts, for buttons, pages and notices (French reference).
OUTCOME_LABELS = {
    "job": N_("Travail trouvé"),
    "training": N_("Formation"),
    "french_class": N_("Cours de français"),
    "stopped": N_("Arrêt de l'accompagnement"),
    "moved": N_("Déménagement"),
}
CONTRACT_LABELS = {
    "cdi": N_("CDI"),
    "cdd": N_("CDD"),
    "interim": N_("Intérim"),
    "iae": N_("IAE (insertion)"),
    "unknown": N_("Contrat pas encore connu"),
}
T_NOT_CONFIRMED = N_("pas confirmé")
T_TO_CONFIRM = N_("à confirmer")
# The roles of a team, as volunteers read them.
ROLE_LABELS = {"volunteer": N_("bénévole"), "coordinator": N_("coordinateur ou coordinatrice")}
# Letters and digits that cannot be mistaken for one another when read aloud or typed.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "RELAIS"


class Filter(StrEnum):
    """The lists a volunteer can ask for."""

    ALL = "all"
    NEW = "new"  # waiting for a first contact
    CV = "cv"  # CV to check
    SEARCHING = "search"  # actively looking for work
    WAITING = "waiting"  # asked to talk to a volunteer; nobody took the request yet


T_PERSON_N = N_("Personne n° {id}")


def person_name(first: str, last: str, person_id: int, t: Translator) -> str:
    """How volunteers see a person: first name as the CV writes it ("je m appelle fatou" →
    "Fatou") and last name as typed, else their number."""
    first = wording.first_name(first) if first else ""
    return " ".join(p for p in (first, last) if p) or t.gettext(T_PERSON_N, id=person_id)


def profile_name(profile: dict[str, Any], person_id: int, t: Translator) -> str:
    """person_name from saved answers."""
    first, last = profile.get("first_name"), profile.get("last_name")
    return person_name(
        first if isinstance(first, str) else "", last if isinstance(last, str) else "", person_id, t
    )


@dataclass(frozen=True)
class Role:
    """What one person may do in one centre."""

    centre: str
    role: str  # "volunteer" or "coordinator"


@dataclass(frozen=True)
class Access:
    """Everything a person may do on the volunteer side; empty for a beneficiary."""

    person_id: int
    roles: tuple[Role, ...] = ()
    admin: bool = False

    @property
    def is_team(self) -> bool:
        """A volunteer, a coordinator or an admin."""
        return self.admin or bool(self.roles)

    def centres(self, active: tuple[str, ...]) -> tuple[str, ...]:
        """The active centres this person sees: all for an admin, their own otherwise."""
        if self.admin:
            return active
        return tuple(r.centre for r in self.roles if r.centre in active)

    def coordinates(self, centre: str) -> bool:
        """True when this person may invite volunteers and read statistics for the centre."""
        return self.admin or any(r.centre == centre and r.role == "coordinator" for r in self.roles)


@dataclass(frozen=True)
class TeamMember:
    """One role of a centre's team, as a coordinator sees it."""

    person_id: int
    centre: str
    role: str
    external_id: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class FollowUp:
    """Where a beneficiary stands with their centre."""

    person_id: int
    cv_status: str = "none"
    cv_note: str | None = None
    searching: bool = False
    first_contact_at: datetime | None = None
    assessment_done_at: datetime | None = None
    cv_done_at: datetime | None = None
    cv_sent_back_by: int | None = None  # the volunteer who last sent the CV back to correct

    @property
    def can_be_proposed(self) -> bool:
        """Only a checked CV and an active search let volunteers propose someone to employers."""
        return self.cv_status == "checked" and self.searching


@dataclass(frozen=True)
class Beneficiary:
    """One line of a volunteer's list."""

    id: int
    first_name: str
    last_name: str
    centre: str
    last_seen_at: datetime
    followup: FollowUp


@dataclass(frozen=True)
class HelpRequest:
    """A person asked to talk to a volunteer, or for an appointment."""

    id: int
    person_id: int
    centre: str
    created_at: datetime
    taken_by: int | None
    about: str = "talk"  # "talk" or "appointment"


@dataclass(frozen=True)
class Exchange:
    """A conversation between a volunteer (for the centre) and a person, through Relais."""

    id: int
    person_id: int
    centre: str
    volunteer_id: int | None  # None: the volunteer erased their data since
    started_at: datetime
    ended_at: datetime | None

    @property
    def open(self) -> bool:
        """Neither side ended it."""
        return self.ended_at is None


@dataclass(frozen=True)
class ExchangeMessage:
    """One message of an exchange: from the person, or from the centre (a volunteer)."""

    exchange_id: int
    from_person: bool
    text: str
    at: datetime
    centre: str


@dataclass(frozen=True)
class Outcome:
    """What became of a person."""

    id: int
    person_id: int
    centre: str
    kind: str
    contract: str | None
    happened_on: date
    confirmed: bool
    declined: bool = False  # a job the person reported that a volunteer did not confirm


def outcome_words(t: Translator, outcome: Outcome) -> tuple[str, str, str]:
    """An outcome in words: its kind, its contract ("" if none) and whether it counts yet ("" once
    confirmed: "à confirmer", "pas confirmé")."""
    contract = t.gettext(CONTRACT_LABELS[outcome.contract]) if outcome.contract else ""
    if outcome.declined:
        state = t.gettext(T_NOT_CONFIRMED)
    else:
        state = "" if outcome.confirmed else t.gettext(T_TO_CONFIRM)
    return t.gettext(OUTCOME_LABELS[outcome.kind]), contract, state


@dataclass(frozen=True)
class AuditEntry:
    """One read of a profile or CV by a volunteer."""

    actor_id: int
    subject_id: int
    action: str
    at: datetime


def new_code() -> str:
    """A fresh invitation code, e.g. RELAIS-7KQ2-MX9P (40 bits of randomness)."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{CODE_PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise_code(text: str) -> str | None:
    """The code in a typed text (any case, spaces or dashes), or None if it is not one."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if not compact.startswith(CODE_PREFIX) or len(compact) != len(CODE_PREFIX) + 8:
        return None
    body = compact[len(CODE_PREFIX) :]
    if any(ch not in _CODE_ALPHABET for ch in body):
        return None
    return f"{CODE_PREFIX}-{body[:4]}-{body[4:]}"


def code_hash(code: str) -> str:
    """What the database keeps of a code."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()
