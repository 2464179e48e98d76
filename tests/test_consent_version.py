"""The consent's version: recorded with its date, and asked again when the notice changes.

The notice's version is data in flows/onboarding.toml (`version` on the consent step). A copy of
the flows folder with a new version stands for the next release of the notice.
"""

from __future__ import annotations

import dataclasses
import shutil
import textwrap
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.flows.loader import load_flows
from bot.flows.model import FlowError
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, fixed_clock
from tests.conftest import ROOT

LATER = NOW + timedelta(days=3)  # Thursday 26 November 2026


def new_notice(tmp_path: Path, version: str = "2027-01") -> Path:
    """A copy of the project's flows whose notice has a new version."""
    folder = tmp_path / "flows-next"
    shutil.copytree(ROOT / "flows", folder)
    onboarding = folder / "onboarding.toml"
    text = onboarding.read_text(encoding="utf-8")
    assert 'version = "2026-11"' in text
    onboarding.write_text(text.replace('version = "2026-11"', f'version = "{version}"'), "utf-8")
    return folder


@pytest.fixture
async def reopen(
    settings: Settings, tmp_path: Path
) -> AsyncIterator[Callable[[Path, Callable[[], datetime]], object]]:
    """Open Relais again on the same database, with other flows and another clock."""
    opened: list[Relais] = []

    async def make(flows: Path, clock: Callable[[], datetime]) -> Relais:
        relais = await open_relais(dataclasses.replace(settings, flows_dir=flows), clock=clock)
        opened.append(relais)
        return relais

    yield make  # type: ignore[misc]
    for relais in opened:
        await relais.close()


async def consent_of(relais: Relais, user: str) -> tuple[bool | None, str | None, datetime | None]:
    async with relais.storage.transaction() as tx:
        person = (await tx.load_state("test", user)).person
    return person.consent, person.consent_version, person.consent_at


async def test_people_who_agreed_to_an_older_notice_are_asked_again(
    settings: Settings, tmp_path: Path, reopen
) -> None:
    first = await open_relais(settings, clock=fixed_clock)
    amina, marie = Conversation(first, "amina"), Conversation(first, "marie")
    await amina.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Lyon]
        > Amina
        > [Faire mon bilan]
        > [Un peu]
        < Vous lisez le français ?
        """
    )
    await marie.play("> /start\n> [Français]\n> [Non]\n< Je ne garde rien de personnel")
    assert await consent_of(first, "amina") == (True, "2026-11", NOW)
    await first.close()

    relais = await reopen(new_notice(tmp_path), lambda: LATER)
    amina.relais = marie.relais = relais
    await amina.play(
        """
        > bonjour
        < Ce que je fais de vos informations a changé.
        < voici ce que je garde sur vous
        < Seuls les bénévoles de votre centre voient ces informations.
        < Vous êtes d'accord ?
        ! Bonjour ! Je suis Relais.
        ! Vous lisez le français ?
        > /menu
        < Vous êtes d'accord ?
        ! Faire mon bilan
        > [Oui]
        < Merci ! On continue.
        < Vous lisez le français ?
        ! Quel est votre centre ?
        > /menu
        > [Mes données]
        < Vous avez donné votre accord le 26 novembre 2026 (version 2027-01 de la notice).
        < Prénom : Amina
        > [Garder mes données]
        > [Faire mon bilan]
        < On reprend là où vous en étiez.
        < Vous lisez le français ?
        """
    )
    assert await consent_of(relais, "amina") == (True, "2027-01", LATER)
    # someone who never agreed is not bothered with the new notice
    await marie.play(
        """
        > bonjour
        ! a changé
        ! Vous êtes d'accord ?
        < Choisissez dans le menu
        """
    )
    assert await consent_of(relais, "marie") == (False, None, None)


async def test_saying_no_to_the_new_notice_withdraws_consent_and_erases_the_answers(
    settings: Settings, tmp_path: Path, reopen
) -> None:
    first = await open_relais(settings, clock=fixed_clock)
    amina = Conversation(first, "amina")
    await amina.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Lyon]
        > Amina
        > [Parler à un bénévole]
        > [Oui]
        < Votre demande est gardée.
        > [Faire mon CV]
        > Benali
        < Amina BENALI
        > [Oui]
        < Quel est votre numéro de téléphone ?
        """
    )
    await first.close()

    relais = await reopen(new_notice(tmp_path), lambda: LATER)
    amina.relais = relais
    await amina.play(
        """
        > 06 12 34 56 78
        < Vous êtes d'accord ?
        > [Non]
        < Je ne garde rien de personnel sur vous.
        < Si vous changez d'avis, choisissez « Donner mon accord » dans le menu.
        < Que voulez-vous faire ?
        ! Faire mon CV
        ! Quel est votre numéro
        > bonjour
        ! Vous êtes d'accord ?
        """
    )
    async with relais.storage.transaction() as tx:
        state = await tx.load_state("test", "amina")
        assert state.person.id is not None
        assert await tx.help_requests_of(state.person.id) == []
    assert state.profile == {}
    assert state.session.stack == [] and state.session.paused == {}
    assert (state.person.consent, state.person.consent_version, state.person.centre) == (
        False,
        None,
        None,
    )
    assert "Donner mon accord" in amina.labels()
    # agreeing again later records the new version
    await amina.play(
        """
        > [Donner mon accord]
        < Bonjour ! Je suis Relais.
        > [Oui]
        > [Lyon]
        > Amina
        < Bienvenue, Amina !
        """
    )
    assert await consent_of(relais, "amina") == (True, "2027-01", LATER)


