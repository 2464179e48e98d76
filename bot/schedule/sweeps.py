"""The sweeps the scheduler wakes: each capability that keeps something due adds its own here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.appointments import agenda
from bot.offers import expiry
from bot.offers import nudges as offer_nudges
from bot.offers import progress as offer_progress
from bot.reach import erasure_warning

if TYPE_CHECKING:
    from bot.service import Relais


@dataclass(frozen=True)
class Sweep:
    """A periodic, idempotent task: `run(relais, now)` does what is due and returns how many
    rows it handled (for logs and benchmarks)."""

    name: str
    every_seconds: float
    run: Callable[[Relais, datetime], Awaitable[int]]
    first_after_seconds: float = 0.0
    # what start-up runs instead of `run`, when that can be long: start-up never waits for a
    # whole backlog, the scheduler's first run does the rest
    at_start: Callable[[Relais, datetime], Awaitable[int]] | None = None


# the share of start-up the purge may take (at least one step of it runs): start-up stays
# well under 2 s at 100,000 people whatever is due (bench/bench_scale.py)
START_PURGE_SECONDS = 0.2


async def _retention(relais: Relais, now: datetime) -> int:
    return await relais.purge(now)


async def _retention_at_start(relais: Relais, now: datetime) -> int:
    return await relais.purge(now, seconds=START_PURGE_SECONDS)


async def _nothing(relais: Relais, now: datetime) -> int:
    del relais, now
    return 0


def sweeps() -> tuple[Sweep, ...]:
    """Every sweep of the process (the channels' own wake-ups are added by the runtime)."""
    return (
        Sweep("retention", 3600, _retention, first_after_seconds=60, at_start=_retention_at_start),
        # after the retention: nobody about to be erased this hour is warned first
        Sweep("erasure_warning", 3600, erasure_warning.sweep, first_after_seconds=90),
        # the volunteers' agenda of the day, queued ahead of `agenda_at` (a minute or two at
        # most after it for an appointment booked at the last moment)
        Sweep("appointment_agenda", 120, agenda.sweep, first_after_seconds=30),
        # an offer's progress message edited as it goes, then its report
        Sweep("offer_progress", offer_progress.PROGRESS_SECONDS, offer_progress.sweep),
        # job offers past their last day (local date) are no longer open
        Sweep("offer_expiry", expiry.EVERY_SECONDS, expiry.sweep, first_after_seconds=45),
        # job offers: the weekly digest (from its hour on its day, once a week per person)
        # and "any news?" some days after "interested"
        # (not at start-up: on a Monday it reads every waiting person, the scheduler does it)
        Sweep(
            "offer_digest",
            600,
            offer_nudges.digest_sweep,
            first_after_seconds=120,
            at_start=_nothing,
        ),
        Sweep("offer_followup", 600, offer_nudges.followup_sweep, first_after_seconds=150),
    )
