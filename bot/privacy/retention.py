"""The retention promise, kept in small steps.

People silent for longer than the retention period are erased as their own erasure does, a few
dozen per transaction; then messages Relais started and audit lines as old, and updates and
sends older than a week, a thousand rows per transaction. Between two transactions the other
work waiting for the database (people's updates, the outbox) goes first, so a long backlog
(1,000 people due at once, the first purge after weeks offline) never holds a reply for long.
Each transaction that erased someone empties the WAL before anything else runs
(`Tx.checkpoint_after_commit`); the last step empties it of the dropped texts. Its statements
run on aiosqlite's thread (a background transaction), beside the event loop's work.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.privacy import erasure
from bot.storage.database import Storage, Tx
from bot.storage.erasure import PURGED

log = logging.getLogger("relais.retention")

PEOPLE_PER_STEP = 50  # people erased in one transaction
ROWS_PER_STEP = 1000  # old rows deleted in one transaction
KEEP_DAYS = 7  # handled updates, finished sends, corrections left midway


@dataclass(frozen=True)
class Purged:
    """What one purge did: people erased, other rows deleted, and whether nothing is left
    (False: it stopped at its time limit, the next purge goes on)."""

    people: int
    rows: int
    finished: bool


async def purge(
    storage: Storage, settings: Settings, now: datetime, *, seconds: float | None = None
) -> Purged:
    """Erase the people silent past the retention period and the rows as old, step by step;
    with `seconds`, stop after the step that goes past that time (at least one step runs)."""
    deadline = None if seconds is None else time.monotonic() + seconds

    def out_of_time() -> bool:
        return deadline is not None and time.monotonic() >= deadline

    cutoff = now - timedelta(days=settings.retention_days)
    week = now - timedelta(days=KEEP_DAYS)
    people = rows = 0
    finished = False
    try:
        while True:
            async with storage.transaction(background=True) as tx:
                gone = await tx.inactive_persons(cutoff, PEOPLE_PER_STEP)
                await tx.erase_persons([person.id for person in gone], PURGED, None)
            # committed, and the WAL emptied: now their files
            for person in gone:
                erasure.forget_documents(settings.documents_dir, person.external_id, person.id)
            people += len(gone)
            if len(gone) < PEOPLE_PER_STEP:
                break
            if out_of_time():
                return Purged(people, rows, finished)
        steps: tuple[Callable[[Tx], Awaitable[int]], ...] = (
            lambda tx: tx.purge_started(cutoff, now, ROWS_PER_STEP),
            lambda tx: tx.purge_audit(cutoff, ROWS_PER_STEP),
            lambda tx: tx.purge_handled_updates(week, ROWS_PER_STEP),
            lambda tx: tx.purge_set_aside_updates(week, ROWS_PER_STEP),
            lambda tx: tx.purge_outbox(week, ROWS_PER_STEP),
            lambda tx: tx.purge_correction_drafts(week),  # one row a volunteer at most
        )
        for step in steps:
            while True:
                async with storage.transaction(background=True) as tx:
                    deleted = await step(tx)
                rows += deleted
                if deleted < ROWS_PER_STEP:
                    break
                if out_of_time():
                    return Purged(people, rows, finished)
        finished = True
        # the statistics of the query planner follow the tables' sizes
        await storage.optimize()
        return Purged(people, rows, finished)
    finally:
        # the texts dropped (journal and outbox payloads, notices) must not linger in the WAL
        if rows:
            await storage.checkpoint()
        if people:
            log.info("retention: erased %d inactive people", people)
        if not finished:
            log.info("retention: time is up, the next purge goes on")
