"""Benchmark: the volunteers' side of appointments with 100,000 appointments in the database.

Run by hand: `python bench/bench_agenda.py [appointments]`. Fills a real SQLite file with 10
centres, 10,000 beneficiaries (with first names) and `appointments` appointments over two years
around the tests' moment, a third of them with Marie, a volunteer of the first centre; then
times, each as its median and p95 over repeated runs:
- the morning agenda sweep (the scheduler runs it every 2 minutes; it does nothing outside the
  few hours around `agenda_at`, then queues each recipient once),
- reading one volunteer's agenda when it is delivered (bot.appointments.agenda.read),
- `/agenda` (first page), and a person's page (which shows the next appointment), as Marie
  types them, through Relais.handle on the real database (one transaction each).
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.appointments import agenda
from bot.config import load_settings
from bot.reach.started import Started
from bot.service import open_relais
from bot.storage.queries import to_text
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, Hands

CENTRES = 10
PEOPLE = 10_000
RUNS = 30
CONFIG = "\n".join(
    f'[[centres]]\nid = "c{n}"\nname = "Centre {n}"\naddress = "{n} rue des Lilas, Paris"\n'
    for n in range(CENTRES)
)


def fill(database: Path, appointments: int, marie: int) -> None:
    """People and appointments straight into the file (the setup is not measured)."""
    rng = random.Random(12)
    with sqlite3.connect(database) as db:
        first = db.execute("SELECT coalesce(max(id), 0) FROM persons").fetchone()[0] + 1
        ids = range(first, first + PEOPLE)
        db.executemany(
            "INSERT INTO persons (id, channel, external_id, locale, consent, centre, created_at,"
            " last_seen_at) VALUES (?, 'test', ?, 'fr', 1, ?, ?, ?)",
            [(n, f"p{n}", f"c{n % CENTRES}", to_text(NOW), to_text(NOW)) for n in ids],
        )
        db.executemany(
            "INSERT INTO profile (person_id, key, value, updated_at)"
            " VALUES (?, 'first_name', ?, ?)",
            [(n, json.dumps(f"Amina{n}"), to_text(NOW)) for n in ids],
        )
        rows = []
        for _ in range(appointments):
            person = rng.choice(ids)
            day = NOW + timedelta(days=rng.randint(-365, 365))
            starts = day.replace(hour=rng.randint(7, 16), minute=rng.choice((0, 30)))
            state = "planned" if starts > NOW else rng.choice(("attended", "missed", "planned"))
            volunteer = marie if person % CENTRES == 0 and rng.random() < 0.34 else None
            rows.append(
                (person, f"c{person % CENTRES}", to_text(starts), volunteer, state, to_text(NOW))
            )
        db.executemany(
            "INSERT INTO appointments (person_id, centre, starts_at, place, purpose, volunteer_id,"
            " state, created_at, updated_at) VALUES (?, ?, ?, 'centre', 'followup', ?, ?, ?, ?)",
            [(*r, r[-1]) for r in rows],
        )


def timed(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


async def main(appointments: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "relais.toml"
        config.write_text(CONFIG, encoding="utf-8")
        settings = load_settings(config, env={"RELAIS_DATABASE": f"{folder}/relais.sqlite3"})
        hands = Hands()
        relais = await open_relais(settings, clock=hands)
        invitation = await relais.invite("c0", "volunteer", created_by=None)
        assert invitation is not None
        marie = Conversation(relais, user="marie")
        await marie.play(f"> /start {invitation[0]}\n< Bienvenue")
        await marie.press("Français")
        await marie.type("Marie")
        async with relais.storage.transaction() as tx:
            found = await tx.find_person("test", "marie")
        assert found is not None and found.id is not None
        await relais.close()
        fill(settings.database, appointments, found.id)
        relais = await open_relais(settings, clock=hands)
        marie = Conversation(relais, user="marie")
        try:
            # Tuesday 24 November 2026, 08:25 in Paris: the agenda is queued now
            hands.now = datetime(2026, 11, 24, 7, 25, tzinfo=UTC)
            start = time.perf_counter()
            queued = await agenda.sweep(relais, hands.now)
            first = time.perf_counter() - start
            again = []
            for _ in range(RUNS):
                start = time.perf_counter()
                await agenda.sweep(relais, hands.now)
                again.append(time.perf_counter() - start)
            idle = []
            hands.now = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # the afternoon: nothing to do
            for _ in range(RUNS):
                start = time.perf_counter()
                await agenda.sweep(relais, hands.now)
                idle.append(time.perf_counter() - start)
            async with relais.storage.reading() as reads:
                row = await reads._fetchone(  # the row is what is timed
                    "SELECT id, token FROM started_messages WHERE person_id = ? AND kind = ?",
                    (found.id, agenda.KIND),
                )
            assert row is not None
            started = Started(
                int(row["id"]),
                found,
                agenda.KIND,
                {"day": "2026-11-24", "zone": "Europe/Paris"},
                1,
                None,
                str(row["token"]),
                "queued",
                None,
            )
            reads_at_delivery = []
            lines = 0
            for _ in range(RUNS):
                async with relais.storage.transaction() as tx:
                    start = time.perf_counter()
                    fresh = await agenda.read(tx, started)
                    reads_at_delivery.append(time.perf_counter() - start)
                lines = len(fresh.params["items"]) if fresh else 0
            hands.now = NOW
            pages, person_pages = [], []
            for n in range(RUNS):
                start = time.perf_counter()
                await marie.type("/agenda")
                pages.append(time.perf_counter() - start)
                start = time.perf_counter()
                await marie.type(f"/person {10 * (n + 1) + 10}")
                person_pages.append(time.perf_counter() - start)
            assert "Agenda" in (await marie.type("/agenda"))
            assert "(n° 20)" in (await marie.type("/person 20")), marie.text
        finally:
            await relais.close()
    print(f"{appointments:,} appointments, {PEOPLE:,} people, {CENTRES} centres")
    print(f"agenda sweep, the morning's first run ({queued} queued): {first * 1000:.1f} ms")
    print(f"agenda sweep, run again the same morning: {timed(again)}")
    print(f"agenda sweep, in the afternoon (nothing to do): {timed(idle)}")
    print(f"one volunteer's agenda read at delivery ({lines} lines): {timed(reads_at_delivery)}")
    print(f"/agenda, first page (Relais.handle, one transaction): {timed(pages)}")
    print(f"a person's page with the next appointment: {timed(person_pages)}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
