"""Benchmark: the sweep of messages Relais starts, with 100,000 rows in the queue.

Run by hand: `python bench/bench_sweep.py [rows]`. Fills a real SQLite file with 10,000
Telegram people and `rows` queued messages, then times one sweep (one transaction: lease a
batch of due rows, render each in its person's language, mark them delivered), as the runtime
runs it every second. Two cases: every row due (a bulk send draining), and every row waiting
for later (a bulk send planned for tomorrow) with one batch due. Target: under 50 ms a sweep.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.config import load_settings
from bot.reach.delivery import BATCH, BULK, NOTICE, take_due
from bot.service import open_relais
from bot.storage.queries import to_text
from bot.testing.moment import NOW, fixed_clock

PEOPLE = 10_000
SWEEPS = 40


def fill(database: Path, rows: int, due: bool) -> None:
    """`rows` notices for PEOPLE people, straight into the file (the setup is not measured)."""
    at = to_text(NOW - timedelta(hours=1)) if due else to_text(NOW + timedelta(days=1))
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO persons (id, channel, external_id, locale, created_at, last_seen_at)"
            " VALUES (?, 'telegram', ?, ?, ?, ?)",
            [
                (n, str(100_000 + n), ("fr", "en")[n % 2], to_text(NOW), to_text(NOW))
                for n in range(1, PEOPLE + 1)
            ],
        )
        params = json.dumps(
            {
                "msgid": "{name} ({centre}) voudrait parler à un bénévole.",
                "params": {"name": "Amina", "centre": "Paris 11e"},
                "buttons": [],
            }
        )
        db.executemany(
            "INSERT INTO started_messages (person_id, kind, params, priority, not_before, token,"
            " created_at) VALUES (?, 'notice', ?, ?, ?, 'abcdefabcdef', ?)",
            [
                (1 + n % PEOPLE, params, BULK if n % 10 else NOTICE, at, to_text(NOW))
                for n in range(rows)
            ],
        )
        if not due:  # one batch due among the waiting rows
            db.executemany(
                "INSERT INTO started_messages (person_id, kind, params, priority, not_before,"
                " token, created_at) VALUES (?, 'notice', ?, ?, '', 'abcdefabcdef', ?)",
                [(1 + n, params, BULK, to_text(NOW)) for n in range(BATCH * SWEEPS)],
            )
    db.close()


async def measure(rows: int, due: bool) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(None, {"RELAIS_DATABASE": str(Path(folder) / "bench.sqlite3")})
        relais = await open_relais(settings, clock=fixed_clock)  # creates the schema
        await relais.close()
        fill(settings.database, rows, due)
        relais = await open_relais(settings, clock=fixed_clock)
        times = []
        try:
            for _ in range(SWEEPS):
                start = time.perf_counter()
                async with relais.storage.transaction() as tx:
                    taken = await take_due(tx, relais.catalogs, "telegram", NOW)
                times.append((time.perf_counter() - start) * 1000)
                assert len(taken) == BATCH, len(taken)
        finally:
            await relais.close()
        return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{label}: {len(times)} sweeps of {BATCH} rows, median {statistics.median(times):.1f} ms,"
        f" p95 {p95:.1f} ms, max {max(times):.1f} ms"
        f" ({BATCH / statistics.median(times) * 1000:,.0f} rows/s)"
    )


async def main(rows: int) -> None:
    print(f"{rows:,} queued rows, {PEOPLE:,} people, one sweep = one transaction")
    report("all due      ", await measure(rows, due=True))
    report("all for later", await measure(rows, due=False))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
