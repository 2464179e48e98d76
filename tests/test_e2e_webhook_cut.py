"""A webhook request whose body never fully arrives (the connection is cut midway, as a network
fault does) leaves one log line, not a traceback, and the bot goes on answering. The real
`relais run` process in webhook mode, the Telegram emulator."""

from __future__ import annotations

import socket

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_hardening import AMINA, SECRET, Webhook


def test_a_body_cut_midway_is_one_line_and_nothing_else(
    emulator: TelegramEmulator, relais_factory
) -> None:
    hook = Webhook(emulator, relais_factory)
    assert hook.post(b"not an update") == 400  # the server is up
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", hook.port), timeout=5) as cut:
            cut.sendall(
                b"POST /telegram HTTP/1.1\r\nHost: relais\r\n"
                + f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n".encode()
                + b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                + b'{"update_id": 1'
            )
    emulator.wait_until(
        lambda: (
            hook.bot.logs().count("Error handling request")
            + hook.bot.logs().count("before the whole body arrived")
            >= 3
        ),
        message="the cut requests were not seen",
    )
    logs = hook.bot.logs()
    assert "Traceback" not in logs
    assert logs.count("before the whole body arrived") == 3
    Phone(emulator, AMINA).play("> /start\n< Choose your language.")
