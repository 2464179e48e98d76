"""Benchmark: a person's reply latency while a bulk send drains at Telegram's ~30 messages/s.

Run by hand: `python bench/bench_priority.py [bulk] [people]` (defaults: 2000 bulk messages,
40 people). The real `relais run` process talks to the Bot API emulator, which refuses (429)
any message beyond 30 in a second, as Telegram does. The bulk messages are queued in the outbox
with the bulk priority, one per recipient, as the messages Relais starts are; while they drain,
a new person writes "/start" every second and the time to their first answer is measured.
Prints the reply latency (median, p95, max), the drain rate and the refusals over the limit.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.reach.delivery import BULK  # noqa: E402
from bot.storage.database import Storage  # noqa: E402
from bot.testing.relais_process import RelaisProcess  # noqa: E402
from bot.testing.telegram_emulator import TelegramEmulator  # noqa: E402

RATE = 30  # Telegram's messages a second, across chats
FIRST_RECIPIENT = 900_000
FIRST_PERSON = 10_000


async def queue_bulk(database: Path, recipients: range) -> None:
    """Queue one bulk message to each recipient, in one transaction."""
    storage = await Storage.open(database)
    try:
        async with storage.transaction() as tx:
            for chat in recipients:
                text = f"Nouvelle offre près de chez vous ({chat})."
                await tx.enqueue(str(chat), "sendMessage", {"text": text}, priority=BULK)
    finally:
        await storage.close()


def bulk_sent(emulator: TelegramEmulator, recipients: range) -> int:
    """How many bulk messages the emulator accepted."""
    return sum(1 for m in emulator.calls_to("sendMessage") if m.get("chat_id") in recipients)


def main(bulk: int, people: int) -> None:
    recipients = range(FIRST_RECIPIENT, FIRST_RECIPIENT + bulk)
    latencies: list[float] = []
    with (
        tempfile.TemporaryDirectory() as folder,
        TelegramEmulator(messages_per_second=RATE) as emulator,
    ):
        emulator.open_chats(recipients)
        bot = RelaisProcess(Path(folder), emulator, extra_env={"RELAIS_LOG_LEVEL": "WARNING"})
        bot.start().wait_ready()
        try:
            asyncio.run(queue_bulk(bot.database, recipients))
            start = time.perf_counter()

            def person(user_id: int) -> None:
                t0 = time.perf_counter()
                emulator.send_text(user_id, "/start")
                emulator.wait_for_text(user_id, "Choose your language.", timeout=120)
                latencies.append(time.perf_counter() - t0)

            threads = []
            for i in range(people):
                time.sleep(1.0)
                thread = threading.Thread(target=person, args=(FIRST_PERSON + i,))
                thread.start()
                threads.append(thread)
            for thread in threads:
                thread.join()
            during = bulk_sent(emulator, recipients)
            emulator.wait_until(lambda: bulk_sent(emulator, recipients) >= bulk, timeout=600)
            elapsed = time.perf_counter() - start
        finally:
            bot.stop()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"bulk messages: {bulk}, people writing meanwhile: {people} (one a second)")
    print(f"bulk messages sent while they wrote: {during}")
    print(
        f"person's /start -> first answer: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {q[94] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"drain: {bulk} bulk messages in {elapsed:.1f} s ({bulk / elapsed:.1f}/s); "
        f"refused over {RATE}/s by the emulator: {emulator.refused_over_rate}"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 2000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 40,
    )
