"""Answers people actually type: "valider", "aucun", "pas encor", "jsp", "deux", "так",
"j'ai pas d'email", "1er décembre"; and a question asked again without "Merci !".

Played as the people who type them: a mother with A2 French, a Ukrainian engineer with
beginner French, a 19-year-old with no diploma. The questions of the small flow below are
worded as in the real flows; the real flows are played where the point is theirs.
"""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings, load_settings
from bot.core.clock import Clock
from bot.flows.loader import load_flows
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands
from tests.conftest import ROOT, deployment_flows, fixed_clock

TRIAL = """
id = "essai"
title = "Essai"
menu = true
start = "email"

[[steps]]
id = "email"
type = "email"
prompt = "Quelle est votre adresse e-mail ?"
optional = true
next = "start_date"

[[steps]]
id = "start_date"
type = "date"
prompt = "À partir de quel jour ?"
not_before = "today"
optional = true
next = "age"

[[steps]]
id = "age"
type = "number"
prompt = "Quel âge avez-vous ?"
min = 16
max = 99
next = "children"

[[steps]]
id = "children"
type = "number"
prompt = "Combien d'enfants avez-vous ?"
min = 0
max = 20
next = "speaking"

[[steps]]
id = "speaking"
type = "choice"
prompt = "Vous parlez français ?"
options = [
  { value = "not_yet", label = "Pas encore" },
  { value = "a_little", label = "Un peu" },
  { value = "good", label = "Bien" },
  { value = "very_good", label = "Très bien" },
]
next = "childcare"

[[steps]]
id = "childcare"
type = "choice"
prompt = "Quelqu'un peut garder vos enfants quand vous travaillez ?"
options = [
  { value = "full_day", label = "Oui, toute la journée" },
  { value = "school_hours", label = "Aux heures d'école" },
  { value = "sometimes", label = "Parfois" },
  { value = "none", label = "Non, pas encore" },
]
next = "wanted"

[[steps]]
id = "wanted"
type = "multi_choice"
prompt = "Quel travail vous intéresse ?"
min_choices = 1
options = [
  { value = "cleaning", label = "Ménage et nettoyage" },
  { value = "childcare", label = "Garde d'enfants" },
  { value = "catering", label = "Cuisine et restauration" },
  { value = "dont_know", label = "Je ne sais pas encore" },
]
next = "qualities"

[[steps]]
id = "qualities"
type = "multi_choice"
prompt = "Quelles sont vos qualités au travail ?\\nChoisissez-en 3 au plus."
min_choices = 0
max_choices = 3
none_label = "Aucune"
options = [
  { value = "punctual", label = "Ponctuel, ponctuelle" },
  { value = "reliable", label = "Sérieux, sérieuse" },
  { value = "team", label = "J'aime travailler en équipe" },
  { value = "autonomous", label = "Autonome" },
  { value = "quick", label = "J'apprends vite" },
]
next = "vehicles"

[[steps]]
id = "vehicles"
type = "multi_choice"
prompt = "Vous avez un véhicule ?"
min_choices = 0
none_label = "Non"
options = [
  { value = "car", label = "Une voiture" },
  { value = "scooter", label = "Un scooter ou une moto" },
  { value = "bike", label = "Un vélo" },
]
next = "certificates"

[[steps]]
id = "certificates"
type = "multi_choice"
prompt = "Vous avez un de ces certificats ?"
min_choices = 0
options = [
  { value = "caces", label = "CACES (conduite de chariot)" },
  { value = "sst", label = "SST (secourisme au travail)" },
]
next = "training"

[[steps]]
id = "training"
type = "text"
prompt = "Quelle formation ?"
optional = true
next = "has_cv"

[[steps]]
id = "has_cv"
type = "yes_no"
prompt = "Vous avez un CV ?"
next = "done"

[[steps]]
id = "done"
type = "message"
text = "C'est fini."
"""

CONFIG = """
[general]
languages = ["fr", "en", "ar", "uk"]

[[centres]]
id = "paris11"
name = "Paris 11e"
"""

