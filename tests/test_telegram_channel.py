"""The Telegram channel in-process: a failing update is answered kindly and never blocks."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramChannel
from bot.config import load_settings
from bot.service import open_relais
from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.conftest import fixed_clock
from tests.test_storage import pending_of


async def test_a_bug_while_handling_an_update_gives_an_apology_and_the_queue_goes_on(
    tmp_path: Path, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(
        None,
        env={
            "RELAIS_DATABASE": str(tmp_path / "db.sqlite3"),
            "RELAIS_TELEGRAM_TOKEN": emulator.token,
            "RELAIS_TELEGRAM_API_URL": emulator.base_url,
        },
    )
    relais = await open_relais(settings, clock=fixed_clock)
    channel = TelegramChannel(relais)
    await channel.app.initialize()
    try:
        emulator.send_text(4242, "Je m'appelle Amina Benali")
        emulator.send_text(4242, "/start")
        first, second = emulator.pending_updates
        real_handle = relais.engine.handle

        def broken(state, event, world):
            if event.text.startswith("Je m'appelle"):
                raise RuntimeError(f"bug while reading {event.text}")
            return real_handle(state, event, world)

        relais.engine.handle = broken
        await channel.journal([first, second])
        with caplog.at_level(logging.INFO, logger="relais"):
            await channel.process_pending()
        await channel.drain()

        texts = [m["text"] for m in emulator.messages(4242)]
        assert texts[0].startswith("Désolé, quelque chose n'a pas marché.")
        assert texts[1].startswith("Choisissez votre langue.")
        assert "update" in caplog.text and "RuntimeError" in caplog.text
        assert "Amina" not in caplog.text
        async with relais.storage.transaction() as tx:
            assert await pending_of(tx) == []
    finally:
        await channel.app.shutdown()
        await relais.close()


async def test_skipping_a_strange_update_over_budget_never_raises(
    tmp_path: Path, emulator: TelegramEmulator
) -> None:
    settings = load_settings(
        None,
        env={
            "RELAIS_DATABASE": str(tmp_path / "db.sqlite3"),
            "RELAIS_TELEGRAM_TOKEN": emulator.token,
            "RELAIS_TELEGRAM_API_URL": emulator.base_url,
            "RELAIS_FAIRNESS_BURST": "1",
        },
    )
    relais = await open_relais(settings, clock=fixed_clock)
    channel = TelegramChannel(relais)
    await channel.app.initialize()
    try:
        emulator.send_text(4243, "/start")
        (first,) = emulator.pending_updates
        strange = {"update_id": first["update_id"] + 1, "message": {"from": {"id": 4243}}}
        odd = {"update_id": first["update_id"] + 2, "message": {"from": {"id": 4243}, "chat": 5}}
        await channel.journal([first, strange, odd])
        await channel.process_pending()
        await channel.drain()
        texts = [m["text"] for m in emulator.messages(4243)]
        assert texts[0].startswith("Choisissez votre langue.")  # within budget
        assert len(texts) == 1  # over budget with no private chat to write to: silence
        async with relais.storage.transaction() as tx:
            assert await pending_of(tx) == []
    finally:
        await channel.app.shutdown()
        await relais.close()


@pytest.mark.parametrize(("value", "limited"), [(None, True), ("1", True), ("0", False)])
async def test_the_rate_limiter_is_on_unless_turned_off(
    tmp_path: Path, emulator: TelegramEmulator, value: str | None, limited: bool
) -> None:
    env = {
        "RELAIS_DATABASE": str(tmp_path / "db.sqlite3"),
        "RELAIS_TELEGRAM_TOKEN": emulator.token,
        "RELAIS_TELEGRAM_API_URL": emulator.base_url,
    }
    if value is not None:
        env["RELAIS_TELEGRAM_RATE_LIMIT"] = value
    relais = await open_relais(load_settings(None, env=env), clock=fixed_clock)
    try:
        channel = TelegramChannel(relais)
        assert (channel.bot.rate_limiter is not None) is limited
    finally:
        await relais.close()


def test_without_the_rate_limiter_the_process_serves_as_usual(
    emulator: TelegramEmulator, relais_factory
) -> None:
    # a self-hosted Bot API server has no 30 messages/s limit: the calls made outside the
    # outbox (the command menu, deleting the webhook) must not ask a limiter for retries
    bot = relais_factory(extra_env={"RELAIS_TELEGRAM_RATE_LIMIT": "false"})
    Phone(emulator, 5101).play("> /start\n< Choose your language.\n> [Français]\n< d'accord ?")
    assert emulator.calls_to("setMyCommands")
    assert "rate_limit_args" not in bot.logs()
