"""Offers end by themselves: the day after an offer's last day (local date), a sweep marks it
expired, so that it is no longer sent nor listed as open; people who answer it later are told
it has ended (bot/offers/message.py reads the state). Idempotent: an offer already expired or
closed is left as it is."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.service import Relais

log = logging.getLogger(__name__)

# how often the scheduler looks: an offer expires at most this long after local midnight
EVERY_SECONDS = 600


async def sweep(relais: Relais, now: datetime) -> int:
    """The scheduler's entry: mark expired every draft or vetted offer past its last day."""
    today = now.astimezone(relais.catalogs.tz).date()
    async with relais.storage.transaction() as tx:
        expired = await tx.expire_offers(today)
    if expired:
        log.info("offers expired: %d", len(expired))
    return len(expired)
