"""What Telegram sends and what Relais keeps of it: the update kinds asked for, the update as
journaled (ids, text, button data, media kinds; never profile names), and its event.

A journaled message or button press, in the shape `minimal_update` writes, is read straight from
its dict (`read_journaled`): building python-telegram-bot's objects for it again cost more than
the rest of reading it. Any other shape (a status change, something unusual) is read through
python-telegram-bot's Update (`read_update`), which says the same of the usual shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.constants import MessageEntityType

from bot.core.domain import EventKind, Inbound

# edits of old messages are not asked for: an answer, once given, is changed with "back"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
MEDIA_KINDS = (
    "sticker",
    "photo",
    "voice",
    "video",
    "video_note",
    "audio",
    "document",
    "animation",
    "location",
    "contact",
    "poll",
    "dice",
    "venue",
    "story",
)

MEDIA_MARK = "relais_media"  # in a journaled message: the kind of media it had, not the media
_USER_KEYS = ("id", "is_bot", "language_code")
_CHAT_KEYS = ("id", "type")
_ENTITY_KEYS = ("type", "offset", "length")


def minimal_update(payload: dict[str, Any]) -> dict[str, Any]:
    """The update as journaled: only what Relais reads (ids, chat type, language, text and
    commands, button data, the pressed message, media kinds, membership statuses); never the
    Telegram profile's names or username, nor what a photo, contact or location holds.

    A part that is not a JSON object is kept as it came: it cannot be read anyway.
    """
    out: dict[str, Any] = {"update_id": payload.get("update_id")}
    if "message" in payload:
        out["message"] = _minimal_message(payload["message"])
    if "callback_query" in payload:
        query = payload["callback_query"]
        if isinstance(query, dict):
            query = {k: query[k] for k in ("id", "chat_instance", "data") if k in query} | {
                k: f(query[k])
                for k, f in (("from", _minimal_user), ("message", _minimal_message))
                if k in query
            }
        out["callback_query"] = query
    if "my_chat_member" in payload:
        change = payload["my_chat_member"]
        if isinstance(change, dict):
            change = {k: change[k] for k in ("date",) if k in change} | {
                k: f(change[k])
                for k, f in (
                    ("chat", _minimal_chat),
                    ("from", _minimal_user),
                    ("old_chat_member", _minimal_member),
                    ("new_chat_member", _minimal_member),
                )
                if k in change
            }
        out["my_chat_member"] = change
    return out


def _pick(value: Any, keys: tuple[str, ...]) -> Any:
    return {k: value[k] for k in keys if k in value} if isinstance(value, dict) else value


def _minimal_user(user: Any) -> Any:
    # python-telegram-bot requires a first name: an empty one stands for it
    picked = _pick(user, _USER_KEYS)
    return {**picked, "first_name": ""} if isinstance(picked, dict) else picked


def _minimal_chat(chat: Any) -> Any:
    # a private chat carries the person's names and username: only its id and type are kept
    return _pick(chat, _CHAT_KEYS)


def _minimal_member(member: Any) -> Any:
    if not isinstance(member, dict):
        return member
    kept = {k: v for k, v in member.items() if k not in ("user", "custom_title")}
    return kept | ({"user": _minimal_user(member["user"])} if "user" in member else {})


def _minimal_message(message: Any) -> Any:
    if not isinstance(message, dict):
        return message
    out = {k: message[k] for k in ("message_id", "date", "text") if k in message}
    if "chat" in message:
        out["chat"] = _minimal_chat(message["chat"])
    if "from" in message:
        out["from"] = _minimal_user(message["from"])
    if isinstance(message.get("entities"), list):
        out["entities"] = [_pick(e, _ENTITY_KEYS) for e in message["entities"]]
    if "caption" in message:
        out["caption"] = ""  # only its presence is read
    kind = next((k for k in MEDIA_KINDS if message.get(k)), None)
    if kind is not None:
        out[MEDIA_MARK] = kind
    return out


def to_inbound(update: Update) -> Inbound | None:
    """The engine event of a private message or button press; None for anything else."""
    if update.callback_query is not None:
        data = update.callback_query.data
        return Inbound(EventKind.BUTTON, data=data) if data else None
    msg = update.message
    if msg is None:
        return None
    if msg.text is not None:
        entity = msg.entities[0] if msg.entities else None
        if entity and entity.type == MessageEntityType.BOT_COMMAND and entity.offset == 0:
            name = msg.text[1 : entity.length].split("@", 1)[0].lower()
            return Inbound(EventKind.COMMAND, command=name, text=msg.text[entity.length :].strip())
        return Inbound(EventKind.TEXT, text=msg.text)
    for kind in MEDIA_KINDS:
        if getattr(msg, kind, None) or msg.api_kwargs.get(MEDIA_MARK) == kind:
            return Inbound(EventKind.MEDIA, media=kind)
    if msg.caption is not None:
        return Inbound(EventKind.MEDIA, media="captioned")
    return None


def update_sender(payload: dict[str, Any]) -> str | None:
    """The platform id of the user an update comes from (None: no user), for fair turns."""
    for kind in ALLOWED_UPDATES:
        body = payload.get(kind)
        if isinstance(body, dict):
            user = body.get("from")
            if isinstance(user, dict) and user.get("id") is not None:
                return str(user["id"])
    return None


@dataclass(frozen=True)
class Read:
    """A private message or a button press as Relais reads it (not a status change)."""

    chat_id: int | None  # where it was written or pressed (None: unknown)
    chat_type: str | None
    user_id: int | None  # who wrote or pressed (None: nobody said)
    user_is_bot: bool
    language_code: str | None
    query_id: str | None  # a button press to answer
    query_user_id: int | None  # who pressed
    pressed_id: int | None  # the message the button was on
    pressed_text: str | None
    event: Inbound | None


def read_update(update: Update) -> Read:
    """A message or button press, read from python-telegram-bot's Update."""
    query = update.callback_query
    chat = update.effective_chat
    user = update.effective_user
    message = query.message if query is not None else None
    return Read(
        chat_id=chat.id if chat else None,
        chat_type=chat.type if chat else None,
        user_id=user.id if user else None,
        user_is_bot=bool(user and user.is_bot),
        language_code=user.language_code if user else None,
        query_id=query.id if query is not None else None,
        query_user_id=query.from_user.id if query is not None else None,
        pressed_id=message.message_id if message is not None else None,
        pressed_text=getattr(message, "text", None),
        event=to_inbound(update),
    )


