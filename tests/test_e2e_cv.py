"""The CV on Telegram: built by a person on a phone, sent as a PDF document, corrected, sent again.

The real `relais run` process talks to the Bot API emulator on loopback.
"""

from __future__ import annotations

import io
import json
import time

import pypdf

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_telegram import ONBOARDING_FR

OLENA = 5011

CV_START = """
> [Faire mon CV]
< Quel est votre nom de famille ?
"""

# Olena's first name came in Cyrillic from onboarding, her family name too: the CV asks for
# both as on her French papers, then shows the name as it will be written
OLENA_NAME = """
> Шевченко
< comme sur vos papiers français
< Votre prénom, avec les lettres a, b, c… ?
> Olena
< Votre nom de famille, avec les lettres a, b, c… ?
> Shevchenko
< Olena SHEVCHENKO
> [Oui]
"""

CV_REST = """
< Quel est votre numéro de téléphone ?
> 07 98 76 54 32
< Quelle est votre adresse e-mail ?
> [Passer]
< Dans quelle ville habitez-vous ?
> Lyon
< Quel est le code postal
> [Passer]
< Quel travail cherchez-vous ?
> Aide à domicile
< Présentez-vous en une phrase
> [Passer]
< Vous avez déjà travaillé ?
> [Oui]
< Quel était ce travail ?
> Aide-soignante
< Pour quel employeur ?
> Лікарня №3
< Dans quelle ville, ou dans quel pays ?
> Kyiv, Ukraine
< Quand avez-vous commencé ?
> 09/2015
< Vous faites encore ce travail aujourd'hui ?
> [Oui]
< Écrivez une tâche
> Soins aux patients
< Une autre tâche ?
> [Passer]
< Vous avez eu un autre travail ?
> [Non]
< Vous avez un diplôme
> [Non, pas de diplôme]
< Votre dernière école, c'était :
> [Université]
< C'était où ?
> [Dans un autre pays]
< Dans quel pays ?
> Ukraine
< Quelle langue ?
> [Ukrainien]
< Quel est votre niveau ?
> [Langue maternelle]
< Vous parlez une autre langue ?
> [Non]
< Vos savoir-faire
> [Aide à la personne]
> [Valider]
< Aide à la personne : qu'est-ce que vous savez faire ?
> [Aider à la toilette]
> [Valider]
< Vous savez faire autre chose ?
> [Passer]
< Quelles sont vos qualités au travail ?
> [Valider]
< Vous avez le permis de conduire ?
> [Non]
< Vous avez un véhicule ?
> [Valider]
< Vous avez un de ces certificats ?
> [Valider]
< Un autre certificat ?
> [Passer]
< Quels jours pouvez-vous travailler ?
> [Tous les jours]
< À quels moments pouvez-vous travailler ?
> [Le matin]
> [Valider]
< Qu'aimez-vous faire en dehors du travail ?
> [Passer]
< Voici votre CV, en français.
< choisissez « Mon CV » dans le menu
< Que voulez-vous faire ?
"""

CV_ON_A_PHONE = CV_START + OLENA_NAME + CV_REST


def pdf_text(document: dict) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document["data"]))
    return "\n".join(page.extract_text() for page in reader.pages)


def wait_for_documents(emulator: TelegramEmulator, chat_id: int, count: int) -> list[dict]:
    deadline = time.monotonic() + 30
    while len(emulator.documents(chat_id)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} documents received"
        time.sleep(0.05)
    return emulator.documents(chat_id)


def test_a_cv_built_on_a_phone_arrives_as_a_pdf_and_follows_a_correction(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory()
    phone = Phone(emulator, OLENA)
    phone.play(ONBOARDING_FR.replace("Amina", "Олена"))
    phone.play(CV_ON_A_PHONE)
    first = wait_for_documents(emulator, OLENA, 1)[0]
    # the name as on her French papers, in Latin letters
    assert first["file_name"] == "CV-Olena-SHEVCHENKO.pdf"
    assert first["mime_type"] == "application/pdf"
    text = pdf_text(first)
    for words in (
        "Olena SHEVCHENKO",
        "Лікарня №3",
        "septembre 2015 – aujourd'hui",
        "Ukrainien",
        "Études supérieures (Ukraine)",
    ):
        assert words in text, words

    phone.play(
        """
        > [Mon CV]
        < Voici votre CV, partie par partie.
        > [Expériences (1)]
        < 1. Aide-soignante
        > [1. Aide-soignante]
        < Dates : septembre 2015 – aujourd'hui
        > [Dates]
        < Quand avez-vous commencé ?
        > 09/2015
        < Vous faites encore ce travail aujourd'hui ?
        > [Non]
        < Quand avez-vous arrêté ?
        > 02/2022
        < C'est enregistré.
        < Dates : septembre 2015 – février 2022
        > [↩ Retour]
        < Expériences
        > [↩ Retour]
        < Voici votre CV, partie par partie.
        > [Recevoir mon CV]
        < Voici votre CV, en français.
        < Voici votre CV, partie par partie.
        """
    )
    documents = wait_for_documents(emulator, OLENA, 2)
    assert "septembre 2015 – février 2022" in pdf_text(documents[1])
    # the JSON Resume export is a volunteer's tool (the person's page), not in her menu
    last = emulator.messages(OLENA)[-1]
    assert "JSON" not in json.dumps(last.get("reply_markup", {}), ensure_ascii=False)
    # the CV is made when sent and never kept: no PDF bytes in the database, no names in logs
    assert "Шевченко" not in bot.logs() and "SHEVCHENKO" not in bot.logs()
    assert "document person=" in bot.logs()
