"""Every kind of message Relais starts: how it is rendered at delivery and, if it has buttons,
who answers them. One table: a new capability adds its row here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.domain import Message
from bot.core.i18n import Translator
from bot.desk import notices
from bot.reach import erasure_warning
from bot.reach.started import Started
from bot.storage.database import Tx

Renderer = Callable[[Translator, Started], Message]
PressHandler = Callable[[Tx, Translator, Started, str, datetime], Awaitable[tuple[Message, ...]]]
StillDue = Callable[[Tx, Started], Awaitable[bool]]


@dataclass(frozen=True)
class Kind:
    """How one kind is written (in the recipient's language) and what its buttons do."""

    render: Renderer
    press: PressHandler | None = None  # None: no buttons of its own
    already: str = ""  # msgid said when its button is pressed a second time
    # asked at delivery: False drops the message (what it said is no longer true)
    still_due: StillDue | None = None
    choices: tuple[str, ...] = ()  # the choices its buttons carry; any other is forged


KINDS: dict[str, Kind] = {
    notices.KIND: Kind(notices.render),
    notices.CORRECTED: Kind(notices.render_corrected),
    "rendered": Kind(notices.render_stored),
    erasure_warning.KIND: Kind(
        erasure_warning.render,
        erasure_warning.press,
        erasure_warning.T_ALREADY,
        erasure_warning.still_due,
        (erasure_warning.CHOICE,),
    ),
}
