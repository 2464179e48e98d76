"""Parsing and validation of typed answers: tables of real inputs, then properties."""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import answers
from bot.core.answers import (
    Invalid,
    clean_text,
    format_phone,
    normalise_label,
    parse_date,
    parse_email,
    parse_number,
    parse_phone,
    parse_postcode,
    parse_text,
    parse_yes_no,
)
from bot.core.i18n import Catalogs, fill, placeholders
from bot.core.words import lexicon

TODAY = date(2025, 3, 10)
# the words a person speaking French may type, from the real catalogs
WORDS = lexicon(
    Catalogs(Path(__file__).resolve().parent.parent / "locales", ["fr", "en"], "Europe/Paris"),
    "fr",
)
SOURCE = Path(answers.__file__)
MESSAGES = {
    value
    for name, value in vars(answers).items()
    if name.startswith("T_") and isinstance(value, str)
}

# Inputs that have broken parsers elsewhere: empty, invisible, huge, mixed scripts, broken UTF-16.
HOSTILE = [
    "",
    " ",
    "\n\n\t",
    "\x00",
    "12\x00",
    "\ud800",
    "06\udfff12345678",
    "\u200b\u200b",
    "\u202e87 65 43 21 60",
    "\ufeff75011",
    "x" * 10_000,
    "1" * 10_000,
    "9" * 5000 + "," + "9" * 5000,
    "@" * 10_000,
    "👍" * 10_000,
    "👨\u200d👩\u200d👧\u200d👦",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "مرحبا بالعالم",
    "\u200fنعم\u200f",
    "שלום",
    "ا" + "\u0651" * 500,
    "e" + "\u0301" * 1000,
    "Z̸̢̛a̷l̴g̵o̶",
    "1e9999",
    "-1e-9999",
    "NaN",
    "inf",
    "-Infinity",
    "0x1F",
    "١٢/٠٣/٢٠٢٤",
    "۰۶۱۲۳۴۵۶۷۸",
    "{min} {max} {date}",
    "%s %d {0}",
    "'; DROP TABLE persons; --",
    "<script>alert(1)</script>",
    "\u2028\u2029\x85\x1c",
    "+" * 300,
    "0" * 300,
    "31/02/2024",
    "99/99/9999",
    "00/00/0000",
    "2024-13-45",
    "1/1/1",
    "\U0010ffff\U000f0000",
    "ＯＵＩ",
    "İ",
    "ß" * 100,
]


def assert_well_formed(result: Invalid) -> None:
    """An Invalid can be shown: a known French message whose placeholders all have a value."""
    assert isinstance(result.reason, str)
    assert result.reason.strip()
    assert result.reason in MESSAGES
    assert placeholders(result.reason) == set(result.params)
    assert all(isinstance(v, str) and v for v in result.params.values())
    assert "{" not in fill(result.reason, result.params)


def check(result: object, expected_type: type | tuple[type, ...]) -> None:
    """A parser's result is a value of the expected type or a well-formed Invalid."""
    if isinstance(result, Invalid):
        assert_well_formed(result)
    else:
        assert isinstance(result, expected_type)


# -- the messages themselves ---------------------------------------------------------------


