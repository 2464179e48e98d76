"""SQL of the messages between a volunteer and a person: exchanges and their messages.

Mixed into `storage.Tx`; the methods run inside its transaction.
"""

from __future__ import annotations

import sqlite3

from bot.desk.domain import Exchange, ExchangeMessage
from bot.storage.queries import Queries, from_text, maybe_from_text

_EXCHANGE = "SELECT id, person_id, centre, volunteer_id, started_at, ended_at FROM exchanges"


def _exchange(row: sqlite3.Row) -> Exchange:
    return Exchange(
        id=int(row["id"]),
        person_id=int(row["person_id"]),
        centre=str(row["centre"]),
        volunteer_id=None if row["volunteer_id"] is None else int(row["volunteer_id"]),
        started_at=from_text(row["started_at"]),
        ended_at=maybe_from_text(row["ended_at"]),
    )


class ExchangeReadQueries(Queries):
    """The reads of exchanges, also made on the read-only connection (storage.ReadTx)."""

    async def exchange_messages_of(
        self, person_id: int, limit: int | None = None
    ) -> list[ExchangeMessage]:
        """The messages between a person and their centre, oldest first (the last `limit`)."""
        rows = await self._fetchall(
            "SELECT * FROM (SELECT m.id, m.exchange_id, m.from_person, m.text, m.at, e.centre"
            " FROM exchange_messages m JOIN exchanges e ON e.id = m.exchange_id"
            " WHERE m.person_id = ? ORDER BY m.id DESC LIMIT ?) ORDER BY id",
            (person_id, -1 if limit is None else limit),
        )
        return [
            ExchangeMessage(
                exchange_id=int(r["exchange_id"]),
                from_person=bool(r["from_person"]),
                text=str(r["text"]),
                at=from_text(r["at"]),
                centre=str(r["centre"]),
            )
            for r in rows
        ]


class ExchangeQueries(ExchangeReadQueries):
    """Repository methods of exchanges (see storage.Tx for the helpers)."""

    async def open_exchange(self, person_id: int, centre: str, volunteer_id: int) -> Exchange:
        """The exchange in progress between this volunteer and this person, or a new one."""
        row = await self._fetchone(
            _EXCHANGE + " WHERE person_id = ? AND volunteer_id = ? AND ended_at IS NULL"
            " ORDER BY id DESC LIMIT 1",
            (person_id, volunteer_id),
        )
        if row is None:
            row = await self._fetchone(
                "INSERT INTO exchanges (person_id, centre, volunteer_id, started_at)"
                " VALUES (?, ?, ?, ?)"
                " RETURNING id, person_id, centre, volunteer_id, started_at, ended_at",
                (person_id, centre, volunteer_id, self._now()),
            )
        assert row is not None
        return _exchange(row)

    async def latest_open_exchange(self, person_id: int) -> Exchange | None:
        """The person's latest exchange with their centre that neither side ended."""
        row = await self._fetchone(
            _EXCHANGE + " WHERE person_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1",
            (person_id,),
        )
        return _exchange(row) if row is not None else None

    async def exchange(self, exchange_id: int) -> Exchange | None:
        """An exchange by id."""
        row = await self._fetchone(_EXCHANGE + " WHERE id = ?", (exchange_id,))
        return _exchange(row) if row is not None else None

    async def add_exchange_message(
        self, exchange: Exchange, from_person: bool, author_id: int | None, text: str
    ) -> None:
        """Keep one message of an exchange, as written."""
        await self._execute(
            "INSERT INTO exchange_messages (exchange_id, person_id, from_person, author_id, text,"
            " at) VALUES (?, ?, ?, ?, ?, ?)",
            (exchange.id, exchange.person_id, int(from_person), author_id, text, self._now()),
        )

    async def end_exchange(self, exchange_id: int, by: str) -> bool:
        """End an exchange (`by` "person" or "volunteer"); False if it had already ended."""
        changed = await self._execute(
            "UPDATE exchanges SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL",
            (self._now(), by, exchange_id),
        )
        return changed == 1
