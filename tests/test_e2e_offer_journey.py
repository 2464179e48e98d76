"""A job offer's whole journey through Telegram: the real `relais run` against the Bot API
emulator (at Telegram's 30 messages a second). Marie, a volunteer of the Montreuil centre,
enters a cleaning job from the town hall with /offre, vets it, sees whom it fits and sends it:
50 people with a checked CV receive it, the 3 whose CV is not checked yet and the 5 it does not
fit do not. Some answer: interested, not for me (with a reason), stop offers. Marie receives a
relay task with the candidate's checked CV for each interested person, records two as sent to
the employer and one hire; `relais stats` then shows the funnel, and the hire as a result."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.service import open_relais
from bot.testing.moment import NOW
from bot.testing.phone import Phone
from bot.testing.relais_process import RelaisProcess
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_volunteers import volunteer

ADMIN, MARIE = 9301, 9302
FIRST = 9400  # the beneficiaries' Telegram ids: FIRST, FIRST + 1, …
MATCHED, UNCHECKED, ELSEWHERE = 50, 3, 5
CONFIG = """
[general]
admins = ["9301"]

[offers]
volunteers_vet = ["montreuil"]

[[centres]]
id = "montreuil"
name = "Centre de Montreuil"
address = "5 rue de Paris, 93100 Montreuil"
"""
CLEANER = {
    "job_now": ["cleaning"],
    "postcode": "93100",
    "travel_time": "30_min",
    "hours_available": ["early", "morning", "evening"],
    "days_available": "weekdays",
    "french_speaking": "a_little",
    "driving_licence": "none",
    "has_worked": True,
    "last_name": "Diallo",
    "phone": "+33612345678",
}


@pytest.fixture
def limited() -> Iterator[TelegramEmulator]:
    """The emulator with Telegram's flood limit: 30 messages a second."""
    with TelegramEmulator(messages_per_second=30) as emu:
        yield emu


async def seed(process: RelaisProcess) -> list[int]:
    """Write the centre's people (who did their bilan earlier) into the bot's database."""
    assert process.config_path is not None
    settings = load_settings(process.config_path, env={"RELAIS_DATABASE": str(process.database)})
    relais = await open_relais(settings, clock=lambda: NOW)
    users = list(range(FIRST, FIRST + MATCHED + UNCHECKED + ELSEWHERE))
    try:
        async with relais.storage.transaction() as tx:
            for index, user in enumerate(users):
                state = await tx.load_state("telegram", str(user))
                state.person.locale, state.person.consent = "fr", True
                state.person.centre = "montreuil"
                job = ["building"] if index >= MATCHED + UNCHECKED else ["cleaning"]
                state.profile.update({**CLEANER, "job_now": job, "first_name": f"Awa{index}"})
                await tx.save_state(state)
                assert state.person.id is not None
                checked = "checked" if index < MATCHED else "to_check"
                await tx.update_followup(state.person.id, cv_status=checked, searching=1)
    finally:
        await relais.close()
    return users


