"""The Telegram emulator, checked with the real python-telegram-bot client over HTTP."""

from __future__ import annotations

import asyncio
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.testing.relais_process import RelaisProcess
from bot.testing.telegram_emulator import TelegramEmulator

ANA = 42
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture
def emu() -> Iterator[TelegramEmulator]:
    """A started emulator (the e2e `emulator` fixture may not be imported by conftest)."""
    with TelegramEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    """A real python-telegram-bot client talking to the emulator."""
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        yield client


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row of callback buttons."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


def raw_post(emu: TelegramEmulator, method: str, body: bytes, content_type: str) -> Any:
    """POST a hand-made body, the way a client other than python-telegram-bot would."""
    request = urllib.request.Request(
        f"{emu.base_url}{emu.token}/{method}", data=body, headers={"Content-Type": content_type}
    )
    with NO_PROXY.open(request, timeout=5) as response:
        return json.loads(response.read())


async def test_get_me_answers_as_the_bot(emu: TelegramEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == emu.bot_id
    assert me.is_bot
    assert me.username == "relais_test_bot"
    assert emu.calls[0][0] == "getMe"


async def test_wrong_token_and_unknown_method(emu: TelegramEmulator, bot: Bot) -> None:
    with pytest.raises(InvalidToken, match="rejected"):
        async with Bot("123:wrong", base_url=emu.base_url):
            pass
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": ANA})


async def test_send_message_round_trips_the_inline_keyboard(
    emu: TelegramEmulator, bot: Bot
) -> None:
    emu.send_text(ANA, "/start")
    markup = keyboard(("Oui", "yes"), ("Non", "no"))
    sent = await bot.send_message(ANA, "Êtes-vous prêt ?", reply_markup=markup)
    assert sent.text == "Êtes-vous prêt ?"
    assert sent.reply_markup == markup
    assert sent.from_user is not None and sent.from_user.id == emu.bot_id
    assert sent.chat.id == ANA and sent.chat.type == "private"
    assert sent.message_id == 2  # the person's /start is message 1 of the chat
    stored = emu.last_message(ANA)
    assert stored["reply_markup"] == markup.to_dict()
    assert emu.calls_to("sendMessage")[-1]["reply_markup"] == markup.to_dict()
    assert emu.calls_to("sendMessage")[-1]["chat_id"] == ANA
    again = await bot.send_message(ANA, "Encore")
    assert again.message_id == 3 and again.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(7, "À qui ?")


async def test_get_updates_offset_acknowledges_for_good(emu: TelegramEmulator, bot: Bot) -> None:
    ids = [emu.send_text(ANA, text) for text in ("/start", "deux", "trois")]
    assert ids == sorted(ids) and len(set(ids)) == 3 and ids[0] >= 100_000
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == ids
    first = updates[0].message
    assert first is not None and first.text == "/start"
    assert first.entities[0].type == "bot_command" and first.entities[0].length == 6
    assert [u.update_id for u in await bot.get_updates()] == ids  # nothing acknowledged yet
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert [u.update_id for u in await bot.get_updates()] == ids[1:]  # the first is gone
    assert [u.update_id for u in await bot.get_updates(limit=1)] == ids[1:2]
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    assert emu.pending_updates == []


async def test_long_poll_returns_as_soon_as_someone_writes(emu: TelegramEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=60))
    await asyncio.to_thread(emu.wait_until, lambda: emu.calls_to("getUpdates"))
    update_id = emu.send_text(ANA, "Bonjour")
    updates = await asyncio.wait_for(poll, timeout=10)  # far less than the 60 s poll
    assert [u.update_id for u in updates] == [update_id]
    assert await bot.get_updates(offset=update_id + 1, timeout=1) == ()  # empty poll expires


async def test_a_second_poller_terminates_the_first(emu: TelegramEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.to_thread(emu.wait_until, lambda: emu.calls_to("getUpdates"))
    async with Bot(emu.token, base_url=emu.base_url) as second_instance:
        assert await second_instance.get_updates() == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, timeout=10)


