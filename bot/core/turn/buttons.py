"""Presses on a question's buttons: a choice, a tick of a multiple choice, a stale button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.domain import Frame, Message, State
from bot.core.render import B_BACK, B_CANCEL, B_CLEAR, B_NO, B_SKIPPED, B_YES, can_clear, can_skip
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.texts import T_STALE
from bot.flows.model import Step

if TYPE_CHECKING:
    from bot.core.turn.turn import Turn


class Buttons(TurnBase):
    """Presses on a question's buttons."""

    def _button(self: Turn, st: State, data: str, out: Out) -> None:
        seq, _, token = data.partition(":")
        if seq != str(st.session.seq) or not token:
            self._say(st, out, T_STALE)
            self._prompt_again(st, out)
            return
        frame = st.session.current
        if frame is None:
            kind, _, flow_id = token.partition(":")
            flow = self.flows.flows.get(flow_id) if kind == "m" else None
            if flow is None or flow not in self._menu_flows(st):
                self._say(st, out, T_STALE)
                self._menu(st, out)
                return
            out.echo = self.tr(st).gettext(flow.title)
            self._start_flow(st, flow, out)
            return
        step = self._step(frame)
        t = self.tr(st)
        if step.type == "review":
            self._review_press(st, frame, step, token, out, pressed=True)
        elif token == "c" and self._cancellable(frame):
            out.echo = t.gettext(B_CANCEL)
            self._cancel(st, frame, out)
        elif token == "b":
            out.echo = t.gettext(B_BACK)
            self._back(st, out)
        elif token == "s" and can_skip(st, frame, step):
            out.echo = t.gettext(B_SKIPPED)
            self._skip(st, frame, step, out)
        elif token == "r" and can_clear(st, frame, step):
            out.echo = t.gettext(B_CLEAR)
            self._accept(st, frame, step, None, out)
        elif token == "d" and step.type == "multi_choice":
            self._finish_multi(st, frame, step, out)
        elif token == "n" and step.type == "multi_choice" and step.min_choices == 0:
            self._answer_none(st, frame, step, out)
        elif token.startswith("v:"):
            value = token[2:]
            self._pressed_value(st, frame, step, value, out)
        else:
            self._say(st, out, T_STALE)
            self._prompt_again(st, out)

    def _pressed_value(
        self: Turn, st: State, frame: Frame, step: Step, value: str, out: Out
    ) -> None:
        options = dict(self.render.options(st, step))
        if step.type == "yes_no" and value in ("yes", "no"):
            label = B_YES if value == "yes" else B_NO
            out.echo = self.tr(st).gettext(label)
            self._accept(st, frame, step, value == "yes", out)
        elif step.type == "choice" and value in options:
            out.echo = options[value]
            self._accept(st, frame, step, value, out)
        elif step.type == "date" and value in options:
            out.echo = options[value]
            parsed = self._parse(st, frame, step, value, value, out)
            if parsed is None:
                self._prompt_again(st, out)
            else:
                self._accept(st, frame, step, parsed[0], out)
        elif step.type == "multi_choice" and value in options:
            chosen = frame.selected
            if value in chosen:
                chosen.remove(value)
            elif len(chosen) >= step.max_choices:
                # refused at the tick that would pass the maximum, not later at "Valider"
                t = self.tr(st)
                text = t.ngettext(
                    "Vous pouvez en choisir {n} au plus. Enlevez-en un d'abord.",
                    "Vous pouvez en choisir {n} au plus. Enlevez-en un d'abord.",
                    step.max_choices,
                )
                out.messages.append(Message(text, rtl=t.rtl))
                self._prompt_again(st, out)
                return
            else:
                chosen.append(value)
            out.edit = self.render.question(st, frame, step)
        else:
            self._say(st, out, T_STALE)
            self._prompt_again(st, out)

    def _finish_multi(self: Turn, st: State, frame: Frame, step: Step, out: Out) -> None:
        chosen = [v for v, _ in self.render.options(st, step) if v in frame.selected]
        if self._multi_count_ok(st, step, len(chosen), out):
            labels = dict(self.render.options(st, step))
            out.echo = ", ".join(labels[v] for v in chosen) or self.render.none_label(st, step)
            self._accept(st, frame, step, chosen, out)
        else:
            self._prompt_again(st, out)

    def _answer_none(self: Turn, st: State, frame: Frame, step: Step, out: Out) -> None:
        """A multiple choice that may have no answer, answered with nothing."""
        out.echo = self.render.none_label(st, step)
        self._accept(st, frame, step, [], out)

    def _multi_count_ok(self: Turn, st: State, step: Step, count: int, out: Out) -> bool:
        t = self.tr(st)
        if count < step.min_choices:
            text = t.ngettext(
                "Choisissez au moins {n} réponse.",
                "Choisissez au moins {n} réponses.",
                step.min_choices,
            )
        elif count > step.max_choices:
            text = t.ngettext(
                "Choisissez au plus {n} réponse.",
                "Choisissez au plus {n} réponses.",
                step.max_choices,
            )
        else:
            return True
        out.messages.append(Message(text, rtl=t.rtl))
        return False
