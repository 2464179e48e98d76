"""A message Relais started that reached the outbox just before quiet hours, but was not sent
by then, waits for the morning too; answers to a person's own action never wait."""

from __future__ import annotations

from datetime import timedelta

from bot.channels.runtime import Runtime
from bot.reach.delivery import NOTICE, REPLY, TIDY
from bot.service import Relais
from bot.testing.moment import NOW, Hands
from tests.recording_channel import RecordingChannel

# Monday 23 November 2026: 21:00 in Paris (UTC+1), then Tuesday 08:29 and 08:30
EVENING = NOW + timedelta(hours=10)


async def test_a_notice_left_in_the_outbox_at_night_waits_for_the_morning(relais: Relais):
    hands = Hands(EVENING)
    channel = RecordingChannel()
    runtime = Runtime(relais, channel, hands)
    async with relais.storage.transaction() as tx:
        # handed to the outbox at 19:59, the process stopped before sending it
        await tx.enqueue(
            "vic",
            "sendMessage",
            {"text": "Amina voudrait parler à un bénévole."},
            channel=channel.name,
            priority=NOTICE,
        )
        await tx.enqueue(
            "vic",
            "sendMessage",
            {"text": "Voici votre menu."},
            channel=channel.name,
            priority=REPLY,
        )

    await runtime.drain()
    assert [c.payload["text"] for c in channel.calls] == ["Voici votre menu."]

    hands.now = EVENING + timedelta(hours=11, minutes=29)  # Tuesday 08:29
    await runtime.drain()
    assert len(channel.calls) == 1

    hands.now = EVENING + timedelta(hours=11, minutes=30)  # Tuesday 08:30
    await runtime.drain()
    assert [c.payload["text"] for c in channel.calls][1:] == [
        "Amina voudrait parler à un bénévole."
    ]


async def test_an_answered_questions_buttons_go_at_night_too(relais: Relais):
    # tidying a question someone just answered belongs to their own action: never held
    channel = RecordingChannel()
    runtime = Runtime(relais, channel, Hands(EVENING))
    async with relais.storage.transaction() as tx:
        await tx.enqueue(
            "ana", "editMessageReplyMarkup", {"message_id": 7}, channel=channel.name, priority=TIDY
        )
    await runtime.drain()
    assert [(c.method, c.payload) for c in channel.calls] == [
        ("editMessageReplyMarkup", {"message_id": 7})
    ]
