"""What happens to the messages of an appointment when it is booked, changed or ends: the one
place that queues its confirmation and reminders (messages Relais starts) and drops them.

Every message about an appointment carries, in its params, what it shows (written at queueing:
rendering needs no database) and the appointment's id and version, so that a press or a
delivery can check it is still about the appointment as it is:

    {"appointment": id, "version": v, "starts_at": ISO UTC, "minutes": 60, "place": "centre",
     "address": "…" (the centre's or the other address; "" by phone), "purpose": "cv_workshop",
     "note": "…", "centre": "Centre Relais", "offset": "1440m" (reminders only)}

Dedupe keys: "appointment:<id>:<version>:<what>" (bot.storage.appointments.messages_key), so a
reminder is queued once per appointment, version and offset however often booking is retried.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.appointments import reminders, requests
from bot.appointments.domain import Appointment
from bot.config import AppointmentSettings
from bot.core.domain import Centre
from bot.reach.queue import queue
from bot.reach.started import NOTICE, NewStarted
from bot.schedule.quiet_hours import QuietHours
from bot.storage.appointments import messages_key
from bot.storage.database import Tx

CONFIRMED = "appointment_confirmed"  # booked: the details, the answer buttons, the .ics
REMINDER = "appointment_reminder"  # n before: the details again, the same buttons
CHANGED = "appointment_changed"  # a volunteer changed it: the new details, buttons, .ics
CANCELLED = "appointment_cancelled"  # the centre cancelled it
MISSED = "appointment_missed"  # marked missed: a kind word and a button for a new date
KINDS = (CONFIRMED, REMINDER, CHANGED, CANCELLED, MISSED)
# how long after the start a press on the answers still gets a clear "this appointment is past"
PRESS_AFTER_START = timedelta(days=7)


def details(appointment: Appointment, centre: Centre | None) -> dict[str, Any]:
    """What a message about the appointment shows, as its params."""
    if appointment.place == "centre":
        address = centre.address if centre is not None else ""
    else:
        address = appointment.address
    return {
        "appointment": appointment.id,
        "version": appointment.version,
        "starts_at": appointment.starts_at.isoformat(),
        "minutes": appointment.minutes,
        "place": appointment.place,
        "address": address,
        "purpose": appointment.purpose,
        "note": appointment.note,
        "centre": centre.name if centre is not None else appointment.centre,
    }


def key(appointment: Appointment, what: str) -> str:
    """The dedupe key of one message about this version of the appointment."""
    return f"{messages_key(appointment.id)}{appointment.version}:{what}"


async def _queue(
    tx: Tx,
    appointment: Appointment,
    kind: str,
    params: dict[str, Any],
    what: str,
    not_before: datetime | None = None,
    expires: bool = True,
) -> int | None:
    return await queue(
        tx,
        NewStarted(
            appointment.person_id,
            kind,
            params,
            not_before=not_before,
            priority=NOTICE,
            dedupe_key=key(appointment, what),
            subject_id=appointment.person_id,
            # its buttons stop working a while after it starts: until then a late press is
            # told the appointment is past, rather than that the button no longer works
            expires_at=appointment.starts_at + PRESS_AFTER_START if expires else None,
        ),
    )


async def _reminders(
    tx: Tx,
    appointment: Appointment,
    params: dict[str, Any],
    settings: AppointmentSettings,
    quiet: QuietHours,
    zone: ZoneInfo,
    now: datetime,
) -> int:
    planned = reminders.plan(appointment.starts_at, settings.reminders, quiet, zone, now)
    for reminder in planned:
        await _queue(
            tx,
            appointment,
            REMINDER,
            {**params, "offset": reminder.key},
            reminder.key,
            not_before=reminders.spread(reminder.at, appointment.id),
        )
    return len(planned)


async def booked(
    tx: Tx,
    appointment: Appointment,
    centre: Centre | None,
    settings: AppointmentSettings,
    quiet: QuietHours,
    zone: ZoneInfo,
    now: datetime,
) -> int:
    """Queue the confirmation (now; quiet hours hold it) and the reminders of a new
    appointment, which answers the person's request for one if it waits; how many reminders
    were planned."""
    await requests.answered(tx, appointment)
    params = details(appointment, centre)
    await _queue(tx, appointment, CONFIRMED, params, "confirm")
    return await _reminders(tx, appointment, params, settings, quiet, zone, now)


async def changed(
    tx: Tx,
    before: Appointment,
    appointment: Appointment,
    centre: Centre | None,
    settings: AppointmentSettings,
    quiet: QuietHours,
    zone: ZoneInfo,
    now: datetime,
) -> int:
    """An appointment was changed: what was queued for the old version goes, the person gets
    the new details (with the date it had, if they had been told of it) and new reminders; how
    many reminders."""
    told = await tx.appointment_told(appointment.id)
    await tx.drop_appointment_messages(appointment.id)
    params = details(appointment, centre)
    if told:
        await _queue(
            tx, appointment, CHANGED, {**params, "before": before.starts_at.isoformat()}, "changed"
        )
    else:
        # the confirmation of the old date was still waiting (quiet hours): "changed" would
        # speak of a date the person never saw; they are simply told the new one
        await _queue(tx, appointment, CONFIRMED, params, "confirm")
    return await _reminders(tx, appointment, params, settings, quiet, zone, now)


async def ended(tx: Tx, appointment: Appointment, centre: Centre | None, tell: bool) -> bool:
    """An appointment was cancelled, or marked attended or missed: its reminders go; the
    person is told of a cancellation by the centre (`tell`) and of a missed appointment.
    Whether a message was queued for them."""
    # someone never told of an appointment (its confirmation still waiting) is not told it is
    # cancelled either
    told = await tx.appointment_told(appointment.id)
    await tx.drop_appointment_messages(appointment.id)
    params = details(appointment, centre)
    if appointment.state == "cancelled" and tell and told:
        await _queue(tx, appointment, CANCELLED, params, "cancelled", expires=False)
        return True
    if appointment.state == "missed":
        await _queue(tx, appointment, MISSED, params, "missed", expires=False)
        return True
    return False
