"""Hostile tests of the runtime and its outbox with two senders on one
database, started messages sent twice, a chat in a flood wait. Each test that was a finding
failed before its fix."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from bot.channels.protocol import PlannedCall, RetryAfter
from bot.channels.runtime import Runtime
from bot.config import Settings
from bot.reach import erasure_warning
from bot.service import open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import fixed_clock
from tests.recording_channel import RecordingChannel
from tests.test_erasure_warning import MIDWAY_ONBOARDING, WARNED_AT


class FloodOnce(RecordingChannel):
    """Refuses its first call to chat "slow" with "retry after `seconds`"; says so by `hit`."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.refused = False
        self.hit = asyncio.Event()

    async def call(self, planned: PlannedCall) -> dict | None:
        if planned.chat == "slow" and not self.refused:
            self.refused = True
            self.hit.set()
            raise RetryAfter(self.seconds)
        return await super().call(planned)


async def test_a_second_sender_does_not_write_to_a_chat_in_a_flood_wait(
    settings: Settings,
) -> None:
    """Was a finding: sender._wait_in_place leases the row until now + wait + LEASE_SECONDS, but
    due_outbox_turns/lease_outbox treat any lease ending after now + LEASE_SECONDS as "from a
    clock that went back" (bot/storage/outbox.py, `held` and lease_outbox's last OR): another
    sender takes the chat during the wait and writes to the flooded chat at once."""
    first, second = (
        await open_relais(settings, fixed_clock),
        await open_relais(settings, fixed_clock),
    )
    try:
        async with first.storage.transaction() as tx:
            # one row: with a second, its own lease (not lengthened) would keep the chat held
            await tx.enqueue("slow", "sendMessage", {"text": "1"}, channel="recording")
        flooded, other = FloodOnce(seconds=1.0), RecordingChannel()
        one = Runtime(first, flooded, fixed_clock, flood_retries=2)
        two = Runtime(second, other, fixed_clock)
        waiting = asyncio.create_task(one.drain())
        await flooded.hit.wait()
        await asyncio.sleep(0.3)  # the first sender is now waiting, its row leased for the wait
        await two.drain()  # while the first waits out the flood, in place
        written_meanwhile = [c.payload["text"] for c in other.calls if c.chat == "slow"]
        await waiting
        assert written_meanwhile == [], "the second sender wrote to a chat in a flood wait"
        sent = Counter(c.payload["text"] for c in flooded.calls + other.calls)
        assert sent == Counter({"1": 1})
    finally:
        await first.close()
        await second.close()


async def test_two_runtimes_deliver_a_started_message_once(settings: Settings) -> None:
    hands = [WARNED_AT - timedelta(days=700)]
    first = await open_relais(settings, lambda: hands[0])
    second = await open_relais(settings, lambda: hands[0])
    try:
        ana = Conversation(first, user="ana", channel="recording")
        await ana.play(MIDWAY_ONBOARDING)
        hands[0] = WARNED_AT
        assert await erasure_warning.sweep(first, hands[0]) == 1
        a, b = RecordingChannel(), RecordingChannel()
        one = Runtime(first, a, lambda: hands[0])
        two = Runtime(second, b, lambda: hands[0])
        await asyncio.gather(one.sweep(), two.sweep(), one.sweep(), two.sweep())
        texts = [c.payload.get("text", "") for c in a.calls + b.calls]
        assert sum("effacées" in t for t in texts) == 1, texts
    finally:
        await first.close()
        await second.close()


async def test_a_started_message_queued_before_quiet_hours_is_not_sent_in_them(
    settings: Settings,
) -> None:
    """Was a finding: quiet hours are checked only when a started message moves to the outbox
    (bot/reach/delivery.py take_due); the outbox row has no deadline. Taken at 19:59:59 and
    not sent then (a busy outbox, retries, or the process stopped before sending), it goes out
    in the night: here at 23:00 on the next drain."""
    hands = [WARNED_AT - timedelta(days=700)]
    relais = await open_relais(settings, lambda: hands[0])
    try:
        ana = Conversation(relais, user="ana", channel="recording")
        await ana.play(MIDWAY_ONBOARDING)
        hands[0] = WARNED_AT
        assert await erasure_warning.sweep(relais, hands[0]) == 1
        channel = RecordingChannel()
        runtime = Runtime(relais, channel, lambda: hands[0])
        # the due warning moves to the outbox at 19:59:59 in Paris (Monday), then the
        # process stops before sending
        hands[0] = WARNED_AT + timedelta(hours=7, minutes=59, seconds=59)
        async with relais.storage.transaction() as tx:
            assert await runtime._queue_due(tx) == 1
        hands[0] = WARNED_AT + timedelta(hours=11)  # 23:00 in Paris: quiet hours
        await runtime.drain()
        texts = [c.payload.get("text", "") for c in channel.calls]
        assert not any("effacées" in t for t in texts), "a started message sent at 23:00"
    finally:
        await relais.close()
