"""How an appointment is written for the person who reads it, in their language: the moment
written out as people say it ("mardi 8 décembre à 14 h 30", "Tuesday 8 December at 2:30 pm"),
the place and the purpose. Pure: a translator and values in, text out.

Dates come from Babel (CLDR): the weekday, day and month of the locale's "MMMMEd" pattern with
the weekday written in full, and the time of day of the locale. Two choices are ours:
- French writes the time of day "14 h 30" (and "10 h" on the hour) in a sentence, as letters,
  signs and newspapers do; CLDR's "14:30" is the form of timetables.
- English follows British conventions ("Tuesday 8 December", "2:30 pm"): the day before the
  month is the order everyone living in France reads on every paper, where "December 8" is
  easily misread.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from babel import Locale
from babel.dates import format_datetime

from bot.appointments.domain import PURPOSE_LABELS
from bot.core.i18n import N_, Translator

# the date and the time of day joined in a sentence ("mardi 8 décembre à 14 h 30")
T_AT = N_("{date} à {time}")
T_BY_PHONE = N_("par téléphone : le bénévole vous appellera")
T_CENTRE_AT = N_("{centre}, {address}")

# the time of day in a sentence, (with minutes, on the hour); others: the locale's short time
_TIME = {
    "fr": ("H 'h' mm", "H 'h'"),
    "en": ("h:mm a", "h a"),
}
_WEEKDAY = re.compile(r"E+")


def _language(t: Translator) -> str:
    return t.locale.split("_")[0]


@cache
def _day_pattern(locale: str) -> str:
    """The locale's weekday-day-month pattern, the weekday in full: "EEEE d MMMM"."""
    skeletons = Locale.parse(locale).datetime_skeletons
    pattern = str(skeletons["MMMMEd"]) if "MMMMEd" in skeletons else "EEEE d MMMM"
    return _WEEKDAY.sub("EEEE", pattern)


def day(t: Translator, moment: datetime) -> str:
    """The day of `moment` in the deployment's time zone: "mardi 8 décembre", "mardi 1er
    décembre" (French writes the first of the month as an ordinal)."""
    local = moment.astimezone(t.tz)
    pattern = _day_pattern(t.date_locale)
    if _language(t) == "fr" and local.day == 1:
        pattern = re.sub(r"(?<![a-zA-Z'])d(?![a-zA-Z])", "d'er'", pattern)
    return format_datetime(local, pattern, locale=t.date_locale)


def hour(t: Translator, moment: datetime) -> str:
    """The time of day of `moment` in the deployment's time zone: "14 h 30", "2:30 pm"."""
    local = moment.astimezone(t.tz)
    patterns = _TIME.get(_language(t))
    if patterns is None:
        return t.time(local.timetz().replace(tzinfo=None))
    pattern = patterns[1] if local.minute == 0 else patterns[0]
    return format_datetime(local, pattern, locale=t.date_locale)


def when(t: Translator, moment: datetime) -> str:
    """The moment written out: "mardi 8 décembre à 14 h 30"."""
    return t.gettext(T_AT, date=day(t, moment), time=hour(t, moment))


def place(t: Translator, where: str, centre: str, address: str) -> str:
    """Where it is: the centre's name and address, the other address, or by phone."""
    if where == "phone":
        return t.gettext(T_BY_PHONE)
    if where == "centre":
        return t.gettext(T_CENTRE_AT, centre=centre, address=address) if address else centre
    return address or centre


def purpose(t: Translator, value: str) -> str:
    """What it is for, in the reader's language ("Atelier CV")."""
    return t.gettext(PURPOSE_LABELS.get(value, PURPOSE_LABELS["other"]))
