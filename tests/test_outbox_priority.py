"""A person's reply overtakes thousands of queued bulk messages."""

from __future__ import annotations

from bot.channels.runtime import Runtime
from bot.channels.sender import SEND_CONCURRENCY
from bot.reach.delivery import BULK
from bot.service import Relais
from bot.testing.moment import fixed_clock
from tests.recording_channel import RecordingChannel

BULK_CHATS = 2000


async def test_a_persons_reply_overtakes_two_thousand_queued_bulk_messages(relais: Relais):
    channel = RecordingChannel()
    runtime = Runtime(relais, channel, fixed_clock)
    async with relais.storage.transaction() as tx:
        for n in range(BULK_CHATS):
            await tx.enqueue(
                str(10_000 + n),
                "sendMessage",
                {"text": f"Offre {n}"},
                channel=channel.name,
                priority=BULK,
            )
    answered_at: list[int] = []

    async def amina_writes() -> None:
        await runtime.journal_next("amina", {"sender": "amina", "text": "/start"})
        await runtime.process_pending()
        answered_at.append(len(channel.calls))  # her reply is queued now

    channel.after(100, amina_writes)  # she writes while the bulk send is under way
    await runtime.drain()

    chats = [call.chat for call in channel.calls]
    first_reply = chats.index("amina")
    assert "Choose your language." in channel.calls[first_reply].payload["text"]
    # in flight when she wrote: one message per place; then her chat goes first
    assert first_reply - answered_at[0] <= SEND_CONCURRENCY
    # and every bulk message still went, once
    assert sorted(c for c in chats if c != "amina") == sorted(
        str(10_000 + n) for n in range(BULK_CHATS)
    )
    async with relais.storage.transaction() as tx:
        assert (await tx.outbox_counts())["queued"] == 0


async def test_within_one_chat_order_wins_over_priority(relais: Relais):
    channel = RecordingChannel()
    runtime = Runtime(relais, channel, fixed_clock)
    async with relais.storage.transaction() as tx:
        await tx.enqueue("5", "sendMessage", {"text": "offre"}, channel="recording", priority=BULK)
        await tx.enqueue("5", "sendMessage", {"text": "réponse"}, channel="recording")
        await tx.enqueue("6", "sendMessage", {"text": "offre"}, channel="recording", priority=BULK)
    await runtime.drain()
    # chat 5 holds a reply: it goes first, its messages in the order they were queued
    assert channel.calls[0].chat == "5"
    assert [c.payload["text"] for c in channel.calls if c.chat == "5"] == ["offre", "réponse"]
