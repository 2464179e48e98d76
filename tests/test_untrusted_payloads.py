"""Untrusted Telegram payloads read without raising, and poison updates set aside in the journal
(the real process is tested in tests/test_e2e_hardening.py)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.payloads import ReplyTarget, parse_update, reply_target, valid_update_id
from bot.storage.database import Storage
from bot.testing.moment import NOW
from tests.test_storage import pending_of

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)
KEYS = st.sampled_from(["message", "callback_query", "chat", "from", "id", "type", "language_code"])
UPDATE_LIKE = st.recursive(
    JSON, lambda inner: st.dictionaries(KEYS, inner, max_size=4), max_leaves=30
)


@given(UPDATE_LIKE)
def test_an_apology_is_read_from_any_shape(payload: object) -> None:
    apology = reply_target(payload)
    assert apology.chat_id is None or (type(apology.chat_id) is int and apology.chat_id > 0)
    assert apology.callback_id is None or isinstance(apology.callback_id, str)
    assert apology.language_code is None or isinstance(apology.language_code, str)


def test_an_apology_goes_to_a_private_chat_only() -> None:
    update = {
        "update_id": 1,
        "callback_query": {
            "id": "77",
            "from": {"id": 5, "language_code": "en"},
            "message": {"chat": {"id": 5, "type": "private"}},
        },
    }
    assert reply_target(update) == ReplyTarget(5, "77", "en")
    group = {"update_id": 2, "message": {"chat": {"id": -100, "type": "group"}}}
    assert reply_target(group) == ReplyTarget(None, None, None)
    assert reply_target({"update_id": 3, "message": "x"}) == ReplyTarget(None, None, None)


@given(JSON)
def test_any_json_body_is_an_update_or_nothing(value: object) -> None:
    try:
        body = json.dumps(value).encode()
    except ValueError:
        return  # NaN and infinities are not JSON
    update = parse_update(body)
    assert update is None or valid_update_id(update["update_id"])


@pytest.mark.parametrize(
    ("value", "valid"),
    [(0, True), (2**63 - 1, True), (2**63, False), (-1, False), (True, False), (1.0, False)],
)
def test_update_ids(value: object, valid: bool) -> None:
    assert valid_update_id(value) is valid


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    store = await Storage.open(tmp_path / "relais.sqlite3", clock=lambda: NOW)
    yield store
    await store.close()


async def test_a_failing_update_is_set_aside_after_its_tries_and_kept(storage: Storage) -> None:
    async with storage.transaction() as tx:
        for update_id in (20, 21):
            await tx.journal_update(update_id, {"update_id": update_id, "message": "x"})
    for tries in (1, 2):
        async with storage.transaction() as tx:
            assert not await tx.record_update_failure(20, max_attempts=3), tries
            assert [u for u, _ in await pending_of(tx)] == [20, 21]
    async with storage.transaction() as tx:
        assert await tx.record_update_failure(20, max_attempts=3)
        assert await pending_of(tx) == [(21, {"update_id": 21, "message": "x"})]
        assert await tx.record_update_failure(20, max_attempts=3)  # stays aside, not counted
        await tx.mark_update_handled(21)
        assert await tx.last_update_id() == 21
    async with storage.transaction() as tx:
        # kept for a week to look into, then forgotten like handled updates
        assert await tx.purge_set_aside_updates(NOW - timedelta(days=7)) == 0
        assert await tx.purge_set_aside_updates(NOW + timedelta(seconds=1)) == 1
        assert await tx.last_update_id() == 21
