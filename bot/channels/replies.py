"""A reply becomes planned calls in the outbox, in the order the person should see them, fitted
to what the channel can show. The calls' documents are made only when sent."""

from __future__ import annotations

from typing import Any

from bot.channels.protocol import Capabilities
from bot.core.domain import Message, Reply
from bot.desk import about
from bot.privacy import erasure
from bot.reach.delivery import REPLY
from bot.storage.database import Tx

RLM = "\u200f"


def shape(messages: tuple[Message, ...], capabilities: Capabilities) -> tuple[Message, ...]:
    """Fit messages to a channel's limits. Until bot.channels.shaping lands: as they are."""
    del capabilities
    return messages


def split_text(text: str, limit: int | None = 4096) -> list[str]:
    """Cut a long text into pieces the channel accepts, at line breaks when possible."""
    text = text or "…"
    if limit is None:
        return [text]
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return [p for p in pieces if p] or ["…"]


def directed(message: Message) -> str:
    """The text to send: in a right-to-left language each line starts with a right-to-left mark.

    Telegram sets each paragraph's direction from its first strong letter, so a line opening
    with "/menu", a number or a French name would otherwise be laid out left to right.
    """
    if not message.rtl:
        return message.text
    return "\n".join(RLM + line for line in message.text.split("\n"))


def keyboard(message: Message) -> list[list[list[str]]]:
    """Buttons as JSON-ready rows of [label, callback data]."""
    return [[[b.label, b.data] for b in row] for row in message.buttons]


class Planner:
    """Queues the planned calls of replies and of messages Relais starts, for one channel."""

    def __init__(self, channel: str, capabilities: Capabilities) -> None:
        self.channel = channel
        self.capabilities = capabilities

    async def queue_reply(
        self, tx: Tx, chat: str, reply: Reply, pressed: dict[str, Any], priority: int = REPLY
    ) -> None:
        """Queue the calls of a reply to an event that came from `chat` (`pressed`: the message
        whose button was pressed, if any)."""
        # the last messages to someone who erased their data: no row of their chat stays
        farewell = erasure.asked(reply)
        # a volunteer's answer showing a person (page, phone) or several (a list) is erased
        # with any of them while queued
        shows = about.subject_of(reply)
        among = about.people_of(reply) if shows is None else ()
        marks = {"subject_id": shows, "sensitive": farewell, "shows": among}
        message_id = pressed.get("message_id")
        limit = self.capabilities.text_length
        messages = reply.messages
        if not self.capabilities.can_edit:
            # the choice is shown apart, and the changed message comes again as a new one
            if reply.echo:
                text = f"✓ {reply.echo}"
                await self._enqueue(
                    tx, chat, "sendMessage", {"text": text, "echo": reply.echo}, priority, marks
                )
            if reply.edit is not None:
                messages = (reply.edit, *messages)
        elif message_id is not None and reply.edit is not None:
            edit = {
                "message_id": message_id,
                "text": split_text(self._text(reply.edit), limit)[0],
                "keyboard": keyboard(reply.edit),
            }
            await self._enqueue(tx, chat, "editMessageText", edit, priority, marks)
        elif message_id is not None and reply.echo and pressed.get("text"):
            # keep the question, drop its buttons, and show which one was pressed
            text = f"{pressed['text']}\n\n✅ {reply.echo}"
            edit = {"message_id": message_id, "text": split_text(text, limit)[0], "keyboard": []}
            await self._enqueue(tx, chat, "editMessageText", edit, priority, marks)
        await self.queue_messages(
            tx,
            chat,
            messages,
            subject_id=shows,
            sensitive=farewell,
            shows=among,
            priority=priority,
        )
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
        *,
        subject_id: int | None = None,
        sensitive: bool = False,
        shows: tuple[int, ...] = (),
        priority: int = REPLY,
    ) -> None:
        """Queue messages to `chat`: each as text pieces the channel accepts, the buttons on the
        last piece, then its document's kind (the file is made when sent, never kept)."""
        for message in shape(messages, self.capabilities):
            marks = {
                "subject_id": subject_id,
                "sensitive": sensitive or message.sensitive,
                "shows": shows,
            }
            pieces = split_text(self._text(message), self.capabilities.text_length)
            for i, piece in enumerate(pieces):
                payload: dict[str, Any] = {
                    "text": piece,
                    "keyboard": keyboard(message) if i == len(pieces) - 1 else [],
                }
                if message.typed:
                    payload["typed"] = True  # numbers are answers there, not buttons
                await self._enqueue(tx, chat, "sendMessage", payload, priority, marks)
            if message.document:
                await self._enqueue(
                    tx, chat, "sendDocument", {"kind": message.document}, priority, marks
                )

    def _text(self, message: Message) -> str:
        return directed(message) if self.capabilities.direction_marks else message.text

    async def _enqueue(
        self,
        tx: Tx,
        chat: str,
        method: str,
        payload: dict[str, Any],
        priority: int,
        marks: dict[str, Any],
    ) -> None:
        await tx.enqueue(
            chat,
            method,
            payload,
            subject_id=marks["subject_id"],
            sensitive=marks["sensitive"],
            shows=marks["shows"],
            channel=self.channel,
            priority=priority,
        )