def relais_stats(process: RelaisProcess) -> str:
    """What `relais stats` prints for the centre, on the same database."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--centre", "montreuil"],
        env=process.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_an_offer_entered_vetted_sent_to_50_answered_and_relayed(
    tmp_path: Path, limited: TelegramEmulator
) -> None:
    emulator = limited
    process = RelaisProcess(tmp_path, emulator, config_text=CONFIG)
    users = asyncio.run(seed(process))
    matched, unchecked, elsewhere = (
        users[:MATCHED],
        users[MATCHED : MATCHED + UNCHECKED],
        users[MATCHED + UNCHECKED :],
    )
    emulator.open_chats(users)
    process.start().wait_ready()
    try:
        marie = volunteer(emulator, ADMIN, MARIE, "Marie", "montreuil", "Centre de Montreuil")
        marie.play(
            """
            > /offre
            < Quel est le poste ?
            > Agent d'entretien des écoles
            < Quel employeur ?
            > Mairie de Montreuil
            < Quel genre d'employeur ?
            > [Mairie]
            < Qui vous a transmis l'offre ?
            > [Mairie]
            < Dans quelle ville
            > Montreuil
            < Quel est le code postal
            > 93100
            < Quel contrat ?
            > [CDD]
            < Un CDD de combien de mois ?
            > 6
            < Temps plein ou temps partiel ?
            > [Temps partiel]
            < À quels moments ?
            > [Tôt le matin]
            > [Le soir]
            > [Valider]
            < Quel métier ?
            > [Ménage et nettoyage]
            < Quel niveau de français faut-il ?
            > [Un peu]
            < Faut-il le permis B ?
            > [Non]
            < Quelle expérience faut-il ?
            > [Débutant accepté]
            < Quel diplôme faut-il au moins ?
            > [Sans diplôme]
            < Le salaire, s'il est connu ?
            > SMIC
            < Quelques mots sur le travail
            > Nettoyage des écoles, tôt le matin et le soir.
            < Comment l'employeur veut-il recevoir les candidats ?
            > CV par e-mail à rh@montreuil.example
            < Jusqu'à quel jour l'offre est-elle valable ?
            > 31/12/2026
            < Voici ce que les personnes liront
            < 💼 Agent d'entretien des écoles
            < Contrat : CDD de 6 mois, temps partiel
            < Candidatures : CV par e-mail à rh@montreuil.example
            > [Valider]
            < Offre validée
            > [Qui peut la recevoir ?]
            < 53 personnes correspondent.
            < Proposables à l'employeur : 50.
            > [Envoyer aux 50 proposables]
            < l'offre part à 50 personnes
            """
        )
        report = emulator.wait_for_text(MARIE, "Envoi terminé", timeout=60)
        assert "Reçue : 50 sur 50." in report["text"]
        # a second tap on the same button sends nobody the offer twice
        marie.play("> [Envoyer aux 50 proposables]\n< Déjà envoyée à 50 personnes")

        for user in matched:
            emulator.wait_for_text(user, "Agent d'entretien des écoles")
        for user in unchecked + elsewhere:
            assert not emulator.messages(user), f"{user} was not to receive it"
        offer = emulator.messages(matched[0])[-1]["text"]
        assert "Nettoyage des écoles, tôt le matin et le soir." in offer
        assert "rh@montreuil.example" not in offer  # how to apply is the team's only

        interested = matched[:5]
        for user in interested:
            Phone(emulator, user).play(
                "> [Ça m'intéresse]\n< Un bénévole de votre centre va vous rappeler"
            )
        Phone(emulator, matched[5]).play(
            "> [Pas pour moi]\n< Pourquoi ?\n> [Les horaires]\n< des offres qui vous conviennent"
        )
        Phone(emulator, matched[6]).play(
            "> [Ne plus recevoir d'offres]\n< vous ne recevrez plus d'offres"
        )

        # one relay task each, with the checked CV to send to the employer
        for index in range(5):
            marie.play(f"< 🤝 Awa{index} Diallo (n°\n< Son CV est vérifié")
        deadline = time.monotonic() + 20
        while len(emulator.documents(MARIE)) < 5:
            assert time.monotonic() < deadline, emulator.transcript(MARIE)
            time.sleep(0.05)
        assert all(d["data"].startswith(b"%PDF") for d in emulator.documents(MARIE))
        marie.play(
            """
            > [Envoyée à l'employeur]
            < est envoyée à l'employeur. Le résultat ?
            > [Embauché]
            < est embauché·e pour « Agent d'entretien des écoles »
            """
        )
    finally:
        process.stop()
        print(process.logs()[-4000:])
        print(emulator.transcript(MARIE))

    figures = relais_stats(process)
    assert (
        "Offres d'emploi : reçues 1, vérifiées 1, envoyées 1, personnes touchées 50,"
        " personnes intéressées 5, candidatures à l'employeur 1, embauches 1"
    ) in figures, figures
    assert "Offres reçues de : Mairie 1" in figures
    assert "Résultats : 1 travail trouvé (CDD 1)" in figures  # the hire is an outcome