def test_every_reason_is_a_literal_n_marked_constant() -> None:
    """pybabel only extracts N_("literal"); Invalid must never be built from other text."""
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    marked: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.startswith("T_"):
                call = node.value
                assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                assert call.func.id == "N_", name
                assert isinstance(call.args[0], ast.Constant), name
                assert isinstance(call.args[0].value, str), name
                marked.add(name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Invalid":
            first = node.args[0]
            assert isinstance(first, ast.Name) and first.id in marked, ast.unparse(node)
    assert len(marked) == len(MESSAGES)


@pytest.mark.parametrize("message", sorted(MESSAGES))
def test_messages_are_short_polite_and_well_formed(message: str) -> None:
    assert message == message.strip()
    assert message[0].isupper()
    assert message.endswith(".")
    assert len(message) <= 110
    placeholders(message)  # raises on a malformed placeholder
    words = set(re.findall(r"[a-zàâçéèêëîïôûùüÿœ]+", message.lower()))
    # "vous", never tutoiement
    assert not words & {"tu", "te", "toi", "ton", "ta", "tes", "ecris", "écris"}


# -- clean_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Bonjour  ", "Bonjour"),
        ("Bonjour   le \t monde", "Bonjour le monde"),
        ("ligne 1\r\nligne 2", "ligne 1\nligne 2"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("  a  \n  b  ", "a\nb"),
        ("e\u0301te\u0301", "été"),  # NFC
        ("12\u00a0000\u202f€", "12 000 €"),  # no-break spaces
        ("a\u200bb\ufeffc\u2060d", "abcd"),  # zero-width space, BOM, word joiner
        ("a\x00b\x07c\x1bd", "abcd"),  # control characters
        ("\u202eevil\u202c", "evil"),  # bidi override
        ("\u2066x\u2069", "x"),  # bidi isolate
        ("x\ud800y\udc00", "xy"),  # lone surrogates
        ("مرحبا\u200f!", "مرحبا\u200f!"),  # RLM kept
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian ZWNJ kept
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # emoji ZWJ sequence kept
        ("❤\ufe0f", "❤\ufe0f"),  # variation selector kept
        (
            "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
            "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
        ),  # England flag
        ("", ""),
        ("\u200b \u00a0\n\t", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


# -- parse_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "min_length", "max_length", "expected"),
    [
        ("Boulanger", 1, 300, "Boulanger"),
        ("  aide   à domicile ", 1, 300, "aide à domicile"),
        ("أعمل في المطعم", 1, 300, "أعمل في المطعم"),
        ("👩‍🍳", 1, 300, "👩‍🍳"),
        ("ab", 2, 300, "ab"),
        ("x" * 300, 1, 300, "x" * 300),
        ("", 0, 300, ""),
    ],
)
def test_parse_text_accepts(raw: str, min_length: int, max_length: int, expected: str) -> None:
    assert parse_text(raw, min_length, max_length) == expected


@pytest.mark.parametrize(
    ("raw", "min_length", "max_length", "reason", "params"),
    [
        ("", 1, 300, answers.T_TEXT_EMPTY, {}),
        ("   \u200b\n ", 1, 300, answers.T_TEXT_EMPTY, {}),
        ("\x00", 1, 300, answers.T_TEXT_EMPTY, {}),
        # nothing visible: direction marks, the Braille blank, a Hangul filler ("empty" messages)
        ("\u200f\u200e", 1, 300, answers.T_TEXT_EMPTY, {}),
        ("\u2800", 1, 300, answers.T_TEXT_EMPTY, {}),
        (" \u3164 ", 1, 300, answers.T_TEXT_EMPTY, {}),
        ("a", 2, 300, answers.T_TEXT_SHORT, {"min": "2"}),
        ("x" * 301, 1, 300, answers.T_TEXT_LONG, {"max": "300"}),
        ("x" * 10_000, 1, 300, answers.T_TEXT_LONG, {"max": "300"}),
        ("abcdef", 1, 5, answers.T_TEXT_LONG, {"max": "5"}),
    ],
)
def test_parse_text_refuses(
    raw: str, min_length: int, max_length: int, reason: str, params: dict[str, str]
) -> None:
    assert parse_text(raw, min_length, max_length) == Invalid(reason, params)


# -- parse_number ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "integer", "expected"),
    [
        ("12", True, 12),
        (" 12 ", True, 12),
        ("+12", True, 12),
        ("-3", True, -3),
        ("\u22123", True, -3),  # typographic minus
        ("0", True, 0),
        ("007", True, 7),
        ("1 200", True, 1200),
        ("1\u202f200", True, 1200),  # narrow no-break space, as Babel writes French numbers
        ("1 200 000", True, 1_200_000),
        ("1.200", True, 1200),  # a whole number is expected: the dot groups thousands
        ("1,200", True, 1200),
        ("1.200.300", True, 1_200_300),
        ("12,0", True, 12),
        ("12,5", False, 12.5),
        ("12.5", False, 12.5),
        ("1 200,50", False, 1200.5),
        ("1.200,50", False, 1200.5),
        ("1,200.50", False, 1200.5),
        ("1.200", False, 1.2),  # a decimal is allowed: a single mark is the decimal one
        ("12", False, 12.0),
        ("١٢", True, 12),  # Arabic-Indic
        ("۱۲", True, 12),  # Persian
        ("١٢٫٥", False, 12.5),  # Arabic decimal separator
        ("١٬٢٠٠", True, 1200),  # Arabic thousands separator
        ("12 ans", True, 12),
        ("3 mois", True, 3),
        ("1 200 €", True, 1200),
        ("1200€", True, 1200),
        ("50 %", True, 50),
        ("12 Années.", True, 12),
        # in words, French or English, up to twenty
        ("deux", True, 2),
        ("Deux", True, 2),
        ("douze", True, 12),
        ("dix-neuf", True, 19),
        ("dix neuf ans", True, 19),
        ("DIX-SEPT", True, 17),
        ("vingt", True, 20),
        ("zéro", True, 0),
        ("une", True, 1),
        ("two", True, 2),
        ("twenty", True, 20),
        ("deux enfants", True, 2),
    ],
)
def test_parse_number_accepts(raw: str, integer: bool, expected: float) -> None:
    result = parse_number(raw, integer=integer)
    assert result == expected
    assert type(result) is (int if integer else float)


@pytest.mark.parametrize(
    ("raw", "minimum", "maximum", "integer", "reason", "params"),
    [
        ("abc", None, None, True, answers.T_NUMBER, {}),
        ("", None, None, True, answers.T_NUMBER, {}),
        ("treize ou quatorze", None, None, True, answers.T_NUMBER, {}),
        ("vingt et un", None, None, True, answers.T_NUMBER, {}),  # words: up to twenty only
        ("1e9999", None, None, False, answers.T_NUMBER, {}),
        ("1E5", None, None, True, answers.T_NUMBER, {}),
        ("NaN", None, None, False, answers.T_NUMBER, {}),
        ("inf", None, None, False, answers.T_NUMBER, {}),
        ("-Infinity", None, None, False, answers.T_NUMBER, {}),
        ("0x1F", None, None, True, answers.T_NUMBER, {}),
        ("12 5", None, None, True, answers.T_NUMBER, {}),  # two numbers, not 125
        ("1 20", None, None, True, answers.T_NUMBER, {}),  # not a thousands group
        ("1,2,3.4,5", None, None, False, answers.T_NUMBER, {}),
        ("2 mille", None, None, True, answers.T_NUMBER, {}),  # never read as 2
        ("3 ou 4", None, None, True, answers.T_NUMBER, {}),
        ("12abc", None, None, True, answers.T_NUMBER, {}),
        ("--3", None, None, True, answers.T_NUMBER, {}),
        ("12,5", None, None, True, answers.T_NUMBER_INTEGER, {}),
        ("0,5", None, None, True, answers.T_NUMBER_INTEGER, {}),
        ("9" * 16, None, None, True, answers.T_NUMBER_HUGE, {}),
        ("9" * 10_000, None, None, True, answers.T_NUMBER_HUGE, {}),
        ("9" * 10_000, None, 100, True, answers.T_NUMBER_MAX, {"max": "100"}),
        ("0," + "1" * 10_000, None, None, False, answers.T_NUMBER, {}),
        ("-1", 0, None, True, answers.T_NUMBER_MIN, {"min": "0"}),
        ("101", None, 100, True, answers.T_NUMBER_MAX, {"max": "100"}),
        ("101", 0, 100, True, answers.T_NUMBER_BETWEEN, {"min": "0", "max": "100"}),
        ("-5", 0, 100, True, answers.T_NUMBER_BETWEEN, {"min": "0", "max": "100"}),
        ("0,1", 0.5, None, False, answers.T_NUMBER_MIN, {"min": "0,5"}),
        ("40", None, 37.5, False, answers.T_NUMBER_MAX, {"max": "37,5"}),
    ],
)
def test_parse_number_refuses(
    raw: str,
    minimum: float | None,
    maximum: float | None,
    integer: bool,
    reason: str,
    params: dict[str, str],
) -> None:
    assert parse_number(raw, minimum, maximum, integer) == Invalid(reason, params)


@pytest.mark.parametrize(("raw", "minimum", "maximum"), [("0", 0, 10), ("10", 0, 10), ("5", 5, 5)])
def test_parse_number_bounds_are_inclusive(raw: str, minimum: float, maximum: float) -> None:
    assert parse_number(raw, minimum, maximum) == int(raw)


# -- parse_date ------------------------------------------------------------------------------

XMAS = date(2024, 12, 25)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25/12/2024", XMAS),
        ("25-12-2024", XMAS),
        ("25.12.2024", XMAS),
        ("25 12 2024", XMAS),
        ("25/12/24", XMAS),
        (" 25 / 12 / 2024 ", XMAS),
        ("2024-12-25", XMAS),
        ("2024/12/25", XMAS),
        ("25122024", XMAS),
        ("251224", XMAS),
        ("20241225", XMAS),
        ("25 décembre 2024", XMAS),
        ("25 DÉCEMBRE 2024", XMAS),
        ("25 decembre 2024", XMAS),
        ("25 déc. 2024", XMAS),
        ("25 dec 2024", XMAS),
        ("25 December 2024", XMAS),
        ("December 25, 2024", XMAS),
        ("25th of December 2024", XMAS),
        ("le mercredi 25 décembre 2024", XMAS),
        ("٢٥/١٢/٢٠٢٤", XMAS),  # Arabic-Indic
        ("۲۵/۱۲/۲۰۲۴", XMAS),  # Persian
        ("\u200f25/12/2024\u200f", XMAS),  # typed in a right-to-left chat
        ("1er janvier 2025", date(2025, 1, 1)),
        ("1/2/2025", date(2025, 2, 1)),  # day first, as in France
        ("3 mars 2025", date(2025, 3, 3)),
        ("14 juillet 1989", date(1989, 7, 14)),
        ("15 août 2025", date(2025, 8, 15)),
        ("29/02/2024", date(2024, 2, 29)),
        ("01/01/1900", date(1900, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
        ("aujourd'hui", TODAY),
        ("Aujourd’hui", TODAY),
        ("demain", TODAY + timedelta(days=1)),
        ("hier", TODAY - timedelta(days=1)),
        ("today", TODAY),
    ],
)
def test_parse_date_accepts(raw: str, expected: date) -> None:
    assert parse_date(raw, TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "reason", "params"),
    [
        ("", answers.T_DATE, {"example": "10/03/2025"}),
        ("bientôt", answers.T_DATE, {"example": "10/03/2025"}),
        ("25/12/2024 à 14h", answers.T_DATE, {"example": "10/03/2025"}),
        ("25 décembre mars 2024", answers.T_DATE, {"example": "10/03/2025"}),
        ("25/12/202", answers.T_DATE, {"example": "10/03/2025"}),
        ("123/12/2024", answers.T_DATE, {"example": "10/03/2025"}),
        ("25/123/2024", answers.T_DATE, {"example": "10/03/2025"}),
        ("1" * 10_000, answers.T_DATE, {"example": "10/03/2025"}),
        ("31/02/2024", answers.T_DATE_IMPOSSIBLE, {}),
        ("29/02/2023", answers.T_DATE_IMPOSSIBLE, {}),
        ("31/04/2024", answers.T_DATE_IMPOSSIBLE, {}),
        ("00/12/2024", answers.T_DATE_IMPOSSIBLE, {}),
        ("12/25/2024", answers.T_DATE_IMPOSSIBLE, {}),  # American order: month 25
        ("32 janvier 2024", answers.T_DATE_IMPOSSIBLE, {}),
        ("25/12", answers.T_DATE_INCOMPLETE, {"example": "10/03/2025"}),
        ("12/2024", answers.T_DATE_INCOMPLETE, {"example": "10/03/2025"}),
        ("1985", answers.T_DATE_INCOMPLETE, {"example": "10/03/2025"}),
        ("25 décembre", answers.T_DATE_INCOMPLETE, {"example": "10/03/2025"}),
        ("décembre 2024", answers.T_DATE_INCOMPLETE, {"example": "10/03/2025"}),
        ("25/12/1899", answers.T_DATE_YEAR, {"min": "1900", "max": "2100"}),
        ("01/01/2101", answers.T_DATE_YEAR, {"min": "1900", "max": "2100"}),
        ("0001-01-01", answers.T_DATE_YEAR, {"min": "1900", "max": "2100"}),
        ("25/12/9999", answers.T_DATE_YEAR, {"min": "1900", "max": "2100"}),
    ],
)
def test_parse_date_refuses(raw: str, reason: str, params: dict[str, str]) -> None:
    assert parse_date(raw, TODAY) == Invalid(reason, params)