# Agreed, centre and first name given: at the menu, the trial flow's first question.
START = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> Fatou
> [Essai]
< Quelle est votre adresse e-mail ?
"""


def trial_settings(tmp_path: Path) -> Settings:
    flows = deployment_flows(tmp_path / "flows")
    (flows / "essai.toml").write_text(textwrap.dedent(TRIAL), encoding="utf-8")
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {"RELAIS_DATABASE": str(tmp_path / "db.sqlite3"), "RELAIS_FLOWS_DIR": str(flows)}
    return load_settings(config, env=env)


OpenTrial = Callable[[Clock], Any]


@pytest.fixture
async def open_trial(tmp_path: Path) -> AsyncIterator[OpenTrial]:
    """Relais with the trial flow, at the moment a given clock says."""
    opened: list[Relais] = []

    async def start(clock: Clock) -> Relais:
        relais = await open_relais(trial_settings(tmp_path), clock=clock)
        opened.append(relais)
        return relais

    yield start
    for relais in opened:
        await relais.close()


@pytest.fixture
async def trial(open_trial: OpenTrial) -> Relais:
    relais: Relais = await open_trial(fixed_clock)
    return relais


@pytest.fixture
def fatou(trial: Relais) -> Conversation:
    """A mother of two with A2 French."""
    return Conversation(trial, user="fatou")


async def answers_now(chat: Conversation) -> dict[str, Any]:
    """The answers of the flow in progress, else the saved profile."""
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", chat.user)
    if state.session.current is not None:
        return dict(state.session.current.answers)
    return dict(state.profile)


async def to_step(chat: Conversation, prompt: str) -> None:
    """Answer the trial flow's questions plainly until `prompt` is asked."""
    plain = [
        ("Quelle est votre adresse e-mail", "> [Passer]"),
        ("À partir de quel jour", "> [Passer]"),
        ("Quel âge avez-vous", "> 32"),
        ("Combien d'enfants", "> 2"),
        ("Vous parlez français", "> [Un peu]"),
        ("Quelqu'un peut garder vos enfants", "> [Parfois]"),
        ("Quel travail vous intéresse", "> [Ménage et nettoyage]\n> [Valider]"),
        ("Quelles sont vos qualités", "> [Autonome]\n> [Valider]"),
        ("Vous avez un véhicule", "> [Un vélo]\n> [Valider]"),
        ("Vous avez un de ces certificats", "> [Valider]"),
        ("Quelle formation", "> [Passer]"),
        ("Vous avez un CV", "> [Oui]"),
    ]
    await chat.play(START)
    for asked, answer in plain:
        if asked in prompt:
            await chat.play(f"< {prompt}")
            return
        await chat.play(answer)
    raise AssertionError(f"no question {prompt!r} in the trial flow")


# -- 1. Multiple choices: "valider", "ok", "c'est tout"; "aucun", "non", "rien" ---------------


@pytest.mark.parametrize("typed", ["valider", "Valider", "ok", "OK", "c'est tout", "c est tout"])
async def test_typing_valider_ok_or_c_est_tout_keeps_the_ticks(
    fatou: Conversation, typed: str
) -> None:
    await to_step(fatou, "Quel travail vous intéresse ?")
    await fatou.play(
        f"""
        > [Ménage et nettoyage]
        > [Garde d'enfants]
        > {typed}
        < Quelles sont vos qualités au travail ?
        """
    )
    assert (await answers_now(fatou))["wanted"] == ["cleaning", "childcare"]


async def test_a_question_that_can_have_no_answer_shows_a_button_for_it(
    fatou: Conversation,
) -> None:
    await to_step(fatou, "Quel travail vous intéresse ?")
    assert "Aucun" not in fatou.labels()  # here one answer at least is needed
    await fatou.play("> [Cuisine et restauration]\n> [Valider]")
    assert fatou.labels()[-3:-1] == ["Aucune", "Valider"]  # the qualities
    await fatou.play("> [Aucune]\n< ✅ Aucune\n< Vous avez un véhicule ?")
    assert "Non" in fatou.labels()
    await fatou.play("> [Non]\n< ✅ Non\n< Vous avez un de ces certificats ?")
    assert "Aucun" in fatou.labels()  # the engine's word when the flow names none
    await fatou.play("> [Valider]\n< ✅ Aucun\n< Quelle formation ?")  # nothing ticked
    found = await answers_now(fatou)
    assert (found["qualities"], found["vehicles"], found["certificates"]) == ([], [], [])


