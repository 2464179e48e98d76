"""What an appointment is: who meets whom, when, where, for what, and what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.i18n import N_

# Where it takes place: at the person's centre (its address), at another address, or by phone.
PLACES = ("centre", "address", "phone")
# What it is for (French reference labels, translated when shown).
PURPOSE_LABELS = {
    "first_interview": N_("Premier entretien"),
    "cv_workshop": N_("Atelier CV"),
    "interview_prep": N_("Préparation à un entretien d'embauche"),
    "employer": N_("Rencontre avec un employeur"),
    "french_class": N_("Cours de français"),
    "followup": N_("Point sur votre recherche"),
    "other": N_("Rendez-vous avec un bénévole"),
}
PURPOSES = tuple(PURPOSE_LABELS)
# planned → attended or missed (the volunteer says so afterwards), or cancelled before.
STATES = ("planned", "cancelled", "attended", "missed")
# The person's answer to the confirmation or a reminder: none yet, coming, cannot come, or
# asking for another date.
ANSWERS = ("", "coming", "cannot", "change")
DEFAULT_MINUTES = 60  # how long an appointment lasts (the calendar file's end)


@dataclass(frozen=True)
class Appointment:
    """One appointment, as stored. `version` grows with each change of date, place or purpose:
    a reminder or a button made for an older version is out of date."""

    id: int
    person_id: int
    centre: str
    starts_at: datetime  # aware, UTC as stored
    place: str  # one of PLACES
    address: str  # the other address (place "address"); "" otherwise
    purpose: str  # one of PURPOSES
    note: str  # a practical note for the person ("Apportez votre pièce d'identité"), or ""
    volunteer_id: int | None  # who will be there (None: erased since, or not said)
    booked_by: int | None
    state: str  # one of STATES
    answer: str  # one of ANSWERS
    version: int
    minutes: int = DEFAULT_MINUTES
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def ends_at(self) -> datetime:
        """When it ends (the calendar file's DTEND)."""
        return self.starts_at + timedelta(minutes=self.minutes)

    def ahead(self, now: datetime) -> bool:
        """Planned and not started yet: reminders and answers still make sense."""
        return self.state == "planned" and now < self.starts_at


@dataclass(frozen=True)
class NewAppointment:
    """An appointment to book (or the new details of one being changed)."""

    person_id: int
    centre: str
    starts_at: datetime
    place: str
    purpose: str
    address: str = ""
    note: str = ""
    volunteer_id: int | None = None
    minutes: int = DEFAULT_MINUTES
