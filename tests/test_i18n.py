"""Catalogs are complete and in step with the sources; formatting follows the locale."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from bot.core.i18n import Catalogs, fill, language_name, placeholders
from bot.flows.catalog_check import check_catalogs
from bot.flows.loader import load_flows
from tests.conftest import ROOT

LOCALES = ROOT / "locales"


def read(path: Path, locale: str | None = None):
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def test_the_template_is_in_step_with_the_sources(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    expected = {m.id for m in read(fresh) if m.id}
    committed = {m.id for m in read(LOCALES / "messages.pot") if m.id}
    assert expected - committed == set(), "run pybabel extract and update (see the README)"
    assert committed - expected == set(), "the template has texts the sources no longer use"


@pytest.mark.parametrize("code", ["en", "ar", "uk"])
def test_shipped_translations_are_complete_with_the_same_placeholders(code: str) -> None:
    template = {m.id for m in read(LOCALES / "messages.pot") if m.id}
    english = read(LOCALES / code / "LC_MESSAGES" / "messages.po", code)
    translated = {}
    for message in english:
        if message.id and message.string and "fuzzy" not in message.flags:
            translated[message.id] = message
    assert template - set(translated) == set()
    for msgid, message in translated.items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for s in strings:
            assert s.strip(), msgid
            assert placeholders(s) == placeholders(ids[0]) | placeholders(ids[-1]), msgid


def test_relais_check_finds_nothing_wrong() -> None:
    flows = load_flows(ROOT / "flows")
    problems, warnings = check_catalogs(LOCALES, ("fr", "en", "ar", "uk"), flows)
    assert problems == []
    assert warnings == []


def test_check_reports_a_broken_placeholder(tmp_path: Path) -> None:
    po = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Bienvenue, {first_name} !"\nmsgstr "Welcome, {prenom}!"\n',
        encoding="utf-8",
    )
    problems, warnings = check_catalogs(tmp_path, ("fr", "en"), load_flows(ROOT / "flows"))
    assert any("unknown placeholder" in p and "prenom" in p for p in problems)
    assert any("not translated" in w for w in warnings)


def test_dates_and_numbers_follow_the_locale() -> None:
    catalogs = Catalogs(LOCALES, ["fr", "en", "ar"], "Europe/Paris")
    assert catalogs.get("fr").date(date(2026, 12, 1)) == "1 décembre 2026"
    assert catalogs.get("en").date(date(2026, 12, 1)) == "December 1, 2026"
    assert catalogs.get("fr").number(1234.5) == "1\u202f234,5"
    assert catalogs.get("en").number(1234.5) == "1,234.5"
    # 23:30 UTC on 30 November is already 1 December in Paris
    assert "1 déc. 2026" in catalogs.get("fr").datetime(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))


def test_right_to_left_languages_are_marked() -> None:
    catalogs = Catalogs(LOCALES, ["fr", "ar", "fa"], "Europe/Paris")
    assert catalogs.get("ar").rtl and catalogs.get("fa").rtl
    assert not catalogs.get("fr").rtl
    assert language_name("ar") == "العربية"
    assert catalogs.get("ar").gettext("Oui") != "Oui"  # the Arabic draft catalog is read
    assert language_name("uk") == "Українська"


def test_an_unknown_locale_falls_back_to_french() -> None:
    catalogs = Catalogs(LOCALES, ["fr", "en"], "Europe/Paris")
    assert catalogs.get("xx").locale == "fr"
    assert catalogs.get(None).locale == "fr"
    assert catalogs.get("en").gettext("Oui") == "Yes"


def test_plurals_follow_each_language() -> None:
    catalogs = Catalogs(LOCALES, ["fr", "en"], "Europe/Paris")
    fr, en = catalogs.get("fr"), catalogs.get("en")
    one, many = "Choisissez au moins {n} réponse.", "Choisissez au moins {n} réponses."
    assert fr.ngettext(one, many, 0) == "Choisissez au moins 0 réponse."
    assert fr.ngettext(one, many, 2) == "Choisissez au moins 2 réponses."
    assert en.ngettext(one, many, 1).startswith("Choose at least 1 ")
    assert en.ngettext(one, many, 2).endswith("answers.")


@given(st.text(max_size=40), st.dictionaries(st.text(max_size=5), st.text(max_size=5)))
def test_filling_placeholders_never_raises(template: str, params: dict[str, str]) -> None:
    assert isinstance(fill(template, params), str)


@pytest.mark.parametrize("code", ["fr", "en", "ar", "uk"])
def test_every_flow_text_is_translated_or_reference(code: str) -> None:
    flows = load_flows(ROOT / "flows")
    problems, warnings = check_catalogs(LOCALES, (code,), flows)
    assert problems == warnings == []