def test_the_example_of_a_date_is_one_the_question_accepts() -> None:
    # never a day in the past for a date to come, nor in the future for a date gone by
    week_on = TODAY + timedelta(days=7)
    assert parse_date("bientôt", TODAY, not_before=week_on) == Invalid(
        answers.T_DATE, {"example": "17/03/2025"}
    )
    assert parse_date("25/12", TODAY, not_after=date(2020, 1, 31)) == Invalid(
        answers.T_DATE_INCOMPLETE, {"example": "31/01/2020"}
    )


@pytest.mark.parametrize(
    ("raw", "not_before", "not_after", "expected"),
    [
        # an appointment: from today on
        ("09/03/2025", TODAY, None, Invalid(answers.T_DATE_PAST_TODAY)),
        ("10/03/2025", TODAY, None, TODAY),
        (
            "01/01/2020",
            date(2024, 1, 1),
            None,
            Invalid(answers.T_DATE_PAST, {"date": "01/01/2024"}),
        ),
        (
            "01/01/2026",
            date(2026, 6, 1),
            None,
            Invalid(answers.T_DATE_EARLY, {"date": "01/06/2026"}),
        ),
        # a birth date: up to today
        ("11/03/2025", None, TODAY, Invalid(answers.T_DATE_FUTURE_TODAY)),
        ("10/03/2025", None, TODAY, TODAY),
        ("01/01/2030", None, date(2026, 1, 1), Invalid(answers.T_DATE_FAR, {"date": "01/01/2026"})),
        (
            "01/01/2026",
            None,
            date(2010, 1, 1),
            Invalid(answers.T_DATE_FUTURE, {"date": "01/01/2010"}),
        ),
        (
            "01/01/2020",
            None,
            date(2010, 1, 1),
            Invalid(answers.T_DATE_RECENT, {"date": "01/01/2010"}),
        ),
        # two-digit years: the century that fits the bounds, else the one nearest to today
        ("25/12/85", None, None, date(1985, 12, 25)),
        ("25/12/30", None, None, date(2030, 12, 25)),
        ("25/12/30", None, TODAY, date(1930, 12, 25)),
        ("25/12/85", TODAY, None, date(2085, 12, 25)),
        ("29/02/00", None, None, date(2000, 2, 29)),
    ],
)
def test_parse_date_bounds(
    raw: str, not_before: date | None, not_after: date | None, expected: date | Invalid
) -> None:
    assert parse_date(raw, TODAY, not_before, not_after) == expected


