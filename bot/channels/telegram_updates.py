"""What Telegram sends and what Relais keeps of it: the update kinds asked for, the update as
journaled (ids, text, button data, media kinds; never profile names), and its event."""

from __future__ import annotations

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
