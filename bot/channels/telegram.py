"""Telegram channel: a thin adapter of the shared runtime (bot.channels.runtime).

It receives updates (long polling, or a webhook) and hands them to the runtime's journal before
acknowledging them (polling: the next getUpdates offset; webhook: the HTTP 200); it turns a
journaled update into an event, a planned call into a Bot API call, and python-telegram-bot's
errors into the channel error tree. Journal, handling, outbox and retries are the runtime's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import replace
from datetime import timedelta
from typing import Any

from aiohttp import web
from telegram import (
    BotCommand,
    ChatMemberUpdated,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest as TelegramBadRequest
from telegram.error import Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.error import RetryAfter as TelegramRetryAfter
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ExtBot

from bot.channels import protocol, telegram_calls
from bot.channels.payloads import reply_target
from bot.channels.protocol import (
    KEEP_ID,
    Capabilities,
    Journaled,
    PlannedCall,
    Received,
    Target,
)
from bot.channels.runtime import Runtime
from bot.channels.telegram_calls import COMMANDS
from bot.channels.telegram_http import AiohttpRequest
from bot.channels.telegram_updates import (
    ALLOWED_UPDATES,
    minimal_update,
    read_journaled,
    read_update,
    update_sender,
)
from bot.channels.telegram_webhook import Webhook
from bot.core.clock import Clock, utc_now
from bot.schedule.scheduler import running_scheduler
from bot.service import Relais

__all__ = ["TelegramChannel"]

CHANNEL = "telegram"
TEXT_LIMIT = 4096
# nothing that matters to Relais's messages is limited but the text and the button data (a
# message may have 100 buttons; labels may be long); no list messages
CAPABILITIES = Capabilities(
    buttons_per_message=100,
    list_rows=0,
    label_length=None,
    data_length=64,
    text_length=TEXT_LIMIT,
    can_edit=True,
    direction_marks=True,
    joins_messages=True,
)

# Telegram's overall pace for a bot's messages
TELEGRAM_PER_SECOND = 30
# a broadcast keeps 29 a second: the one call a second left free goes to replies, which then
# wait for one call in the limiter at most, not for the broadcast's (bench/bench_broadcast.py)
BULK_PER_SECOND = TELEGRAM_PER_SECOND - 1

# a long poll waits `poll_timeout` for updates, then this long for the answer to arrive (what
# python-telegram-bot's get_updates adds: its request's read timeout, 5 s by default)
POLL_READ_MARGIN = 5.0

log = logging.getLogger("relais.telegram")


class TelegramChannel:
    """Runs Relais on Telegram, by long polling or webhook."""

    name = CHANNEL
    capabilities = CAPABILITIES

    def __init__(self, relais: Relais, clock: Clock = utc_now) -> None:
        self.relais = relais
        self.settings = relais.settings.telegram
        self.clock = clock
        builder = (
            ApplicationBuilder()
            .token(self.settings.token or "")
            .base_url(self.settings.api_url)
            .base_file_url(self.settings.api_url.replace("/bot", "/file/bot"))
            .updater(None)
            .job_queue(None)  # the process's scheduler wakes the sweeps (bot.schedule)
            # aiohttp rather than httpx: a quarter of the CPU per call (bot.channels.telegram_http)
            .request(AiohttpRequest())
            .get_updates_request(AiohttpRequest(pool_size=1))
        )
        # Telegram's pace (30 messages a second) for every call; a 429 on an outbox call comes
        # back at once, and the runtime makes that chat wait, `max_retries` times in place,
        # while the others go on (the limiter's own retries would hold every chat's calls
        # meanwhile). The few calls made outside the outbox retry in the limiter. Off
        # (`rate_limit = false`) for a self-hosted Bot API server, which has no such limit.
        # The pace is kept evenly, one call every 1/30 s, rather than 30 a second with bursts
        # of 30 on top (the limiter's bucket holds `overall_max_rate` calls): against an
        # emulator holding the bot to 30 in any second, bursts came back as 429s during a
        # broadcast of 2,000 (355, the rate at 86 % of 30/s, a bystander's answer at p95 2.3 s;
        # evenly: 2, 97 %, 0.17 s; bench/bench_broadcast.py). The cost: 30 people acting at
        # the same moment wait their turn (bench/bench_telegram.py 30, without a limit in the
        # emulator: median 0.73 -> 1.02 s, p95 1.11 -> 1.03 s).
        limiter = AIORateLimiter(
            overall_max_rate=1, overall_time_period=1 / TELEGRAM_PER_SECOND, max_retries=0
        )
        self.app: Application = (
            builder.rate_limiter(limiter).build() if self.settings.rate_limit else builder.build()
        )
        if self.settings.rate_limit:
            self.capabilities = replace(CAPABILITIES, bulk_per_second=BULK_PER_SECOND)
        self.runtime = Runtime(relais, self, clock, flood_retries=self.settings.max_retries)
        self._stopping = asyncio.Event()

    @property
    def _retries(self) -> int | None:
        # the limiter's retries of a 429 on a call made outside the outbox (None: no limiter,
        # which refuses rate_limit_args)
        return self.settings.max_retries if self.settings.rate_limit else None

    @property
    def bot(self) -> ExtBot:
        """The python-telegram-bot client."""
        return self.app.bot

    # -- the channel protocol ------------------------------------------------------------

    def receive(self, payload: dict[str, Any]) -> Received | None:
        """The event of a journaled update: a private message or button press, a member
        status change, or a group to refuse."""
        read = read_journaled(payload)
        if read is None:
            update = Update.de_json(payload, self.bot)
            member = update.my_chat_member
            if member is not None:
                return self._member_change(member)
            read = read_update(update)
        answer = None
        if read.query_id is not None:
            where = str(read.chat_id if read.chat_id is not None else read.query_user_id)
            answer = PlannedCall(where, "answerCallbackQuery", {"id": read.query_id})
        if read.chat_id is None or read.user_id is None or read.user_is_bot:
            return None if answer is None else Received("", answer.chat, None, acknowledge=answer)
        if read.chat_type != ChatType.PRIVATE:
            return Received(
                str(read.user_id),
                str(read.chat_id),
                None,
                read.language_code,
                acknowledge=answer,
                group=True,
            )
        pressed: dict[str, Any] = {}
        if read.pressed_id is not None:
            pressed = {"message_id": read.pressed_id, "text": read.pressed_text}
        return Received(
            str(read.user_id),
            str(read.chat_id),
            read.event,
            read.language_code,
            pressed,
            acknowledge=answer,
        )

    def _member_change(self, member: ChatMemberUpdated) -> Received | None:
        """The bot blocked or unblocked in a private chat, or added to a group."""
        where = str(member.chat.id)
        status = member.new_chat_member.status
        if member.chat.type == ChatType.PRIVATE:
            blocked = status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
            return Received(where, where, None, blocked=blocked)
        if status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR):
            language = member.from_user.language_code
            return Received(str(member.from_user.id), where, None, language, group=True)
        return None

    def target(self, payload: dict[str, Any]) -> Target:
        """Where to apologise for an update, whatever its shape."""
        found = reply_target(payload)
        answer = None
        if found.callback_id is not None:
            chat = str(found.chat_id or 0)
            answer = PlannedCall(chat, "answerCallbackQuery", {"id": found.callback_id})
        chat_id = None if found.chat_id is None else str(found.chat_id)
        return Target(chat_id, answer, found.language_code)

    def is_status(self, payload: dict[str, Any]) -> bool:
        """A chat member change (blocked, unblocked, added to a group): it costs nothing."""
        return "my_chat_member" in payload

    async def call(self, planned: PlannedCall) -> dict[str, Any] | None:
        """Make one Bot API call; Telegram's errors become the channel error tree."""
        try:
            answer = await telegram_calls.make(self.bot, planned, self.relais.catalogs)
        except TelegramRetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise protocol.RetryAfter(seconds) from None
        except Forbidden:
            raise protocol.Blocked("Forbidden") from None
        except TelegramBadRequest as exc:
            harmless = "not modified" in exc.message or "query is too old" in exc.message
            raise protocol.BadRequest(_reason(exc.message), harmless) from None
        except NetworkError as exc:
            raise protocol.Unavailable(type(exc).__name__) from None
        if planned.payload.get(KEEP_ID) and isinstance(answer, dict) and "message_id" in answer:
            # a message Relais will edit later (an offer's progress): its id, kept in the outbox
            return {"message_id": int(answer["message_id"])}
        return None

    # -- the runtime, for callers that drive it by hand (tests) ---------------------------

    async def journal(self, payloads: list[dict[str, Any]]) -> None:
        """Record raw updates durably (only what Relais reads), then wake their handling."""
        await self.runtime.journal(
            Journaled(int(p["update_id"]), update_sender(p), minimal_update(p)) for p in payloads
        )

    async def process_pending(self) -> None:
        """Handle every journaled update now."""
        await self.runtime.process_pending()

    async def drain(self) -> None:
        """Send every due outbox item now."""
        await self.runtime.drain()

    # -- life cycle ----------------------------------------------------------------------

    async def run(self) -> None:
        """Start, serve until SIGINT/SIGTERM, then stop cleanly."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, self._stopping.set)
        if not await self._connect():
            return
        log.info("connected to the Bot API as bot id=%s", self.bot.id)
        self.relais.desk.bot_username = self.bot.username or ""
        await self._set_commands()
        runner = None
        try:
            async with (
                self.runtime.running(),
                running_scheduler(self.relais, self.clock, self.runtime),
            ):
                try:
                    if self.settings.mode == "webhook":
                        runner = await self._start_webhook()
                        await self._stopping.wait()
                    else:
                        await self.bot.delete_webhook(rate_limit_args=self._retries)
                        await self._poll()
                finally:
                    self._stopping.set()
                    if runner is not None:
                        await runner.cleanup()
        finally:
            await self.app.shutdown()
            log.info("stopped")

    async def _connect(self) -> bool:
        """Reach the Bot API, waiting out network trouble; False if stopped meanwhile.

        A refused token raises InvalidToken: waiting would not help.
        """
        delay = 1.0
        while not self._stopping.is_set():
            try:
                await self.app.initialize()
                return True
            except InvalidToken:
                raise
            except NetworkError as exc:
                log.warning(
                    "cannot reach the Bot API (%s), retry in %.0f s", type(exc).__name__, delay
                )
                await self._sleep(delay)
                delay = min(delay * 2, 60.0)
        return False

    async def _set_commands(self) -> None:
        """Show the global commands in Telegram's menu, in every enabled language."""
        for code in self.relais.catalogs.languages:
            t = self.relais.catalogs.get(code)
            commands = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS.items()]
            try:
                await self.bot.set_my_commands(
                    commands,
                    language_code=None if code == "fr" else code,
                    rate_limit_args=self._retries,
                )
            except TelegramError as exc:
                log.warning("setMyCommands failed: %s", type(exc).__name__)

    # -- receiving -----------------------------------------------------------------------

    async def _poll(self) -> None:
        """Long polling; an update is acknowledged (next offset) only once journaled."""
        async with self.relais.storage.transaction() as tx:
            last = await tx.last_update_id(channel=CHANNEL)
        offset = last + 1 if last is not None else None
        failures = 0
        while not self._stopping.is_set():
            fetch = asyncio.create_task(self._get_updates(offset))
            stop = asyncio.create_task(self._stopping.wait())
            done, _ = await asyncio.wait({fetch, stop}, return_when=asyncio.FIRST_COMPLETED)
            if fetch not in done:
                fetch.cancel()
                with contextlib.suppress(BaseException):
                    await fetch
                break
            stop.cancel()
            try:
                updates = fetch.result()
            except (NetworkError, TelegramRetryAfter) as exc:
                failures += 1
                delay = (
                    exc.retry_after if isinstance(exc, TelegramRetryAfter) else min(2**failures, 30)
                )
                log.warning("getUpdates failed (%s), retry in %ss", type(exc).__name__, delay)
                await self._sleep(float(delay if isinstance(delay, int | float) else 5))
                continue
            failures = 0
            if updates:
                await self.journal(updates)
                offset = max(int(u["update_id"]) for u in updates) + 1

    async def _get_updates(self, offset: int | None) -> list[dict[str, Any]]:
        """getUpdates, as the JSON objects Telegram sent: they are journaled as dicts, so
        python-telegram-bot's own get_updates would build objects only to turn them back into
        dicts (most of the CPU of reading an update)."""
        timeout = self.settings.poll_timeout
        result = await self.bot.do_api_request(
            "getUpdates",
            api_kwargs={"offset": offset, "timeout": timeout, "allowed_updates": ALLOWED_UPDATES},
            read_timeout=timeout + POLL_READ_MARGIN,
        )
        # Telegram's answer is a list of update objects; anything else fails here, as it
        # failed in python-telegram-bot's get_updates
        if not isinstance(result, list) or not all(isinstance(u, dict) for u in result):
            raise TypeError("getUpdates did not answer a list of updates")
        return result

    async def _start_webhook(self) -> web.AppRunner:
        """Serve the webhook, then tell Telegram where it is."""
        runner = await Webhook(self.settings, self.journal).start()
        s = self.settings
        await self.bot.set_webhook(
            rate_limit_args=self._retries,
            url=s.webhook_url or "",
            secret_token=s.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        return runner

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)


def _reason(message: str) -> str:
    # Telegram's error descriptions never carry message text, but keep them short anyway
    return message.split(":")[0][:80]
