"""Two centres with their volunteers and beneficiaries, end to end: the real `relais run`
process against the Bot API emulator, every person on their own phone."""

from __future__ import annotations

import re
import time

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_cv import wait_for_documents

ADMIN, CORA, VIC, LEO, AMINA, BILAL = 9001, 9002, 9003, 9004, 9010, 9011

CONFIG = """
[general]
admins = ["9001"]

[[centres]]
id = "paris11"
name = "Paris 11e"
hours = "mardi 9 h – 12 h"

[[centres]]
id = "lyon"
name = "Lyon Part-Dieu"
"""


def code_in(message: dict) -> str:
    found = re.search(r"RELAIS-[A-Z0-9]{4}-[A-Z0-9]{4}", message["text"])
    assert found, message["text"]
    return found.group(0)


def invited(
    emulator: TelegramEmulator, admin: int, user: int, centre: str, centre_name: str
) -> Phone:
    """The admin (a configured id) starts Relais and invites `user` to `centre`, who sends
    the code: welcomed to the team, asked their language next."""
    boss = Phone(emulator, admin)
    boss.play("> /start\n< Choose your language.\n> [Français]\n< Quel est votre prénom ?")
    emulator.send_text(admin, f"/invite {centre}")
    code = code_in(emulator.wait_for_text(admin, f"Code d'invitation pour {centre_name}"))
    phone = Phone(emulator, user)
    phone.play(f"> {code}\n< Bienvenue dans l'équipe de {centre_name}")
    return phone


def volunteer(
    emulator: TelegramEmulator, admin: int, user: int, name: str, centre: str, centre_name: str
) -> Phone:
    """`invited`, then in French as `name`: on the volunteer menu."""
    phone = invited(emulator, admin, user, centre, centre_name)
    phone.play(f"> [Français]\n< Quel est votre prénom ?\n> {name}\n< Espace bénévole")
    return phone


def chat_commands(emulator: TelegramEmulator, chat_id: int) -> list[str]:
    """The command names the bot set for one chat's menu (waits for them a little)."""
    deadline = time.monotonic() + 10
    while True:
        found = emulator.commands({"type": "chat", "chat_id": chat_id})
        if found or time.monotonic() > deadline:
            return [c["command"] for c in found]
        time.sleep(0.05)


def beneficiary(emulator: TelegramEmulator, user: int, name: str, centre: str) -> Phone:
    phone = Phone(emulator, user)
    phone.play(
        f"""
        > /start
        < Choose your language.
        > [Français]
        < Vous êtes d'accord ?
        > [Oui]
        < Quel est votre centre ?
        > [{centre}]
        < Quel est votre prénom ?
        > {name}
        < Que voulez-vous faire ?
        """
    )
    return phone


