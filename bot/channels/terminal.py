"""Terminal chat: the same flows in a shell, buttons shown as numbered options.

Works with piped standard input too, so a whole conversation can be scripted.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.core.domain import Button, EventKind, Inbound, Message, Reply
from bot.core.ids import parse_id
from bot.fairness.repeats import RepeatedDocument
from bot.privacy.erasure import about_folder, documents_folder
from bot.privacy.private_files import private_folder, write_private
from bot.reach.delivery import take_due
from bot.service import Relais

CHANNEL = "terminal"
NOTICE_POLL_SECONDS = 2.0


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


class TerminalChat:
    """Plays one person's conversation on standard input and output."""

    def __init__(self, relais: Relais, user: str, out: TextIO = sys.stdout) -> None:
        self.relais = relais
        self.user = user
        self.out = out
        self.buttons: list[Button] = []

    async def deliver(self, message: Message) -> None:
        """Write a document to the documents folder and show where it is."""
        try:
            document = await self.relais.document(CHANNEL, self.user, message.document)
        except RepeatedDocument:
            return  # the same file was written a moment ago
        if document is None:
            return
        # one folder per user: erasing their data removes exactly their files; a CV holds a
        # name and a phone number: readable by the bot's user only
        private_folder(self.relais.settings.documents_dir)
        folder = documents_folder(self.relais.settings.documents_dir, self.user)
        private_folder(folder)
        # someone else's CV (a volunteer's copy): kept apart, so that their erasure finds it
        about = parse_id(message.document.partition(":")[2])
        if about is not None:
            folder = about_folder(folder, about)
            private_folder(folder)
        path = (folder / document.filename).resolve()
        write_private(path, document.data)
        self.out.write(f"  📄 {path}\n")
        self.out.flush()

    async def show(self, reply: Reply) -> None:
        """Print a reply, each document's path right under the message that announces it (not
        after the menu); remember the buttons of the last message that had some."""
        if reply.echo:
            self.out.write(f"  ✓ {reply.echo}\n")
        for message in (reply.edit, *reply.messages) if reply.edit else reply.messages:
            text, buttons = render(message)
            self.out.write(f"\nRelais: {text}\n")
            if message.buttons:
                self.buttons = buttons
            if message.document:
                await self.deliver(message)
        self.out.flush()

    async def send(self, event: Inbound) -> Reply:
        """Handle one event in its own transaction and print the answer."""
        async with self.relais.storage.transaction() as tx:
            reply = await self.relais.handle(tx, CHANNEL, self.user, event)
        await self.show(reply)
        await self.show_notices()
        return reply

    async def show_notices(self) -> None:
        """Print what other people's actions left for this user (a help request to take…)."""
        async with self.relais.storage.transaction() as tx:
            relais = self.relais
            due = await take_due(
                tx, relais.catalogs, CHANNEL, relais.clock(), self.user, relais.settings.quiet_hours
            )
        if due:
            await self.show(Reply(tuple(d.message for d in due)))

    async def _poll_notices(self) -> None:
        # another terminal (or the Telegram process) may act for this user meanwhile
        while True:
            await asyncio.sleep(NOTICE_POLL_SECONDS)
            await self.show_notices()

    async def run(self, stdin: TextIO = sys.stdin) -> None:
        """Chat until end of input or Ctrl-D; a restart resumes at the same question."""
        interactive = stdin.isatty()
        await self.send(Inbound(EventKind.COMMAND, command="start"))
        loop = asyncio.get_running_loop()
        poller = asyncio.create_task(self._poll_notices()) if interactive else None
        try:
            await self._read(stdin, interactive, loop)
        finally:
            if poller is not None:
                poller.cancel()

    async def _read(
        self, stdin: TextIO, interactive: bool, loop: asyncio.AbstractEventLoop
    ) -> None:
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            if not interactive:
                self.out.write(f"> {line.rstrip()}\n")
            event = parse_line(line, self.buttons)
            if event is not None:
                await self.send(event)
