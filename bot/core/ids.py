"""Ids that come from outside (a typed /person 12, button data, a document kind): plain ASCII
digits of bounded length, or nothing."""

from __future__ import annotations

import re

# "²" and "١" pass str.isdigit(); int() refuses the first and reads the second; a 23-digit
# number does not fit an SQLite integer. Fifteen digits is far beyond any row id Relais makes.
_ID = re.compile(r"[0-9]{1,15}")


def parse_id(text: str) -> int | None:
    """The id written in `text` (1 to 15 ASCII digits, nothing else), else None."""
    return int(text) if _ID.fullmatch(text) else None
