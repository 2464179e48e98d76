"""Chats served in turns, so one chat's long queue never delays the others.

Up to `concurrency` chats are in flight at once; each gets a turn of a few of its items, in
order; when a turn ends its place goes at once to the chat with the most urgent item (lowest
rank: a reply before a bulk send), then the chat served least recently (a chat never served
first). A chat is never in two turns at once, so its items keep their order.

Items of a low rank (tidying messages already answered) take only the places no more urgent
chat wants, and at most `low_places` at a time: under load, what they send waits behind
everyone's replies instead of taking turns beside them. Bulk items (a broadcast) take at most
`bulk_places` at a time (low ones included): the platform's pace is shared by every call in
flight, and a reply must not queue behind a crowd of bulk calls for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable, Collection, Coroutine
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
CANDIDATES_PER_PLACE = 4  # chats looked at for each free place, to pick the least recent
REMEMBERED_CHATS = 10_000  # past this, the memory of who was served when starts afresh


class ChatTurns(Generic[Item]):
    """A round-robin scheduler over chats whose items come from `fetch` and go to `serve`."""

    def __init__(
        self,
        fetch: Callable[[Collection[str], int], Coroutine[Any, Any, list[Item]]],
        serve: Callable[[list[Item]], Coroutine[Any, Any, None]],
        chat_of: Callable[[Item], str],
        concurrency: int,
        wake: asyncio.Event,
        rank: Callable[[Item], int] = lambda item: 0,
        low_rank: int | None = None,
        low_places: int = 1,
        bulk_rank: int | None = None,
        bulk_places: int = 1,
    ) -> None:
        """`fetch(busy, chats)`: the next turn of up to `chats` chats not in `busy`, each chat's
        items together and in order; `wake` is set when new items may be due; `rank(item)`:
        its urgency, lowest first; a turn whose items all rank `low_rank` or above is low: at
        most `low_places` of them run at once; one whose items all rank `bulk_rank` or above
        is bulk: at most `bulk_places` of those (low ones included) run at once."""
        self.fetch = fetch
        self.rank = rank
        self.low_rank = low_rank
        self.low_places = low_places
        self.bulk_rank = bulk_rank
        self.bulk_places = bulk_places
        self.serve = serve
        self.chat_of = chat_of
        self.concurrency = concurrency
        self.wake = wake
        self._served: dict[str, int] = {}
        self._counter = itertools.count(1)

    async def run(self) -> None:
        """Serve until nothing is due and nothing is in flight; a failed turn stops new turns
        and is raised once the others have ended."""
        in_flight: dict[str, asyncio.Task[None]] = {}
        low: set[str] = set()  # the chats in flight for a low turn
        bulk: set[str] = set()  # the chats in flight for a bulk (or low) turn
        failure: BaseException | None = None
        try:
            while True:
                free = self.concurrency - len(in_flight)
                if free > 0 and failure is None:
                    self.wake.clear()  # whatever is due from now on, this fetch sees it
                    items = await self.fetch(tuple(in_flight), free * CANDIDATES_PER_PLACE)
                    chosen = self._choose(
                        items, free, self.low_places - len(low), self.bulk_places - len(bulk)
                    )
                    for chat, turn in chosen:
                        in_flight[chat] = asyncio.create_task(self.serve(turn))
                        if self._is_low(turn):
                            low.add(chat)
                        if self._is_bulk(turn):
                            bulk.add(chat)
                if not in_flight:
                    break
                waiter = asyncio.create_task(self.wake.wait())
                done, _ = await asyncio.wait(
                    {*in_flight.values(), waiter}, return_when=asyncio.FIRST_COMPLETED
                )
                waiter.cancel()
                if waiter in done:
                    # a place that frees up fetches anyway: nothing due is missed by clearing
                    self.wake.clear()
                for chat, task in list(in_flight.items()):
                    if task in done:
                        del in_flight[chat]
                        low.discard(chat)
                        bulk.discard(chat)
                        if failure is None and task.exception() is not None:
                            failure = task.exception()
        finally:
            for task in in_flight.values():
                task.cancel()
            for task in in_flight.values():
                with contextlib.suppress(BaseException):
                    await task
        if failure is not None:
            raise failure

    def _is_low(self, turn: list[Item]) -> bool:
        return self.low_rank is not None and min(map(self.rank, turn)) >= self.low_rank

    def _is_bulk(self, turn: list[Item]) -> bool:
        return self.bulk_rank is not None and min(map(self.rank, turn)) >= self.bulk_rank

    def _choose(
        self, items: list[Item], places: int, low_places: int, bulk_places: int | None = None
    ) -> list[tuple[str, list[Item]]]:
        """The turns to start: the chats with the most urgent item, then the chats served least
        recently, then by their oldest item; low turns only in the places left, `low_places` at
        most; bulk turns (low ones included) `bulk_places` at most."""
        turns: dict[str, list[Item]] = {}
        for item in items:
            turns.setdefault(self.chat_of(item), []).append(item)
        order = {chat: position for position, chat in enumerate(turns)}
        urgency = {chat: min(self.rank(item) for item in turn) for chat, turn in turns.items()}
        ranked = sorted(
            turns, key=lambda chat: (urgency[chat], self._served.get(chat, 0), order[chat])
        )
        chosen: list[str] = []
        for chat in ranked:
            if len(chosen) == places:
                break
            if self._is_bulk(turns[chat]):
                if bulk_places is not None and bulk_places <= 0:
                    break  # ranked after the others: only bulk (and low) turns remain
                if bulk_places is not None:
                    bulk_places -= 1
            if self._is_low(turns[chat]):
                if low_places <= 0:
                    break  # ranked last: only low turns remain
                low_places -= 1
            chosen.append(chat)
        if len(self._served) > REMEMBERED_CHATS:
            self._served.clear()
        for chat in chosen:
            self._served[chat] = next(self._counter)
        return [(chat, turns[chat]) for chat in chosen]
