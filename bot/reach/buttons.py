"""Presses on the buttons of messages Relais started, answered by the kind that sent them,
checked like desk buttons: the right person, still valid, once."""

from __future__ import annotations

import hmac
from datetime import datetime

from bot.core.domain import Effect, Message, Person, State
from bot.core.i18n import Catalogs
from bot.core.turn.replies import REPLY_DONE
from bot.reach.kinds import KINDS, REPLY_HANDLERS
from bot.reach.pressed import Answered, Pressing, Replied
from bot.reach.started import parse_button
from bot.storage.database import Tx


async def press(
    tx: Tx,
    catalogs: Catalogs,
    person: Person,
    data: str,
    now: datetime,
    admins: tuple[str, ...] = (),
) -> Answered | None:
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
    if kind.once and not await tx.answer_started(started.id):
        return Answered((Message(t.gettext(kind.already), rtl=t.rtl),))
    return await kind.press(Pressing(tx, catalogs, started, pressed.choice, now, admins))


async def replied(
    tx: Tx,
    catalogs: Catalogs,
    state: State,
    effects: tuple[Effect, ...],
    now: datetime,
    admins: tuple[str, ...] = (),
) -> None:
    """Give the answers of each reply flow that ended to the kind that opened it."""
    for effect in effects:
        flow = str(effect.data.get("flow", ""))
        handler = REPLY_HANDLERS.get(flow) if effect.name == REPLY_DONE else None
        if handler is not None:
            answers, given = effect.data.get("answers", {}), effect.data.get("given", {})
            await handler(Replied(tx, catalogs, state, flow, answers, given, now, admins))
