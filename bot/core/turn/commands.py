"""Commands typed in a conversation (/menu, /help, /language, /stop…) and the menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.domain import DESK_MENU, Effect, State
from bot.core.render import answer_lookup
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.texts import T_HELP, T_STOPPED, T_UNKNOWN_COMMAND
from bot.flows.model import REPLY_ROLE, Flow

if TYPE_CHECKING:
    from bot.core.turn.turn import Turn


class Commands(TurnBase):
    """Commands typed in a conversation (/menu, /help, /language, /stop…) and the menu.."""

    def _command(self: Turn, st: State, command: str, out: Out) -> None:
        session = st.session
        if command == "start":
            st.person.stopped = False
            if session.current:
                self._prompt_again(st, out)
            else:
                self._after_flows(st, out)
        elif command == "menu":
            if st.person.locale is None:
                self._prompt_again(st, out)  # no menu before a language is chosen
            else:
                self._pause_all(st)
                self._menu(st, out)
        elif command == "help":
            self._say(st, out, T_HELP)
            frame = session.current
            if frame and self._step(frame).help:
                self._say(st, out, self._step(frame).help)
            self._prompt_again(st, out)
        elif command == "language":
            language_flow = self.flows.by_role("language")
            if session.current and session.current.flow == language_flow.id:
                self._prompt_again(st, out)
            else:
                self._start_flow(st, language_flow, out)
        elif command == "stop":
            st.person.stopped = True
            self._pause_all(st)
            self._say(st, out, T_STOPPED)
        elif command == "back":
            self._back(st, out)
        else:
            self._say(st, out, T_UNKNOWN_COMMAND)
            self._prompt_again(st, out)

    def _pause_all(self: Turn, st: State) -> None:
        """Leave every flow in progress; its answers wait for the person to come back.

        A correction or a reply left midway is dropped: it changes nothing until it is finished.
        """
        for frame in st.session.stack:
            flow = self._flow(frame)
            left = flow.role in ("language", REPLY_ROLE) or frame.edit or frame.reconsent
            if flow.remember and not left:
                st.session.paused[frame.flow] = frame
        st.session.stack = []

    def _menu_flows(self: Turn, st: State) -> list[Flow]:
        if st.team:
            return []  # volunteers have the desk's menu, not the beneficiaries' flows
        lookup = answer_lookup(st, None)
        shown = []
        for flow in self.flows.menu_flows():
            if flow.requires_consent and not st.person.consent:
                continue
            if flow.menu_when and not flow.menu_when.holds(lookup):
                continue
            shown.append(flow)
        return shown

    def _menu(self: Turn, st: State, out: Out) -> None:
        if st.team:
            out.effects.append(Effect(DESK_MENU))  # the desk writes a volunteer's menu
            return
        centre_flow = self._centre_flow()
        if st.person.consent and st.person.centre is None and centre_flow is not None:
            # the centre closed: its menu (talk to a volunteer, a job found) needs a new one
            self._start_flow(st, centre_flow, out)
            return
        st.session.seq += 1
        out.messages.append(self.render.menu(st, self._menu_flows(st)))
