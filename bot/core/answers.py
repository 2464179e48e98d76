"""Parsing and validation of typed answers: pure functions, no I/O, never raising.

Every parser returns the cleaned value or an `Invalid` whose reason is a French message id
(extracted into the gettext catalogs) and whose params fill its {placeholders}.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_date
from email_validator import EmailNotValidError, validate_email

from bot.core.french import is_latin
from bot.core.i18n import N_
from bot.core.spelling import edit_distance

# -- messages ----------------------------------------------------------------------------
# Short, one idea each, and they say what to write: people read them on a phone, often in a
# language that is not theirs.

T_TEXT_EMPTY = N_("Écrivez votre réponse, s'il vous plaît.")
T_TEXT_SHORT = N_("Votre réponse est trop courte. Écrivez au moins {min} caractères.")
T_TEXT_LONG = N_("Votre réponse est trop longue. Écrivez au plus {max} caractères.")

T_NUMBER = N_("Je ne comprends pas ce nombre. Écrivez-le avec des chiffres, par exemple : 12.")
T_NUMBER_INTEGER = N_("Écrivez un nombre entier, sans virgule. Par exemple : 12.")
T_NUMBER_BETWEEN = N_("Écrivez un nombre entre {min} et {max}.")
T_NUMBER_MIN = N_("Ce nombre est trop petit. Écrivez un nombre de {min} ou plus.")
T_NUMBER_MAX = N_("Ce nombre est trop grand. Écrivez un nombre de {max} ou moins.")
T_NUMBER_HUGE = N_("Ce nombre est trop grand. Vérifiez-le, s'il vous plaît.")

T_DATE = N_("Je ne comprends pas cette date. Écrivez-la comme ceci : {example}.")
T_DATE_INCOMPLETE = N_(
    "Écrivez la date complète : le jour, le mois et l'année. Par exemple : {example}."
)
T_DATE_IMPOSSIBLE = N_("Cette date n'existe pas. Vérifiez le jour et le mois.")
T_DATE_YEAR = N_("Écrivez une année entre {min} et {max}.")
T_DATE_PAST_TODAY = N_("Cette date est déjà passée. Écrivez une date à partir d'aujourd'hui.")
T_DATE_PAST = N_("Cette date est déjà passée. Écrivez une date à partir du {date}.")
T_DATE_EARLY = N_("Cette date est trop tôt. Écrivez une date à partir du {date}.")
T_DATE_FUTURE_TODAY = N_(
    "Cette date n'est pas encore arrivée. Écrivez une date jusqu'à aujourd'hui."
)
T_DATE_FUTURE = N_("Cette date n'est pas encore arrivée. Écrivez une date jusqu'au {date}.")
T_DATE_RECENT = N_("Cette date est trop récente. Écrivez une date jusqu'au {date}.")
T_DATE_FAR = N_("Cette date est trop loin. Écrivez une date jusqu'au {date}.")

# When a job or a training started or ended. {month} is a bound in French words, as a CV
# shows it: "mars 2021", or "2021" when only the year is known.
T_MONTH = N_("Je ne comprends pas cette date. Écrivez le mois et l'année, par exemple : 03/2021.")
T_MONTH_NUMBER = N_("Un mois va de 1 à 12. Écrivez le mois puis l'année, par exemple : 03/2021.")
T_MONTH_YEAR = N_("Écrivez le mois et l'année avec 4 chiffres. Par exemple : mars 2021.")
T_MONTH_FUTURE = N_(
    "Ce mois n'est pas encore arrivé. Écrivez ce mois-ci ou un mois passé, par exemple : 03/2021."
)
T_YEAR_FUTURE = N_(
    "Cette année n'est pas encore arrivée. Écrivez cette année ou une année passée, "
    "par exemple : 2021."
)
T_MONTH_BEFORE_START = N_(
    "La fin ne peut pas être avant le début ({month}). Écrivez {month} ou plus tard."
)
T_MONTH_LATE = N_("Cette date est trop tard. Écrivez {month} ou avant.")

T_NAME = N_(
    "Écrivez seulement les lettres de votre nom, s'il vous plaît. Par exemple : Marie-Claire."
)
T_NAME_LATIN = N_(
    "Écrivez avec les lettres a, b, c…, comme sur vos papiers français. Par exemple : Olena."
)

T_PHONE = N_("Ce numéro de téléphone ne marche pas. Écrivez-le comme ceci : 06 12 34 56 78.")
T_PHONE_DIGITS = N_("Écrivez seulement les chiffres du numéro, comme ceci : 06 12 34 56 78.")
T_PHONE_SHORT = N_("Il manque des chiffres à ce numéro. Écrivez-le comme ceci : 06 12 34 56 78.")
T_PHONE_LONG = N_("Ce numéro a trop de chiffres. Écrivez-le comme ceci : 06 12 34 56 78.")

T_EMAIL = N_("Cette adresse e-mail ne marche pas. Écrivez-la comme ceci : nom@exemple.fr.")
T_EMAIL_AT = N_("Il manque le signe @. Écrivez votre adresse comme ceci : nom@exemple.fr.")
T_EMAIL_SPACE = N_("Écrivez l'adresse e-mail sans espace, comme ceci : nom@exemple.fr.")

T_POSTCODE = N_("Un code postal a 5 chiffres. Écrivez-le comme ceci : 75011.")
T_POSTCODE_UNKNOWN = N_(
    "Ce code postal n'existe pas. Vérifiez les 5 chiffres, par exemple : 75011."
)

T_YES_NO = N_("Répondez par oui ou par non, s'il vous plaît.")

# A time of day (an appointment's): {time} and {example} are written as 14:30, {now} is the
# time it is now.
T_TIME = N_("Je ne comprends pas cette heure. Écrivez-la comme ceci : 14h30.")
T_TIME_IMPOSSIBLE = N_(
    "Cette heure n'existe pas. Écrivez une heure entre 0h00 et 23h59, par exemple : 14h30."
)
T_TIME_PAST = N_("Cette heure est déjà passée (il est {now}). Écrivez une heure plus tard.")
T_TIME_SKIPPED = N_(
    "Cette nuit-là, on avance les montres : {time} n'existe pas. Écrivez par exemple {example}."
)


@dataclass(frozen=True)
class Invalid:
    """Why an answer was refused: a French message id (marked with N_) and its placeholders."""

    reason: str
    params: dict[str, str] = field(default_factory=dict)


# -- words people type for an answer ------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """The phrases (normalised as normalise_label does) that stand for an answer, in the
    languages a person may type; bot.core.words builds it from the catalogs."""

    yes: frozenset[str] = frozenset()
    no: frozenset[str] = frozenset()
    none: frozenset[str] = frozenset()
    done: frozenset[str] = frozenset()
    dont_know: frozenset[str] = frozenset()
    polite: frozenset[str] = frozenset()

    def concept(self, name: str) -> frozenset[str]:
        """The phrases of one concept ("yes", "no", "none", "done", "dont_know")."""
        found: frozenset[str] = getattr(self, name)
        return found

    @functools.cached_property
    def negations(self) -> frozenset[str]:
        """Single words that say "no" or "none" anywhere in an answer: "pas", "no", "немає"."""
        return frozenset(p for p in self.none | self.no if " " not in p)

    def says_none(self, typed: str, anywhere: bool = False) -> bool:
        """Whether a normalised answer means "nothing", "no" or "I don't know".

        Whole answers only ("non", "rien", "je sais pas"), or with `anywhere`, any answer with
        a word of negation ("je n'ai pas d'e-mail", "pas de mail", "no email"): for questions
        whose real answers cannot contain one (an e-mail, a phone number, a date).
        """
        if not typed:
            return False
        if typed in self.none or typed in self.no or typed in self.dont_know:
            return True
        return anywhere and any(word in self.negations for word in typed.split())


# -- cleaning ----------------------------------------------------------------------------

# Invisible characters that carry meaning: ZWNJ/ZWJ shape Persian and Indic words and glue
# emoji sequences; LRM, RLM and the Arabic letter mark place punctuation in right-to-left text.
_KEEP_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")
# Emoji tag characters make the flags of Scotland, Wales, England.
_TAGS = range(0xE0020, 0xE0080)
_BLANK_LINES = re.compile(r"\n{3,}")


def _keep_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if cat == "Cf":
        # Embeddings, overrides and isolates are dropped on purpose: one left unclosed in a
        # saved answer would reorder the text shown after it in a summary.
        return ch in _KEEP_FORMAT or ord(ch) in _TAGS
    # Lone surrogates cannot be encoded to UTF-8 and would break storage or the channel.
    return cat not in ("Cc", "Cs")


def clean_text(raw: str) -> str:
    """Tidy typed text: NFC, no control or stray invisible characters, single spaces.

    Line breaks are kept (at most one empty line in a row); spaces inside a line are collapsed.
    """
    if not isinstance(raw, str):
        return ""
    # Filter before composing: a dropped character between a letter and its accent must not
    # leave them uncomposed.
    text = "".join(ch for ch in raw if ch.isspace() or _keep_char(ch))
    text = unicodedata.normalize("NFC", text)
    # Tabs and the many Unicode spaces (no-break, narrow no-break…) become one space.
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# Characters that show nothing although they are not marked invisible: the Braille blank and the
# Hangul fillers (used to send "empty" messages)
_BLANKS = frozenset("\u2800\u3164\u115f\u1160\uffa0")


def _visible(text: str) -> bool:
    """Whether a cleaned text shows anything: not only direction marks, joiners or blanks."""
    return any(
        not ch.isspace() and ch not in _BLANKS and unicodedata.category(ch) != "Cf" for ch in text
    )


def _plain(raw: str) -> str:
    """Cleaned text without any invisible mark, for answers made of digits and symbols.

    Chat apps add direction marks around numbers typed in right-to-left conversations.
    """
    return "".join(ch for ch in clean_text(raw) if unicodedata.category(ch) != "Cf")


def _ascii_digits(text: str) -> str:
    """Replace digits of any script (Arabic-Indic ١٢, Persian ۱۲…) by 0-9."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def number_in_text(raw: str) -> int | None:
    """The one whole number in a short answer ("19", "j'ai 32 ans", "dix-neuf"), else None."""
    spelt = parse_number(raw)
    if isinstance(spelt, int):
        return spelt
    found = re.findall(r"\d+", _ascii_digits(_plain(raw)))
    return int(found[0]) if len(found) == 1 and len(found[0]) <= 4 else None