async def test_the_same_version_asks_nothing_again(settings: Settings, tmp_path: Path, reopen):
    first = await open_relais(settings, clock=fixed_clock)
    amina = Conversation(first, "amina")
    await amina.play("> /start\n> [Français]\n> [Oui]\n> [Lyon]\n> Amina")
    await first.close()
    amina.relais = await reopen(ROOT / "flows", lambda: LATER)
    await amina.play("> bonjour\n! Vous êtes d'accord ?\n< Que voulez-vous faire ?")
    assert await consent_of(amina.relais, "amina") == (True, "2026-11", NOW)


def test_the_project_notice_has_a_version() -> None:
    flows = load_flows(ROOT / "flows")
    assert flows.consent_version == "2026-11"
    assert flows.flows["onboarding"].notice == "notice_what"


LANGUAGE = """
id = "language"
role = "language"
requires_consent = false
[[steps]]
id = "choose"
type = "choice"
prompt = "Langue ?"
options_from = "languages"
save = "person.locale"
"""


def onboarding_error(tmp_path: Path, onboarding: str) -> str:
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "language.toml").write_text(LANGUAGE, encoding="utf-8")
    (folder / "onboarding.toml").write_text(textwrap.dedent(onboarding), encoding="utf-8")
    with pytest.raises(FlowError) as info:
        load_flows(folder)
    return str(info.value)


ONBOARDING = """
id = "onboarding"
role = "onboarding"
requires_consent = false
{flow}
[[steps]]
id = "notice"
type = "message"
text = "Voici ce que je garde."
next = "consent"

[[steps]]
id = "consent"
type = "yes_no"
prompt = "D'accord ?"
save = "person.consent"
{consent}
next = "other"

[[steps]]
id = "other"
type = "yes_no"
prompt = "Encore ?"
{other}
"""


@pytest.mark.parametrize(
    ("flow", "consent", "other", "expected"),
    [
        ("", "version = 2026", "", "step 'consent', field 'version': expected a text, got 2026"),
        (
            "",
            'version = "nov 2026"',
            "",
            "step 'consent', field 'version': expected a short name such as \"2026-11\"",
        ),
        ("", 'version = ""', "", "step 'consent', field 'version': expected a short name"),
        (
            "",
            'version = "2026-11"',
            'version = "2026-11"',
            "step 'other', field 'version': only the step that saves person.consent has a version",
        ),
        ('notice = "nowhere"', "", "", "field 'notice': unknown step 'nowhere'"),
        (
            'notice = "other"',
            "",
            "",
            "field 'notice': the step that saves person.consent cannot be reached from 'other'",
        ),
    ],
)
def test_a_bad_version_or_notice_is_named_at_load(
    tmp_path: Path, flow: str, consent: str, other: str, expected: str
) -> None:
    message = onboarding_error(tmp_path, ONBOARDING.format(flow=flow, consent=consent, other=other))
    assert "onboarding.toml" in message
    assert expected in message, message


def test_a_version_on_another_kind_of_step_is_refused(tmp_path: Path) -> None:
    message = onboarding_error(
        tmp_path,
        """
        id = "onboarding"
        role = "onboarding"
        [[steps]]
        id = "consent"
        type = "yes_no"
        prompt = "D'accord ?"
        save = "person.consent"
        next = "hello"

        [[steps]]
        id = "hello"
        type = "message"
        text = "Bonjour"
        version = "2026-11"
        """,
    )
    assert message.endswith(
        "onboarding.toml: step 'hello', field 'version': only allowed for steps of type yes_no"
    )
