"""Queueing a message Relais starts: the one way in, deduplicated by key."""

from __future__ import annotations

from bot.reach.started import NewStarted, new_token
from bot.storage.database import Tx


async def queue(tx: Tx, new: NewStarted) -> int | None:
    """Queue `new` for delivery; its id, or None when its dedupe key was queued before (the
    same reminder is never queued twice)."""
    return await tx.queue_started(new, new_token())
