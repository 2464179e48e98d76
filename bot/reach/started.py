"""What a message Relais starts is, as queued and as read back, and its buttons' data (built
and parsed here only)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.domain import Person

# The order in which the outbox serves a chat's messages and the chats themselves: an answer to
# the person's own action first, then notices, then bulk sends.
REPLY = 0
NOTICE = 1
BULK = 2
PRIORITIES = (REPLY, NOTICE, BULK)
# Not a message: a call that only tidies one already answered (its old buttons taken off). It
# comes after everything else, whenever the sending rate is free, never ahead of anyone's reply.
TIDY = 3

# Button data of a started message: "R:<row id>:<token>:<choice>". Telegram allows 64 bytes;
# an id of 19 digits, a token of 12 and a choice of 8 stay far below.
PREFIX = "R:"
_DATA = re.compile(r"R:([0-9]{1,19}):([0-9a-f]{12}):([a-z0-9_]{0,8})")  # ASCII digits only
MAX_ID = 2**63 - 1  # SQLite's largest integer
CHOICE_MAX = 8


def new_token() -> str:
    """The unguessable part of a started message's buttons (48 random bits, hex)."""
    return secrets.token_hex(6)


@dataclass(frozen=True)
class NewStarted:
    """A message to queue: for `person_id`, of `kind` with its JSON `params`."""

    person_id: int
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    not_before: datetime | None = None  # None: due as soon as queued
    priority: int = NOTICE
    dedupe_key: str | None = None  # the same key queued again: nothing happens
    subject_id: int | None = None
    expires_at: datetime | None = None  # its buttons stop working then


@dataclass(frozen=True)
class ReadNow:
    """What a message shows, read from the database when it is delivered rather than kept in
    its row (the names of several people: erasing any of them before then leaves no copy),
    and everyone it names (the outbox erases it with any of them while it waits there)."""

    params: dict[str, Any]
    shows: tuple[int, ...] = ()


@dataclass(frozen=True)
class Started:
    """A queued or delivered message Relais started, read back with its recipient."""

    id: int
    person: Person
    kind: str
    params: dict[str, Any]
    priority: int
    subject_id: int | None
    token: str
    state: str  # "queued", "sent" or "answered"
    expires_at: datetime | None

    def button_data(self, choice: str = "") -> str:
        """The callback data of one of this message's buttons."""
        return button_data(self.id, self.token, choice)


def button_data(started_id: int, token: str, choice: str = "") -> str:
    """ "R:<id>:<token>:<choice>" (choice: at most 8 of a-z, 0-9, _)."""
    data = f"{PREFIX}{started_id}:{token}:{choice}"
    if not _DATA.fullmatch(data):
        raise ValueError(f"not a started message's button: choice {choice!r}")
    return data


def is_started_button(data: str) -> bool:
    """Whether button data belongs to a message Relais started (forged ones included)."""
    return data.startswith(PREFIX)


@dataclass(frozen=True)
class Press:
    """Button data read back: which message, its token, the choice pressed."""

    started_id: int
    token: str
    choice: str


def parse_button(data: str) -> Press | None:
    """The press `data` stands for, or None when it is not well formed."""
    found = _DATA.fullmatch(data)
    if found is None or int(found.group(1)) > MAX_ID:
        return None
    return Press(int(found.group(1)), found.group(2), found.group(3))
