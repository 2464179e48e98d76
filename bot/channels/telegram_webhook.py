"""Telegram's webhook, served by aiohttp: an update is answered 200 only once journaled, so
Telegram resends whatever was not stored; requests without the secret are refused."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.channels.payloads import parse_update
from bot.config import TelegramSettings

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024

log = logging.getLogger("relais.telegram")


class Webhook:
    """The HTTP endpoint Telegram posts updates to."""

    def __init__(
        self,
        settings: TelegramSettings,
        journal: Callable[[list[dict[str, Any]]], Awaitable[None]],
    ) -> None:
        self.settings = settings
        self.journal = journal
        self._refusal_logged = False

    async def start(self) -> web.AppRunner:
        """Listen on the configured address and path."""
        s = self.settings
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(s.webhook_path, self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, s.webhook_listen, s.webhook_port).start()
        log.info("webhook listening on %s:%s%s", s.webhook_listen, s.webhook_port, s.webhook_path)
        return runner

    async def handle(self, request: web.Request) -> web.Response:
        """Journal a signed update, then answer 200; refuse anything else."""
        if not self.signed(request):
            # anyone can knock: one line for the first refusal, then silence, so that a flood
            # cannot fill the disk (Telegram's getWebhookInfo shows a wrong secret anyway)
            if not self._refusal_logged:
                self._refusal_logged = True
                log.warning("webhook: refused a request without the secret (403); not logged again")
            return web.Response(status=403)
        try:
            body = await request.read()
        except ConnectionError:
            # the sender hung up mid-body (a network fault): nothing to journal, Telegram
            # sends the update again; one line, not aiohttp's traceback
            log.warning("webhook: the connection was lost before the whole body arrived")
            return web.Response(status=400)
        payload = parse_update(body)
        if payload is None:
            # only a holder of the secret gets here: one line per request is bounded by them
            log.warning("webhook: refused a body that is not an update (400)")
            return web.Response(status=400)
        # 200 only after the journal commit: Telegram resends anything we did not accept
        await self.journal([payload])
        return web.Response(status=200)

    def signed(self, request: web.Request) -> bool:
        """Whether the request carries the webhook secret (compared in constant time)."""
        # a header that is not UTF-8 arrives with its bad bytes escaped: compare the bytes
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        expected = (self.settings.webhook_secret or "").encode()
        return bool(expected) and hmac.compare_digest(given, expected)
