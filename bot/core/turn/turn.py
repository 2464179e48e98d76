"""One event's answer: the turn puts together the parts that answer commands, buttons, typed
answers, steps, reviews and a changed notice."""

from __future__ import annotations

import copy
from typing import Any

from bot.core.domain import EventKind, Frame, Inbound, Reply, State
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.buttons import Buttons
from bot.core.turn.commands import Commands
from bot.core.turn.notice import NoticeSteps
from bot.core.turn.replies import Replies
from bot.core.turn.review import Reviews
from bot.core.turn.steps import Steps
from bot.core.turn.texts import MAX_INPUT, T_MEDIA
from bot.core.turn.typed import TypedAnswers


class Turn(NoticeSteps, Commands, Buttons, TypedAnswers, Steps, Reviews, Replies, TurnBase):
    """One event's answer being worked out, with the world it happens in."""

    def handle(self, state: State, event: Inbound) -> tuple[State, Reply]:
        """Answer one event; the given state is not modified, the new one is returned."""
        st = copy.deepcopy(state)
        self._repair(st)
        out = Out()
        if self._notice_first(st, event, out):
            pass  # the changed notice comes before anything else
        elif event.kind == EventKind.COMMAND:
            self._command(st, event.command, out)
        elif self._edited_meanwhile(st, out):
            pass  # the correction in progress was overtaken: the review again
        elif event.kind == EventKind.BUTTON:
            self._button(st, event.data, out)
        elif event.kind == EventKind.MEDIA:
            self._say(st, out, T_MEDIA)
            self._prompt_again(st, out)
        else:
            self._text(st, event.text[:MAX_INPUT], out)
        return st, Reply(tuple(out.messages), out.echo, out.edit, tuple(out.effects))

    def resume(self, state: State) -> tuple[State, Reply]:
        """The current question asked again (the menu when none is in progress)."""
        st = copy.deepcopy(state)
        self._repair(st)
        out = Out()
        if st.session.current is not None:
            self._prompt_again(st, out)
        else:
            self._after_flows(st, out)  # at the menu: the menu again, to go on from there
        return st, Reply(tuple(out.messages))

    def start_desk_flow(
        self, state: State, flow_id: str, given: dict[str, Any], at: str = ""
    ) -> tuple[State, Reply]:
        """Open a desk flow (role "desk") for a volunteer, with what the desk gives it (the
        person it is about; answers already known, e.g. an appointment being changed), at its
        start or at the step `at` (its review of those answers). Only the desk calls this,
        after checking access: nothing a person sends opens one. What was in progress is left
        as /menu leaves it."""
        flow = self.flows.desk_flow(flow_id)
        if flow is None:
            raise LookupError(f"no desk flow {flow_id!r}")  # checked when the desk is built
        st = copy.deepcopy(state)
        self._repair(st)
        out = Out()
        self._pause_all(st)
        start = at if at in flow.steps else flow.start
        frame = Frame(flow=flow.id, step=start, answers=copy.deepcopy(given))
        st.session.stack.append(frame)
        self._advance(st, frame, start, out)
        return st, Reply(tuple(out.messages), out.echo, out.edit, tuple(out.effects))
