"""A third channel, for tests only: 3 buttons a message, no list messages, no edits.

It runs the real engine on a real SQLite file and shows a test what a person would see once
replies are shaped to such a channel (bot/channels/shaping.py): messages with at most 3
buttons, longer choices as numbered text ("1. …") that a typed number answers, edits and
echoes as new messages. Flow authors use it to check that a flow reads well on a small
channel (WhatsApp has 3 buttons too).

    ana = Running(relais).phone("ana")
    await ana.play('''
        > /start
        < 1. Français
        > 1
        > [Oui]
    ''')

Script lines are those of bot/testing/conversation.py; `> [Label]` presses a button shown on
the latest message that has buttons, never a numbered choice (type its number, as a person
would).

Parts: the channel (only I/O, as a platform adapter), `drive` (what the shared runtime does
with an event: small, and the one part to replace by the runtime), the running deployment
(restart it: a new Relais on the same file) and the phones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.channels.keyboards import remember, resolve_typed
from bot.channels.protocol import Capabilities, PlannedCall, Received
from bot.channels.shaping import T_OPEN_LIST, Shaped, shape
from bot.core.domain import Button, EventKind, Inbound, Reply
from bot.reach.delivery import take_due
from bot.service import Relais, open_relais
from bot.storage.database import Tx
from bot.testing.conversation import script_lines

CHANNEL = "three_buttons"
THREE_BUTTONS = Capabilities(
    buttons_per_message=3,
    list_rows=0,
    label_length=24,
    data_length=64,
    text_length=4096,
    can_edit=False,
)


@dataclass(frozen=True)
class Seen:
    """A message on the person's screen."""

    text: str
    buttons: tuple[Button, ...] = ()
    numbered: tuple[str, ...] = ()  # labels of the numbered choices in the text
    document: str = ""  # the kind of file that came with it

    def lines(self) -> list[str]:
        """As a test reads it: the text, then the buttons as [Label]."""
        return [self.text, *(f"[{b.label}]" for b in self.buttons)]


class ThreeButtonChannel:
    """The channel: events in, platform calls out; only I/O, like a platform adapter."""

    name = CHANNEL
    capabilities = THREE_BUTTONS

    def __init__(self) -> None:
        self.screens: dict[str, list[Seen]] = defaultdict(list)  # chat → messages received
        self.calls: list[PlannedCall] = []  # every call made, in order

    def receive(self, payload: dict[str, Any]) -> Received | None:
        """{"from": user, "text": …} or {"from": user, "press": button data}."""
        sender = str(payload.get("from", ""))
        if not sender:
            return None
        if "press" in payload:
            event = Inbound(EventKind.BUTTON, data=str(payload["press"]))
            return Received(sender, sender, event, pressed={"seen": True})
        text = str(payload.get("text", ""))
        if text.startswith("/") and len(text) > 1:
            name, _, args = text[1:].partition(" ")
            return Received(
                sender, sender, Inbound(EventKind.COMMAND, command=name.lower(), text=args)
            )
        return Received(sender, sender, Inbound(EventKind.TEXT, text=text))

    def plan(self, chat: str, shaped: Shaped) -> list[PlannedCall]:
        """The platform calls of a shaped reply, JSON-ready (as an outbox would store them)."""
        calls = []
        for shown in shaped.messages:
            assert not shown.options, "this channel has no list messages"
            payload = {
                "text": shown.text,
                "buttons": [[b.label, b.data] for row in shown.buttons for b in row],
                "numbered": [b.label for b in shown.numbered],
            }
            calls.append(PlannedCall(chat, "sendMessage", payload))
            if shown.document:
                calls.append(PlannedCall(chat, "sendDocument", {"kind": shown.document}))
        return calls

    async def call(self, planned: PlannedCall) -> dict[str, Any] | None:
        """Show a planned call on the person's screen."""
        self.calls.append(planned)
        screen = self.screens[planned.chat]
        if planned.method == "sendDocument":
            screen.append(Seen(f"📄 {planned.payload['kind']}", document=planned.payload["kind"]))
            return {"ok": True}
        if planned.method != "sendMessage":
            raise ValueError(f"{planned.method}: not a call of this channel")
        buttons = tuple(Button(label, data) for label, data in planned.payload["buttons"])
        # the channel's own limits, checked as a platform would refuse a call
        assert len(buttons) <= (self.capabilities.buttons_per_message or len(buttons))
        seen = Seen(planned.payload["text"], buttons, tuple(planned.payload["numbered"]))
        screen.append(seen)
        return {"ok": True}