# Words of a duration, as typed in the languages Relais speaks (normalised: no accents)
_YEAR_WORDS = frozenset(
    [
        "an",
        "ans",
        "annee",
        "annees",
        "year",
        "years",
        "yr",
        "yrs",
        "рік",
        "роки",
        "років",
        "року",
        "سنة",
        "سنوات",
        "سنين",
        "عام",
        "اعوام",
    ]
)
_MONTH_WORDS = frozenset(
    ["mois", "month", "months", "місяць", "місяці", "місяців", "місяця", "شهر", "اشهر", "شهور"]
)
_HALF_WORDS = frozenset(["demi", "demie", "half", "пів", "половина", "نصف"])


def months_in_text(raw: str) -> int | None:
    """A duration typed in words, in months ("3 ans" 36, "6 mois" 6, "un an et demi" 18, "two
    years"); None when no number is followed by a unit."""
    if len(raw) > 200:
        return None
    tokens = re.findall(r"\d+|[^\W\d_]+", _ascii_digits(normalise_label(raw)))
    total, found, last_unit = 0, False, 0
    for before, token in zip(["", *tokens], tokens, strict=False):
        unit = 12 if token in _YEAR_WORDS else 1 if token in _MONTH_WORDS else 0
        if unit:
            count = int(before) if before.isdigit() else _NUMBER_WORDS.get(before)
            if count is not None and count < 100:
                total, found, last_unit = total + count * unit, True, unit
        elif token in _HALF_WORDS and found:
            total += last_unit // 2  # "un an et demi": half of the unit before
    return total if found else None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- labels ------------------------------------------------------------------------------

