"""Reminders of an appointment go at the right local time: "1 day before" at the same hour on
the clock the day before, "2 hours before" two real hours before, across both daylight-saving
changes (Europe/Paris in 2026 and 2027, America/New_York, Asia/Beirut), never inside quiet
hours (20:00–08:30 and Sunday by default; a deployment's own). Each case is planned
(bot.appointments.reminders.plan), then booked through bot.appointments.lifecycle on a real
SQLite file and delivered by bot.reach.delivery.take_due with the clock moved: each goes at
the second of its planned minute its appointment's id gives (reminders.spread: the reminders
of a busy quarter hour spread over the minute), nothing a second before that moment, the
reminder at it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.appointments.reminders import DAY, MIN_GAP, nominal, plan, spread
from bot.config import AppointmentSettings
from bot.schedule.quiet_hours import QuietHours
from bot.testing.moment import Hands
from tests.appointment_kit import (
    local,
    open_desk,
    reminder_at,
    rows,
    settings_in,
    stand_in_kinds,
    utc,
)

OFFSETS = AppointmentSettings().reminders  # the defaults: 1 day and 2 hours before
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)
# the [quiet_hours] of a deployment that lets Relais write at any time (to see the plain rule)
NEVER_QUIET = 'start = "00:00"\nend = "00:00"\ndays_off = []'


@dataclass(frozen=True)
class Case:
    """An appointment at local `starts` (fold 1: the second of a time the clocks go through
    twice) and its reminders, as local text, by dedupe-key offset."""

    starts: str
    expected: tuple[tuple[str, str], ...]
    zone: str = "Europe/Paris"
    quiet: str = ""  # the [quiet_hours] lines; "" = the defaults
    fold: int = 0

    def start(self) -> datetime:
        return datetime.fromisoformat(self.starts).replace(
            tzinfo=ZoneInfo(self.zone), fold=self.fold
        )

    def quiet_hours(self) -> QuietHours:
        if self.quiet == NEVER_QUIET:
            return QuietHours(time(0, 0), time(0, 0), frozenset())
        if self.quiet:
            raise AssertionError("only the defaults and NEVER_QUIET are planned here")
        return QuietHours()


# Europe/Paris changes on the last Sunday of March (02:00 → 03:00) and of October (03:00 →
# 02:00). Appointments on the Sunday of a change: the day-before reminder is at the same hour
# on Saturday, 23 or 25 real hours before; the 2-hour one would fall on Sunday (off), so it
# goes on Saturday evening. On the Monday after: Sunday is off, so the day-before reminder is
# on Saturday evening and the 2-hour one at 08:30 (08:00 is quiet; 08:30 leaves over half the
# lead). Without quiet hours, at night: 2 real hours are 3 or 1 hours on the clock.
DST_PARIS = [
    Case(
        "2026-03-29 10:00",
        (("1440m", "Sat 28 Mar 2026 10:00 CET"), ("120m", "Sat 28 Mar 2026 19:59 CET")),
    ),
    Case(
        "2026-03-30 10:00",
        (("1440m", "Sat 28 Mar 2026 19:59 CET"), ("120m", "Mon 30 Mar 2026 08:30 CEST")),
    ),
    Case(
        "2026-03-29 03:30",
        (("1440m", "Sat 28 Mar 2026 03:30 CET"), ("120m", "Sun 29 Mar 2026 00:30 CET")),
        quiet=NEVER_QUIET,
    ),
    Case(
        "2026-10-25 10:00",
        (("1440m", "Sat 24 Oct 2026 10:00 CEST"), ("120m", "Sat 24 Oct 2026 19:59 CEST")),
    ),
    Case(
        "2026-10-26 10:00",
        (("1440m", "Sat 24 Oct 2026 19:59 CEST"), ("120m", "Mon 26 Oct 2026 08:30 CET")),
    ),
    Case(
        "2026-10-25 02:30",  # the second 02:30 (winter time): 01:30 UTC
        (("1440m", "Sat 24 Oct 2026 02:30 CEST"), ("120m", "Sun 25 Oct 2026 01:30 CEST")),
        quiet=NEVER_QUIET,
        fold=1,
    ),
    Case(
        "2027-03-28 10:00",
        (("1440m", "Sat 27 Mar 2027 10:00 CET"), ("120m", "Sat 27 Mar 2027 19:59 CET")),
    ),
    Case(
        "2027-03-29 10:00",
        (("1440m", "Sat 27 Mar 2027 19:59 CET"), ("120m", "Mon 29 Mar 2027 08:30 CEST")),
    ),
    Case(
        "2027-03-28 03:30",
        (("1440m", "Sat 27 Mar 2027 03:30 CET"), ("120m", "Sun 28 Mar 2027 00:30 CET")),
        quiet=NEVER_QUIET,
    ),
    Case(
        "2027-10-31 10:00",
        (("1440m", "Sat 30 Oct 2027 10:00 CEST"), ("120m", "Sat 30 Oct 2027 19:59 CEST")),
    ),
    Case(
        "2027-11-01 10:00",
        (("1440m", "Sat 30 Oct 2027 19:59 CEST"), ("120m", "Mon 01 Nov 2027 08:30 CET")),
    ),
    Case(
        "2027-10-31 02:30",
        (("1440m", "Sat 30 Oct 2027 02:30 CEST"), ("120m", "Sun 31 Oct 2027 01:30 CEST")),
        quiet=NEVER_QUIET,
        fold=1,
    ),
]

# The 2-hour reminder's rule, on ordinary days (Paris, the default quiet hours).
SHORT_RULE = [
    # 08:00 is quiet; 08:30 still leaves an hour (half the lead): a little later
    Case(
        "2026-11-24 10:00",
        (("1440m", "Mon 23 Nov 2026 10:00 CET"), ("120m", "Tue 24 Nov 2026 08:30 CET")),
    ),
    # 07:00 is quiet and 08:30 would leave 30 minutes: the evening before
    Case(
        "2026-11-24 09:00",
        (("1440m", "Mon 23 Nov 2026 09:00 CET"), ("120m", "Mon 23 Nov 2026 19:59 CET")),
    ),
    # an evening class: the day before at 21:00 is quiet, so earlier that evening
    Case(
        "2026-11-24 21:00",
        (("1440m", "Mon 23 Nov 2026 19:59 CET"), ("120m", "Tue 24 Nov 2026 19:00 CET")),
    ),
    # exactly half the lead left at 08:30: still in the morning
    Case(
        "2026-11-30 09:30",
        (("1440m", "Sat 28 Nov 2026 19:59 CET"), ("120m", "Mon 30 Nov 2026 08:30 CET")),
    ),
    # a minute less: the 2-hour one would be on Saturday evening too: one reminder is enough
    Case("2026-11-30 09:29", (("1440m", "Sat 28 Nov 2026 19:59 CET"),)),
    # Tuesday 08:00: Monday 08:00 is quiet and Monday morning has no minute before it; the
    # day before stays the day before (its evening, not the Saturday before the Sunday off),
    # and the 2-hour one would be the same evening: one reminder
    Case("2026-12-01 08:00", (("1440m", "Mon 30 Nov 2026 19:59 CET"),)),
]

# Other deployments: New York changes on the second Sunday of March and the first of
# November at 02:00; Beirut on the last Sunday of March and of October at midnight.
OTHER_ZONES = [
    Case(
        "2026-03-08 10:00",
        (("1440m", "Sat 07 Mar 2026 10:00 EST"), ("120m", "Sat 07 Mar 2026 19:59 EST")),
        zone="America/New_York",
    ),
    Case(
        "2026-03-09 10:00",
        (("1440m", "Sat 07 Mar 2026 19:59 EST"), ("120m", "Mon 09 Mar 2026 08:30 EDT")),
        zone="America/New_York",
    ),
    Case(
        "2026-11-01 10:00",
        (("1440m", "Sat 31 Oct 2026 10:00 EDT"), ("120m", "Sat 31 Oct 2026 19:59 EDT")),
        zone="America/New_York",
    ),
    Case(
        "2026-11-02 10:00",
        (("1440m", "Sat 31 Oct 2026 19:59 EDT"), ("120m", "Mon 02 Nov 2026 08:30 EST")),
        zone="America/New_York",
    ),
    Case(
        "2026-03-29 10:00",
        (("1440m", "Sat 28 Mar 2026 10:00 EET"), ("120m", "Sat 28 Mar 2026 19:59 EET")),
        zone="Asia/Beirut",
    ),
    Case(
        "2026-10-26 10:00",
        (("1440m", "Sat 24 Oct 2026 19:59 EEST"), ("120m", "Mon 26 Oct 2026 08:30 EET")),
        zone="Asia/Beirut",
    ),
    Case(
        "2026-03-29 01:30",  # an hour and a half after the clocks jumped from 00:00 to 01:00
        (("1440m", "Sat 28 Mar 2026 01:30 EET"), ("120m", "Sat 28 Mar 2026 22:30 EET")),
        zone="Asia/Beirut",
        quiet=NEVER_QUIET,
    ),
]


CASES = DST_PARIS + SHORT_RULE + OTHER_ZONES
IDS = [f"{c.zone.split('/')[-1]} {c.starts}{' (2nd)' if c.fold else ''}" for c in CASES]


def _booked_at(case: Case) -> datetime:
    # a week and a day before, at a time when Relais may write (10:00 local, a weekday)
    return (case.start() - timedelta(days=8)).replace(hour=10, minute=0)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_reminder_is_planned_at_its_local_time(case: Case) -> None:
    zone = ZoneInfo(case.zone)
    planned = plan(case.start(), OFFSETS, case.quiet_hours(), zone, _booked_at(case))
    assert [(r.key, local(r.at, zone)) for r in planned] == list(case.expected)
    # the 2-hour reminder is two real hours before when nothing is quiet then
    for reminder in planned:
        assert reminder.at.tzinfo is UTC
        if reminder.offset < DAY and case.quiet == NEVER_QUIET:
            assert case.start() - reminder.at == reminder.offset


def test_no_reminder_comes_within_the_hour_after_the_confirmation() -> None:
    # booked at 19:30 for 09:00 the next morning: the "2 hours before" would go at 19:59, half
    # an hour after the confirmation said it all; it is left out
    zone = ZoneInfo("Europe/Paris")
    start = datetime(2026, 12, 8, 9, 0, tzinfo=zone)
    booked = datetime(2026, 12, 7, 19, 30, tzinfo=zone)
    assert plan(start, OFFSETS, QuietHours(), zone, booked) == []
    # booked in the morning, the evening reminder stays
    morning = datetime(2026, 12, 7, 10, 0, tzinfo=zone)
    assert [local(r.at, zone) for r in plan(start, OFFSETS, QuietHours(), zone, morning)] == [
        "Mon 07 Dec 2026 19:59 CET"
    ]


def test_a_start_given_in_local_time_or_in_utc_plans_the_same_moments() -> None:
    # 03:30 on the night the clocks go forward is 01:30 UTC: two real hours before is 23:30
    # UTC (00:30 on the clock), not 01:30 on the clock (a single real hour before)
    zone = ZoneInfo("Europe/Paris")
    start = datetime(2026, 3, 29, 3, 30, tzinfo=zone)
    quiet = QuietHours(time(0, 0), time(0, 0), frozenset())
    booked = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    in_utc = plan(start.astimezone(UTC), OFFSETS, quiet, zone, booked)
    assert plan(start, OFFSETS, quiet, zone, booked) == in_utc
    assert nominal(start, timedelta(hours=2), zone) == datetime(2026, 3, 28, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_each_reminder_is_delivered_at_its_local_time_not_a_second_before(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hands = Hands(_booked_at(case))
    stand_in_kinds(monkeypatch, hands)
    settings = settings_in(tmp_path, case.zone, case.quiet)
    async with open_desk(settings, hands) as desk:
        [amina] = await desk.people(1)
        appointment = await desk.book(amina, case.start())
        # stored in UTC, the same moment
        assert appointment.starts_at == case.start().astimezone(UTC)
        for key, expected in case.expected:
            row_key = f"appointment:{appointment.id}:1:{key}"
            moment = reminder_at(_moment(expected, ZoneInfo(case.zone)), appointment)
            assert case.quiet_hours().allows(moment, ZoneInfo(case.zone))
            # whatever else was due (the confirmation) goes; not this reminder
            await desk.deliver(moment - SECOND)
            [row] = [r for r in await rows(desk.relais) if r.key == row_key]
            assert (row.state, row.not_before) == ("queued", utc(moment))
            delivered = await desk.deliver(moment)
            assert [d.person.id for d in delivered] == [amina]
            [row] = [r for r in await rows(desk.relais) if r.key == row_key]
            assert (row.state, row.sent_at) == ("sent", utc(moment))
        # nothing else: the confirmation and each reminder once
        await desk.deliver(case.start() + timedelta(days=1))
        sent = [r.key.rsplit(":", 1)[1] for r in await rows(desk.relais) if r.state == "sent"]
        assert sent == ["confirm", *(key for key, _ in case.expected)]


def _moment(text: str, zone: ZoneInfo) -> datetime:
    """The moment local text such as "Sat 28 Mar 2026 19:59 CET" names (its abbreviation
    says which of two equal clock times)."""
    clock = datetime.strptime(text[4:].rsplit(" ", 1)[0], "%d %b %Y %H:%M")
    for fold in (0, 1):
        moment = clock.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if local(moment, zone) == text:
            return moment
    raise AssertionError(f"no moment reads {text!r}")


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    """Whether a time on the clock happens at all (not skipped when the clocks go forward)."""
    back = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return back == wall


# -- whatever the moment, zone and quiet hours --------------------------------------------

ZONES = [ZoneInfo(z) for z in ("Europe/Paris", "America/New_York", "Asia/Beirut")]
QUIETS = [
    QuietHours(),
    QuietHours(days_off=frozenset({5, 6})),  # Saturday and Sunday off
    QuietHours(time(21, 0), time(7, 0), frozenset({4})),  # Friday off
    QuietHours(time(12, 0), time(14, 0), frozenset({6})),  # a lunch break, Sunday off
]
# two years with both changes of each zone; every minute
MOMENTS = st.integers(0, 2 * 365 * 24 * 60).map(
    lambda m: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=m)
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=MOMENTS,
    lead=st.integers(10, 30 * 24 * 60).map(lambda m: timedelta(minutes=m)),
    zone=st.sampled_from(ZONES),
    quiet=st.sampled_from(QUIETS),
)
def test_no_reminder_is_planned_in_quiet_hours_nor_later_than_its_rule(
    start: datetime, lead: timedelta, zone: ZoneInfo, quiet: QuietHours
) -> None:
    booked = start - lead
    planned = plan(start, OFFSETS, quiet, zone, booked)
    for reminder in planned:
        assert quiet.allows(reminder.at, zone), local(reminder.at, zone)
        assert booked < reminder.at < start
        at_rule = nominal(start, reminder.offset, zone)
        if reminder.offset >= DAY:
            # the day before at the same hour on the clock, or another minute of that day
            # (its evening, after a quiet morning), or earlier when that day allows none
            same_day = reminder.at.astimezone(zone).date() == at_rule.astimezone(zone).date()
            assert reminder.at <= at_rule or same_day
            if quiet.allows(at_rule, zone):
                assert reminder.at == at_rule
            wall = start.astimezone(zone).replace(tzinfo=None) - reminder.offset
            if _exists(wall, zone):
                assert at_rule.astimezone(zone).replace(tzinfo=None, fold=0) == wall
        else:
            assert at_rule == start - reminder.offset  # real time
            # its moment, or a little later leaving half the lead, or earlier
            assert reminder.at <= start - reminder.offset / 2
            if quiet.allows(at_rule, zone):
                assert reminder.at == at_rule
    # earliest first, apart from one another
    assert all(b.at - a.at >= MIN_GAP for a, b in itertools.pairwise(planned))
    # the same, whether the start is given in UTC or in local time
    assert plan(start.astimezone(zone), OFFSETS, quiet, zone, booked) == planned


async def test_over_a_week_every_reminder_goes_at_its_moment_and_none_in_quiet_hours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # booked on Sunday 22 November 2026 at 23:00 (quiet): 60 appointments every 2 h 50 min
    # through the week, at night and on Sunday too; a sweep every minute for eight days, and
    # one at each reminder's moment (a second of its minute) and the second before it
    zone = ZoneInfo("Europe/Paris")
    booked = datetime(2026, 11, 22, 23, 0, tzinfo=zone)
    hands = Hands(booked.astimezone(UTC))
    stand_in_kinds(monkeypatch, hands)
    async with open_desk(settings_in(tmp_path), hands) as desk:
        people = await desk.people(60)
        quiet = desk.relais.settings.quiet_hours
        expected: dict[str, str] = {}
        for n, person in enumerate(people):
            start = booked + timedelta(hours=3) + n * timedelta(minutes=170)
            appointment = await desk.book(person, start)
            for reminder in plan(start, OFFSETS, quiet, zone, hands()):
                key = f"appointment:{appointment.id}:1:{reminder.key}"
                expected[key] = utc(reminder_at(reminder.at, appointment))
        planned = {r.key: r.not_before for r in await rows(desk.relais, "appointment_reminder")}
        assert planned == expected  # each at the second of its minute its appointment gives
        assert len(planned) > 80
        delivered_at: dict[int, list[datetime]] = {}
        sweeps = {hands() + n * MINUTE for n in range(1, 8 * 24 * 60 + 1)}
        for at in map(datetime.fromisoformat, planned.values()):
            sweeps |= {at - SECOND, at}
        for moment in sorted(sweeps):
            for outgoing in await desk.deliver(moment):
                assert quiet.allows(moment, zone), local(moment, zone)
                assert outgoing.person.id is not None
                delivered_at.setdefault(outgoing.person.id, []).append(moment)
        reminders = await rows(desk.relais, "appointment_reminder")
        assert {r.key: r.sent_at for r in reminders} == planned  # each at its own moment
        # and nothing more: each row delivered once (a confirmation, if still due, and those)
        sent = [r for r in await rows(desk.relais) if r.state == "sent"]
        assert sum(len(v) for v in delivered_at.values()) == len(sent)


async def test_the_reminders_of_a_busy_quarter_hour_are_spread_over_their_minute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # booked on Monday 23 November 2026 at 11:00: 90 people on Tuesday at 10:00 (reminded at
    # 08:30, when the quiet night ends) and 90 on Wednesday at 09:00 (reminded on Tuesday at
    # 09:00 and at 19:59, the last minute before the quiet evening)
    zone = ZoneInfo("Europe/Paris")
    tuesday = datetime(2026, 11, 24, 10, 0, tzinfo=zone)
    wednesday = datetime(2026, 11, 25, 9, 0, tzinfo=zone)
    hands = Hands()
    stand_in_kinds(monkeypatch, hands)
    async with open_desk(settings_in(tmp_path), hands) as desk:
        quiet = desk.relais.settings.quiet_hours
        people = await desk.people(180)
        booked = [await desk.book(p, tuesday) for p in people[:90]]
        booked += [await desk.book(p, wednesday) for p in people[90:]]
        found = {r.key: r.not_before for r in await rows(desk.relais, "appointment_reminder")}
        seconds: dict[datetime, list[int]] = {}  # by planned minute
        by_appointment: dict[str, int] = {}
        for appointment in booked:
            for reminder in plan(appointment.starts_at, OFFSETS, quiet, zone, hands()):
                key = f"appointment:{appointment.id}:1:{reminder.key}"
                moment = datetime.fromisoformat(found.pop(key))
                # within its planned minute, never before it, never in quiet hours
                assert reminder.at <= moment < reminder.at + MINUTE, key
                assert quiet.allows(moment, zone), local(moment, zone)
                seconds.setdefault(reminder.at, []).append(moment.second)
                by_appointment[f"{appointment.id}:{reminder.key}"] = moment.second
        assert found == {}  # no reminder but those planned
        minutes = {local(minute, zone): len(s) for minute, s in seconds.items()}
        assert minutes == {
            "Tue 24 Nov 2026 08:30 CET": 90,
            "Tue 24 Nov 2026 09:00 CET": 90,
            "Tue 24 Nov 2026 19:59 CET": 90,
        }
        # 90 reminders of one minute: over at least 40 of its seconds, at most 3 at once
        for minute, at_seconds in seconds.items():
            counts = Counter(at_seconds)
            assert len(counts) >= 40, local(minute, zone)
            assert max(counts.values()) <= 3, local(minute, zone)
        # the same appointment keeps its second: moved to Thursday (reminded on Wednesday at
        # 09:00 and 19:59), its new reminders go at the same second of their minutes
        for appointment in booked[90:]:
            moved = await desk.move(appointment, wednesday + DAY)
            for reminder in plan(moved.starts_at, OFFSETS, quiet, zone, hands()):
                [row] = [
                    r
                    for r in await rows(desk.relais, "appointment_reminder")
                    if r.key == f"appointment:{moved.id}:2:{reminder.key}"
                ]
                second = datetime.fromisoformat(row.not_before).second
                assert second == by_appointment[f"{moved.id}:{reminder.key}"]
    # whatever the appointment, the quiet hours' edges stay allowed all through their minute
    default = QuietHours()
    for number in range(1, 5000):
        for edge in (datetime(2026, 11, 24, 8, 30), datetime(2026, 11, 24, 19, 59)):
            minute = edge.replace(tzinfo=zone)
            moment = spread(minute, number)
            assert minute <= moment < minute + MINUTE
            assert default.allows(moment, zone), (number, local(moment, zone))
            assert spread(minute + DAY, number) - DAY == moment  # the same second each time
