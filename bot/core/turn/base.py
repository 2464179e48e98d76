"""What every part of a turn shares: the flows, the renderer of this event's world, the
reply being built."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.domain import Effect, Frame, Message, State
from bot.core.i18n import Translator
from bot.core.render import Renderer
from bot.core.review import Reviewer
from bot.flows.model import Flow, FlowSet, Step


@dataclass
class Out:
    """The reply being built while handling one event."""

    messages: list[Message] = field(default_factory=list)
    echo: str | None = None
    edit: Message | None = None
    effects: list[Effect] = field(default_factory=list)


class TurnBase:
    """The flows and this event's renderer and reviewer."""

    def __init__(self, flows: FlowSet, render: Renderer) -> None:
        self.flows = flows
        self.render = render
        self.review = Reviewer(flows, render)

    def tr(self, st: State) -> Translator:
        """The translator for this person's language."""
        return self.render.tr(st)

    def _say(self, st: State, out: Out, msgid: str, **params: object) -> None:
        t = self.tr(st)
        out.messages.append(Message(t.gettext(msgid, **params), rtl=t.rtl))

    def _flow(self, frame: Frame) -> Flow:
        return self.flows.flows[frame.flow]

    def _step(self, frame: Frame) -> Step:
        return self.flows.flows[frame.flow].steps[frame.step]

    def _repair(self, st: State) -> None:
        """Drop positions that a changed flow file no longer has, keeping the answers."""
        for frame in list(st.session.stack):
            flow = self.flows.flows.get(frame.flow)
            if flow is None or (frame.edit and frame.step not in flow.steps):
                st.session.stack.remove(frame)
            elif frame.step not in flow.steps or not flow.steps[frame.step].is_question:
                frame.step, frame.history, frame.selected = flow.start, [], []
            elif any(h not in flow.steps for h in frame.history):
                frame.history = [h for h in frame.history if h in flow.steps]
        for key, frame in list(st.session.paused.items()):
            flow = self.flows.flows.get(frame.flow)
            if flow is None:
                del st.session.paused[key]
            elif frame.step not in flow.steps or not flow.steps[frame.step].is_question:
                frame.step, frame.history, frame.selected = flow.start, [], []
