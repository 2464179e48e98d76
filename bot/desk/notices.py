"""Messages for someone else than the person who acted (a help request for the centre's
volunteers, a note on a CV for its author): queued as kind "notice" with the msgid and its
parameters, rendered when delivered, in the recipient's language of that moment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.domain import Button, Message, Person
from bot.core.i18n import N_, Translator
from bot.desk.corrections import say_parts
from bot.reach.queue import queue
from bot.reach.started import NewStarted, Started
from bot.storage.database import Tx

KIND = "notice"
CORRECTED = "cv_corrected"  # a volunteer corrected the person's CV: what changed
T_CORRECTED = N_(
    "Votre bénévole a corrigé votre CV : {parts}. Vous pouvez le voir dans « Mon CV »."
)


@dataclass(frozen=True)
class Msgid:
    """A notice parameter that is itself a text to translate (an outcome, a contract), in the
    recipient's language, at delivery."""

    text: str


def message_to_json(message: Message) -> dict[str, Any]:
    """A rendered message as JSON (notices queued by an older version were stored so)."""
    return {
        "text": message.text,
        "buttons": [[[b.label, b.data] for b in row] for row in message.buttons],
        "rtl": message.rtl,
        "document": message.document,
    }


def message_from_json(data: dict[str, Any]) -> Message:
    """Inverse of message_to_json."""
    rows = tuple(
        tuple(Button(str(label), str(payload)) for label, payload in row)
        for row in data.get("buttons", [])
    )
    return Message(
        str(data.get("text", "")),
        rows,
        rtl=bool(data.get("rtl")),
        document=str(data.get("document", "")),
    )


def _param(value: object) -> object:
    # names and numbers are shown as given; a Msgid is translated at delivery
    return {"msgid": value.text} if isinstance(value, Msgid) else value


async def notify(
    tx: Tx,
    person: Person,
    msgid: str,
    buttons: tuple[tuple[tuple[str, str], ...], ...] = (),
    subject_id: int | None = None,
    **params: object,
) -> None:
    """Queue a notice for a person: `msgid`, button labels (msgids too) and Msgid params are
    translated when it is delivered. `subject_id`: the person it is about, erased with them."""
    if person.id is None or person.stopped or person.blocked:
        return
    data = {
        "msgid": msgid,
        "params": {key: _param(value) for key, value in params.items()},
        "buttons": [[[label, payload] for label, payload in row] for row in buttons],
    }
    await queue(tx, NewStarted(person.id, KIND, data, subject_id=subject_id))


def render(t: Translator, started: Started) -> Message:
    """A queued notice in the recipient's language."""
    data = started.params
    params = {
        key: t.gettext(value["msgid"]) if isinstance(value, dict) else value
        for key, value in data.get("params", {}).items()
    }
    rows = tuple(
        tuple(Button(t.gettext(label), payload) for label, payload in row)
        for row in data.get("buttons", [])
    )
    return Message(t.gettext(data["msgid"], **params), rows, rtl=t.rtl)


def render_stored(t: Translator, started: Started) -> Message:
    """A notice an older version queued already written out (see migration 009)."""
    del t
    return message_from_json(started.params.get("message", {}))


async def tell_corrected(tx: Tx, person: Person, parts: list[list[str]]) -> None:
    """Queue for a person what a volunteer corrected in their CV: the parts' names (msgids),
    written in their language when delivered, within quiet hours like every notice."""
    if person.id is None or person.stopped or person.blocked or not parts:
        return
    await queue(tx, NewStarted(person.id, CORRECTED, {"parts": parts}))


def render_corrected(t: Translator, started: Started) -> Message:
    """What a volunteer corrected, in the person's language of the moment."""
    parts = started.params.get("parts")
    named = say_parts(t, parts if isinstance(parts, list) else [])
    return Message(t.gettext(T_CORRECTED, parts=named), rtl=t.rtl)
