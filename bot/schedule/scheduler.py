"""One scheduler for the process: it only wakes sweeps; what is due lives in the database.

APScheduler's AsyncIOScheduler runs each Sweep (bot.schedule.sweeps) every so often, in the
process's event loop, never two runs of one sweep at once. A sweep that raises is logged (its
error type only: a message may quote personal data) and runs again at its next time. Sweeps
are idempotent, so a restart or a second process never does twice what one run did.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.clock import Clock, utc_now
from bot.schedule.sweeps import Sweep, sweeps

if TYPE_CHECKING:
    from bot.channels.runtime import Runtime
    from bot.service import Relais

log = logging.getLogger("relais.schedule")

# a sweep runs this long after a whole second of the process's clock (see Scheduler.first_run)
PAST_THE_SECOND = 0.01


class Scheduler:
    """Runs sweeps on their intervals (real time), with `relais` and the process's clock."""

    def __init__(self, relais: Relais, clock: Clock = utc_now) -> None:
        self.relais = relais
        self.clock = clock
        self._scheduler = AsyncIOScheduler(timezone=UTC)

    def add(self, sweep: Sweep) -> None:
        """Run `sweep` every `sweep.every_seconds`, first after `sweep.first_after_seconds`."""
        self._scheduler.add_job(
            self.run_once,
            "interval",
            args=(sweep,),
            id=sweep.name,
            seconds=sweep.every_seconds,
            next_run_time=self.first_run(sweep.first_after_seconds),
            max_instances=1,
            coalesce=True,  # late runs (a busy loop, a suspended laptop) make one run
            misfire_grace_time=None,
        )

    def first_run(self, after_seconds: float) -> datetime:
        """When a sweep first runs: `after_seconds` from now, then on to just past a whole
        second of the process's clock. Each later run comes an interval after the one before,
        so sweeps keep that phase: what falls due on a whole second (a reminder at 14:30:00,
        hundreds at once at a busy quarter hour) is taken at once, not up to a second later."""
        fraction = self.clock().microsecond / 1_000_000
        wait = after_seconds + (1.0 - fraction) % 1.0 + PAST_THE_SECOND
        return datetime.now(UTC) + timedelta(seconds=wait)

    async def run_once(self, sweep: Sweep) -> int:
        """Run one sweep now; a failure is logged by type and counts as nothing done."""
        try:
            done = await sweep.run(self.relais, self.clock())
        except Exception as exc:
            log.error("sweep %s failed: %s", sweep.name, type(exc).__name__)
            return 0
        if done:
            log.info("sweep %s: %d", sweep.name, done)
        return done

    def start(self) -> None:
        """Start waking sweeps (from inside the running event loop)."""
        self._scheduler.start()

    def shutdown(self) -> None:
        """Stop waking sweeps; a run in progress ends on its own."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


def runtime_sweep(runtime: Runtime, every_seconds: float) -> Sweep:
    """The wake-up of a channel's runtime: messages Relais starts, retries, leftover updates."""

    async def run(relais: Relais, now: datetime) -> int:
        del relais, now
        return await runtime.sweep()

    return Sweep(f"{runtime.name}-outbox", every_seconds, run)


@contextlib.asynccontextmanager
async def running_scheduler(
    relais: Relais,
    clock: Clock,
    runtime: Runtime | None = None,
    extra: Iterable[Sweep] = (),
) -> AsyncIterator[Scheduler]:
    """The process's scheduler with every sweep of bot.schedule.sweeps, the runtime's wake-up
    (if any) and `extra`, for the duration of the block."""
    scheduler = Scheduler(relais, clock)
    if runtime is not None:
        scheduler.add(runtime_sweep(runtime, relais.settings.outbox.sweep_seconds))
    for sweep in (*sweeps(), *extra):
        scheduler.add(sweep)
    scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.shutdown()
