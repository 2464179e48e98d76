"""Places of job offers and people, by postcode: which département a postcode belongs to, which
départements border it, and how close two postcodes are on a coarse four-step scale.

The scale is what matching can say without commune coordinates: same postcode, same
département, neighbouring départements, farther. The départements and their neighbours are read
once from data/departements.csv, shipped with the package, whose header names its source.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

SAME_POSTCODE = 0
SAME_DEPARTEMENT = 1
NEIGHBOUR = 2
FAR = 3

_DATA_FILE = "departements.csv"

# Overseas postcodes are 97 + the département's third digit. 975 (Saint-Pierre-et-Miquelon) is
# a collectivity, not a département; 97133 (Saint-Barthélemy) and 97150 (Saint-Martin) carry
# Guadeloupe's prefix but have been separate collectivities since 2007, an island away.
_OVERSEAS = frozenset({"971", "972", "973", "974", "976"})
_NOT_GUADELOUPE = frozenset({"97133", "97150"})

# Corsica shares 20xxx: La Poste gives 200xx-201xx to Corse-du-Sud (Ajaccio 20000, 20090) and
# 202xx and 206xx to Haute-Corse (Bastia 20200, 20600). The CEDEX codes follow the prefecture
# towns: 204xx is Bastia's (the prefecture of Haute-Corse receives at 20401), 207xx Ajaccio's
# (20701). Other 20xxx hundreds are unknown.
_CORSICA = {"0": "2A", "1": "2A", "7": "2A", "2": "2B", "4": "2B", "6": "2B"}


@dataclass(frozen=True, slots=True)
class Departement:
    """One line of the data file."""

    code: str
    name: str
    neighbours: frozenset[str]


@cache
def _departements() -> dict[str, Departement]:
    """The data file, read once: lines starting with '#' are its header comment."""
    text = resources.files("bot.offers").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {
        row["code"]: Departement(row["code"], row["name"], frozenset(row["neighbours"].split()))
        for row in rows
    }


def codes() -> frozenset[str]:
    """Every département code of the data file ("01"…"95" with "2A" and "2B", "971"…"976")."""
    return frozenset(_departements())


def name(code: str) -> str:
    """The département's name ("75" → "Paris"); KeyError for a code not in the data file."""
    return _departements()[code].name


def neighbours(code: str) -> frozenset[str]:
    """The départements sharing a land border with `code`; empty for overseas ones and for a
    code not in the data file."""
    found = _departements().get(code)
    return found.neighbours if found is not None else frozenset()


def _well_formed(postcode: str) -> str | None:
    """The postcode without surrounding spaces if it is five ASCII digits, else None."""
    postcode = postcode.strip()
    if len(postcode) == 5 and postcode.isascii() and postcode.isdigit():
        return postcode
    return None


# France has some 6,300 postcodes: matching one offer against a hundred thousand profiles asks
# for the same few thousand again and again (closeness to 100,000 postcodes: 100 -> 29 ms);
# the bound keeps typed nonsense from growing the cache without end
@lru_cache(maxsize=16_384)
def departement(postcode: str) -> str | None:
    """The code of the département a five-digit French postcode belongs to ("75011" → "75",
    "20090" → "2A", "20600" → "2B", "97400" → "974"), or None when it names none: not five
    digits, Monaco and the Pacific (98xxx), Saint-Pierre-et-Miquelon, Saint-Barthélemy,
    Saint-Martin, prefixes no département has.

    A postcode is a delivery area, not a commune: a few communes on a border are delivered
    from the neighbouring département and carry its prefix, so for them the answer is that
    neighbour — one step of `closeness` off at most."""
    code = _well_formed(postcode)
    if code is None:
        return None
    if code.startswith("20"):
        return _CORSICA.get(code[2])
    if code.startswith("97"):
        if code in _NOT_GUADELOUPE or code[:3] not in _OVERSEAS:
            return None
        return code[:3]
    prefix = code[:2]
    return prefix if prefix in _departements() else None


def closeness(a_postcode: str, b_postcode: str) -> int:
    """How close two postcodes are: SAME_POSTCODE, SAME_DEPARTEMENT, NEIGHBOUR (départements
    sharing a land border) or FAR. Never raises: a postcode that names no département (see
    `departement`) is FAR from every postcode, itself included, as matching cannot place it."""
    a_departement, b_departement = departement(a_postcode), departement(b_postcode)
    if a_departement is None or b_departement is None:
        return FAR
    if a_postcode.strip() == b_postcode.strip():
        return SAME_POSTCODE
    if a_departement == b_departement:
        return SAME_DEPARTEMENT
    if b_departement in neighbours(a_departement):
        return NEIGHBOUR
    return FAR
