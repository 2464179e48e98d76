"""Two senders on one database send each outbox row exactly once; a crashed sender's rows are
taken over once its lease ends."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from bot.channels.runtime import Runtime
from bot.config import Settings
from bot.service import open_relais
from bot.testing.moment import NOW, fixed_clock
from tests.recording_channel import RecordingChannel

ROWS = 500
CHATS = 50


async def test_two_runtimes_on_one_file_send_each_row_exactly_once(settings: Settings):
    first, second = (
        await open_relais(settings, fixed_clock),
        await open_relais(settings, fixed_clock),
    )
    try:
        async with first.storage.transaction() as tx:
            for n in range(ROWS):
                await tx.enqueue(str(n % CHATS), "sendMessage", {"n": n}, channel="recording")
        # each call takes a moment, as over the network; the first sender's calls wait for the
        # second's first: both are at work together, however loaded the machine (the second
        # could otherwise start only once the first had sent everything)
        second_sends = asyncio.Event()
        one_channel = RecordingChannel(delay=0.01, hold=second_sends)
        two_channel = RecordingChannel(delay=0.01)
        two_channel.after(1, second_sends.set)
        one = Runtime(first, one_channel, fixed_clock)
        two = Runtime(second, two_channel, fixed_clock)
        await asyncio.gather(one.drain(), two.drain())

        # both senders took part; the calls from both, in the order each made them
        assert one_channel.calls and two_channel.calls
        calls = one_channel.calls + two_channel.calls
        numbers = Counter(call.payload["n"] for call in calls)
        assert numbers == Counter(range(ROWS))  # each row once, none lost
        for channel in (one_channel, two_channel):  # each chat's rows in order
            for chat in range(CHATS):
                mine = [c.payload["n"] for c in channel.calls if c.chat == str(chat)]
                assert mine == sorted(mine)
        async with second.storage.transaction() as tx:
            assert (await tx.outbox_counts())["queued"] == 0
    finally:
        await first.close()
        await second.close()


async def test_a_crashed_senders_rows_wait_for_its_lease_then_are_taken_over(settings: Settings):
    relais = await open_relais(settings, fixed_clock)
    try:
        async with relais.storage.transaction() as tx:
            held = await tx.enqueue("7", "sendMessage", {"n": 1}, channel="recording")
            await tx.enqueue("8", "sendMessage", {"n": 2}, channel="recording")
            # a sender on another machine took chat 7's row, then died
            taken = await tx.lease_outbox(
                [held], "elsewhere:1:dead", NOW, NOW + timedelta(seconds=60)
            )
            assert taken == [held]

        soon = RecordingChannel()
        await Runtime(relais, soon, lambda: NOW + timedelta(seconds=30)).drain()
        assert [c.payload["n"] for c in soon.calls] == [2]  # chat 7 is left to its holder

        later = RecordingChannel()
        await Runtime(relais, later, lambda: NOW + timedelta(seconds=61)).drain()
        assert [c.payload["n"] for c in later.calls] == [1]  # the lease ended: taken over
    finally:
        await relais.close()