# -- parse_phone / format_phone ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("06-12-34-56-78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33612345678", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("01 23 45 67 89", "+33123456789"),
        ("٠٦١٢٣٤٥٦٧٨", "+33612345678"),
        ("۰۶۱۲۳۴۵۶۷۸", "+33612345678"),
        ("\u200e+33 6 12 34 56 78\u200e", "+33612345678"),
        ("+44 7911 123456", "+447911123456"),
        ("+213 551 23 45 67", "+213551234567"),
        ("00213 551 23 45 67", "+213551234567"),
        ("+1 202 555 0143", "+12025550143"),
        ("0692 12 34 56", "+262692123456"),  # Réunion, written the French way
        ("0690 12 34 56", "+590690123456"),  # Guadeloupe
        ("+508 41 12 34", "+508411234"),  # Saint-Pierre-et-Miquelon, written with its code
    ],
)
def test_parse_phone_accepts(raw: str, expected: str) -> None:
    assert parse_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", answers.T_PHONE),
        ("+", answers.T_PHONE),
        ("12+34", answers.T_PHONE),
        ("06 12 34", answers.T_PHONE_SHORT),
        ("0612345", answers.T_PHONE_SHORT),  # not Saint-Pierre-et-Miquelon: digits are missing
        ("06 12 34 5", answers.T_PHONE_SHORT),
        ("+33 6 12", answers.T_PHONE_SHORT),
        ("06 12 34 56 78 90 12", answers.T_PHONE_LONG),
        ("0" * 300, answers.T_PHONE_LONG),
        ("06 12 AB CD 78", answers.T_PHONE_DIGITS),
        ("1-800-FLOWERS", answers.T_PHONE_DIGITS),
        ("zéro six", answers.T_PHONE_DIGITS),
        ("06 12 34 56 78 poste 12", answers.T_PHONE_DIGITS),
        ("06 12 34 56 78 #", answers.T_PHONE_DIGITS),
        ("x" * 10_000, answers.T_PHONE_DIGITS),
        ("+00 12 34 56 78", answers.T_PHONE),
    ],
)
def test_parse_phone_refuses(raw: str, reason: str) -> None:
    assert parse_phone(raw) == Invalid(reason)


