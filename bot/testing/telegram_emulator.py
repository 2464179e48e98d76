"""A Telegram Bot API server emulated on loopback, for end-to-end tests.

The server speaks the real HTTP API to a real bot (JSON, form and multipart bodies, answers as
`{"ok": true, "result": ...}`, Telegram's error texts and limits) and the test plays the phone:
people type, press buttons, send stickers, add the bot to a group or block it. Faults (429 with
retry_after, 500, timeouts, 403, dropped connections) can be injected per method.

The server runs in its own threads, so it does not depend on any event loop; every test-side
method is synchronous and thread-safe. From async code, wrap blocking waits in
`asyncio.to_thread`.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import http.server
import itertools
import json
import random
import re
import secrets
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
JSON = dict[str, Any]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
INLINE_BUTTONS_LIMIT = 100
# Telegram sends every update type except these when allowed_updates is not given or empty.
NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# what Telegram's flood limit counts: the bot's messages
RATED_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument"}
)
FAULT_KINDS = ("429", "500", "timeout", "403", "disconnect")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
BLOCKED = "Forbidden: bot was blocked by the user"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"

# Parameters that arrive as strings in form bodies but mean something else.
INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "max_connections",
        "message_thread_id",
        "from_chat_id",
        "user_id",
        "reply_to_message_id",
        "until_date",
    }
)
BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "show_alert",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "allow_paid_broadcast",
    }
)
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "commands",
        "scope",
        "media",
        "results",
    }
)


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status = error_code, and Telegram's description."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        """The JSON body Telegram answers with."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    file_name: str
    mime_type: str
    data: bytes


@dataclass
class _Fault:
    method: str  # lower case: Telegram method names are case-insensitive
    kind: str
    remaining: int
    retry_after: int
    delay: float
    delivered: bool
    chat_id: int | None


# -- request decoding --------------------------------------------------------------------------


def _coerce(name: str, value: Any) -> Any:
    """Give a form value the type Telegram gives it (form bodies carry everything as strings)."""
    if not isinstance(value, str):
        return value
    if name in JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
    if name in INT_PARAMS:
        try:
            return int(value)
        except ValueError:
            if name == "chat_id":  # "@channelusername"
                return value
            raise ApiError(400, f"Bad Request: invalid {name} specified") from None
    if name in BOOL_PARAMS:
        return value.strip().lower() in ("true", "1")
    return value


def _form_param(value: str) -> str:
    # httpx escapes quotes and control characters the HTML5 way in part headers
    value = value.replace("\\\\", "\\")
    return re.sub(r"%([01][0-9A-F]|22)", lambda m: chr(int(m.group(1), 16)), value)


def _parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for part in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if part.startswith(b"--"):  # the closing delimiter
            break
        head, _, content = part.partition(b"\r\n\r\n")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, sep, val = line.partition(":")
            if sep:
                headers[key.strip().lower()] = val.strip()
        pairs = re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', headers.get("content-disposition", ""))
        disposition = {key.lower(): _form_param(value) for key, value in pairs}
        name = disposition.get("name")
        if name is None:
            continue
        if "filename" in disposition:
            mime = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(disposition["filename"], mime, content)
        else:
            fields[name] = content.decode("utf-8")
    return fields, files