@pytest.mark.parametrize(
    "typed", ["non", "Non.", "aucun", "rien", "nan", "je n'ai pas", "pas de certificat", "none"]
)
async def test_typing_no_or_none_answers_nothing_where_nothing_is_an_answer(
    fatou: Conversation, typed: str
) -> None:
    await to_step(fatou, "Vous avez un de ces certificats ?")
    await fatou.play(
        f"""
        > [SST]
        > {typed}
        < Quelle formation ?
        """
    )
    assert (await answers_now(fatou))["certificates"] == []


async def test_no_where_an_answer_is_needed_says_choose_one(fatou: Conversation) -> None:
    await to_step(fatou, "Quel travail vous intéresse ?")
    await fatou.play(
        """
        > aucun
        < Choisissez au moins 1 réponse.
        < Quel travail vous intéresse ?
        > rien
        < Choisissez au moins 1 réponse.
        > [Garde d'enfants]
        > [Valider]
        < Quelles sont vos qualités
        """
    )


async def test_a_no_that_names_an_answer_is_not_read_as_nothing(fatou: Conversation) -> None:
    await to_step(fatou, "Vous avez un véhicule ?")
    await fatou.play(
        """
        > pas de voiture, un vélo
        < Je n'ai pas compris
        < Vous avez un véhicule ?
        > un vélo
        < Vous avez un de ces certificats ?
        """
    )
    assert (await answers_now(fatou))["vehicles"] == ["bike"]


async def test_the_maximum_is_refused_at_the_tick_that_passes_it(fatou: Conversation) -> None:
    await to_step(fatou, "Quelles sont vos qualités au travail ?")
    await fatou.play(
        """
        > [Ponctuel]
        > [Sérieux]
        > [Autonome]
        > [J'apprends vite]
        < Vous pouvez en choisir 3 au plus. Enlevez-en un d'abord.
        < Quelles sont vos qualités au travail ?
        """
    )
    ticked = [label for label in fatou.labels() if label.startswith("✅")]
    assert ticked == ["✅ Ponctuel, ponctuelle", "✅ Sérieux, sérieuse", "✅ Autonome"]
    await fatou.play(
        """
        > [Autonome]
        > [J'apprends vite]
        ! Enlevez-en
        > [Valider]
        < Vous avez un véhicule ?
        """
    )
    assert (await answers_now(fatou))["qualities"] == ["punctual", "reliable", "quick"]


# -- 2. The e-mail question: "non", "je n'ai pas", "pas de mail" mean skip -----------------------


@pytest.mark.parametrize(
    "typed",
    ["non", "je n'ai pas", "pas de mail", "j'ai pas d'email", "no", "Je n’ai pas d’e-mail", "rien"],
)
async def test_no_at_the_optional_e_mail_question_skips_it(fatou: Conversation, typed: str) -> None:
    await fatou.play(
        START
        + f"""
        > {typed}
        ! @
        < À partir de quel jour ?
        """
    )
    assert "email" not in await answers_now(fatou)


async def test_an_address_with_no_in_it_is_still_an_address(fatou: Conversation) -> None:
    await fatou.play(START + "> non.merci@exemple.fr\n< À partir de quel jour ?")
    assert (await answers_now(fatou))["email"] == "non.merci@exemple.fr"


@pytest.mark.parametrize("typed", ["pas encore", "je sais pas", "non"])
async def test_no_at_an_optional_date_skips_it(fatou: Conversation, typed: str) -> None:
    await fatou.play(START + f"> [Passer]\n> {typed}\n< Quel âge avez-vous ?")
    assert "start_date" not in await answers_now(fatou)


async def test_a_no_that_names_a_month_is_a_date_not_a_skip(fatou: Conversation) -> None:
    await fatou.play(
        START
        + """
        > [Passer]
        > pas avant décembre
        < Je ne comprends pas cette date. Écrivez-la comme ceci : 01/12/2026.
        < À partir de quel jour ?
        > 1er décembre
        < Quel âge avez-vous ?
        """
    )
    assert (await answers_now(fatou))["start_date"] == "2026-12-01"


