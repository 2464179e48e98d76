"""What a job offer is: the job, who offers it and how it came, what it asks of a candidate,
and what became of it (vetted, sent, closed); and what each person it reached said of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.i18n import N_

# Who sent the offer to the centre: the funnel of /stats counts offers by source.
SOURCE_LABELS = {
    "france_travail": N_("France Travail"),
    "mission_locale": N_("Mission locale"),
    "city_hall": N_("Mairie"),
    "company": N_("Entreprise"),
    "iae": N_("Structure d'insertion (IAE)"),
    "partner": N_("Association partenaire"),
    "other": N_("Autre"),
}
SOURCES = tuple(SOURCE_LABELS)
# Who employs: shown to beneficiaries ("Employeur : mairie").
EMPLOYER_KIND_LABELS = {
    "public": N_("Service public"),
    "city_hall": N_("Mairie"),
    "company": N_("Entreprise"),
    "iae": N_("Structure d'insertion"),
    "association": N_("Association"),
    "agency": N_("Agence d'intérim"),
}
EMPLOYER_KINDS = tuple(EMPLOYER_KIND_LABELS)
CONTRACT_LABELS = {
    "cdi": N_("CDI"),
    "cdd": N_("CDD"),
    "interim": N_("Intérim"),
    "iae": N_("Contrat d'insertion (IAE)"),
    "seasonal": N_("Saisonnier"),
}
CONTRACTS = tuple(CONTRACT_LABELS)
TIME_LABELS = {"full": N_("Temps plein"), "part": N_("Temps partiel")}
TIMES = tuple(TIME_LABELS)
# When the job is done: the same words as the self-assessment's hours_available (early,
# morning, afternoon, evening, night) plus the weekend (its days_available).
SCHEDULE_LABELS = {
    "early": N_("Tôt le matin"),
    "morning": N_("Le matin"),
    "afternoon": N_("L'après-midi"),
    "evening": N_("Le soir"),
    "night": N_("La nuit"),
    "weekend": N_("Le week-end"),
}
SCHEDULES = tuple(SCHEDULE_LABELS)
# The sectors of the self-assessment's job_now and sectors_wanted (same values, same labels).
SECTOR_LABELS = {
    "cleaning": N_("Ménage et nettoyage"),
    "personal_care": N_("Aide à la personne"),
    "childcare": N_("Garde d'enfants"),
    "catering": N_("Cuisine et restauration"),
    "building": N_("Bâtiment"),
    "logistics": N_("Entrepôt et logistique"),
    "retail": N_("Commerce et vente"),
    "security": N_("Sécurité"),
    "agriculture": N_("Agriculture et récoltes"),
    "transport": N_("Transport et livraison"),
    "office": N_("Bureau et accueil"),
    "technical": N_("Technique et ingénierie"),
}
SECTORS = tuple(SECTOR_LABELS)
# The French an offer needs, against the self-assessment's french_speaking (same values).
FRENCH_LABELS = {
    "none": N_("Pas demandé"),
    "a_little": N_("Un peu"),
    "good": N_("Bien"),
    "very_good": N_("Très bien"),
}
FRENCH_LEVELS = tuple(FRENCH_LABELS)
# Experience asked: none, some work (anywhere), or in the offer's sector.
EXPERIENCE_LABELS = {
    "none": N_("Débutant accepté"),
    "some": N_("Une première expérience"),
    "sector": N_("Une expérience dans le métier"),
}
EXPERIENCES = tuple(EXPERIENCE_LABELS)
# The lowest diploma asked, against the self-assessment's diploma_level.
DIPLOMA_LABELS = {
    "none": N_("Sans diplôme"),
    "cap_bep": N_("CAP ou BEP"),
    "bac": N_("Bac"),
    "higher": N_("Études après le bac"),
}
DIPLOMAS = tuple(DIPLOMA_LABELS)

# draft → vetted (may be sent) → closed (by a volunteer) or expired (its day passed).
STATES = ("draft", "vetted", "closed", "expired")
# What a person said of an offer sent to them.
ANSWERS = ("", "interested", "declined")
# Why "not for me" (one tap, optional): it narrows what they are sent later.
DECLINE_REASONS = ("hours", "distance", "job_type")
# What a volunteer records after relaying an interested candidate.
RESULTS = ("", "interview", "hired", "not_retained")


@dataclass(frozen=True)
class OfferDetails:
    """What a volunteer enters (desk flow or CSV row), checked; also what an edit rewrites."""

    title: str
    employer: str
    employer_kind: str  # one of EMPLOYER_KINDS
    source: str  # one of SOURCES
    town: str
    postcode: str  # five digits, a real département (answers.parse_postcode)
    contract: str  # one of CONTRACTS
    time: str  # one of TIMES
    sector: str  # one of SECTORS
    expires_on: date  # the last day it may be sent or answered (local date)
    contract_months: int | None = None  # a CDD's length
    schedule: tuple[str, ...] = ()  # among SCHEDULES; () = usual weekday hours
    french: str = "none"  # one of FRENCH_LEVELS
    licence: bool = False  # driving licence B needed
    experience: str = "none"  # one of EXPERIENCES
    diploma: str = "none"  # one of DIPLOMAS
    pay: str = ""  # as the employer wrote it ("SMIC", "12 € brut de l'heure")
    description: str = ""  # a few words on the job, kept in French
    how_to_apply: str = ""  # the employer's way to receive candidates: volunteers only


@dataclass(frozen=True)
class Offer:
    """One offer, as stored."""

    id: int
    centre: str
    details: OfferDetails
    state: str  # one of STATES
    created_by: int | None
    vetted_by: int | None
    version: int  # grows with each edit
    created_at: datetime
    vetted_at: datetime | None = None
    closed_at: datetime | None = None

    def open_on(self, today: date) -> bool:
        """Vetted and not past its last day: it may be sent and answered."""
        return self.state == "vetted" and today <= self.details.expires_on


@dataclass(frozen=True)
class OfferSend:
    """One person an offer was sent to (queued at the broadcast), and what followed."""

    offer_id: int
    person_id: int
    broadcast_id: int
    proposable: bool  # checked CV and actively searching when it was sent
    answer: str  # one of ANSWERS
    reason: str  # one of DECLINE_REASONS, or ""
    result: str  # one of RESULTS
    answered_at: datetime | None = None
    sent_to_employer_at: datetime | None = None
    result_at: datetime | None = None
    relayed_to: int | None = None  # the volunteer given the candidate to send on


@dataclass(frozen=True)
class Broadcast:
    """One "send" of an offer by a volunteer: how many people it was queued for."""

    id: int
    offer_id: int
    volunteer_id: int | None
    total: int
    started_at: datetime
    finished_at: datetime | None = None