def parse_request(
    query: str, content_type: str, body: bytes
) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Decode a Bot API request: query string plus a JSON, url-encoded or multipart body."""
    raw: dict[str, Any] = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    mime = content_type.split(";", 1)[0].strip().lower()
    if body and mime == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON request body") from None
        if not isinstance(decoded, dict):
            raise ApiError(400, "Bad Request: JSON object expected")
        raw.update(decoded)
    elif body and mime == "multipart/form-data":
        match = re.search(r'boundary="?([^";]+)"?', content_type)
        if not match:
            raise ApiError(400, "Bad Request: multipart boundary is missing")
        fields, files = _parse_multipart(body, match.group(1))
        raw.update(fields)
    elif body:
        raw.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    params = {name: _coerce(name, value) for name, value in raw.items() if value is not None}
    return params, files


# -- the HTTP server ---------------------------------------------------------------------------


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, emulator: TelegramEmulator, port: int) -> None:
        self.emulator = emulator
        super().__init__(("127.0.0.1", port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a killed or impatient client resets its connection: normal in these tests, not noise
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(http.server.BaseHTTPRequestHandler):
    # keep-alive, as httpx expects; every answer therefore carries a Content-Length
    protocol_version = "HTTP/1.1"
    # headers and body leave in one segment: written separately, Nagle's algorithm held the body
    # back until the client's delayed ACK (~40 ms a call)
    wbufsize = 64 * 1024
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.emulator._connection(self.connection, opened=True)

    def finish(self) -> None:
        self.server.emulator._connection(self.connection, opened=False)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        # silent: request lines hold the bot token, and tests read emulator.calls instead
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        emulator = self.server.emulator
        url = urllib.parse.urlsplit(self.path)
        body = self._body()
        file_route = re.fullmatch(r"/file/bot([^/]*)/(.+)", url.path)
        if file_route:
            path = urllib.parse.unquote(file_route.group(2))
            # PTB percent-encodes the file URL, the ":" of the token included
            data = emulator._download(urllib.parse.unquote(file_route.group(1)), path)
            if data is None:
                self._answer(404, ApiError(404, "Not Found").body())
            else:
                self._answer(200, data, "application/octet-stream")
            return
        api_route = re.fullmatch(r"/bot([^/]*)/([^/]*)", url.path)
        if not api_route:
            self._answer(404, ApiError(404, "Not Found").body())
            return
        try:
            params, files = parse_request(url.query, self.headers.get("Content-Type", ""), body)
        except ApiError as error:
            self._answer(error.code, error.body())
            return
        token = urllib.parse.unquote(api_route.group(1))
        answer = emulator._call(token, api_route.group(2), params, files)
        if answer is None:  # injected fault: hang up without answering
            self.close_connection = True
            return
        self._answer(*answer)

    def _answer(self, status: int, payload: JSON | bytes, mime: str = "application/json") -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client gave up (timeout) or died: nothing to tell it
            self.close_connection = True


# -- the emulator ------------------------------------------------------------------------------


class TelegramEmulator:
    """A fake Telegram: the Bot API on 127.0.0.1 for the bot, a phone-like API for the test."""

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_username: str = "relais_test_bot",
        bot_name: str = "Relais",
        first_update_id: int | None = None,
        webhook_retry_seconds: float = 0.2,
        messages_per_second: float | None = None,
    ) -> None:
        """`messages_per_second`: Telegram's flood limit, off by default; when set, a message
        sent beyond it in the last second is refused with 429 "retry after 1"."""
        self.messages_per_second = messages_per_second
        self._sent_times: collections.deque[float] = collections.deque()
        self.refused_over_rate = 0
        self.bot_id = 7_000_000_000 + random.randrange(1_000_000)
        # real tokens are "<bot id>:<secret>"; a fresh secret keeps parallel emulators apart
        self.token = token or f"{self.bot_id}:AA{secrets.token_urlsafe(24)}"
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.webhook_retry_seconds = webhook_retry_seconds
        self._cond = threading.Condition(threading.RLock())
        self._closing = threading.Event()
        self._server: _Server | None = None
        self._port = 0  # kept across stop/start, so a restarted "Telegram" has the same URL
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self._handlers = {name.lower(): (name, fn) for name, fn in self._api().items()}

        self._next_update_id = first_update_id or random.randrange(100_000, 900_000)
        self._updates: list[JSON] = []
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._webhook: JSON = {"url": ""}
        self._users: dict[int, JSON] = {}
        self._chats: dict[int, JSON] = {}
        self._bot_status: dict[int, str] = {}  # chat id -> member / kicked / left
        self._blocked: set[int] = set()
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[int, dict[int, JSON]] = {}  # chat id -> message id -> message
        self._bot_message_ids: dict[int, list[int]] = {}
        self._read: dict[int, int] = {}  # chat id -> bot messages already returned by waits
        # chat id -> where wait_for_text stopped in the last message it returned: a text found
        # further on in that same message is found there (the bot joins short messages)
        self._read_in: dict[int, tuple[int, int]] = {}
        self._documents: dict[int, list[JSON]] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self._file_counter = itertools.count(1)
        self._queries: dict[str, JSON] = {}
        self._query_counter = itertools.count(1)
        self._answered: list[str] = []
        self._callback_answers: dict[str, JSON] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._calls: list[tuple[str, JSON]] = []
        self._faults: list[_Fault] = []

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> TelegramEmulator:
        """Listen on a free loopback port (the same one again after a stop); serve from
        background threads. State (updates, chats, messages) survives a stop/start."""
        if self._server is not None:
            return self
        self._closing.clear()
        self._server = _Server(self, self._port)
        self._port = self._server.server_address[1]
        self._threads = [
            threading.Thread(target=self._server.serve_forever, name="tg-emulator", daemon=True),
            threading.Thread(target=self._webhook_loop, name="tg-emulator-webhook", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (an outage: clients get connection errors); open connections are cut
        so clients notice at once."""
        if self._server is None:
            return
        with self._cond:
            self._closing.set()
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()
        with self._cond:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> TelegramEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if not self._port:
            raise RuntimeError("the emulator was never started")
        return self._port

    @property
    def base_url(self) -> str:
        """The Bot API URL for `ApplicationBuilder().base_url(...)`: the token is appended."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The file download URL for `ApplicationBuilder().base_file_url(...)`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- the phone: what people do ------------------------------------------------------------

    def send_text(
        self,
        user_id: int,
        text: str,
        first_name: str | None = None,
        language_code: str | None = None,
        **profile: Any,
    ) -> int:
        """The person types text in their private chat with the bot; returns the update_id.

        A new person is "Ana", language "fr"; first_name, language_code and profile fields
        (last_name, username) change the person's profile for this and later updates.
        """
        with self._cond:
            user = self._user(user_id, first_name, language_code, **profile)
            self._unblock_on_contact(user_id)
            message = self._user_message(self._private_chat(user), user, _text_content(text))
            return self._push("message", message)

    def send_texts(self, user_id: int, texts: list[str], **profile: Any) -> list[int]:
        """The person sends many texts at once (a flood, a paste cut into pieces): every update
        is queued before the bot can fetch any of them; returns their update_ids."""
        with self._cond:
            return [self.send_text(user_id, text, **profile) for text in texts]

    def send_media(
        self, user_id: int, kind: str, caption: str | None = None, **profile: Any
    ) -> int:
        """The person sends a sticker, photo, voice, document, location or contact."""
        with self._cond:
            user = self._user(user_id, **profile)
            content = self._media(kind, user)
            if caption is not None:
                content["caption"] = caption
            self._unblock_on_contact(user_id)
            message = self._user_message(self._private_chat(user), user, content)
            return self._push("message", message)

    def press(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> int:
        """The person presses a button carrying callback_data under a bot message.

        The data is not checked against the message's buttons, so tests can send forged data.
        """
        with self._cond:
            user = self._user(user_id)
            chat = user_id if chat_id is None else chat_id
            if chat == user_id:
                self._unblock_on_contact(user_id)
            message = self._messages.get(chat, {}).get(message_id)
            if message is None or message["from"]["id"] != self.bot_id:
                raise AssertionError(f"no bot message {message_id} in chat {chat}")
            query_id = str(4_000_000_000_000 + next(self._query_counter))
            self._queries[query_id] = {"chat_id": chat, "message_id": message_id}
            query = {
                "id": query_id,
                "from": copy.deepcopy(user),
                "message": copy.deepcopy(message),
                "chat_instance": str(-7_000_000_000 - chat),
                "data": callback_data,
            }
            return self._push("callback_query", query)

    def press_button(self, user_id: int, label: str, chat_id: int | None = None) -> int:
        """Press the button whose text contains label, on the most recent bot message having one."""
        with self._cond:
            chat = user_id if chat_id is None else chat_id
            for message_id in reversed(self._bot_message_ids.get(chat, [])):
                message = self._messages[chat][message_id]
                for button in _buttons(message):
                    if label in button.get("text", "") and "callback_data" in button:
                        return self.press(user_id, message_id, button["callback_data"], chat)
            on_screen = [
                f"message {mid}: "
                + " ".join(f"[{b.get('text')}]" for b in _buttons(self._messages[chat][mid]))
                for mid in self._bot_message_ids.get(chat, [])
                if _buttons(self._messages[chat][mid])
            ]
            raise AssertionError(
                f"no button containing {label!r} in chat {chat}; buttons: "
                + ("; ".join(on_screen[-5:]) or "none")
                + "\n"
                + self.transcript(chat)
            )

    def send_group_text(self, group_id: int, user_id: int, text: str) -> int:
        """Someone writes in a group (negative id) where the bot is a member."""
        if group_id >= 0:
            raise ValueError("group ids are negative, as on Telegram")
        with self._cond:
            user = self._user(user_id)
            chat = self._group_chat(group_id)
            # a group first seen here is one the bot joined before the test began
            self._bot_status.setdefault(group_id, "member")
            message = self._user_message(chat, user, _text_content(text))
            return self._push("message", message)

    def add_bot_to_group(self, group_id: int, user_id: int, service_message: bool = True) -> int:
        """Someone adds the bot to a group: a my_chat_member update (and, like Telegram, a
        new_chat_members service message); returns the my_chat_member update_id."""
        if group_id >= 0:
            raise ValueError("group ids are negative, as on Telegram")
        with self._cond:
            user = self._user(user_id)
            chat = self._group_chat(group_id)
            old = self._bot_status.get(group_id, "left")
            self._bot_status[group_id] = "member"
            update_id = self._push("my_chat_member", self._member_change(chat, user, old, "member"))
            if service_message:
                message = self._user_message(chat, user, {"new_chat_members": [self._bot_user()]})
                self._push("message", message)
            return update_id

    def remove_bot_from_group(self, group_id: int, user_id: int) -> int:
        """Someone removes the bot from a group; later sends there answer 403."""
        with self._cond:
            user = self._user(user_id)
            chat = self._group_chat(group_id)
            old = self._bot_status.get(group_id, "member")
            self._bot_status[group_id] = "kicked"
            return self._push("my_chat_member", self._member_change(chat, user, old, "kicked"))

    def block_bot(self, user_id: int) -> int:
        """The person blocks the bot: a my_chat_member "kicked" update, then 403 on every send."""
        with self._cond:
            user = self._user(user_id)
            self._blocked.add(user_id)
            chat = self._private_chat(user)
            return self._push("my_chat_member", self._member_change(chat, user, "member", "kicked"))

    def unblock_bot(self, user_id: int) -> int:
        """The person unblocks the bot (Telegram sends my_chat_member "member")."""
        with self._cond:
            user = self._user(user_id)
            self._blocked.discard(user_id)
            chat = self._private_chat(user)
            return self._push("my_chat_member", self._member_change(chat, user, "kicked", "member"))

    def _unblock_on_contact(self, user_id: int) -> None:
        # a person who blocked the bot must unblock it ("Restart") to write to it again
        if user_id in self._blocked:
            self.unblock_bot(user_id)

    # -- the phone: what people see -----------------------------------------------------------

    def wait_for_bot_messages(
        self, chat_id: int, count: int = 1, timeout: float = 10.0
    ) -> list[JSON]:
        """Wait for the next `count` messages the bot sends to chat_id, and return them.

        Each call consumes what it returns, so successive calls see successive messages; the
        messages are returned as currently stored (after edits).
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                ids = self._bot_message_ids.get(chat_id, [])
                start = self._read.get(chat_id, 0)
                if len(ids) - start >= count:
                    self._read[chat_id] = start + count
                    self._read_in.pop(chat_id, None)
                    return [
                        copy.deepcopy(self._messages[chat_id][i])
                        for i in ids[start : start + count]
                    ]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} new bot message(s) in chat {chat_id} within "
                        f"{timeout} s, got {len(ids) - start}\n{self.transcript(chat_id)}"
                    )
                self._cond.wait(remaining)

    def wait_for_text(self, chat_id: int, text: str, timeout: float = 10.0) -> JSON:
        """Wait for a new bot message whose text or caption contains text; return it.

        Like wait_for_bot_messages, it consumes that message and every new one before it. A
        text found after the previous one in the message the previous wait returned is found
        there: the bot may say two things in one message, as a person reads them in order.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                ids = self._bot_message_ids.get(chat_id, [])
                start = self._read.get(chat_id, 0)
                within = self._read_in.get(chat_id)
                if within is not None and start > 0 and ids[start - 1] == within[0]:
                    message = self._messages[chat_id][within[0]]
                    at = _shown(message).find(text, within[1])
                    if at >= 0:
                        self._read_in[chat_id] = (within[0], at + len(text))
                        return copy.deepcopy(message)
                for index in range(start, len(ids)):
                    message = self._messages[chat_id][ids[index]]
                    at = _shown(message).find(text)
                    if at >= 0:
                        self._read[chat_id] = index + 1
                        self._read_in[chat_id] = (ids[index], at + len(text))
                        return copy.deepcopy(message)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"no new bot message containing {text!r} in chat {chat_id} within "
                        f"{timeout} s\n{self.transcript(chat_id)}"
                    )
                self._cond.wait(remaining)

    def unread(self, chat_id: int, consume: bool = False) -> list[JSON]:
        """Bot messages not yet returned by the waits; consume=True marks them as read."""
        with self._cond:
            ids = self._bot_message_ids.get(chat_id, [])
            start = self._read.get(chat_id, 0)
            if consume:
                self._read[chat_id] = len(ids)
                self._read_in.pop(chat_id, None)
            return [copy.deepcopy(self._messages[chat_id][i]) for i in ids[start:]]

    def messages(self, chat_id: int) -> list[JSON]:
        """Every message the bot sent to chat_id, in order, as currently stored (after edits)."""
        with self._cond:
            return [
                copy.deepcopy(self._messages[chat_id][i])
                for i in self._bot_message_ids.get(chat_id, [])
            ]

    def last_message(self, chat_id: int) -> JSON:
        """The last message the bot sent to chat_id."""
        with self._cond:
            ids = self._bot_message_ids.get(chat_id)
            if not ids:
                raise AssertionError(f"the bot sent nothing to chat {chat_id}")
            return copy.deepcopy(self._messages[chat_id][ids[-1]])

    def documents(self, chat_id: int) -> list[JSON]:
        """Documents the bot sent to chat_id: message_id, file_name, mime_type, data, caption."""
        with self._cond:
            return copy.deepcopy(self._documents.get(chat_id, []))

    def transcript(self, chat_id: int) -> str:
        """The chat as a readable text: who said what, buttons in brackets."""
        with self._cond:
            lines = [f"--- chat {chat_id} ---"]
            for message_id, message in sorted(self._messages.get(chat_id, {}).items()):
                who = (
                    "bot"
                    if message["from"]["id"] == self.bot_id
                    else message["from"].get("first_name", "?")
                )
                lines.append(f"#{message_id} {who}: {_describe(message)}")
            return "\n".join(lines)

    def transcripts(self) -> str:
        """Every chat's transcript."""
        with self._cond:
            return "\n".join(self.transcript(chat_id) for chat_id in sorted(self._messages))

    @property
    def callback_queries(self) -> list[str]:
        """Ids of every callback query people made by pressing buttons, in order."""
        with self._cond:
            return list(self._queries)

    @property
    def answered_callbacks(self) -> list[str]:
        """Ids of the callback queries the bot answered, in order."""
        with self._cond:
            return list(self._answered)

    def callback_answer(self, query_id: str) -> JSON | None:
        """The parameters of answerCallbackQuery for query_id (text, show_alert…), if answered."""
        with self._cond:
            return copy.deepcopy(self._callback_answers.get(query_id))

    @property
    def calls(self) -> list[tuple[str, JSON]]:
        """Every request received: (method, decoded parameters), faults included."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[JSON]:
        """Parameters of every call to method (case-insensitive)."""
        with self._cond:
            return [params for name, params in self._calls if name.lower() == method.lower()]

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """The command list set by setMyCommands for a scope and language."""
        with self._cond:
            return copy.deepcopy(self._commands.get(_scope_key(scope, language_code), []))

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet acknowledged by the bot."""
        with self._cond:
            return copy.deepcopy(self._updates)

    @property
    def webhook(self) -> JSON:
        """The webhook settings (url empty when polling)."""
        with self._cond:
            return dict(self._webhook)

    def wait_until(self, predicate: Callable[[], T], timeout: float = 10.0, message: str = "") -> T:
        """Wait until predicate() is truthy and return its value; checked on every change and
        at least every 50 ms (so it may also watch things outside the emulator)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(message or f"condition not met within {timeout} s")
                self._cond.wait(min(remaining, 0.05))

    # -- faults --------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        times: int = 1,
        kind: str = "429",
        retry_after: int = 1,
        *,
        delay: float = 6.0,
        delivered: bool = False,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `times` calls to method fail.

        kind: "429" (Too Many Requests with retry_after), "500", "403" (blocked, this time
        only), "disconnect" (hang up without answering), "timeout" (answer only after `delay`
        seconds, more than the client waits; with delivered=True the request takes effect
        first, like a send that reached Telegram but whose answer was lost). chat_id limits the
        fault to requests for that chat.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}")
        with self._cond:
            self._faults.append(
                _Fault(method.lower(), kind, times, retry_after, delay, delivered, chat_id)
            )

    def clear_faults(self) -> None:
        """Forget faults not yet served."""
        with self._cond:
            self._faults.clear()

    # -- request handling (server threads) -----------------------------------------------------

    def _connection(self, sock: socket.socket, opened: bool) -> None:
        with self._cond:
            if opened:
                self._sockets.add(sock)
            else:
                self._sockets.discard(sock)

    def _call(
        self, token: str, method: str, params: JSON, files: dict[str, UploadedFile]
    ) -> tuple[int, JSON] | None:
        if token != self.token:
            return 401, ApiError(401, "Unauthorized").body()
        name, handler = self._handlers.get(method.lower(), (method, None))
        logged = dict(params)
        for part, upload in files.items():
            logged[part] = {
                "file_name": upload.file_name,
                "mime_type": upload.mime_type,
                "size": len(upload.data),
            }
        with self._cond:
            self._calls.append((name, logged))
            fault = self._take_fault(name, params)
            over_rate = self._over_rate(name)
            self._cond.notify_all()
        if over_rate:
            return 429, ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1}).body()
        if fault is not None:
            if fault.kind != "timeout":
                return _fault_answer(fault)
            answer = self._run(handler, params, files) if fault.delivered else None
            self._closing.wait(fault.delay)
            return answer
        return self._run(handler, params, files)

    def _run(
        self, handler: Callable[..., Any] | None, params: JSON, files: dict[str, UploadedFile]
    ) -> tuple[int, JSON]:
        if handler is None:
            return 404, ApiError(404, "Not Found").body()
        try:
            with self._cond:
                result = handler(params, files)
                self._cond.notify_all()
        except ApiError as error:
            return error.code, error.body()
        return 200, {"ok": True, "result": result}

    def _over_rate(self, method: str) -> bool:
        """Whether this message goes beyond the flood limit (counted over the last second)."""
        if self.messages_per_second is None or method not in RATED_METHODS:
            return False
        now = time.monotonic()
        while self._sent_times and self._sent_times[0] <= now - 1.0:
            self._sent_times.popleft()
        if len(self._sent_times) >= self.messages_per_second:
            self.refused_over_rate += 1
            return True
        self._sent_times.append(now)
        return False

    def open_chats(self, user_ids: Iterable[int]) -> None:
        """People who started the bot long ago: their private chats exist, nothing is pending
        (the recipients of a bulk send)."""
        with self._cond:
            for user_id in user_ids:
                self._private_chat(self._user(user_id))

    def _take_fault(self, method: str, params: JSON) -> _Fault | None:
        for fault in self._faults:
            if fault.method != method.lower():
                continue
            if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def _download(self, token: str, file_path: str) -> bytes | None:
        if token != self.token:
            return None
        with self._cond:
            for path, data in self._files.values():
                if path == file_path:
                    return data
        return None

    def _api(self) -> dict[str, Callable[[JSON, dict[str, UploadedFile]], Any]]:
        return {
            "getMe": self._get_me,
            "logOut": lambda p, f: True,
            "close": lambda p, f: True,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendChatAction": self._send_chat_action,
            "leaveChat": self._leave_chat,
            "getChat": self._get_chat,
            "getFile": self._get_file,
        }

    # -- Bot API methods (called with the lock held) -------------------------------------------

    def _get_me(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            # no privacy mode: the bot sees every group message, which keeps group tests simple
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, params: JSON, files: dict[str, UploadedFile]) -> list[JSON]:
        if self._webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(int(params.get("timeout") or 0), 0)
        if "allowed_updates" in params:
            self._allowed_updates = frozenset(params["allowed_updates"] or ()) or None
        if offset > 0:  # acknowledged for good, exactly like Telegram
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()
        deadline = time.monotonic() + timeout
        while True:
            if self._updates or self._closing.is_set():
                return copy.deepcopy(self._updates[:limit])
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure "
                    "that only one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._cond.wait(remaining)

    def _set_webhook(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        url = params.get("url") or ""
        if url and not re.match(r"https?://", url):
            raise ApiError(
                400,
                "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            )
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if "allowed_updates" in params:
            self._allowed_updates = frozenset(params["allowed_updates"] or ()) or None
        self._webhook = {"url": url}
        for key in ("secret_token", "max_connections"):
            if key in params:
                self._webhook[key] = params[key]
        return True

    def _delete_webhook(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {"url": ""}
        return True

    def _get_webhook_info(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        info: JSON = {
            "url": self._webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        for key in ("max_connections", "last_error_date", "last_error_message"):
            if key in self._webhook:
                info[key] = self._webhook[key]
        if self._allowed_updates is not None:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    def _set_my_commands(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = _scope_key(params.get("scope"), params.get("language_code", ""))
        self._commands[key] = copy.deepcopy(commands)
        return True

    def _get_my_commands(self, params: JSON, files: dict[str, UploadedFile]) -> list[JSON]:
        key = _scope_key(params.get("scope"), params.get("language_code", ""))
        return copy.deepcopy(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        self._commands.pop(_scope_key(params.get("scope"), params.get("language_code", "")), None)
        return True

    def _send_message(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._writable_chat(params.get("chat_id"))
        text = _checked_text(params.get("text"))
        content: JSON = {"text": text}
        if params.get("entities"):
            content["entities"] = params["entities"]
        return self._bot_message(chat, content, params.get("reply_markup"))

    def _edit_message_text(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        message = self._editable_message(params)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text = _checked_text(params.get("text"))
        # like Telegram: an edit without reply_markup removes the inline keyboard
        markup = _inline_markup(params.get("reply_markup"))
        if text == message["text"] and markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = text
        return self._edited(message, markup)

    def _edit_message_reply_markup(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        message = self._editable_message(params)
        markup = _inline_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        return self._edited(message, markup)

    def _answer_callback_query(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._queries or query_id in self._callback_answers:
            raise ApiError(400, QUERY_TOO_OLD)
        if len(params.get("text", "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._answered.append(query_id)
        self._callback_answers[query_id] = {
            k: v for k, v in params.items() if k != "callback_query_id"
        }
        return True

    def _send_document(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._writable_chat(params.get("chat_id"))
        document = params.get("document")
        upload = files.get("document")
        if isinstance(document, str) and document.startswith("attach://"):
            upload = files.get(document.removeprefix("attach://"))
        if upload is not None:
            file_id = self._store_file("documents", upload.file_name, upload.data)
            name, mime, data = upload.file_name, upload.mime_type, upload.data
        elif isinstance(document, str) and document in self._files:
            file_id = document
            path, data = self._files[file_id]
            name, mime = path.rsplit("/", 1)[-1], "application/octet-stream"
        elif isinstance(document, str) and re.match(r"https?://", document):
            name = document.rsplit("/", 1)[-1] or "file"
            mime, data = "application/octet-stream", b""
            file_id = self._store_file("documents", name, data)
        elif document:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        content: JSON = {
            "document": {
                "file_name": name,
                "mime_type": mime,
                "file_id": file_id,
                "file_unique_id": _unique_id(file_id),
                "file_size": len(data),
            }
        }
        caption = params.get("caption")
        if caption is not None:
            caption = caption.strip()
            if len(caption) > CAPTION_LIMIT:
                raise ApiError(400, "Bad Request: message caption is too long")
            if caption:
                content["caption"] = caption
        message = self._bot_message(chat, content, params.get("reply_markup"))
        self._documents.setdefault(chat["id"], []).append(
            {
                "message_id": message["message_id"],
                "file_name": name,
                "mime_type": mime,
                "data": data,
                "caption": caption,
                "file_id": file_id,
            }
        )
        return message

    def _send_chat_action(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        self._writable_chat(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _leave_chat(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        chat = self._known_chat(params.get("chat_id"))
        if chat["type"] == "private":
            raise ApiError(400, "Bad Request: chat member status can't be changed in private chats")
        self._bot_status[chat["id"]] = "left"
        return True

    def _get_chat(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._known_chat(params.get("chat_id"))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_file(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        file_id = str(params.get("file_id", ""))
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, data = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "file_size": len(data),
            "file_path": path,
        }

    # -- the simulated world (lock held) -------------------------------------------------------

    def _push(self, kind: str, payload: JSON) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        allowed = self._allowed_updates
        # like Telegram, allowed_updates filters updates as they are created, not as they are sent
        if (kind in allowed) if allowed else (kind not in NOT_SENT_BY_DEFAULT):
            self._updates.append({"update_id": update_id, kind: payload})
        self._cond.notify_all()
        return update_id

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def _user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = None,
        **profile: Any,
    ) -> JSON:
        if user_id <= 0:
            raise ValueError("user ids are positive, as on Telegram")
        user = self._users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "fr"}
        )
        if first_name is not None:
            user["first_name"] = first_name
        if language_code is not None:
            user["language_code"] = language_code
        for key, value in profile.items():
            if value is None:
                user.pop(key, None)
            else:
                user[key] = value
        return user

    def _private_chat(self, user: JSON) -> JSON:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        self._chats[user["id"]] = chat
        self._bot_status.setdefault(user["id"], "member")
        return chat

    def _group_chat(self, group_id: int) -> JSON:
        return self._chats.setdefault(
            group_id, {"id": group_id, "type": "group", "title": f"Groupe {-group_id}"}
        )

    def _new_message_id(self, chat_id: int) -> int:
        # one counter per chat for both sides, so ids also give the order of the conversation
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        return message_id

    def _user_message(self, chat: JSON, user: JSON, content: JSON) -> JSON:
        message = {
            "message_id": self._new_message_id(chat["id"]),
            "from": copy.deepcopy(user),
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
            **content,
        }
        self._messages.setdefault(chat["id"], {})[message["message_id"]] = message
        return copy.deepcopy(message)

    def _bot_message(self, chat: JSON, content: JSON, reply_markup: Any) -> JSON:
        markup = _inline_markup(reply_markup)
        message = {
            "message_id": self._new_message_id(chat["id"]),
            "from": self._bot_user(),
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
            **content,
        }
        if markup is not None:  # Telegram echoes only inline keyboards
            message["reply_markup"] = markup
        self._messages.setdefault(chat["id"], {})[message["message_id"]] = message
        self._bot_message_ids.setdefault(chat["id"], []).append(message["message_id"])
        return copy.deepcopy(message)

    def _edited(self, message: JSON, markup: JSON | None) -> JSON:
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _member_change(self, chat: JSON, user: JSON, old: str, new: str) -> JSON:
        def member(status: str) -> JSON:
            state: JSON = {"user": self._bot_user(), "status": status}
            if status == "kicked":
                state["until_date"] = 0
            return state

        return {
            "chat": copy.deepcopy(chat),
            "from": copy.deepcopy(user),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }

    def _known_chat(self, chat_id: Any) -> JSON:
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _writable_chat(self, chat_id: Any) -> JSON:
        chat = self._known_chat(chat_id)
        if chat["type"] == "private" and chat["id"] in self._blocked:
            raise ApiError(403, BLOCKED)
        status = self._bot_status.get(chat["id"], "member")
        if status == "kicked" and chat["type"] != "private":
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        if status == "left":
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat

    def _editable_message(self, params: JSON) -> JSON:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._writable_chat(params.get("chat_id"))
        message = self._messages.get(chat["id"], {}).get(int(params.get("message_id") or 0))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _store_file(self, folder: str, file_name: str, data: bytes) -> str:
        number = next(self._file_counter)
        file_id = f"BQACAgQAAxkBAAI{number:06d}{secrets.token_hex(6)}"
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        self._files[file_id] = (f"{folder}/file_{number}.{suffix}", data)
        return file_id

    def _media(self, kind: str, user: JSON) -> JSON:
        if kind == "sticker":
            file_id = self._store_file("stickers", "sticker.webp", b"RIFF\x00\x00\x00\x00WEBP")
            return {
                "sticker": {
                    "file_id": file_id,
                    "file_unique_id": _unique_id(file_id),
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "emoji": "👍",
                    "set_name": "HotCherry",
                    "file_size": 12,
                }
            }
        if kind == "photo":
            sizes = []
            for width, height in ((90, 68), (320, 240), (800, 600)):
                data = b"\xff\xd8\xff" + bytes(width // 10)
                file_id = self._store_file("photos", "photo.jpg", data)
                sizes.append(
                    {
                        "file_id": file_id,
                        "file_unique_id": _unique_id(file_id),
                        "width": width,
                        "height": height,
                        "file_size": len(data),
                    }
                )
            return {"photo": sizes}
        if kind == "voice":
            data = b"OggS" + bytes(60)
            file_id = self._store_file("voice", "voice.oga", data)
            return {
                "voice": {
                    "file_id": file_id,
                    "file_unique_id": _unique_id(file_id),
                    "duration": 3,
                    "mime_type": "audio/ogg",
                    "file_size": len(data),
                }
            }
        if kind == "document":
            data = b"%PDF-1.4\n% a CV\n%%EOF\n"
            file_id = self._store_file("documents", "cv.pdf", data)
            return {
                "document": {
                    "file_name": "cv.pdf",
                    "mime_type": "application/pdf",
                    "file_id": file_id,
                    "file_unique_id": _unique_id(file_id),
                    "file_size": len(data),
                }
            }
        if kind == "location":
            return {"location": {"latitude": 48.857487, "longitude": 2.377646}}
        if kind == "contact":
            return {
                "contact": {
                    "phone_number": "+33612345678",
                    "first_name": user["first_name"],
                    "user_id": user["id"],
                }
            }
        raise ValueError(
            "kind must be sticker, photo, voice, document, location or contact, not " + repr(kind)
        )

    # -- webhook delivery ----------------------------------------------------------------------

    def _webhook_loop(self) -> None:
        """Push pending updates to the webhook URL one at a time, in order, like Telegram."""
        while True:
            with self._cond:
                while not self._closing.is_set() and not (self._webhook["url"] and self._updates):
                    self._cond.wait()
                if self._closing.is_set():
                    return
                webhook = dict(self._webhook)
                update = copy.deepcopy(self._updates[0])
            error = _post_update(webhook, update)
            with self._cond:
                if error is None:
                    self._updates = [
                        u for u in self._updates if u["update_id"] != update["update_id"]
                    ]
                    self._cond.notify_all()
                    continue
                if self._webhook["url"] == webhook["url"]:
                    self._webhook["last_error_date"] = int(time.time())
                    self._webhook["last_error_message"] = error
            self._closing.wait(self.webhook_retry_seconds)


# -- helpers ----------------------------------------------------------------------------------


# loopback traffic must not go through a proxy configured in the environment
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _post_update(webhook: JSON, update: JSON) -> str | None:
    """POST one update to the webhook; the error text, or None when the bot answered 2xx."""
    headers = {"Content-Type": "application/json"}
    if webhook.get("secret_token"):
        headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
    request = urllib.request.Request(
        webhook["url"], data=json.dumps(update).encode("utf-8"), headers=headers, method="POST"
    )
    try:
        with _NO_PROXY.open(request, timeout=10) as response:
            response.read()
        return None
    except urllib.error.HTTPError as error:
        return f"Wrong response from the webhook: {error.code} {error.reason}"
    except (OSError, ValueError) as error:
        return f"Connection failed: {error}"


def _fault_answer(fault: _Fault) -> tuple[int, JSON] | None:
    if fault.kind == "429":
        error = ApiError(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            {"retry_after": fault.retry_after},
        )
    elif fault.kind == "500":
        error = ApiError(500, "Internal Server Error")
    elif fault.kind == "403":
        error = ApiError(403, BLOCKED)
    else:  # disconnect
        return None
    return error.code, error.body()


def _checked_text(text: Any) -> str:
    # Telegram trims surrounding whitespace before checking the length
    text = "" if text is None else str(text).strip()
    if not text:
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > TEXT_LIMIT:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def _inline_markup(markup: Any) -> JSON | None:
    """The inline keyboard of a reply_markup, validated like Telegram; None for other kinds."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, "Bad Request: can't parse inline keyboard: rows must be arrays")
    if sum(len(row) for row in rows) > INLINE_BUTTONS_LIMIT:
        raise ApiError(400, "Bad Request: reply markup is too long")
    actions = (
        "callback_data",
        "url",
        "login_url",
        "switch_inline_query",
        "web_app",
        "pay",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "callback_game",
        "copy_text",
    )
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: Field "
                    '"text" must be of type String',
                )
            if not button["text"].strip():
                raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
            if not any(action in button for action in actions):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: Text "
                    "buttons are unallowed in the inline keyboard",
                )
            if "callback_data" in button:
                data = button["callback_data"]
                size = len(data.encode("utf-8")) if isinstance(data, str) else 0
                if not 1 <= size <= CALLBACK_DATA_LIMIT:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return {"inline_keyboard": copy.deepcopy(rows)}


