"""A volunteer books an appointment end to end: the real `relais run` process against the Bot
API emulator. Marie opens Amina's page from /people, books her for tomorrow at 14:30 (a past
hour refused on the way), finds it in /agenda and on Amina's page, and cancels it."""

from __future__ import annotations

from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_volunteers import beneficiary, volunteer

ADMIN, MARIE, AMINA = 9001, 9002, 9010

CONFIG = """
[general]
admins = ["9001"]

[[centres]]
id = "paris11"
name = "Paris 11e"
address = "12 rue des Lilas, 75011 Paris"
"""


def test_marie_books_amina_from_telegram_and_finds_it_in_her_agenda(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory(config_text=CONFIG)
    marie = volunteer(emulator, ADMIN, MARIE, "Marie", "paris11", "Paris 11e")
    beneficiary(emulator, AMINA, "Amina", "Paris 11e")
    # the process lives on Monday 23 November 2026, 11:00 in Paris (RELAIS_CLOCK)
    marie.play(
        """
        > /people
        < Personnes suivies (Toutes)
        > [Amina]
        < Amina (n°
        > [Rendez-vous]
        < Quel jour, le rendez-vous avec Amina ?
        > [Aujourd'hui]
        < À quelle heure ?
        > 9h
        < Cette heure est déjà passée
        > [Retour]
        < Quel jour, le rendez-vous avec Amina ?
        > [Demain]
        < À quelle heure ?
        > 14h30
        < Adresse du centre : 12 rue des Lilas, 75011 Paris
        > [Au centre]
        < Pour quoi ?
        > [Premier entretien]
        < Une information pratique pour Amina ?
        > [Passer]
        < Qui sera là ?
        > [Moi]
        < 📅 mardi 24 novembre 2026 à 14:30
        > [Oui, c'est bon]
        < C'est réservé pour Amina : mardi 24 novembre 2026 à 14:30.
        < Rappels : aujourd'hui à 14:30, demain à 12:30.
        > /agenda
        < Dans les 7 prochains jours : 1
        < mar. 24 nov. 14:30 · Amina · Premier entretien · Au centre · pas encore de réponse
        > [Amina]
        < 📅 Rendez-vous avec Amina
        > [Annuler]
        < Annuler le rendez-vous avec Amina
        > [Oui, annuler]
        < C'est annulé.
        > /agenda
        < Pas de rendez-vous à venir.
        """
    )
