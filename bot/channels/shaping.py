"""Fitting a reply to what a channel can show: long texts cut, too many buttons turned into a
list or into numbered text, long labels shortened, edits sent as new messages where a channel
cannot edit, the answer to a pressed question shown at the top of the next one where it can.
Pure: no I/O; the runtime plans platform calls from the result.

Numbered text ("1. …" under the question) is the last resort: its options are returned as the
keyboard to store (bot/channels/keyboards.py), so that a typed "2" presses the second one, also
after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.channels.protocol import Capabilities
from bot.core.domain import Button, Message, Reply
from bot.core.i18n import N_

# the one button that opens a list message (WhatsApp: at most 20 characters)
T_OPEN_LIST = N_("Voir les choix")
RLM = "\u200f"
ELLIPSIS = "…"
ECHO_MARK = "✅"


@dataclass(frozen=True)
class OptionList:
    """A list message's choices: one button that opens the list, and its rows."""

    opener: str
    rows: tuple[Button, ...]


@dataclass(frozen=True)
class Shown:
    """One message as the channel can show it: at most one of buttons, options and numbered."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()  # within the channel's limits
    options: OptionList | None = None  # a list message
    numbered: tuple[Button, ...] = ()  # written in the text as "1. …": a typed number picks one
    document: str = ""  # a file to deliver after this message (see Message.document)
    sensitive: bool = False  # no copy kept once sent (see Message.sensitive)
    typed: bool = False  # its answer is typed: a number typed there is an answer, not a button
    echo: str = ""  # only says which answer was taken (a channel may show that its own way)


@dataclass(frozen=True)
class Shaped:
    """A reply fitted to one channel, in the order the person should see it.

    `edit` and `echo` are kept only for a channel that can edit the pressed message; elsewhere
    they come first among `messages`. Where the next question follows at once, the echo opens
    it instead ("✅ Oui", then the question) and `tidy` asks only that the pressed message lose
    its buttons, whenever the sending rate is free: one urgent call per press instead of two.
    `keyboard`: the button data a typed number presses after this reply (empty: none);
    `renews_keyboard` is False when the reply shows nothing, so the stored keyboard stays as it
    was.
    """

    messages: tuple[Shown, ...]
    edit: Shown | None = None
    echo: str | None = None
    keyboard: tuple[str, ...] = ()
    renews_keyboard: bool = False
    tidy: bool = False


def shape(
    reply: Reply,
    capabilities: Capabilities,
    *,
    list_label: str = T_OPEN_LIST,
    rtl_marks: bool = False,
    pressed: bool = True,
) -> Shaped:
    """Fit `reply` to `capabilities`.

    `list_label`: the list opener's label, translated by the caller into the person's language.
    `rtl_marks`: start each line of a right-to-left message with a right-to-left mark (a
    platform that sets a paragraph's direction from its first letter, like Telegram).
    `pressed`: the event came from a button on a message that can be edited (False for a typed
    number or a typed text: an edit or an echo then becomes a new message).
    """
    fit = _Fitter(capabilities, list_label, rtl_marks)
    editing = capabilities.can_edit and pressed
    edit: Shown | None = None
    echo: str | None = None
    tidy = False
    first: list[Shown] = []
    following = reply.messages
    if reply.edit is not None:
        if editing:
            edit = fit.edited(reply.edit)
        else:
            first = fit.message(reply.edit)
    if capabilities.joins_messages:
        following = joined(following, capabilities.text_length)
    if reply.edit is None and reply.echo:
        if editing and following and not following[0].in_place:
            # the answer opens what follows; the pressed question only loses its buttons, later
            opening = following[0]
            text = f"{ECHO_MARK} {reply.echo}\n\n{opening.text}"
            following = (replace(opening, text=text), *following[1:])
            tidy = True
        elif editing:
            echo = reply.echo  # shown on the pressed question
        else:
            # the question stays as it was: say below it which answer was taken
            first = [Shown(f"{ECHO_MARK} {reply.echo}", echo=reply.echo)]
    messages = tuple(first) + tuple(s for m in following for s in fit.message(m))
    shown = ((edit,) if edit is not None else ()) + messages
    if not shown:
        return Shaped(messages, edit, echo)
    # only the last message's numbers mean something: a newer message ends an older keyboard
    keyboard = tuple(b.data for b in shown[-1].numbered)
    return Shaped(messages, edit, echo, keyboard, renews_keyboard=True, tidy=tidy)


def joined(messages: tuple[Message, ...], limit: int | None) -> tuple[Message, ...]:
    """A reply's messages with each one that has neither buttons nor a document put at the top
    of the next, a blank line between, where the joined text fits in one message: "Partie 2 sur
    5" and its first question, or a summary and the menu, come as one message (one call). A
    message ticked in place (Message.in_place) is left alone: a tick rewrites it whole."""
    out: list[Message] = []
    for message in messages:
        before = out[-1] if out else None
        if (
            before is not None
            and not message.in_place
            and not before.buttons
            and not before.document
            and before.sensitive == message.sensitive
            and before.rtl == message.rtl
            and (limit is None or len(before.text) + 2 + len(message.text) <= limit)
        ):
            out[-1] = replace(message, text=f"{before.text}\n\n{message.text}")
        else:
            out.append(message)
    return tuple(out)


def split_text(text: str, limit: int | None) -> list[str]:
    """Cut a long text into pieces of at most `limit` characters, at line breaks when possible
    (None: no limit)."""
    text = text or ELLIPSIS
    pieces = []
    while limit is not None and len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return [p for p in pieces if p] or [ELLIPSIS]


def directed(text: str, rtl: bool) -> str:
    """In a right-to-left message each line starts with a right-to-left mark: a platform that
    sets a paragraph's direction from its first strong letter would otherwise lay out a line
    opening with "/menu", a number or a French name left to right."""
    if not rtl:
        return text
    return "\n".join(RLM + line for line in text.split("\n"))


def short_label(label: str, limit: int | None) -> str:
    """A button's label within `limit` characters, an ellipsis marking the cut."""
    if limit is None or len(label) <= limit:
        return label
    return label[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def numbered_text(text: str, buttons: tuple[Button, ...]) -> str:
    """The question with its choices written under it, numbered from 1."""
    lines = "\n".join(f"{i}. {b.label}" for i, b in enumerate(buttons, 1))
    return f"{text}\n\n{lines}"


def worded_text(text: str, buttons: tuple[Button, ...]) -> str:
    """A question whose answer is typed, with "back" or "skip" shown to be typed as words: a
    number typed there is an answer (a year, a postcode), never a button."""
    return text + "\n" + "  ".join(f"[{b.label}]" for b in buttons)


class _Fitter:
    """Shapes one message at a time for one channel."""

    def __init__(self, capabilities: Capabilities, list_label: str, rtl_marks: bool) -> None:
        self.caps = capabilities
        self.list_label = short_label(list_label, capabilities.label_length)
        self.rtl_marks = rtl_marks

    def message(self, message: Message) -> list[Shown]:
        """The pieces of one message; its choices and document go on the last one."""
        whole = self._choices(message)
        pieces = self._pieces(whole.text, message.rtl)
        shown = [
            Shown(piece, sensitive=message.sensitive, typed=message.typed) for piece in pieces[:-1]
        ]
        return [*shown, replace(whole, text=pieces[-1])]

    def edited(self, message: Message) -> Shown:
        """The pressed message's new form: one piece only, as an edit replaces one message."""
        whole = self._choices(message)
        return replace(whole, text=self._pieces(whole.text, message.rtl)[0])

    def _pieces(self, text: str, rtl: bool) -> list[str]:
        return split_text(directed(text, rtl and self.rtl_marks), self.caps.text_length)

    def _choices(self, message: Message) -> Shown:
        """The whole message with its choices in the first form the channel can show: buttons,
        a list, then words (typed answers) or numbered text."""
        base = Shown(
            message.text,
            document=message.document,
            sensitive=message.sensitive,
            typed=message.typed,
        )
        buttons = tuple(b for row in message.buttons for b in row)
        if not buttons:
            return base
        if self._fits_buttons(buttons):
            rows = tuple(tuple(self._short(b) for b in row) for row in message.buttons)
            return replace(base, buttons=rows)
        if self._fits_list(buttons):
            listed = tuple(self._short(b) for b in buttons)
            return replace(base, options=OptionList(self.list_label, listed))
        if message.typed:
            return replace(base, text=worded_text(message.text, buttons))
        return replace(base, text=numbered_text(message.text, buttons), numbered=buttons)

    def _short(self, button: Button) -> Button:
        return Button(short_label(button.label, self.caps.label_length), button.data)

    def _data_fits(self, buttons: tuple[Button, ...]) -> bool:
        # data too long for the platform can still be pressed by number: it is stored, not sent
        limit = self.caps.data_length
        return limit is None or all(len(b.data.encode("utf-8")) <= limit for b in buttons)

    def _fits_buttons(self, buttons: tuple[Button, ...]) -> bool:
        limit = self.caps.buttons_per_message
        return (limit is None or len(buttons) <= limit) and self._data_fits(buttons)

    def _fits_list(self, buttons: tuple[Button, ...]) -> bool:
        rows = self.caps.list_rows  # None: lists of any length; 0: no lists
        fits = rows is None or 0 < len(buttons) <= rows
        return fits and self._data_fits(buttons)
