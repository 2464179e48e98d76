"""Bad input never stops the bot: poison updates and hostile webhook requests, through the real
`relais run` process in webhook mode, its database and the Telegram emulator."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import sqlite3
import time
from pathlib import Path
from typing import Any

from bot.testing.phone import Phone
from bot.testing.relais_process import RelaisProcess
from bot.testing.telegram_emulator import TelegramEmulator

AMINA = 5001
JOHN = 5002
SECRET = "s3cret-token-of-the-webhook-e2e-tests"
APOLOGY = "Désolé, quelque chose n'a pas marché."
TRIES = 3  # bot.channels.telegram.UPDATE_TRIES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Webhook:
    """The bot in webhook mode, and a client that posts to it as anyone would."""

    def __init__(self, emulator: TelegramEmulator, relais_factory: Any) -> None:
        self.emulator = emulator
        self.port = _free_port()
        self.bot: RelaisProcess = relais_factory(
            extra_env={
                "RELAIS_TELEGRAM_MODE": "webhook",
                "RELAIS_WEBHOOK_SECRET": SECRET,
                "RELAIS_WEBHOOK_URL": f"http://127.0.0.1:{self.port}/telegram",
                "RELAIS_WEBHOOK_PORT": str(self.port),
            },
            start=False,
        )
        self.start()

    def start(self) -> None:
        """Start the process and wait until it has registered its webhook."""
        started = self.bot.logs().count("webhook listening")
        self.bot.start()
        self.emulator.wait_until(
            lambda: self.bot.logs().count("webhook listening") > started,
            timeout=30,
            message="the webhook did not start",
        )

    def post(self, body: bytes | dict[str, Any], secret: str | bytes = SECRET) -> int:
        """POST a body (raw bytes, or a dict sent as JSON) with this secret header; the status."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        for _ in range(100):
            try:
                return self._post(data, secret)
            except ConnectionRefusedError:
                time.sleep(0.1)  # the server is still starting
        raise AssertionError("the webhook server never answered")

    def _post(self, data: bytes, secret: str | bytes) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("POST", "/telegram")
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(data)))
            # bytes go out as they are: a header that is not UTF-8 can be sent
            connection.putheader("X-Telegram-Bot-Api-Secret-Token", secret)
            connection.endheaders(data)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()


def journal_row(database: Path, update_id: int) -> dict[str, Any]:
    """The update's row in the journal ({} when absent)."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.row_factory = sqlite3.Row
        row = db.execute(
            "SELECT update_id, payload, handled_at, attempts, set_aside_at FROM update_journal"
            " WHERE update_id = ?",
            (update_id,),
        ).fetchone()
    return dict(row) if row else {}


def refuse_to_mark_handled(database: Path, update_id: int) -> None:
    """A storage fault: the database refuses to mark this update handled, so both its handling
    and its apology fail, whatever the payload (the apology itself no longer fails on input)."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute(
            f"CREATE TRIGGER refuse_{update_id} BEFORE UPDATE OF handled_at ON update_journal"
            f" WHEN NEW.update_id = {update_id} BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )
        db.commit()


def test_a_poison_update_is_set_aside_and_the_queue_goes_on_across_restarts(
    emulator: TelegramEmulator, relais_factory, tmp_path: Path
) -> None:
    hook = Webhook(emulator, relais_factory)
    database = tmp_path / "relais.sqlite3"
    refuse_to_mark_handled(database, 20)
    assert hook.post({"update_id": 20, "message": "x"}) == 200
    emulator.wait_until(
        lambda: journal_row(database, 20).get("attempts", 0) >= 1, message="no try counted"
    )
    # a crash between two tries: the count is kept, the update is not tried forever
    hook.bot.kill()
    emulator.send_text(AMINA, "/start")
    hook.start()
    Phone(emulator, AMINA).play("< Choose your language.", timeout=60)
    row = journal_row(database, 20)
    assert row["attempts"] == TRIES
    assert row["set_aside_at"] is not None and row["handled_at"] is None
    assert json.loads(row["payload"]) == {"update_id": 20, "message": "x"}  # kept to look into
    logs = hook.bot.logs()
    assert f"update 20 set aside after {TRIES} tries" in logs
    # after another restart the set-aside update stays aside and everyone is answered
    assert hook.bot.stop() == 0
    hook.start()
    emulator.send_text(JOHN, "/start", first_name="John", language_code="en")
    emulator.wait_for_text(JOHN, "Choose your language.", timeout=30)
    assert journal_row(database, 20)["attempts"] == TRIES
    assert hook.bot.logs().count("set aside") == 1


