"""How the volunteers' side writes an appointment: when, where, for what, and what became of it,
in the reader's language (the desk's screens, the agenda, a person's page, the morning notice).

The messages the person receives are written elsewhere (bot/appointments/messages.py): these are
a volunteer's words ("vient", "pas venu(e)").
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.appointments.domain import PURPOSE_LABELS, Appointment
from bot.core.i18n import N_, Translator

T_AT = N_("{date} à {time}")
# what it is for, in a volunteer's words (the options of flows/desk_appointment.toml)
PURPOSE_WORDS = {
    "first_interview": N_("Premier entretien"),
    "cv_workshop": N_("Atelier CV"),
    "interview_prep": N_("Préparer un entretien"),
    "employer": N_("Rencontre avec un employeur"),
    "french_class": N_("Cours de français"),
    "followup": N_("Point sur sa recherche"),
    "other": N_("Autre rendez-vous"),
}
PLACE_LABELS = {
    "centre": N_("Au centre"),
    "address": N_("À une autre adresse"),
    "phone": N_("Par téléphone"),
}
T_PLACE_AT = N_("{place} : {address}")
STATE_LABELS = {
    "planned": N_("prévu"),
    "cancelled": N_("annulé"),
    "attended": N_("venu(e)"),
    "missed": N_("pas venu(e)"),
}
ANSWER_LABELS = {
    "": N_("pas encore de réponse"),
    "coming": N_("✅ vient"),
    "cannot": N_("❌ ne peut pas venir"),
    "change": N_("🔁 demande un autre jour"),
}


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored moment (UTC) on the deployment's clock."""
    return moment.astimezone(zone)


def when(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """The day with its weekday and the time: "mardi 24 novembre 2026 à 14:30"."""
    at = local(moment, zone)
    return t.gettext(T_AT, date=t.day(at.date()), time=t.time(at.time()))


def short_when(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """A line's day and time, short: "mar. 24 nov. 14:30"."""
    at = local(moment, zone)
    return f"{format_date(at.date(), 'EEE d MMM', locale=t.locale)} {t.time(at.time())}"


def purpose(t: Translator, appointment: Appointment) -> str:
    """What it is for, in the reader's language."""
    label = PURPOSE_WORDS.get(appointment.purpose) or PURPOSE_LABELS.get(appointment.purpose)
    return t.gettext(label) if label else appointment.purpose


def place(t: Translator, appointment: Appointment, centre_address: str = "") -> str:
    """Where: the centre (with its address when known), the other address, or by phone."""
    label = t.gettext(PLACE_LABELS.get(appointment.place, PLACE_LABELS["centre"]))
    address = appointment.address if appointment.place == "address" else ""
    if appointment.place == "centre":
        address = centre_address
    return t.gettext(T_PLACE_AT, place=label, address=address) if address else label


def place_word(t: Translator, appointment: Appointment) -> str:
    """Where, in a word or two (a line of a list): "Au centre", "Par téléphone"."""
    return t.gettext(PLACE_LABELS.get(appointment.place, PLACE_LABELS["centre"]))


def state(t: Translator, appointment: Appointment) -> str:
    """Planned, cancelled, attended or missed."""
    return t.gettext(STATE_LABELS.get(appointment.state, STATE_LABELS["planned"]))


def answer(t: Translator, appointment: Appointment) -> str:
    """The person's answer: coming, cannot come, asks for another day, or none yet."""
    return t.gettext(ANSWER_LABELS.get(appointment.answer, ANSWER_LABELS[""]))


def line(t: Translator, appointment: Appointment, name: str, zone: ZoneInfo) -> str:
    """One line of a list: "mar. 24 nov. 14:30 · Amina Benali · Atelier CV · Au centre ·
    ✅ vient" (the answer while it is planned, else what became of it)."""
    shown = answer(t, appointment) if appointment.state == "planned" else state(t, appointment)
    parts = [
        short_when(t, appointment.starts_at, zone),
        name,
        purpose(t, appointment),
        place_word(t, appointment),
        shown,
    ]
    return " · ".join(parts)
