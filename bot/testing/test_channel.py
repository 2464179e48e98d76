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

It runs on the real runtime (bot/channels/runtime.py), as Telegram does: each input is journaled
as an update of this channel, handled (a typed number becomes the press it means, the reply is
shaped to the channel and queued with its numbered keyboard), and the outbox sends the calls
to the channel, which shows them on the person's screen and refuses what the channel cannot
show (a 4th button, an edit), as a platform would.

Parts: the channel (only I/O, as a platform adapter), the running deployment (restart it: a new
Relais and runtime on the same file) and the phones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.channels.protocol import BadRequest, Capabilities, PlannedCall, Received, Target
from bot.channels.runtime import Runtime
from bot.core.domain import Button, EventKind, Inbound
from bot.service import Relais, open_relais
from bot.testing.conversation import play_script

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


# calls for things this channel does not have (a command menu): nothing to show
IGNORED_CALLS = frozenset({"setMyCommands"})


class ThreeButtonChannel:
    """The channel: journaled inputs in, platform calls out; only I/O, like a platform adapter."""

    name = CHANNEL
    capabilities = THREE_BUTTONS

    def __init__(self) -> None:
        self.screens: dict[str, list[Seen]] = defaultdict(list)  # chat → messages received
        self.calls: list[PlannedCall] = []  # every call asked for, in order (refused ones too)

    def receive(self, payload: dict[str, Any]) -> Received | None:
        """{"from": user, "text": …} or {"from": user, "press": button data}."""
        sender = str(payload.get("from", ""))
        if not sender:
            return None
        if "press" in payload:
            return Received(sender, sender, Inbound(EventKind.BUTTON, data=str(payload["press"])))
        text = str(payload.get("text", ""))
        if text.startswith("/") and len(text) > 1:
            name, _, args = text[1:].partition(" ")
            return Received(
                sender, sender, Inbound(EventKind.COMMAND, command=name.lower(), text=args)
            )
        return Received(sender, sender, Inbound(EventKind.TEXT, text=text))

    def target(self, payload: dict[str, Any]) -> Target:
        """The sender's chat, whatever went wrong."""
        sender = payload.get("from") if isinstance(payload, dict) else None
        return Target(str(sender) if sender else None)

    def is_status(self, payload: dict[str, Any]) -> bool:
        """No status changes on this channel."""
        del payload
        return False

    async def call(self, planned: PlannedCall) -> dict[str, Any] | None:
        """Show a planned call on the person's screen; refuse, as a platform would, what this
        channel cannot show."""
        if planned.method in IGNORED_CALLS:
            return None
        self.calls.append(planned)
        screen = self.screens[planned.chat]
        p = planned.payload
        if planned.method == "sendDocument":
            screen.append(Seen(f"📄 {p['kind']}", document=p["kind"]))
            return {"ok": True}
        if planned.method != "sendMessage":
            raise BadRequest(f"{planned.method}: not a call of this channel")
        buttons = tuple(Button(label, data) for row in p.get("keyboard", []) for label, data in row)
        if len(buttons) > (self.capabilities.buttons_per_message or len(buttons)):
            raise BadRequest("too many buttons")
        screen.append(Seen(p["text"], buttons, tuple(p.get("numbered", ()))))
        return {"ok": True}


class Running:
    """Relais running with the three-button channel on the shared runtime, as a deployment
    would: restart it and the phones keep their screens, the database its contents."""

    def __init__(self, relais: Relais, channel: ThreeButtonChannel | None = None) -> None:
        self.channel = channel or ThreeButtonChannel()
        self.relais = relais
        self.runtime = self._runtime()

    def _runtime(self) -> Runtime:
        # a phone plays a person at machine speed: no fairness budget (as one's own terminal)
        return Runtime(self.relais, self.channel, self.relais.clock, budgets=False)

    def phone(self, user: str) -> SmallPhone:
        """A person's phone on this channel."""
        return SmallPhone(self, user)

    async def send(self, user: str, payload: dict[str, Any]) -> None:
        """Journal one input of `user`, handle it and send what is due (the reply, and the
        messages Relais started meanwhile), as the runtime's workers would."""
        await self.runtime.journal_next(user, {"from": user, **payload})
        await self.runtime.process_pending()
        await self.runtime.drain()

    async def restart(self) -> Relais:
        """Stop Relais and start a new one (and its runtime) on the same database file; the
        test (or the fixture that opened the first) closes the last one."""
        await self.relais.close()
        self.relais = await open_relais(self.relais.settings, clock=self.relais.clock)
        self.runtime = self._runtime()
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
        await self.running.send(self.user, payload)
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
        await play_script(self, script)


def most_buttons(messages: Iterable[Seen]) -> int:
    """The most buttons any of these messages had."""
    return max((len(m.buttons) for m in messages), default=0)


def _pick(labels: list[str], wanted: str) -> int | None:
    """The index of the label equal to `wanted` (ticks aside), else of the first containing it."""
    folded = wanted.casefold()
    exact = [i for i, label in enumerate(labels) if label.casefold().lstrip("✅ ") == folded]
    found = [i for i, label in enumerate(labels) if folded in label.casefold()]
    return (exact or found)[0] if exact or found else None
