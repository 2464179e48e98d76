"""Hostile tests of forged and late presses on buttons of messages Relais
starts ("R:<id>:<token>:<choice>"). Each test that was a finding failed
before its fix."""

from __future__ import annotations

from datetime import timedelta

from bot.core.domain import EventKind, Inbound
from bot.reach import erasure_warning
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands
from tests.test_desk_flows import marie_on_aminas_page
from tests.test_erasure_warning import MIDWAY_ONBOARDING, WARNED_AT, deliver

STALE = "Ce bouton ne marche plus. Voici la question en cours."


async def warned(relais: Relais, hands: Hands, user: str = "ana") -> tuple[Conversation, str]:
    person = Conversation(relais, user=user)
    await person.play(MIDWAY_ONBOARDING)
    hands.now = WARNED_AT
    await erasure_warning.sweep(relais, hands.now)
    await deliver(relais, person)
    [button] = person.buttons
    return person, button.data


async def test_a_forged_id_past_64_bits_is_a_stale_button_not_a_crash(
    relais: Relais, hands: Hands
) -> None:
    """Was a finding: \\d{1,19} lets through ids above SQLite's INTEGER range: OverflowError in
    tx.started_message, so the update fails (apology) instead of the stale-button answer."""
    ana, data = await warned(relais, hands)
    _, _, token, choice = data.split(":")
    forged = f"R:{'9' * 19}:{token}:{choice}"
    assert STALE in await ana.send(Inbound(EventKind.BUTTON, data=forged))
    assert "Quel est votre prénom ?" in ana.text


async def test_non_ascii_digits_in_the_id_are_not_read(relais: Relais, hands: Hands) -> None:
    """Was a finding: `\\d` matches Arabic-Indic digits; int() reads them, so forged data
    "R:١:…" presses the message whose id is 1 (the desk reads ids strictly, ASCII only)."""
    ana, data = await warned(relais, hands)
    _, number, token, choice = data.split(":")
    arabic = "".join(chr(0x0660 + int(d)) for d in number)
    assert STALE in await ana.send(Inbound(EventKind.BUTTON, data=f"R:{arabic}:{token}:{choice}"))


async def test_held_bad_shapes_are_stale(relais: Relais, hands: Hands) -> None:
    ana, data = await warned(relais, hands)
    _, number, token, choice = data.split(":")
    for forged in (
        "R:",
        "R",
        f"R:{number}:{token}",
        f"R:{number}::{choice}",
        f"R:{number}:{token}:{choice}:x",
        f"R:{number}:{token.upper()}:{choice}",
        f"R:{number}:{token}:{'x' * 60}",
        f"R:-{number}:{token}:{choice}",
        "R:" + "1" * 200,
    ):
        assert STALE in await ana.send(Inbound(EventKind.BUTTON, data=forged)), forged
        assert "Quel est votre prénom ?" in ana.text
    # the real one still works after all that
    ana.buttons = [b for b in ana.buttons if False]
    await ana.send(Inbound(EventKind.BUTTON, data=data))
    await ana.play("< Merci !")


async def test_any_choice_presses_the_one_button(relais: Relais, hands: Hands) -> None:
    """Was a finding: the choice part is never checked (bot/reach/erasure_warning.py press
    ignores it): "R:<id>:<token>:nope" keeps the data like "keep"."""
    ana, data = await warned(relais, hands)
    _, number, token, _ = data.split(":")
    assert STALE in await ana.send(Inbound(EventKind.BUTTON, data=f"R:{number}:{token}:nope"))


async def test_held_a_press_after_the_deadline(relais: Relais, hands: Hands) -> None:
    ana, data = await warned(relais, hands)
    hands.now = WARNED_AT + timedelta(days=31)  # past the deadline: expired
    assert STALE in await ana.send(Inbound(EventKind.BUTTON, data=data))


async def test_a_press_after_erasure_keeps_nothing(relais: Relais, hands: Hands) -> None:
    """After "Tout effacer", the old warning's button pressed: a stale answer."""
    bob, data = await warned(relais, hands, "bob")
    async with relais.storage.transaction() as tx:
        person = await tx.find_person("test", "bob")
        assert person is not None and person.id is not None
        await tx.erase_person(person.id, "erased", person.id)
    said = await bob.send(Inbound(EventKind.BUTTON, data=data))
    assert "Merci" not in said
    # (any event makes a new, empty person row: by design, as for a first message)
    number = int(data.split(":")[1])
    async with relais.storage.transaction() as tx:
        assert await tx.started_message(number) is None


async def test_a_volunteer_in_a_desk_flow_pressing_a_started_button_sees_a_raw_placeholder(
    relais: Relais,
) -> None:
    """Was a finding: service._started_button resumes the engine without the desk (no subject_name
    filled in): the desk flow's question comes back with a literal "{subject_name}"."""
    _, marie, _ = await marie_on_aminas_page(relais)
    await marie.play("> [CV à corriger]\n< ce qu'Amina Benali doit corriger")
    await marie.send(Inbound(EventKind.BUTTON, data="R:1:000000000000:keep"))
    assert "{subject_name}" not in marie.text, marie.text
    assert "Amina Benali" in marie.text
