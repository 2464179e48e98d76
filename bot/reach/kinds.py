"""Every kind of message Relais starts: how it is rendered at delivery and, if it has buttons,
who answers them. One table: a new capability adds its row here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.appointments import agenda, lifecycle
from bot.appointments import messages as appointment
from bot.core.domain import Message
from bot.core.i18n import Translator
from bot.desk import notices
from bot.flows.model import FlowError, FlowSet
from bot.offers import message as offer
from bot.offers import nudges as offer_nudges
from bot.offers import relay as offer_relay
from bot.reach import centre_message, erasure_warning
from bot.reach.pressed import Answered, Pressing, Replied
from bot.reach.started import ReadNow, Started
from bot.storage.database import Tx

Renderer = Callable[[Translator, Started], Message]
# what a kind reads at delivery to show (None: nothing left to say, the message is dropped)
Reader = Callable[[Tx, Started], Awaitable[ReadNow | None]]
PressHandler = Callable[[Pressing], Awaitable[Answered]]
# asked at delivery, with the moment: is what the message says still true?
StillDue = Callable[[Tx, Started, datetime], Awaitable[bool]]
ReplyHandler = Callable[[Replied], Awaitable[None]]
# asked at delivery, last, with the weekly cap of offer messages (settings.offers.weekly_cap):
# a moment to hold the message until (the cap reached), or None to send it now
Holder = Callable[[Tx, Started, datetime, int], Awaitable[datetime | None]]


@dataclass(frozen=True)
class Kind:
    """How one kind is written (in the recipient's language) and what its buttons do."""

    render: Renderer
    press: PressHandler | None = None  # None: no buttons of its own
    already: str = ""  # msgid said when its button is pressed a second time
    # asked at delivery: False drops the message (what it said is no longer true)
    still_due: StillDue | None = None
    choices: tuple[str, ...] = ()  # the choices its buttons carry; any other is forged
    # True: a button works once (a second press says `already`); False: the kind decides at
    # each press (a conversation's "Répondre" works as long as the conversation goes on)
    once: bool = True
    # the reply flows its buttons open (role = "reply"), and what applies each one's answers
    replies: Mapping[str, ReplyHandler] = field(default_factory=dict)
    # read at delivery, after still_due: the params it is rendered with, and who it names
    read: Reader | None = None
    # asked at delivery, after read: hold it back in the queue until then (never dropped)
    hold: Holder | None = None


def _appointment(render: Renderer, still_due: StillDue, asks_again: bool = False) -> Kind:
    """A message about an appointment: its answers (come, cannot, change), or the one button
    that asks for another appointment (`asks_again`), pressed as often as the person likes."""
    if asks_again:
        return Kind(
            render, appointment.again, still_due=still_due, choices=(appointment.AGAIN,), once=False
        )
    return Kind(
        render,
        appointment.answer,
        still_due=still_due,
        choices=appointment.ANSWER_CHOICES,
        once=False,
    )


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
    # the volunteers' agenda of the day: the list read when it goes (names never queued)
    agenda.KIND: Kind(agenda.render, read=agenda.read),
    centre_message.KIND: Kind(
        centre_message.render,
        centre_message.press,
        choices=centre_message.CHOICES,
        once=False,
        replies=centre_message.REPLIES,
    ),
    # an appointment's answers can change (a mis-tap, plans that change): the kind decides
    lifecycle.CONFIRMED: _appointment(appointment.render_confirmed, appointment.still_ahead),
    lifecycle.REMINDER: _appointment(appointment.render_reminder, appointment.reminder_due),
    lifecycle.CHANGED: _appointment(appointment.render_changed, appointment.still_ahead),
    lifecycle.CANCELLED: _appointment(
        appointment.render_cancelled, appointment.still_cancelled, asks_again=True
    ),
    lifecycle.MISSED: _appointment(
        appointment.render_missed, appointment.still_missed, asks_again=True
    ),
    # a job offer: read as it is when it goes, within the weekly cap; answers can change
    offer.KIND: Kind(
        offer.render,
        offer.press,
        still_due=offer.still_due,
        choices=offer.CHOICES,
        once=False,
        read=offer.read,
        hold=offer.hold,
    ),
    # the week's offers not answered, and "any news?" after "interested": in the weekly cap
    offer_nudges.DIGEST: Kind(
        offer_nudges.digest_render,
        offer_nudges.digest_press,
        still_due=offer_nudges.digest_still_due,
        choices=offer_nudges.DIGEST_CHOICES,
        once=False,
        read=offer_nudges.digest_read,
        hold=offer.hold,
    ),
    offer_nudges.FOLLOWUP: Kind(
        offer_nudges.followup_render,
        offer_nudges.followup_press,
        still_due=offer_nudges.followup_still_due,
        choices=offer_nudges.FOLLOWUP_CHOICES,
        once=False,
        read=offer_nudges.followup_read,
        hold=offer.hold,
    ),
    # an interested candidate, for the volunteer who sends them on (read when it goes)
    offer_relay.KIND: Kind(offer_relay.render, read=offer_relay.read),
}
# a reply flow's answers go to the kind that opened it
REPLY_HANDLERS: dict[str, ReplyHandler] = {
    flow: handler for kind in KINDS.values() for flow, handler in kind.replies.items()
}


def check_reply_flows(flows: FlowSet) -> None:
    """Every reply flow a kind opens exists, with role = "reply" (checked at start-up)."""
    for name in REPLY_HANDLERS:
        if flows.reply_flow(name) is None:
            raise FlowError(
                f"{name}.toml", 'a message Relais starts needs this flow, role = "reply"'
            )
