"""The test-only channel with 3 buttons, no list messages and no edits: onboarding,
self-assessment and the desk, as a person on such a channel sees them (longer choices are
numbered text answered with a typed number, which also holds after a restart)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.service import Relais, open_relais
from bot.testing.moment import fixed_clock
from bot.testing.test_channel import CHANNEL, Running, SmallPhone, most_buttons
from tests.test_flow_cv import CV_FR
from tests.test_flow_self_assessment import AMINA_FR, ONBOARDING_FR

CONFIG_FOUR_LANGUAGES = """
[general]
languages = ["fr", "en", "ar", "uk"]

[[centres]]
id = "paris11"
name = "Paris 11e"

[[centres]]
id = "lyon"
name = "Lyon Part-Dieu"
"""


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    """Relais with 4 languages and 2 centres on a real SQLite file, on the small channel."""
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG_FOUR_LANGUAGES, encoding="utf-8")
    settings = load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "relais.sqlite3")})
    app = Running(await open_relais(settings, clock=fixed_clock))
    yield app
    await app.relais.close()  # the last one, after any restart


def assert_fits_the_channel(running: Running) -> None:
    """Never more than 3 buttons on a message, and nothing edited: only new messages."""
    everything = [seen for screen in running.channel.screens.values() for seen in screen]
    assert everything
    assert most_buttons(everything) <= 3
    assert {call.method for call in running.channel.calls} <= {"sendMessage", "sendDocument"}


async def test_onboarding_with_four_languages_numbered_and_three_buttons(running: Running):
    ana = running.phone("ana")
    await ana.play(
        """
        > /start
        < Choisissez votre langue.
        < 1. Français
        < 2. English
        < 3. العربية
        < 4. Українська
        > 1
        < ✅ Français
        < Bonjour ! Je suis Relais.
        < Vous êtes d'accord ?
        < [Oui]
        < [Non]
        > [Oui]
        < ✅ Oui
        < Quel est votre centre ?
        < [Paris 11e]
        < [Lyon Part-Dieu]
        < [↩ Retour]
        > [Paris 11e]
        < Quel est votre prénom ?
        > Amina
        < Bienvenue, Amina !
        < Que voulez-vous faire ?
        < 1. Faire mon bilan
        < 10. Choisir ma langue
        """
    )
    async with running.relais.storage.transaction() as tx:
        state = await tx.load_state(CHANNEL, "ana")
    assert (state.person.locale, state.person.consent, state.person.centre) == (
        "fr",
        True,
        "paris11",
    )
    assert_fits_the_channel(running)


async def test_arabic_chosen_by_its_number(running: Running):
    sara = running.phone("sara")
    await sara.play(
        """
        > /start
        > 3
        < ✅ العربية
        ! Vous êtes d'accord ?
        """
    )
    async with running.relais.storage.transaction() as tx:
        assert (await tx.load_state(CHANNEL, "sara")).person.locale == "ar"


async def test_a_typed_2_still_means_the_second_choice_after_a_restart(running: Running):
    ana = running.phone("ana")
    await ana.play(ONBOARDING_FR)
    await ana.play("< 2. Faire mon CV")
    await running.restart()
    await ana.play(
        """
        > 2
        < ✅ Faire mon CV
        < Quel est votre nom de famille ?
        """
    )


async def test_a_number_after_a_newer_question_does_not_press_an_old_choice(running: Running):
    ana = running.phone("ana")
    await ana.play(
        """
        > /start
        < 2. English
        > 1
        < Vous êtes d'accord ?
        # "2" would have been English on the list above: here it is an answer to yes or no
        > 2
        ! English
        ! ✅
        < Vous êtes d'accord ?
        """
    )
    async with running.relais.storage.transaction() as tx:
        state = await tx.load_state(CHANNEL, "ana")
    assert (state.person.locale, state.person.consent) == ("fr", None)


async def test_the_whole_self_assessment_reads_the_same_with_typed_numbers(running: Running):
    ana = running.phone("ana")
    await ana.play(ONBOARDING_FR)
    # the same script as on a channel with every button: choices on numbered text are typed
    await ana.play(AMINA_FR)
    await ana.play(
        """
        > [Oui]
        < Quel âge ont vos enfants ?
        > [3 ans ou plus]
        < Quelqu'un peut garder vos enfants
        > [Aux heures d'école]
        # a multiple choice: each tick comes as a new message, never an edit
        < Comment pouvez-vous aller au travail ?
        < 1. À pied
        > 1
        < 1. ✅ À pied
        > [En transports]
        < ✅ En transports
        > [Valider]
        < Combien de temps de trajet
        > [30 minutes]
        > [Non]
        < Quels jours pouvez-vous travailler ?
        > [Du lundi au vendredi]
        > [Le matin]
        > [Valider]
        < Quel est le code postal
        > 75 011
        < Quand pouvez-vous commencer
        > [À partir d'une date]
        < À partir de quel jour ?
        > 01/12/2026
        < Vous avez besoin d'un salaire rapidement ?
        > [très vite]
        > [Oui]
        > [Non]
        < Voici votre bilan
        < Français : vous parlez un peu, vous ne lisez pas encore, vous n'écrivez pas encore.
        < Plus tard, votre projet : Ménage et nettoyage, Cuisine et restauration.
        < À faire d'abord :
        < Que voulez-vous faire ?
        > [Voir le détail de mon bilan]
        < Couturière (Plus de 2 ans); Plonge au restaurant (Moins de 6 mois)
        < Disponible : Du lundi au vendredi, Le matin
        < Prochaines actions
        # the plan's last line is a button: an appointment, or not now
        < Prendre rendez-vous avec un bénévole de votre centre
        > [Pas maintenant]
        < Que voulez-vous faire ?
        """
    )
    async with running.relais.storage.transaction() as tx:
        state = await tx.load_state(CHANNEL, "ana")
    assert state.profile["french_speaking"] == "a_little"
    assert state.profile["sectors_wanted"] == ["cleaning", "catering"]
    assert state.profile["postcode"] == "75011"
    assert state.profile["start_date"] == "2026-12-01"
    assert state.session.stack == []
    assert ana.typed_numbers > 10
    assert_fits_the_channel(running)


async def join(running: Running, user: str, centre: str) -> SmallPhone:
    """A volunteer of a centre, joined with a fresh invitation code."""
    invitation = await running.relais.invite(centre, "volunteer", created_by=None)
    assert invitation is not None
    volunteer = running.phone(user)
    await volunteer.play(f"> /start {invitation[0]}\n< Bienvenue dans l'équipe\n> [Français]")
    return volunteer


async def test_the_desk_lists_people_and_opens_a_page_on_three_buttons(running: Running):
    amina = running.phone("amina")
    await amina.play(ONBOARDING_FR + CV_FR)
    marie = await join(running, "marie", "paris11")
    await marie.play(
        """
        > /people
        < Personnes suivies (Toutes) – page 1 sur 1
        < Amina Benali · CV à vérifier
        > [Amina Benali]
        < Amina Benali (n°
        < Contact : 06 12 34 56 78
        < Statut : CV à vérifier
        > [CV qualifié]
        < le CV d'Amina Benali est qualifié
        < Statut : CV qualifié
        """
    )
    # the notice to Amina arrives on her phone, through the same shaping
    assert any("un bénévole a vérifié votre CV" in seen.text for seen in amina.screen)
    await marie.play(
        """
        > [Résultat]
        < Quel résultat pour Amina Benali ?
        > [Travail trouvé]
        < Quel contrat ?
        > [CDI]
        < À quelle date ?
        > 31/02/2026
        < Cette date n'existe pas
        > [Aujourd'hui]
        < C'est noté pour Amina Benali : Travail trouvé (CDI), le 23 novembre 2026.
        """
    )
    async with running.relais.storage.transaction() as tx:
        found = await tx.find_person(CHANNEL, "amina")
        assert found is not None and found.id is not None
        outcomes = await tx.outcomes_of(found.id)
    assert [(o.kind, o.contract) for o in outcomes] == [("job", "cdi")]
    assert marie.typed_numbers > 0
    assert_fits_the_channel(running)


async def test_a_restart_keeps_the_database_and_the_screens(running: Running):
    ana = running.phone("ana")
    await ana.play("> /start")
    first: Relais = running.relais
    again = await running.restart()
    assert again is not first and running.relais is again
    assert ana.screen[0].numbered == ("Français", "English", "العربية", "Українська")
