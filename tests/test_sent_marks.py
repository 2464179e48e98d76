"""Sent outbox rows are marked in one transaction per batch of turns, not one per row."""

from __future__ import annotations

from pathlib import Path

from bot.channels.runtime import Runtime
from bot.channels.sender import SEND_TURN
from bot.service import Relais
from bot.storage.database import Storage
from bot.testing.moment import fixed_clock
from tests.recording_channel import RecordingChannel
from tests.test_storage import FakeClock, raw_rows


async def test_several_rows_are_marked_sent_at_once_with_their_results(tmp_path: Path):
    path = tmp_path / "relais.sqlite3"
    storage = await Storage.open(path, clock=FakeClock())
    try:
        async with storage.transaction() as tx:
            first = await tx.enqueue("1", "sendMessage", {"text": "bonjour"})
            code = await tx.enqueue("2", "sendMessage", {"text": "RELAIS-AB12"}, sensitive=True)
            kept = await tx.enqueue("3", "sendMessage", {"text": "plus tard"})
            await tx.mark_sent_many([(first, {"message_id": 9}), (code, None)])
            assert await tx.outbox_counts() == {"queued": 1, "sent": 1, "failed": 0, "blocked": 0}
    finally:
        await storage.close()
    rows = raw_rows(path, "SELECT id, state, attempts, payload, result FROM outbox ORDER BY id")
    # the text is dropped once sent; the invitation code's row is gone entirely
    assert rows == [
        (first, "sent", 1, "{}", '{"message_id":9}'),
        (kept, "queued", 0, '{"text":"plus tard"}', None),
    ]


async def test_a_drain_marks_each_turn_once_instead_of_each_row(relais: Relais):
    chats, per_chat = 10, SEND_TURN
    async with relais.storage.transaction() as tx:
        for chat in range(chats):
            for n in range(per_chat):
                await tx.enqueue(str(chat), "sendMessage", {"text": str(n)}, channel="recording")
    statements: list[str] = []
    await relais.storage._conn.set_trace_callback(statements.append)
    channel = RecordingChannel()
    await Runtime(relais, channel, fixed_clock).drain()
    await relais.storage._conn.set_trace_callback(None)
    assert len(channel.calls) == chats * per_chat
    for chat in range(chats):  # each chat in order
        assert [c.payload["text"] for c in channel.calls if c.chat == str(chat)] == [
            str(n) for n in range(per_chat)
        ]
    marks = [s for s in statements if s.startswith("UPDATE outbox SET state = 'sent'")]
    assert 1 <= len(marks) <= chats  # at most one per turn (before: one per row, 40)
    async with relais.storage.transaction() as tx:
        assert (await tx.outbox_counts())["sent"] == chats * per_chat
