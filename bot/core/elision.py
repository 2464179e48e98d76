"""French elision before a name: "la page de {name}" reads "la page d'Amina" but "la page de
Paul"; "ce que {name}" reads "ce qu'Oksana". Only French texts, only before the placeholders
that hold a name (a person's, a centre's), only the words that elide: de, que, le, la.

A name elides when it starts with a vowel (accents included) or an h, taken as mute (Hugo,
Hélène, Ibrahim, Élodie); a y elides only before a consonant (Yves, but Yanis, Yasmine). Names
in other scripts are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# the placeholders whose value is a name
NAME_PLACEHOLDERS = frozenset(
    {"name", "subject_name", "first_name", "centre", "centres", "person.centre"}
)
VOWELS = frozenset("aeiouàâäéèêëîïôöùûüœæ")
_BEFORE_NAME = re.compile(r"(?<![\w'’])(de|que|le|la) \{([a-z_.]+)\}", re.IGNORECASE)


def elides(name: str) -> bool:
    """Whether French elides the word before this name."""
    word = name.strip().lower()
    if not word:
        return False
    if word[0] == "y":
        return len(word) > 1 and word[1].isalpha() and word[1] not in VOWELS
    return word[0] == "h" or word[0] in VOWELS


def elide(template: str, params: Mapping[str, object]) -> str:
    """A French template with "de {name}" written "d'{name}" where the name asks for it (the
    placeholders stay, to be filled as usual)."""

    def one(found: re.Match[str]) -> str:
        word, placeholder = found.group(1), found.group(2)
        value = params.get(placeholder)
        if placeholder not in NAME_PLACEHOLDERS or not isinstance(value, str) or not elides(value):
            return found.group(0)
        return f"{word[:-1]}'{{{placeholder}}}"

    if "{" not in template:
        return template
    return _BEFORE_NAME.sub(one, template)