# Latin letters that do not decompose into a base letter and an accent.
_LATIN_FOLD = {"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ð": "d", "þ": "th"}
# Joined rather than turned into a space, so that "j'ai" and "jai" match.
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u02bb`\u00b4\u2032")
# Arabic vowel signs and the tatweel are optional when typing: people rarely write them.
_ARABIC_OPTIONAL = re.compile(
    "[\u0610-\u061a\u0640\u064b-\u065f\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"
)


def _is_latin(ch: str) -> bool:
    if ch < "\u0250":
        return True
    return unicodedata.name(ch, "").startswith("LATIN")


def normalise_label(text: str) -> str:
    """Fold text for matching against button labels: case, Latin accents, punctuation, emoji.

    Letters of other scripts stay as they are; digits of any script become 0-9.
    """
    if not isinstance(text, str):
        return ""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cs")
    # NFKC first: full-width letters, ligatures and Arabic presentation forms become the
    # plain letters people type.
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_OPTIONAL.sub("", text)
    out: list[str] = []
    marks_kept = False  # whether the combining marks that follow belong to a kept letter
    for ch in unicodedata.normalize("NFD", text):
        cat = unicodedata.category(ch)
        if ch in _APOSTROPHES:
            marks_kept = False
        elif cat[0] == "M":
            if marks_kept:
                out.append(ch)
        elif cat[0] == "L":
            latin = _is_latin(ch)
            out.append(_LATIN_FOLD.get(ch, ch) if latin else ch)
            marks_kept = not latin
        elif cat == "Nd":
            out.append(str(unicodedata.decimal(ch)))
            marks_kept = False
        elif cat[0] == "N":
            out.append(ch)
            marks_kept = False
        elif cat in ("Cf", "Cs"):
            continue  # invisible joiners inside a word must not split it
        else:
            out.append(" ")
            marks_kept = False
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


# -- text --------------------------------------------------------------------------------


def parse_text(raw: str, min_length: int = 1, max_length: int = 300) -> str | Invalid:
    """A free text answer, cleaned, whose length is within the bounds."""
    text = clean_text(raw)
    if not _visible(text) and min_length > 0:
        return Invalid(T_TEXT_EMPTY)
    if len(text) < min_length:
        return Invalid(T_TEXT_SHORT, {"min": str(min_length)})
    if len(text) > max_length:
        return Invalid(T_TEXT_LONG, {"max": str(max_length)})
    return text


# -- numbers -----------------------------------------------------------------------------

_NUMBER = re.compile(r"([+-]?)\s*(\d+(?:[ .,]\d+)*)\s*(.*)")
# A unit typed after the number is harmless; anything else ("2 mille", "1e9") is refused
# rather than guessed.
_UNIT_WORDS = _words(
    "eur euro euros an ans annee annees mois semaine semaines jour jours heure heures h km "
    "kilometre kilometres enfant enfants personne personnes fois "
    "year years month months week weeks day days hour hours child children"
)
_UNIT_SYMBOLS = _words("€ % $ £")
_MAX_DIGITS = 15  # beyond this a float loses units and nobody types it on purpose


def _show_number(value: float) -> str:
    """A bound as people in France read it: 12, 12,5 (comma for decimals)."""
    if value == int(value):
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")


def _split_number(body: str, integer: bool) -> tuple[str, str] | None:
    """Integer and fraction digits of '1 200,5' / '1.200' / '12.5'; None when malformed."""
    groups = re.split(r"[ .,]", body)
    seps = re.findall(r"[ .,]", body)
    if not seps:
        return body, ""
    punct = [s for s in seps if s != " "]
    decimal_at: int | None = None
    if punct:
        last = punct[-1]
        # A separator used once is the decimal mark (French "12,5" and English "12.5");
        # used several times, or before the other one, it groups thousands.
        if punct.count(last) == 1:
            decimal_at = len(seps) - 1 - seps[::-1].index(last)
            if decimal_at != len(seps) - 1:
                return None
        # When a whole number is expected, "1.200 €" can only mean twelve hundred.
        thousands = len(groups[-1]) == 3 and not groups[0].startswith("0")
        if integer and decimal_at is not None and len(punct) == 1 and thousands:
            decimal_at = None
    whole = groups[: decimal_at + 1] if decimal_at is not None else groups
    if len(whole) > 1 and (len(whole[0]) > 3 or any(len(g) != 3 for g in whole[1:])):
        return None
    fraction = groups[-1] if decimal_at is not None else ""
    return "".join(whole), fraction


# Numbers written in words, in French and in English, up to twenty: "deux", "dix-neuf",
# "two". Hyphens are spaces once folded: "dix-sept" is "dix sept".
_NUMBER_WORDS = {
    name.replace("_", " "): number
    for number, names in enumerate(
        [
            "zero",
            "un une one",
            "deux two",
            "trois three",
            "quatre four",
            "cinq five",
            "six",
            "sept seven",
            "huit eight",
            "neuf nine",
            "dix ten",
            "onze eleven",
            "douze twelve",
            "treize thirteen",
            "quatorze fourteen",
            "quinze fifteen",
            "seize sixteen",
            "dix_sept seventeen",
            "dix_huit eighteen",
            "dix_neuf nineteen",
            "vingt twenty",
        ]
    )
    for name in names.split()
}


def _number_in_words(text: str) -> str | None:
    """'dix-neuf ans' → '19 ans'; None when the text is not a number written in words."""
    if len(text) > 100:
        return None  # no number in words is this long: not worth folding
    words = normalise_label(text).split()
    for cut in range(len(words), 0, -1):
        number = _NUMBER_WORDS.get(" ".join(words[:cut]))
        if number is not None:
            return " ".join([str(number), *words[cut:]])
    return None


def parse_number(
    raw: str,
    minimum: float | None = None,
    maximum: float | None = None,
    integer: bool = True,
) -> int | float | Invalid:
    """A number typed with digits of any script, French or English decimal mark, or in words
    up to twenty ("deux", "dix-neuf", "two"), within bounds."""
    spelt = _number_in_words(raw)
    if spelt is not None:
        raw = spelt
    text = _ascii_digits(_plain(raw)).replace("\n", " ")
    text = text.replace("\u2212", "-").replace("\u066b", ",").replace("\u066c", " ")
    match = _NUMBER.fullmatch(text)
    if match is None:
        return Invalid(T_NUMBER)
    sign, body, unit = match.groups()
    unit = unit.strip()
    if unit and unit not in _UNIT_SYMBOLS and normalise_label(unit) not in _UNIT_WORDS:
        return Invalid(T_NUMBER)
    parts = _split_number(body, integer)
    if parts is None:
        return Invalid(T_NUMBER)
    whole, fraction = parts
    if len(whole.lstrip("0")) > _MAX_DIGITS:
        if maximum is not None:
            return Invalid(T_NUMBER_MAX, {"max": _show_number(maximum)})
        return Invalid(T_NUMBER_HUGE)
    if len(fraction) > _MAX_DIGITS:
        return Invalid(T_NUMBER)
    try:
        exact = Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation:
        return Invalid(T_NUMBER)
    if integer and exact != exact.to_integral_value():
        return Invalid(T_NUMBER_INTEGER)
    value: int | float = int(exact) if integer else float(exact)
    too_low = minimum is not None and value < minimum
    too_high = maximum is not None and value > maximum
    if (too_low or too_high) and minimum is not None and maximum is not None:
        return Invalid(
            T_NUMBER_BETWEEN, {"min": _show_number(minimum), "max": _show_number(maximum)}
        )
    if too_low and minimum is not None:
        return Invalid(T_NUMBER_MIN, {"min": _show_number(minimum)})
    if too_high and maximum is not None:
        return Invalid(T_NUMBER_MAX, {"max": _show_number(maximum)})
    return value


# -- dates -------------------------------------------------------------------------------

# A date or a yes/no longer than this is not one: refuse it before any costly folding.
_MAX_ANSWER = 200
MIN_YEAR = 1900
MAX_YEAR = 2100

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "janvier janv jan january",
            "fevrier fevr fev feb february",
            "mars mar march",
            "avril avr apr april",
            "mai may",
            "juin jun june",
            "juillet juil jul july",
            "aout aou aug august",
            "septembre sept sep september",
            "octobre oct october",
            "novembre nov november",
            "decembre dec december",
        ],
        start=1,
    )
    for name in names.split()
}
# Words people put around a date ("le lundi 3 mars", "on Monday 3rd of March").
_DATE_FILLERS = _words(
    "le la du de of on the lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lun mar mer jeu ven sam dim monday tuesday wednesday thursday friday saturday sunday "
    "mon tue wed thu fri sat sun"
) - {"mar"}  # "mar" is also March
_RELATIVE_DAYS = {
    "aujourdhui": 0,
    "today": 0,
    "demain": 1,
    "tomorrow": 1,
    "hier": -1,
    "yesterday": -1,
}
_DAYS = _words(
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "monday tuesday wednesday thursday friday saturday sunday"
)


# weekday numbers (Monday = 0) of the names people type
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            "lundi lun monday mon",
            "mardi tuesday tue",
            "mercredi mer wednesday wed",
            "jeudi jeu thursday thu",
            "vendredi ven friday fri",
            "samedi sam saturday sat",
            "dimanche dim sunday sun",
        ]
    )
    for name in names.split()
}


def names_a_day(typed: str) -> bool:
    """Whether a normalised answer names a month or a day ("pas avant décembre", "demain"):
    then it is a date, not a "no" to the question."""
    return any(word in _MONTHS or word in _RELATIVE_DAYS or word in _DAYS for word in typed.split())


_ORDINAL = re.compile(r"(\d{1,2})(?:er|ere|eme|e|st|nd|rd|th)")


def _strip_ordinal(token: str) -> str:
    """'1er' → '1', '3rd' → '3'."""
    match = _ORDINAL.fullmatch(token)
    return match.group(1) if match else token


def _show_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _build_date(year: int, month: int, day: int) -> date | Invalid:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return Invalid(T_DATE_YEAR, {"min": str(MIN_YEAR), "max": str(MAX_YEAR)})
    try:
        return date(year, month, day)
    except ValueError:
        return Invalid(T_DATE_IMPOSSIBLE)


def _in_bounds(value: date, low: date | None, high: date | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _two_digit_year(
    yy: int, month: int, day: int, today: date, low: date | None, high: date | None
) -> date | Invalid:
    """The century that fits the bounds, else the one nearest to today ('85' → 1985)."""
    candidates = [_build_date(century + yy, month, day) for century in (1900, 2000)]
    dates = [d for d in candidates if isinstance(d, date)]
    if not dates:
        return candidates[0]
    fitting = [d for d in dates if _in_bounds(d, low, high)] or dates
    return min(fitting, key=lambda d: abs((d - today).days))


def date_example(
    today: date, not_before: date | None = None, not_after: date | None = None
) -> date:
    """A date the question accepts, to show as an example: today, or the nearest bound. For
    a date from today on, a day to come rather than today: the first day of next month."""
    if not_before == today:
        example = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    else:
        example = max(today, not_before) if not_before is not None else today
    return min(example, not_after) if not_after is not None else example


def _next_day_of_year(day: int, month: int, today: date) -> date | Invalid:
    """'1er décembre' asked about a date to come: the next 1 December, this year if it is
    still ahead (or today), else next year."""
    if not 1 <= month <= 12:
        return Invalid(T_DATE_IMPOSSIBLE)
    for year in range(today.year, today.year + 9):  # a 29 February comes back within 8 years
        try:
            found = date(year, month, day)
        except ValueError:
            if (day, month) == (29, 2):
                continue
            return Invalid(T_DATE_IMPOSSIBLE)
        if found >= today:
            return found
    return Invalid(T_DATE_IMPOSSIBLE)


def _read_date(
    tokens: list[str], today: date, low: date | None, high: date | None
) -> date | Invalid:
    """A date from normalised tokens: digits, month names, ordinals."""
    tokens = [_strip_ordinal(t) for t in tokens]
    # "jeudi", "jeudi prochain" where a date to come is asked: the next Thursday after today
    weekdays = [_WEEKDAYS[t] for t in tokens if t in _WEEKDAYS]
    tokens = [t for t in tokens if t not in _DATE_FILLERS]
    if not tokens or tokens in (["prochain"], ["next"]):
        if len(weekdays) == 1 and low is not None and low >= today:
            return today + timedelta(days=(weekdays[0] - today.weekday() - 1) % 7 + 1)
        return Invalid(T_DATE_INCOMPLETE) if weekdays else Invalid(T_DATE)
    if len(tokens) == 1 and tokens[0] not in _RELATIVE_DAYS and len(tokens[0]) >= 5:
        # "demian", "aujourdui": a word for a day typed with a slip
        close = [w for w in _RELATIVE_DAYS if edit_distance(tokens[0], w, 1) <= 1]
        tokens = close[:1] if len(close) == 1 else tokens
    if len(tokens) == 1 and tokens[0] in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[tokens[0]])
    months = [i for i, t in enumerate(tokens) if t in _MONTHS]
    numbers = [t for i, t in enumerate(tokens) if i not in months]
    # isascii: "²" or Kharosthi digits pass isdigit() but int() refuses them.
    if len(months) > 1 or not all(t.isascii() and t.isdigit() and len(t) <= 8 for t in numbers):
        return Invalid(T_DATE)
    # A day and a month without the year ("1er décembre", "3/01") can only mean the next one
    # when the question asks for a date to come; for any other it is incomplete.
    ahead = low is not None and low >= today
    if ahead and len(numbers) + len(months) == 2 and all(len(t) <= 2 for t in numbers):
        if months:
            return _next_day_of_year(int(numbers[0]), _MONTHS[tokens[months[0]]], today)
        return _next_day_of_year(int(numbers[0]), int(numbers[1]), today)
    if months:
        month = _MONTHS[tokens.pop(months[0])]
        # Day-first ("25 décembre 2024") or English month-first ("December 25 2024"):
        # either way the remaining numbers are the day then the year.
        if len(tokens) != 2:
            return Invalid(T_DATE_INCOMPLETE) if len(tokens) < 2 else Invalid(T_DATE)
        day_text, year_text = tokens
    elif len(tokens) == 3:
        if len(tokens[0]) == 4:  # ISO order: 2024-12-25
            year_text, month_text, day_text = tokens
        else:
            day_text, month_text, year_text = tokens
        if len(month_text) > 2:
            return Invalid(T_DATE)
        month = int(month_text)
    elif len(tokens) == 1 and len(tokens[0]) in (6, 8):
        # Typed without separators on a phone keypad: 25122024 or 251224.
        compact = tokens[0]
        day_text, month, year_text = compact[:2], int(compact[2:4]), compact[4:]
        if len(compact) == 8 and isinstance(
            _build_date(int(year_text), month, int(day_text)), Invalid
        ):
            iso = _build_date(int(compact[:4]), int(compact[4:6]), int(compact[6:]))
            if isinstance(iso, date):
                return iso
    elif len(tokens) in (1, 2):
        return Invalid(T_DATE_INCOMPLETE)
    else:
        return Invalid(T_DATE)
    if len(day_text) > 2 or len(year_text) not in (2, 4):
        return Invalid(T_DATE)
    if len(year_text) == 2:
        return _two_digit_year(int(year_text), month, int(day_text), today, low, high)
    return _build_date(int(year_text), month, int(day_text))


def parse_date(
    raw: str, today: date, not_before: date | None = None, not_after: date | None = None
) -> date | Invalid:
    """A date written day first as in France (25/12/2024, 25 décembre 2024, 2024-12-25)."""
    text = clean_text(raw)
    tokens = normalise_label(text).split() if len(text) <= _MAX_ANSWER else []
    value = _read_date(tokens, today, not_before, not_after) if tokens else Invalid(T_DATE)
    if isinstance(value, Invalid):
        shown = {"example": _show_date(date_example(today, not_before, not_after))}
        if value.reason == T_DATE:
            return Invalid(T_DATE, shown)
        if value.reason == T_DATE_INCOMPLETE:
            return Invalid(T_DATE_INCOMPLETE, shown)
        return value
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return Invalid(T_DATE_YEAR, {"min": str(MIN_YEAR), "max": str(MAX_YEAR)})
    if not_before is not None and value < not_before:
        if not_before == today:
            return Invalid(T_DATE_PAST_TODAY)
        if not_before < today:
            return Invalid(T_DATE_PAST, {"date": _show_date(not_before)})
        return Invalid(T_DATE_EARLY, {"date": _show_date(not_before)})
    if not_after is not None and value > not_after:
        if not_after == today:
            return Invalid(T_DATE_FUTURE_TODAY)
        if not_after > today:
            return Invalid(T_DATE_FAR, {"date": _show_date(not_after)})
        if value > today:
            return Invalid(T_DATE_FUTURE, {"date": _show_date(not_after)})
        return Invalid(T_DATE_RECENT, {"date": _show_date(not_after)})
    return value


# -- times of day -----------------------------------------------------------------------

# Words around a time ("à 14h", "vers 9h", "at 2pm", "pour 10h"), once folded.
_TIME_FILLERS = _words("a vers at around about for pour le la de ce cet")
# "du matin", "de l'après-midi", "du soir": folded and without fillers
_TIME_HALVES = {
    "am": "am",
    "matin": "am",
    "pm": "pm",
    "lapres midi": "pm",
    "apres midi": "pm",
    "aprem": "pm",
    "soir": "pm",
}
_TIME_NAMES = {"midi": (12, 0), "noon": (12, 0), "minuit": (0, 0), "midnight": (0, 0)}
# 14h30, 14 h 30, 14:30 (folded: "14 30"), 14.30, 14h, 9, 1430, 2pm, 2:30 pm
_TIME = re.compile(
    r"(?P<hour>\d{1,2})(?:\s*(?:h|heures?|hours?)\s*(?P<min>\d{1,2})?|\s+(?P<min2>\d{2}))?"
    r"\s*(?:min|minutes?|mn)?\s*(?P<half>am|pm)?"
)
_COMPACT_TIME = re.compile(r"(?P<hour>\d{1,2})(?P<min>\d{2})(?P<half>am|pm)?")


def _stored_time(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def parse_time(raw: str) -> str | Invalid:
    """A time of day as people write it in France and elsewhere: 14h30, 14 h 30, 14:30, 14.30,
    14h, 9h, 1430, 2pm, 2:30 pm, midi; saved as "14:30"."""
    text = _ascii_digits(_plain(raw))
    if not text or len(text) > _MAX_ANSWER:
        return Invalid(T_TIME)
    folded = normalise_label(text)
    for phrase, which in sorted(_TIME_HALVES.items(), key=lambda kv: -len(kv[0])):
        # "du matin", "de l'après-midi": the words of the half of the day, after the time
        folded = re.sub(rf"(^| ){phrase}$", f" {which}", folded)
    words = [w for w in folded.split() if w not in _TIME_FILLERS and w not in ("du", "des")]
    folded = " ".join(words)
    if folded in _TIME_NAMES:
        return _stored_time(*_TIME_NAMES[folded])
    found = _COMPACT_TIME.fullmatch(folded) or _TIME.fullmatch(folded)
    if found is None:
        return Invalid(T_TIME)
    groups = found.groupdict()
    hour = int(groups["hour"])
    minute = int(groups.get("min") or groups.get("min2") or 0)
    half = groups.get("half")
    if half is not None:
        if not 1 <= hour <= 12:
            return Invalid(T_TIME_IMPOSSIBLE)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return Invalid(T_TIME_IMPOSSIBLE)
    return _stored_time(hour, minute)


def local_moment(day: date, clock: time, zone: ZoneInfo) -> datetime | None:
    """The moment a local date and time name in `zone` (aware), or None when that time does
    not exist (the night clocks go forward). A time that comes twice (the night clocks go
    back) is the first one."""
    local = datetime.combine(day, clock, tzinfo=zone)  # fold=0: the first of two
    again = local.astimezone(UTC).astimezone(zone)
    if again.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local


def check_moment(
    day_text: str, time_text: str, zone: ZoneInfo, now: datetime | None = None
) -> str | Invalid:
    """A time answered for a date answered before it (stored forms, "2026-03-29" and "14:30"):
    refused when it does not exist that day in `zone`, or when it is not after `now` (given).
    A date that cannot be read is not checked (a broken answer must not stop anyone)."""
    try:
        day = date.fromisoformat(day_text)
        clock = time.fromisoformat(time_text)
    except (TypeError, ValueError):
        return time_text
    moment = local_moment(day, clock, zone)
    if moment is None:
        naive = datetime.combine(day, clock)
        after = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)  # past the gap
        return Invalid(T_TIME_SKIPPED, {"time": time_text, "example": after.strftime("%H:%M")})
    if now is not None and moment <= now:
        return Invalid(T_TIME_PAST, {"now": now.astimezone(zone).strftime("%H:%M")})
    return time_text


# -- months (CV periods) -----------------------------------------------------------------

# A year, and a month when it is known: people often remember only the year of a past job.
_Period = tuple[int, int | None]

_STORED_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?")
# "en mars 2021", "in 2019": the words around a month, on top of those around a date.
_MONTH_FILLERS = _DATE_FILLERS | _words("en in")


def month_bound(today: date) -> str:
    """Today's month in the stored form, to use as a bound: 2026-11-15 → "2026-11"."""
    return f"{today.year:04d}-{today.month:02d}"


def _stored(period: _Period) -> str:
    year, month = period
    return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"


def _read_bound(text: str | None) -> _Period | None:
    """A bound in the stored form; a malformed one is ignored.

    Bounds come from saved answers: a broken one must not stop the person from answering.
    """
    match = _STORED_MONTH.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    # Outside the years a month may have, a bound would refuse nothing more.
    if not MIN_YEAR <= year <= MAX_YEAR or (month is not None and not 1 <= month <= 12):
        return None
    return year, month


def _compare(a: _Period, b: _Period) -> int:
    """-1, 0 or 1; when either side is only a year, only the years count."""
    if a[1] is None or b[1] is None:
        left, right = (a[0], 0), (b[0], 0)
    else:
        left, right = (a[0], a[1]), (b[0], b[1])
    return (left > right) - (left < right)


def _fits(value: _Period, low: _Period | None, high: _Period | None) -> bool:
    return (low is None or _compare(value, low) >= 0) and (
        high is None or _compare(value, high) <= 0
    )


def _month_words(period: _Period) -> str:
    """'mars 2021' or '2021', as the CV writes it."""
    year, month = period
    if month is None:
        return str(year)
    return format_date(date(year, month, 1), "MMMM y", locale="fr")


def _two_digit_month(
    yy: int, month: int, today: date, low: _Period | None, high: _Period | None
) -> _Period:
    """The century that fits the bounds, else the one nearest to today ('03/21' → 2021-03)."""
    candidates: list[_Period] = [(century + yy, month) for century in (1900, 2000)]
    fitting = [p for p in candidates if _fits(p, low, high)] or candidates
    now = today.year * 12 + today.month
    return min(fitting, key=lambda p: abs(p[0] * 12 + (p[1] or 1) - now))


def _is_number(token: str, *lengths: int) -> bool:
    # isascii: NFKC leaves some digit-like characters that int() refuses.
    return token.isascii() and token.isdigit() and len(token) in lengths


def _read_month(
    tokens: list[str], today: date, low: _Period | None, high: _Period | None
) -> _Period | Invalid:
    """A month and a year, or a year alone, from normalised tokens."""
    if len(tokens) == 3:
        # A full date: the day is checked (no 31 February), then dropped.
        low_day = date(low[0], low[1] or 1, 1) if low else None
        high_day = date(high[0], high[1] or 12, 1) if high else None
        if high_day is not None:
            # The last day of that month, so that any day in it fits.
            high_day = (high_day + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        day = _read_date(tokens, today, low_day, high_day)
        if isinstance(day, Invalid):
            # _read_date's generic message shows a full date: ask for a month instead.
            return day if day.reason in (T_DATE_IMPOSSIBLE, T_DATE_YEAR) else Invalid(T_MONTH)
        return day.year, day.month
    names = [t for t in tokens if t in _MONTHS]
    numbers = [t for t in tokens if t not in _MONTHS]
    if len(names) > 1 or not all(_is_number(t, 1, 2, 4) for t in numbers):
        return Invalid(T_MONTH)
    if names:
        # "mars 21" or "15 mars" are ambiguous (a day, or a year?): ask for the 4 digits.
        if len(numbers) != 1 or len(numbers[0]) != 4:
            return Invalid(T_MONTH_YEAR)
        return int(numbers[0]), _MONTHS[names[0]]
    if len(numbers) == 1:
        return (int(numbers[0]), None) if len(numbers[0]) == 4 else Invalid(T_MONTH)
    if len(numbers) != 2:
        return Invalid(T_MONTH)
    month_text, year_text = numbers
    if len(month_text) == 4:  # ISO order: 2021-03
        month_text, year_text = year_text, month_text
    if len(month_text) == 4 or len(year_text) == 1:
        return Invalid(T_MONTH)
    month = int(month_text)
    if not 1 <= month <= 12:
        return Invalid(T_MONTH_NUMBER)
    if len(year_text) == 2:
        return _two_digit_month(int(year_text), month, today, low, high)
    return int(year_text), month


def parse_month(
    raw: str, today: date, not_before: str | None = None, not_after: str | None = None
) -> str | Invalid:
    """When a job or a training started or ended: "2021-03", or "2021" when only the year is known.

    Reads 03/2021, 2021-03, mars 2021, sept 2019, 03/21, 2021, or a full date whose day is
    dropped. Bounds are stored forms ("2021" or "2021-03"); when either side is only a year,
    only the years are compared. not_before is meant for an end that follows its start;
    not_after = month_bound(today) refuses the months to come.
    """
    text = clean_text(raw)
    tokens = normalise_label(text).split() if len(text) <= _MAX_ANSWER else []
    tokens = [t for t in tokens if t not in _MONTH_FILLERS]
    if not tokens:
        return Invalid(T_MONTH)
    low, high = _read_bound(not_before), _read_bound(not_after)
    value = _read_month(tokens, today, low, high)
    if isinstance(value, Invalid):
        return value
    if not MIN_YEAR <= value[0] <= MAX_YEAR:
        return Invalid(T_DATE_YEAR, {"min": str(MIN_YEAR), "max": str(MAX_YEAR)})
    if low is not None and _compare(value, low) < 0:
        return Invalid(T_MONTH_BEFORE_START, {"month": _month_words(low)})
    if high is not None and _compare(value, high) > 0:
        # "Not yet" only when the bound is now: an older bound needs its own words.
        now: _Period = (today.year, today.month)
        if high in (now, (today.year, None)):
            if value[1] is None:
                return Invalid(T_YEAR_FUTURE)
            return Invalid(T_MONTH_FUTURE)
        return Invalid(T_MONTH_LATE, {"month": _month_words(high)})
    return _stored(value)


# -- names -------------------------------------------------------------------------------

# Hyphens and apostrophes of compound and elided names (Dupré-Nœl, O'Connor, Ngũgĩ waʼ…);
# dots for initials and suffixes ("J.", "Jr.").
_NAME_PUNCTUATION = frozenset(" -\u2010'\u2019\u02bc.")


# What people write before their name when asked for it: "je m'appelle Sara", "my name is
# John", "Меня зовут Олена", "اسمي سارة", optionally after a greeting. Words are written here
# with spaces and apostrophes; typed, those may be missing or doubled ("je m appelle", "jem").
_GREETINGS = (
    "bonjour",
    "bonsoir",
    "salut",
    "hello",
    "hi",
    "hey",
    "salam",
    "привіт",
    "привет",
    "добрий день",
    "здравствуйте",
    "مرحبا",
    "السلام عليكم",
)
_NAME_INTROS = (
    "je m'appelle",
    "je m'apelle",
    "moi c'est",
    "mon prénom c'est",
    "mon prénom est",
    "mon prenom est",
    "mon nom de famille est",
    "mon nom c'est",
    "mon nom est",
    "c'est",
    "je suis",
    "my first name is",
    "my last name is",
    "my surname is",
    "my name is",
    "my name's",
    "i am",
    "i'm",
    "it's",
    "call me",
    "меня зовут",
    "мене звати",
    "моє ім'я",
    "моё имя",
    "мое имя",
    "моє прізвище",
    "моя фамилия",
    "я",
    "اسمي",
    "إسمي",
    "أنا",
    "انا",
    "me llamo",
    "mi nombre es",
    "meu nome é",
)
# Labels count only with a colon after them: "Nom : Benali" (a name may be "Nom" or "Name").
_NAME_LABELS = ("prénom", "prenom", "nom de famille", "nom", "first name", "last name", "name")


def _loose(phrase: str) -> str:
    """A phrase as a pattern whose spaces and apostrophes may be typed or left out."""
    parts = re.split(r"[\s']+", phrase)
    return r"[\s'’ʼ`]*".join(re.escape(p) for p in parts if p)


