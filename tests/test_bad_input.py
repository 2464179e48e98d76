"""Bad input: a short kind answer, the question again, nothing lost, nothing crashed."""

from __future__ import annotations

import pytest

from bot.core.answers import normalise_label
from bot.core.domain import EventKind, Inbound
from bot.core.matching import match_options
from bot.testing.conversation import Conversation

READY_FOR_NAME = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
< Quel est votre prénom ?
"""

AT_SELF_ASSESSMENT = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> Amina
> [Faire mon bilan]
> [Un peu]
< Vous lisez le français ?
"""


async def answers_in_progress(chat: Conversation) -> dict:
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    return state.session.current.answers if state.session.current else {}


async def test_free_text_where_a_button_is_expected(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > je ne sais pas trop
        < Je n'ai pas compris. Choisissez une réponse avec les boutons
        < Vous lisez le français ?
        > [Bien]
        < Vous écrivez le français ?
        """
    )
    assert (await answers_in_progress(chat))["french_speaking"] == "a_little"


async def test_the_start_or_a_key_word_of_one_answer_is_understood(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > tres bi
        < Vous écrivez le français ?
        > encore
        < Vous savez utiliser un smartphone
        """
    )
    found = await answers_in_progress(chat)
    assert (found["french_reading"], found["french_writing"]) == ("very_good", "not_yet")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("recevoir", ["get"]),  # the key word of one label
        ("tout eff", ["erase"]),  # the start of one label
        ("donnees", []),  # a word of two labels: no guess
        ("mes", []),  # too short to stand for a label
        ("garder mes donnees", ["keep"]),
    ],
)
def test_a_typed_answer_stands_for_one_option_or_none(typed: str, found: list[str]) -> None:
    options = [
        ("get", "Recevoir mes données"),
        ("keep", "Garder mes données"),
        ("erase", "Tout effacer"),
    ]
    assert match_options(options, normalise_label(typed)) == found


@pytest.mark.parametrize("media", ["sticker", "photo", "voice", "document", "location"])
async def test_stickers_photos_and_voice_notes_get_a_kind_answer(
    chat: Conversation, media: str
) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.send(Inbound(EventKind.MEDIA, media=media))
    assert "Je ne peux pas lire les photos, les sons ou les autocollants" in chat.text
    assert "Vous lisez le français ?" in chat.text
    assert (await answers_in_progress(chat))["french_speaking"] == "a_little"


async def test_a_ten_thousand_character_message(chat: Conversation) -> None:
    await chat.play(READY_FOR_NAME)
    await chat.type("A" * 10_000)
    assert "au plus 50" in chat.text
    assert "Quel est votre prénom ?" in chat.text
    assert len(chat.text) < 1000  # the long text is not echoed back
    await chat.play(
        """
        > Amina
        < Bienvenue, Amina !
        """
    )


@pytest.mark.parametrize("name", ["Zoé", "أمينة", "Олена", "אביגיל", "李娜"])
async def test_right_to_left_and_other_scripts_names_are_kept_as_typed(
    chat: Conversation, name: str
) -> None:
    await chat.play(READY_FOR_NAME)
    await chat.type(name)
    assert f"Bienvenue, {name} !" in chat.text


async def test_a_first_name_is_letters_without_what_is_said_around_it(
    chat: Conversation,
) -> None:
    await chat.play(
        READY_FOR_NAME
        + """
        > Zoé 🌸
        < Écrivez seulement les lettres de votre nom
        < Quel est votre prénom ?
        > je m appelle Zoé
        < Bienvenue, Zoé !
        """
    )


async def test_an_empty_or_invisible_answer_asks_again(chat: Conversation) -> None:
    await chat.play(READY_FOR_NAME)
    await chat.type("\u200b\u200b  ")
    assert "Quel est votre prénom ?" in chat.text


async def test_an_unknown_command_in_the_middle_of_a_flow(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > /hack
        < Je ne connais pas cette commande
        < Vous lisez le français ?
        """
    )


async def test_a_stale_button_is_refused_and_the_current_question_asked(
    chat: Conversation,
) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    old = chat.buttons[0]  # "Pas encore" of the reading question
    await chat.play("> [Bien]")
    await chat.send(Inbound(EventKind.BUTTON, data=old.data))
    assert "Ce bouton ne marche plus" in chat.text
    assert "Vous écrivez le français ?" in chat.text
    assert (await answers_in_progress(chat))["french_reading"] == "good"


@pytest.mark.parametrize(
    "data",
    ["", ":", "999999:v:good", "x" * 64, "5:v:../../etc", "1:m:self_assessment", "💥", "\x00"],
)
async def test_forged_button_data_changes_nothing(chat: Conversation, data: str) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    before = await answers_in_progress(chat)
    await chat.send(Inbound(EventKind.BUTTON, data=data))
    assert "Ce bouton ne marche plus" in chat.text
    assert "Vous lisez le français ?" in chat.text
    assert await answers_in_progress(chat) == before


async def test_a_forged_menu_button_cannot_open_a_flow_without_consent(
    chat: Conversation,
) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Non]
        < Que voulez-vous faire ?
        """
    )
    seq = chat.buttons[0].data.split(":")[0]
    await chat.send(Inbound(EventKind.BUTTON, data=f"{seq}:m:self_assessment"))
    assert "Ce bouton ne marche plus" in chat.text
    assert "Vous parlez français ?" not in chat.text


