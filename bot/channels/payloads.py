"""Readers of untrusted Telegram payloads: a webhook body, where to answer a journaled update.

Nothing here raises on hostile input: a shape that is not what Telegram sends reads as nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# update_id and chat ids are stored as SQLite integers; Telegram's are far below
ID_LIMIT = 2**63
# Telegram's updates nest about ten levels; json.loads itself stops near 1,000 with an error
MAX_DEPTH = 64
# Telegram's callback query ids are short numeric strings
CALLBACK_ID_MAX = 64


def valid_update_id(value: object) -> bool:
    """Whether `value` is a JSON integer usable as an update_id (booleans and floats are not)."""
    return type(value) is int and 0 <= value < ID_LIMIT


def parse_update(body: bytes) -> dict[str, Any] | None:
    """The update in a webhook body, or None when it is not UTF-8 JSON, not an object, nested
    too deep, or has no valid update_id."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    if not isinstance(payload, dict) or not valid_update_id(payload.get("update_id")):
        return None
    if not _within_depth(payload, MAX_DEPTH):
        return None
    return payload


def _within_depth(value: object, limit: int) -> bool:
    # iterative: a recursive walk is what a deep body would break
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


@dataclass(frozen=True)
class ReplyTarget:
    """Where Relais can answer an update it does not handle normally (one it could not handle,
    one skipped over a person's budget)."""

    chat_id: int | None  # a private chat to write to
    callback_id: str | None  # a button press to acknowledge, so the phone stops spinning
    language_code: str | None


def reply_target(payload: object) -> ReplyTarget:
    """Read the chat, button press and language of a raw update, whatever its shape."""
    update = _mapping(payload)
    message = _mapping(update.get("message"))
    query = _mapping(update.get("callback_query"))
    chat = _mapping(message.get("chat")) or _mapping(_mapping(query.get("message")).get("chat"))
    sender = _mapping(message.get("from")) or _mapping(query.get("from"))
    chat_id = chat.get("id")
    private = chat.get("type") == "private" and type(chat_id) is int and 0 < chat_id < ID_LIMIT
    callback_id = query.get("id")
    callback = isinstance(callback_id, str) and 0 < len(callback_id) <= CALLBACK_ID_MAX
    language = sender.get("language_code")
    return ReplyTarget(
        chat_id if private else None,
        callback_id if callback else None,
        language if isinstance(language, str) else None,
    )


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
