"""The menu's "Offres d'emploi", played as conversations: Fatou, who receives offers and has
one waiting, reads it with its own buttons, then a choice that cannot be taken for an answer
to the offer ("↩ Menu", "🔕 Ne plus recevoir d'offres"): her typed "oui" changes nothing and
she is told to use the offer's buttons. Kevin, who stopped offers, reads only that, and one
question, "Recevoir à nouveau les offres d'emploi ?"; his "oui" turns them on again and lists
what waits. Each state has its own texts; English and Ukrainian read theirs."""

from __future__ import annotations

from bot.offers.domain import Offer
from bot.service import Relais
from bot.testing.conversation import Conversation
from tests.appointment_person_kit import (
    AMINA,
    OLENA,
    appointment_hands,  # noqa: F401  (the fixtures: relais, settings, hands)
    appointment_settings,  # noqa: F401
    deliver,
)
from tests.offer_person_kit import beneficiary, broadcast, fits, offer, send_state
from tests.test_offer_answers import buttons_of

MENU = "Que voulez-vous faire ?"
NOT_UNDERSTOOD = "Je n'ai pas compris. Choisissez une réponse avec les boutons, s'il vous plaît."
HINT = "Pour répondre à une offre, appuyez sur ses boutons, sous l'offre."
CHOICE = f"{HINT}\n[↩ Menu]\n[🔕 Ne plus recevoir d'offres]"
CHOICE_SAID = f"{HINT}\n< [↩ Menu]\n< [🔕 Ne plus recevoir d'offres]"  # in a script
UKRAINIAN = """
> /start
> [Українська]
> [Так]
> [Paris 11e]
> Олена
< Що ви хочете зробити?
"""


async def person_with_an_offer(
    relais: Relais, user: str, script: str = AMINA
) -> tuple[Conversation, Offer]:
    """Someone of Paris 11e whom the cleaning offer fits, with it delivered and not answered."""
    person = await beneficiary(relais, user, script)
    await fits(relais, user, phone="0612345678")
    job = await offer(relais)
    assert await broadcast(relais, job) == 1
    menu = list(person.buttons)
    await deliver(relais, person)
    person.buttons = menu  # the menu, still on screen above the offer
    return person, job


async def wants_offers(relais: Relais, user: str) -> bool:
    async with relais.storage.transaction() as tx:
        found = await tx.find_person("test", user)
        assert found is not None and found.id is not None
        return await tx.wants_offers(found.id)


async def stop_offers(relais: Relais, user: str) -> None:
    """As "🔕 Ne plus recevoir d'offres" under an offer did."""
    async with relais.storage.transaction() as tx:
        found = await tx.find_person("test", user)
        assert found is not None and found.id is not None
        assert await tx.set_wants_offers(found.id, False)


async def test_fatou_types_oui_under_the_offer_and_is_told_to_press_its_button(
    relais: Relais,
) -> None:
    fatou, job = await person_with_an_offer(relais, "fatou")
    text = await fatou.press("Offres d'emploi")
    assert text.startswith(
        "✅ Offres d'emploi\nVous recevez les offres d'emploi qui vous correspondent.\n"
        "Ces offres attendent votre réponse :\n💼 Agent d'entretien\n"
    )
    # the offer with its own answers, then a choice no "oui" can stand for
    assert text.endswith(
        "Cette offre vous intéresse ?\n[👍 Ça m'intéresse]\n[👎 Pas pour moi]\n"
        f"[🔕 Ne plus recevoir d'offres]\n{CHOICE}"
    )
    assert "Voulez-vous recevoir" not in text
    buttons_of(fatou, "💼 Agent d'entretien")
    offer_buttons = list(fatou.buttons)
    for typed in ("oui", "ça m'intéresse", "non"):
        await fatou.play(
            f"""
            > {typed}
            < {NOT_UNDERSTOOD}
            < {CHOICE_SAID}
            """
        )
    assert await wants_offers(relais, "fatou")  # neither turned on again nor off
    assert await send_state(relais, job, "fatou") == ("", "", "")  # nor taken as an answer
    # her interest is given with the offer's button, as the hint says
    fatou.buttons = offer_buttons
    await fatou.press("Ça m'intéresse")
    assert fatou.text.startswith("C'est noté ! Un bénévole de votre centre va vous rappeler")


async def test_kevin_who_stopped_offers_is_asked_once_and_turns_them_on_again(
    relais: Relais,
) -> None:
    kevin, job = await person_with_an_offer(relais, "kevin")
    await stop_offers(relais, "kevin")
    # only that he receives none, and one question: no offer above it to say "oui" to
    await kevin.play(
        """
        > [Offres d'emploi]
        < ✅ Offres d'emploi
        < Vous ne recevez plus d'offres d'emploi.
        < Recevoir à nouveau les offres d'emploi ?
        < [Oui]
        < [Non]
        > oui
        < C'est noté : vous recevrez les offres d'emploi qui vous correspondent.
        < Ces offres attendent votre réponse :
        < 💼 Agent d'entretien
        """
    )
    assert kevin.text.endswith(CHOICE + "\n[↩ Retour]")
    assert await wants_offers(relais, "kevin")
    assert await send_state(relais, job, "kevin") == ("", "", "")
    await kevin.play(
        f"""
        > [↩ Menu]
        < {MENU}
        """
    )
    assert await wants_offers(relais, "kevin")


async def test_a_no_keeps_offers_off(relais: Relais) -> None:
    kevin, _ = await person_with_an_offer(relais, "kevin")
    await stop_offers(relais, "kevin")
    await kevin.press("Offres d'emploi")
    await kevin.play(
        f"""
        > [Non]
        < {MENU}
        """
    )
    assert not await wants_offers(relais, "kevin")


async def test_each_state_says_only_its_own_texts(relais: Relais) -> None:
    fatou = await beneficiary(relais, "fatou", AMINA)
    # receiving, nothing waiting: the volunteers will send them
    await fatou.play(
        f"""
        > [Offres d'emploi]
        < ✅ Offres d'emploi
        < Vous recevez les offres d'emploi qui vous correspondent.
        < Aucune offre n'attend votre réponse. Les bénévoles de votre centre vous enverront celles qui vous correspondent.
        < {CHOICE_SAID}
        > [Ne plus recevoir d'offres]
        < C'est noté : vous ne recevrez plus d'offres d'emploi.
        < Pour en recevoir à nouveau, choisissez « Offres d'emploi » dans le menu.
        < {MENU}
        """  # noqa: E501  (one line of the conversation)
    )
    assert not await wants_offers(relais, "fatou")
    # stopped: nothing about what the volunteers will send
    text = await fatou.press("Offres d'emploi")
    assert text == (
        "✅ Offres d'emploi\nVous ne recevez plus d'offres d'emploi.\n"
        "Recevoir à nouveau les offres d'emploi ?\n[Oui]\n[Non]"
    )


async def test_english_and_ukrainian_read_their_own_words(relais: Relais) -> None:
    olena = await beneficiary(relais, "olena", OLENA)
    await stop_offers(relais, "olena")
    assert (await olena.press("Job offers")).startswith(
        "✅ Job offers\nYou no longer receive job offers.\nReceive job offers again?\n[Yes]"
    )
    oksana = await beneficiary(relais, "oksana", UKRAINIAN)
    assert (await oksana.press("Вакансії")).startswith(
        "✅ Вакансії\nВи отримуєте вакансії, які вам підходять.\n"
    )
    assert "Щоб відповісти на вакансію, натисніть її кнопки під вакансією." in oksana.text
