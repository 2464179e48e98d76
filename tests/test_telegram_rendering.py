"""How engine messages become Telegram calls: limits, buttons, right-to-left text, events."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.channels.replies import rows
from bot.channels.shaping import directed, split_text
from bot.channels.telegram import TEXT_LIMIT
from bot.channels.telegram_calls import keyboard
from bot.channels.telegram_updates import to_inbound
from bot.core.domain import Button, EventKind, Message


def test_long_texts_are_cut_at_line_breaks_within_telegram_limits() -> None:
    text = "\n".join(f"ligne {i} " + "x" * 90 for i in range(100))  # about 10,000 characters
    pieces = split_text(text, TEXT_LIMIT)
    assert all(1 <= len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text
    assert all(p.startswith("ligne") for p in pieces)


def test_a_text_without_line_breaks_is_cut_anyway() -> None:
    pieces = split_text("é" * 10_000, TEXT_LIMIT)
    assert [len(p) for p in pieces] == [4096, 4096, 1808]
    assert split_text("", TEXT_LIMIT) == ["…"]


def test_right_to_left_lines_start_with_a_direction_mark() -> None:
    message = Message("/menu : القائمة\n• مرحبا", rtl=True)
    assert directed(message.text, message.rtl) == "\u200f/menu : القائمة\n\u200f• مرحبا"
    assert directed("Bonjour", False) == "Bonjour"


def test_buttons_round_trip_through_the_outbox_form() -> None:
    message = Message("?", ((Button("Oui", "3:v:yes"), Button("Non", "3:v:no")),))
    stored = rows(message.buttons)
    assert stored == [[["Oui", "3:v:yes"], ["Non", "3:v:no"]]]
    built = keyboard(stored)["reply_markup"]
    assert built["inline_keyboard"][0][1] == {"text": "Non", "callback_data": "3:v:no"}
    # python-telegram-bot reads it as the keyboard it would have built
    assert InlineKeyboardMarkup.de_json(built, None).inline_keyboard[0][1].callback_data == "3:v:no"
    assert keyboard([]) == {}  # no parameter: an edit takes the keyboard off


def update(payload: dict) -> Update:
    return Update.de_json({"update_id": 1, **payload}, None)


PRIVATE = {"id": 7, "type": "private", "first_name": "A"}
USER = {"id": 7, "is_bot": False, "first_name": "A"}


def test_commands_text_media_and_presses_become_engine_events() -> None:
    base = {"message_id": 1, "date": 0, "chat": PRIVATE, "from": USER}
    command = update(
        {
            "message": {
                **base,
                "text": "/Menu@relais_bot now",
                "entities": [{"type": "bot_command", "offset": 0, "length": 16}],
            }
        }
    )
    assert to_inbound(command).kind == EventKind.COMMAND
    assert to_inbound(command).command == "menu"
    text = to_inbound(update({"message": {**base, "text": "/ pas une commande"}}))
    assert text.kind == EventKind.TEXT
    sticker = {
        "file_id": "x",
        "file_unique_id": "y",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    media = to_inbound(update({"message": {**base, "sticker": sticker}}))
    assert (media.kind, media.media) == (EventKind.MEDIA, "sticker")
    press = to_inbound(
        update(
            {
                "callback_query": {
                    "id": "q",
                    "from": USER,
                    "chat_instance": "c",
                    "data": "4:v:good",
                    "message": {**base, "text": "?"},
                }
            }
        )
    )
    assert (press.kind, press.data) == (EventKind.BUTTON, "4:v:good")
    assert to_inbound(update({"edited_message": {**base, "text": "oops"}})) is None