def test_parse_phone_other_default_region() -> None:
    assert parse_phone("07911 123456", default_region="GB") == "+447911123456"
    assert isinstance(parse_phone("0612345678", default_region="ZZ"), Invalid)


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+33612345678", "06 12 34 56 78"),
        ("+33123456789", "01 23 45 67 89"),
        ("+262692123456", "0692 12 34 56"),
        ("+447911123456", "+44 7911 123456"),
        ("+213551234567", "+213 551 23 45 67"),
        ("not a number", "not a number"),
        ("", ""),
        ("\ud800", "\ud800"),
    ],
)
def test_format_phone(e164: str, expected: str) -> None:
    assert format_phone(e164) == expected


# -- parse_email ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jean.dupont@gmail.com", "jean.dupont@gmail.com"),
        ("  jean.dupont@gmail.com  ", "jean.dupont@gmail.com"),
        ("Jean.Dupont@GMAIL.COM", "Jean.Dupont@gmail.com"),
        ("jean+relais@exemple.fr", "jean+relais@exemple.fr"),
        ("josé@exemple.fr", "josé@exemple.fr"),
        ("ali@مثال.com", "ali@مثال.com"),
        ("jean\u200b@gmail.com", "jean@gmail.com"),
        ("jean＠gmail.com", "jean@gmail.com"),
        ("jean@\x00gmail.com", "jean@gmail.com"),
    ],
)
def test_parse_email_accepts(raw: str, expected: str) -> None:
    assert parse_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", answers.T_EMAIL_AT),
        ("jean.dupont", answers.T_EMAIL_AT),
        ("jean.dupont gmail.com", answers.T_EMAIL_AT),
        ("jean dupont@gmail.com", answers.T_EMAIL_SPACE),
        ("jean@ gmail.com", answers.T_EMAIL_SPACE),
        ("jean@gmail", answers.T_EMAIL),
        ("jean@@gmail.com", answers.T_EMAIL),
        ("@gmail.com", answers.T_EMAIL),
        ("jean@", answers.T_EMAIL),
        ("jean@localhost", answers.T_EMAIL),
        ("jean..dupont@gmail.com", answers.T_EMAIL),
        ("jean@gmail..com", answers.T_EMAIL),
        ("a@b." + "c" * 10_000, answers.T_EMAIL),
        ("@" * 10_000, answers.T_EMAIL),
    ],
)
def test_parse_email_refuses(raw: str, reason: str) -> None:
    assert parse_email(raw) == Invalid(reason)


