"""A flood wait (429 "retry after") holds only the chat it was for: waited out in place a few
times, then in the outbox."""

from __future__ import annotations

from bot.channels.protocol import PlannedCall, RetryAfter
from bot.channels.runtime import Runtime
from bot.service import Relais
from bot.testing.moment import fixed_clock
from tests.recording_channel import RecordingChannel


class FloodedChannel(RecordingChannel):
    """Refuses the first `times` calls to chat "slow" with "retry after `seconds`"."""

    def __init__(self, times: int, seconds: float = 0) -> None:
        super().__init__()
        self.refusals = times
        self.seconds = seconds

    async def call(self, planned: PlannedCall) -> dict | None:
        if planned.chat == "slow" and self.refusals > 0:
            self.refusals -= 1
            raise RetryAfter(self.seconds)
        return await super().call(planned)


async def queue_two_chats(relais: Relais) -> None:
    async with relais.storage.transaction() as tx:
        await tx.enqueue("slow", "sendMessage", {"text": "1"}, channel="recording")
        await tx.enqueue("slow", "sendMessage", {"text": "2"}, channel="recording")
        await tx.enqueue("other", "sendMessage", {"text": "3"}, channel="recording")


async def test_a_flood_wait_is_waited_out_in_place_and_the_call_made_once(relais: Relais):
    channel = FloodedChannel(times=2)
    await queue_two_chats(relais)
    await Runtime(relais, channel, fixed_clock, flood_retries=2).drain()
    assert [c.payload["text"] for c in channel.calls if c.chat == "slow"] == ["1", "2"]
    assert [c.payload["text"] for c in channel.calls if c.chat == "other"] == ["3"]
    async with relais.storage.transaction() as tx:
        assert await tx.outbox_counts() == {"queued": 0, "sent": 3, "failed": 0, "blocked": 0}


async def test_past_its_retries_in_place_a_flood_wait_goes_to_the_outbox(relais: Relais):
    channel = FloodedChannel(times=1, seconds=60)
    await queue_two_chats(relais)
    await Runtime(relais, channel, fixed_clock, flood_retries=0).drain()
    # the other chat went; the slow chat's rows wait, in order, for their retry time
    assert [c.payload["text"] for c in channel.calls] == ["3"]
    async with relais.storage.transaction() as tx:
        assert (await tx.outbox_counts())["queued"] == 2