def test_malformed_updates_get_an_apology_when_possible_and_never_block(
    emulator: TelegramEmulator, relais_factory, tmp_path: Path
) -> None:
    hook = Webhook(emulator, relais_factory)
    Phone(emulator, AMINA).play("> /start\n< Choose your language.")
    hostile: list[dict[str, Any]] = [
        {"update_id": 20, "message": "x"},
        {"update_id": 21, "message": {"chat": "x", "from": 7}},
        {
            "update_id": 22,
            "callback_query": {
                "id": {"a": 1},
                "from": [],
                "message": {"chat": {"id": "abc", "type": "private"}},
            },
        },
        {"update_id": 23, "message": {"chat": {"id": True, "type": "private"}}},
        {"update_id": 24, "message": {"chat": {"id": 2**80, "type": "private"}}},
        {"update_id": 25, "callback_query": {"id": 7, "message": []}},
        # a real chat: the person is told something went wrong, in French by default
        {
            "update_id": 26,
            "message": {"chat": {"id": AMINA, "type": "private"}, "from": {"language_code": 5}},
        },
    ]
    for payload in hostile:
        assert hook.post(payload) == 200
    emulator.wait_for_text(AMINA, APOLOGY, timeout=30)
    Phone(emulator, JOHN, language_code="en").play("> /start\n< Choose your language.")
    database = tmp_path / "relais.sqlite3"
    for payload in hostile:
        row = journal_row(database, payload["update_id"])
        assert row["handled_at"] is not None, payload
        assert row["payload"] is None, payload
    # nothing odd reached the outbox: the only messages sent are to real chats
    chats = {call["chat_id"] for call in emulator.calls_to("sendMessage")}
    assert chats == {AMINA, JOHN}
    assert "outbox" not in hook.bot.logs()


BAD_BODIES = {
    "update_id 2**70": b'{"update_id": 1180591620717411303424}',
    "update_id 1e400": b'{"update_id": 1e400}',
    "update_id 2**63": b'{"update_id": 9223372036854775808}',
    "update_id -1": b'{"update_id": -1}',
    "update_id true": b'{"update_id": true}',
    "update_id 1.0": b'{"update_id": 1.0}',
    "update_id as text": b'{"update_id": "5"}',
    "no update_id": b'{"message": {}}',
    "an array": b"[1, 2]",
    "200,000-deep nesting": b"[" * 200_000 + b"]" * 200_000,
    "deep nesting in an update": b'{"update_id": 5, "x": ' + b"[" * 500 + b"]" * 500 + b"}",
    "not JSON": b"update_id=5",
    "not UTF-8": b'{"update_id": 5, "x": "\xff\xfe"}',
    "empty": b"",
}


def test_hostile_webhook_requests_are_refused_with_a_line_at_most(
    emulator: TelegramEmulator, relais_factory, tmp_path: Path
) -> None:
    hook = Webhook(emulator, relais_factory)
    before = hook.bot.logs().count("\n")
    for name, body in BAD_BODIES.items():
        assert hook.post(body) == 400, name
    after_400 = hook.bot.logs().count("\n")
    assert after_400 - before <= len(BAD_BODIES)
    # unauthenticated: refused before the body is read, and a flood does not flood the logs
    for secret in ("wrong", b"\xff\xfe\xfd", b"s3cret-\xe9", SECRET[:-1], ""):
        for body in BAD_BODIES.values():
            assert hook.post(body, secret=secret) == 403, (secret, body[:20])
    assert hook.bot.logs().count("\n") - after_400 <= 1
    logs = hook.bot.logs()
    assert "Traceback" not in logs
    assert "Error handling request" not in logs
    # nothing was journaled, and the bot answers as before
    with contextlib.closing(sqlite3.connect(tmp_path / "relais.sqlite3")) as db:
        assert db.execute("SELECT COUNT(*) FROM update_journal").fetchone()[0] == 0
    Phone(emulator, AMINA).play("> /start\n< Choose your language.")