# -- parse_postcode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("75011", "75011"),
        ("75 011", "75011"),
        (" 75011 ", "75011"),
        ("01000", "01000"),
        ("20000", "20000"),  # Corsica
        ("20090", "20090"),
        ("95999", "95999"),
        ("97400", "97400"),  # Réunion
        ("97600", "97600"),  # Mayotte
        ("98000", "98000"),  # Monaco
        ("98800", "98800"),  # New Caledonia
        ("٧٥٠١١", "75011"),
        ("7\u00a05\u00a00\u00a01\u00a01", "75011"),
    ],
)
def test_parse_postcode_accepts(raw: str, expected: str) -> None:
    assert parse_postcode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", answers.T_POSTCODE),
        ("7501", answers.T_POSTCODE),
        ("750111", answers.T_POSTCODE),
        ("75O11", answers.T_POSTCODE),  # letter O
        ("75-011", answers.T_POSTCODE),
        ("75011 Paris", answers.T_POSTCODE),
        ("2A004", answers.T_POSTCODE),  # an INSEE code, not a postcode
        ("1" * 10_000, answers.T_POSTCODE),
        ("00000", answers.T_POSTCODE_UNKNOWN),
        ("00100", answers.T_POSTCODE_UNKNOWN),
        ("96000", answers.T_POSTCODE_UNKNOWN),
        ("99000", answers.T_POSTCODE_UNKNOWN),
    ],
)
def test_parse_postcode_refuses(raw: str, reason: str) -> None:
    assert parse_postcode(raw) == Invalid(reason)


# -- parse_yes_no -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "oui",
        "Oui",
        "OUI",
        "Oui !",
        " oui. ",
        "ouais",
        "Ouais",
        "o",
        "O",
        "yes",
        "Yes",
        "y",
        "ok",
        "OK",
        "Okay",
        "d'accord",
        "D’accord",
        "daccord",
        "bien sûr",
        "Bien sur",
        "oui merci",
        "oui oui",
        "si",
        "👍",
        "👍🏽",
        "✅",
        "OK 👍",
        "نعم",
        "Да",
    ],
)
def test_parse_yes_no_yes(raw: str) -> None:
    assert parse_yes_no(raw, WORDS) is True


@pytest.mark.parametrize(
    "raw",
    [
        "non",
        "Non",
        "NON",
        "Non.",
        "nan",
        "no",
        "No",
        "n",
        "N",
        "non merci",
        "non non",
        "👎",
        "❌",
        "pas du tout",
        "لا",
        "нет",
    ],
)
def test_parse_yes_no_no(raw: str) -> None:
    assert parse_yes_no(raw, WORDS) is False


@pytest.mark.parametrize(
    "raw",
    [
        "",
        " ",
        "peut-être",
        "je ne sais pas",
        "oui non",
        "👍 non",
        "👍👎",
        "ouistiti",
        "nono",
        "okok ko",
        "merci",
        "12",
        "x" * 10_000,
        "👍" * 10_000 + "non",
    ],
)
def test_parse_yes_no_refuses(raw: str) -> None:
    assert parse_yes_no(raw, WORDS) == Invalid(answers.T_YES_NO)


# -- normalise_label --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Oui", "oui"),
        ("  Je  CHERCHE   ", "je cherche"),
        ("Élève", "eleve"),
        ("Ça va ?", "ca va"),
        ("J'ai un CV", "jai un cv"),
        ("J’ai un CV", "jai un cv"),
        ("Peut-être", "peut etre"),
        ("👍 Oui !", "oui"),
        ("🇫🇷 Français", "francais"),
        ("Cœur", "coeur"),
        ("Straße", "strasse"),
        ("ＯＵＩ", "oui"),
        ("İstanbul", "istanbul"),
        ("١. العربية", "1 العربية"),  # digits of any script become 0-9
        ("۲", "2"),
        ("العربيّة", "العربية"),  # optional Arabic vowel marks
        ("عـــربي", "عربي"),  # tatweel
        ("हिंदी", "हिंदी"),  # Devanagari vowel signs are letters' parts: kept
        ("Русский", "русский"),
        ("Ελληνικά", "ελληνικά"),
        ("中文", "中文"),
        ("ትግርኛ", "ትግርኛ"),
        ("", ""),
        ("!!! ???", ""),
        ("a\u200bb", "ab"),
        ("\ud800", ""),
    ],
)
def test_normalise_label(raw: str, expected: str) -> None:
    assert normalise_label(raw) == expected


def test_normalise_label_matches_buttons_typed_differently() -> None:
    label = "Aide à la personne (ménage, repas…)"
    for typed in ("aide a la personne menage repas", "AIDE À LA PERSONNE – MÉNAGE, REPAS"):
        assert normalise_label(typed) == normalise_label(label)


