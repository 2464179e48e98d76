"""Where Relais reads the time: the real clock, or one a test or a demo sets from outside.

`RELAIS_CLOCK=2026-11-23T10:00:00+00:00` starts the process's clock at that moment; it then
advances with real time (so timeouts and retries behave), and no test depends on today's date.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

CLOCK_ENV = "RELAIS_CLOCK"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock, timezone-aware."""
    return datetime.now(UTC)


class ClockError(ValueError):
    """RELAIS_CLOCK is not an ISO-8601 moment with its time zone."""


def started_at(moment: datetime) -> Clock:
    """A clock that reads `moment` now and advances with real (monotonic) time."""
    origin = time.monotonic()

    def now() -> datetime:
        return moment + timedelta(seconds=time.monotonic() - origin)

    return now


def clock_from_env(env: Mapping[str, str] | None = None) -> Clock:
    """The clock RELAIS_CLOCK asks for, else the real one."""
    text = (os.environ if env is None else env).get(CLOCK_ENV, "").strip()
    if not text:
        return utc_now
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ClockError(
            f"{CLOCK_ENV}: expected a moment such as 2026-11-23T10:00:00+00:00"
        ) from None
    if moment.tzinfo is None:
        raise ClockError(f"{CLOCK_ENV}: give the time zone, e.g. 2026-11-23T10:00:00+00:00")
    return started_at(moment.astimezone(UTC))
