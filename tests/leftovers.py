"""What a person told Relais, and a search for it in the raw bytes Relais leaves on disk.

The values are distinctive, ASCII-only words (so that any JSON escaping writes them as they are,
and no other byte sequence matches them by chance); numbers are matched only when no digit or
decimal point touches them (a timestamp's microseconds are not a postcode).
"""

from __future__ import annotations

import re
from pathlib import Path

FIRST_NAME = "Zorbalinde"
LAST_NAME = "Quixplatte"
PHONE_TYPED = "06 47 83 92 15"  # stored as +33647839215, shown as typed
EMAIL = "zorbalinde.quix@laposte.net"
TOWN = "Vrombiville"
POSTCODE = "97421"
WORK = "Klaxorniste"
INTRO = "Je repare des glorbivents"
# the Telegram profile, sent with every update by the person's app
TG_FIRST = "Telprenomzyx"
TG_LAST = "Telnomvukq"
TG_USERNAME = "pseudo_wobbelkrantz"
# the messages between the person and their centre: a volunteer's, and the person's answer
CENTRE_MESSAGE = "Passez au centre avec votre Blorvixtan mardi"
ANSWER_TO_CENTRE = "Je viendrai avec mon Quorbelnix"


def _number(digits: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![0-9.])" + re.escape(digits.encode()) + rb"(?![0-9])")


def _word(text: str) -> re.Pattern[bytes]:
    return re.compile(re.escape(text.encode()))


# every form in which the answers may be stored or shown
PERSONAL = {
    "first name": _word(FIRST_NAME),
    "last name": _word(LAST_NAME),
    # the CV writes the family name in capitals ("Zorbalinde QUIXPLATTE", in the name check)
    "last name (capitals)": _word(LAST_NAME.upper()),
    "phone (E.164)": _number("33647839215"),
    "phone (national)": _number("0647839215"),
    "phone (as typed)": _word(PHONE_TYPED),
    "phone (digits)": _word("47 83 92 15"),
    "e-mail": _word(EMAIL),
    "e-mail (local part)": _word("zorbalinde.quix"),
    "town": _word(TOWN),
    "postcode": _number(POSTCODE),
    "work sought": _word(WORK),
    "introduction": _word("glorbivents"),
    "Telegram first name": _word(TG_FIRST),
    "Telegram last name": _word(TG_LAST),
    "Telegram username": _word(TG_USERNAME),
    "a volunteer's message": _word("Blorvixtan"),
    "the answer to the centre": _word("Quorbelnix"),
}

# the CV, self-assessment-free path: answers given with the values above (conversation script)
CV_SCRIPT = f"""
> [Faire mon CV]
< Quel est votre nom de famille ?
> {LAST_NAME}
< {FIRST_NAME} {LAST_NAME.upper()}
> [Oui]
< Quel est votre numéro de téléphone ?
> {PHONE_TYPED}
< Quelle est votre adresse e-mail ?
> {EMAIL}
< Dans quelle ville habitez-vous ?
> {TOWN}
< Quel est le code postal
> {POSTCODE}
< Quel travail cherchez-vous ?
> {WORK}
< Présentez-vous en une phrase
> {INTRO}
< Vous avez déjà travaillé ?
> [Non]
< Vous avez un diplôme
> [Non, pas de diplôme]
< Votre dernière école, c'était :
> [Lycée]
< C'était où ?
> [En France]
< Quelle langue ?
> [Français]
< Quel est votre niveau ?
> [Langue maternelle]
< Vous parlez une autre langue ?
> [Non]
< Vos savoir-faire
> [Un autre métier]
> [Valider]
< Vous savez faire autre chose ?
> [Passer]
< Quelles sont vos qualités au travail ?
> [Valider]
< Vous avez le permis de conduire ?
> [Non]
< Vous avez un véhicule ?
> [Valider]
< Vous avez un de ces certificats ?
> [Valider]
< Un autre certificat ?
> [Passer]
< Quels jours pouvez-vous travailler ?
> [Tous les jours]
< À quels moments pouvez-vous travailler ?
> [Le matin]
> [Valider]
< Qu'aimez-vous faire en dehors du travail ?
> [Passer]
< Que voulez-vous faire ?
"""

ERASE_SCRIPT = """
> [Mes données]
< Voici ce que je sais sur vous
< Que voulez-vous faire ?
> [Tout effacer]
< On ne pourra pas les retrouver.
> [Oui]
< C'est fait. Tout est effacé
"""


def database_files(database: Path) -> list[Path]:
    """The database file and its -wal and -shm, those that exist."""
    candidates = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return [path for path in candidates if path.exists()]


def files_under(*places: Path) -> list[Path]:
    """Every file in these folders (recursively) or these files, those that exist."""
    found: list[Path] = []
    for place in places:
        if place.is_file():
            found.append(place)
        elif place.is_dir():
            found += sorted(p for p in place.rglob("*") if p.is_file())
    return found


def leftovers(paths: list[Path], patterns: dict[str, re.Pattern[bytes]] | None = None) -> list[str]:
    """'<what> in <file>' for every personal value found in the raw bytes of these files."""
    found = []
    for path in paths:
        data = path.read_bytes()
        for what, pattern in (PERSONAL if patterns is None else patterns).items():
            if pattern.search(data):
                found.append(f"{what} in {path.name}")
    return found
