"""Messages for someone else than the person who acted: written in the recipient's language,
stored as notices, delivered by the recipient's channel."""

from __future__ import annotations

from typing import Any

from bot.core.domain import Button, Message, Person
from bot.core.i18n import Catalogs
from bot.storage.database import Tx


def message_to_json(message: Message) -> dict[str, Any]:
    """A message as stored in the notices table."""
    return {
        "text": message.text,
        "buttons": [[[b.label, b.data] for b in row] for row in message.buttons],
        "rtl": message.rtl,
        "document": message.document,
    }


def message_from_json(data: dict[str, Any]) -> Message:
    """Inverse of message_to_json."""
    rows = tuple(
        tuple(Button(str(label), str(payload)) for label, payload in row)
        for row in data.get("buttons", [])
    )
    return Message(
        str(data.get("text", "")),
        rows,
        rtl=bool(data.get("rtl")),
        document=str(data.get("document", "")),
    )


async def notify(
    tx: Tx,
    catalogs: Catalogs,
    person: Person,
    msgid: str,
    buttons: tuple[tuple[tuple[str, str], ...], ...] = (),
    subject_id: int | None = None,
    **params: object,
) -> None:
    """Queue a message for a person, in their language; button labels are msgids too.
    `subject_id`: the person the message is about, erased with them."""
    if person.id is None or person.stopped or person.blocked:
        return
    t = catalogs.get(person.locale)
    rows = tuple(tuple(Button(t.gettext(label), data) for label, data in row) for row in buttons)
    message = Message(t.gettext(msgid, **params), rows, rtl=t.rtl)
    await tx.add_notice(person.id, message_to_json(message), subject_id)
