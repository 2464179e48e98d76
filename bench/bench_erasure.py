"""Benchmark: what an erasure costs, the WAL checkpoint included.

Run by hand: `python bench/bench_erasure.py [people]`. Fills a real SQLite file with people
(20 answers, a session, notices and outbox rows each), then erases them one by one as "Mes
données" does: delete everything about the person, commit, TRUNCATE checkpoint, all under the
storage lock. Prints the time per erasure (median, p95) and of a checkpoint alone.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.reach.queue import queue
from bot.reach.started import NewStarted
from bot.storage.database import Storage


async def main(people: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        storage = await Storage.open(Path(folder) / "bench.sqlite3")
        ids = []
        for n in range(people):
            async with storage.transaction() as tx:
                state = await tx.load_state("telegram", str(10_000 + n))
                state.profile.update({f"answer_{k}": f"réponse {k} de {n}" * 3 for k in range(20)})
                await tx.save_state(state)
                assert state.person.id is not None
                ids.append(state.person.id)
                for _ in range(3):
                    notice = {"msgid": "x" * 200, "params": {}, "buttons": []}
                    await queue(
                        tx,
                        NewStarted(state.person.id, "notice", notice, subject_id=state.person.id),
                    )
                    await tx.enqueue(str(10_000 + n), "sendMessage", {"text": "y" * 300})
        erasures = []
        for person_id in ids:
            start = time.perf_counter()
            async with storage.transaction() as tx:
                await tx.erase_person(person_id, "erased", person_id)
            erasures.append((time.perf_counter() - start) * 1000)
        checkpoints = []
        for _ in range(50):
            start = time.perf_counter()
            await storage.checkpoint()
            checkpoints.append((time.perf_counter() - start) * 1000)
        await storage.close()
    erasures.sort()
    print(f"{people} people erased one by one (delete + commit + TRUNCATE checkpoint)")
    print(
        f"  per erasure: median {statistics.median(erasures):.1f} ms,"
        f" p95 {erasures[int(len(erasures) * 0.95) - 1]:.1f} ms"
    )
    print(f"  checkpoint of an empty WAL: median {statistics.median(checkpoints):.2f} ms")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