def _shown(message: JSON) -> str:
    """The text a person reads in a message: its text, or a document's caption."""
    return str(message.get("text", message.get("caption", "")))


def _buttons(message: JSON) -> list[JSON]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def _describe(message: JSON) -> str:
    if "text" in message:
        text = message["text"].replace("\n", "\n    ")
    elif "document" in message:
        text = f"(document {message['document'].get('file_name')})"
    elif "new_chat_members" in message:
        text = "(added the bot)"
    else:
        kinds = ("sticker", "photo", "voice", "location", "contact")
        text = "(" + next((k for k in kinds if k in message), "message") + ")"
    if message.get("caption"):
        text += f" {message['caption']}"
    buttons = " ".join(f"[{b.get('text')}]" for b in _buttons(message))
    edited = " (edited)" if "edit_date" in message else ""
    return f"{text}{edited}" + (f"\n    {buttons}" if buttons else "")


def _text_content(text: str) -> JSON:
    content: JSON = {"text": text}
    # Telegram marks a leading /command (optionally /command@botname) with an entity
    command = re.match(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]+)?", text)
    if command:
        content["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(command.group(0))}
        ]
    return content


def _unique_id(file_id: str) -> str:
    return "AgAD" + file_id[-12:]


def _scope_key(scope: Any, language_code: Any) -> tuple[str, str]:
    scope = scope or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(language_code or "")
