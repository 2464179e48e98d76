"""Fair queues on a real SQLite file: updates in rounds per sender, outbox chats in turns."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Collection
from datetime import timedelta
from pathlib import Path

import pytest

from bot.fairness.turns import ChatTurns
from bot.reach.delivery import BULK, TIDY
from bot.storage.database import Storage
from tests.test_storage import T0, FakeClock, raw_rows

FLOODER = "111"
OTHER = "222"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "relais.sqlite3"


@pytest.fixture
async def storage(db_path: Path) -> AsyncIterator[Storage]:
    store = await Storage.open(db_path, clock=FakeClock())
    yield store
    await store.close()


def message(update_id: int, user: str, text: str = "x") -> dict:
    chat = {"id": int(user), "type": "private"}
    return {
        "update_id": update_id,
        "message": {"from": {"id": int(user)}, "chat": chat, "text": text},
    }


def press(update_id: int, user: str, query_id: str) -> dict:
    chat = {"id": int(user), "type": "private"}
    return {
        "update_id": update_id,
        "callback_query": {"id": query_id, "from": {"id": int(user)}, "message": {"chat": chat}},
    }


async def journal(storage: Storage, updates: list[tuple[dict, str | None]]) -> None:
    async with storage.transaction() as tx:
        for payload, sender in updates:
            await tx.journal_update(payload["update_id"], payload, sender)


# -- updates -------------------------------------------------------------------------------


async def test_a_backlog_does_not_hold_back_another_sender(storage: Storage):
    # the flooder's 100 updates came first; the other person's two came last
    await journal(storage, [(message(i, FLOODER), FLOODER) for i in range(1, 101)])
    await journal(storage, [(message(101, OTHER), OTHER), (message(102, OTHER), OTHER)])
    async with storage.transaction() as tx:
        round_ = await tx.fair_pending_updates(per_sender=2, limit=64)
    assert [(u.update_id, u.sender) for u in round_] == [
        (1, FLOODER),
        (101, OTHER),
        (2, FLOODER),
        (102, OTHER),
    ]


async def test_rounds_keep_each_senders_order_and_lose_nothing(storage: Storage):
    senders = ["1", "2", "3"]
    updates = [(message(i, senders[i % 3]), senders[i % 3]) for i in range(1, 31)]
    updates += [({"update_id": 31, "my_chat_member": {}}, None)]  # no sender: its own queue
    await journal(storage, updates)
    seen: list[tuple[int, str | None]] = []
    while True:
        async with storage.transaction() as tx:
            round_ = await tx.fair_pending_updates(per_sender=4, limit=5)
            if not round_:
                break
            for update in round_:
                await tx.mark_update_handled(update.update_id)
        assert len(round_) <= 5
        seen += [(u.update_id, u.sender) for u in round_]
    assert sorted(u for u, _ in seen) == list(range(1, 32))
    for sender in [*senders, None]:
        mine = [u for u, s in seen if s == sender]
        assert mine == sorted(mine), sender


async def test_set_aside_and_handled_updates_are_not_in_a_round(storage: Storage, db_path: Path):
    await journal(storage, [(message(i, OTHER), OTHER) for i in (1, 2, 3)])
    async with storage.transaction() as tx:
        await tx.mark_update_handled(1)
    # once handled, who sent it is no longer needed
    assert raw_rows(db_path, "SELECT sender FROM update_journal WHERE update_id = 1") == [(None,)]
    # a poison update set aside (by the retry limit) stays out of every round
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE update_journal SET set_aside_at = 'x' WHERE update_id = 2")
    async with storage.transaction() as tx:
        assert [u.update_id for u in await tx.fair_pending_updates()] == [3]


async def test_dropping_a_senders_excess_is_one_statement_and_keeps_the_rest(
    storage: Storage, db_path: Path
):
    await journal(
        storage,
        [
            (message(1, FLOODER), FLOODER),
            (press(2, FLOODER, "q-old"), FLOODER),
            (message(3, OTHER), OTHER),
            (press(4, FLOODER, "q-new"), FLOODER),
            ({"update_id": 5, "my_chat_member": {"from": {"id": 111}}}, FLOODER),
            (message(6, FLOODER), FLOODER),
        ],
    )
    async with storage.transaction() as tx:
        dropped = await tx.drop_pending_updates(FLOODER)
        left = await tx.fair_pending_updates()
    assert dropped.count == 4
    assert dropped.newest_query == "q-new"  # the press in sight, answered so it stops spinning
    # the other person's update and the flooder's membership change (block/unblock) are kept
    assert [u.update_id for u in left] == [3, 5]
    # skipped updates keep no text and no sender, like handled ones
    assert raw_rows(
        db_path,
        "SELECT COUNT(*) FROM update_journal WHERE payload IS NULL AND sender IS NULL"
        " AND handled_at IS NOT NULL",
    ) == [(4,)]


# -- outbox --------------------------------------------------------------------------------


async def test_outbox_turns_take_a_few_items_per_chat(storage: Storage):
    async with storage.transaction() as tx:
        flood = [await tx.enqueue("f", "sendMessage", {"text": str(i)}) for i in range(50)]
        other = await tx.enqueue("o", "sendMessage", {"text": "hello"})
        turn = await tx.due_outbox_turns(T0, per_chat=4, chats=8)
        assert [i.id for i in turn] == [*flood[:4], other]
        # a chat in flight is left to its current turn
        assert [i.id for i in await tx.due_outbox_turns(T0, 4, 8, busy=["f"])] == [other]
        # and the number of chats is bounded
        assert [i.chat_id for i in await tx.due_outbox_turns(T0, 4, chats=1)] == ["f"] * 4


async def test_outbox_turns_keep_the_retry_rule(storage: Storage):
    async with storage.transaction() as tx:
        a1 = await tx.enqueue("a", "sendMessage", {"text": "a1"})
        a2 = await tx.enqueue("a", "sendMessage", {"text": "a2"})
        b1 = await tx.enqueue("b", "sendMessage", {"text": "b1"})
        # a scheduled reminder must not hold back the conversation
        await tx.enqueue("b", "sendMessage", {"text": "tomorrow"}, T0 + timedelta(days=1))
        b2 = await tx.enqueue("b", "sendMessage", {"text": "b2"})
        await tx.mark_retry(a1, T0 + timedelta(seconds=5), "RetryAfter")
        # a waits for its retry, and a2 waits behind it
        assert [i.id for i in await tx.due_outbox_turns(T0, 4, 8)] == [b1, b2]
        later = T0 + timedelta(seconds=5)
        assert [i.id for i in await tx.due_outbox_turns(later, 4, 8)] == [a1, a2, b1, b2]


async def test_tidying_waits_for_its_chat_and_never_holds_or_joins_a_reply(storage: Storage):
    async with storage.transaction() as tx:
        # Amina answered a question (its buttons to take off), then pressed again at once
        tidy = await tx.enqueue("a", "editMessageReplyMarkup", {"message_id": 3}, priority=TIDY)
        reply = await tx.enqueue("a", "sendMessage", {"text": "question 2"})
        offer = await tx.enqueue("b", "sendMessage", {"text": "offre"}, priority=BULK)
        # her reply goes in a turn of its own, before any bulk send; the tidying waits
        assert [i.id for i in await tx.due_outbox_turns(T0, 4, 8)] == [reply, offer]
        await tx.mark_sent(reply)
        # once her chat has nothing else due, the tidying comes, after every other chat
        assert [i.id for i in await tx.due_outbox_turns(T0, 4, 8)] == [offer, tidy]
        # a tidying waiting for a retry holds back nothing of its chat
        await tx.mark_retry(tidy, T0 + timedelta(seconds=30), "Unavailable")
        again = await tx.enqueue("a", "sendMessage", {"text": "question 3"})
        assert [i.id for i in await tx.due_outbox_turns(T0, 4, 8)] == [again, offer]
        # and a reply waiting for a retry holds back the tidying queued after it
        await tx.mark_retry(again, T0 + timedelta(seconds=5), "Unavailable")
        later = await tx.enqueue("a", "editMessageReplyMarkup", {"message_id": 4}, priority=TIDY)
        assert [i.id for i in await tx.due_outbox_turns(T0, 4, 8)] == [offer]
        at = T0 + timedelta(seconds=30)
        assert [i.id for i in await tx.due_outbox_turns(at, 4, 8)] == [again, offer]
        await tx.mark_sent(again)
        assert [i.id for i in await tx.due_outbox_turns(at, 4, 8)] == [offer, tidy, later]


# -- the scheduler -------------------------------------------------------------------------


class Queue:
    """An in-memory outbox: chat -> items, with a log of what was sent when."""

    def __init__(self, chats: dict[str, int]) -> None:
        self.items = {chat: [f"{chat}{i}" for i in range(n)] for chat, n in chats.items()}
        self.sent: list[str] = []
        self.in_flight: set[str] = set()
        self.overlaps = 0

    async def fetch(self, busy: Collection[str], chats: int) -> list[str]:
        ready = [c for c, items in self.items.items() if items and c not in busy][:chats]
        return [item for c in ready for item in self.items[c][:3]]

    async def serve(self, turn: list[str]) -> None:
        chat = turn[0][0]
        if chat in self.in_flight:
            self.overlaps += 1
        self.in_flight.add(chat)
        for item in turn:
            await asyncio.sleep(0)
            self.sent.append(item)
            self.items[chat].remove(item)
        self.in_flight.discard(chat)


async def test_a_long_queue_is_served_in_turns_with_the_others():
    queue = Queue({"f": 60, "a": 2, "b": 2})
    turns = ChatTurns(queue.fetch, queue.serve, lambda item: item[0], 2, asyncio.Event())
    await turns.run()
    assert sorted(queue.sent) == sorted([f"f{i}" for i in range(60)] + ["a0", "a1", "b0", "b1"])
    # every chat keeps its order, and no chat is ever in two turns at once
    for chat in "fab":
        mine = [int(item[1:]) for item in queue.sent if item[0] == chat]
        assert mine == sorted(mine)
    assert queue.overlaps == 0
    # a and b are done long before the flood is
    last_small = max(queue.sent.index("a1"), queue.sent.index("b1"))
    assert last_small < 12


async def test_a_chat_arriving_later_gets_the_next_free_place():
    queue = Queue({"f": 30, "g": 30})
    wake = asyncio.Event()
    turns = ChatTurns(queue.fetch, queue.serve, lambda item: item[0], 2, wake)

    async def newcomer() -> None:
        while len(queue.sent) < 6:
            await asyncio.sleep(0)
        queue.items["n"] = ["n0"]
        wake.set()

    await asyncio.gather(turns.run(), newcomer())
    assert queue.sent.index("n0") < 6 + 2 * 3 + 1  # served within a turn of each busy chat


async def test_a_failed_turn_stops_new_turns_and_is_raised():
    queue = Queue({"a": 3, "b": 3})

    async def serve(turn: list[str]) -> None:
        if turn[0][0] == "a":
            raise RuntimeError("broken")
        await queue.serve(turn)

    turns = ChatTurns(queue.fetch, serve, lambda item: item[0], 2, asyncio.Event())
    with pytest.raises(RuntimeError):
        await turns.run()


async def test_low_turns_take_only_the_places_nobody_else_wants_one_at_a_time():
    # t…: chats with only tidying to do (rank 3); r: a chat with replies (rank 0)
    queue = Queue({"t": 6, "u": 6, "v": 6, "r": 6})
    turns = ChatTurns(
        queue.fetch,
        queue.serve,
        lambda item: item[0],
        3,
        asyncio.Event(),
        rank=lambda item: 0 if item[0] == "r" else 3,
        low_rank=3,
        low_places=1,
    )
    low_at_once: list[int] = []
    serve = queue.serve

    async def watched(turn: list[str]) -> None:
        low_at_once.append(len(queue.in_flight - {"r"}) + (turn[0][0] != "r"))
        await serve(turn)

    turns.serve = watched
    await turns.run()
    assert sorted(queue.sent) == sorted(f"{c}{i}" for c in "tuvr" for i in range(6))
    assert queue.sent[0] == "r0"  # the replies' chat goes first
    assert max(low_at_once) == 1  # never two tidying turns at once


async def test_bulk_turns_take_a_few_places_and_leave_the_others_to_replies():
    # b…: chats of a broadcast (rank 2); r, s: chats with replies (rank 0), there from the start
    queue = Queue({"b": 4, "c": 4, "d": 4, "e": 4, "r": 4, "s": 4})
    turns = ChatTurns(
        queue.fetch,
        queue.serve,
        lambda item: item[0],
        5,
        asyncio.Event(),
        rank=lambda item: 0 if item[0] in "rs" else 2,
        bulk_rank=2,
        bulk_places=2,
    )
    bulk_at_once: list[int] = []
    serve = queue.serve

    async def watched(turn: list[str]) -> None:
        bulk_at_once.append(len(queue.in_flight - {"r", "s"}) + (turn[0][0] not in "rs"))
        await serve(turn)

    turns.serve = watched
    await turns.run()
    assert sorted(queue.sent) == sorted(f"{c}{i}" for c in "bcders" for i in range(4))
    assert set(queue.sent[:2]) == {"r0", "s0"}  # the replies go first
    assert max(bulk_at_once) == 2  # never more than two bulk turns at once