# -- every function on hostile inputs -----------------------------------------------------------

PARSERS: list[tuple[str, Callable[[str], Any], type | tuple[type, ...]]] = [
    ("text", parse_text, str),
    ("number", parse_number, int),
    ("decimal", lambda s: parse_number(s, -10, 10, integer=False), float),
    ("date", lambda s: parse_date(s, TODAY), date),
    ("bounded date", lambda s: parse_date(s, TODAY, TODAY, TODAY + timedelta(days=30)), date),
    ("phone", parse_phone, str),
    ("email", parse_email, str),
    ("postcode", parse_postcode, str),
    ("yes_no", parse_yes_no, bool),
    ("clean_text", clean_text, str),
    ("normalise_label", normalise_label, str),
    ("format_phone", format_phone, str),
]


@pytest.mark.parametrize("raw", HOSTILE, ids=lambda s: repr(s[:20]))
@pytest.mark.parametrize(("name", "parser", "kind"), PARSERS, ids=[p[0] for p in PARSERS])
def test_hostile_inputs(name: str, parser: Callable[[str], Any], kind: type, raw: str) -> None:
    check(parser(raw), kind)


# -- properties ---------------------------------------------------------------------------------

# Any code point, lone surrogates included, mixed with fragments that reach deep branches.
ANY_CHAR = st.characters(exclude_categories=())
FRAGMENTS = st.sampled_from(
    [
        "0",
        "1",
        "12",
        "2024",
        "١٢",
        "۱۲",
        "/",
        "-",
        ".",
        ",",
        " ",
        "+",
        "+33",
        "06",
        "@",
        "\u00a0",
        "\u202f",
        "\u200b",
        "\u200d",
        "\u200f",
        "\u202e",
        "\x00",
        "\ud800",
        "\n",
        "décembre",
        "dec",
        "mars",
        "1er",
        "oui",
        "non",
        "ok",
        "👍",
        "👎",
        "🏽",
        "e",
        "E",
        "nan",
        "inf",
        "€",
        "ans",
        "٫",
        "٬",
        "\u0301",
        "ال",
        "{",
        "}",
        "{min}",
        "gmail.com",
        "75011",
    ]
)
HOSTILE_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.lists(st.one_of(FRAGMENTS, st.text(ANY_CHAR, max_size=3)), max_size=30).map("".join),
)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# phonenumbers loads its metadata on first use: no per-example deadline.
ROUND_TRIP = settings(deadline=None)


@PROPERTY
@given(raw=HOSTILE_TEXT)
def test_parsers_never_raise(raw: str) -> None:
    for _, parser, kind in PARSERS:
        check(parser(raw), kind)


@PROPERTY
@given(
    raw=HOSTILE_TEXT,
    low=st.none() | st.floats(-1e6, 1e6),
    span=st.floats(0, 1e6),
    integer=st.booleans(),
)
def test_parse_number_never_raises_and_respects_bounds(
    raw: str, low: float | None, span: float, integer: bool
) -> None:
    high = None if low is None else low + span
    result = parse_number(raw, low, high, integer)
    check(result, (int, float))
    if not isinstance(result, Invalid):
        assert result == result  # not NaN
        assert abs(result) < 1e16
        assert low is None or low <= result <= high


@PROPERTY
@given(
    raw=HOSTILE_TEXT,
    today=st.dates(date(1950, 1, 1), date(2090, 12, 31)),
    before=st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    after=st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31)),
)
def test_parse_date_never_raises_and_respects_bounds(
    raw: str, today: date, before: date | None, after: date | None
) -> None:
    result = parse_date(raw, today, before, after)
    check(result, date)
    if isinstance(result, date):
        assert 1900 <= result.year <= 2100
        assert before is None or result >= before
        assert after is None or result <= after


@PROPERTY
@given(raw=HOSTILE_TEXT, low=st.integers(0, 50), extra=st.integers(0, 500))
def test_parse_text_respects_bounds(raw: str, low: int, extra: int) -> None:
    result = parse_text(raw, low, low + extra)
    check(result, str)
    if isinstance(result, str):
        assert low <= len(result) <= low + extra
        result.encode("utf-8")  # storable and sendable


@PROPERTY
@given(raw=HOSTILE_TEXT)
def test_clean_text_is_idempotent_and_safe(raw: str) -> None:
    cleaned = clean_text(raw)
    assert clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFC", cleaned)
    for ch in cleaned:
        assert ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs")
    assert "  " not in cleaned


@PROPERTY
@given(raw=HOSTILE_TEXT)
def test_normalise_label_is_idempotent(raw: str) -> None:
    folded = normalise_label(raw)
    assert normalise_label(folded) == folded
    assert folded == " ".join(folded.split())
    folded.encode("utf-8")


