"""An appointment's whole journey end to end, through Telegram only: the real `relais run`
process against the Bot API emulator. Marie books Amina from her phone (the desk flow); Amina
receives the confirmation and its calendar file and says she will come. The bot is down
overnight; started again the next day, it sends the reminder still due. Amina cannot come after
all; Marie is told at once, proposes another date with one tap, and Amina receives the new
details: the reminder of the old date never comes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_appointment_answers import documents_of
from tests.test_e2e_volunteers import beneficiary, volunteer

ADMIN, MARIE, AMINA = 9201, 9202, 9210
PARIS = ZoneInfo("Europe/Paris")
CONFIG = """
[general]
admins = ["9201"]

[[centres]]
id = "paris11"
name = "Paris 11e"
address = "12 rue des Lilas, 75011 Paris"
"""
# the first process lives on Monday 23 November 2026, 11:00 in Paris (the tests' moment); the
# second on Tuesday at 12:31, when the "2 hours before" reminder of 14:30 is due
NEXT_DAY = datetime(2026, 11, 24, 12, 31, tzinfo=PARIS)


def test_booked_reminded_cannot_come_and_moved_all_through_telegram(
    emulator: TelegramEmulator, relais_factory
) -> None:
    monday = relais_factory(config_text=CONFIG)
    marie = volunteer(emulator, ADMIN, MARIE, "Marie", "paris11", "Paris 11e")
    amina = beneficiary(emulator, AMINA, "Amina", "Paris 11e")

    marie.play(
        """
        > /people
        < Personnes suivies (Toutes)
        > [Amina]
        < Amina (n°
        > [Rendez-vous]
        < Quel jour, le rendez-vous avec Amina ?
        > [Demain]
        < À quelle heure ?
        > 14h30
        < Adresse du centre : 12 rue des Lilas, 75011 Paris
        > [Au centre]
        < Pour quoi ?
        > [Atelier CV]
        < Une information pratique pour Amina ?
        > Apportez votre pièce d'identité.
        < Qui sera là ?
        > [Moi]
        < 📅 mardi 24 novembre 2026 à 14:30
        > [Oui, c'est bon]
        < C'est réservé pour Amina : mardi 24 novembre 2026 à 14:30.
        """
    )
    amina.play(
        """
        < Votre rendez-vous est pris.
        < Quand : mardi 24 novembre à 14 h 30
        < Où : Paris 11e, 12 rue des Lilas, 75011 Paris
        < À savoir : Apportez votre pièce d'identité.
        > [Je viendrai]
        < Merci ! C'est noté : vous venez le mardi 24 novembre à 14 h 30.
        """
    )
    [document] = documents_of(emulator, AMINA, 1)
    [event] = Calendar.from_ical(document["data"]).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 11, 24, 14, 30, tzinfo=PARIS)
    monday.stop()

    # the bot was down overnight; back the next day, the reminder still ahead is sent
    relais_factory(config_text=CONFIG, extra_env={"RELAIS_CLOCK": NEXT_DAY.isoformat()})
    amina.play(
        """
        < Rappel : vous avez un rendez-vous.
        < Quand : mardi 24 novembre à 14 h 30
        > [Je ne peux pas venir]
        < C'est noté. Le centre va vous proposer une autre date, ici dans Relais.
        """
    )
    marie.play(
        """
        < Amina (Paris 11e) ne peut pas venir au rendez-vous du mardi 24 novembre à 14 h 30.
        > [Proposer une autre date]
        < Changer ce rendez-vous : choisissez ce qui change.
        > [Changer le jour ou l'heure]
        < Quel jour
        > jeudi 26 novembre 2026
        < À quelle heure ?
        > 10h
        < 📅 jeudi 26 novembre 2026 à 10:00
        > [Oui, c'est bon]
        < C'est changé pour Amina : jeudi 26 novembre 2026 à 10:00.
        """
    )
    amina.play(
        """
        < Votre rendez-vous a changé. Voici les nouvelles informations.
        < Quand : jeudi 26 novembre à 10 h
        < (Avant : mardi 24 novembre à 14 h 30)
        > [Je viendrai]
        < Merci ! C'est noté : vous venez le jeudi 26 novembre à 10 h.
        """
    )
    moved = documents_of(emulator, AMINA, 2)[-1]
    [event] = Calendar.from_ical(moved["data"]).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
    assert int(event["SEQUENCE"]) == 2
    # one reminder only reached Amina: none of the old date came after the change
    reminders = [m for m in emulator.messages(AMINA) if "Rappel" in m.get("text", "")]
    assert len(reminders) == 1
