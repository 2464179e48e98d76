"""Replies and messages Relais starts, planned by the shared runtime from their shaped form:
buttons, list messages (only where a channel has them), numbered text, edits and echoes."""

from __future__ import annotations

from typing import Any

from bot.channels.protocol import Capabilities
from bot.channels.replies import plan
from bot.channels.runtime import Runtime
from bot.channels.shaping import shape
from bot.channels.telegram import CAPABILITIES as TELEGRAM
from bot.channels.terminal import CAPABILITIES as TERMINAL
from bot.core.domain import Button, Message, Reply
from bot.reach.delivery import TIDY
from bot.service import Relais
from bot.testing.moment import fixed_clock
from tests.recording_channel import RecordingChannel


def question(count: int) -> Message:
    """A choice question with `count` options, one a row."""
    rows = tuple((Button(f"Choix {i}", f"7:v:c{i}"),) for i in range(1, count + 1))
    return Message("Quel choix ?", rows)


class ListChannel(RecordingChannel):
    """A channel with 3 buttons a message and list messages of up to 10 rows (as WhatsApp)."""

    name = "lists"
    capabilities = Capabilities(
        buttons_per_message=3, list_rows=10, label_length=20, can_edit=False
    )


def test_a_pressed_telegram_question_costs_one_urgent_call_and_a_tidying_after_everyone():
    pressed: dict[str, Any] = {"message_id": 41, "text": "Vous êtes d'accord ?"}
    echoed = plan(shape(Reply((question(2),), echo="Oui"), TELEGRAM), pressed, 4096)
    # the answer opens the next question; the pressed one loses its buttons when nobody waits
    assert [(c.method, c.priority) for c in echoed] == [
        ("sendMessage", None),
        ("editMessageReplyMarkup", TIDY),
    ]
    assert echoed[0].payload == {
        "text": "✅ Oui\n\nQuel choix ?",
        "keyboard": [[["Choix 1", "7:v:c1"]], [["Choix 2", "7:v:c2"]]],
    }
    assert echoed[1].payload == {"message_id": 41}
    # a press nothing follows (a last answer): the question shows it in place, as before
    alone = plan(shape(Reply(echo="Oui"), TELEGRAM), pressed, 4096)
    assert [c.method for c in alone] == ["editMessageText"]
    assert alone[0].payload == {
        "message_id": 41,
        "text": "Vous êtes d'accord ?\n\n✅ Oui",
        "keyboard": [],
    }
    ticked = plan(shape(Reply(edit=question(2)), TELEGRAM), pressed, 4096)
    assert [(c.method, c.payload["message_id"]) for c in ticked] == [("editMessageText", 41)]


def test_telegram_never_gets_a_list_message_even_with_too_many_buttons():
    calls = plan(shape(Reply((question(150),)), TELEGRAM), {}, 4096)
    assert [c.method for c in calls] == ["sendMessage"]
    assert calls[0].payload["text"].endswith("\n150. Choix 150")
    assert len(calls[0].payload["numbered"]) == 150


def test_the_terminal_gets_every_button_and_its_echo_apart_as_today():
    calls = plan(shape(Reply((question(9),), echo="Oui"), TERMINAL, pressed=False), {}, None)
    assert [c.payload.get("echo") for c in calls] == ["Oui", None]
    assert len(calls[1].payload["keyboard"]) == 9 and "numbered" not in calls[1].payload


async def test_a_list_channel_gets_list_messages_opened_by_a_label_in_the_persons_language(
    relais: Relais,
):
    channel = ListChannel()
    runtime = Runtime(relais, channel, fixed_clock, budgets=False)
    for line in ("/start", "English", "Yes", "Paris 11e", "Amina"):
        await runtime.journal_next("ana", {"sender": "ana", "text": line})
        await runtime.settle()
    lists = [c for c in channel.calls if c.method == "sendList"]
    assert lists, [c.payload.get("text") for c in channel.calls]
    menu = lists[-1].payload
    assert menu["opener"] == "See the choices"
    assert 3 < len(menu["rows"]) <= 10
    assert all(len(label) <= 20 for label, _ in menu["rows"])
    # no message got more buttons than the channel shows
    assert all(sum(map(len, c.payload.get("keyboard", []))) <= 3 for c in channel.calls)
