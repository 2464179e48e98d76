"""Recevoir mes données in both channels: the terminal writes the two files, Telegram sends them.

Both run the real process (`relais chat` with piped input, `relais run` against the Bot API
emulator) at the tests' fixed moment.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.privacy.erasure import documents_folder
from bot.testing.moment import NOW
from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_cv import CV_ON_A_PHONE, OLENA, wait_for_documents
from tests.test_e2e_telegram import ONBOARDING_FR
from tests.test_terminal_chat import CV_TYPED, chat


def test_the_terminal_writes_both_files_and_shows_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELAIS_CLOCK", NOW.isoformat())
    output = chat(tmp_path, [*CV_TYPED, "Mes données", "Recevoir mes données"])
    assert "Voici tout ce que Relais garde sur vous" in output, output[-3000:]
    shown = [Path(line.split("📄", 1)[1].strip()) for line in output.splitlines() if "📄" in line]
    folder = documents_folder(tmp_path / "documents", "amina")
    assert shown[-2:] == [
        folder / "relais-mes-donnees-2026-11-23.txt",
        folder / "relais-mes-donnees-2026-11-23.json",
    ]
    text = shown[-2].read_text(encoding="utf-8")
    assert "le 23 novembre 2026 (version 2026-11 de la notice)." in text
    assert "• Quel est votre nom de famille ?\n  Benali" in text
    assert "Compte : Terminal n° amina" in text
    data = json.loads(shown[-1].read_text(encoding="utf-8"))
    assert data["answers"]["last_name"] == "Benali"
    assert data["answers"]["jobs_sought"] == "Plongeur"
    assert data["person"]["channel"] == "terminal"


def test_telegram_sends_both_files_made_when_asked(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory()
    phone = Phone(emulator, OLENA)
    phone.play(ONBOARDING_FR.replace("Amina", "Олена"))
    phone.play(CV_ON_A_PHONE)
    wait_for_documents(emulator, OLENA, 1)  # the CV
    phone.play(
        """
        > [Mes données]
        < Vous avez donné votre accord le 23 novembre 2026 (version 2026-11 de la notice).
        < Que voulez-vous faire ?
        > [Recevoir mes données]
        < Voici tout ce que Relais garde sur vous, dans un fichier à lire.
        < Relais n'en garde pas de copie.
        """
    )
    text_file, json_file = wait_for_documents(emulator, OLENA, 3)[1:]
    assert text_file["file_name"] == "relais-mes-donnees-2026-11-23.txt"
    text = text_file["data"].decode("utf-8")
    for expected in (
        "Compte : Telegram n° 5011",
        "• Quel est votre prénom ?\n  Olena",  # as on her French papers, for the CV
        "• Pour quel employeur ?\n     Лікарня №3",
        "CV : CV à vérifier",
    ):
        assert expected in text, f"{expected!r} not in:\n{text}"
    assert json_file["file_name"] == "relais-mes-donnees-2026-11-23.json"
    data = json.loads(json_file["data"])
    assert data["answers"]["last_name"] == "Shevchenko"
    assert data["cv_json_resume"]["basics"]["name"] == "Olena SHEVCHENKO"