async def test_a_forged_value_for_the_current_question(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    seq = chat.buttons[0].data.split(":")[0]
    await chat.send(Inbound(EventKind.BUTTON, data=f"{seq}:v:native"))  # not an option here
    assert "Ce bouton ne marche plus" in chat.text
    assert "french_reading" not in await answers_in_progress(chat)


async def test_menu_in_the_middle_of_a_flow_keeps_the_answers(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > [Bien]
        > /menu
        < Que voulez-vous faire ?
        > [Aide]
        < Je suis Relais
        > [Faire mon bilan]
        < On reprend là où vous en étiez.
        < Vous écrivez le français ?
        """
    )
    answers = await answers_in_progress(chat)
    assert answers["french_speaking"] == "a_little"
    assert answers["french_reading"] == "good"


async def test_language_in_the_middle_of_a_flow_asks_the_same_question_in_english(
    chat: Conversation,
) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > /language
        < Choisissez votre langue.
        > [English]
        < Can you read French?
        """
    )
    assert (await answers_in_progress(chat))["french_speaking"] == "a_little"


async def test_help_in_the_middle_of_a_flow_explains_and_asks_again(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > /help
        < /menu : voir le menu
        < lire une affiche
        < Vous lisez le français ?
        """
    )


async def test_stop_then_start_comes_back_to_the_same_question(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > /stop
        < Relais ne vous enverra plus de messages
        > /start
        < Que voulez-vous faire ?
        > [Faire mon bilan]
        < On reprend
        < Vous lisez le français ?
        """
    )
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    assert state.person.stopped is False


async def test_a_date_in_the_past_or_impossible(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > [Pas encore]
        > [Pas encore]
        > [Pas encore]
        > [Non]
        > [Non]
        > [Pas d'école]
        > [Non]
        > [Non]
        > [Ménage]
        > [Valider]
        > [Ménage]
        > [Valider]
        > [26 ans ou plus]
        > [Non]
        > [À pied]
        > [Valider]
        > [15 minutes]
        > [Non]
        > [Tous les jours]
        > [Le matin]
        > [Valider]
        < Quel est le code postal
        > 7501
        < code postal
        > 00000
        < code postal
        > 75011
        > [À partir d'une date]
        < À partir de quel jour ?
        > 31/02/2027
        < Cette date n'existe pas
        > 12/03/2020
        < Cette date est déjà passée
        > demain matin peut-être
        < À partir de quel jour ?
        > 24/11/2026
        < Vous avez besoin d'un salaire rapidement ?
        """
    )
    answers = await answers_in_progress(chat)
    assert answers["start_date"] == "2026-11-24"
    assert answers["postcode"] == "75011"


async def test_an_invalid_email_asks_again_and_can_be_skipped(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > [Bien]
        > [Bien]
        > [Bien]
        > [Oui]
        < Quelle est votre adresse e-mail ?
        > amina at gmail
        < Quelle est votre adresse e-mail ?
        > [Passer]
        < Vous cherchez du travail sur internet ?
        """
    )
    assert "email" not in await answers_in_progress(chat)


async def test_too_few_choices_in_a_multiple_choice(chat: Conversation) -> None:
    await chat.play(AT_SELF_ASSESSMENT)
    await chat.play(
        """
        > [Bien]
        > [Bien]
        > [Bien]
        > [Non]
        > [Non]
        > [Pas d'école]
        > [Non]
        > [Non]
        < Quel travail pouvez-vous faire tout de suite ?
        > [Valider]
        < Choisissez au moins 1 réponse.
        < Quel travail pouvez-vous faire tout de suite ?
        > 1, 4
        < quel métier voulez-vous vraiment faire ?
        > [Valider]
        < Choisissez au moins 1 réponse.
        > 2
        < Quel âge avez-vous ?
        """
    )
    answers = await answers_in_progress(chat)
    assert answers["job_now"] == ["cleaning", "catering"]
    assert answers["sectors_wanted"] == ["personal_care"]


async def test_a_yes_no_question_answered_with_something_else(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [English]
        < Do you agree?
        > maybe later
        < Please answer yes or no.
        < Do you agree?
        > YES!
        < Which is your centre?
        """
    )
