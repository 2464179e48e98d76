"""Onboarding played as conversations: language, notice, consent, centre, first name."""

from __future__ import annotations

from bot.testing.conversation import Conversation


async def test_a_new_person_chooses_french_agrees_and_reaches_the_menu(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        < Choisissez votre langue.
        < Choose your language.
        > [Français]
        < Bonjour ! Je suis Relais.
        < voici ce que je garde sur vous
        < Seuls les bénévoles de votre centre
        < au plus 2 ans après votre dernier message
        < Vous êtes d'accord ?
        > [Oui]
        < Quel est votre centre ?
        > [Lyon Part-Dieu]
        < Quel est votre prénom ?
        > Amina
        < Bienvenue, Amina !
        < Que voulez-vous faire ?
        """
    )
    assert chat.labels() == [
        "Faire mon bilan",
        "Faire mon CV",
        "Parler à un bénévole",
        "Prendre rendez-vous",
        "Mes rendez-vous",
        "Offres d'emploi",  # issue 13
        "J'ai trouvé un travail !",
        "Mes données",
        "Aide",
        "Choisir ma langue",
    ]
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    assert state.person.locale == "fr"
    assert state.person.consent is True
    assert state.person.centre == "lyon"
    assert state.profile == {"first_name": "Amina"}


async def test_every_language_is_named_in_itself(chat: Conversation) -> None:
    await chat.type("/start")
    assert chat.labels() == ["Français", "English", "العربية"]


async def test_a_person_who_refuses_keeps_nothing_but_can_read_help_and_agree_later(
    chat: Conversation,
) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Non]
        < Je ne garde rien de personnel sur vous
        < Que voulez-vous faire ?
        ! Faire mon bilan
        """
    )
    assert chat.labels() == ["Donner mon accord", "Aide", "Choisir ma langue"]
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    assert state.person.consent is False
    assert state.profile == {}
    assert state.person.centre is None

    await chat.play(
        """
        > [Aide]
        < Relais
        > [Donner mon accord]
        < Vous êtes d'accord ?
        > [Oui]
        > [Paris 11e]
        > Jean-Marc
        < Bienvenue, Jean-Marc !
        """
    )
    assert "Faire mon bilan" in chat.labels()


async def test_typed_answers_work_where_buttons_are_offered(chat: Conversation) -> None:
    await chat.play(
        """
        > bonjour
        < Choisissez votre langue.
        > francais
        < Vous êtes d'accord ?
        > oui
        < Quel est votre centre ?
        > 2
        < Quel est votre prénom ?
        """
    )


async def test_back_returns_to_the_previous_question_and_keeps_going(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Paris 11e]
        < Quel est votre prénom ?
        > [Retour]
        < Quel est votre centre ?
        > [Lyon]
        < Quel est votre prénom ?
        > Amina
        < Bienvenue, Amina !
        """
    )
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    assert state.person.centre == "lyon"


async def test_the_first_question_has_nowhere_to_go_back_to(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > /back
        < Vous êtes déjà à la première question.
        < Vous êtes d'accord ?
        """
    )


async def test_the_language_can_be_changed_from_the_menu(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Paris 11e]
        > Amina
        > [Choisir ma langue]
        < Choose your language.
        > [English]
        < What would you like to do?
        """
    )
    assert chat.labels() == [
        "My assessment",
        "Make my CV",
        "Talk to a volunteer",
        "Ask for an appointment",
        "My appointments",
        "Job offers",  # issue 13
        "I found a job!",
        "My data",
        "Help",
        "Choose my language",
    ]
