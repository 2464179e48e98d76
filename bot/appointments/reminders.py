"""When each reminder of an appointment goes: pure, a start and the settings in, moments out.

A reminder "1 day before" goes the day before at the same local time (not 24 hours before: on
the night clocks change it stays at the same hour on the clock); shorter ones go that long
before, in real time. None falls in quiet hours: a day-before reminder moves to the last
allowed minute before it on that same day (the evening rather than the night; the evening of
a Monday rather than the Saturday before a Sunday off), or, when that day allows none, to the
last allowed minute before; a shorter one moves a little later if that still leaves at least
half its lead time ("2 hours before" a 10:00 appointment at 8:30 rather than 8:00 at night's
end), else to the evening before. A reminder already past when the appointment is booked,
within the hour after it (the confirmation has just said it all), or within the hour after
another reminder is not planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.schedule.quiet_hours import QuietHours

DAY = timedelta(days=1)
# Reminders are planned to the minute; the second within it is spread by appointment, so that
# the ninety reminders of a busy quarter hour do not all wait on Telegram's 30 messages a
# second at the same instant (nor hold back people's replies). Quiet hours begin and end on
# whole minutes: a moment allowed at its minute is allowed all through it.
SPREAD_SECONDS = 60
# two reminders closer than this are one too many: the earlier one is kept
MIN_GAP = timedelta(hours=1)


@dataclass(frozen=True)
class Reminder:
    """One reminder: the offset it was planned for (its name in the dedupe key) and when."""

    offset: timedelta
    at: datetime  # UTC

    @property
    def key(self) -> str:
        """The offset in minutes, as the dedupe key writes it."""
        return f"{int(self.offset.total_seconds() // 60)}m"


def nominal(start: datetime, offset: timedelta, zone: ZoneInfo) -> datetime:
    """When a reminder `offset` before `start` would go, quiet hours aside (UTC)."""
    if offset >= DAY and offset % DAY == timedelta(0):
        local = start.astimezone(zone)
        # the same wall-clock time n days earlier, in the offset of that day
        earlier = local.replace(tzinfo=None) - offset
        return earlier.replace(tzinfo=zone).astimezone(UTC)
    # in UTC: Python subtracts from an aware local time on the clock, and "2 hours before"
    # 03:30 on the night the clocks go forward would be a single real hour before
    return start.astimezone(UTC) - offset


def placed(start: datetime, offset: timedelta, quiet: QuietHours, zone: ZoneInfo) -> datetime:
    """The reminder's moment, out of quiet hours (see the module's rule)."""
    start = start.astimezone(UTC)  # real-time arithmetic (see nominal)
    moment = nominal(start, offset, zone)
    if quiet.allows(moment, zone):
        return moment
    if offset < DAY:
        later = quiet.next_allowed(moment, zone)
        if later <= start - offset / 2:
            return later
        return quiet.previous_allowed(moment, zone)
    # "the day before" stays on that day when it can: its evening rather than the morning it
    # would otherwise move back to (Saturday for a Tuesday 08:00 appointment, over a Sunday off)
    earlier = quiet.previous_allowed(moment, zone)
    day = moment.astimezone(zone).date()
    if earlier.astimezone(zone).date() == day:
        return earlier
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    evening = quiet.previous_allowed(min(day_end, start), zone)
    return evening if evening.astimezone(zone).date() == day else earlier


def plan(
    start: datetime,
    offsets: tuple[timedelta, ...],
    quiet: QuietHours,
    zone: ZoneInfo,
    now: datetime,
) -> list[Reminder]:
    """The reminders of an appointment starting at `start`, booked (or changed) at `now`:
    earliest first, each in the future, before the start, apart from one another."""
    planned: list[Reminder] = []
    for offset in sorted(set(offsets), reverse=True):
        at = placed(start, offset, quiet, zone)
        # the confirmation has just said it all: a reminder within the hour after it is one
        # message too many (booked at 19:30 for 09:00, the "2 hours before" at 19:59)
        if at <= now + MIN_GAP or at >= start:
            continue
        if planned and at - planned[-1].at < MIN_GAP:
            continue
        planned.append(Reminder(offset, at))
    return planned


def spread(at: datetime, appointment_id: int) -> datetime:
    """`at` (a whole minute) moved to one second within that minute, the same for an
    appointment each time (Knuth's multiplicative hash of its id)."""
    return at + timedelta(seconds=(appointment_id * 2654435761) % 2**32 % SPREAD_SECONDS)
