"""Benchmark: the real `relais run` process against the Bot API emulator on loopback.

Run by hand: `python bench/bench_telegram.py [people]`. Each person starts, chooses French,
agrees, picks a centre and gives a name, all at once. Prints the time from a person's action to
the bot's next question (median, p95) and the overall rate. Telegram's ~30 messages/s limit is
applied by python-telegram-bot's rate limiter, so the rate is capped on purpose.
"""

from __future__ import annotations

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

STEPS = [
    ("text", "/start", "Choose your language."),
    ("press", "Français", "Vous êtes d'accord ?"),
    ("press", "Oui", "Quel est votre centre ?"),
    ("press", "Centre Relais", "Quel est votre prénom ?"),
    ("text", "Amina", "Que voulez-vous faire ?"),
]


def person(emulator: TelegramEmulator, user_id: int, latencies: list[float]) -> None:
    for kind, value, expected in STEPS:
        t0 = time.perf_counter()
        if kind == "text":
            emulator.send_text(user_id, value)
        else:
            emulator.press_button(user_id, value)
        emulator.wait_for_text(user_id, expected, timeout=120)
        latencies.append(time.perf_counter() - t0)


def main(people: int) -> None:
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder, TelegramEmulator() as emulator:
        bot = RelaisProcess(Path(folder), emulator, extra_env={"RELAIS_LOG_LEVEL": "WARNING"})
        bot.start().wait_ready()
        try:
            start = time.perf_counter()
            threads = [
                threading.Thread(target=person, args=(emulator, 10_000 + i, latencies))
                for i in range(people)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
            calls = len(emulator.calls)
        finally:
            bot.stop()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"people: {people}, actions: {len(latencies)}, Bot API calls: {calls}")
    print(
        f"action -> next question: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {q[94] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"overall: {len(latencies) / elapsed:.1f} actions/s, {calls / elapsed:.1f} API calls/s "
        f"in {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