async def test_press_answer_and_edit(emu: TelegramEmulator, bot: Bot) -> None:
    emu.send_text(ANA, "/start")
    buttons = keyboard(("✅ Oui", "y"), ("Non", "n"))
    sent = await bot.send_message(ANA, "Prêt ?", reply_markup=buttons)
    emu.press_button(ANA, "Oui")
    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert query is not None and query.data == "y"
    assert query.from_user.id == ANA and query.message is not None
    assert query.message.message_id == sent.message_id
    assert query.message.reply_markup == sent.reply_markup

    await query.answer()
    assert emu.answered_callbacks == [query.id]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()

    edited = await bot.edit_message_text("Prêt ? ✅ Oui", chat_id=ANA, message_id=sent.message_id)
    assert edited is not True and edited.text == "Prêt ? ✅ Oui" and edited.reply_markup is None
    assert emu.messages(ANA)[0]["text"] == "Prêt ? ✅ Oui"
    assert "reply_markup" not in emu.messages(ANA)[0]  # an edit without markup drops it
    assert emu.calls_to("editMessageText")[-1]["message_id"] == sent.message_id
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Prêt ? ✅ Oui", chat_id=ANA, message_id=sent.message_id)

    again = keyboard(("Re", "r"))
    await bot.edit_message_reply_markup(ANA, sent.message_id, reply_markup=again)
    assert emu.last_message(ANA)["reply_markup"] == again.to_dict()
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(ANA, sent.message_id, reply_markup=again)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("?", chat_id=ANA, message_id=999)
    with pytest.raises(AssertionError, match=r"no button containing 'Peut-être'.*\[Re\]"):
        emu.press_button(ANA, "Peut-être")


