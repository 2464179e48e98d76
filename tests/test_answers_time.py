"""A time of day, as volunteers type it ("14h30", "14 h 30", "2pm"), and the moment it names with
the day answered before it in the deployment's time zone: past moments and the hour the clocks
skip on the night of the spring change are refused kindly; the hour that comes twice in autumn
is the first one. Flow files with a time step are checked at load."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core import answers
from bot.core.answers import Invalid, check_moment, local_moment, parse_time
from bot.testing.moment import NOW
from tests.test_flow_loader import error_of, write_flows

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("14h30", "14:30"),
        ("14 h 30", "14:30"),
        ("14H30", "14:30"),
        ("14:30", "14:30"),
        ("14.30", "14:30"),
        ("14h", "14:00"),
        ("9h", "09:00"),
        ("9", "09:00"),
        ("09h05", "09:05"),
        ("1430", "14:30"),
        ("2pm", "14:00"),
        ("2 PM", "14:00"),
        ("2:30 pm", "14:30"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("à 14h30", "14:30"),
        ("vers 9h", "09:00"),
        ("14 heures 30", "14:30"),
        ("10 h du matin", "10:00"),
        ("8h du soir", "20:00"),
        ("3 de l'après-midi", "15:00"),
        ("midi", "12:00"),
        ("minuit", "00:00"),
        ("0h", "00:00"),
        ("١٤:٣٠", "14:30"),  # Arabic-Indic digits
        ("\u200f14:30\u200f", "14:30"),  # right-to-left marks around a number
    ],
)
def test_times_are_read_as_people_type_them(typed: str, stored: str) -> None:
    assert parse_time(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("25h", answers.T_TIME_IMPOSSIBLE),
        ("14h75", answers.T_TIME_IMPOSSIBLE),
        ("13pm", answers.T_TIME_IMPOSSIBLE),
        ("24:00", answers.T_TIME_IMPOSSIBLE),
        ("bonjour", answers.T_TIME),
        ("", answers.T_TIME),
        ("14 30 45", answers.T_TIME),
        ("demain", answers.T_TIME),
        ("9" * 500, answers.T_TIME),
    ],
)
def test_a_time_that_is_not_one_is_refused_with_the_way_to_write_it(
    typed: str, reason: str
) -> None:
    assert parse_time(typed) == Invalid(reason)


def test_the_hour_the_clocks_skip_does_not_exist_and_the_hour_that_comes_twice_is_the_first() -> (
    None
):
    # last Sunday of March 2027: 02:00 → 03:00 in Paris
    assert local_moment(date(2027, 3, 28), time(2, 30), PARIS) is None
    assert local_moment(date(2027, 3, 28), time(3, 30), PARIS) == datetime(
        2027, 3, 28, 1, 30, tzinfo=UTC
    )
    # last Sunday of October 2027: 03:00 → 02:00; 02:30 comes twice, the first is in summer time
    twice = local_moment(date(2027, 10, 31), time(2, 30), PARIS)
    assert twice is not None and twice.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_a_time_is_checked_with_its_day_and_now() -> None:
    skipped = check_moment("2027-03-28", "02:30", PARIS)
    assert skipped == Invalid(answers.T_TIME_SKIPPED, {"time": "02:30", "example": "03:30"})
    assert check_moment("2027-10-31", "02:30", PARIS) == "02:30"
    # Monday 23 November 2026, 11:00 in Paris
    assert check_moment("2026-11-23", "09:00", PARIS, NOW) == Invalid(
        answers.T_TIME_PAST, {"now": "11:00"}
    )
    assert check_moment("2026-11-23", "11:00", PARIS, NOW) == Invalid(
        answers.T_TIME_PAST, {"now": "11:00"}
    )
    assert check_moment("2026-11-23", "11:01", PARIS, NOW) == "11:01"
    assert check_moment("2026-11-24", "09:00", PARIS, NOW) == "09:00"
    # a day that cannot be read is not checked (a broken answer never stops anyone)
    assert check_moment("", "09:00", PARIS, NOW) == "09:00"


TIMED = """
id = "demo"
[[steps]]
id = "day"
type = "date"
prompt = "Quel jour ?"
next = "hour"
[[steps]]
id = "hour"
type = "time"
prompt = "À quelle heure ?"
"""


def test_a_time_step_loads_with_the_date_it_is_a_time_of(tmp_path: Path) -> None:
    from bot.flows.loader import load_flows

    write_flows(tmp_path / "flows", TIMED + 'date_from = "day"\nnot_before = "now"\n')
    step = load_flows(tmp_path / "flows").flows["demo"].steps["hour"]
    assert (step.type, step.date_from, step.not_before) == ("time", "day", "now")


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ('date_from = "nothing"', "field 'date_from': 'nothing' is not saved by a date step"),
        ('date_from = "hour"', "field 'date_from': 'hour' is not saved by a date step"),
        ('not_before = "today"', "field 'not_before': expected \"now\""),
        ('not_after = "now"', "field 'not_after': only allowed for steps of type"),
    ],
)
def test_a_time_step_s_mistakes_are_named(tmp_path: Path, extra: str, error: str) -> None:
    found = error_of(tmp_path, TIMED + extra + "\n")
    assert "demo.toml: step 'hour'" in found and error in found, found


def test_a_team_to_choose_from_is_for_desk_flows_only(tmp_path: Path) -> None:
    found = error_of(
        tmp_path,
        """
        id = "demo"
        [[steps]]
        id = "who"
        type = "choice"
        prompt = "Qui ?"
        options_from = "team"
        """,
    )
    assert "step 'who', field 'options_from': only a desk flow" in found


def test_the_catalog_extractor_reads_a_time_step() -> None:
    from bot.flows.extractor import extract_flow
    from tests.conftest import ROOT

    with (ROOT / "flows" / "desk_appointment.toml").open("rb") as fh:
        found = {text: comments for _, _, text, comments in extract_flow(fh, (), (), {})}
    assert found["À quelle heure ?"][0] == "desk_appointment / appt_time: prompt"
    assert "Button: 30 characters at most." in found["Demain"]
