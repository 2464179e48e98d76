"""What the runtime asks of messages Relais starts: the ones due now for a channel, rendered."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.config import OfferSettings
from bot.core.domain import Message, Person
from bot.core.i18n import Catalogs
from bot.core.owners import new_owner
from bot.reach.kinds import KINDS
from bot.reach.started import BULK, NOTICE, PREFIX, REPLY, TIDY, Started
from bot.schedule.quiet_hours import QuietHours
from bot.storage.database import Tx
from bot.storage.offer_broadcast import DELIVERY_MARK
from bot.storage.offers import OFFER_KIND

__all__ = ["BULK", "NOTICE", "REPLY", "TIDY", "Outgoing", "take_due"]

log = logging.getLogger("relais.reach")

# who holds a lease: this process (two processes on one database never take the same row)
OWNER = new_owner()
# a sender that died holding rows gives them back after this
LEASE = timedelta(minutes=2)
# rows taken by one call: the sweep comes back for the rest
BATCH = 100
DEFAULT_WEEKLY_CAP = OfferSettings().weekly_cap
# bulk messages (an offer's broadcast) waiting in a channel's outbox, at most: about 2 s of
# Telegram's pace. The rest waits here, where what a message says is checked when it goes (an
# offer closed meanwhile is not sent), and a volunteer's progress message is not queued behind
# the whole broadcast.
BULK_BACKLOG = 60


@dataclass(frozen=True)
class Outgoing:
    """A message Relais starts, rendered for delivery to one person now."""

    person: Person
    message: Message
    priority: int = NOTICE
    subject_id: int | None = None  # the person it is about: erased with them while queued
    shows: tuple[int, ...] = ()  # everyone else it names (an agenda): erased with any of them
    # added to its outbox payloads: what the sender reports once it left (an offer's id)
    mark: dict[str, Any] = field(default_factory=dict)


async def take_due(
    tx: Tx,
    catalogs: Catalogs,
    channel: str,
    now: datetime,
    external_id: str | None = None,
    quiet: QuietHours | None = None,
    weekly_cap: int = DEFAULT_WEEKLY_CAP,
) -> list[Outgoing]:
    """The messages due for delivery on `channel` (or to one of its persons), taken from the
    queue in this transaction; the caller queues them for sending in the same transaction.

    Nothing is due during quiet hours (`quiet`: the deployment's, settings.quiet_hours).
    Messages for people who stopped Relais or blocked the bot are dropped. Each is rendered
    in its recipient's language of now. Offer messages beyond `weekly_cap` a week for a
    person (settings.offers.weekly_cap) go back to the queue until they may go.
    """
    if not (quiet or QuietHours()).allows(now, catalogs.tz):
        return []
    backlog = BULK_BACKLOG if external_id is None else None  # (one chat: never a crowd)
    due = await tx.lease_due_started(channel, now, OWNER, now + LEASE, external_id, BATCH, backlog)
    if not due:
        return []  # the common case, after every round of updates and every second
    out: list[Outgoing] = []
    kept: list[int] = []
    done: list[int] = []
    dropped: list[int] = []
    for started in due:
        kind = KINDS.get(started.kind)
        if started.person.stopped or started.person.blocked:
            dropped.append(started.id)
            continue
        if kind is None:
            # written by a newer version: left leased, a process that knows it will take it
            log.warning("started message id=%d: unknown kind", started.id)
            continue
        if kind.still_due is not None and not await kind.still_due(tx, started, now):
            dropped.append(started.id)
            continue
        shows: tuple[int, ...] = ()
        if kind.read is not None:
            fresh = await kind.read(tx, started)
            if fresh is None:
                dropped.append(started.id)
                continue
            started, shows = replace(started, params=fresh.params), fresh.shows
        if kind.hold is not None:
            until = await kind.hold(tx, started, now, weekly_cap)
            if until is not None:
                await tx.hold_started(started.id, until)
                continue
        message = kind.render(catalogs.get(started.person.locale), started)
        # one with buttons of its own waits for the press, to check it
        own = any(b.data.startswith(PREFIX) for row in message.buttons for b in row)
        (kept if own else done).append(started.id)
        out.append(
            Outgoing(
                started.person,
                message,
                started.priority,
                started.subject_id,
                shows,
                _mark(started),
            )
        )
    if kept or done:
        await tx.finish_started(kept, done)
    if dropped:
        await tx.drop_started(dropped)
    return out


def _mark(started: Started) -> dict[str, Any]:
    """An offer's message carries its offer's id to the outbox, so that offer_sends records
    when it left (bot.storage.outbox.mark_sent_many); others carry nothing."""
    offer = started.params.get("offer")
    if started.kind == OFFER_KIND and isinstance(offer, int):
        return {DELIVERY_MARK: offer}
    return {}