_INTRO = re.compile(
    r"^(?:(?:" + "|".join(_loose(g) for g in _GREETINGS) + r")[\s,.!]+)?"
    r"(?:(?:" + "|".join(_loose(i) for i in _NAME_INTROS) + r")(?:\s*[:,.-]\s*|\s+)"
    r"|(?:" + "|".join(_loose(i) for i in _NAME_LABELS) + r")\s*[:=-]\s*)",
    re.IGNORECASE,
)


def strip_name_intro(text: str) -> str:
    """The name without the words people write before it: "je m appelle Sara" → "Sara"."""
    found = _INTRO.match(text)
    rest = text[found.end() :].strip() if found else text
    # "Je m'appelle" alone: keep what was typed
    return rest if any(ch.isalpha() for ch in rest) else text


def parse_name(raw: str, max_length: int = 60, latin: bool = False) -> str | Invalid:
    """A first or last name: letters of any script (or, with `latin`, Latin letters only),
    accents, - ' . and spaces; what people write around a name ("je m'appelle") is left out."""
    # A name is one line: a line break typed by mistake becomes a space.
    text = strip_name_intro(" ".join(clean_text(raw).split()))
    if not any(unicodedata.category(ch) != "Cf" for ch in text):
        return Invalid(T_TEXT_EMPTY)
    if len(text) > max_length:
        return Invalid(T_TEXT_LONG, {"max": str(max_length)})
    previous = ""
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] == "M":
            # An accent needs a letter to sit on; alone it shows as a dotted circle.
            if previous[:1] not in ("L", "M"):
                return Invalid(T_NAME)
        elif ch in _KEEP_FORMAT:
            # Invisible, so transparent: a joiner may sit between a letter and its marks.
            continue
        elif not (cat[0] == "L" or ch in _NAME_PUNCTUATION):
            return Invalid(T_NAME)
        previous = cat
    if not any(unicodedata.category(ch)[0] == "L" for ch in text):
        return Invalid(T_NAME)
    if latin and not is_latin(text):
        return Invalid(T_NAME_LATIN)
    return text