async def test_text_and_button_limits(emu: TelegramEmulator, bot: Bot) -> None:
    emu.send_text(ANA, "/start")
    await bot.send_message(ANA, "x" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ANA, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(ANA, "  \n ")
    await bot.send_message(ANA, "64 bytes", reply_markup=keyboard(("é", "é" * 32)))
    for data in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(ANA, "too big", reply_markup=keyboard(("Big", data)))
    no_text = {"inline_keyboard": [[{"callback_data": "x"}]]}
    body = json.dumps({"chat_id": ANA, "text": "?", "reply_markup": no_text}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        raw_post(emu, "sendMessage", body, "application/json")
    assert refused.value.code == 400
    assert '"text\\" must be of type String' in refused.value.read().decode()
    assert len(emu.messages(ANA)) == 2  # refused messages are not delivered


async def test_fail_next_429_gives_retry_after(
    emu: TelegramEmulator, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # retry_after as a timedelta, no warning
    emu.send_text(ANA, "/start")
    emu.fail_next("sendMessage", times=2, kind="429", retry_after=3)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ANA, "Bonjour")
        assert caught.value.retry_after == timedelta(seconds=3)
    await bot.send_message(ANA, "Bonjour")
    assert [m["text"] for m in emu.messages(ANA)] == ["Bonjour"]
    assert len(emu.calls_to("sendMessage")) == 3


async def test_fail_next_500_403_and_disconnect(emu: TelegramEmulator, bot: Bot) -> None:
    emu.send_text(ANA, "/start")
    emu.fail_next("sendMessage", kind="500")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(ANA, "un")
    emu.fail_next("sendMessage", kind="403")
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(ANA, "deux")
    emu.fail_next("sendMessage", kind="disconnect")
    with pytest.raises(NetworkError):
        await bot.send_message(ANA, "trois")
    emu.fail_next("sendMessage", kind="500", chat_id=ANA + 1)  # another chat: not this one
    await bot.send_message(ANA, "quatre")
    assert [m["text"] for m in emu.messages(ANA)] == ["quatre"]


async def test_an_outage_keeps_the_url_and_the_state(emu: TelegramEmulator, bot: Bot) -> None:
    emu.send_text(ANA, "/start")
    url = emu.base_url
    emu.stop()
    with pytest.raises(NetworkError):
        await bot.send_message(ANA, "Allô ?")
    emu.start()
    assert emu.base_url == url
    await bot.send_message(ANA, "Re")
    assert [u.message.text for u in await bot.get_updates()] == ["/start"]
    assert [m["text"] for m in emu.messages(ANA)] == ["Re"]


@pytest.mark.parametrize("delivered", [True, False])
async def test_fail_next_timeout(emu: TelegramEmulator, delivered: bool) -> None:
    emu.send_text(ANA, "/start")
    request = HTTPXRequest(read_timeout=0.3)
    async with Bot(emu.token, base_url=emu.base_url, request=request) as impatient:
        emu.fail_next("sendMessage", kind="timeout", delay=1.5, delivered=delivered)
        with pytest.raises(TimedOut):
            await impatient.send_message(ANA, "Rappel")
        await impatient.send_message(ANA, "Suite")
    expected = ["Rappel", "Suite"] if delivered else ["Suite"]
    assert [m["text"] for m in emu.messages(ANA)] == expected


async def test_blocked_bot_gets_forbidden_until_unblocked(emu: TelegramEmulator, bot: Bot) -> None:
    emu.send_text(ANA, "/start")
    blocked = emu.block_bot(ANA)
    updates = await bot.get_updates()
    change = updates[-1].my_chat_member
    assert updates[-1].update_id == blocked and change is not None
    assert change.chat.id == ANA and change.chat.type == "private"
    assert change.old_chat_member.status == "member"
    assert change.new_chat_member.status == "kicked"
    assert change.new_chat_member.user.id == emu.bot_id
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ANA, "Toujours là ?")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_chat_action(ANA, "typing")
    emu.send_text(ANA, "/start")  # writing again means unblocking first, as on Telegram
    kinds = [
        u.my_chat_member.new_chat_member.status if u.my_chat_member else u.message.text
        for u in await bot.get_updates(offset=blocked + 1)
        if u.my_chat_member or u.message
    ]
    assert kinds == ["member", "/start"]
    await bot.send_message(ANA, "Re-bonjour")


async def test_send_document_multipart_stores_the_file(emu: TelegramEmulator, bot: Bot) -> None:
    emu.send_text(ANA, "/start")
    data = bytes(range(256)) * 8 + b"\r\n--boundary-like\r\n\r\n"
    name = "CV « Ana ».pdf"
    sent = await bot.send_document(ANA, document=data, filename=name, caption="Votre CV")
    assert sent.document is not None and sent.document.file_name == "CV « Ana ».pdf"
    assert sent.caption == "Votre CV"
    [document] = emu.documents(ANA)
    assert document["data"] == data and document["file_name"] == "CV « Ana ».pdf"
    assert document["message_id"] == sent.message_id
    assert emu.calls_to("sendDocument")[-1]["document"]["size"] == len(data)
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == data


async def test_media_from_people_are_real_telegram_objects(emu: TelegramEmulator, bot: Bot) -> None:
    kinds = ["sticker", "photo", "voice", "document", "location", "contact"]
    for kind in kinds:
        emu.send_media(ANA, kind)
    messages = [u.message for u in await bot.get_updates()]
    for kind, message in zip(kinds, messages, strict=True):
        assert message is not None and getattr(message, kind), kind
        assert message.text is None
    assert messages[0].sticker.emoji == "👍"
    assert len(messages[1].photo) == 3
    assert messages[4].location.latitude > 0
    assert messages[5].contact.user_id == ANA
    file = await bot.get_file(messages[3].document.file_id)
    assert (await file.download_as_bytearray()).startswith(b"%PDF")
    with pytest.raises(ValueError, match="kind must be"):
        emu.send_media(ANA, "hologram")


async def test_groups_and_profiles(emu: TelegramEmulator, bot: Bot) -> None:
    added = emu.add_bot_to_group(-1001, ANA)
    emu.send_group_text(-1001, ANA, "/menu@relais_test_bot")
    updates = await bot.get_updates()
    assert updates[0].update_id == added
    change = updates[0].my_chat_member
    assert change is not None and change.chat.type == "group" and change.chat.id == -1001
    assert change.new_chat_member.status == "member"
    assert updates[1].message.new_chat_members[0].id == emu.bot_id
    command = updates[2].message
    assert command.chat.type == "group" and command.entities[0].length == len(command.text)
    await bot.send_message(-1001, "Écrivez-moi en privé.")
    assert await bot.leave_chat(-1001)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(-1001, "Encore ?")

    emu.send_text(7, "salam", first_name="Karim", language_code="ar", username="karim")
    emu.send_text(7, "?")
    last = (await bot.get_updates(offset=updates[-1].update_id + 1))[-1].message
    assert last.from_user.first_name == "Karim" and last.from_user.language_code == "ar"
    chat = await bot.get_chat(7)
    assert chat.first_name == "Karim" and chat.username == "karim"


async def test_json_form_and_get_requests(emu: TelegramEmulator) -> None:
    emu.send_text(ANA, "/start")
    markup = {"inline_keyboard": [[{"text": "Oui", "callback_data": "y"}]]}
    answer = raw_post(
        emu,
        "sendMessage",
        json.dumps({"chat_id": str(ANA), "text": "JSON", "reply_markup": markup}).encode(),
        "application/json",
    )
    assert answer["ok"] and answer["result"]["reply_markup"] == markup
    form = urllib.parse.urlencode(
        {"chat_id": ANA, "text": "123", "reply_markup": json.dumps(markup)}
    ).encode()
    answer = raw_post(emu, "SENDMESSAGE", form, "application/x-www-form-urlencoded")
    assert answer["result"]["text"] == "123"  # a number-like text stays text
    assert emu.calls_to("sendMessage")[-1]["reply_markup"] == markup
    with NO_PROXY.open(f"{emu.base_url}{emu.token}/getMe?x=1", timeout=5) as response:
        assert json.loads(response.read())["result"]["id"] == emu.bot_id


async def test_commands_webhook_info_and_allowed_updates(emu: TelegramEmulator, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("menu", "Voir le menu")], language_code="fr")
    assert emu.commands(language_code="fr") == [{"command": "menu", "description": "Voir le menu"}]
    assert [c.command for c in await bot.get_my_commands(language_code="fr")] == ["menu"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Menu!", "x")])
    await bot.delete_my_commands(language_code="fr")
    assert emu.commands(language_code="fr") == []

    emu.send_text(ANA, "/start")
    info = await bot.get_webhook_info()
    assert info.url == "" and info.pending_update_count == 1
    updates = await bot.get_updates(allowed_updates=["message"])
    emu.block_bot(ANA)  # my_chat_member is not allowed any more: Telegram drops it
    emu.send_text(ANA, "encore")
    later = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert [u.message.text for u in later] == ["encore"]


def test_wait_for_bot_messages_consumes_in_order(emu: TelegramEmulator) -> None:
    emu.send_text(ANA, "/start")
    for text in ("un", "deux", "trois"):
        raw_post(
            emu,
            "sendMessage",
            json.dumps({"chat_id": ANA, "text": text}).encode(),
            "application/json",
        )
    assert [m["text"] for m in emu.wait_for_bot_messages(ANA, 2)] == ["un", "deux"]
    assert [m["text"] for m in emu.unread(ANA)] == ["trois"]
    assert [m["text"] for m in emu.wait_for_bot_messages(ANA)] == ["trois"]
    with pytest.raises(AssertionError, match=r"(?s)got 0.*#1 Ana: /start.*#4 bot: trois"):
        emu.wait_for_bot_messages(ANA, timeout=0.2)
    for text in ("quatre", "cinq", "six"):
        raw_post(
            emu,
            "sendMessage",
            json.dumps({"chat_id": ANA, "text": text}).encode(),
            "application/json",
        )
    assert emu.wait_for_text(ANA, "inq")["text"] == "cinq"
    assert [m["text"] for m in emu.unread(ANA, consume=True)] == ["six"]
    assert emu.unread(ANA) == []
    with pytest.raises(AssertionError, match="no new bot message containing 'six'"):
        emu.wait_for_text(ANA, "six", timeout=0.2)
    with pytest.raises(AssertionError, match="the bot sent nothing"):
        emu.last_message(ANA + 1)


async def test_webhook_delivery_with_secret_and_retries(emu: TelegramEmulator, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(status=500 if len(received) == 1 else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        update_id = emu.send_text(ANA, "Bonjour")
        await asyncio.to_thread(emu.wait_until, lambda: not emu.pending_updates)
        assert [(secret, body["update_id"]) for secret, body in received] == [
            ("s3cret", update_id),
            ("s3cret", update_id),  # refused once, then delivered
        ]
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 0 and "500" in (info.last_error_message or "")
        await bot.delete_webhook()
        assert await bot.get_updates() == ()
    finally:
        await runner.cleanup()


ECHO_BOT = """
import os
from telegram.ext import ApplicationBuilder, MessageHandler, filters

async def echo(update, context):
    await update.message.reply_text("echo: " + update.message.text)

app = (ApplicationBuilder().token(os.environ["RELAIS_TELEGRAM_TOKEN"])
       .base_url(os.environ["RELAIS_TELEGRAM_API_URL"]).build())
app.add_handler(MessageHandler(filters.TEXT, echo))
print("echo bot up, database", os.environ["RELAIS_DATABASE"])
app.run_polling(timeout=int(os.environ["RELAIS_TELEGRAM_POLL_TIMEOUT"]))
"""


def test_relais_process_harness_runs_kills_and_restarts(
    emu: TelegramEmulator, tmp_path: Path
) -> None:
    # a tiny python-telegram-bot echo bot stands in for `relais run`, so the harness is tested
    # on its own, and the emulator against PTB's own polling loop
    script = tmp_path / "echo_bot.py"
    script.write_text(ECHO_BOT, encoding="utf-8")
    process = RelaisProcess(tmp_path, emu, command=[sys.executable, str(script)])
    process.start().wait_ready()
    try:
        emu.send_text(ANA, "coucou")
        assert emu.wait_for_bot_messages(ANA)[0]["text"] == "echo: coucou"
        process.kill()
        assert process.returncode == -9 and not process.running
        process.start().wait_ready()
        emu.send_text(ANA, "encore")
        emu.wait_until(lambda: "echo: encore" in [m["text"] for m in emu.messages(ANA)])
    finally:
        code = process.stop()
    assert code == 0, process.logs()
    logs = process.logs()
    assert logs.count("echo bot up, database " + str(tmp_path / "relais.sqlite3")) == 2
    assert "start #2" in logs
    assert emu.token not in logs
