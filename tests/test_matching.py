"""Which button a typed answer stands for, and the words of each language: tables of what
people type, then properties (never a guess between two buttons, no word both yes and no)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.answers import months_in_text, normalise_label, parse_date, parse_number
from bot.core.i18n import Catalogs
from bot.core.matching import edit_distance, match_meaning, match_options, typo_allowance
from bot.core.words import CONCEPTS, build_lexicon, lexicon
from tests.conftest import ROOT

CATALOGS = Catalogs(ROOT / "locales", ["fr", "en", "ar", "uk"], "Europe/Paris")
SHIPPED = sorted(CATALOGS.shipped())

LEVELS = [
    ("not_yet", "Pas encore"),
    ("a_little", "Un peu"),
    ("good", "Bien"),
    ("very_good", "Très bien"),
]
TRAVEL = [
    ("15", "15 minutes"),
    ("30", "30 minutes"),
    ("60", "1 heure"),
    ("more", "Plus d'une heure"),
]
START = [
    ("now", "Tout de suite"),
    ("later", "À partir d'une date"),
    ("dont_know", "Je ne sais pas"),
]


@pytest.mark.parametrize(
    ("options", "typed", "found"),
    [
        (LEVELS, "pas encor", ["not_yet"]),
        (LEVELS, "pas encoe", ["not_yet"]),
        (LEVELS, "un peux", ["a_little"]),
        (LEVELS, "bein", ["good"]),
        (LEVELS, "tres bein", ["very_good"]),
        (LEVELS, "bon", []),  # too short to be a typo of anything
        (TRAVEL, "16 minutes", []),  # one letter from two answers: no guess
        (TRAVEL, "30 minute", ["30"]),
        (START, "tout de suitte", ["now"]),
        (START, "je sais pas", []),  # a meaning, not a spelling: see match_meaning
        # a few words in a row of one label, as Fatou typed where she worked before
        ([("fr", "En France"), ("abroad", "Dans un autre pays")], "autre pays", ["abroad"]),
        (TRAVEL, "dune heure", ["more"]),
        ([("walk", "À pied"), ("transit", "En transports (bus, métro…)")], "bus", ["transit"]),
        ([("walk", "À pied"), ("transit", "En transports (bus, métro…)")], "en", []),  # too short
        (LEVELS, "pas bien", []),  # not a run of words of any one label
        # "matin" is a word of both, but "Le matin" is the word itself, as Fatou meant it
        ([("early", "Tôt le matin (avant 8 h)"), ("morning", "Le matin")], "matin", ["morning"]),
        ([("early", "Tôt le matin (avant 8 h)"), ("morning", "Le matin")], "tot", ["early"]),
    ],
)
def test_a_close_spelling_of_one_label(
    options: list[tuple[str, str]], typed: str, found: list[str]
) -> None:
    assert match_options(options, normalise_label(typed)) == found


@pytest.mark.parametrize(
    ("locale", "options", "typed", "found"),
    [
        ("fr", START, "jsp", ["dont_know"]),
        ("fr", START, "je sais pas", ["dont_know"]),
        ("fr", START, "chais pas", ["dont_know"]),
        ("fr", LEVELS, "non", ["not_yet"]),
        ("fr", LEVELS, "ouais", []),  # no answer begins with yes
        ("fr", [("a", "Oui, avec de l'aide"), ("b", "Oui, sans aide"), ("n", "Non")], "ouais", []),
        ("en", [("y", "Yes, all day"), ("s", "Sometimes"), ("n", "No, not yet")], "yeah", ["y"]),
        ("en", [("y", "Yes, all day"), ("s", "Sometimes"), ("n", "No, not yet")], "nope", ["n"]),
        ("en", START, "idk", ["dont_know"]),  # any language's words for the same meaning
        # Arabic: "لا" (no) is not "لا أعرف" (I don't know), whose first word it is
        ("ar", [("now", "فورًا"), ("dont_know", "لا أعرف")], "لا", []),
        ("ar", [("now", "فورًا"), ("dont_know", "لا أعرف")], "لا اعرف", ["dont_know"]),
        ("ar", [("y", "نعم، طوال اليوم"), ("n", "لا، ليس بعد")], "لا", ["n"]),
        ("uk", [("not_yet", "Ще ні"), ("a_little", "Трохи")], "ні", ["not_yet"]),
        ("uk", [("y", "Так, увесь день"), ("n", "Ні, ще ні")], "так", ["y"]),
    ],
)
def test_a_word_of_yes_no_or_i_don_t_know_stands_for_the_one_label_it_begins(
    locale: str, options: list[tuple[str, str]], typed: str, found: list[str]
) -> None:
    words = lexicon(CATALOGS, locale)
    assert match_meaning(options, normalise_label(typed), words) == found


@pytest.mark.parametrize("locale", SHIPPED)
def test_no_word_means_yes_and_no_nor_done_and_none(locale: str) -> None:
    words = lexicon(CATALOGS, locale)
    assert not words.yes & words.no
    assert not words.done & words.none


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_catalog_has_its_own_words(locale: str) -> None:
    # a language whose lists were left untranslated would read French only
    translator = CATALOGS.shipped()[locale]
    for msgid in CONCEPTS.values():
        assert translator.gettext(msgid), msgid
        if locale != "fr":
            assert translator.gettext(msgid) != msgid, (locale, msgid)


def test_a_word_is_read_in_the_person_s_language_first() -> None:
    fr, en = CATALOGS.shipped()["fr"], CATALOGS.shipped()["en"]
    # "si" is yes in French; were it "no" in another language, a French speaker would keep it
    assert "si" in build_lexicon(fr, [en]).yes
    # a word two other languages read both ways is left out
    words = build_lexicon(fr, [_Fake("xx", {"yes": "zut"}), _Fake("yy", {"no": "zut"})])
    assert "zut" not in words.yes | words.no


class _Fake:
    """A translator of a made-up language whose word lists are given."""

    def __init__(self, locale: str, lists: dict[str, str]) -> None:
        self.locale = locale
        self.lists = {CONCEPTS[name]: text for name, text in lists.items()}

    def gettext(self, msgid: str) -> str:
        return self.lists.get(msgid, "")


# -- properties -----------------------------------------------------------------------------


def _reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the plain way."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            change = d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, change)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(st.text("abcé ", max_size=9), st.text("abcé ", max_size=9), st.integers(0, 3))
def test_the_bounded_distance_is_the_distance_or_past_the_bound(a: str, b: str, limit: int) -> None:
    exact = _reference_distance(a, b)
    assert edit_distance(a, b, limit) == (exact if exact <= limit else limit + 1)


labels = st.lists(
    st.text("abcdefgh ", min_size=1, max_size=12).map(normalise_label).filter(bool),
    min_size=2,
    max_size=6,
    unique=True,
)


@given(labels, st.text("abcdefgh ", max_size=14))
def test_a_typed_answer_never_stands_for_two_buttons(names: list[str], raw: str) -> None:
    options = [(f"v{i}", name) for i, name in enumerate(names)]
    typed = normalise_label(raw)
    found = match_options(options, typed)
    assert len(found) <= 1
    exact = [v for v, name in options if name == typed]
    if found and not exact and len(typed) >= 4:
        # a close spelling is taken only when no other label is as close
        allowance = typo_allowance(len(typed))
        close = [v for v, name in options if edit_distance(typed, name, allowance) <= allowance]
        assert len(close) <= 1


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(1, 31), st.integers(1, 12))
def test_a_day_and_a_month_asked_for_a_date_to_come_are_the_next_ones(
    today: date, day: int, month: int
) -> None:
    found = parse_date(f"{day}/{month:02d}", today, not_before=today)
    if isinstance(found, date):
        assert (found.day, found.month) == (day, month)
        assert today <= found < today.replace(day=1) + timedelta(days=366 * 4 + 31)
        if (day, month) != (29, 2):
            assert found < today + timedelta(days=366)
    else:
        with pytest.raises(ValueError):
            date(2024, month, day)  # only a day no year has is refused


FRENCH_NUMBERS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf vingt"
)
ENGLISH_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        *enumerate(FRENCH_NUMBERS.split()),
        *enumerate(ENGLISH_NUMBERS.split()),
    ],
)
def test_numbers_in_words_up_to_twenty(number: int, words: str) -> None:
    assert parse_number(words) == number
    assert parse_number(words.upper() + " ans") == number


@pytest.mark.parametrize(
    ("typed", "months"),
    [
        ("3 ans", 36),
        ("6 mois", 6),
        ("un an et demi", 18),
        ("2 ans et 3 mois", 27),
        ("deux ans", 24),
        ("12 років", 144),  # Olena, in Ukrainian
        ("two years", 24),
        ("5", None),  # years or months? not a guess
        ("ans", None),
        ("rien", None),
    ],
)
def test_a_duration_typed_in_words_is_counted_in_months(typed: str, months: int | None) -> None:
    assert months_in_text(typed) == months
