"""python-telegram-bot's calls on aiohttp keep its meaning: answers as bytes, a form or a
multipart upload as the Bot API reads them, TimedOut and NetworkError when the server is slow
or away (the runtime retries both, bot.channels.sender)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram_http import AiohttpRequest


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    """A loopback server that says what it received; /slow answers after 2 s."""
    received: list[dict[str, object]] = []

    async def echo(request: web.Request) -> web.Response:
        if request.content_type == "multipart/form-data":
            parts: dict[str, object] = {}
            async for part in await request.multipart():
                data = await part.read()  # type: ignore[union-attr]
                parts[part.name or ""] = (part.filename, data)  # type: ignore[union-attr]
            received.append(parts)
        else:
            received.append(dict(await request.post()))
        return web.json_response({"ok": True, "result": True})

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/echo", echo)
    app.router.add_post("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", received
    finally:
        await runner.cleanup()


async def test_a_message_goes_as_the_form_python_telegram_bot_makes(server) -> None:
    url, received = server
    async with AiohttpRequest() as request:
        data = RequestData(
            [
                RequestParameter.from_input("chat_id", 7),
                RequestParameter.from_input("text", "Bonjour Amina 👋 مرحبا"),
                RequestParameter.from_input(
                    "reply_markup", {"inline_keyboard": [[{"text": "Oui", "callback_data": "1"}]]}
                ),
            ]
        )
        status, body = await request.do_request(f"{url}/echo", "POST", data)
    assert status == 200 and json.loads(body)["ok"] is True
    sent = received[0]
    assert sent["chat_id"] == "7" and sent["text"] == "Bonjour Amina 👋 مرحبا"
    assert json.loads(str(sent["reply_markup"]))["inline_keyboard"][0][0]["text"] == "Oui"


async def test_a_document_goes_as_a_multipart_upload(server) -> None:
    url, received = server
    async with AiohttpRequest() as request:
        data = RequestData(
            [
                RequestParameter.from_input("chat_id", 7),
                RequestParameter.from_input(
                    "document", InputFile(b"%PDF-1.7 cv", filename="CV Олена Амина.pdf")
                ),
            ]
        )
        status, _ = await request.do_request(f"{url}/echo", "POST", data)
    assert status == 200
    parts = received[0]
    assert parts["chat_id"] == (None, b"7")  # a field, not a file
    assert parts["document"] == ("CV Олена Амина.pdf", b"%PDF-1.7 cv")


async def test_a_slow_server_is_a_timeout(server) -> None:
    url, _ = server
    async with AiohttpRequest() as request:
        with pytest.raises(TimedOut):
            await request.do_request(f"{url}/slow", "POST", read_timeout=0.2)


async def test_no_server_is_a_network_error_that_does_not_quote_the_address() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    # nobody listens there now; the URL of a real call holds the bot's token
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as raised:
            await request.do_request(f"http://127.0.0.1:{port}/bot123:SECRET/getMe", "POST")
    assert "SECRET" not in str(raised.value)
