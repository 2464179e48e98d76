"""The process's clock: the real one, or a moment set from outside that then runs on."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import ClockError, clock_from_env, started_at, utc_now
from bot.testing.moment import NOW
from tests.test_cli import relais


def test_without_relais_clock_the_real_clock_is_used() -> None:
    assert clock_from_env({}) is utc_now


def test_relais_clock_starts_at_the_given_moment_and_runs_on() -> None:
    clock = clock_from_env({"RELAIS_CLOCK": "2026-11-23T11:00:00+01:00"})
    first = clock()
    assert NOW <= first < NOW + timedelta(seconds=5)
    time.sleep(0.01)
    assert clock() > first


def test_a_clock_started_at_a_moment_keeps_its_time_zone_aware() -> None:
    moment = datetime(2027, 3, 28, 0, 59, 59, tzinfo=UTC)
    assert started_at(moment)().tzinfo is not None


@pytest.mark.parametrize("text", ["tomorrow", "2026-11-23T10:00:00", "2026-13-01T00:00:00Z"])
def test_a_wrong_relais_clock_is_refused(text: str) -> None:
    with pytest.raises(ClockError, match="RELAIS_CLOCK"):
        clock_from_env({"RELAIS_CLOCK": text})


def test_the_command_refuses_a_wrong_relais_clock_in_one_line() -> None:
    done = relais("stats", env={"RELAIS_CLOCK": "yesterday"})
    assert done.returncode == 2
    assert done.stderr.strip().startswith("relais: RELAIS_CLOCK: expected a moment")
    assert len(done.stderr.strip().splitlines()) == 1
