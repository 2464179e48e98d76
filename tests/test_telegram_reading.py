"""A journaled update is read straight from its dict, and says what python-telegram-bot's Update
says of it; any shape it does not know is left to python-telegram-bot, as before."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot, Update

from bot.channels.telegram_updates import (
    MEDIA_KINDS,
    MEDIA_MARK,
    minimal_update,
    read_journaled,
    read_update,
)
from bot.core.domain import EventKind, Inbound

BOT = Bot("123456:TEST")

anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)
)


def maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually the value Telegram sends, sometimes anything at all."""
    return st.one_of(value, value, value, anything)


users = st.fixed_dictionaries(
    {"id": maybe(st.integers(1, 2**40)), "is_bot": maybe(st.booleans())},
    optional={"language_code": maybe(st.sampled_from(["fr", "en", "uk-UA"]))},
)
chats = st.fixed_dictionaries(
    {
        "id": maybe(st.integers(-(2**40), 2**40)),
        "type": maybe(st.sampled_from(["private", "group"])),
    }
)
entities = st.lists(
    st.fixed_dictionaries(
        {
            "type": maybe(st.sampled_from(["bot_command", "bold", "mention"])),
            "offset": maybe(st.integers(0, 5)),
            "length": maybe(st.integers(0, 12)),
        }
    ),
    max_size=2,
)
messages = st.fixed_dictionaries(
    {
        "message_id": maybe(st.integers(1, 10**6)),
        "date": maybe(st.integers(0, 2**31)),
        "chat": chats,
    },
    optional={
        "from": users,
        "text": maybe(st.sampled_from(["/start", "/menu@relais_bot x", "bonjour", "2", ""])),
        "entities": entities,
        "caption": st.text(max_size=3),
        MEDIA_MARK: maybe(st.sampled_from([*MEDIA_KINDS, "unknown"])),
    },
)
presses = st.fixed_dictionaries(
    {"id": maybe(st.text(min_size=1, max_size=6)), "from": users, "chat_instance": st.just("-7")},
    optional={"message": messages, "data": maybe(st.sampled_from(["3:v:yes", "3:b", ""]))},
)
updates = st.one_of(
    st.fixed_dictionaries({"update_id": st.just(7), "message": messages}),
    st.fixed_dictionaries({"update_id": st.just(7), "callback_query": presses}),
    st.fixed_dictionaries(
        {"update_id": st.just(7), "message": messages, "callback_query": presses}
    ),
)


@settings(max_examples=400, deadline=None)
@given(updates)
def test_the_dict_reader_agrees_with_python_telegram_bot_or_steps_aside(update: dict) -> None:
    journaled = minimal_update(update)
    read = read_journaled(journaled)
    if read is None:
        return  # left to python-telegram-bot, as every update was before
    assert read == read_update(Update.de_json(journaled, BOT))


def test_the_usual_updates_are_read_without_python_telegram_bot() -> None:
    chat = {"id": 42, "type": "private", "first_name": "Amina", "username": "amina"}
    user = {"id": 42, "is_bot": False, "first_name": "Amina", "language_code": "fr"}
    command = {
        "update_id": 1,
        "message": {
            "message_id": 5,
            "date": 1_790_000_000,
            "chat": chat,
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    sticker = {
        "update_id": 2,
        "message": {"message_id": 6, "date": 1, "chat": chat, "from": user, "sticker": {"id": 1}},
    }
    press = {
        "update_id": 3,
        "callback_query": {
            "id": "77",
            "from": user,
            "chat_instance": "-9",
            "data": "3:v:yes",
            "message": {
                "message_id": 4,
                "date": 1_790_000_000,
                "chat": chat,
                "text": "Vous êtes d'accord ?",
                "from": {"id": 7, "is_bot": True, "first_name": "Relais"},
                "reply_markup": {"inline_keyboard": []},
            },
        },
    }
    read = [read_journaled(minimal_update(u)) for u in (command, sticker, press)]
    assert all(r is not None for r in read)
    assert [r.event for r in read if r] == [
        Inbound(EventKind.COMMAND, command="start", text=""),
        Inbound(EventKind.MEDIA, media="sticker"),
        Inbound(EventKind.BUTTON, data="3:v:yes"),
    ]
    pressed = read[2]
    assert pressed is not None
    assert (pressed.query_id, pressed.pressed_id, pressed.pressed_text) == (
        "77",
        4,
        "Vous êtes d'accord ?",
    )
    for update, seen in zip((command, sticker, press), read, strict=True):
        assert seen == read_update(Update.de_json(minimal_update(update), BOT))
    # a status change is python-telegram-bot's to read
    member = {"update_id": 4, "my_chat_member": {"chat": chat, "from": user, "date": 1}}
    assert read_journaled(minimal_update(member)) is None
