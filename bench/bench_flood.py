"""Benchmark: one person floods, another is answered as usual.

Run by hand: `python bench/bench_flood.py [messages] [tries]`. The real `relais run` process
against the Bot API emulator on loopback. One user sends `messages` texts at once; meanwhile
other users send /start `tries` times, one after the other (a new user each time, a quarter of a
second apart), and the time to "Choose your language." is measured. Two runs: with the default
budget (8 at once, then 1 a second), and with no budget, where only the fair turns protect the
others and the whole flood is answered. Prints the others' p50/p95, and for the flooder: how many
messages were handled and skipped, the slow-down messages, and the time until all was sent.
"""

from __future__ import annotations

import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.testing.relais_process import RelaisProcess  # noqa: E402
from bot.testing.telegram_emulator import TelegramEmulator  # noqa: E402

FLOODER = 20_001
OTHERS = 30_000
SLOW_DOWN = "Doucement"
GAP = 0.25  # seconds between two tries of the others
BUDGETS = {
    # the process's own defaults, not the test suite's lenient budget
    "default budget (8 at once, 1/s)": {
        "RELAIS_FAIRNESS_BURST": "8",
        "RELAIS_FAIRNESS_PER_SECOND": "1",
    },
    "no budget (fair turns only)": {
        "RELAIS_FAIRNESS_BURST": "1000",
        "RELAIS_FAIRNESS_PER_SECOND": "1000",
    },
}


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute(sql).fetchone()[0])


def idle(emulator: TelegramEmulator, database: Path, user: int | None = None) -> bool:
    """Every update (of `user`, or of everyone) fetched and handled, nothing left to send."""
    updates = emulator.pending_updates
    if any(user is None or str(user) in str(u) for u in updates):
        return False
    mine = "" if user is None else f" AND sender = '{user}'"
    pending = f"SELECT COUNT(*) FROM update_journal WHERE handled_at IS NULL{mine}"
    mine = "" if user is None else f" AND chat_id = '{user}'"
    queued = f"SELECT COUNT(*) FROM outbox WHERE state = 'queued'{mine}"
    return count(database, pending) == 0 and count(database, queued) == 0


def watch_flooder(emulator: TelegramEmulator, database: Path, start: float, out: list[float]):
    """Note when the whole flood has been handled and its replies sent."""
    while not idle(emulator, database, FLOODER):
        time.sleep(0.05)
    out.append(time.perf_counter() - start)


def run(title: str, budget: dict[str, str], messages: int, tries: int) -> None:
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder, TelegramEmulator() as emulator:
        env = {"RELAIS_LOG_LEVEL": "INFO", **budget}
        bot = RelaisProcess(Path(folder), emulator, extra_env=env)
        bot.start().wait_ready()
        try:
            start = time.perf_counter()
            emulator.send_texts(FLOODER, [f"message {i}" for i in range(messages)])
            drained: list[float] = []
            watcher = threading.Thread(
                target=watch_flooder, args=(emulator, bot.database, start, drained)
            )
            watcher.start()
            for i in range(tries):
                other = OTHERS + i
                t0 = time.perf_counter()
                emulator.send_text(other, "/start")
                emulator.wait_for_text(other, "Choose your language.", timeout=300)
                latencies.append(time.perf_counter() - t0)
                time.sleep(GAP)
            emulator.wait_until(lambda: idle(emulator, bot.database), timeout=600)
            watcher.join()
            texts = [p["text"] for p in emulator.calls_to("sendMessage") if p["chat_id"] == FLOODER]
            told = sum(SLOW_DOWN in t for t in texts)
            logs = bot.logs()
        finally:
            bot.stop()
    # the bot logs each skip as a count, never who: "over budget: N update(s) skipped"
    skipped = sum(int(n) for n in re.findall(r"over budget: (\d+) update", logs))
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"{title}: {messages} messages at once from one user; {tries} /start from others")
    print(
        f"  others, /start -> answer: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {q[94] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"  flooder: {messages - skipped} handled, {skipped} skipped unread, "
        f"{len(texts) - told} replies, told to slow down {told} time(s); "
        f"all handled and sent {drained[0]:.1f} s after the flood began"
    )


def main(messages: int, tries: int) -> None:
    for title, budget in BUDGETS.items():
        run(title, budget, messages, tries)


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 1000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 20,
    )
