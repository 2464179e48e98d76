"""Benchmark: one call to the test Bot API emulator over a kept-alive connection.

Run by hand: `python bench/bench_emulator.py [calls]`. The end-to-end tests make thousands of
these calls; if the emulator answers slowly, the tests (and any benchmark going through it)
measure the emulator instead of Relais. Target: under 3 ms a call (it was ~44 ms when headers and
body left in two segments without TCP_NODELAY: Nagle's algorithm against delayed ACKs).
"""

from __future__ import annotations

import statistics
import sys
import time

import httpx

from bot.testing.telegram_emulator import TelegramEmulator


def main(calls: int) -> None:
    """Time `calls` sendMessage calls and print the median and p95 in milliseconds."""
    with TelegramEmulator() as emulator, httpx.Client() as client:
        url = emulator.base_url + "sendMessage"
        emulator.open_chats([5])
        for _ in range(5):  # warm the connection
            client.post(url, data={"chat_id": 5, "text": "warm"})
        timings = []
        for n in range(calls):
            started = time.perf_counter()
            client.post(url, data={"chat_id": 5, "text": f"message {n} " + "x" * 200})
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"emulator sendMessage: {calls} calls, median {statistics.median(timings):.2f} ms,"
        f" p95 {p95:.2f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