def read_journaled(payload: dict[str, Any]) -> Read | None:
    """A journaled private message or button press read straight from its dict, as
    `read_update` reads it; None for any other shape (read through python-telegram-bot)."""
    kinds = [k for k in ALLOWED_UPDATES if k in payload]
    if kinds == ["message"]:
        message = _message(payload["message"])
        if message is None:
            return None
        chat, user = message["chat"], message.get("from")
        return Read(
            chat_id=chat["id"],
            chat_type=chat["type"],
            user_id=user["id"] if user else None,
            user_is_bot=bool(user and user["is_bot"]),
            language_code=user.get("language_code") if user else None,
            query_id=None,
            query_user_id=None,
            pressed_id=None,
            pressed_text=None,
            event=_message_event(message),
        )
    if kinds != ["callback_query"]:
        return None
    query = payload["callback_query"]
    if not (
        isinstance(query, dict)
        and query.keys() <= {"id", "from", "message", "chat_instance", "data"}
        and type(query.get("id")) is str
        and type(query.get("chat_instance")) is str
        and type(query.get("data", "")) is str
    ):
        return None
    user = _user(query.get("from"))
    pressed = _message(query["message"]) if "message" in query else None
    if user is None or ("message" in query and pressed is None):
        return None
    data = query.get("data")
    chat = pressed["chat"] if pressed else None
    return Read(
        chat_id=chat["id"] if chat else None,
        chat_type=chat["type"] if chat else None,
        user_id=user["id"],
        user_is_bot=user["is_bot"],
        language_code=user.get("language_code"),
        query_id=query["id"],
        query_user_id=user["id"],
        pressed_id=pressed["message_id"] if pressed else None,
        # a message too old for Telegram to send (date 0) comes without its text
        pressed_text=pressed.get("text") if pressed and pressed["date"] != 0 else None,
        event=Inbound(EventKind.BUTTON, data=data) if data else None,
    )


_MESSAGE_KEYS = frozenset(
    {"message_id", "date", "text", "chat", "from", "entities", "caption", MEDIA_MARK}
)


def _user(user: Any) -> dict[str, Any] | None:
    """A journaled user, if it has the usual shape."""
    if not (
        isinstance(user, dict)
        and user.keys() <= {"id", "is_bot", "language_code", "first_name"}
        and type(user.get("id")) is int
        and type(user.get("is_bot")) is bool
        and type(user.get("first_name")) is str
        and type(user.get("language_code", "")) is str
    ):
        return None
    return user


def _message(message: Any) -> dict[str, Any] | None:
    """A journaled message, if it has the usual shape."""
    if not (isinstance(message, dict) and message.keys() <= _MESSAGE_KEYS):
        return None
    chat = message.get("chat")
    date = message.get("date")
    if not (
        type(message.get("message_id")) is int
        and type(date) is int
        and 0 <= date < 2**32  # what python-telegram-bot reads as a moment without fail
        and isinstance(chat, dict)
        and chat.keys() <= {"id", "type"}
        and type(chat.get("id")) is int
        and type(chat.get("type")) is str
        and type(message.get("text", "")) is str
        and type(message.get("caption", "")) is str
        and type(message.get(MEDIA_MARK, "")) is str
        and ("from" not in message or _user(message["from"]) is not None)
    ):
        return None
    entities = message.get("entities", [])
    if not isinstance(entities, list) or not all(
        isinstance(e, dict)
        and e.keys() == {"type", "offset", "length"}
        and type(e["type"]) is str
        and type(e["offset"]) is int
        and type(e["length"]) is int
        for e in entities
    ):
        return None
    return message


def _message_event(message: dict[str, Any]) -> Inbound | None:
    """The event of a journaled message, as `to_inbound` reads it."""
    text = message.get("text")
    if text is not None:
        entities = message.get("entities")
        entity = entities[0] if entities else None
        if entity and entity["type"] == MessageEntityType.BOT_COMMAND and entity["offset"] == 0:
            name = text[1 : entity["length"]].split("@", 1)[0].lower()
            return Inbound(EventKind.COMMAND, command=name, text=text[entity["length"] :].strip())
        return Inbound(EventKind.TEXT, text=text)
    kind = message.get(MEDIA_MARK)
    if kind in MEDIA_KINDS:
        return Inbound(EventKind.MEDIA, media=kind)
    if message.get("caption") is not None:
        return Inbound(EventKind.MEDIA, media="captioned")
    return None
