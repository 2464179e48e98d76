"""SQL of the numbered keyboards: what a typed number presses in each chat.

Mixed into `storage.Tx`; the methods run inside its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.storage.queries import Queries


class KeyboardQueries(Queries):
    """Repository methods of the numbered keyboards (see storage.Tx for the helpers)."""

    async def store_keyboard(self, channel: str, chat: str, data: Sequence[str]) -> None:
        """Keep the button data a typed number presses in this chat, replacing any earlier;
        nothing is kept for a chat whose person is gone (erased by this very reply)."""
        await self._execute(
            "INSERT INTO numbered_keyboards (channel, chat, data, stored_at)"
            " SELECT ?, ?, ?, ? WHERE EXISTS"
            " (SELECT 1 FROM persons WHERE channel = ? AND external_id = ?)"
            " ON CONFLICT (channel, chat)"
            " DO UPDATE SET data = excluded.data, stored_at = excluded.stored_at",
            (channel, chat, json.dumps(list(data)), self._now(), channel, chat),
        )

    async def clear_keyboard(self, channel: str, chat: str) -> None:
        """Forget the chat's numbered keyboard: a newer message showed no numbered choices."""
        await self._execute(
            "DELETE FROM numbered_keyboards WHERE channel = ? AND chat = ?", (channel, chat)
        )

    async def stored_keyboard(self, channel: str, chat: str) -> tuple[str, ...]:
        """The button data of the chat's last numbered choices, in order (empty: none)."""
        row = await self._fetchone(
            "SELECT data FROM numbered_keyboards WHERE channel = ? AND chat = ?", (channel, chat)
        )
        if row is None:
            return ()
        data = json.loads(row["data"])
        return tuple(str(d) for d in data) if isinstance(data, list) else ()
