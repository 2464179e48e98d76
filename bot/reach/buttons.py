"""Presses on the buttons of messages Relais started, answered by the kind that sent them,
checked like desk buttons: the right person, still valid, once."""

from __future__ import annotations

import hmac
from datetime import datetime

from bot.core.domain import Message, Person
from bot.core.i18n import Catalogs
from bot.reach.kinds import KINDS
from bot.reach.started import parse_button
from bot.storage.database import Tx


async def press(
    tx: Tx, catalogs: Catalogs, person: Person, data: str, now: datetime
) -> tuple[Message, ...] | None:
    """What the press of `person` on `data` says; None when the data is forged, stale
    (expired, unknown) or not theirs: the caller answers as to any stale button."""
    pressed = parse_button(data)
    if pressed is None or person.id is None:
        return None
    started = await tx.started_message(pressed.started_id)
    if (
        started is None
        or started.person.id != person.id
        or not hmac.compare_digest(started.token, pressed.token)
        or started.state == "queued"
    ):
        return None
    kind = KINDS.get(started.kind)
    if kind is None or kind.press is None or pressed.choice not in kind.choices:
        return None
    if started.expires_at is not None and started.expires_at <= now:
        return None
    t = catalogs.get(person.locale)
    if not await tx.answer_started(started.id):
        return (Message(t.gettext(kind.already), rtl=t.rtl),)
    return await kind.press(tx, t, started, pressed.choice, now)
