"""Assembles Relais from its settings and runs one event through engine and storage."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.documents import Document, Documents, NoDocument
from bot.domain import Inbound, Reply
from bot.engine import Engine
from bot.flow import FlowSet, load_flows
from bot.i18n import Catalogs
from bot.storage import Storage, Tx

log = logging.getLogger("relais")


def utc_now() -> datetime:
    """The real clock; tests pass their own."""
    return datetime.now(UTC)


@dataclass
class Relais:
    """The running bot minus its channels: settings, flows, catalogs, engine and storage."""

    settings: Settings
    flows: FlowSet
    catalogs: Catalogs
    engine: Engine
    storage: Storage
    documents: Documents

    async def handle(self, tx: Tx, channel: str, external_id: str, event: Inbound) -> Reply:
        """Load the person, let the engine answer, save the new state (inside `tx`)."""
        state = await tx.load_state(channel, external_id)
        new_state, reply = self.engine.handle(state, event)
        await tx.save_state(new_state)
        frame = new_state.session.current
        # ids and step names only: never names, answers or message text
        log.info(
            "event person=%s kind=%s flow=%s step=%s replies=%d",
            new_state.person.id,
            event.kind.value,
            frame.flow if frame else "-",
            frame.step if frame else "-",
            len(reply.messages),
        )
        return reply

    async def document(self, channel: str, external_id: str, kind: str) -> Document | None:
        """Make one of a person's documents from their answers saved now (None: nothing to
        make it from, e.g. erased since it was asked for)."""
        async with self.storage.transaction() as tx:
            state = await tx.load_state(channel, external_id)
        try:
            # laying out a PDF takes a tenth of a second or more: keep the event loop free
            document = await asyncio.to_thread(self.documents.make, kind, state.profile)
        except NoDocument:
            return None
        log.info("document person=%s kind=%s bytes=%d", state.person.id, kind, len(document.data))
        return document

    async def purge(self, now: datetime) -> None:
        """Apply the retention promise: forget people silent too long, old updates and sends."""
        async with self.storage.transaction() as tx:
            people = await tx.purge_inactive(now - timedelta(days=self.settings.retention_days))
            await tx.purge_handled_updates(now - timedelta(days=7))
            await tx.purge_outbox(now - timedelta(days=7))
        if people:
            log.info("retention: erased %d inactive people", people)

    async def close(self) -> None:
        """Close the database."""
        await self.storage.close()


Clock = Callable[[], datetime]


def build_engine(settings: Settings, clock: Clock = utc_now) -> tuple[FlowSet, Catalogs, Engine]:
    """Load and check flows and catalogs (raises FlowError) and build the engine."""
    flows = load_flows(settings.flows_dir)
    catalogs = Catalogs(settings.locales_dir, list(settings.languages), settings.timezone)
    return flows, catalogs, Engine(flows, catalogs, settings.centres, clock)


async def open_relais(settings: Settings, clock: Clock = utc_now) -> Relais:
    """Everything but the channel, ready to handle events (expired data already erased)."""
    flows, catalogs, engine = build_engine(settings, clock)
    storage = await Storage.open(settings.database, clock=clock)
    documents = Documents(flows, catalogs, settings.font_cache)
    relais = Relais(settings, flows, catalogs, engine, storage, documents)
    await relais.purge(clock())
    return relais
