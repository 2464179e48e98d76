"""French CV conventions for the person's own words: capitals on names, towns, first letters.

People type on a phone, often all in small letters ("sara", "saint-denis") or all in capitals.
A French CV writes the family name in capitals (BENALI), the first name with a capital
(Sara, Marie-Claire), towns and countries as the map does (Saint-Denis, Boulogne-sur-Mer,
Côte d'Ivoire), and starts every line with a capital. Words typed with their own mix of
capitals ("McDonald", "DeShawn", "Manchester, UK") are kept as typed: the person knows better.
Scripts without capitals (Arabic) pass through unchanged.
"""

from __future__ import annotations

import re

from bot.core.answers import strip_name_intro

# Small words that stay in small letters inside a French place name ("Boulogne-sur-Mer",
# "Saint-Maur-des-Fossés", "Choisy-le-Roi"), but not at its start ("Le Havre", "La Rochelle").
PLACE_PARTICLES = frozenset(
    {"sur", "sous", "lès", "lez", "les", "le", "la", "de", "des", "du", "en", "aux", "au", "et"}
    | {"à", "l", "d"}
)
# Countries people write with their initials: kept in capitals ("kyiv, uk" → "Kyiv, UK").
PLACE_INITIALS = frozenset({"uk", "usa", "us", "rdc", "rca", "uae", "eau"})
_PARTS = re.compile(r"([\s\-\u2010]+)")
_APOSTROPHES = "'\u2019\u02bc"
_SAINT = re.compile(r"\b(saint|sainte|st|ste)\s+(?=\w)", re.IGNORECASE)


def _one_case(text: str) -> bool:
    """True when the text's cased letters are all small or all capitals: typed without care."""
    return text == text.lower() or text == text.upper()


def _capital(word: str) -> str:
    """'marie' → 'Marie', 'ÉLODIE' → 'Élodie'; a word with its own mix of capitals is kept."""
    if not word or not _one_case(word[1:]):
        return word
    return word[:1].upper() + word[1:].lower()


def _capital_after_apostrophe(word: str, particle_case: bool) -> str:
    """ "d'ivoire" → "d'Ivoire" inside a name, "L'Haÿ" at its start, "o'neil" → "O'Neil"."""
    for mark in _APOSTROPHES:
        head, found, tail = word.partition(mark)
        if found and head and tail:
            head = head.lower() if particle_case and head.lower() in ("d", "l") else _capital(head)
            return head + mark + _capital(tail)
    return _capital(word)


def first_name(text: str) -> str:
    """A first name as a CV writes it: 'marie-claire' → 'Marie-Claire', 'SARA' → 'Sara'."""
    text = strip_name_intro(text.strip())
    return "".join(
        part if _PARTS.fullmatch(part) else _capital_after_apostrophe(part, False)
        for part in _PARTS.split(text)
    )


def last_name(text: str) -> str:
    """A family name as a French CV writes it: in capitals ('Dupré-Nœl' → 'DUPRÉ-NŒL')."""
    return strip_name_intro(text.strip()).upper()


def full_name(first: str, last: str) -> str:
    """'Sara BENALI': the first name, then the family name in capitals."""
    return " ".join(p for p in (first_name(first), last_name(last)) if p)


def place(text: str) -> str:
    """A town or a country: 'saint-denis' → 'Saint-Denis', 'côte d'ivoire' → 'Côte d'Ivoire'.

    Only text typed all in small letters or all in capitals changes case; a saint's name is
    always hyphenated ("Saint Ouen" → "Saint-Ouen").
    """
    # French towns named after a saint are hyphenated: "saint denis" → "Saint-Denis"
    text = _SAINT.sub(lambda m: m.group(1) + "-", text.strip())
    if not _one_case(text):
        return text
    out = []
    words = 0
    for part in _PARTS.split(text.lower()):
        if not part or _PARTS.fullmatch(part):
            out.append(part)
            continue
        inside = words > 0
        words += 1
        bare = part.strip(",;.()")
        if bare in PLACE_INITIALS:
            out.append(part.upper())
        elif inside and bare in PLACE_PARTICLES:
            out.append(part)
        else:
            lead = part[: len(part) - len(part.lstrip("(,;."))]
            out.append(lead + _capital_after_apostrophe(part[len(lead) :], inside))
    return "".join(out)


def sentence(text: str) -> str:
    """A line of the CV starts with a capital: 'nettoyer les bureaux' → 'Nettoyer les bureaux'."""
    text = text.strip()
    for index, ch in enumerate(text):
        if ch.isalpha():
            word = text[index:].split(maxsplit=1)[0]
            if not ch.islower() or word[1:] != word[1:].lower():
                return text  # "iPhone", "eBay": written that way on purpose
            return text[:index] + ch.upper() + text[index + 1 :]
        if not (ch.isspace() or ch in "-–•*\"'«("):
            return text
    return text
