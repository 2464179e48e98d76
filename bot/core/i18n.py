"""Translations (gettext catalogs read with Babel) and locale-aware formatting."""

from __future__ import annotations

import functools
import io
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from bot.core.elision import elide

REFERENCE_LOCALE = "fr"
DOMAIN = "messages"


def N_(msgid: str) -> str:
    """Mark a text for extraction without translating it now."""
    return msgid


class _Keep(dict):
    """format_map helper: an unknown placeholder stays as written instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _Formatter(string.Formatter):
    """Reads {person.centre} as one name, not as an attribute of `person`."""

    def get_field(
        self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> tuple[Any, str]:
        return kwargs[field_name], field_name


def fill(template: str, params: Mapping[str, object]) -> str:
    """Replace {name} placeholders; unknown ones and stray braces are left alone."""
    try:
        return _Formatter().vformat(template, (), _Keep(params))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def placeholders(template: str) -> set[str]:
    """Names of the {placeholders} of a text; raises ValueError on a malformed one."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            names.add(name)
    return names


def placeholder_forms(template: str) -> set[tuple[str, str]]:
    """(name, format) of the {placeholders} of a text: {x:phrase} gives ("x", "phrase"), {x}
    gives ("x", ""); raises ValueError on a malformed one."""
    found = set()
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            found.add((name, spec or ""))
    return found


# the locale whose conventions a language's dates follow: English as written in Britain ("31
# December 2026"), the day before the month as everyone in France reads it
DATE_LOCALES = {"en": "en_GB"}


@dataclass(frozen=True)
class Translator:
    """Everything a reply needs to speak one locale."""

    locale: str
    translations: NullTranslations
    tz: ZoneInfo

    @property
    def date_locale(self) -> str:
        """The locale whose conventions this language's dates follow (DATE_LOCALES)."""
        return DATE_LOCALES.get(self.locale, self.locale)

    @property
    def rtl(self) -> bool:
        """True for right-to-left scripts (Arabic, Persian, Hebrew…)."""
        return Locale.parse(self.locale).character_order == "right-to-left"

    def gettext(self, msgid: str, **params: object) -> str:
        """Translate a text and fill its placeholders."""
        text = self.translations.gettext(msgid) if msgid else ""
        return self.fill(text, params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: object) -> str:
        """Translate a text that depends on a count; {n} is the count, locale-formatted."""
        text = self.translations.ngettext(singular, plural, n)
        return self.fill(text, {"n": self.number(n), **params})

    def fill(self, text: str, params: Mapping[str, object]) -> str:
        """Fill a text of this language: in French, "de {name}" becomes "d'Amina" where the
        name asks for it (bot/core/elision.py)."""
        if self.locale.split("_")[0] == REFERENCE_LOCALE:
            text = elide(text, params)
        return fill(text, params)

    def day(self, value: date) -> str:
        """A date with its weekday, as this locale writes it (mardi 24 novembre 2026)."""
        return format_date(value, format="full", locale=self.locale)

    def date(self, value: date) -> str:
        """A date as this locale writes it (e.g. 3 mars 2025 / Mar 3, 2025)."""
        return format_date(value, format="long", locale=self.locale)

    def time(self, value: time) -> str:
        """A time of day in this locale."""
        return format_time(value, format="short", locale=self.locale)

    def datetime(self, value: datetime) -> str:
        """An instant, shown in the configured time zone."""
        return format_datetime(value.astimezone(self.tz), format="medium", locale=self.locale)

    def number(self, value: float) -> str:
        """A number with this locale's separators."""
        return format_decimal(value, locale=self.locale)


def language_name(code: str) -> str:
    """The language's name written in itself, capitalised: Français, English, العربية."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def load_po(path: Path) -> Translations:
    """Read a .po file into gettext translations (compiled in memory, no .mo needed).

    A file read before and unchanged since is not read again (translations are read-only)."""
    stat = path.stat()
    return _load_po(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _load_po(path: Path, mtime_ns: int, size: int) -> Translations:
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=path.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


class Catalogs:
    """The translators of every enabled language."""

    def __init__(self, locales_dir: Path, languages: list[str], timezone: str) -> None:
        self.languages = list(languages)
        self.tz = ZoneInfo(timezone)
        self._translators: dict[str, Translator] = {}
        for code in self.languages:
            po = locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
            trans: NullTranslations = load_po(po) if po.exists() else NullTranslations()
            self._translators[code] = Translator(code, trans, self.tz)
        self._locales_dir = locales_dir
        self._shipped: dict[str, Translator] | None = None

    def shipped(self) -> dict[str, Translator]:
        """The translators of every catalog shipped, enabled or not (read when first needed):
        people type the words of their own language ("так", "نعم") even when Relais speaks
        to them in another one."""
        if self._shipped is None:
            shipped = dict(self._translators)
            for po in sorted(self._locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
                code = po.parent.parent.name
                if code not in shipped:
                    shipped[code] = Translator(code, load_po(po), self.tz)
            if REFERENCE_LOCALE not in shipped:
                shipped[REFERENCE_LOCALE] = Translator(
                    REFERENCE_LOCALE, NullTranslations(), self.tz
                )
            self._shipped = shipped
        return self._shipped

    def get(self, locale: str | None) -> Translator:
        """The translator of a locale, French when unknown."""
        if locale in self._translators:
            return self._translators[locale]
        if REFERENCE_LOCALE in self._translators:
            return self._translators[REFERENCE_LOCALE]
        return Translator(REFERENCE_LOCALE, NullTranslations(), self.tz)
