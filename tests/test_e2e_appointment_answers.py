"""An appointment end to end, on the person's side: the real `relais run` process against the
Bot API emulator. Amina asks for an appointment from the menu; Marie is told. The appointment
is booked (in the database, as the desk does); Amina's phone receives the confirmation and the
calendar file (sendDocument), she says she will come; the process restarted the next day sends
the reminder, she answers she cannot come after all, and Marie is told at once with one tap to
propose another date."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.appointments import lifecycle
from bot.appointments.domain import NewAppointment
from bot.config import AppointmentSettings
from bot.core.domain import Centre
from bot.schedule.quiet_hours import QuietHours
from bot.storage.database import Storage
from bot.testing.moment import NOW, fixed_clock
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_volunteers import beneficiary, invited

ADMIN, MARIE, AMINA = 9101, 9102, 9110
PARIS = ZoneInfo("Europe/Paris")
CENTRE = Centre("paris11", "Paris 11e", "12 rue des Lilas, 75011 Paris")
CONFIG = """
[general]
admins = ["9101"]

[[centres]]
id = "paris11"
name = "Paris 11e"
address = "12 rue des Lilas, 75011 Paris"
"""
# booked on Monday 23 November 2026 (the tests' moment) for Tuesday at 14:30
TUESDAY = datetime(2026, 11, 24, 14, 30, tzinfo=PARIS)
NEXT_DAY = datetime(2026, 11, 24, 12, 31, tzinfo=PARIS)  # both reminders due


async def book_in(database: Path) -> int:
    """Book Amina's appointment with Marie, as the desk does, in the bot's database."""
    storage = await Storage.open(database, clock=fixed_clock)
    try:
        async with storage.transaction() as tx:
            amina = await tx.find_person("telegram", str(AMINA))
            marie = await tx.find_person("telegram", str(MARIE))
            assert amina is not None and amina.id is not None
            assert marie is not None and marie.id is not None
            new = NewAppointment(
                amina.id, "paris11", TUESDAY, "centre", "cv_workshop", volunteer_id=marie.id
            )
            appointment = await tx.book_appointment(new, marie.id)
            await lifecycle.booked(
                tx, appointment, CENTRE, AppointmentSettings(), QuietHours(), PARIS, NOW
            )
        return appointment.id
    finally:
        await storage.close()


def documents_of(emulator: TelegramEmulator, chat: int, count: int) -> list[dict]:
    """The documents sent to a chat, once there are `count` of them."""
    deadline = time.monotonic() + 15
    while len(found := emulator.documents(chat)) < count:
        assert time.monotonic() < deadline, emulator.transcript(chat)
        time.sleep(0.05)
    return found


def test_confirmation_calendar_file_reminder_and_i_cannot_come(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    marie = invited(emulator, ADMIN, MARIE, "paris11", "Paris 11e")
    amina = beneficiary(emulator, AMINA, "Amina", "Paris 11e")
    amina.play(
        """
        > [Prendre rendez-vous]
        < Voulez-vous un rendez-vous avec un bénévole de votre centre ?
        > [Oui]
        < Un bénévole de Paris 11e va vous proposer une date, ici dans Relais.
        """
    )
    marie.play("< Amina (Paris 11e) voudrait un rendez-vous avec un bénévole.")
    bot.stop()

    number = asyncio.run(book_in(bot.database))
    relais_factory(config_text=CONFIG)
    amina.play(
        """
        < Votre rendez-vous est pris.
        < Quand : mardi 24 novembre à 14 h 30
        < Où : Paris 11e, 12 rue des Lilas, 75011 Paris
        """
    )
    [document] = documents_of(emulator, AMINA, 1)
    assert document["file_name"] == "rendez-vous-2026-11-24.ics"
    assert document["mime_type"] == "text/calendar"
    [event] = Calendar.from_ical(document["data"]).walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC) == TUESDAY.astimezone(UTC)
    assert str(event["UID"]).startswith(f"appointment-{number}-")
    amina.play(
        """
        > [Je viendrai]
        < Merci ! C'est noté : vous venez le mardi 24 novembre à 14 h 30.
        """
    )


def test_the_reminder_the_next_day_and_i_cannot_come_reach_marie_at_once(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    marie = invited(emulator, ADMIN, MARIE, "paris11", "Paris 11e")
    amina = beneficiary(emulator, AMINA, "Amina", "Paris 11e")
    bot.stop()

    asyncio.run(book_in(bot.database))
    today = relais_factory(config_text=CONFIG)
    amina.play("< Votre rendez-vous est pris.\n> [Je viendrai]\n< Merci !")
    today.stop()

    relais_factory(config_text=CONFIG, extra_env={"RELAIS_CLOCK": NEXT_DAY.isoformat()})
    amina.play(
        """
        < Rappel : vous avez un rendez-vous.
        > [Je ne peux pas venir]
        < C'est noté. Le centre va vous proposer une autre date, ici dans Relais.
        """
    )
    marie.play(
        """
        < Amina (Paris 11e) ne peut pas venir au rendez-vous du mardi 24 novembre à 14 h 30.
        > [Voir la fiche]
        < Amina
        """
    )
    notice = next(m for m in emulator.messages(MARIE) if "ne peut pas venir" in m.get("text", ""))
    labels = [b["text"] for row in notice["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["📅 Proposer une autre date", "Voir la fiche"]
