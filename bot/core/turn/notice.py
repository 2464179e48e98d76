"""A changed privacy notice: read again and agreed to before anything else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.domain import Effect, EventKind, Frame, Inbound, State
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.texts import T_NOTICE_CHANGED, T_RECONSENTED

if TYPE_CHECKING:
    from bot.core.turn.turn import Turn


class NoticeSteps(TurnBase):
    """A changed privacy notice."""

    def _notice_changed(self: Turn, st: State) -> bool:
        """The person agreed to an older version of the notice than the flow file's."""
        version = self.flows.consent_version
        return bool(st.person.consent and version and st.person.consent_version != version)

    def _notice_first(self: Turn, st: State, event: Inbound, out: Out) -> bool:
        """Show a changed notice and its yes/no before anything else; True when it answered.

        /stop still works; while the question is open, /menu and /start only ask it again.
        """
        if not self._notice_changed(st) or (
            event.kind == EventKind.COMMAND and event.command == "stop"
        ):
            return False
        if event.kind == EventKind.COMMAND and event.command == "start":
            st.person.stopped = False
        frame = st.session.current
        if frame is not None and frame.reconsent:
            if event.kind == EventKind.COMMAND and event.command in ("menu", "start"):
                self._prompt_again(st, out)
                return True
            return False
        if any(f.reconsent for f in st.session.stack):
            return False  # e.g. choosing a language on top of it
        onboarding = self.flows.by_role("onboarding")
        # an onboarding left midway (agreed to the old notice) makes way for the new one
        st.session.stack = [f for f in st.session.stack if f.flow != onboarding.id]
        start = onboarding.notice or onboarding.start
        frame = Frame(flow=onboarding.id, step=start, reconsent=True)
        st.session.stack.append(frame)
        self._say(st, out, T_NOTICE_CHANGED)
        self._advance(st, frame, start, out)
        return True

    def _answered_notice(self: Turn, st: State, frame: Frame, agreed: bool, out: Out) -> bool:
        """The changed notice was answered: yes goes back to what the person was doing (True);
        no withdraws consent as a refusal does, and the flow goes on to say so (False)."""
        if agreed:
            st.session.stack.remove(frame)
            self._say(st, out, T_RECONSENTED)
            self._prompt_again(st, out, changed=True)
            return True
        st.session.stack = [frame]  # nothing else goes on without consent
        self._erase(st, frame)
        # what was kept under the old notice goes; the person stays as one who said no
        out.effects.append(Effect("erased", {"refused": True}))
        return False