@PROPERTY
@given(raw=HOSTILE_TEXT)
def test_outputs_are_storable(raw: str) -> None:
    for result in (parse_phone(raw), parse_email(raw), parse_postcode(raw)):
        if isinstance(result, str):
            result.encode("utf-8")


# Round trips: what people write is read back as the value it stands for.


@ROUND_TRIP
@given(value=st.integers(-(10**12), 10**12), sep=st.sampled_from(["", " ", "\u202f", "\u00a0"]))
def test_parse_number_reads_grouped_integers(value: int, sep: str) -> None:
    digits = f"{abs(value):,}".replace(",", sep)
    assert parse_number(("-" if value < 0 else "") + digits) == value


@ROUND_TRIP
@given(cents=st.integers(-(10**9), 10**9), mark=st.sampled_from([",", "."]))
def test_parse_number_reads_decimals(cents: int, mark: str) -> None:
    text = f"{'-' if cents < 0 else ''}{abs(cents) // 100}{mark}{abs(cents) % 100:02d}"
    assert parse_number(text, integer=False) == pytest.approx(cents / 100)


@ROUND_TRIP
@given(
    day=st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    pattern=st.sampled_from(["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y"]),
)
def test_parse_date_reads_numeric_formats(day: date, pattern: str) -> None:
    assert parse_date(day.strftime(pattern), TODAY) == day


FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@ROUND_TRIP
@given(day=st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_parse_date_reads_french_month_names(day: date) -> None:
    text = f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"
    assert parse_date(text, TODAY) == day
    assert parse_date(text.upper(), TODAY) == day


# 0639 and 069x are the mobiles of Mayotte and the Caribbean and Indian Ocean departments.
OVERSEAS_MOBILE = {39, 90, 91, 92, 93, 94, 96, 97}


@ROUND_TRIP
@given(
    block=st.integers(0, 99).filter(lambda b: b not in OVERSEAS_MOBILE),
    rest=st.integers(0, 999_999),
    style=st.sampled_from(["national", "spaced", "dotted", "international", "idd"]),
)
def test_parse_phone_reads_french_mobiles(block: int, rest: int, style: str) -> None:
    national = f"06{block:02d}{rest:06d}"
    pairs = " ".join(national[i : i + 2] for i in range(0, 10, 2))
    text = {
        "national": national,
        "spaced": pairs,
        "dotted": pairs.replace(" ", "."),
        "international": "+33 " + pairs[1:],
        "idd": "0033" + national[1:],
    }[style]
    e164 = "+33" + national[1:]
    assert parse_phone(text) == e164
    assert format_phone(e164) == pairs
    assert parse_phone(format_phone(e164)) == e164


@ROUND_TRIP
@given(
    department=st.sampled_from([*range(1, 96), 97, 98]),
    rest=st.integers(0, 999),
    spaced=st.booleans(),
)
def test_parse_postcode_reads_every_department(department: int, rest: int, spaced: bool) -> None:
    code = f"{department:02d}{rest:03d}"
    text = f"{code[:2]} {code[2:]}" if spaced else code
    assert parse_postcode(text) == code


@ROUND_TRIP
@given(
    word=st.sampled_from(["oui", "ouais", "yes", "ok", "d'accord", "non", "no", "nan"]),
    data=st.data(),
)
def test_parse_yes_no_ignores_case_and_punctuation(word: str, data: st.DataObject) -> None:
    expected = parse_yes_no(word, WORDS)
    assert isinstance(expected, bool)
    mangled = "".join(c.upper() if data.draw(st.booleans()) else c for c in word)
    suffix = data.draw(st.sampled_from(["", "!", ".", " !", " 🙂", "..."]))
    assert parse_yes_no(f"  {mangled}{suffix} ", WORDS) is expected


# A Monday: "jeudi" is this week's Thursday, "lundi" next week's Monday.
MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("jeudi", date(2026, 12, 10)),
        ("Jeudi prochain", date(2026, 12, 10)),
        ("lundi", date(2026, 12, 14)),  # today is Monday: the next one
        ("thursday", date(2026, 12, 10)),
        ("jeudi 10 décembre 2026", date(2026, 12, 10)),
        ("demian", date(2026, 12, 8)),  # a letter swapped
        ("aujourdui", MONDAY),  # a letter missing
    ],
)
def test_a_day_to_come_may_be_a_weekday_or_a_slip_of_demain(typed: str, expected: date) -> None:
    assert answers.parse_date(typed, MONDAY, not_before=MONDAY) == expected


def test_a_weekday_alone_is_not_a_date_that_is_past() -> None:
    found = answers.parse_date("jeudi", MONDAY, not_after=MONDAY)
    assert isinstance(found, answers.Invalid)
    assert found.reason == answers.T_DATE_INCOMPLETE
