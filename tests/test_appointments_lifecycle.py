"""Booking, changing and ending an appointment on a real SQLite file: the confirmation and the
reminders are queued once per version and offset, and whatever is still queued for an old
version or an ended appointment is dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.appointments import lifecycle
from bot.appointments.domain import NewAppointment
from bot.config import AppointmentSettings
from bot.core.domain import Centre
from bot.schedule.quiet_hours import QuietHours
from bot.service import Relais
from tests.appointment_kit import reminder_at, utc

PARIS = ZoneInfo("Europe/Paris")
CENTRE = Centre("default", "Centre Relais", "12 rue des Lilas, 75011 Paris")
# Monday 7 December 2026, 10:00 in Paris; the appointment is on Tuesday at 14:30
BOOKED = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 12, 8, 14, 30, tzinfo=PARIS)


async def queued(relais: Relais) -> list[tuple[str, str, str]]:
    """(kind, dedupe key, not_before) of every message still queued."""
    async with relais.storage.reading() as reads:
        rows = await reads._fetchall(
            "SELECT kind, dedupe_key, not_before FROM started_messages WHERE state = 'queued'"
            " ORDER BY id"
        )
    return [(r["kind"], r["dedupe_key"], r["not_before"]) for r in rows]


async def book(relais: Relais, starts_at: datetime = TUESDAY) -> tuple[int, int]:
    async with relais.storage.transaction() as tx:
        person = (await tx.load_state("test", "amina")).person
        assert person.id is not None
        new = NewAppointment(person.id, "default", starts_at, "centre", "cv_workshop")
        appointment = await tx.book_appointment(new, None)
        await lifecycle.booked(
            tx, appointment, CENTRE, AppointmentSettings(), QuietHours(), PARIS, BOOKED
        )
    return person.id, appointment.id


async def test_a_booking_queues_the_confirmation_and_one_row_per_reminder(relais: Relais) -> None:
    _, number = await book(relais)
    assert await queued(relais) == [
        ("appointment_confirmed", f"appointment:{number}:1:confirm", ""),
        # Monday 14:30 and Tuesday 12:30 in Paris, at the second of that minute the
        # appointment's id gives
        (
            "appointment_reminder",
            f"appointment:{number}:1:1440m",
            utc(reminder_at(datetime(2026, 12, 7, 13, 30, tzinfo=UTC), number)),
        ),
        (
            "appointment_reminder",
            f"appointment:{number}:1:120m",
            utc(reminder_at(datetime(2026, 12, 8, 11, 30, tzinfo=UTC), number)),
        ),
    ]


async def deliver_confirmation(relais: Relais) -> None:
    """The confirmation reaches the person (as the sender marks it once sent)."""
    async with relais.storage.transaction() as tx:
        rows = await tx._fetchall(
            "SELECT id FROM started_messages WHERE kind = ? AND state = 'queued'",
            (lifecycle.CONFIRMED,),
        )
        await tx.finish_started([int(r["id"]) for r in rows], [])


async def change(relais: Relais, person_id: int, number: int) -> None:
    """The appointment moves to Wednesday, by phone; a second change of the same version is
    refused (someone changed it meanwhile)."""
    async with relais.storage.transaction() as tx:
        before = await tx.appointment(number)
        assert before is not None
        later = NewAppointment(
            person_id, "default", TUESDAY + timedelta(days=1), "phone", "followup"
        )
        after = await tx.change_appointment(number, before.version, later)
        assert after is not None and after.version == 2
        assert await tx.change_appointment(number, before.version, later) is None
        await lifecycle.changed(
            tx, before, after, CENTRE, AppointmentSettings(), QuietHours(), PARIS, BOOKED
        )


async def test_a_change_drops_the_old_version_and_tells_the_new_details(relais: Relais) -> None:
    person_id, number = await book(relais)
    await deliver_confirmation(relais)
    await change(relais, person_id, number)
    kinds = [(kind, key) for kind, key, _ in await queued(relais)]
    assert kinds == [
        ("appointment_changed", f"appointment:{number}:2:changed"),
        ("appointment_reminder", f"appointment:{number}:2:1440m"),
        ("appointment_reminder", f"appointment:{number}:2:120m"),
    ]


async def test_changed_before_its_confirmation_went_it_is_confirmed_with_the_new_date(
    relais: Relais,
) -> None:
    person_id, number = await book(relais)
    await change(relais, person_id, number)
    # "changed" would speak of a date the person never read
    kinds = [(kind, key) for kind, key, _ in await queued(relais)]
    assert kinds == [
        ("appointment_confirmed", f"appointment:{number}:2:confirm"),
        ("appointment_reminder", f"appointment:{number}:2:1440m"),
        ("appointment_reminder", f"appointment:{number}:2:120m"),
    ]


async def test_a_cancelled_appointment_keeps_no_reminder_and_cannot_end_twice(
    relais: Relais,
) -> None:
    _, number = await book(relais)
    await deliver_confirmation(relais)
    async with relais.storage.transaction() as tx:
        cancelled = await tx.end_appointment(number, "cancelled")
        assert cancelled is not None
        assert await lifecycle.ended(tx, cancelled, CENTRE, tell=True)
        assert await tx.end_appointment(number, "attended") is None
    assert [kind for kind, _, _ in await queued(relais)] == ["appointment_cancelled"]


async def test_cancelled_before_its_confirmation_went_the_person_hears_nothing(
    relais: Relais,
) -> None:
    _, number = await book(relais)
    async with relais.storage.transaction() as tx:
        cancelled = await tx.end_appointment(number, "cancelled")
        assert cancelled is not None
        assert not await lifecycle.ended(tx, cancelled, CENTRE, tell=True)
    assert await queued(relais) == []


async def test_an_erased_person_takes_their_appointments_with_them(relais: Relais) -> None:
    person_id, number = await book(relais)
    async with relais.storage.transaction() as tx:
        await tx.erase_person(person_id, "erased", None)
    async with relais.storage.reading() as reads:
        assert await reads.appointment(number) is None
    assert await queued(relais) == []
