"""Typed answers: read against the step's answer type, or matched to a choice."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot.core import answers
from bot.core.domain import Frame, State
from bot.core.render import (
    B_BACK,
    B_CANCEL,
    B_CLEAR,
    B_DONE,
    B_NO,
    B_SKIP,
    B_YES,
    can_clear,
    can_skip,
    current_item,
)
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.texts import T_CHOOSE, T_MENU_HINT
from bot.flows.model import RELATIVE_DAY, Step

if TYPE_CHECKING:
    from bot.core.turn.turn import Turn


class TypedAnswers(TurnBase):
    """Typed answers."""

    def _text(self: Turn, st: State, raw: str, out: Out) -> None:
        frame = st.session.current
        if st.person.locale is None and frame is None:
            self._after_flows(st, out)
            return
        t = self.tr(st)
        typed = answers.normalise_label(raw)
        if frame is None:
            for flow in self._menu_flows(st):
                if typed and typed == answers.normalise_label(t.gettext(flow.title)):
                    self._start_flow(st, flow, out)
                    return
            self._say(st, out, T_MENU_HINT)
            self._menu(st, out)
            return
        step = self._step(frame)
        if step.type == "review":
            screen = self.review.screen(st, frame, step)
            found = _match_options([(tok, label) for label, tok in screen.tokens().items()], typed)
            if len(found) == 1:
                self._review_press(st, frame, step, found[0], out)
            else:
                self._say(st, out, T_CHOOSE)
                self._prompt_again(st, out)
            return
        if frame.edit and typed and typed == answers.normalise_label(t.gettext(B_CANCEL)):
            self._cancel_edit(st, frame, out)
            return
        if typed and typed == answers.normalise_label(t.gettext(B_BACK)):
            self._back(st, out)
            return
        if step.type == "multi_choice" and typed == answers.normalise_label(t.gettext(B_DONE)):
            self._finish_multi(st, frame, step, out)  # "Valider" typed, as the hint says
            return
        if can_skip(st, frame, step) and typed == answers.normalise_label(t.gettext(B_SKIP)):
            self._skip(st, frame, step, out)
            return
        if can_clear(st, frame, step) and typed == answers.normalise_label(t.gettext(B_CLEAR)):
            self._accept(st, frame, step, None, out)
            return
        value = self._parse(st, frame, step, raw, typed, out)
        if value is None:
            self._prompt_again(st, out)
        else:
            self._accept(st, frame, step, value[0], out)

    def _parse(
        self: Turn, st: State, frame: Frame, step: Step, raw: str, typed: str, out: Out
    ) -> tuple[Any] | None:
        """The typed answer as a 1-tuple, or None after saying what is wrong."""
        t = self.tr(st)
        if step.type in ("choice", "multi_choice"):
            options = self.render.options(st, step)
            if step.type == "choice":
                found = _match_options(options, typed)
                if len(found) == 1:
                    return (found[0],)
                self._say(st, out, T_CHOOSE)
                return None
            parts = [p for p in raw.replace(";", ",").split(",") if p.strip()]
            picked: list[str] = []
            for part in parts:
                found = _match_options(options, answers.normalise_label(part))
                if len(found) != 1:
                    self._say(st, out, T_CHOOSE)
                    return None
                if found[0] not in picked:
                    picked.append(found[0])
            if not picked:
                self._say(st, out, T_CHOOSE)
                return None
            if not self._multi_count_ok(st, step, len(picked), out):
                return None
            return ([v for v, _ in options if v in picked],)
        today = self.render.today()
        result: Any
        if step.type == "yes_no":
            # the buttons' words in the person's language, then common yes/no words
            if typed == answers.normalise_label(t.gettext(B_YES)):
                return (True,)
            if typed == answers.normalise_label(t.gettext(B_NO)):
                return (False,)
            result = answers.parse_yes_no(raw)
        elif step.type == "text":
            result = answers.parse_text(raw, step.min_length, step.max_length)
        elif step.type == "number":
            result = answers.parse_number(raw, step.min, step.max, step.integer)
        elif step.type == "date":
            lo, hi = _bound(step.not_before, today), _bound(step.not_after, today)
            # a button's word typed (e.g. "Hier" in Arabic) is the button pressed
            labels = {
                answers.normalise_label(label): v for v, label in self.render.options(st, step)
            }
            result = answers.parse_date(labels.get(typed, raw), today, lo, hi)
            if isinstance(result, date):
                result = result.isoformat()
        elif step.type == "month":
            item = current_item(frame, step)
            first = self._month_bound(step.not_before, today, item)
            last = self._month_bound(step.not_after, today, item)
            result = answers.parse_month(raw, today, first, last)
        elif step.type == "name":
            result = answers.parse_name(raw, step.max_length)
        elif step.type == "phone":
            result = answers.parse_phone(raw)
        elif step.type == "email":
            result = answers.parse_email(raw)
        else:
            result = answers.parse_postcode(raw)
        if isinstance(result, answers.Invalid):
            self._say(st, out, result.reason, **result.params)
            return None
        return (result,)

    def _month_bound(self: Turn, spec: str, today: date, item: dict[str, Any] | None) -> str | None:
        """A month bound: "today", a month written in the flow, or another field of the item."""
        if not spec:
            return None
        if spec == "today":
            return f"{today.year:04d}-{today.month:02d}"
        if spec[:1].isdigit():
            return spec
        value = (item or {}).get(spec)
        return value if isinstance(value, str) else None


def _bound(spec: str, today: date) -> date | None:
    if not spec:
        return None
    days_before = RELATIVE_DAY.match(spec)
    if days_before:
        return today - timedelta(days=int(days_before.group(1)))
    return today if spec == "today" else date.fromisoformat(spec)


MIN_PARTIAL = 4  # letters typed before the start or a word of a label may stand for it


def _match_options(options: list[tuple[str, str]], typed: str) -> list[str]:
    """Values of the options a typed text designates: its number in the list, or its label."""
    if not typed:
        return []
    if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(options):
        return [options[int(typed) - 1][0]]
    labels = [(v, answers.normalise_label(label)) for v, label in options]
    exact = [v for v, label in labels if label == typed]
    if exact:
        return exact
    by_value = [v for v in dict(options) if v == typed]
    if by_value or len(typed) < MIN_PARTIAL:
        return by_value
    # people type the start of a label ("un pe") or its key word ("effacer"): accepted only
    # when it points at one option, never a guess between two
    for partial in (
        [v for v, label in labels if label.startswith(typed)],
        [v for v, label in labels if typed in label.split()],
    ):
        if len(partial) == 1:
            return partial
    return []
