"""The calendar file of an appointment (.ics, RFC 5545), made with the `icalendar` library when
it is sent, from the appointment as it is then: a person taps it to put the appointment in
their phone's calendar.

- The time is the deployment's local time with its time zone (DTSTART;TZID=Europe/Paris and a
  VTIMEZONE with its daylight-saving rules, made from zoneinfo), so a phone in another zone,
  or a file opened after the clocks change, shows the right hour.
- The UID is stable per appointment and SEQUENCE is its version: a changed appointment's file
  replaces the earlier one in the calendar instead of adding a second event; METHOD is REQUEST,
  or CANCEL (STATUS:CANCELLED) once the appointment was cancelled.
- SUMMARY, LOCATION and DESCRIPTION are in the person's language; an alarm (VALARM) rings an
  hour before.
Nothing is stored: like every document, it is made when sent and never kept.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.appointments import wording
from bot.appointments.domain import Appointment
from bot.core.i18n import N_, Translator
from bot.documents.maker import Document

MIME = "text/calendar"
PRODID = "-//Relais//Rendez-vous//FR"
ALARM_BEFORE = timedelta(hours=1)

T_SUMMARY = N_("Rendez-vous : {purpose}")
T_WITH_CENTRE = N_("Rendez-vous avec {centre}.")
T_ABOUT = N_("Pour : {purpose}")
T_NOTE = N_("À savoir : {note}")
T_ALARM = N_("Rendez-vous dans une heure : {purpose}")


def uid(appointment: Appointment) -> str:
    """The event's UID: the same for every version of one appointment. Its booking moment is
    part of it: ids start at 1 in every deployment, and a phone that imported "appointment 1"
    of one centre's Relais must not take another's for a change of it."""
    booked = appointment.created_at or appointment.starts_at
    return f"appointment-{appointment.id}-{booked.strftime('%Y%m%dT%H%M%S%f')}@relais"


def file_name(appointment: Appointment, zone: ZoneInfo) -> str:
    """ "rendez-vous-2026-12-08.ics": the local day, nothing personal."""
    return f"rendez-vous-{appointment.starts_at.astimezone(zone).date().isoformat()}.ics"


def calendar_file(
    appointment: Appointment,
    t: Translator,
    centre: str,
    address: str,
    now: datetime,
) -> Document:
    """The .ics of `appointment` for the person, in their language (`t`), in `t.tz`; `centre`
    is the centre's name and `address` where it takes place (the centre's address or the
    other one, "" by phone)."""
    # imported on first use: icalendar (and dateutil) cost ~50 ms of every start-up otherwise
    from icalendar import Alarm, Calendar, Event, Timezone

    zone = t.tz
    cancelled = appointment.state == "cancelled"
    start = appointment.starts_at.astimezone(zone)
    end = appointment.ends_at.astimezone(zone)
    purpose = wording.purpose(t, appointment.purpose)

    event = Event()
    event.add("uid", uid(appointment))
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", end)
    # iTIP: a cancellation comes after every version it cancels
    event.add("sequence", appointment.version + (1 if cancelled else 0))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", t.gettext(T_SUMMARY, purpose=purpose))
    location = wording.place(t, appointment.place, centre, address)
    event.add("location", location[:1].upper() + location[1:])
    lines = [t.gettext(T_WITH_CENTRE, centre=centre), t.gettext(T_ABOUT, purpose=purpose)]
    if appointment.note.strip():
        lines.append(t.gettext(T_NOTE, note=appointment.note.strip()))
    event.add("description", "\n".join(lines))
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", t.gettext(T_ALARM, purpose=purpose))
        event.add_component(alarm)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    # the zone's rules around the appointment only: a few lines, not 70 years of them
    calendar.add_component(
        Timezone.from_tzinfo(
            zone,
            first_date=date(start.year - 1, 1, 1),
            last_date=date(end.year + 1, 12, 31),
        )
    )
    calendar.add_component(event)
    return Document(file_name(appointment, zone), MIME, calendar.to_ical())
