"""Typed numbers on channels that show choices as numbered text: "2" presses the second choice
of the chat's last numbered message, also after a restart (the keyboard is in the database).

The runtime calls `remember` in the transaction that queues a shaped reply, and
`resolve_typed` on each typed text before handling it.
"""

from __future__ import annotations

from bot.channels.shaping import Shaped
from bot.core.domain import EventKind, Inbound
from bot.storage.database import Tx

NUMBER_ENDS = ".)"  # "2." and "2)" are how people copy a numbered line


async def remember(tx: Tx, channel: str, chat: str, shaped: Shaped) -> None:
    """Store what a typed number presses after this reply: its numbered choices, or nothing
    when its last message has none (an older list must not be pressed by a number meant for a
    newer question); a reply that shows nothing leaves the stored keyboard as it was."""
    if not shaped.renews_keyboard:
        return
    if shaped.keyboard:
        await tx.store_keyboard(channel, chat, shaped.keyboard)
    else:
        await tx.clear_keyboard(channel, chat)


def choice_number(text: str) -> int | None:
    """The number a typed text stands for ("2", " 2 ", "2."), or None when it is not one."""
    stripped = text.strip().rstrip(NUMBER_ENDS).strip()
    # isascii: "²" or Arabic-Indic digits pass isdigit() but are not how a list is numbered
    if not (stripped.isascii() and stripped.isdigit()) or len(stripped) > 3:
        return None
    return int(stripped)


async def resolve_typed(tx: Tx, channel: str, chat: str, text: str) -> Inbound:
    """A typed text as the event it means: the press of a numbered choice shown last in this
    chat, or the text itself (a number out of range, or with no numbered choices on screen, is
    an answer like any other: a year, a postcode, "2" children)."""
    number = choice_number(text)
    if number is not None:
        keyboard = await tx.stored_keyboard(channel, chat)
        if 1 <= number <= len(keyboard):
            return Inbound(EventKind.BUTTON, data=keyboard[number - 1])
    return Inbound(EventKind.TEXT, text=text)
