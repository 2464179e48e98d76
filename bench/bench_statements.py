"""Benchmark: SQL statements and transactions per action, from the update to its calls sent.

Run by hand: `python bench/bench_statements.py [--show]`. In one process, the Telegram channel
against the Bot API emulator on loopback: one person goes through onboarding, then the whole
self-assessment; each action is fetched with getUpdates and journaled as the polling loop does,
handled, and its calls sent (the outbox drained). SQLite's trace callback counts every statement
of the self-assessment (BEGIN, COMMIT and the checkpoint included); `--show` prints each kind
of statement with how often it ran.
"""

from __future__ import annotations

import asyncio
import collections
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_presses import ONBOARDING, SELF_ASSESSMENT  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.service import open_relais  # noqa: E402
from bot.testing.conversation import script_lines  # noqa: E402
from bot.testing.moment import fixed_clock  # noqa: E402
from bot.testing.telegram_emulator import TelegramEmulator  # noqa: E402

USER = 31_000


async def play(channel: TelegramChannel, emulator: TelegramEmulator, script: str) -> int:
    """Play a phone script through the channel, one action at a time; how many actions."""
    offset = None
    actions = 0
    for _, mark, rest in script_lines(script):
        if mark != ">":
            await asyncio.to_thread(emulator.wait_for_text, USER, rest, 10)
            continue
        actions += 1
        if rest.startswith("[") and rest.endswith("]"):
            emulator.press_button(USER, rest[1:-1])
        else:
            emulator.send_text(USER, rest, first_name="Amina")
        updates = await channel.bot.get_updates(offset=offset, timeout=0)
        await channel.journal([u.to_dict() for u in updates])
        offset = max(u.update_id for u in updates) + 1
        await channel.process_pending()
        await channel.drain()
    # what was acknowledged is gone from the emulator, as after the next poll
    await channel.bot.get_updates(offset=offset, timeout=0)
    return actions


def kind(statement: str) -> str:
    """A statement without its values, cut short: what it does, not what it carries."""
    text = re.sub(r"'(?:[^']|'')*'", "?", statement)
    text = re.sub(r"\b\d+(?:\.\d+)?\b", "?", text)
    return re.sub(r"\s+", " ", text)[:110]


async def main(show: bool) -> None:
    with tempfile.TemporaryDirectory() as folder, TelegramEmulator() as emulator:
        settings = load_settings(
            None,
            env={
                "RELAIS_DATABASE": str(Path(folder) / "relais.sqlite3"),
                "RELAIS_TELEGRAM_TOKEN": emulator.token,
                "RELAIS_TELEGRAM_API_URL": emulator.base_url,
                # one phone at machine speed, far above a person's budget
                "RELAIS_FAIRNESS_PER_SECOND": "500",
            },
        )
        relais = await open_relais(settings, clock=fixed_clock)
        channel = TelegramChannel(relais)
        await channel.app.initialize()
        seen: list[str] = []
        try:
            await play(channel, emulator, ONBOARDING)
            await relais.storage._conn.set_trace_callback(seen.append)
            actions = await play(channel, emulator, SELF_ASSESSMENT)
            await relais.storage._conn.set_trace_callback(None)
        finally:
            await channel.app.shutdown()
            await relais.close()
    counts = collections.Counter(kind(s) for s in seen)
    begins = sum(n for s, n in counts.items() if s.startswith("BEGIN"))
    print(f"self-assessment: {actions} actions")
    print(
        f"per action: {len(seen) / actions:.1f} SQL statements, {begins / actions:.1f} transactions"
    )
    if show:
        for statement, n in counts.most_common():
            print(f"{n / actions:6.2f}  {statement}")


if __name__ == "__main__":
    asyncio.run(main("--show" in sys.argv))
