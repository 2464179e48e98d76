"""Domain types shared by the engine, storage and channels; free of any platform type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    """What a person did."""

    TEXT = "text"  # typed a message
    BUTTON = "button"  # pressed a button (data = callback data)
    COMMAND = "command"  # typed /something (command without the slash, lower case)
    MEDIA = "media"  # sent a sticker, photo, voice note, file… (media = its kind)


@dataclass(frozen=True)
class Inbound:
    """One event from a person, already stripped of platform details."""

    kind: EventKind
    text: str = ""
    command: str = ""
    data: str = ""
    media: str = ""


@dataclass(frozen=True)
class Button:
    """A button: what the person reads and the opaque data sent back when pressed."""

    label: str
    data: str


@dataclass(frozen=True)
class Message:
    """One outbound message: text and optional rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    rtl: bool = False  # written in a right-to-left language
    typed: bool = False  # the answer is typed; buttons are only "back" or "skip"
    document: str = ""  # a file to deliver with the text, made by the channel: "cv_pdf"…
    sensitive: bool = False  # e.g. an invitation code: the channel keeps no copy once sent
    # its buttons change this very message (the ticks of a multiple choice): a channel puts
    # nothing else in it, or the first tick would wipe it out
    in_place: bool = False


@dataclass(frozen=True)
class Effect:
    """Something the engine's answer means for the rest of the world (a help request, a CV
    finished or changed…): the service acts on it with the database."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """What the engine answers to one inbound event.

    `echo` is the label of the pressed button, to show on the question it answered;
    `edit` replaces the pressed message (e.g. a multiple choice whose ticks changed).
    """

    messages: tuple[Message, ...] = ()
    echo: str | None = None
    edit: Message | None = None
    effects: tuple[Effect, ...] = ()


@dataclass
class Person:
    """Someone who talks to Relais on one channel."""

    channel: str
    external_id: str
    id: int | None = None
    locale: str | None = None  # None until the person has chosen a language
    consent: bool | None = None  # None until asked; False: refused or withdrawn
    centre: str | None = None
    stopped: bool = False  # asked for no more messages (/stop)
    blocked: bool = False  # blocked the bot on the platform
    consent_version: str | None = None  # the version of the notice agreed to (flow file)
    consent_at: datetime | None = None  # when the person agreed to it


@dataclass
class Frame:
    """A person's position in one flow: the step, this run's answers and the way back."""

    flow: str
    step: str
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)  # multiple choice being ticked
    # where a review is: {} the parts, {"s": 2} a part, {"s": 2, "i": 0} one of its items,
    # plus "del": 1 while asking to confirm a deletion
    view: dict[str, int] = field(default_factory=dict)
    # a correction run from a review: {"entry": [section, entry]} or {"add": section}, and
    # "item" (index in the saved list) when it changes one item; {} for a normal run
    edit: dict[str, Any] = field(default_factory=dict)
    # the onboarding notice shown again because it changed: ends at the consent question
    reconsent: bool = False
    # a reply flow: what opened it (e.g. {"exchange": 3}), handed back when it ends, never saved
    given: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        data: dict[str, Any] = {
            "flow": self.flow,
            "step": self.step,
            "answers": self.answers,
            "history": self.history,
            "selected": self.selected,
        }
        if self.view:
            data["view"] = self.view
        if self.edit:
            data["edit"] = self.edit
        if self.reconsent:
            data["reconsent"] = True
        if self.given:
            data["given"] = self.given
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Frame:
        """Inverse of to_json."""
        return cls(
            flow=data["flow"],
            step=data["step"],
            answers=dict(data.get("answers", {})),
            history=list(data.get("history", [])),
            selected=list(data.get("selected", [])),
            view=dict(data.get("view", {})),
            edit=dict(data.get("edit", {})),
            reconsent=bool(data.get("reconsent", False)),
            given=dict(data.get("given", {})),
        )


@dataclass
class Session:
    """Where a person is: the flows in progress (last is current) and flows left midway."""

    stack: list[Frame] = field(default_factory=list)
    paused: dict[str, Frame] = field(default_factory=dict)
    seq: int = 0  # bumped each time a question is asked; buttons carry it to detect stale ones
    # the volunteer desk's pending question (e.g. {"await": "note", "person": 12}) and counters
    desk: dict[str, Any] = field(default_factory=dict)

    @property
    def current(self) -> Frame | None:
        """The frame being answered, if any."""
        return self.stack[-1] if self.stack else None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "stack": [f.to_json() for f in self.stack],
            "paused": {k: f.to_json() for k, f in self.paused.items()},
            "seq": self.seq,
            **({"desk": self.desk} if self.desk else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Session:
        """Inverse of to_json."""
        return cls(
            stack=[Frame.from_json(f) for f in data.get("stack", [])],
            paused={k: Frame.from_json(f) for k, f in data.get("paused", {}).items()},
            seq=int(data.get("seq", 0)),
            desk=dict(data.get("desk", {})),
        )


@dataclass
class State:
    """Everything the engine needs about one person, and all it may change."""

    person: Person
    session: Session = field(default_factory=Session)
    profile: dict[str, Any] = field(default_factory=dict)
    # a volunteer, coordinator or admin: set by the desk for each event, never saved. The
    # engine then shows the desk's menu (effect DESK_MENU) where it would start the
    # beneficiaries' onboarding or show their menu.
    team: bool = field(default=False, compare=False)
    # where the person's CV stands with their centre, read from the follow-up when the state
    # is loaded ("cv.status", "cv.changed_at", "cv.note"), and whether offers come
    # ("offers.receive": "yes" or "no"): shown in texts and tested in conditions, never saved
    followup: dict[str, Any] = field(default_factory=dict, compare=False)


DESK_MENU = "desk_menu"  # the effect that asks the desk for its menu


@dataclass(frozen=True)
class Centre:
    """A local site of the charity."""

    id: str
    name: str
    address: str = ""
    hours: str = ""  # when volunteers can be met, as text
