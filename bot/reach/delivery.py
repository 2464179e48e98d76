"""What the runtime asks of messages Relais starts: the ones due now for a channel, rendered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.domain import Message, Person
from bot.core.i18n import Catalogs
from bot.desk.notices import message_from_json
from bot.storage.database import Tx

# The order in which the outbox serves a chat's messages and the chats themselves: an answer to
# the person's own action first, then notices, then bulk sends.
REPLY = 0
NOTICE = 1
BULK = 2


@dataclass(frozen=True)
class Outgoing:
    """A message Relais starts, rendered for delivery to one person now."""

    person: Person
    message: Message
    priority: int = NOTICE
    subject_id: int | None = None  # the person it is about: erased with them while queued


async def take_due(
    tx: Tx, catalogs: Catalogs, channel: str, now: datetime, external_id: str | None = None
) -> list[Outgoing]:
    """The messages due for delivery on `channel` (or to one of its persons), taken from the
    queue in this transaction; the caller queues them for sending in the same transaction."""
    del catalogs, now  # read once messages are rendered at delivery
    return [
        Outgoing(person, message_from_json(data), NOTICE, data.get("subject_id"))
        for person, data in await tx.take_notices(channel, external_id)
    ]
