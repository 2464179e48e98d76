"""Plays conversations through the real engine and SQLite storage, as readable scripts.

A script is a list of lines:
    > text            the person types text
    > /command        the person types a command
    > [Label]         the person presses the button whose label contains Label
    < words           the replies since the last input contain these words
    ! words           the replies since the last input do NOT contain these words
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from bot.core.domain import Button, EventKind, Inbound, Message, Reply
from bot.service import Relais


def script_lines(script: str) -> Iterator[tuple[int, str, str]]:
    """(line number, mark, rest) of each line of a script; blank lines and # comments skipped."""
    for number, raw in enumerate(script.strip().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line[0] not in "><!":
            raise ValueError(f"line {number}: start with >, < or !: {raw!r}")
        yield number, line[0], line[1:].strip()


class Conversation:
    """One person talking to Relais on a test channel."""

    def __init__(self, relais: Relais, user: str = "ana", channel: str = "test") -> None:
        self.relais = relais
        self.user = user
        self.channel = channel
        self.replies: list[Reply] = []
        self.buttons: list[Button] = []

    @property
    def text(self) -> str:
        """All text of the replies to the last input: echo, edits, messages and their buttons."""
        parts = []
        for reply in self.replies:
            if reply.echo:
                parts.append(f"✅ {reply.echo}")
            for message in ((reply.edit,) if reply.edit else ()) + reply.messages:
                parts.append(message.text)
                parts += [f"[{b.label}]" for row in message.buttons for b in row]
        return "\n".join(parts)

    @property
    def last_message(self) -> Message:
        """The last message received."""
        return [m for r in self.replies for m in ((r.edit,) if r.edit else ()) + r.messages][-1]

    def labels(self) -> list[str]:
        """Labels of the buttons currently on screen."""
        return [b.label for b in self.buttons]

    async def send(self, event: Inbound) -> str:
        """Send one event; return the text of the reply."""
        async with self.relais.storage.transaction() as tx:
            reply = await self.relais.handle(tx, self.channel, self.user, event)
        self.replies = [reply]
        shown = ((reply.edit,) if reply.edit else ()) + reply.messages
        for message in shown:
            if message.buttons:
                self.buttons = [b for row in message.buttons for b in row]
        return self.text

    async def type(self, text: str) -> str:
        """Type a message (or a /command)."""
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return await self.send(Inbound(EventKind.COMMAND, command=name, text=args))
        return await self.send(Inbound(EventKind.TEXT, text=text))

    async def press(self, label: str) -> str:
        """Press the button whose label contains `label` (case-insensitive)."""
        found = [b for b in self.buttons if label.casefold() in b.label.casefold()]
        exact = [b for b in found if b.label.casefold().lstrip("✅ ") == label.casefold()]
        found = exact or found
        assert found, f"no button {label!r} among {self.labels()}\nlast reply:\n{self.text}"
        return await self.send(Inbound(EventKind.BUTTON, data=found[0].data))

    async def play(self, script: str) -> None:
        """Play a script (see the module docstring); fail at the first unmet expectation."""
        await play_script(self, script)


class Player(Protocol):
    """Whoever can play a script: type, press a button, and show what came back."""

    @property
    def text(self) -> str: ...

    async def type(self, text: str) -> str: ...

    async def press(self, label: str) -> str: ...


async def play_script(player: Player, script: str) -> None:
    """Play a script with `player` (see the module docstring); fail at the first unmet line."""
    for number, mark, rest in script_lines(script):
        if mark == ">":
            if rest.startswith("[") and rest.endswith("]"):
                await player.press(rest[1:-1])
            else:
                await player.type(rest)
        elif mark == "<":
            assert rest.casefold() in player.text.casefold(), (
                f"line {number}: expected {rest!r} in the reply:\n{player.text}"
            )
        else:
            assert rest.casefold() not in player.text.casefold(), (
                f"line {number}: did not expect {rest!r} in the reply:\n{player.text}"
            )
