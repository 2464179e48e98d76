"""Quiet hours: Relais does not write first between 20:00 and 08:30 (Paris time) nor on
Sunday; what it would have said waits for the next allowed minute. Pure, with fixed moments,
across both daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_settings
from bot.schedule.quiet_hours import QuietHours

PARIS = ZoneInfo("Europe/Paris")
QUIET = QuietHours()  # the defaults: 20:00 → 08:30, Sunday off


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A moment given in Paris local time."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def local(moment: datetime) -> str:
    """A moment as Paris local text, with its weekday."""
    return moment.astimezone(PARIS).strftime("%A %Y-%m-%d %H:%M %Z")


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (paris(2026, 11, 23, 19, 59), True),  # Monday
        (paris(2026, 11, 23, 20, 0), False),
        (paris(2026, 11, 24, 8, 29), False),
        (paris(2026, 11, 24, 8, 30), True),
        (paris(2026, 11, 29, 12, 0), False),  # Sunday noon
    ],
)
def test_the_edges_of_the_quiet_hours(moment: datetime, allowed: bool) -> None:
    assert QUIET.allows(moment, PARIS) is allowed
    expected = moment if allowed else QUIET.next_allowed(moment, PARIS)
    assert QUIET.next_allowed(moment, PARIS) == expected


def test_an_evening_message_waits_for_the_next_morning() -> None:
    assert local(QUIET.next_allowed(paris(2026, 11, 23, 20, 0), PARIS)) == (
        "Tuesday 2026-11-24 08:30 CET"
    )
    assert local(QUIET.next_allowed(paris(2026, 11, 24, 8, 29), PARIS)) == (
        "Tuesday 2026-11-24 08:30 CET"
    )


def test_saturday_evening_waits_until_monday_morning() -> None:
    assert QUIET.allows(paris(2026, 11, 28, 19, 59), PARIS)
    assert local(QUIET.next_allowed(paris(2026, 11, 28, 20, 0), PARIS)) == (
        "Monday 2026-11-30 08:30 CET"
    )


def test_across_the_change_to_summer_time() -> None:
    # Sunday 29 March 2026 at 02:00 the clocks go forward: Monday 08:30 is CEST (06:30 UTC)
    monday = QUIET.next_allowed(paris(2026, 3, 28, 20, 30), PARIS)
    assert local(monday) == "Monday 2026-03-30 08:30 CEST"
    assert monday == datetime(2026, 3, 30, 6, 30, tzinfo=UTC)
    seven = paris(2026, 3, 30, 7, 0)  # 05:00 UTC
    assert not QUIET.allows(seven, PARIS)
    assert QUIET.next_allowed(seven, PARIS) == monday


def test_across_the_change_to_winter_time() -> None:
    # Sunday 25 October 2026 at 03:00 the clocks go back: Monday 08:30 is CET (07:30 UTC)
    monday = QUIET.next_allowed(paris(2026, 10, 24, 21, 0), PARIS)
    assert local(monday) == "Monday 2026-10-26 08:30 CET"
    assert monday == datetime(2026, 10, 26, 7, 30, tzinfo=UTC)
    seven = paris(2026, 10, 26, 7, 0)  # 06:00 UTC: 08:30 summer time would be 06:30 UTC
    assert not QUIET.allows(seven, PARIS)
    assert QUIET.next_allowed(seven, PARIS) == monday


def test_a_daytime_window_and_no_window() -> None:
    lunch = QuietHours(time(12, 0), time(14, 0), frozenset())
    assert lunch.allows(paris(2026, 11, 29, 11, 59), PARIS)  # Sunday is no day off here
    assert local(lunch.next_allowed(paris(2026, 11, 29, 12, 0), PARIS)) == (
        "Sunday 2026-11-29 14:00 CET"
    )
    always = QuietHours(time(0, 0), time(0, 0), frozenset())
    assert always.allows(paris(2026, 11, 29, 3, 0), PARIS)


def test_the_settings_and_their_errors(tmp_path: Path) -> None:
    assert load_settings(None, {}).quiet_hours == QuietHours()
    config = tmp_path / "relais.toml"
    config.write_text(
        '[quiet_hours]\nstart = "19:00"\nend = "09:00"\ndays_off = ["saturday", "Sunday"]\n',
        encoding="utf-8",
    )
    assert load_settings(config, {}).quiet_hours == QuietHours(
        time(19, 0), time(9, 0), frozenset({5, 6})
    )
    env = {"RELAIS_QUIET_DAYS_OFF": "sunday, monday", "RELAIS_QUIET_START": "21:15"}
    read = load_settings(None, env).quiet_hours
    assert (read.start, read.days_off) == (time(21, 15), frozenset({6, 0}))
    config.write_text('[quiet_hours]\nend = "8h30"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[quiet_hours\] end: expected a time of day as HH:MM"):
        load_settings(config, {})
    config.write_text('[quiet_hours]\ndays_off = ["dimanche"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"days_off: expected a list of English day names"):
        load_settings(config, {})
