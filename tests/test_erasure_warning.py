"""The erasure warning, played with a fixed clock moved by hand: 30 days before someone silent
is erased, Relais tells them once, outside quiet hours, in their language, with a button
"Je suis toujours là" that keeps their data; pressed again or forged, it says so kindly.
Nobody who stopped Relais is warned; who does not answer is erased on the day."""

from __future__ import annotations

from datetime import timedelta

from bot.core.domain import EventKind, Inbound
from bot.reach import erasure_warning
from bot.reach.delivery import take_due
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, Hands

# Monday 23 October 2028, 12:00 in Paris: 700 days later, 30 days before the 730-day erasure
WARNED_AT = NOW + timedelta(days=700)
DEADLINE = NOW + timedelta(days=730)

MIDWAY_ONBOARDING = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
< Quel est votre prénom ?
"""


async def deliver(relais: Relais, person: Conversation) -> str:
    """What reaches `person` now from the queue; its buttons become theirs to press."""
    async with relais.storage.transaction() as tx:
        due = await take_due(tx, relais.catalogs, "test", relais.clock(), person.user)
    for message in (d.message for d in due):
        if message.buttons:
            person.buttons = [b for row in message.buttons for b in row]
    return "\n".join(d.message.text for d in due)


async def exists(relais: Relais, user: str) -> bool:
    async with relais.storage.transaction() as tx:
        return await tx.find_person("test", user) is not None


async def test_warned_once_30_days_before_and_the_button_keeps_the_data(
    relais: Relais, hands: Hands
) -> None:
    ana = Conversation(relais, user="ana")
    await ana.play(MIDWAY_ONBOARDING)
    hands.now = WARNED_AT - timedelta(hours=1)
    assert await erasure_warning.sweep(relais, hands.now) == 0  # not yet
    hands.now = WARNED_AT
    assert await erasure_warning.sweep(relais, hands.now) == 1
    assert await erasure_warning.sweep(relais, hands.now + timedelta(days=1)) == 0  # once
    warning = await deliver(relais, ana)
    assert warning == (
        "Bonjour. Vous n'avez pas écrit à Relais depuis longtemps. Comme promis, vos"
        " informations seront effacées le 22 novembre 2028. Pour les garder, appuyez sur"
        " « Je suis toujours là »."
    )
    assert ana.labels() == ["Je suis toujours là"]
    assert await deliver(relais, ana) == ""  # delivered once
    hands.now = WARNED_AT + timedelta(days=2)
    await ana.play(
        """
        > [Je suis toujours là]
        < Merci ! Vos informations sont gardées.
        < Quel est votre prénom ?
        """
    )
    # the deadline moved with the press: nothing goes on the day it was
    hands.now = DEADLINE + timedelta(hours=1)
    assert await relais.purge(hands.now) == 0
    assert await exists(relais, "ana")
    await ana.play("> Ana\n< Bienvenue, Ana !")


async def test_pressed_twice_forged_or_by_someone_else(relais: Relais, hands: Hands) -> None:
    ana = Conversation(relais, user="ana")
    await ana.play(MIDWAY_ONBOARDING)
    hands.now = WARNED_AT
    await erasure_warning.sweep(relais, hands.now)
    await deliver(relais, ana)
    [button] = ana.buttons
    await ana.play("> [Je suis toujours là]\n< Merci ! Vos informations sont gardées.")
    ana.buttons = [button]
    await ana.play(
        """
        > [Je suis toujours là]
        < C'est déjà fait : vos informations sont gardées.
        < Quel est votre prénom ?
        """
    )
    # the same data pressed by someone else, and forged tokens: like any stale button
    zoe = Conversation(relais, user="zoe")
    await zoe.play("> /start\n> [Français]\n< Vous êtes d'accord ?")
    stale = "Ce bouton ne marche plus. Voici la question en cours."
    assert stale in await zoe.send(Inbound(EventKind.BUTTON, data=button.data))
    assert "Vous êtes d'accord ?" in zoe.text
    prefix, number, token, choice = button.data.split(":")
    for forged in (
        f"{prefix}:{number}:{'0' * 12}:{choice}",
        f"{prefix}:{int(number) + 1}:{token}:{choice}",
        "R:not a button",
    ):
        assert stale in await ana.send(Inbound(EventKind.BUTTON, data=forged)), forged
        assert "Quel est votre prénom ?" in ana.text


async def test_who_stopped_or_blocked_is_not_warned_and_who_does_not_answer_is_erased_on_the_day(
    relais: Relais, hands: Hands
) -> None:
    bob = Conversation(relais, user="bob")
    await bob.play(MIDWAY_ONBOARDING + "> /stop")
    carl = Conversation(relais, user="carl")
    await carl.play(MIDWAY_ONBOARDING)
    dan = Conversation(relais, user="dan")
    await dan.play(MIDWAY_ONBOARDING)
    async with relais.storage.transaction() as tx:
        await tx.set_blocked("test", "dan", True)
    hands.now = WARNED_AT
    assert await erasure_warning.sweep(relais, hands.now) == 1
    assert await deliver(relais, bob) == ""
    assert await deliver(relais, dan) == ""
    assert "effacées le 22 novembre 2028" in await deliver(relais, carl)
    hands.now = DEADLINE - timedelta(minutes=5)
    assert await relais.purge(hands.now) == 0
    hands.now = DEADLINE + timedelta(minutes=5)
    assert await relais.purge(hands.now) == 3  # on the day, warned or not
    for user in ("bob", "carl", "dan"):
        assert not await exists(relais, user), user


async def test_a_warning_due_in_the_evening_waits_for_the_morning_in_its_language(
    relais: Relais, hands: Hands
) -> None:
    ana = Conversation(relais, user="ana")
    await ana.play("> /start\n> [English]\n> [Yes]\n< Which is your centre?")
    evening = WARNED_AT + timedelta(hours=9)  # Monday 21:00 in Paris
    hands.now = evening
    assert await erasure_warning.sweep(relais, evening) == 1
    assert await deliver(relais, ana) == ""
    hands.now = evening + timedelta(hours=11, minutes=29)  # Tuesday 08:29
    assert await deliver(relais, ana) == ""
    hands.now = evening + timedelta(hours=11, minutes=30)  # Tuesday 08:30
    assert "will be erased on November 22, 2028" in await deliver(relais, ana)
    assert ana.labels() == ["I'm still here"]
    await ana.play(
        "> [I'm still here]\n< Thank you! Your information is kept.\n< Which is your centre?"
    )


async def test_who_writes_in_the_evening_is_not_warned_the_next_morning(
    relais: Relais, hands: Hands
) -> None:
    ana = Conversation(relais, user="ana")
    await ana.play(MIDWAY_ONBOARDING)
    evening = WARNED_AT + timedelta(hours=9)  # Monday 21:00 in Paris: the warning waits
    hands.now = evening
    assert await erasure_warning.sweep(relais, evening) == 1
    hands.now = evening + timedelta(minutes=10)
    await ana.play("> /menu\n< Que voulez-vous faire ?")
    hands.now = evening + timedelta(hours=11, minutes=30)  # Tuesday 08:30
    assert await deliver(relais, ana) == ""
    # and the queue keeps no trace of it
    async with relais.storage.transaction() as tx:
        assert await take_due(tx, relais.catalogs, "test", hands.now, "ana") == []


async def test_who_was_at_the_menu_gets_the_menu_back_after_the_press(
    relais: Relais, hands: Hands
) -> None:
    ana = Conversation(relais, user="ana")
    await ana.play(MIDWAY_ONBOARDING + "> /menu\n< Que voulez-vous faire ?")
    hands.now = WARNED_AT
    assert await erasure_warning.sweep(relais, hands.now) == 1
    assert "seront effacées le 22 novembre 2028" in await deliver(relais, ana)
    await ana.play(
        "> [Je suis toujours là]\n< Merci ! Vos informations sont gardées.\n"
        "< Que voulez-vous faire ?\n< [Faire mon bilan]"
    )


async def test_who_never_agreed_is_not_warned(relais: Relais, hands: Hands) -> None:
    # nothing of theirs is kept but a language: there is nothing to keep, nothing to announce
    bob = Conversation(relais, user="bob")
    await bob.play("> /start\n> [Français]\n< Vous êtes d'accord ?")
    hands.now = WARNED_AT
    assert await erasure_warning.sweep(relais, hands.now) == 0
