"""Benchmark: whole self-assessments through the engine and a real SQLite file.

Run by hand: `python bench/bench_conversations.py [people]`. Prints per-event latency (engine
alone, and engine + SQLite transaction), events per second, database size and peak memory.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.config import load_settings
from bot.core.domain import EventKind, Inbound, Person, State
from bot.service import open_relais

ROOT = Path(__file__).resolve().parent.parent

# one whole conversation: language, consent, centre, name, then the self-assessment
SCRIPT = [
    ("cmd", "start"),
    ("press", "Français"),
    ("press", "Oui"),
    ("press", "Centre Relais"),
    ("text", "Amina"),
    ("press", "Faire mon bilan"),
    ("press", "Un peu"),
    ("press", "Pas encore"),
    ("press", "Pas encore"),
    ("press", "Un peu"),
    ("press", "Non"),
    ("press", "Non"),
    ("press", "École primaire"),
    ("press", "Non"),
    ("press", "Oui"),
    ("text", "Couturière"),
    ("press", "Autre"),
    ("press", "Plus de 2 ans"),
    ("press", "Dans un autre pays"),
    ("press", "Non"),
    ("text", "1, 4"),
    ("press", "Oui"),
    ("press", "Aux heures"),
    ("text", "1, 3"),
    ("press", "30 minutes"),
    ("press", "Non"),
    ("press", "Du lundi"),
    ("text", "2"),
    ("text", "75011"),
    ("press", "Tout de suite"),
    ("press", "très vite"),
    ("press", "Non"),
]


def event_for(step: tuple[str, str], buttons: list) -> Inbound:
    kind, value = step
    if kind == "cmd":
        return Inbound(EventKind.COMMAND, command=value)
    if kind == "text":
        return Inbound(EventKind.TEXT, text=value)
    button = next(b for b in buttons if value in b.label)
    return Inbound(EventKind.BUTTON, data=button.data)


def shown_buttons(reply, buttons: list) -> list:
    for message in ((reply.edit,) if reply.edit else ()) + reply.messages:
        if message.buttons:
            buttons = [b for row in message.buttons for b in row]
    return buttons


async def main(people: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        settings = load_settings(None, env={"RELAIS_DATABASE": str(db)})
        relais = await open_relais(settings)

        # engine alone: pure function, no I/O
        engine_times = []
        for _ in range(max(1, people // 10)):
            state, buttons = State(Person("bench", "p")), []
            for step in SCRIPT:
                event = event_for(step, buttons)
                t0 = time.perf_counter()
                state, reply = relais.engine.handle(state, event)
                engine_times.append(time.perf_counter() - t0)
                buttons = shown_buttons(reply, buttons)
            assert "Que voulez-vous faire" in reply.messages[-1].text

        # engine + storage: one SQLite transaction (synchronous=FULL) per event
        full_times = []
        start = time.perf_counter()
        for n in range(people):
            buttons = []
            for step in SCRIPT:
                event = event_for(step, buttons)
                t0 = time.perf_counter()
                async with relais.storage.transaction() as tx:
                    reply = await relais.handle(tx, "bench", f"user{n}", event)
                full_times.append(time.perf_counter() - t0)
                buttons = shown_buttons(reply, buttons)
        elapsed = time.perf_counter() - start
        await relais.close()
        size = sum(p.stat().st_size for p in Path(folder).glob("bench.sqlite3*"))

    def ms(values: list[float], q: float) -> str:
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        return f"{cuts[int(q) - 1] * 1000:.2f} ms"

    print(f"conversations: {people} × {len(SCRIPT)} events (whole self-assessment)")
    print(
        f"engine alone: median {statistics.median(engine_times) * 1000:.2f} ms, "
        f"p95 {ms(engine_times, 95)} per event"
    )
    print(
        f"engine + SQLite commit: median {statistics.median(full_times) * 1000:.2f} ms, "
        f"p95 {ms(full_times, 95)}, p99 {ms(full_times, 99)} per event"
    )
    print(f"throughput: {len(full_times) / elapsed:.0f} events/s on one process")
    print(
        f"database: {size / 1024:.0f} KiB for {people} people "
        f"({size / people / 1024:.1f} KiB per person, WAL included)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
