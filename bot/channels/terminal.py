"""Terminal chat: the same flows in a shell, buttons shown as numbered options.

A thin adapter of the shared runtime: each typed line is journaled as an update of channel
"terminal", handled by the runtime, and the planned calls of the answer are "sent" by printing
them. Works with piped standard input too, so a whole conversation can be scripted.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from bot.channels.protocol import Capabilities, PlannedCall, Received, Target
from bot.channels.runtime import Runtime
from bot.core.clock import Clock, utc_now
from bot.core.domain import Button, EventKind, Inbound, Message
from bot.core.ids import parse_id
from bot.privacy.erasure import about_folder, documents_folder
from bot.privacy.private_files import private_folder, write_private
from bot.schedule.scheduler import running_scheduler, runtime_sweep
from bot.service import Relais

CHANNEL = "terminal"
# no limit of buttons or length (the terminal numbers the buttons itself, see `render`), no list
# messages; a pressed message cannot be changed: it is shown again, and the answer taken is
# printed as its own line ("  ✓ …", from a message's "echo")
CAPABILITIES = Capabilities(list_rows=0, can_edit=False)
# the documents about someone else, whose argument is that person's id (a volunteer's copy of
# a CV): written apart in the reader's folder, so that erasing that person finds them
ABOUT_SOMEONE = ("cv_pdf", "cv_json")


def parse_line(line: str, buttons: list[Button]) -> Inbound | None:
    """Turn a typed line into an event: a number picks a shown button, /x is a command."""
    text = line.rstrip("\r\n")
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.startswith("/") and len(stripped) > 1:
        name, _, args = stripped[1:].partition(" ")
        return Inbound(EventKind.COMMAND, command=name.lower(), text=args.strip())
    if stripped.isascii() and stripped.isdigit() and 1 <= int(stripped) <= len(buttons):
        return Inbound(EventKind.BUTTON, data=buttons[int(stripped) - 1].data)
    return Inbound(EventKind.TEXT, text=text)


def render(message: Message) -> tuple[str, list[Button]]:
    """A message as terminal text and the buttons a typed number picks, numbered from 1.

    When the answer is typed (a name, a date), numbers are answers, not buttons: "back" and
    "skip" are then shown to be typed as words.
    """
    lines = [message.text]
    buttons = [b for row in message.buttons for b in row]
    if message.typed:
        if buttons:
            lines.append("  " + "  ".join(f"[{b.label}]" for b in buttons))
        return "\n".join(lines), []
    for i, button in enumerate(buttons, 1):
        lines.append(f"  {i}. {button.label}")
    return "\n".join(lines), buttons


class TerminalChannel:
    """The terminal as a channel: one person, lines in, printed messages out."""

    name = CHANNEL
    capabilities = CAPABILITIES

    def __init__(self, user: str, documents_dir: Path, out: TextIO = sys.stdout) -> None:
        self.user = user
        self.documents_dir = documents_dir
        self.out = out
        self.buttons: list[Button] = []  # of the last message that had some: "2" picks one

    def payload(self, line: str) -> dict[str, Any]:
        """A typed line as journaled, with the choices a number picks at the time it is typed."""
        return {"line": line, "choices": [b.data for b in self.buttons]}

    def receive(self, payload: dict[str, Any]) -> Received | None:
        """The event of a typed line (None: a blank line)."""
        choices = [Button("", str(data)) for data in payload.get("choices", [])]
        event = parse_line(str(payload.get("line", "")), choices)
        return None if event is None else Received(self.user, self.user, event)

    def target(self, payload: dict[str, Any]) -> Target:
        """Whatever went wrong, the apology goes to the one person at the keyboard."""
        del payload
        return Target(self.user)

    def is_status(self, payload: dict[str, Any]) -> bool:
        """A terminal has no status changes."""
        del payload
        return False

    async def call(self, planned: PlannedCall) -> dict[str, Any] | None:
        """Print a message (each document's path right under the message that announces it);
        calls a terminal has no use for (a command menu) do nothing."""
        p = planned.payload
        if planned.method == "sendMessage":
            if "echo" in p:
                self.out.write(f"  ✓ {p['echo']}\n")
            else:
                self._show(p)
        elif planned.method == "sendDocument" and planned.document is not None:
            self._write_document(str(p.get("kind", "")), planned)
        self.out.flush()
        return None

    def _show(self, payload: dict[str, Any]) -> None:
        rows = payload.get("keyboard") or []
        message = Message(
            payload.get("text", ""),
            tuple(tuple(Button(label, data) for label, data in row) for row in rows),
            typed=bool(payload.get("typed")),
        )
        text, buttons = render(message)
        self.out.write(f"\nRelais: {text}\n")
        if message.buttons:
            self.buttons = buttons

    def _write_document(self, kind: str, planned: PlannedCall) -> None:
        """Write a document to the user's documents folder and show where it is."""
        document = planned.document
        assert document is not None
        # one folder per user: erasing their data removes exactly their files; a CV holds a
        # name and a phone number: readable by the bot's user only
        private_folder(self.documents_dir)
        folder = documents_folder(self.documents_dir, self.user)
        private_folder(folder)
        # someone else's CV (a volunteer's copy): kept apart, so that their erasure finds it
        # (other kinds' arguments are not people: an appointment's calendar file is one's own)
        name, _, argument = kind.partition(":")
        about = parse_id(argument) if name in ABOUT_SOMEONE else None
        if about is not None:
            folder = about_folder(folder, about)
            private_folder(folder)
        path = (folder / document.filename).resolve()
        write_private(path, document.data)
        self.out.write(f"  📄 {path}\n")


class TerminalChat:
    """Plays one person's conversation on standard input and output, through the runtime."""

    def __init__(
        self, relais: Relais, user: str, out: TextIO = sys.stdout, clock: Clock = utc_now
    ) -> None:
        self.relais = relais
        self.user = user
        self.out = out
        self.clock = clock
        self.channel = TerminalChannel(user, relais.settings.documents_dir, out)
        # one's own terminal: no budget; the sender serves this user's chat only
        self.runtime = Runtime(relais, self.channel, clock, chat=user, budgets=False)

    async def send(self, line: str) -> None:
        """Journal one typed line, handle it and print the answer (and what others left for
        this user meanwhile)."""
        await self.runtime.journal_next(self.user, self.channel.payload(line))
        await self.runtime.settle()

    async def run(self, stdin: TextIO = sys.stdin) -> None:
        """Chat until end of input or Ctrl-D; a restart resumes at the same question.

        Interactive, the scheduler also shows what arrives on its own (a notice, a message
        Relais starts) within a sweep; piped, output comes only after each line, as a script
        expects it.
        """
        interactive = stdin.isatty()
        extra = (runtime_sweep(self.runtime, self.relais.settings.outbox.sweep_seconds),)
        async with running_scheduler(self.relais, self.clock, extra=extra if interactive else ()):
            await self.runtime.sender.recover()
            await self.runtime.settle()  # lines typed before a crash
            await self.send("/start")
            loop = asyncio.get_running_loop()
            await self._read(stdin, interactive, loop)
        await self.runtime.sender.release()

    async def _read(
        self, stdin: TextIO, interactive: bool, loop: asyncio.AbstractEventLoop
    ) -> None:
        lines = read_lines(stdin, loop)
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            line = await lines.get()
            if not line:
                break
            if not interactive:
                self.out.write(f"> {line.rstrip()}\n")
            if line.strip():
                await self.send(line)


def read_lines(stdin: TextIO, loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str]:
    """The lines of `stdin` as they are typed ("" at the end), read by a daemon thread: Ctrl-C
    ends the chat at once, where a worker thread of the loop would be waited for until Enter."""
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        while True:
            line = stdin.readline()
            loop.call_soon_threadsafe(lines.put_nowait, line)
            if not line:
                return

    threading.Thread(target=read, name="relais-stdin", daemon=True).start()
    return lines
