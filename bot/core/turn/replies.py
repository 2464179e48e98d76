"""Reply flows: a button of a message Relais started (e.g. "Répondre" under a message from the
person's centre) opens a short flow over the question in progress. When it ends, its answers go
back to the capability that sent the message (the effect "reply_done"), and the question the
person was answering comes again; "Annuler" leaves it the same way, sending nothing."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from bot.core.domain import Effect, Frame, Reply, State
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.texts import T_NOT_SENT
from bot.flows.model import REPLY_ROLE

if TYPE_CHECKING:
    from bot.core.turn.turn import Turn

REPLY_DONE = "reply_done"  # the effect of a reply flow that ended: {"flow", "answers", "given"}


class Replies(TurnBase):
    """Reply flows, opened over the question in progress."""

    def start_reply_flow(
        self: Turn, state: State, flow_id: str, given: dict[str, Any]
    ) -> tuple[State, Reply]:
        """Open a reply flow with what opened it (`given`, handed back when it ends). Only the
        service calls this: for a started message's button, or for text typed at the menu while
        the conversation it answers is open. One reply at a time: one being written is replaced
        by the new one."""
        flow = self.flows.reply_flow(flow_id)
        if flow is None:
            raise LookupError(f"no reply flow {flow_id!r}")  # checked when the kind is written
        st = copy.deepcopy(state)
        self._repair(st)
        out = Out()
        st.session.stack = [f for f in st.session.stack if not self._is_reply(f)]
        frame = Frame(flow=flow.id, step=flow.start, given=copy.deepcopy(given))
        st.session.stack.append(frame)
        self._advance(st, frame, flow.start, out)
        return st, Reply(tuple(out.messages), out.echo, out.edit, tuple(out.effects))

    def _is_reply(self: Turn, frame: Frame) -> bool:
        return self._flow(frame).role == REPLY_ROLE

    def _reply_done(self: Turn, frame: Frame, out: Out) -> None:
        """A reply flow ended: its answers go to the capability that opened it."""
        data = {
            "flow": frame.flow,
            "answers": copy.deepcopy(frame.answers),
            "given": copy.deepcopy(frame.given),
        }
        out.effects.append(Effect(REPLY_DONE, data))

    def _cancellable(self: Turn, frame: Frame) -> bool:
        """A correction, or a reply: "Annuler" leaves it and nothing changes."""
        return bool(frame.edit) or self._is_reply(frame)

    def _cancel(self: Turn, st: State, frame: Frame, out: Out) -> None:
        """Leave a correction or a reply; the question before it comes again."""
        if self._is_reply(frame):
            st.session.stack.remove(frame)
            self._say(st, out, T_NOT_SENT)
            self._prompt_again(st, out, changed=True)
        else:
            self._cancel_edit(st, frame, out)
