"""A reply becomes planned calls in the outbox, in the order the person should see them, fitted
to what the channel can show (bot.channels.shaping). The calls' documents are made only when
sent.

The calls a channel may be asked to make for a message:
- "sendMessage" {"text", "keyboard": rows of [label, data], "typed"?, "numbered"?, "echo"?}
  ("numbered": labels of the choices written in the text, that a typed number picks; "echo":
  the message only says which answer was taken);
- "sendList" {"text", "opener", "rows": [[label, data], …]}: a list message, planned only for
  a channel whose Capabilities allow lists (list_rows), as shaping never makes one elsewhere;
- "editMessageText" {"message_id", "text", "keyboard"}: only for a channel that can edit;
- "editMessageReplyMarkup" {"message_id"}: the message keeps its text and loses its buttons
  (a question answered, its answer shown at the top of the next one); only for a channel that
  can edit, queued at the TIDY priority: after everyone's replies;
- "sendDocument" {"kind"}: the file is made when sent, never kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.channels import keyboards
from bot.channels.protocol import Capabilities
from bot.channels.shaping import ECHO_MARK, T_OPEN_LIST, Shaped, Shown, shape, split_text
from bot.core.domain import Button, Message, Reply
from bot.core.i18n import Translator
from bot.desk import about
from bot.privacy import erasure
from bot.reach.delivery import REPLY, TIDY
from bot.storage.database import Tx


@dataclass(frozen=True)
class Call:
    """One planned call of a shaped reply, before it is queued for a chat."""

    method: str
    payload: dict[str, Any]
    sensitive: bool = False  # no copy kept once sent
    priority: int | None = None  # None: the reply's own; TIDY: whenever the rate is free


def rows(buttons: tuple[tuple[Button, ...], ...]) -> list[list[list[str]]]:
    """Buttons as JSON-ready rows of [label, callback data]."""
    return [[[b.label, b.data] for b in row] for row in buttons]


def plan(shaped: Shaped, pressed: dict[str, Any], limit: int | None) -> list[Call]:
    """The calls of a shaped reply, in order: the pressed message changed (a channel that can
    edit), then each message, then the pressed message's buttons taken off (low urgency).
    `pressed`: the message whose button was pressed ("message_id", "text"), if known; `limit`:
    the channel's text length."""
    calls: list[Call] = []
    message_id = pressed.get("message_id")
    if message_id is not None and shaped.edit is not None:
        edit = shaped.edit
        payload = {"message_id": message_id, "text": edit.text, "keyboard": rows(edit.buttons)}
        calls.append(Call("editMessageText", payload, edit.sensitive))
    elif message_id is not None and shaped.echo and pressed.get("text"):
        # keep the question, drop its buttons, and show which one was pressed
        text = f"{pressed['text']}\n\n{ECHO_MARK} {shaped.echo}"
        payload = {"message_id": message_id, "text": split_text(text, limit)[0], "keyboard": []}
        calls.append(Call("editMessageText", payload))
    for shown in shaped.messages:
        calls.append(_message(shown))
        if shown.document:
            calls.append(Call("sendDocument", {"kind": shown.document}, shown.sensitive))
    if message_id is not None and shaped.tidy:
        # the answer opens the next message: the old question's buttons go when nobody waits
        calls.append(Call("editMessageReplyMarkup", {"message_id": message_id}, priority=TIDY))
    return calls


def _message(shown: Shown) -> Call:
    if shown.options is not None:
        listed = [[b.label, b.data] for b in shown.options.rows]
        opened = {"text": shown.text, "opener": shown.options.opener, "rows": listed}
        return Call("sendList", opened, shown.sensitive)
    payload: dict[str, Any] = {"text": shown.text, "keyboard": rows(shown.buttons)}
    if shown.typed:
        payload["typed"] = True  # numbers are answers there, not buttons
    if shown.numbered:
        payload["numbered"] = [b.label for b in shown.numbered]
    if shown.echo:
        payload["echo"] = shown.echo
    return Call("sendMessage", payload, shown.sensitive)


class Planner:
    """Queues the planned calls of replies and of messages Relais starts, for one channel."""

    def __init__(self, channel: str, capabilities: Capabilities) -> None:
        self.channel = channel
        self.capabilities = capabilities

    def shape(self, reply: Reply, translator: Translator, pressed: bool) -> Shaped:
        """`reply` fitted to the channel, a list's opening label in the recipient's language."""
        return shape(
            reply,
            self.capabilities,
            list_label=translator.gettext(T_OPEN_LIST),
            rtl_marks=self.capabilities.direction_marks,
            pressed=pressed,
        )

    async def queue_reply(
        self,
        tx: Tx,
        chat: str,
        reply: Reply,
        pressed: dict[str, Any],
        translator: Translator,
        priority: int = REPLY,
    ) -> None:
        """Queue the calls of a reply to an event that came from `chat` (`pressed`: the message
        whose button was pressed, if any; `translator`: the recipient's language)."""
        # the last messages to someone who erased their data: no row of their chat stays
        farewell = erasure.asked(reply)
        # a volunteer's answer showing a person (page, phone) or several (a list) is erased
        # with any of them while queued
        shows = about.subject_of(reply)
        among = about.people_of(reply) if shows is None else ()
        # an edit needs the pressed message; without it, edits and echoes come as new messages
        shaped = self.shape(reply, translator, pressed.get("message_id") is not None)
        await self._queue(tx, chat, shaped, pressed, shows, farewell, among, priority)
        for effect in reply.effects:
            if effect.name == "team_commands":
                # volunteers find their commands in the app's menu, in their language; a
                # coordinator removing someone sets that person's menu ("chat", "channel"),
                # which that channel's sender makes (a channel without a menu ignores it)
                data = dict(effect.data)
                target, channel = data.pop("chat", chat), data.pop("channel", self.channel)
                await tx.enqueue(
                    str(target), "setMyCommands", data, channel=channel, priority=priority
                )

    async def queue_messages(
        self,
        tx: Tx,
        chat: str,
        messages: tuple[Message, ...],
        translator: Translator,
        *,
        subject_id: int | None = None,
        shows: tuple[int, ...] = (),
        priority: int = REPLY,
        mark: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue messages Relais starts to `chat`, shaped as a reply that nobody pressed
        (`shows`: everyone else they name, erased with any of them while queued; `mark`:
        added to each call's payload, for the sender to report once it left)."""
        shaped = self.shape(Reply(messages), translator, pressed=False)
        await self._queue(tx, chat, shaped, {}, subject_id, False, shows, priority, mark)

    async def _queue(
        self,
        tx: Tx,
        chat: str,
        shaped: Shaped,
        pressed: dict[str, Any],
        subject_id: int | None,
        sensitive: bool,
        shows: tuple[int, ...],
        priority: int,
        mark: Mapping[str, Any] | None = None,
    ) -> None:
        # in the transaction that queues the reply: a typed number presses what it showed
        await keyboards.remember(tx, self.channel, chat, shaped)
        for call in plan(shaped, pressed, self.capabilities.text_length):
            await tx.enqueue(
                chat,
                call.method,
                {**call.payload, **mark} if mark else call.payload,
                subject_id=subject_id,
                sensitive=sensitive or call.sensitive,
                shows=shows,
                channel=self.channel,
                priority=priority if call.priority is None else call.priority,
            )
