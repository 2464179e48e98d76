"""Per-person budgets: a token bucket each, so one person's flood cannot use everyone's time.

A person may send `burst` events at once, then `per_second` events a second. Beyond that, their
first refused event is answered by one "slow down" message (WARN), the next ones are dropped in
silence (DROP) until the bucket is full again: a person who pauses long enough starts afresh.
The clock is monotonic (seconds, any origin): changing the date never refills or drains a bucket.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

MonotonicClock = Callable[[], float]
PRUNE_EVERY = 1024  # takes between two sweeps of the buckets that are full again


class Verdict(Enum):
    """What to do with one event of a person."""

    ALLOW = "allow"  # within budget: handle it
    WARN = "warn"  # first event over budget: drop it and say "slow down" once
    DROP = "drop"  # over budget and already told: drop it silently


@dataclass
class TokenBucket:
    """Holds up to `capacity` tokens, refilled at `rate` tokens a second; an event takes one."""

    capacity: float
    rate: float
    tokens: float
    at: float  # monotonic moment of the last refill

    @classmethod
    def full_at(cls, capacity: float, rate: float, now: float) -> TokenBucket:
        """A full bucket, as a person never seen before has."""
        return cls(capacity, rate, capacity, now)

    def refill(self, now: float) -> None:
        """Add the tokens earned since the last refill (a clock going back earns nothing)."""
        elapsed = max(0.0, now - self.at)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.at = max(self.at, now)

    def take(self, now: float) -> bool:
        """Spend one token if there is one."""
        self.refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def is_full(self, now: float) -> bool:
        """Whether the bucket holds its whole capacity again."""
        self.refill(now)
        return self.tokens >= self.capacity


@dataclass
class _Account:
    bucket: TokenBucket
    warned: bool = False  # told to slow down, and not full again since


class Budgets:
    """The buckets of everyone seen recently, by an opaque key (a platform user id)."""

    def __init__(
        self, burst: int, per_second: float, clock: MonotonicClock = time.monotonic
    ) -> None:
        if burst < 1 or per_second <= 0:
            raise ValueError("a budget needs burst >= 1 and per_second > 0")
        self.burst = burst
        self.per_second = per_second
        self.clock = clock
        self._accounts: dict[str, _Account] = {}
        self._takes = 0

    def take(self, who: str) -> Verdict:
        """Charge one event to `who` and say whether to handle it."""
        now = self.clock()
        self._takes += 1
        if self._takes % PRUNE_EVERY == 0:
            self.prune()
        account = self._accounts.get(who)
        if account is None:
            bucket = TokenBucket.full_at(float(self.burst), self.per_second, now)
            account = self._accounts[who] = _Account(bucket)
        if account.warned and account.bucket.is_full(now):
            account.warned = False  # a pause long enough: a later flood is told again
        if account.bucket.take(now):
            return Verdict.ALLOW
        if account.warned:
            return Verdict.DROP
        account.warned = True
        return Verdict.WARN

    def prune(self) -> None:
        """Forget the people whose bucket is full again: they would start afresh anyway."""
        now = self.clock()
        for who in [w for w, a in self._accounts.items() if a.bucket.is_full(now)]:
            del self._accounts[who]

    def __len__(self) -> int:
        return len(self._accounts)
