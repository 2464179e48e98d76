"""What a channel is: what it can show, and the I/O it does. Everything else (journal, workers,
outbox, retries, fairness, shaping replies to the channel's limits) is the shared runtime's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.domain import Inbound

if TYPE_CHECKING:
    from bot.documents.maker import Document


@dataclass(frozen=True)
class Capabilities:
    """What a channel can show. None: no limit (or no such thing, for the reply window)."""

    buttons_per_message: int | None = None  # inline buttons on one message
    list_rows: int | None = None  # rows of a list message (0: no list messages)
    label_length: int | None = None  # characters of a button's label
    data_length: int | None = None  # bytes of a button's data
    text_length: int | None = None  # characters of one message
    can_edit: bool = True  # can change a message already sent
    reply_window: timedelta | None = None  # how long after the person's last message we may write
    # each line of a right-to-left text starts with a right-to-left mark (the app lays out a
    # paragraph by its first strong letter)
    direction_marks: bool = False
    # a reply's messages without buttons go at the top of the next one, a blank line between,
    # where the text fits (each message costs a call the platform's sending rate counts)
    joins_messages: bool = False
    # the pace bulk sends (an offer's broadcast) keep, a little below the platform's overall
    # pace: the calls they leave free are the replies', which then never queue behind them
    bulk_per_second: float | None = None


@dataclass(frozen=True)
class Received:
    """A platform update turned into an event: who sent it, where to answer, what it means."""

    sender: str  # the person's id on the platform
    chat: str  # where replies go
    event: Inbound | None  # None: nothing to answer (a status change, an unknown kind)
    language_code: str | None = None  # the platform's language of the person, if it tells
    pressed: dict[str, Any] = field(default_factory=dict)  # the message a button was on
    acknowledge: PlannedCall | None = None  # made whatever follows (a press stops spinning)
    group: bool = False  # a group chat: Relais says it works in private only, and leaves
    blocked: bool | None = None  # a status change: the person blocked (True) or unblocked us


@dataclass(frozen=True)
class Journaled:
    """A platform update as the journal keeps it: its id, its sender, the fields Relais reads."""

    update_id: int
    sender: str | None  # the person's id on the platform, for fair turns (None: nobody)
    payload: dict[str, Any]


@dataclass(frozen=True)
class Target:
    """Where to say sorry for an update that could not be handled, read from any shape."""

    chat: str | None  # a private chat to write to (None: none)
    acknowledge: PlannedCall | None = None  # a button press to answer
    language_code: str | None = None


# A payload's key asking the channel to return the platform's id of the message sent
# ({"message_id": …}, kept as the outbox row's result), for a message edited later.
KEEP_ID = "keep_id"


@dataclass(frozen=True)
class PlannedCall:
    """One platform call the outbox will make: a method and its JSON-ready parameters."""

    chat: str
    method: str  # "sendMessage", "editMessageText", "sendDocument", "answerCallbackQuery"…
    payload: dict[str, Any]
    document: Document | None = None  # a "sendDocument" call's file, made just before sending


class ChannelError(Exception):
    """A platform call failed; the runtime decides what follows from the subclass."""


class RetryAfter(ChannelError):
    """The platform asks to wait before trying again (flood control)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:.0f} s")
        self.seconds = seconds


class Blocked(ChannelError):
    """The person blocked the bot or left: nothing more is sent to them."""


class BadRequest(ChannelError):
    """The platform refused this call; trying again would not help."""

    def __init__(self, reason: str, harmless: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:80]  # platform error descriptions, short; never message text
        self.harmless = harmless  # e.g. "message is not modified": counts as sent


class Unavailable(ChannelError):
    """The platform could not be reached, or failed on its side: try again later."""


class Channel(Protocol):
    """A platform adapter: only I/O."""

    name: str
    capabilities: Capabilities

    def receive(self, payload: dict[str, Any]) -> Received | None:
        """Turn a journaled platform update into an event (None: ignore it)."""
        ...

    def target(self, payload: dict[str, Any]) -> Target:
        """Where to apologise for this update, whatever its shape; never raises."""
        ...

    def is_status(self, payload: dict[str, Any]) -> bool:
        """Whether this update is a status change (handled whatever the sender's budget)."""
        ...

    async def call(self, planned: PlannedCall) -> dict[str, Any] | None:
        """Make one platform call; raise a ChannelError subclass when it fails."""
        ...
