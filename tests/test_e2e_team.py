"""A coordinator takes a volunteer's access back, end to end: the real `relais run` process
against the Bot API emulator, each person on their own phone."""

from __future__ import annotations

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_volunteers import code_in

ADMIN, CORA, VIC = 9001, 9002, 9003
BENEFICIARY_MENU = ["menu", "help", "language", "stop"]

CONFIG = """
[general]
admins = ["9001"]

[[centres]]
id = "paris11"
name = "Paris 11e"
"""


def menu_of(emulator: TelegramEmulator, chat_id: int) -> list[str]:
    return [c["command"] for c in emulator.commands({"type": "chat", "chat_id": chat_id})]


def test_a_removed_volunteer_is_told_and_finds_a_beneficiarys_phone(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory(config_text=CONFIG)
    Phone(emulator, ADMIN).play("> /start\n< Choose your language.\n> [Français]")
    emulator.send_text(ADMIN, "/invite paris11 coordinator")
    coordinator_code = code_in(emulator.wait_for_text(ADMIN, "Code d'invitation pour Paris 11e"))
    cora = Phone(emulator, CORA)
    cora.play(f"> {coordinator_code}\n< Bienvenue dans l'équipe de Paris 11e\n> /invite")
    volunteer_code = code_in(emulator.wait_for_text(CORA, "Code d'invitation pour Paris 11e"))
    vic = Phone(emulator, VIC)
    vic.play(f"> {volunteer_code}\n< Bienvenue dans l'équipe de Paris 11e")
    emulator.wait_until(
        # the volunteer's commands, appointments' (issue 12) and job offers' (issue 13) included
        lambda: (
            menu_of(emulator, VIC)
            == [
                *BENEFICIARY_MENU,
                "people",
                "requests",
                "agenda",
                "offres",
                "offre",
                "person",
                "rdv",
            ]
        )
    )
    assert menu_of(emulator, CORA)[-1] == "team"

    cora.play(
        """
        > /team
        < L'équipe de Paris 11e :
        > [Retirer Personne n° 3]
        < de l'équipe de Paris 11e ?
        > [Oui, retirer]
        < ne fait plus partie de l'équipe de Paris 11e.
        """
    )
    vic.play("< Vous ne faites plus partie de l'équipe de Paris 11e.")
    # the app's menu is a beneficiary's again, and the desk answers as to anyone
    emulator.wait_until(lambda: menu_of(emulator, VIC) == BENEFICIARY_MENU)
    vic.play("> /people\n< Je ne connais pas cette commande.")
    assert "team" in menu_of(emulator, CORA)
