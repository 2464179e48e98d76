"""Parsing of CV answers: months of a job or a training, first and last names."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from babel.dates import format_date
from hypothesis import given
from hypothesis import strategies as st

from bot.core import answers
from bot.core.answers import Invalid, month_bound, parse_month, parse_name
from tests.test_answers import HOSTILE, HOSTILE_TEXT, PROPERTY, assert_well_formed

TODAY = date(2026, 11, 15)
NOW = "2026-11"
STORED = re.compile(r"^\d{4}(-\d{2})?$")
YEAR_RANGE = {"min": str(answers.MIN_YEAR), "max": str(answers.MAX_YEAR)}


def refused(result: object, reason: str, params: dict[str, str] | None = None) -> None:
    """The result is a well-formed refusal with this message and these placeholders."""
    assert isinstance(result, Invalid), result
    assert_well_formed(result)
    assert result.reason == reason
    assert result.params == (params or {})


# -- the new messages ------------------------------------------------------------------------


def test_month_bound() -> None:
    assert month_bound(TODAY) == NOW
    assert month_bound(date(2021, 3, 1)) == "2021-03"
    assert month_bound(date(1999, 12, 31)) == "1999-12"


# -- parse_month: accepted -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/2021", "2021-03"),
        ("3/2021", "2021-03"),
        ("3 2021", "2021-03"),
        ("03-2021", "2021-03"),
        ("03.2021", "2021-03"),
        ("03 / 2021", "2021-03"),
        ("03\u00a0/\u00a02021", "2021-03"),
        ("2021-03", "2021-03"),
        ("2021/03", "2021-03"),
        ("2021-3", "2021-03"),
        ("mars 2021", "2021-03"),
        ("Mars 2021", "2021-03"),
        ("MARS 2021", "2021-03"),
        ("march 2021", "2021-03"),
        ("March 2021", "2021-03"),
        ("2021 mars", "2021-03"),
        ("sept 2019", "2019-09"),
        ("Sept. 2019", "2019-09"),
        ("septembre 2019", "2019-09"),
        ("décembre 2020", "2020-12"),
        ("decembre 2020", "2020-12"),
        ("févr. 2018", "2018-02"),
        ("août 2015", "2015-08"),
        ("en mars 2021", "2021-03"),
        ("2021", "2021"),
        ("en 2019", "2019"),
        ("1990", "1990"),
        # a full date: the day is checked, then dropped
        ("15/03/2021", "2021-03"),
        ("15 mars 2021", "2021-03"),
        ("le 1er mars 2021", "2021-03"),
        ("lundi 15 mars 2021", "2021-03"),
        ("2021-03-15", "2021-03"),
        ("29/02/2024", "2024-02"),
        # digits of other scripts, direction marks from right-to-left chats
        ("٠٣/٢٠٢١", "2021-03"),
        ("۰۳/۲۰۲۱", "2021-03"),
        ("٢٠٢١", "2021"),
        ("١٥/٠٣/٢٠٢١", "2021-03"),
        ("\u200f03/2021\u200f", "2021-03"),
        ("\u200e2021-03", "2021-03"),
        ("  03/2021  ", "2021-03"),
        ("\t03/2021\n", "2021-03"),
        # two-digit years: the century nearest to today
        ("03/21", "2021-03"),
        ("03/95", "1995-03"),
        ("15/03/21", "2021-03"),
    ],
)
def test_parse_month_accepts(raw: str, expected: str) -> None:
    assert parse_month(raw, TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "not_before", "not_after", "expected"),
    [
        ("03/30", None, None, "2030-03"),  # nearest to today when nothing else decides
        ("03/30", None, NOW, "1930-03"),  # never in the future when the bound allows it
        ("11/26", None, NOW, "2026-11"),
        ("12/26", None, NOW, "1926-12"),
        ("05/21", "2021-03", NOW, "2021-05"),
        ("15/03/30", None, NOW, "1930-03"),
        ("03/99", "1990", NOW, "1999-03"),
    ],
)
def test_parse_month_two_digit_years_follow_the_bounds(
    raw: str, not_before: str | None, not_after: str | None, expected: str
) -> None:
    assert parse_month(raw, TODAY, not_before, not_after) == expected


@pytest.mark.parametrize(
    ("raw", "not_before", "not_after", "expected"),
    [
        # up to this month
        ("11/2026", None, NOW, "2026-11"),
        ("2026", None, NOW, "2026"),  # a year alone: only the years are compared
        ("15/11/2026", None, NOW, "2026-11"),
        ("01/2000", None, NOW, "2000-01"),
        # the end of a job that started in March 2021
        ("03/2021", "2021-03", NOW, "2021-03"),
        ("2021", "2021-03", NOW, "2021"),
        ("04/2021", "2021-03", NOW, "2021-04"),
        # a start known only by its year
        ("01/2021", "2021", NOW, "2021-01"),
        ("12/2026", None, "2026", "2026-12"),
        # bounds that are not stored months are ignored rather than failing the answer
        ("03/2021", "hier", "2021-13", "2021-03"),
        ("03/2021", "", "0000", "2021-03"),
    ],
)
def test_parse_month_bounds_accept(
    raw: str, not_before: str | None, not_after: str | None, expected: str
) -> None:
    assert parse_month(raw, TODAY, not_before, not_after) == expected


# -- parse_month: refused ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason", "params"),
    [
        ("hier soir", answers.T_MONTH, {}),
        ("abc", answers.T_MONTH, {}),
        ("hier", answers.T_MONTH, {}),
        ("", answers.T_MONTH, {}),
        ("   ", answers.T_MONTH, {}),
        ("\u200f", answers.T_MONTH, {}),
        ("le", answers.T_MONTH, {}),
        ("21", answers.T_MONTH, {}),
        ("032021", answers.T_MONTH, {}),
        ("3/1", answers.T_MONTH, {}),
        ("12.5", answers.T_MONTH, {}),
        ("2021 2022", answers.T_MONTH, {}),
        ("mars avril 2021", answers.T_MONTH, {}),
        ("03/2021/04/05", answers.T_MONTH, {}),
        ("2021 mars 03", answers.T_MONTH, {}),
        ("03/2021 ou 04/2021", answers.T_MONTH, {}),
        ("x" * 300, answers.T_MONTH, {}),
        ("03/2021 " * 40, answers.T_MONTH, {}),
        ("13/2021", answers.T_MONTH_NUMBER, {}),
        ("0/2021", answers.T_MONTH_NUMBER, {}),
        ("00/2021", answers.T_MONTH_NUMBER, {}),
        ("2021-13", answers.T_MONTH_NUMBER, {}),
        ("13/21", answers.T_MONTH_NUMBER, {}),
        ("mars", answers.T_MONTH_YEAR, {}),
        ("15 mars", answers.T_MONTH_YEAR, {}),
        ("mars 21", answers.T_MONTH_YEAR, {}),
        ("31/02/2021", answers.T_DATE_IMPOSSIBLE, {}),
        ("29/02/2023", answers.T_DATE_IMPOSSIBLE, {}),
        ("31 avril 2021", answers.T_DATE_IMPOSSIBLE, {}),
        ("1850", answers.T_DATE_YEAR, YEAR_RANGE),
        ("2101", answers.T_DATE_YEAR, YEAR_RANGE),
        ("03/1899", answers.T_DATE_YEAR, YEAR_RANGE),
        ("03/2200", answers.T_DATE_YEAR, YEAR_RANGE),
        ("mars 0000", answers.T_DATE_YEAR, YEAR_RANGE),
        ("15/03/1800", answers.T_DATE_YEAR, YEAR_RANGE),
    ],
)
def test_parse_month_refuses(raw: str, reason: str, params: dict[str, str]) -> None:
    refused(parse_month(raw, TODAY), reason, params)


@pytest.mark.parametrize(
    ("raw", "not_before", "not_after", "reason", "params"),
    [
        # a start that has not come yet
        ("12/2026", None, NOW, answers.T_MONTH_FUTURE, {}),
        ("01/2027", None, NOW, answers.T_MONTH_FUTURE, {}),
        ("15/12/2026", None, NOW, answers.T_MONTH_FUTURE, {}),
        ("2027", None, NOW, answers.T_YEAR_FUTURE, {}),
        ("2027", None, "2026", answers.T_YEAR_FUTURE, {}),
        ("01/2027", None, "2026", answers.T_MONTH_FUTURE, {}),
        # an end before its start, the start written in words as on the CV
        ("02/2021", "2021-03", NOW, answers.T_MONTH_BEFORE_START, {"month": "mars 2021"}),
        ("2020", "2021-03", NOW, answers.T_MONTH_BEFORE_START, {"month": "mars 2021"}),
        ("15/02/2021", "2021-03", None, answers.T_MONTH_BEFORE_START, {"month": "mars 2021"}),
        ("12/2020", "2021", None, answers.T_MONTH_BEFORE_START, {"month": "2021"}),
        ("01/2020", "2020-12", None, answers.T_MONTH_BEFORE_START, {"month": "décembre 2020"}),
        # an upper bound other than now
        ("06/2021", None, "2021-05", answers.T_MONTH_LATE, {"month": "mai 2021"}),
        ("2031", None, "2030", answers.T_MONTH_LATE, {"month": "2030"}),
        ("2028", None, "2027-02", answers.T_MONTH_LATE, {"month": "février 2027"}),
    ],
)
def test_parse_month_bounds_refuse(
    raw: str,
    not_before: str | None,
    not_after: str | None,
    reason: str,
    params: dict[str, str],
) -> None:
    refused(parse_month(raw, TODAY, not_before, not_after), reason, params)


# -- parse_name ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Amélie", "Amélie"),
        ("Dupré-Nœl", "Dupré-Nœl"),
        ("O'Connor", "O'Connor"),
        ("O’Connor", "O’Connor"),
        ("Ngũgĩ waʼ Thiong'o", "Ngũgĩ waʼ Thiong'o"),
        ("Олена", "Олена"),
        ("محمد العلي", "محمد العلي"),
        ("Nguyễn Thị Minh", "Nguyễn Thị Minh"),
        ("Ngozi Ọkọnjọ-Iweala", "Ngozi Ọkọnjọ-Iweala"),
        ("Ngozi O\u0323ko\u0323njo\u0323-Iweala", "Ngozi Ọkọnjọ-Iweala"),  # typed decomposed
        ("Ame\u0301lie", "Amélie"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("J.-P.", "J.-P."),
        ("Jean\u2010Pierre", "Jean\u2010Pierre"),
        ("Ελένη", "Ελένη"),
        ("王秀英", "王秀英"),
        ("ნინო", "ნინო"),
        ("अर्जुन", "अर्जुन"),
        ("علی\u200cرضا", "علی\u200cرضا"),  # Persian ZWNJ kept
        ("\u200fمحمد\u200f", "\u200fمحمد\u200f"),  # direction marks kept
        ("  Marie   Claire  ", "Marie Claire"),
        ("Marie\nClaire", "Marie Claire"),
        ("Marie\u00a0Claire", "Marie Claire"),
        ("marie", "marie"),  # kept as typed, not capitalised
        ("A" * 60, "A" * 60),
        # what people write before their name is left out
        ("je m appelle Sara", "Sara"),
        ("Je m'appelle Sara", "Sara"),
        ("Bonjour, je m’appelle Amina", "Amina"),
        ("moi c'est Kevin", "Kevin"),
        ("My name is John", "John"),
        ("I'm John", "John"),
        ("Меня зовут Олена", "Олена"),
        ("Мене звати Олена", "Олена"),
        ("اسمي سارة", "سارة"),
        ("Nom : Benali", "Benali"),
        ("Imane", "Imane"),  # "im" is not "I'm"
        ("Nomvula", "Nomvula"),
        ("Яна", "Яна"),  # "я" alone is "I"; a name starting with it is kept
        ("Nom Benali", "Nom Benali"),  # a label counts only with a colon
        ("Je m'appelle", "Je m'appelle"),  # nothing after it: as typed
    ],
)
def test_parse_name_accepts(raw: str, expected: str) -> None:
    assert parse_name(raw) == expected


@pytest.mark.parametrize("raw", ["Olena", "Zoë", "Ngũgĩ", "Dupré-Nœl", "Nguyễn"])
def test_a_name_in_latin_letters_may_have_any_accent(raw: str) -> None:
    assert parse_name(raw, latin=True) == raw


@pytest.mark.parametrize("raw", ["Олена", "سارة", "Olena Шевченко", "李娜", "µ"])  # µ: a Greek mu
def test_a_name_as_on_french_papers_is_in_latin_letters(raw: str) -> None:
    refused(parse_name(raw, latin=True), answers.T_NAME_LATIN, {})


@pytest.mark.parametrize(
    ("raw", "reason", "params"),
    [
        ("Marie2", answers.T_NAME, {}),
        ("١٢٣", answers.T_NAME, {}),
        ("😀", answers.T_NAME, {}),
        ("Marie 😀", answers.T_NAME, {}),
        ("Marie❤\ufe0f", answers.T_NAME, {}),
        ("Anne\U000e0067", answers.T_NAME, {}),
        ("Jean_Pierre", answers.T_NAME, {}),
        ("@marie", answers.T_NAME, {}),
        ("marie@exemple.fr", answers.T_NAME, {}),
        ("Marie!", answers.T_NAME, {}),
        ("Marie, Claire", answers.T_NAME, {}),
        ("<b>Marie</b>", answers.T_NAME, {}),
        ("-", answers.T_NAME, {}),
        (".", answers.T_NAME, {}),
        ("' -", answers.T_NAME, {}),
        ("\u0301Marie", answers.T_NAME, {}),  # an accent with no letter under it
        ("", answers.T_TEXT_EMPTY, {}),
        ("   ", answers.T_TEXT_EMPTY, {}),
        ("\n\n", answers.T_TEXT_EMPTY, {}),
        ("\u200f\u200b", answers.T_TEXT_EMPTY, {}),
        ("A" * 61, answers.T_TEXT_LONG, {"max": "60"}),
        ("x" * 10_000, answers.T_TEXT_LONG, {"max": "60"}),
    ],
)
def test_parse_name_refuses(raw: str, reason: str, params: dict[str, str]) -> None:
    refused(parse_name(raw), reason, params)


def test_parse_name_max_length() -> None:
    assert parse_name("Anne", max_length=4) == "Anne"
    refused(parse_name("Annie", max_length=4), answers.T_TEXT_LONG, {"max": "4"})


# -- hostile inputs and properties -------------------------------------------------------------


def check_month(result: object) -> None:
    if isinstance(result, Invalid):
        assert_well_formed(result)
    else:
        assert isinstance(result, str)
        assert STORED.fullmatch(result), result
        assert answers.MIN_YEAR <= int(result[:4]) <= answers.MAX_YEAR
        if len(result) > 4:
            assert 1 <= int(result[5:]) <= 12


def check_name(result: object, max_length: int = 60) -> None:
    if isinstance(result, Invalid):
        assert_well_formed(result)
        return
    assert isinstance(result, str)
    assert 0 < len(result) <= max_length
    assert "\n" not in result
    assert any(unicodedata.category(ch)[0] == "L" for ch in result)
    for ch in result:
        cat = unicodedata.category(ch)
        assert cat[0] in "LM" or ch in " -\u2010'\u2019." or ch in answers._KEEP_FORMAT, ch
    result.encode("utf-8")  # storable and sendable


def key(stored: str) -> tuple[int, int | None]:
    year, _, month = stored.partition("-")
    return int(year), int(month) if month else None


def not_earlier(a: str, b: str) -> bool:
    """a >= b, comparing only the years when either is only a year."""
    (ya, ma), (yb, mb) = key(a), key(b)
    if ma is None or mb is None:
        return ya >= yb
    return (ya, ma) >= (yb, mb)


@pytest.mark.parametrize("raw", HOSTILE, ids=lambda s: repr(s[:20]))
def test_hostile_inputs(raw: str) -> None:
    check_month(parse_month(raw, TODAY))
    check_month(parse_month(raw, TODAY, "2021-03", NOW))
    check_name(parse_name(raw))


MONTHS = st.builds(
    lambda y, m: f"{y:04d}" if m is None else f"{y:04d}-{m:02d}",
    st.integers(answers.MIN_YEAR, answers.MAX_YEAR),
    st.none() | st.integers(1, 12),
)
# Bounds from saved answers, including broken ones.
BOUNDS = st.none() | MONTHS | st.text(max_size=8)


@PROPERTY
@given(
    raw=HOSTILE_TEXT,
    today=st.dates(date(1950, 1, 1), date(2090, 12, 31)),
    before=BOUNDS,
    after=BOUNDS,
)
def test_parse_month_never_raises_and_returns_a_stored_month(
    raw: str, today: date, before: str | None, after: str | None
) -> None:
    check_month(parse_month(raw, today, before, after))


@PROPERTY
@given(
    raw=HOSTILE_TEXT,
    today=st.dates(date(1950, 1, 1), date(2090, 12, 31)),
    before=st.none() | MONTHS,
    after=st.none() | MONTHS,
)
def test_parse_month_respects_the_bounds(
    raw: str, today: date, before: str | None, after: str | None
) -> None:
    result = parse_month(raw, today, before, after)
    check_month(result)
    if isinstance(result, str):
        assert before is None or not_earlier(result, before)
        assert after is None or not_earlier(after, result)
        assert parse_month(result, today) == result  # the stored form reads back as itself


@PROPERTY
@given(
    day=st.dates(date(answers.MIN_YEAR, 1, 1), date(answers.MAX_YEAR, 12, 31)),
    pattern=st.sampled_from(["{m:02d}/{y}", "{m}/{y}", "{y}-{m:02d}", "{m}.{y}", "{d}/{m}/{y}"]),
)
def test_parse_month_reads_numeric_forms(day: date, pattern: str) -> None:
    raw = pattern.format(d=day.day, m=day.month, y=day.year)
    assert parse_month(raw, TODAY) == f"{day.year:04d}-{day.month:02d}"


@PROPERTY
@given(day=st.dates(date(answers.MIN_YEAR, 1, 1), date(answers.MAX_YEAR, 12, 1)))
def test_parse_month_reads_the_words_it_shows(day: date) -> None:
    """A bound shown in a message ("mars 2021") can be typed back as it is."""
    words = format_date(day, "MMMM y", locale="fr")
    assert parse_month(words, TODAY) == f"{day.year:04d}-{day.month:02d}"


@PROPERTY
@given(raw=HOSTILE_TEXT, max_length=st.integers(1, 200))
def test_parse_name_never_raises(raw: str, max_length: int) -> None:
    result = parse_name(raw, max_length)
    check_name(result, max_length)
    if isinstance(result, str):
        assert parse_name(result, max_length) == result  # idempotent


@PROPERTY
@given(
    name=st.text(st.characters(categories=("Lu", "Ll", "Lo", "Lm")), min_size=1, max_size=20).map(
        lambda s: unicodedata.normalize("NFC", s)
    )
)
def test_parse_name_keeps_letters_as_typed(name: str) -> None:
    assert parse_name(name) == name