async def drive(relais: Relais, channel: ThreeButtonChannel, payload: dict[str, Any]) -> None:
    """What the runtime does with one event, in one transaction: a typed number becomes the
    press it means, the engine answers, the reply is shaped to the channel and its numbered
    keyboard stored; then the calls are made, and the messages Relais started meanwhile."""
    received = channel.receive(payload)
    if received is None or received.event is None:
        return
    event = received.event
    async with relais.storage.transaction() as tx:
        if event.kind == EventKind.TEXT:
            event = await resolve_typed(tx, channel.name, received.chat, event.text)
        reply = await relais.handle(tx, channel.name, received.sender, event)
        pressed = bool(received.pressed)
        calls = await _planned(tx, relais, channel, received.chat, reply, pressed)
        for due in await take_due(
            tx, relais.catalogs, channel.name, relais.clock(), quiet=relais.settings.quiet_hours
        ):
            chat = due.person.external_id
            calls += await _planned(tx, relais, channel, chat, Reply((due.message,)), False)
    for planned in calls:
        await channel.call(planned)


async def _planned(
    tx: Tx, relais: Relais, channel: ThreeButtonChannel, chat: str, reply: Reply, pressed: bool
) -> list[PlannedCall]:
    person = await tx.find_person(channel.name, chat)
    opener = relais.catalogs.get(person.locale if person else None).gettext(T_OPEN_LIST)
    shaped = shape(reply, channel.capabilities, list_label=opener, pressed=pressed)
    await remember(tx, channel.name, chat, shaped)
    return channel.plan(chat, shaped)


class Running:
    """Relais running with the three-button channel, as a deployment would: restart it and
    the phones keep their screens, the database its contents."""

    def __init__(self, relais: Relais, channel: ThreeButtonChannel | None = None) -> None:
        self.relais = relais
        self.channel = channel or ThreeButtonChannel()

    def phone(self, user: str) -> SmallPhone:
        """A person's phone on this channel."""
        return SmallPhone(self, user)

    async def restart(self) -> Relais:
        """Stop Relais and start a new one on the same database file; the test (or the
        fixture that opened the first) closes the last one."""
        await self.relais.close()
        self.relais = await open_relais(self.relais.settings, clock=self.relais.clock)
        return self.relais


class SmallPhone:
    """One person on the three-button channel, played by a test."""

    def __init__(self, running: Running, user: str = "ana") -> None:
        self.running = running
        self.channel = running.channel
        self.user = user
        self.seen: list[Seen] = []  # what arrived since the last input
        self.typed_numbers = 0  # choices `press` made by typing their number

    @property
    def screen(self) -> list[Seen]:
        """Every message this person received."""
        return self.channel.screens[self.user]

    @property
    def text(self) -> str:
        """What arrived since the last input, buttons shown as [Label]."""
        return "\n".join(line for seen in self.seen for line in seen.lines())

    @property
    def choices(self) -> tuple[Seen, ...]:
        """The latest message with buttons or numbered choices (empty when none)."""
        for seen in reversed(self.screen):
            if seen.buttons or seen.numbered:
                return (seen,)
        return ()

    @property
    def buttons(self) -> tuple[Button, ...]:
        """The buttons of the latest message with choices (none when its choices are numbered:
        those are answered by typing)."""
        return tuple(b for seen in self.choices for b in seen.buttons)

    async def send(self, payload: dict[str, Any]) -> str:
        """Send one event; the text of what arrived."""
        before = len(self.screen)
        await drive(self.running.relais, self.channel, {"from": self.user, **payload})
        self.seen = self.screen[before:]
        return self.text

    async def type(self, text: str) -> str:
        """Type a message: text, a /command or the number of a choice."""
        return await self.send({"text": text})

    async def press(self, label: str) -> str:
        """Press the button whose label contains `label` (case-insensitive) on the latest message
        with choices; where the choices are numbered, type the number of that choice, as the
        person would. So scripts written for buttons play here unchanged."""
        labels = [b.label for b in self.buttons] or [n for s in self.choices for n in s.numbered]
        index = _pick(labels, label)
        assert index is not None, f"no choice {label!r} among {labels}\nlast messages:\n{self.text}"
        if self.buttons:
            return await self.send({"press": self.buttons[index].data})
        self.typed_numbers += 1
        return await self.type(str(index + 1))

    async def play(self, script: str) -> None:
        """Play a script (see bot/testing/conversation.py); fail at the first unmet line."""
        for number, mark, rest in script_lines(script):
            if mark == ">":
                if rest.startswith("[") and rest.endswith("]"):
                    await self.press(rest[1:-1])
                else:
                    await self.type(rest)
            elif mark == "<":
                assert rest.casefold() in self.text.casefold(), (
                    f"line {number}: expected {rest!r} in:\n{self.text}"
                )
            else:
                assert rest.casefold() not in self.text.casefold(), (
                    f"line {number}: did not expect {rest!r} in:\n{self.text}"
                )


def most_buttons(messages: Iterable[Seen]) -> int:
    """The most buttons any of these messages had."""
    return max((len(m.buttons) for m in messages), default=0)


def _pick(labels: list[str], wanted: str) -> int | None:
    """The index of the label equal to `wanted` (ticks aside), else of the first containing it."""
    folded = wanted.casefold()
    exact = [i for i, label in enumerate(labels) if label.casefold().lstrip("✅ ") == folded]
    found = [i for i, label in enumerate(labels) if folded in label.casefold()]
    return (exact or found)[0] if exact or found else None