def test_two_centres_run_end_to_end_with_their_access_rules(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory(config_text=CONFIG)
    admin = Phone(emulator, ADMIN)
    admin.play("> /start\n< Choose your language.\n> [Français]\n< Quel est votre prénom ?")
    emulator.send_text(ADMIN, "/invite paris11 coordinator")
    coordinator_code = code_in(emulator.wait_for_text(ADMIN, "Code d'invitation pour Paris 11e"))
    emulator.send_text(ADMIN, "/invite lyon")
    lyon_code = code_in(emulator.wait_for_text(ADMIN, "Code d'invitation pour Lyon Part-Dieu"))

    # the coordinator opens the invitation link (/start <code>), then invites a volunteer
    cora = Phone(emulator, CORA)
    cora.play(
        f"""
        > /start {coordinator_code}
        < Bienvenue dans l'équipe de Paris 11e
        < Choose your language.
        > [Français]
        < Quel est votre prénom ?
        > /invite
        """
    )
    volunteer_code = code_in(emulator.wait_for_text(CORA, "Code d'invitation pour Paris 11e"))
    Phone(emulator, VIC).play(f"> {volunteer_code}\n< Bienvenue dans l'équipe de Paris 11e")
    Phone(emulator, LEO).play(f"> {lyon_code}\n< Bienvenue dans l'équipe de Lyon Part-Dieu")
    # each volunteer finds their commands in the app's menu; coordinators have more
    assert chat_commands(emulator, VIC) == [
        "menu",
        "help",
        "language",
        "stop",
        "people",
        "requests",
        "agenda",  # appointments (issue 12): the agenda and /rdv <n°>
        "offres",  # job offers (issue 13): the list, and /offre to enter one
        "offre",
        "person",
        "rdv",
    ]
    assert chat_commands(emulator, CORA)[-5:] == ["person", "rdv", "invite", "stats", "team"]
    # a used code does not work twice
    Phone(emulator, BILAL).play(f"> {volunteer_code}\n< Ce code a déjà servi")

    amina = beneficiary(emulator, AMINA, "Amina", "Paris 11e")
    beneficiary(emulator, BILAL, "Bilal", "Lyon Part-Dieu")
    amina.play(
        """
        > [Parler à un bénévole]
        < Voulez-vous qu'un bénévole de votre centre vous contacte ?
        > [Oui]
        < Les bénévoles sont là : mardi 9 h – 12 h
        """
    )
    # Paris' team is told, with a button to take the request; Lyon's is not
    emulator.wait_for_text(VIC, "Amina (Paris 11e) voudrait parler à un bénévole.")
    emulator.wait_for_text(CORA, "Amina (Paris 11e) voudrait parler à un bénévole.")
    vic = Phone(emulator, VIC)
    vic.play(
        """
        > [Je m'en occupe]
        < Merci ! Vous vous occupez d'Amina.
        """
    )
    amina.play("< Un bénévole a vu votre demande")
    vic.play(
        """
        > /people
        < Personnes suivies (Toutes)
        > [Amina]
        < pas encore de premier contact
        > [En recherche]
        < Amina est en recherche active
        > [Résultat]
        < Quel résultat pour Amina ?
        > [Cours de français]
        < À quelle date ?
        > [Aujourd'hui]
        < C'est noté pour Amina : Cours de français
        """
    )
    leo = Phone(emulator, LEO)
    leo.play("> /people\n< Personnes suivies (Toutes)")
    last = emulator.messages(LEO)[-1]
    lyon_list = last["text"] + str(last.get("reply_markup"))
    assert "Bilal" in lyon_list and "Amina" not in lyon_list
    amina_id = re.search(r"\(n° (\d+)\)", str(emulator.messages(VIC))).group(1)
    leo.play(
        f"> /person {amina_id}\n< Je ne trouve pas cette personne parmi celles de votre centre."
    )
    for chat in (LEO, BILAL):
        assert not [m for m in emulator.messages(chat) if "Amina" in m.get("text", "")]

    cora.play(
        """
        > /stats
        < personne suivie
        > [Exporter en CSV]
        < Les chiffres en CSV
        """
    )
    csv_text = wait_for_documents(emulator, CORA, 1)[0]["data"].decode("utf-8")
    assert csv_text.splitlines()[0].startswith("centre,")
    assert "paris11" in csv_text and "lyon" not in csv_text
    # beneficiaries do not have the volunteer commands
    amina.play("> /people\n< Je ne connais pas cette commande.")


def test_after_a_restart_a_volunteer_finds_her_menu_not_the_consent_question(
    emulator: TelegramEmulator, relais_factory
) -> None:
    """Marie volunteers in Paris 11e with her phone: she joins from the link, gives her first
    name, the bot restarts, and every message brings back her menu (two buttons to a row)."""
    bot = relais_factory(config_text=CONFIG)
    admin = Phone(emulator, ADMIN)
    admin.play("> /start\n< Choose your language.\n> [Français]\n< Quel est votre prénom ?")
    admin.play("> Nadia\n< Espace bénévole\n> /invite paris11")
    code = code_in(emulator.wait_for_text(ADMIN, "Code d'invitation pour Paris 11e"))
    marie = Phone(emulator, VIC)
    marie.play(
        f"""
        > /start {code}
        < Bienvenue dans l'équipe de Paris 11e
        < Choose your language.
        > [Français]
        < Quel est votre prénom ?
        > Marie
        < Merci, Marie !
        < Espace bénévole. Que voulez-vous faire ?
        """
    )
    bot.kill()
    bot.start().wait_ready()
    for typed in ("/start", "Bonjour", "/menu"):
        marie.play(f"> {typed}\n< Espace bénévole. Que voulez-vous faire ?")
    menu = emulator.last_message(VIC)
    rows = [[b["text"] for b in row] for row in menu["reply_markup"]["inline_keyboard"]]
    assert rows == [  # with job offers (issue 13)
        ["👥 Personnes", "🙋 Demandes en attente"],
        ["📅 Agenda", "💼 Offres"],
        ["❓ Aide"],
    ]
    assert not [m for m in emulator.messages(VIC) if "Vous êtes d'accord" in m.get("text", "")]
    marie.play("> [Personnes]\n< Personnes suivies (Toutes)")
    marie.play("> /stats\n< Cette commande est réservée aux coordinateurs de centre.")
