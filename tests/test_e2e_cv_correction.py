"""A volunteer corrects a CV end to end: the real `relais run` process against the Bot API
emulator. Olena, a Ukrainian engineer with beginner French, wrote a task of her CV in
Ukrainian; Vic, a volunteer of her centre, writes it in French from her page, marks the CV
"qualifié" and sends its JSON Resume; Olena is told in Ukrainian what changed; an admin reads
the audit (which field, never its value)."""

from __future__ import annotations

import json
import re

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_cv import CV_ON_A_PHONE, wait_for_documents
from tests.test_e2e_telegram import ONBOARDING_FR
from tests.test_e2e_volunteers import code_in

ADMIN, VIC, OLENA = 9101, 9103, 5021

CONFIG = """
[general]
admins = ["9101"]
languages = ["fr", "en", "uk"]

[[centres]]
id = "paris11"
name = "Paris 11e"
"""


def test_a_volunteer_corrects_a_cv_on_the_phone_and_the_person_is_told(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    admin = Phone(emulator, ADMIN)
    admin.play("> /start\n< Choose your language.\n> [Français]\n< Quel est votre prénom ?")
    emulator.send_text(ADMIN, "/invite paris11")
    code = code_in(emulator.wait_for_text(ADMIN, "Code d'invitation pour Paris 11e"))
    vic = Phone(emulator, VIC)
    vic.play(f"> {code}\n< Bienvenue dans l'équipe de Paris 11e")

    olena = Phone(emulator, OLENA, language_code="uk")
    olena.play(ONBOARDING_FR.replace("[Centre Relais]", "[Paris 11e]").replace("Amina", "Олена"))
    olena.play(CV_ON_A_PHONE.replace("> Soins aux patients", "> Догляд за пацієнтами"))
    olena.play("> /language\n< Choose your language.\n> [Українська]\n< Що ви хочете зробити?")

    vic.play(
        """
        > /people
        < Personnes suivies (Toutes)
        > [Olena Shevchenko]
        < 1 champ du CV n'est pas en français (voir le CV).
        > [Corriger le CV]
        < ✍️ Correction du CV – Olena Shevchenko
        > [Expériences (1)]
        < 1. Aide-soignante
        > [1. Aide-soignante]
        < Tâches : Догляд за пацієнтами
        > [Tâches]
        < Aujourd'hui, le CV dit : Догляд за пацієнтами
        > Soins aux patients
        < Une autre tâche ?
        > [Passer]
        < C'est enregistré.
        < Tâches : Soins aux patients
        > [Retour]
        < Expériences
        > [Retour]
        < Choisissez une partie pour la corriger.
        > [Terminé]
        < Olena Shevchenko sera prévenu(e) de ce qui a changé : Expériences (tâches).
        > [CV qualifié]
        < le CV d'Olena Shevchenko est qualifié
        < À faire :
        > [JSON Resume]
        < au format JSON Resume
        """
    )
    resume = json.loads(wait_for_documents(emulator, VIC, 1)[0]["data"])
    assert resume["work"][0]["highlights"] == ["Soins aux patients"]

    # Olena reads what changed in her language, then sees it in "Mon CV"
    told = emulator.wait_for_text(OLENA, "Ваш волонтер виправив ваше резюме", timeout=30)
    assert told["text"] == (
        "Ваш волонтер виправив ваше резюме: Досвід роботи (завдання). "
        "Його можна переглянути в «Моє резюме»."
    )
    olena.play("< Гарна новина: волонтер перевірив ваше резюме.", timeout=30)
    olena.play(
        """
        > /menu
        < Що ви хочете зробити?
        > [Моє резюме]
        < Ось ваше резюме
        > [Досвід роботи (1)]
        < 1. Aide-soignante
        > [1. Aide-soignante]
        < Soins aux patients
        """
    )

    # the admin reads who corrected which field of whose CV, and nothing it says
    emulator.send_text(ADMIN, "/audit")
    log = emulator.wait_for_text(ADMIN, "Journal des accès")["text"]
    olena_id = re.search(r"personne n° (\d+)", log).group(1)
    assert f"a corrigé le CV de la personne n° {olena_id} : Expériences 1 (Tâches)" in log
    assert f"a ouvert le CV (JSON Resume) de la personne n° {olena_id}" in log
    assert "Soins" not in log and "Догляд" not in log
    assert "Shevchenko" not in bot.logs() and "Догляд" not in bot.logs()
