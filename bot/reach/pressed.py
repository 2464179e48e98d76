"""What the kind of a message Relais started is given when one of its buttons is pressed, and
what it answers: messages, and perhaps a reply flow to open over the person's question."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.domain import Message, State
from bot.core.i18n import Catalogs, Translator
from bot.reach.started import Started
from bot.storage.database import Tx


@dataclass(frozen=True)
class Pressing:
    """One press, checked (the right person, still valid): the message and the choice."""

    tx: Tx
    catalogs: Catalogs  # the presser's language, and others' (a notice to a volunteer)
    started: Started
    choice: str
    now: datetime
    admins: tuple[str, ...] = ()  # the configuration's admins (who may see every centre)

    @property
    def t(self) -> Translator:
        """The presser's language now."""
        return self.catalogs.get(self.started.person.locale)

    def say(self, msgid: str, **params: object) -> Message:
        """A message in the presser's language."""
        return Message(self.t.gettext(msgid, **params), rtl=self.t.rtl)


@dataclass(frozen=True)
class ReplyOpening:
    """A reply flow to open over the question in progress, with what it is about."""

    flow: str
    given: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Answered:
    """A kind's answer to a press: what it says, then either the question in progress again
    or, with `opens`, a reply flow (which asks that question again when it ends)."""

    messages: tuple[Message, ...] = ()
    opens: ReplyOpening | None = None


@dataclass(frozen=True)
class Replied:
    """A reply flow a kind opened has ended: its answers, and what opened it (`given`)."""

    tx: Tx
    catalogs: Catalogs
    state: State  # the person who answered, as saved after this event
    flow: str
    answers: dict[str, Any]
    given: dict[str, Any]
    now: datetime
    admins: tuple[str, ...] = ()