async def test_the_example_of_a_date_to_come_is_to_come(fatou: Conversation) -> None:
    await fatou.play(
        START
        + """
        > [Passer]
        < À partir de quel jour ?
        < Écrivez la date comme ceci : 01/12/2026
        ! 23/11/2026
        > bientôt
        < Je ne comprends pas cette date. Écrivez-la comme ceci : 01/12/2026.
        ! 23/11/2026
        """
    )


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("1er décembre", "2026-12-01"),
        ("1 decembre", "2026-12-01"),
        ("le 3 janvier", "2027-01-03"),
        ("23 novembre", "2026-11-23"),  # today still counts
        ("22 novembre", "2027-11-22"),  # gone this year: next year's
        ("15/12", "2026-12-15"),
    ],
)
async def test_a_day_and_a_month_mean_the_next_one(
    fatou: Conversation, typed: str, saved: str
) -> None:
    # the clock says Monday 23 November 2026
    await fatou.play(START + f"> [Passer]\n> {typed}\n< Quel âge avez-vous ?")
    assert (await answers_now(fatou))["start_date"] == saved


async def test_on_5_december_the_first_of_december_is_next_year_s(open_trial: OpenTrial) -> None:
    relais = await open_trial(Hands(datetime(2026, 12, 5, 10, 0, tzinfo=UTC)))
    fatou = Conversation(relais, user="fatou")
    await fatou.play(
        START
        + """
        > [Passer]
        < Écrivez la date comme ceci : 01/01/2027
        > 1er décembre
        < Quel âge avez-vous ?
        """
    )
    assert (await answers_now(fatou))["start_date"] == "2027-12-01"


# -- 3. Misspellings, short forms, numbers in words, yes and no in one's language ---------------


async def test_a_mother_with_a2_french_types_as_she_speaks(fatou: Conversation) -> None:
    await to_step(fatou, "Quel âge avez-vous ?")
    await fatou.play(
        """
        > 34 ans
        < Combien d'enfants avez-vous ?
        > deux
        < Vous parlez français ?
        > un peux
        < Quelqu'un peut garder vos enfants
        > aucun
        < Quel travail vous intéresse ?
        > menage, garde d'enfant
        < Quelles sont vos qualités
        > [Sérieux]
        > c'est tout
        < Vous avez un véhicule ?
        > non
        < Vous avez un de ces certificats ?
        > rien
        < Quelle formation ?
        > non
        < Vous avez un CV ?
        > ouais
        < C'est fini.
        """
    )
    found = await answers_now(fatou)
    assert found["age"] == 34
    assert found["children"] == 2
    assert found["speaking"] == "a_little"
    assert found["childcare"] == "none"
    assert found["wanted"] == ["cleaning", "childcare"]
    assert found["qualities"] == ["reliable"]
    assert found["vehicles"] == found["certificates"] == []
    assert "training" not in found
    assert found["has_cv"] is True


async def test_a_nineteen_year_old_types_jsp_pas_encor_and_dix_neuf(trial: Relais) -> None:
    sam = Conversation(trial, user="sam")
    await to_step(sam, "Quel âge avez-vous ?")
    await sam.play(
        """
        > dix-neuf
        < Combien d'enfants avez-vous ?
        > zero
        < Vous parlez français ?
        > pas encor
        < Quelqu'un peut garder vos enfants
        > jsp
        < Je n'ai pas compris
        > [Parfois]
        < Quel travail vous intéresse ?
        > jsp
        < Quelles sont vos qualités
        > rien
        < Vous avez un véhicule ?
        > ouais un scooter
        < Je n'ai pas compris
        > scooter
        < Vous avez un de ces certificats ?
        > ok
        < Quelle formation ?
        > je sais pas
        < Vous avez un CV ?
        > nan
        < C'est fini.
        """
    )
    found = await answers_now(sam)
    assert (found["age"], found["children"]) == (19, 0)
    assert found["speaking"] == "not_yet"
    assert found["wanted"] == ["dont_know"]
    assert found["vehicles"] == ["scooter"]
    assert found["has_cv"] is False


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("pas encor", "not_yet"),
        ("PAS ENCORE", "not_yet"),
        ("non", "not_yet"),  # no, for now: the one answer that begins with "not"
        ("un peux", "a_little"),
        ("un peu", "a_little"),
        ("Un peu.", "a_little"),
        ("tres bien", "very_good"),
        ("bein", "good"),
    ],
)
async def test_a_close_spelling_of_one_answer_is_that_answer(
    fatou: Conversation, typed: str, saved: str
) -> None:
    await to_step(fatou, "Vous parlez français ?")
    await fatou.play(f"> {typed}\n< Quelqu'un peut garder vos enfants")
    assert (await answers_now(fatou))["speaking"] == saved


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("ouais", "full_day"),
        ("oui", "full_day"),
        ("nan", "none"),
        ("aucun", "none"),
        ("personne", None),  # not a word of yes or no: the buttons, please
        ("peut-être", None),
    ],
)
async def test_yes_or_no_stands_for_the_one_answer_that_begins_with_it(
    fatou: Conversation, typed: str, saved: str | None
) -> None:
    await to_step(fatou, "Quelqu'un peut garder vos enfants")
    if saved is None:
        await fatou.play(f"> {typed}\n< Je n'ai pas compris\n< Quelqu'un peut garder vos enfants")
        return
    await fatou.play(f"> {typed}\n< Quel travail vous intéresse ?")
    assert (await answers_now(fatou))["childcare"] == saved


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("ouais", True),
        ("o", True),
        ("d'accord", True),
        ("oui merci", True),
        ("yes", True),
        ("y", True),
        ("نعم", True),
        ("так", True),  # the Ukrainian word, typed in a French conversation
        ("nan", False),
        ("non merci", False),
        ("no", False),
        ("لا", False),
        ("ні", False),
    ],
)
async def test_yes_and_no_in_any_language_relais_speaks(
    fatou: Conversation, typed: str, saved: bool
) -> None:
    await to_step(fatou, "Vous avez un CV ?")
    await fatou.play(f"> {typed}\n< C'est fini.")
    assert (await answers_now(fatou))["has_cv"] is saved


