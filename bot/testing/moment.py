"""The moment every test lives in, whatever today's date is."""

from __future__ import annotations

from datetime import UTC, datetime

# Monday 23 November 2026, 10:00 UTC (11:00 in Paris).
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    """The tests' clock."""
    return NOW


class Hands:
    """A clock the test moves by hand (`hands.now = …`), from NOW or a given moment."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
