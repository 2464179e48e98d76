"""Is a typed answer in French? A simple, honest guess for the words a CV shows.

The CV goes to French employers, but people answer in the language they can write. Relais does
not translate: it notices answers that are clearly not French, tells the person kindly that a
volunteer can help put them in French, and lists them for the volunteer who checks the CV.

The guess is deliberately plain and explainable:
- the script: letters that are not Latin (Cyrillic, Arabic, Tigrinya…) cannot be French;
- in Latin letters, common words of English (the language most often used instead of French
  here) and a few stop-words and accents of other languages, against French stop-words and
  French accents. One English word more than French ones marks the answer.
It misses some answers (Spanish without its accents, say) and never claims more than "clearly
not French": a volunteer reads the list and decides.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class NotFrench(StrEnum):
    """Why an answer does not look French."""

    SCRIPT = "script"  # written in another alphabet
    WORDS = "words"  # Latin letters, but the words of another language


def is_latin_letter(ch: str) -> bool:
    """True for a Latin letter (with or without accents): what a French reader can read."""
    if ch.isascii():
        return True
    # by name, so that "µ" (MICRO SIGN, a Greek mu) or "ª" in the Latin-1 block are not letters
    # a French reader takes for Latin ones
    return unicodedata.name(ch, "").startswith("LATIN")


def is_latin(text: str) -> bool:
    """True when every letter of the text is a Latin letter (no letters at all: True)."""
    return all(is_latin_letter(ch) for ch in text if ch.isalpha())


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words of English that French does not share (nor commonly borrows): stop-words, then the words
# people use to describe work on a CV.
ENGLISH = _words(
    """
    the and of to in for with at my is was were are be been have has had from by it its this
    that these those we you your our they he she his her him them will would can could should
    not but about after before into over under while when which who what where how all any
    some other more most also only just very than then there their here each every both
    i i'm im i've
    job jobs work worked working worker workers office offices cleaning cleaned cleaner
    cleaners clean kitchen kitchens cook cooks cooked cooking waiter waitress waiters driver
    drivers driving delivery deliveries delivered deliver customer customers guest guests
    house houses housekeeping housekeeper housework home homes room rooms floor floors dishes
    dish washing washed washer dishwasher food meals meal shop shops store stores sales seller
    selling sold warehouse goods package packages parcel parcels orders order ordered care
    caring caregiver carer elderly children child kids nanny teacher teaching taught school
    university degree bachelor master's engineer engineers engineering designed designing
    project projects skills skill years year months month hard responsible reliable punctual
    friendly helpful honest helped helping help helper made making built building laborer
    labourer labour labor painter painting plumber plumbing electrician electrical mechanic
    mechanical repair repairs repaired repairing laundry ironing garden gardening gardener farm
    farmer fields forklift truck trucks van bike cashier shelves shelf stocking staff
    supervisor supervised safety health hospital nurse nursing manage managed managing
    prepared preparing serving served wash washing ironed fast quick learner teamwork
    starters starter road roads bridges buildings
    """
)
# Words ending in -ing that French uses as its own.
FRENCH_ING = _words(
    """
    parking planning marketing shopping camping casting coaching dressing meeting brushing
    lifting smoking jogging footing living leasing pressing piercing karting bowling surfing
    rafting listing mailing branding consulting merchandising dumping timing booking feeling
    babysitting sitting training catering building holding standing networking reporting
    """
)
# A few stop-words of other languages written in Latin letters (Spanish, Portuguese, Italian,
# German, Turkish), kept to words French never uses.
OTHER_WORDS = _words(
    """
    el los las del una muy para por pero como
    com uma os não nao muito
    della degli delle sono
    und der die das mit für fur ist ich nicht
    ve bir ile için icin
    """
)
# French words; those Spanish, Italian or Portuguese share (de, la, en, un) prove nothing.
FRENCH = _words(
    """
    le les l des du d une et au aux pour avec dans sur par chez je j il elle nous
    vous ils elles est sont ai ou où mon ma mes son sa ses leur leurs ce cette ces qui que qu
    ne pas plus très bien tous toutes tout faire fait ans an mois semaine jours jour
    nettoyage ménage menage entretien travail bureaux bureau vaisselle cuisine garde enfants
    aide livraison vente caisse préparation preparation colis commandes commande chantier
    peinture maçon macon maçonnerie agent femme homme ingénieur ingenieur
    """
)
# Accents French writes, and accents it never writes.
FRENCH_MARKS = frozenset("éèêëàâîïôûùçœ")
OTHER_MARKS = frozenset("ñãõáíóúìòåäöøßąęłńśźżčřšžďťňůőűșțăğış")
# At least this many letters of another script make an answer unreadable in French.
OTHER_SCRIPT_LETTERS = 2

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _english_ing(word: str) -> bool:
    """'cleaning', 'working': an English -ing form French does not use as its own."""
    return len(word) >= 6 and word.endswith("ing") and word not in FRENCH_ING


def not_french(text: str) -> NotFrench | None:
    """Why this answer is clearly not French, or None when it may be French."""
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFC", text)
    other_script = sum(1 for ch in text if ch.isalpha() and not is_latin_letter(ch))
    if other_script >= OTHER_SCRIPT_LETTERS:
        return NotFrench.SCRIPT
    lowered = text.casefold()
    words = [w.replace("’", "'") for w in _WORD.findall(lowered)]
    # "j'ai", "d'expérience": the elided article counts as French, the word after it too
    split = [p for w in words for p in (w.split("'") if "'" in w and w not in ENGLISH else [w])]
    foreign = sum(1 for w in split if w in ENGLISH or w in OTHER_WORDS or _english_ing(w))
    if any(ch in OTHER_MARKS for ch in lowered):
        foreign += 1
    french = sum(1 for w in split if w in FRENCH)
    if any(ch in FRENCH_MARKS for ch in lowered):
        french += 1
    if foreign and foreign > french:
        return NotFrench.WORDS
    return None