async def test_a_ukrainian_engineer_answers_in_ukrainian(relais_uk: Relais) -> None:
    olena = Conversation(relais_uk, user="olena")
    await olena.play(
        """
        > /start
        > [Українська]
        < Ви згодні?
        > так
        < Дякую!
        > [Paris 11e]
        > Олена
        > [Оцінка моєї ситуації]
        < Ви говорите французькою?
        > трохи
        < Ви читаєте французькою?
        > ще ні
        < Ви пишете французькою?
        > ні
        < Ви вмієте користуватися смартфоном?
        > добре
        < У вас є адреса електронної пошти?
        > oui
        < Яка ваша адреса електронної пошти?
        > немає
        < Ви шукаєте роботу в інтернеті?
        > ні
        < До якого рівня ви навчалися?
        """
    )
    found = await answers_now(olena)
    assert (found["french_speaking"], found["french_reading"]) == ("a_little", "not_yet")
    assert found["french_writing"] == "not_yet"
    assert (found["smartphone"], found["has_email"]) == ("good", True)
    assert "email" not in found
    assert found["job_sites"] == "no"


@pytest.fixture
async def relais_uk(tmp_path: Path) -> AsyncIterator[Relais]:
    """The real flows, with Ukrainian among the languages."""
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "uk.sqlite3")})
    relais = await open_relais(settings, clock=fixed_clock)
    yield relais
    await relais.close()


# -- 4. After a wrong answer, the question again without "Merci !" ------------------------------


async def test_after_a_wrong_answer_the_question_comes_without_thanks(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        < Merci !
        < Quel est votre centre ?
        > je sais pas
        < Je n'ai pas compris
        < Quel est votre centre ?
        ! Merci
        > [Paris 11e]
        < Quel est votre prénom ?
        > [Retour]
        < Quel est votre centre ?
        ! Merci
        """
    )


def test_no_question_of_any_flow_begins_with_thanks() -> None:
    # A question is asked again after a wrong answer and after "Retour": a thanks in front of
    # it would thank for the mistake. Thanks go in a message step before the question.
    flows = load_flows(ROOT / "flows")
    thanking = [
        f"{flow.id}/{step.id}"
        for flow in flows.flows.values()
        for step in flow.steps.values()
        if step.is_question
        and step.prompt.strip().casefold().startswith(("merci", "bravo", "super", "parfait"))
    ]
    assert thanking == []


async def test_the_menu_reads_a_word_of_one_choice(chat: Conversation) -> None:
    # Fatou types the word she sees rather than pressing; "mon" is in several choices: no guess
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Paris 11e]
        > Fatou
        < Que voulez-vous faire ?
        > mon
        < Choisissez dans le menu avec les boutons
        > bilan
        < Vous parlez français ?
        > /menu
        > parler
        < Voulez-vous qu'un bénévole de votre centre vous contacte ?
        """
    )