# -- phone numbers -----------------------------------------------------------------------

_PHONE_PUNCTUATION = frozenset(" +().-/")
# Overseas departments share the French numbering plan: people there write 0692 12 34 56,
# which the FR metadata alone does not recognise.
# Overseas departments whose numbers are written the French way (0692…, 10 digits). Not
# Saint-Pierre-et-Miquelon: its 6-digit numbers would turn "0612345", a French mobile missing
# digits, into a valid +508 number; there it is written +508 41 12 34.
_OVERSEAS = ("RE", "YT", "GP", "MQ", "GF", "BL", "MF")
_FRENCH_PLAN = frozenset({33, 262, 590, 594, 596, 508})
_MAX_PHONE_CHARS = 40


def _parse_valid(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def parse_phone(raw: str, default_region: str = "FR") -> str | Invalid:
    """A phone number, French or international, as E.164 (+33612345678)."""
    text = _ascii_digits(_plain(raw))
    if not text:
        return Invalid(T_PHONE)
    # phonenumbers reads letters as keypad digits (1-800-FLOWERS); here they are a typo.
    if any(not (ch.isdigit() or ch in _PHONE_PUNCTUATION) for ch in text):
        return Invalid(T_PHONE_DIGITS)
    digits = sum(ch.isdigit() for ch in text)
    if len(text) > _MAX_PHONE_CHARS or digits > 17:
        return Invalid(T_PHONE_LONG)
    if "+" in text[1:].lstrip():
        return Invalid(T_PHONE)
    number = _parse_valid(text, default_region)
    if number is None and default_region == "FR" and not text.startswith("+"):
        number = next(
            (n for n in (_parse_valid(text, r) for r in _OVERSEAS) if n is not None), None
        )
    if number is not None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    try:
        rough = phonenumbers.parse(text, default_region)
        reason = phonenumbers.is_possible_number_with_reason(rough)
    except phonenumbers.NumberParseException:
        return Invalid(T_PHONE)
    if reason == phonenumbers.ValidationResult.TOO_SHORT:
        return Invalid(T_PHONE_SHORT)
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return Invalid(T_PHONE_LONG)
    return Invalid(T_PHONE)


def format_phone(e164: str) -> str:
    """A saved number for display: national for French numbers (06 12 34 56 78), else +44 …."""
    if not isinstance(e164, str):
        return str(e164)
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code in _FRENCH_PLAN:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# -- e-mail ------------------------------------------------------------------------------


def parse_email(raw: str) -> str | Invalid:
    """An e-mail address, syntax only (no network), normalised (domain in lower case)."""
    # A full-width @ comes from Chinese and Japanese keyboards.
    text = _plain(raw).replace("\uff20", "@")
    if "@" not in text:
        return Invalid(T_EMAIL_AT)
    if any(ch.isspace() for ch in text):
        return Invalid(T_EMAIL_SPACE)
    if len(text) > 320:
        return Invalid(T_EMAIL)
    try:
        result = validate_email(text, check_deliverability=False)
    except (EmailNotValidError, ValueError, UnicodeError):
        return Invalid(T_EMAIL)
    return result.normalized


# -- postcodes ---------------------------------------------------------------------------


def parse_postcode(raw: str) -> str | Invalid:
    """A French postcode: five digits, from a real department (75 011 → 75011)."""
    text = "".join(_ascii_digits(_plain(raw)).split())
    if len(text) != 5 or not (text.isascii() and text.isdigit()):
        return Invalid(T_POSTCODE)
    department = int(text[:2])
    # 01-95 is mainland France with Corsica (20), 97 the overseas departments, 98 Monaco and
    # the Pacific territories; 00, 96 and 99 are not used.
    if not (1 <= department <= 95 or department in (97, 98)):
        return Invalid(T_POSTCODE_UNKNOWN)
    return text


# -- yes / no ----------------------------------------------------------------------------

# The words of each language are in its catalog (bot.core.words); these are the words of
# languages Relais has no catalog for yet, read whatever the person's language. A catalog
# added for one of them brings its words there.
_OTHER_YES = _words("sim da да evet ja بله آره")
_OTHER_NO = _words("нет nein nao hayir نه")
_YES_EMOJI = frozenset("\U0001f44d\u2705\u2714\U0001f44c")
_NO_EMOJI = frozenset("\U0001f44e\u274c")


def _begins_with_none(phrase: str, lexicon: Lexicon) -> bool:
    """Whether an answer begins with a phrase of several words that says "none": "j'ai pas
    de mail", "pas encore inscrit" (a single word such as "pas" is not enough)."""
    return any(" " in p and phrase.startswith(p + " ") for p in lexicon.none)


def parse_yes_no(raw: str, lexicon: Lexicon | None = None) -> bool | Invalid:
    """A typed yes or no (oui, ok, d'accord, 👍 / non, 👎), in any case, with or without
    accents, in the words of `lexicon` (the person's languages)."""
    words_of = lexicon or Lexicon()
    yes, no = words_of.yes | _OTHER_YES, words_of.no | _OTHER_NO
    text = clean_text(raw)
    if len(text) > _MAX_ANSWER:
        return Invalid(T_YES_NO)
    votes: set[bool] = set()
    if any(ch in _YES_EMOJI for ch in text):
        votes.add(True)
    if any(ch in _NO_EMOJI for ch in text):
        votes.add(False)
    phrase = " ".join(normalise_label(text).split())
    for polite in sorted(words_of.polite, key=len, reverse=True):
        # "oui merci", "non stp", "merci beaucoup": politeness around the answer goes
        phrase = re.sub(rf"(^| ){re.escape(polite)}(?= |$)", " ", phrase)
    words = phrase.split()
    if words and len(set(words)) == 1:
        words = words[:1]  # "oui oui", "non non"
    phrase = " ".join(words)
    if phrase in yes:
        votes.add(True)
    elif phrase in no or _begins_with_none(phrase, words_of):
        votes.add(False)
    elif phrase:
        return Invalid(T_YES_NO)
    if len(votes) != 1:
        return Invalid(T_YES_NO)
    return votes.pop()
