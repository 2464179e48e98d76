"""Telegram channel: updates in through a journal, replies out through a durable outbox.

Every update is written to SQLite by update_id before it is acknowledged to Telegram (polling:
the next getUpdates offset; webhook: the HTTP 200), and handled in the same transaction that saves
the person's new state and queues the replies. A crash therefore loses nothing, handles nothing
twice, and at worst sends a reply that was in flight once more.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import signal
import traceback
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, ExtBot

from bot.channels.payloads import parse_update, reply_target
from bot.core.clock import Clock, utc_now
from bot.core.domain import EventKind, Inbound, Message, Reply
from bot.core.i18n import N_, Translator
from bot.desk.desk import TEAM_COMMANDS, about
from bot.fairness.budget import Budgets, Verdict
from bot.fairness.repeats import RepeatedDocument
from bot.fairness.turns import ChatTurns
from bot.privacy import erasure
from bot.reach.delivery import take_due
from bot.service import Relais
from bot.storage.database import OutboxItem, PendingUpdate, Tx

CHANNEL = "telegram"
TEXT_LIMIT = 4096
# edits of old messages are not asked for: an answer, once given, is changed with "back"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
MEDIA_KINDS = (
    "sticker",
    "photo",
    "voice",
    "video",
    "video_note",
    "audio",
    "document",
    "animation",
    "location",
    "contact",
    "poll",
    "dice",
    "venue",
    "story",
)
T_GROUP = N_("Relais marche seulement en conversation privée. Écrivez-moi directement.")
T_ERROR = N_("Désolé, quelque chose n'a pas marché. Réessayez dans un moment, s'il vous plaît.")
T_SLOW_DOWN = N_(
    "Doucement : j'ai reçu beaucoup de messages d'un coup. "
    "Attendez un petit moment, puis réessayez."
)
COMMANDS = {
    "menu": N_("Voir le menu"),
    "help": N_("Aide"),
    "language": N_("Changer de langue"),
    "stop": N_("Ne plus recevoir de messages"),
}
MAX_BACKOFF = 300.0
RLM = "\u200f"
SEND_CONCURRENCY = 16  # chats served at the same time
SHUTDOWN_GRACE = 10.0  # seconds to finish work in hand when asked to stop
UPDATE_TRIES = 3  # an update whose handling and apology fail this often is set aside
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SENDER_TURN = 2  # updates of one sender handled per round, so nobody waits behind a backlog
ROUND_SIZE = 64  # updates read per round
SEND_TURN = 4  # outbox items of one chat sent per turn before the other chats' turns

log = logging.getLogger("relais.telegram")


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut a long text into pieces Telegram accepts, at line breaks when possible."""
    text = text or "…"
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return [p for p in pieces if p] or ["…"]


def directed(message: Message) -> str:
    """The text to send: in a right-to-left language each line starts with a right-to-left mark.

    Telegram sets each paragraph's direction from its first strong letter, so a line opening
    with "/menu", a number or a French name would otherwise be laid out left to right.
    """
    if not message.rtl:
        return message.text
    return "\n".join(RLM + line for line in message.text.split("\n"))


def keyboard(message: Message) -> list[list[list[str]]]:
    """Buttons as JSON-ready rows of [label, callback data]."""
    return [[[b.label, b.data] for b in row] for row in message.buttons]


