"""Answers to an appointment typed rather than pressed, as people write under a reminder:
Kevin writes "desolé je peux pas venir" and Marie is told as if he had pressed the button;
"oui j'arrive" is "Je viendrai"; Olena writes "так" in Ukrainian; words that name no answer
show the three buttons again; an old or past appointment leaves the menu as it was."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands
from tests.appointment_person_kit import (
    AMINA,
    PARIS,
    appointment_hands,  # noqa: F401  (the fixtures: relais, settings, hands)
    appointment_settings,  # noqa: F401
    book,
    deliver,
)
from tests.test_volunteers import join

CANNOT = "Amina (Paris 11e) ne peut pas venir au rendez-vous du mardi 8 décembre à 14 h 30."


async def answer_of(relais: Relais, number: int) -> str:
    async with relais.storage.transaction() as tx:
        found = await tx.appointment(number)
    assert found is not None
    return found.answer


async def told(relais: Relais, person: Conversation) -> str:
    """What reaches a volunteer now."""
    return await deliver(relais, person)


async def test_a_typed_i_cannot_come_is_the_button_and_marie_is_told(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    marie = await join(relais, "marie", "paris11")
    appointment = await book(relais, volunteer="marie")
    assert "Vous venez ?" in await deliver(relais, amina)
    await amina.play(
        """
        > desolé je peux pas venir demain jsuis malade
        < C'est noté. Le centre va vous proposer une autre date, ici dans Relais.
        < Que voulez-vous faire ?
        """
    )
    assert await answer_of(relais, appointment.id) == "cannot"
    assert CANNOT in await told(relais, marie)


async def test_yes_typed_under_the_confirmation_is_i_will_come(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais)
    await deliver(relais, amina)
    await amina.play("> oui j'arrive\n< Merci ! C'est noté : vous venez le mardi 8 décembre")
    assert await answer_of(relais, appointment.id) == "coming"


async def test_words_naming_no_answer_show_the_buttons_again(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais)
    await deliver(relais, amina)
    await amina.play(
        """
        > c'est où exactement ?
        < Pour répondre au rendez-vous du mardi 8 décembre à 14 h 30, appuyez sur un des boutons
        """
    )
    assert amina.labels() == ["✅ Je viendrai", "❌ Je ne peux pas venir", "📅 Changer la date"]
    # "I'll come" with a "not" in it is no answer either
    await amina.play("> je viendrai pas\n< appuyez sur un des boutons")
    assert await answer_of(relais, appointment.id) == ""
    await amina.play("> [Changer la date]\n< C'est noté. Le centre va vous proposer une autre date")
    assert await answer_of(relais, appointment.id) == "change"


async def test_olena_answers_in_ukrainian(relais: Relais) -> None:
    olena = Conversation(relais, user="olena")
    await olena.play(
        "> /start\n> [Українська]\n> [Так]\n> [Paris 11e]\n> Олена\n< Що ви хочете зробити?"
    )
    appointment = await book(relais, user="olena")
    await deliver(relais, olena)
    await olena.type("так")
    assert await answer_of(relais, appointment.id) == "coming"


async def test_an_old_or_past_appointment_leaves_the_menu_as_it_was(
    relais: Relais, hands: Hands
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais, starts_at=datetime(2026, 12, 20, 10, 0, tzinfo=PARIS))
    await deliver(relais, amina)
    # three days later the words are the menu's again
    hands.now += timedelta(days=3)
    await amina.play("> je peux pas venir\n< Choisissez dans le menu avec les boutons")
    assert await answer_of(relais, appointment.id) == ""
