"""Typed answers: read against the step's answer type, or matched to a choice."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bot.core import answers
from bot.core.domain import Frame, Message, State
from bot.core.french import not_french
from bot.core.matching import MIN_PARTIAL, match_meaning, match_options
from bot.core.render import (
    B_BACK,
    B_CANCEL,
    B_CLEAR,
    B_DONE,
    B_NO,
    B_SKIP,
    B_YES,
    answer_lookup,
    can_clear,
    can_skip,
    current_item,
    date_bound,
)
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.texts import (
    T_CHOOSE,
    T_MENU_HINT,
    T_NOT_FRENCH,
    T_NOT_FRENCH_AGAIN,
    T_NOT_FRENCH_BACK,
)
from bot.flows.model import Flow, Step

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
            chosen = self.menu_choice(st, raw)
            if chosen is not None:
                self._start_flow(st, chosen, out)
                return
            self._say(st, out, T_MENU_HINT)
            self._menu(st, out)
            return
        step = self._step(frame)
        if step.type == "review":
            screen = self.review.screen(st, frame, step)
            found = match_options([(tok, label) for label, tok in screen.tokens().items()], typed)
            if len(found) == 1:
                self._review_press(st, frame, step, found[0], out)
            else:
                self._say(st, out, T_CHOOSE)
                self._prompt_again(st, out)
            return
        cancel = answers.normalise_label(t.gettext(B_CANCEL))
        if self._cancellable(frame) and typed and typed == cancel:
            self._cancel(st, frame, out)
            return
        if typed and typed == answers.normalise_label(t.gettext(B_BACK)):
            self._back(st, out)
            return
        if step.type == "multi_choice":
            self._typed_multi(st, frame, step, raw, typed, out)
            return
        if can_skip(st, frame, step) and typed == answers.normalise_label(t.gettext(B_SKIP)):
            self._skip(st, frame, step, out)
            return
        if can_clear(st, frame, step) and typed == answers.normalise_label(t.gettext(B_CLEAR)):
            self._accept(st, frame, step, None, out)
            return
        if step.optional and typed and self._skips(st, step, raw, typed):
            # "non", "rien", "pas de mail": no answer; in a correction, the CV stays as it is
            self._skip(st, frame, step, out)
            return
        value = self._parse(st, frame, step, raw, typed, out)
        if value is None:
            self._prompt_again(st, out)
            return
        if step.in_french and not_french(value[0]) is not None:
            # kept as written: the person is told kindly, the volunteer sees it listed
            self._not_french_note(st, frame, out)
        self._accept(st, frame, step, value[0], out)

    def _not_french_note(self: Turn, st: State, frame: Frame, out: Out) -> None:
        """Say once in full that a volunteer will help put it in French; then, in the same
        run of the flow, only that it is noted."""
        t = self.tr(st)
        if self._foreign_answers_so_far(frame):
            self._say(st, out, T_NOT_FRENCH_AGAIN)
            return
        text = t.gettext(T_NOT_FRENCH)
        if not frame.edit:  # a correction has no question before it to go back to
            text += "\n" + t.gettext(T_NOT_FRENCH_BACK)
        out.messages.append(Message(text, rtl=t.rtl))

    def _foreign_answers_so_far(self: Turn, frame: Frame) -> bool:
        """Whether this run of the flow already holds an answer not in French."""
        for step in self._flow(frame).steps.values():
            if not step.in_french:
                continue
            if step.item:
                items = frame.answers.get(step.item)
                values = [i.get(step.save) for i in items or [] if isinstance(i, dict)]
            else:
                values = [frame.answers.get(step.save)]
            if any(isinstance(v, str) and not_french(v) is not None for v in values):
                return True
        return False

    def menu_choice(self: Turn, st: State, raw: str) -> Flow | None:
        """The menu's flow a typed text names, as a question's buttons read it ("parler",
        "mon cv"); None when it names none, or several."""
        t = self.tr(st)
        flows = {flow.id: flow for flow in self._menu_flows(st)}
        typed = answers.normalise_label(raw)
        found = match_options([(f.id, t.gettext(f.title)) for f in flows.values()], typed)
        return flows[found[0]] if len(found) == 1 else None

    def _skips(self: Turn, st: State, step: Step, raw: str, typed: str) -> bool:
        """Whether a typed answer to an optional question means "skip it": the button's word,
        or "non", "rien", "je ne sais pas", and at a question whose answers have digits or an
        @, any answer that says no ("je n'ai pas d'e-mail", "pas de mail", "no")."""
        if typed == answers.normalise_label(self.tr(st).gettext(B_SKIP)):
            return True
        lexicon = self.render.lexicon(st)
        if step.type in ("choice", "yes_no"):
            return False  # "non" may be one of its answers
        if step.type == "number":
            return typed in lexicon.dont_know  # "aucun" is a number there: 0
        if step.type in ("text", "name"):
            return lexicon.says_none(typed)
        written = answers.clean_text(raw)
        if "@" in written or any(ch.isdigit() for ch in written) or answers.names_a_day(typed):
            return False  # "pas avant décembre" is a date
        return lexicon.says_none(typed, anywhere=True)

    def _typed_multi(
        self: Turn, st: State, frame: Frame, step: Step, raw: str, typed: str, out: Out
    ) -> None:
        """A multiple choice answered by typing: "valider" or "ok" for the ticks made, the
        answers' numbers or words, or "aucun", "non", "rien" when nothing is an answer."""
        t = self.tr(st)
        lexicon = self.render.lexicon(st)
        if typed and (typed == answers.normalise_label(t.gettext(B_DONE)) or typed in lexicon.done):
            self._finish_multi(st, frame, step, out)  # "Valider" typed, as the hint says
            return
        options = self.render.options(st, step)
        picked = _typed_choices(options, raw, lexicon)
        if picked is None:
            none_label = answers.normalise_label(self.render.none_label(st, step))
            says_none = typed == none_label or lexicon.says_none(typed)
            if not says_none and lexicon.says_none(typed, anywhere=True):
                # "je n'ai pas de certificat" is nothing; "pas de voiture, un vélo" is not
                label_words = {
                    word
                    for _, label in options
                    for word in answers.normalise_label(label).split()
                    if len(word) >= MIN_PARTIAL
                }
                says_none = not label_words.intersection(typed.split())
            if not says_none:
                self._say(st, out, T_CHOOSE)
                self._prompt_again(st, out)
            elif self._multi_count_ok(st, step, 0, out):
                self._answer_none(st, frame, step, out)
            else:
                self._prompt_again(st, out)  # nothing is not an answer here: "au moins 1"
            return
        if not self._multi_count_ok(st, step, len(picked), out):
            self._prompt_again(st, out)
            return
        self._accept(st, frame, step, picked, out)

    def _parse(
        self: Turn, st: State, frame: Frame, step: Step, raw: str, typed: str, out: Out
    ) -> tuple[Any] | None:
        """The typed answer as a 1-tuple, or None after saying what is wrong."""
        t = self.tr(st)
        if step.type == "choice":
            options = self.render.options(st, step)
            found = (
                match_options(options, typed)
                or match_meaning(options, typed, self.render.lexicon(st))
                or _by_number(step, raw)
            )
            if len(found) == 1:
                return (found[0],)
            self._say(st, out, T_CHOOSE)
            return None
        today = self.render.today()
        result: Any
        if step.type == "yes_no":
            # the buttons' words in the person's language, then common yes/no words
            if typed == answers.normalise_label(t.gettext(B_YES)):
                return (True,)
            if typed == answers.normalise_label(t.gettext(B_NO)):
                return (False,)
            result = answers.parse_yes_no(raw, self.render.lexicon(st))
        elif step.type == "text":
            result = answers.parse_text(raw, step.min_length, step.max_length)
        elif step.type == "number":
            result = answers.parse_number(raw, step.min, step.max, step.integer)
        elif step.type == "date":
            lo, hi = date_bound(step.not_before, today), date_bound(step.not_after, today)
            # a button's word typed (e.g. "Hier" in Arabic) is the button pressed
            labels = {
                answers.normalise_label(label): v for v, label in self.render.options(st, step)
            }
            result = answers.parse_date(labels.get(typed, raw), today, lo, hi)
            if isinstance(result, date):
                result = result.isoformat()
        elif step.type == "time":
            result = self._time(st, frame, step, raw)
        elif step.type == "month":
            item = current_item(frame, step)
            first = self._month_bound(step.not_before, today, item)
            last = self._month_bound(step.not_after, today, item)
            result = answers.parse_month(raw, today, first, last)
        elif step.type == "name":
            result = answers.parse_name(raw, step.max_length, latin=step.script == "latin")
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

    def _time(self: Turn, st: State, frame: Frame, step: Step, raw: str) -> Any:
        """A time of day; with `date_from`, checked with that date in the deployment's time
        zone (a time the clocks skip is refused) and, with not_before = "now", still ahead."""
        result = answers.parse_time(raw)
        if isinstance(result, answers.Invalid):
            return result
        world = self.render.world
        now = world.now if step.not_before == "now" else None
        if step.date_from:
            day = answer_lookup(st, frame, current_item(frame, step))(step.date_from)
            return answers.check_moment(str(day), result, world.tz, now)
        if now is not None:
            return answers.check_moment(self.render.today().isoformat(), result, world.tz, now)
        return result

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


def _by_number(step: Step, raw: str) -> list[str]:
    """The option whose numbers hold the one number typed ("j'ai 19 ans" at an age band)."""
    if step.number_unit == "months":
        number = answers.months_in_text(raw)
    else:
        number = answers.number_in_text(raw)
    if number is None:
        return []
    return [o.value for o in step.options if o.numbers and o.numbers[0] <= number <= o.numbers[1]]


def _typed_choices(
    options: list[tuple[str, str]], raw: str, lexicon: answers.Lexicon
) -> list[str] | None:
    """The options a typed list names ("1, 4", "ménage, cuisine", "jsp"), in the options'
    order; None when a part names no option or several."""
    parts = [p for p in raw.replace(";", ",").split(",") if p.strip()]
    picked: set[str] = set()
    for part in parts:
        typed = answers.normalise_label(part)
        found = match_options(options, typed) or match_meaning(options, typed, lexicon)
        if len(found) != 1:
            return None
        picked.add(found[0])
    return [v for v, _ in options if v in picked] if picked else None