def markup(rows: list[list[list[str]]] | None) -> InlineKeyboardMarkup | None:
    """The inline keyboard of stored rows."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


MEDIA_MARK = "relais_media"  # in a journaled message: the kind of media it had, not the media
_USER_KEYS = ("id", "is_bot", "language_code")
_CHAT_KEYS = ("id", "type")
_ENTITY_KEYS = ("type", "offset", "length")


def minimal_update(payload: dict[str, Any]) -> dict[str, Any]:
    """The update as journaled: only what Relais reads (ids, chat type, language, text and
    commands, button data, the pressed message, media kinds, membership statuses); never the
    Telegram profile's names or username, nor what a photo, contact or location holds.

    A part that is not a JSON object is kept as it came: it cannot be read anyway.
    """
    out: dict[str, Any] = {"update_id": payload.get("update_id")}
    if "message" in payload:
        out["message"] = _minimal_message(payload["message"])
    if "callback_query" in payload:
        query = payload["callback_query"]
        if isinstance(query, dict):
            query = {k: query[k] for k in ("id", "chat_instance", "data") if k in query} | {
                k: f(query[k])
                for k, f in (("from", _minimal_user), ("message", _minimal_message))
                if k in query
            }
        out["callback_query"] = query
    if "my_chat_member" in payload:
        change = payload["my_chat_member"]
        if isinstance(change, dict):
            change = {k: change[k] for k in ("date",) if k in change} | {
                k: f(change[k])
                for k, f in (
                    ("chat", _minimal_chat),
                    ("from", _minimal_user),
                    ("old_chat_member", _minimal_member),
                    ("new_chat_member", _minimal_member),
                )
                if k in change
            }
        out["my_chat_member"] = change
    return out


def _pick(value: Any, keys: tuple[str, ...]) -> Any:
    return {k: value[k] for k in keys if k in value} if isinstance(value, dict) else value


def _minimal_user(user: Any) -> Any:
    # python-telegram-bot requires a first name: an empty one stands for it
    picked = _pick(user, _USER_KEYS)
    return {**picked, "first_name": ""} if isinstance(picked, dict) else picked


def _minimal_chat(chat: Any) -> Any:
    # a private chat carries the person's names and username: only its id and type are kept
    return _pick(chat, _CHAT_KEYS)


def _minimal_member(member: Any) -> Any:
    if not isinstance(member, dict):
        return member
    kept = {k: v for k, v in member.items() if k not in ("user", "custom_title")}
    return kept | ({"user": _minimal_user(member["user"])} if "user" in member else {})


def _minimal_message(message: Any) -> Any:
    if not isinstance(message, dict):
        return message
    out = {k: message[k] for k in ("message_id", "date", "text") if k in message}
    if "chat" in message:
        out["chat"] = _minimal_chat(message["chat"])
    if "from" in message:
        out["from"] = _minimal_user(message["from"])
    if isinstance(message.get("entities"), list):
        out["entities"] = [_pick(e, _ENTITY_KEYS) for e in message["entities"]]
    if "caption" in message:
        out["caption"] = ""  # only its presence is read
    kind = next((k for k in MEDIA_KINDS if message.get(k)), None)
    if kind is not None:
        out[MEDIA_MARK] = kind
    return out


def to_inbound(update: Update) -> Inbound | None:
    """The engine event of a private message or button press; None for anything else."""
    if update.callback_query is not None:
        data = update.callback_query.data
        return Inbound(EventKind.BUTTON, data=data) if data else None
    msg = update.message
    if msg is None:
        return None
    if msg.text is not None:
        entity = msg.entities[0] if msg.entities else None
        if entity and entity.type == MessageEntityType.BOT_COMMAND and entity.offset == 0:
            name = msg.text[1 : entity.length].split("@", 1)[0].lower()
            return Inbound(EventKind.COMMAND, command=name, text=msg.text[entity.length :].strip())
        return Inbound(EventKind.TEXT, text=msg.text)
    for kind in MEDIA_KINDS:
        if getattr(msg, kind, None) or msg.api_kwargs.get(MEDIA_MARK) == kind:
            return Inbound(EventKind.MEDIA, media=kind)
    if msg.caption is not None:
        return Inbound(EventKind.MEDIA, media="captioned")
    return None


class TelegramChannel:
    """Runs Relais on Telegram, by long polling or webhook."""

    def __init__(self, relais: Relais, clock: Clock = utc_now) -> None:
        self.relais = relais
        self.settings = relais.settings.telegram
        self.outbox_settings = relais.settings.outbox
        self.clock = clock
        self.app: Application = (
            ApplicationBuilder()
            .token(self.settings.token or "")
            .base_url(self.settings.api_url)
            .base_file_url(self.settings.api_url.replace("/bot", "/file/bot"))
            .rate_limiter(AIORateLimiter(max_retries=self.settings.max_retries))
            .updater(None)
            .build()
        )
        self._updates_ready = asyncio.Event()
        self._outbox_ready = asyncio.Event()
        self._stopping = asyncio.Event()
        self._senders = asyncio.Semaphore(SEND_CONCURRENCY)
        self._refusal_logged = False
        fairness = relais.settings.fairness
        self.budgets = Budgets(fairness.burst, fairness.per_second)
        self._turns = ChatTurns(
            self._due_turns,
            self._deliver_chat,
            lambda item: item.chat_id,
            SEND_CONCURRENCY,
            self._outbox_ready,
        )

    @property
    def bot(self) -> ExtBot:
        """The python-telegram-bot client."""
        return self.app.bot

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
        jobs = self.app.job_queue
        assert jobs is not None, "python-telegram-bot[job-queue] is a dependency"
        jobs.run_repeating(self._sweep, interval=self.outbox_settings.sweep_seconds, first=0)
        jobs.run_repeating(self._purge, interval=3600, first=60)
        await self.app.start()
        workers = [
            asyncio.create_task(self._update_worker(), name="updates"),
            asyncio.create_task(self._outbox_worker(), name="outbox"),
        ]
        runner = None
        try:
            if self.settings.mode == "webhook":
                runner = await self._start_webhook()
                await self._stopping.wait()
            else:
                await self.bot.delete_webhook()
                await self._poll()
        finally:
            self._stopping.set()
            if runner is not None:
                await runner.cleanup()
            # let the workers finish the update in hand and send what is due, then stop them
            self._updates_ready.set()
            self._outbox_ready.set()
            _, late = await asyncio.wait(workers, timeout=SHUTDOWN_GRACE)
            for task in late:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            await self.app.stop()
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
                    commands, language_code=None if code == "fr" else code
                )
            except TelegramError as exc:
                log.warning("setMyCommands failed: %s", type(exc).__name__)

    async def _sweep(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        # periodic wake-up: retries whose time has come, updates left by a crash, notices
        # left by another process (the terminal, the command line)
        try:
            async with self.relais.storage.transaction() as tx:
                await self._queue_notices(tx)
        except Exception as exc:
            _log_failure("queueing notices", exc)
        self._outbox_ready.set()
        self._updates_ready.set()

    async def _purge(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.relais.purge(self.clock())

    # -- receiving -----------------------------------------------------------------------

    async def _poll(self) -> None:
        """Long polling; an update is acknowledged (next offset) only once journaled."""
        async with self.relais.storage.transaction() as tx:
            last = await tx.last_update_id()
        offset = last + 1 if last is not None else None
        failures = 0
        while not self._stopping.is_set():
            fetch = asyncio.create_task(
                self.bot.get_updates(
                    offset=offset,
                    timeout=self.settings.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                )
            )
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
            except (NetworkError, RetryAfter) as exc:
                failures += 1
                delay = exc.retry_after if isinstance(exc, RetryAfter) else min(2**failures, 30)
                log.warning("getUpdates failed (%s), retry in %ss", type(exc).__name__, delay)
                await self._sleep(float(delay if isinstance(delay, int | float) else 5))
                continue
            failures = 0
            if updates:
                await self.journal([u.to_dict() for u in updates])
                offset = max(u.update_id for u in updates) + 1

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def journal(self, payloads: list[dict[str, Any]]) -> None:
        """Record raw updates durably, then wake the worker that handles them."""
        async with self.relais.storage.transaction() as tx:
            for payload in payloads:
                await tx.journal_update(
                    int(payload["update_id"]), minimal_update(payload), update_sender(payload)
                )
        self._updates_ready.set()

    async def _start_webhook(self) -> web.AppRunner:
        s = self.settings
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(s.webhook_path, self._webhook_request)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, s.webhook_listen, s.webhook_port)
        await site.start()
        await self.bot.set_webhook(
            url=s.webhook_url or "",
            secret_token=s.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        log.info("webhook listening on %s:%s%s", s.webhook_listen, s.webhook_port, s.webhook_path)
        return runner

    async def _webhook_request(self, request: web.Request) -> web.Response:
        if not self._signed(request):
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

    def _signed(self, request: web.Request) -> bool:
        """Whether the request carries the webhook secret (compared in constant time)."""
        # a header that is not UTF-8 arrives with its bad bytes escaped: compare the bytes
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        expected = (self.settings.webhook_secret or "").encode()
        return bool(expected) and hmac.compare_digest(given, expected)

    # -- handling ------------------------------------------------------------------------

    async def _update_worker(self) -> None:
        while not self._stopping.is_set():
            await self._updates_ready.wait()
            self._updates_ready.clear()
            if self._stopping.is_set():
                return
            try:
                await self.process_pending()
            except Exception as exc:  # e.g. a full disk: keep the worker alive, retry later
                _log_failure("handling updates", exc)
                await self._sleep(5)
                self._updates_ready.set()

    async def process_pending(self) -> None:
        """Handle every journaled update not handled yet, fairly: in rounds of a few updates
        per sender, each sender's in order; a sender over budget is told once to slow down and
        their pending updates are skipped."""
        while True:
            async with self.relais.storage.transaction() as tx:
                pending = await tx.fair_pending_updates(SENDER_TURN, ROUND_SIZE)
            if not pending:
                return
            skipped: set[str] = set()
            for update in pending:
                if self._stopping.is_set():
                    return  # the rest stays journaled for the next start
                if update.sender in skipped:
                    continue  # dropped with the rest of that sender's updates
                verdict = Verdict.ALLOW
                if update.sender is not None and "my_chat_member" not in update.payload:
                    verdict = self.budgets.take(update.sender)
                if verdict is Verdict.ALLOW:
                    await self._process(update.update_id, update.payload)
                else:
                    assert update.sender is not None
                    skipped.add(update.sender)
                    await self._skip_excess(update, warn=verdict is Verdict.WARN)
            self._outbox_ready.set()

    async def _skip_excess(self, update: PendingUpdate, warn: bool) -> None:
        """Mark a sender's pending updates handled without reading them; say once why."""
        assert update.sender is not None
        # whatever the payload's shape: this path must not fail on a strange update
        target = reply_target(update.payload)
        async with self.relais.storage.transaction() as tx:
            dropped = await tx.drop_pending_updates(update.sender)
            if dropped.newest_query is not None:
                # a pressed button spins until answered; the last press is the one in sight,
                # and answering every skipped press would spend everyone's sending rate
                where = str(target.chat_id or update.sender)
                await tx.enqueue(where, "answerCallbackQuery", {"id": dropped.newest_query})
            if warn and target.chat_id is not None:
                person = await tx.find_person(CHANNEL, update.sender)
                locale = person.locale if person is not None and person.locale else None
                t = (
                    self.relais.catalogs.get(locale)
                    if locale
                    else self._translator(target.language_code)
                )
                text = t.gettext(T_SLOW_DOWN)
                await tx.enqueue(str(target.chat_id), "sendMessage", {"text": text})
        log.info("over budget: %d update(s) skipped, told=%s", dropped.count, warn)

    async def _process(self, update_id: int, payload: dict[str, Any]) -> None:
        try:
            async with self.relais.storage.transaction() as tx:
                update = Update.de_json(payload, self.bot)
                await self._handle_update(tx, update)
                await self._queue_notices(tx)
                await tx.mark_update_handled(update_id)
        except Exception as exc:
            # a bug must not block the queue: say sorry, and never handle this update again
            _log_failure(f"update {update_id}", exc)
            await self._apologise(update_id, payload)

    async def _apologise(self, update_id: int, payload: dict[str, Any]) -> None:
        """Mark a failed update handled and say sorry where the payload tells, whatever its
        shape; if even that fails a few times, set the update aside."""
        try:
            async with self.relais.storage.transaction() as tx:
                await tx.mark_update_handled(update_id)
                apology = reply_target(payload)
                if apology.callback_id is not None:
                    chat = str(apology.chat_id or 0)
                    await tx.enqueue(chat, "answerCallbackQuery", {"id": apology.callback_id})
                if apology.chat_id is not None:
                    t = self._translator(apology.language_code)
                    text = t.gettext(T_ERROR)
                    await tx.enqueue(str(apology.chat_id), "sendMessage", {"text": text})
        except Exception as exc:
            # the database itself fails (full, refusing): count the try, and after a few, set
            # the update aside (kept in the journal, flagged) so that later ones are handled
            _log_failure(f"apology for update {update_id}", exc)
            async with self.relais.storage.transaction() as tx:
                aside = await tx.record_update_failure(update_id, UPDATE_TRIES)
            if not aside:
                raise  # the worker waits a little and tries again: the fault may be passing
            log.error("update %s set aside after %d tries", update_id, UPDATE_TRIES)

    async def _handle_update(self, tx: Tx, update: Update) -> None:
        member = update.my_chat_member
        if member is not None:
            await self._member_change(tx, member)
            return
        query = update.callback_query
        chat = update.effective_chat
        user = update.effective_user
        if query is not None:
            where = str(chat.id if chat else query.from_user.id)
            await tx.enqueue(where, "answerCallbackQuery", {"id": query.id})
        if chat is None or user is None or user.is_bot:
            return
        if chat.type != ChatType.PRIVATE:
            await self._refuse_group(tx, chat.id, user.language_code)
            return
        event = to_inbound(update)
        if event is None:
            return
        external_id = str(user.id)
        await tx.set_blocked(CHANNEL, external_id, False)
        reply = await self.relais.handle(tx, CHANNEL, external_id, event)
        await self._queue_reply(tx, str(chat.id), reply, query.message if query else None)

    async def _member_change(self, tx: Tx, member: ChatMemberUpdated) -> None:
        chat = member.chat
        status = member.new_chat_member.status
        if chat.type == ChatType.PRIVATE:
            blocked = status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
            await tx.set_blocked(CHANNEL, str(chat.id), blocked)
            if blocked:
                await tx.mark_blocked_chat(str(chat.id))
            # the person's id in Relais, never their Telegram id
            person = await tx.find_person(CHANNEL, str(chat.id))
            who = person.id if person is not None else "-"
            log.info("bot %s by person=%s", "blocked" if blocked else "unblocked", who)
        elif status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR):
            await self._refuse_group(tx, chat.id, member.from_user.language_code)

    def _translator(self, language_code: str | None) -> Translator:
        """Speak the language the person's Telegram app uses, when Relais has it."""
        code = (language_code or "").split("-")[0]
        return self.relais.catalogs.get(code if code in self.relais.catalogs.languages else None)

    async def _refuse_group(self, tx: Tx, chat_id: int, language_code: str | None) -> None:
        t = self._translator(language_code)
        await tx.enqueue(str(chat_id), "sendMessage", {"text": t.gettext(T_GROUP)})
        await tx.enqueue(str(chat_id), "leaveChat", {})
        log.info("refused a group chat")

    async def _queue_reply(self, tx: Tx, chat_id: str, reply: Reply, pressed: Any) -> None:
        """Queue the platform calls of a reply, in the order the person should see them."""
        message_id = getattr(pressed, "message_id", None)
        # the last messages to someone who erased their data: no row of their chat stays
        farewell = erasure.asked(reply)
        # a volunteer's answer showing a person (page, phone) or several (a list) is erased
        # with any of them while queued
        shows = about.subject_of(reply)
        among = about.people_of(reply) if shows is None else ()
        if message_id is not None and reply.edit is not None:
            await tx.enqueue(
                chat_id,
                "editMessageText",
                {
                    "message_id": message_id,
                    "text": split_text(directed(reply.edit))[0],
                    "keyboard": keyboard(reply.edit),
                },
                subject_id=shows,
                sensitive=farewell,
                shows=among,
            )
        elif message_id is not None and reply.echo and getattr(pressed, "text", None):
            # keep the question, drop its buttons, and show which one was pressed
            text = f"{pressed.text}\n\n✅ {reply.echo}"
            await tx.enqueue(
                chat_id,
                "editMessageText",
                {"message_id": message_id, "text": split_text(text)[0], "keyboard": []},
                subject_id=shows,
                sensitive=farewell,
                shows=among,
            )
        await self._queue_messages(
            tx, chat_id, reply.messages, subject_id=shows, sensitive=farewell, shows=among
        )
        for effect in reply.effects:
            if effect.name == "team_commands":
                # volunteers find their commands in the app's menu, in their language; a
                # coordinator removing someone sets that person's menu ("chat", "channel")
                data = dict(effect.data)
                target, channel = data.pop("chat", chat_id), data.pop("channel", CHANNEL)
                if channel == CHANNEL:
                    await tx.enqueue(str(target), "setMyCommands", data)

    async def _queue_messages(
        self,
        tx: Tx,
        chat_id: str,
        messages: tuple[Message, ...],
        subject_id: int | None = None,
        sensitive: bool = False,
        shows: tuple[int, ...] = (),
    ) -> None:
        for message in messages:
            pieces = split_text(directed(message))
            secret = sensitive or message.sensitive
            for i, piece in enumerate(pieces):
                rows = keyboard(message) if i == len(pieces) - 1 else []
                await tx.enqueue(
                    chat_id,
                    "sendMessage",
                    {"text": piece, "keyboard": rows},
                    subject_id=subject_id,
                    sensitive=secret,
                    shows=shows,
                )
            if message.document:
                # only the kind is queued: the file is made when sent, from the answers saved
                # then, and never kept
                await tx.enqueue(
                    chat_id,
                    "sendDocument",
                    {"kind": message.document},
                    subject_id=subject_id,
                    sensitive=secret,
                    shows=shows,
                )

    async def _queue_notices(self, tx: Tx) -> None:
        """Queue the messages other people's actions left for Telegram users (with the person
        they are about, so that erasing that person removes them)."""
        quiet = self.relais.settings.quiet_hours
        for due in await take_due(tx, self.relais.catalogs, CHANNEL, self.clock(), quiet=quiet):
            await self._queue_messages(
                tx, due.person.external_id, (due.message,), subject_id=due.subject_id
            )

    # -- sending -------------------------------------------------------------------------

    async def _outbox_worker(self) -> None:
        # woken by new replies, and by the JobQueue sweep for retries whose time has come
        while True:
            await self._outbox_ready.wait()
            self._outbox_ready.clear()
            stopping = self._stopping.is_set()
            try:
                await self.drain()
            except Exception as exc:
                _log_failure("sending the outbox", exc)
                await self._sleep(5)
            if stopping:
                return  # one last round after the stop was asked

    async def drain(self) -> None:
        """Send every due outbox item: chats side by side and in turns (a long queue never
        holds up another chat), each chat's items in order."""
        # the rate limiter still keeps the overall pace within Telegram's limits
        await self._turns.run()

    async def _due_turns(self, busy: Collection[str], chats: int) -> list[OutboxItem]:
        async with self.relais.storage.transaction() as tx:
            return await tx.due_outbox_turns(self.clock(), SEND_TURN, chats, busy)

    async def _deliver_chat(self, items: list[OutboxItem]) -> None:
        async with self._senders:
            for item in items:
                # after a postponed or refused message, the rest of that chat waits its turn
                if not await self._deliver(item):
                    return

    async def _deliver(self, item: OutboxItem) -> bool:
        """Send one item and record the outcome; False when the chat's later items must wait."""
        storage = self.relais.storage
        try:
            await self._call(item)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            await self._retry(item, seconds, "RetryAfter")
            return False
        except Forbidden:
            async with storage.transaction() as tx:
                await tx.mark_failed(item.id, "Forbidden")
                await tx.mark_blocked_chat(item.chat_id)
                await tx.set_blocked(CHANNEL, item.chat_id, True)
            log.info("outbox %s: recipient blocked the bot", item.id)
            return False
        except BadRequest as exc:
            harmless = "not modified" in exc.message or "query is too old" in exc.message
            async with storage.transaction() as tx:
                if harmless:
                    await tx.mark_sent(item.id)
                else:
                    await tx.mark_failed(item.id, f"BadRequest:{_reason(exc.message)}")
            if not harmless:
                log.warning("outbox %s %s refused: %s", item.id, item.method, _reason(exc.message))
        except NetworkError as exc:
            backoff = self.outbox_settings.base_backoff_seconds * 2**item.attempts
            await self._retry(item, min(backoff, MAX_BACKOFF), type(exc).__name__)
            return False
        else:
            async with storage.transaction() as tx:
                await tx.mark_sent(item.id)
        return True

    async def _retry(self, item: OutboxItem, seconds: float, error: str) -> None:
        async with self.relais.storage.transaction() as tx:
            if item.attempts + 1 >= self.outbox_settings.max_attempts:
                await tx.mark_failed(item.id, error)
                log.warning("outbox %s gave up after %d attempts", item.id, item.attempts + 1)
            else:
                due = self.clock() + timedelta(seconds=seconds)
                await tx.mark_retry(item.id, due, error)

    async def _call(self, item: OutboxItem) -> None:
        p = item.payload
        chat_id = int(item.chat_id)
        if item.method == "sendMessage":
            await self.bot.send_message(chat_id, p["text"], reply_markup=markup(p.get("keyboard")))
        elif item.method == "editMessageText":
            await self.bot.edit_message_text(
                p["text"],
                chat_id=chat_id,
                message_id=p["message_id"],
                reply_markup=markup(p.get("keyboard")),
            )
        elif item.method == "sendDocument":
            try:
                document = await self.relais.document(CHANNEL, item.chat_id, p["kind"])
            except RepeatedDocument:
                return  # the very same document was sent a moment ago: once is enough
            if document is None:
                raise BadRequest("nothing to make the document from")
            try:
                await self.bot.send_document(
                    chat_id, InputFile(document.data, filename=document.filename)
                )
            except TelegramError:
                # not delivered: when tried again, it must be made again
                self.relais.recent_documents.release(CHANNEL, item.chat_id, p["kind"])
                raise
        elif item.method == "setMyCommands":
            t = self.relais.catalogs.get(p.get("locale") or None)
            commands = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS.items()]
            commands += [
                BotCommand(name, t.gettext(TEAM_COMMANDS[name]))
                for name in p.get("commands", [])
                if name in TEAM_COMMANDS
            ]
            await self.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
        elif item.method == "answerCallbackQuery":
            await self.bot.answer_callback_query(p["id"])
        elif item.method == "leaveChat":
            await self.bot.leave_chat(chat_id)
        else:
            raise BadRequest(f"unknown outbox method {item.method}")


def update_sender(payload: dict[str, Any]) -> str | None:
    """The platform id of the user an update comes from (None: no user), for fair turns."""
    for kind in ALLOWED_UPDATES:
        body = payload.get(kind)
        if isinstance(body, dict):
            user = body.get("from")
            if isinstance(user, dict) and user.get("id") is not None:
                return str(user["id"])
    return None


def _log_failure(what: str, exc: BaseException) -> None:
    """Log a failure with its code location but not its message, which may quote personal data."""
    where = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s failed: %s\n%s", what, type(exc).__name__, where)


def _reason(message: str) -> str:
    # Telegram's error descriptions never carry message text, but keep them short anyway
    return message.split(":")[0][:80]
