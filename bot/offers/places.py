"""Where a postcode is: its département, and how close two postcodes are (same postcode, same
département, neighbouring départements, farther), from the data file shipped with Relais."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

SAME_POSTCODE = 0
SAME_DEPARTEMENT = 1
NEIGHBOUR = 2
FAR = 3


def departement(postcode: str) -> str | None:
    """The département of a five-digit French postcode ("20090" → "2A"), None if unknown."""
    if len(postcode) != 5 or not postcode.isascii() or not postcode.isdigit():
        return None
    if postcode.startswith("97"):
        code = postcode[:3]
    elif postcode.startswith("20"):
        code = "2A" if int(postcode) < 20200 else "2B"
    else:
        code = postcode[:2]
    return code if code in _table() else None


@cache
def _table() -> dict[str, tuple[str, frozenset[str]]]:
    text = resources.files("bot.offers").joinpath("data/departements.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {r["code"]: (r["name"], frozenset(r["neighbours"].split())) for r in rows}


def neighbours(code: str) -> frozenset[str]:
    """The départements sharing a border with `code`."""
    return _table().get(code, ("", frozenset()))[1]


def closeness(a: str, b: str) -> int:
    """0 same postcode, 1 same département, 2 neighbouring départements, 3 farther."""
    if a == b:
        return SAME_POSTCODE
    da, db = departement(a), departement(b)
    if da is None or db is None:
        return FAR
    if da == db:
        return SAME_DEPARTEMENT
    return NEIGHBOUR if db in neighbours(da) else FAR
