"""Every answer type through the engine, on a small flow written for the test."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from tests.conftest import deployment_flows, fixed_clock

DEMO = """
id = "demo"
title = "Démo"
menu = true
start = "age"

[[steps]]
id = "age"
type = "number"
prompt = "Quel âge avez-vous ?"
min = 16
max = 99
next = "phone"

[[steps]]
id = "phone"
type = "phone"
prompt = "Votre numéro de téléphone ?"
next = "email"

[[steps]]
id = "email"
type = "email"
prompt = "Votre e-mail ?"
optional = true
next = "postcode"

[[steps]]
id = "postcode"
type = "postcode"
prompt = "Votre code postal ?"
next = "arrived"

[[steps]]
id = "arrived"
type = "date"
prompt = "Depuis quand habitez-vous ici ?"
not_after = "today"
next = "days"

[[steps]]
id = "days"
type = "multi_choice"
prompt = "Quels jours ?"
min_choices = 1
max_choices = 2
options = [
  { value = "mon", label = "Lundi" },
  { value = "tue", label = "Mardi" },
  { value = "wed", label = "Mercredi" },
]
next = "recap"

[[steps]]
id = "recap"
type = "message"
text = "Récapitulatif"
[[steps.lines]]
text = "Âge : {age}"
[[steps.lines]]
text = "Téléphone : {phone}"
[[steps.lines]]
text = "E-mail : {email}"
[[steps.lines]]
text = "Arrivée : {arrived}"
[[steps.lines]]
text = "Jours : {days}"
[[steps.lines]]
text = "Beaucoup de jours"
when = { field = "days", min = 2 }
"""


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[Relais]:
    flows = deployment_flows(tmp_path / "flows")
    (flows / "demo.toml").write_text(textwrap.dedent(DEMO), encoding="utf-8")
    settings = load_settings(
        None,
        env={"RELAIS_DATABASE": str(tmp_path / "db.sqlite3"), "RELAIS_FLOWS_DIR": str(flows)},
    )
    relais = await open_relais(settings, clock=fixed_clock)
    yield relais
    await relais.close()


async def test_every_answer_type_refuses_bad_input_then_accepts_good(demo: Relais) -> None:
    chat = Conversation(demo)
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Centre Relais]
        > Amina
        > [Démo]
        < Quel âge avez-vous ?
        < Écrivez un nombre.
        > douze
        < Quel âge avez-vous ?
        > 12
        < 16
        > ٣٢
        < Votre numéro de téléphone ?
        > 06 12 34
        < Votre numéro de téléphone ?
        > +33 6 12 34 56 78
        < Votre e-mail ?
        > [Passer]
        < Votre code postal ?
        > 75O11
        < Votre code postal ?
        > 69003
        < Depuis quand habitez-vous ici ?
        > 12/12/2030
        < Depuis quand habitez-vous ici ?
        > 3 mars 2021
        < Quels jours ?
        > [Lundi]
        > [Mardi]
        > [Mercredi]
        < Vous pouvez en choisir 2 au plus. Enlevez-en un d'abord.
        < Quels jours ?
        > [Valider]
        < Récapitulatif
        < Âge : 32
        < Téléphone : 06 12 34 56 78
        < Arrivée : 3 mars 2021
        < Jours : Lundi, Mardi
        < Beaucoup de jours
        ! E-mail
        """
    )
    async with demo.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    assert state.profile["age"] == 32
    assert state.profile["phone"] == "+33612345678"
    assert state.profile["arrived"] == "2021-03-03"
    assert state.profile["days"] == ["mon", "tue"]
    assert "email" not in state.profile


async def test_the_summary_is_written_for_the_person_s_language(demo: Relais) -> None:
    chat = Conversation(demo)
    await chat.play(
        """
        > /start
        > [English]
        > [Yes]
        > [Centre Relais]
        > John
        > [Démo]
        > 45
        > 0612345678
        > john@example.org
        > 13001
        > 1/2/2020
        > [Lundi]
        > [Done]
        < E-mail: john@example.org
        < Arrivée : February 1, 2020
        """
    )
