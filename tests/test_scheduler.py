"""The process's one scheduler: it runs every registered sweep, and a failing sweep runs again."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.channels.runtime import Runtime
from bot.desk.notices import notify
from bot.schedule.scheduler import Scheduler, running_scheduler
from bot.schedule.sweeps import Sweep, sweeps
from bot.service import Relais
from bot.testing.moment import NOW, fixed_clock
from tests.recording_channel import RecordingChannel

EVERY = 0.05  # seconds: the test waits for runs, it does not time them
WAIT = 30.0  # at most, on a loaded machine


async def test_the_scheduler_runs_a_registered_sweep_with_the_process_clock(relais: Relais):
    seen: list[datetime] = []
    ran = asyncio.Event()

    async def count(app: Relais, now: datetime) -> int:
        assert app is relais
        seen.append(now)
        ran.set()
        return 0

    scheduler = Scheduler(relais, fixed_clock)
    scheduler.add(Sweep("count", EVERY, count))
    scheduler.start()
    try:
        await asyncio.wait_for(ran.wait(), WAIT)
    finally:
        scheduler.shutdown()
    assert seen[0] == NOW


async def test_a_sweep_that_raises_is_logged_by_type_and_runs_again(
    relais: Relais, caplog: pytest.LogCaptureFixture
):
    runs: list[int] = []
    again = asyncio.Event()

    async def flaky(app: Relais, now: datetime) -> int:
        runs.append(1)
        if len(runs) == 1:
            raise ValueError("Amina Benali, 06 12 34 56 78")
        again.set()
        return 1

    scheduler = Scheduler(relais, fixed_clock)
    scheduler.add(Sweep("flaky", EVERY, flaky))
    with caplog.at_level(logging.INFO, logger="relais"):
        scheduler.start()
        try:
            await asyncio.wait_for(again.wait(), WAIT)
        finally:
            scheduler.shutdown()
    assert "sweep flaky failed: ValueError" in caplog.text
    assert "Amina" not in caplog.text and "06 12" not in caplog.text


async def test_the_process_scheduler_holds_every_sweep_and_the_runtimes_wake_up(
    relais: Relais,
):
    runtime = Runtime(relais, RecordingChannel(), fixed_clock)
    async with running_scheduler(relais, fixed_clock, runtime) as scheduler:
        names = {job.id for job in scheduler._scheduler.get_jobs()}
    assert names == {"recording-outbox", *(sweep.name for sweep in sweeps())}


async def test_the_runtimes_sweep_sends_what_other_people_left(relais: Relais):
    channel = RecordingChannel()
    runtime = Runtime(relais, channel, fixed_clock)
    async with relais.storage.transaction() as tx:
        person = (await tx.load_state("recording", "vic")).person
        assert person.id is not None
        await notify(tx, person, "Zebulonne demande de l'aide.")
    sent = asyncio.Event()
    channel.after(1, sent.set)
    async with running_scheduler(relais, fixed_clock, runtime):
        await asyncio.wait_for(sent.wait(), WAIT)
    assert [(c.chat, c.payload["text"]) for c in channel.calls] == [
        ("vic", "Zebulonne demande de l'aide.")
    ]


async def test_sweeps_run_just_past_a_whole_second_of_the_process_clock(relais: Relais):
    # the process's clock reads 10:00:00.300: a sweep added now first runs 0.71 s later, when
    # it reads 10:00:01.010; each run after comes a whole interval later, at .010 again
    scheduler = Scheduler(relais, lambda: NOW + timedelta(milliseconds=300))
    before = datetime.now(UTC)
    first = scheduler.first_run(0.0)
    after = datetime.now(UTC)
    assert before + timedelta(seconds=0.71) <= first <= after + timedelta(seconds=0.71)
    later = scheduler.first_run(5.0)
    assert later - first >= timedelta(seconds=5)
    # on a whole second already: just past it
    scheduler = Scheduler(relais, fixed_clock)
    assert scheduler.first_run(0.0) - datetime.now(UTC) <= timedelta(seconds=0.011)
