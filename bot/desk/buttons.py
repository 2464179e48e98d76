"""Desk button data, built and read in one place: "V:<verb>:<arg>:<arg>…".

Desk buttons carry no question counter: they stay usable in notices sent hours ago, and the
router checks again, at every press, that the person may do what the button says. A flow's
buttons (desk flows included) are the engine's, with their counter. Data never exceeds the
64 bytes Telegram allows; arguments are read strictly (ids with bot.core.ids.parse_id).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from bot.core.domain import Button
from bot.core.ids import parse_id

PREFIX = "V"
MAX_BYTES = 64  # Telegram's callback_data limit, the tightest of the channels
VERB = re.compile(r"^[a-z]{1,3}$")
WORD = re.compile(r"^[a-z0-9_-]{1,32}$")


class Arg(StrEnum):
    """What one argument of a button is."""

    ID = "id"  # a row id: 1 to 15 ASCII digits
    WORD = "word"  # a code such as a filter, a centre id or a role: [a-z0-9_-]{1,32}
    DAY = "day"  # an ISO date, 2026-01-31


Value = int | str | date


def build(verb: str, *args: Value) -> str:
    """The data of a desk button; ValueError if it could not be read back or is too long."""
    parts = [str(a) if not isinstance(a, date) else a.isoformat() for a in args]
    if not VERB.match(verb) or any(":" in p or not p for p in parts):
        raise ValueError(f"not a desk button: {verb!r} {parts!r}")
    data = ":".join([PREFIX, verb, *parts])
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"desk button data over {MAX_BYTES} bytes: {verb!r}")
    return data


def is_desk(data: str) -> bool:
    """True for data meant for the desk (whatever follows: a forged one is refused there)."""
    return data == PREFIX or data.startswith(PREFIX + ":")


def split(data: str) -> tuple[str, tuple[str, ...]]:
    """(verb, raw arguments) of desk button data ("" for no verb)."""
    parts = data.split(":")[1:]
    return (parts[0], tuple(parts[1:])) if parts else ("", ())


def read(kinds: tuple[Arg, ...], raw: tuple[str, ...]) -> tuple[Value, ...] | None:
    """The arguments read as `kinds` say, or None when any is not what it should be."""
    if len(raw) != len(kinds):
        return None
    values: list[Value] = []
    for kind, text in zip(kinds, raw, strict=True):
        value = _read_one(kind, text)
        if value is None:
            return None
        values.append(value)
    return tuple(values)


def _read_one(kind: Arg, text: str) -> Value | None:
    if kind == Arg.ID:
        return parse_id(text)
    if kind == Arg.WORD:
        return text if WORD.match(text) else None
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def page_rows(
    labels: tuple[str, str], page: int, more: bool, verb: str, *args: Value
) -> list[tuple[Button, ...]]:
    """The row of a paged list's ◀ and ▶ (`labels`, translated): `verb` with `args` and the
    page to show; no row on a list of one page."""
    nav = []
    if page > 0:
        nav.append(Button(labels[0], build(verb, *args, page - 1)))
    if more:
        nav.append(Button(labels[1], build(verb, *args, page + 1)))
    return [tuple(nav)] if nav else []
