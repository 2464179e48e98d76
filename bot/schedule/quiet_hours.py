"""Quiet hours: when Relais may not write first (evenings, nights, days off), in the
deployment's time zone. Pure: a moment in, a yes/no or the next allowed minute out.

Replies to a person's own action never ask this: only messages Relais starts wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# the names days_off accepts, Monday first (datetime.weekday() order)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class QuietHours:
    """Relais is silent from `start` to `end` local time (across midnight when start > end)
    and all day on `days_off` (weekday numbers, Monday = 0); start == end: no silent hours."""

    start: time = time(20, 0)
    end: time = time(8, 30)
    days_off: frozenset[int] = frozenset({6})

    def allows(self, moment: datetime, zone: ZoneInfo) -> bool:
        """Whether a message Relais starts may be delivered at `moment` (aware)."""
        local = moment.astimezone(zone)
        if local.weekday() in self.days_off:
            return False
        now = local.time().replace(tzinfo=None)
        if self.start == self.end:
            return True
        if self.start > self.end:  # e.g. 20:00 → 08:30: the night
            return self.end <= now < self.start
        return not self.start <= now < self.end  # e.g. 12:00 → 14:00: lunch

    def next_allowed(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """`moment` if allowed, else the first allowed minute after it (UTC)."""
        if self.allows(moment, zone):
            return moment
        local_day = moment.astimezone(zone).date()
        # an allowed stretch begins at `end` or at midnight (after a day off): try each, in order
        for offset in range(len(WEEKDAYS) + 2):
            day = local_day + timedelta(days=offset)
            for boundary in (time(0, 0), self.end):
                candidate = _at(day, boundary, zone)
                if candidate > moment and self.allows(candidate, zone):
                    return candidate
        raise ValueError("quiet hours leave no minute of the week free")

    def previous_allowed(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """`moment` if allowed, else the last allowed minute before it (UTC): a reminder that
        would fall at night goes in the evening before, never after."""
        if self.allows(moment, zone):
            return moment
        local_day = moment.astimezone(zone).date()
        # an allowed stretch ends at `start` or at midnight (before a day off): try each
        found: list[datetime] = []
        for offset in range(len(WEEKDAYS) + 2):
            day = local_day - timedelta(days=offset)
            for boundary in (
                _at(day, self.start, zone),
                _at(day + timedelta(days=1), time(0), zone),
            ):
                candidate = boundary - timedelta(minutes=1)
                if candidate < moment and self.allows(candidate, zone):
                    found.append(candidate)
            if found:
                return max(found)
        raise ValueError("quiet hours leave no minute of the week free")


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    # zoneinfo gives the offset in force on that day (summer or winter time)
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def parse_clock(text: str) -> time:
    """ "20:00" → time(20, 0); ValueError when it is not HH:MM."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not (hours.isdigit() and minutes.isdigit()) or len(minutes) != 2:
        raise ValueError(text)
    return time(int(hours), int(minutes))
