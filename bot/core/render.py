"""How a person's state becomes text and buttons in their language: questions, menu, summaries.

Button data is "<seq>:<token>": seq is the session's question counter (an old or forged button
is recognised by it), the token says what was pressed: v:<value>, b (back), s (skip), d (done),
n (none, at a multiple choice that may have no answer), m:<flow> (a menu entry).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.core import answers, words
from bot.core.domain import Button, Centre, Frame, Message, State
from bot.core.i18n import (
    N_,
    Catalogs,
    Translator,
    fill,
    language_name,
    placeholder_forms,
    placeholders,
)
from bot.core.world import World
from bot.documents import wording
from bot.documents.cv import Month
from bot.flows.model import (
    OPTION_CV_KEYS,
    PHRASES,
    RELATIVE_DAY,
    SHOWN_FORMS,
    Flow,
    FlowSet,
    Step,
)

T_MENU = N_("Que voulez-vous faire ?")
T_MULTI_HINT = N_("Vous pouvez choisir plusieurs réponses. Appuyez sur « Valider » à la fin.")
B_BACK = N_("↩ Retour")
B_SKIP = N_("Passer")
B_DONE = N_("Valider")
# at a multiple choice that may have no answer, when its flow names no other word
B_NONE = N_("Aucun")
B_YES = N_("Oui")
B_NO = N_("Non")
B_SKIPPED = N_("Question passée")
B_CANCEL = N_("Annuler")
B_CLEAR = N_("🗑 Effacer")
T_NOW = N_("Aujourd'hui, votre CV dit : {value}")
# a volunteer correcting someone's CV: whose it is, and what it says (not "your CV")
T_CORRECTING = N_("✍️ Correction du CV – {name}")
T_NOW_DESK = N_("Aujourd'hui, le CV dit : {value}")
T_KEEP = N_("Pour garder ça, appuyez sur « Passer ».")
HINTS = {
    "date": N_("Écrivez la date comme ceci : {example}"),
    "time": N_("Écrivez l'heure comme ceci : 14h30"),
    "phone": N_("Par exemple : 06 12 34 56 78"),
    "email": N_("Par exemple : prenom.nom@exemple.fr"),
    "postcode": N_("Cinq chiffres, par exemple : 75011"),
    "month": N_("Par exemple : 03/2021, ou seulement l'année : 2021"),
    "number": N_("Écrivez un nombre."),
    "multi_choice": T_MULTI_HINT,
}


def answer_lookup(
    st: State, frame: Frame | None, item: dict[str, Any] | None = None, world: World | None = None
) -> Callable[[str], Any]:
    """Current answers by name: the item being filled, this run's answers, the saved profile,
    person settings, and what the world says of the person's centre (`world` given)."""

    def lookup(name: str) -> Any:
        if item is not None and name in item:
            return item[name]
        if name == "person.consent":
            return bool(st.person.consent)
        if name == "person.centre":
            return st.person.centre
        if name == "person.centre_team":
            return world.has_team(st.person.centre) if world is not None else None
        if name == "person.locale":
            return st.person.locale
        if name in st.followup:
            return st.followup[name]
        if frame is not None and name in frame.answers:
            return frame.answers[name]
        return st.profile.get(name)

    return lookup


def date_bound(spec: str, today: date) -> date | None:
    """A date step's bound: "today", "today-<days>", a date written in the flow, or none."""
    if not spec:
        return None
    days_before = RELATIVE_DAY.match(spec)
    if days_before:
        return today - timedelta(days=int(days_before.group(1)))
    return today if spec == "today" else date.fromisoformat(spec)


def current_item(frame: Frame, step: Step) -> dict[str, Any] | None:
    """The item an item step is filling, if any."""
    items = frame.answers.get(step.item) if step.item else None
    return items[-1] if isinstance(items, list) and items else None


def current_answer(st: State, frame: Frame, step: Step) -> Any:
    """What the step's answer is now (this run's, the item's or the saved one)."""
    return answer_lookup(st, frame, current_item(frame, step))(step.save)


def kept_answer(st: State, frame: Frame, step: Step) -> Any:
    """In a correction, what the CV says now for this question (None when it says nothing):
    "Passer" keeps it, "Effacer" takes it off when the question is optional."""
    if not frame.edit:
        return None
    value = current_answer(st, frame, step)
    return None if value in (None, "", []) else value


def can_skip(st: State, frame: Frame, step: Step) -> bool:
    """An optional question, or a correction of something the CV already says."""
    return step.optional or kept_answer(st, frame, step) is not None


def can_clear(st: State, frame: Frame, step: Step) -> bool:
    """A correction of an optional answer the CV has: it can be taken off."""
    return step.optional and kept_answer(st, frame, step) is not None


class Renderer:
    """Writes questions, menus and messages for one person; reads state, never changes it."""

    def __init__(
        self,
        flows: FlowSet,
        catalogs: Catalogs,
        world: World,
    ) -> None:
        self.flows = flows
        self.catalogs = catalogs
        self.world = world

    @property
    def centres(self) -> tuple[Centre, ...]:
        """The centres open at this event."""
        return self.world.centres

    def tr(self, st: State) -> Translator:
        """The translator for this person's language."""
        return self.catalogs.get(st.person.locale)

    def today(self) -> date:
        """Today in the deployment's time zone."""
        return self.world.today

    def options(self, st: State, step: Step) -> list[tuple[str, str]]:
        """(value, label in the person's language) of a choice."""
        if step.options_from == "languages":
            return [(code, language_name(code)) for code in self.world.languages]
        if step.options_from == "centres":
            return [(c.id, c.name) for c in self.centres]
        if step.options_from == "team":
            return team_options(st)
        t = self.tr(st)
        return [(o.value, t.gettext(o.label)) for o in step.options]

    def none_label(self, st: State, step: Step) -> str:
        """The label of the button that answers a multiple choice with nothing."""
        return self.tr(st).gettext(step.none_label or B_NONE)

    def date_example(self, step: Step) -> date:
        """A date the step accepts, to show how to write one (a day to come for a date to
        come)."""
        today = self.today()
        low, high = date_bound(step.not_before, today), date_bound(step.not_after, today)
        return answers.date_example(today, low, high)

    def lexicon(self, st: State) -> answers.Lexicon:
        """The words this person may type for yes, no, none, done or "I don't know"."""
        return words.lexicon(self.catalogs, st.person.locale)

    def question(self, st: State, frame: Frame, step: Step) -> Message:
        """A question with its hint and buttons (answers, then back and skip)."""
        t = self.tr(st)
        prompt = t.gettext(step.prompt)
        values: dict[str, object] = dict(self.display_values(st, frame, names_in(prompt)))
        values.update(self._phrases(st, frame, [prompt], values))
        text = t.fill(prompt, values)
        review = self.desk_review(st, frame)
        if frame.edit and step.type not in ("multi_choice",):
            # a correction shows what is being replaced (ticks show it for multiple choices)
            value = current_answer(st, frame, step)
            shown = self.display(st, step.save, value, in_list=step.item)
            if shown:
                text += "\n" + t.gettext(T_NOW_DESK if review else T_NOW, value=shown)
                text += "\n" + t.gettext(T_KEEP)
        if review is not None:
            name = str(review.answers.get("subject_name") or "")
            text = t.gettext(T_CORRECTING, name=name) + "\n" + text
        hint = HINTS.get(step.type)
        if hint and step.type == "date":
            text += "\n" + t.gettext(hint, example=self.date_example(step).strftime("%d/%m/%Y"))
        elif hint:
            text += "\n" + t.gettext(hint)
        seq = st.session.seq
        rows: list[tuple[Button, ...]] = []
        if step.type == "yes_no":
            rows.append(
                (Button(t.gettext(B_YES), f"{seq}:v:yes"), Button(t.gettext(B_NO), f"{seq}:v:no"))
            )
        elif step.type in ("choice", "multi_choice"):
            for value, label in self.options(st, step):
                if step.type == "multi_choice" and value in frame.selected:
                    label = "✅ " + label
                rows.append((Button(label, f"{seq}:v:{value}"),))
            if step.type == "multi_choice":
                if step.min_choices == 0:  # "nothing" is an answer: a button says it
                    rows.append((Button(self.none_label(st, step), f"{seq}:n"),))
                rows.append((Button(t.gettext(B_DONE), f"{seq}:d"),))
        elif step.type == "date" and step.options:  # "Aujourd'hui", "Hier" besides typing
            rows.append(tuple(Button(label, f"{seq}:v:{v}") for v, label in self.options(st, step)))
        nav = []
        if frame.history:
            nav.append(Button(t.gettext(B_BACK), f"{seq}:b"))
        if frame.edit or self.flows.reply_flow(frame.flow) is not None:
            nav.append(Button(t.gettext(B_CANCEL), f"{seq}:c"))
        if can_skip(st, frame, step):
            nav.append(Button(t.gettext(B_SKIP), f"{seq}:s"))
        if nav:
            rows.append(tuple(nav))
        if can_clear(st, frame, step):
            rows.append((Button(t.gettext(B_CLEAR), f"{seq}:r"),))
        typed = step.type not in ("choice", "multi_choice", "yes_no")
        in_place = step.type == "multi_choice"  # ticked in place
        return Message(text, tuple(rows), rtl=t.rtl, typed=typed, in_place=in_place)

    def desk_review(self, st: State, frame: Frame) -> Frame | None:
        """The volunteer's review of someone's answers this correction was opened from."""
        if not frame.edit:
            return None
        review = next((f for f in st.session.stack if f.flow == frame.edit.get("review")), None)
        flow = self.flows.flows.get(review.flow) if review is not None else None
        return review if flow is not None and flow.role == "desk" else None

    def menu(self, st: State, flows: list[Flow]) -> Message:
        """The main menu: one button per flow offered."""
        t = self.tr(st)
        seq = st.session.seq
        rows = tuple((Button(t.gettext(f.title), f"{seq}:m:{f.id}"),) for f in flows)
        return Message(t.gettext(T_MENU), rows, rtl=t.rtl)

    def message_text(self, st: State, frame: Frame, step: Step, voice: str = "person") -> str:
        """A message step: its text, then each line whose condition holds and values exist (at
        most max_lines of them). voice "desk": the lines as a volunteer reads them about the
        person whose answers these are (their desk_text)."""
        t = self.tr(st)
        texts = [line.in_voice(voice) for line in step.lines]
        names = names_in(step.text).union(*(names_in(text) for text in texts))
        values: dict[str, object] = dict(self.display_values(st, frame, names))
        values.update(self._phrases(st, frame, [step.text, *texts], values))
        lookup = answer_lookup(st, frame, world=self.world)
        parts = []
        if step.text:
            parts.append(t.fill(t.gettext(step.text), values))
        shown = 0
        for line, text in zip(step.lines, texts, strict=True):
            if not text or (line.when and not line.when.holds(lookup)):
                continue
            if any(values.get(n) in (None, "") for n in names_in(text)):
                continue  # a line about something the person did not answer is left out
            parts.append(t.fill(t.gettext(text), values))
            shown += 1
            if shown == step.max_lines:
                break  # the first lines are the most important: the rest waits for the details
        return "\n".join(parts)

    def _phrases(
        self, st: State, frame: Frame, texts: list[str], values: dict[str, object]
    ) -> dict[str, object]:
        """The answers shown as phrases in these texts ({x:phrase}), ready for fill."""
        wanted = {name for text in texts for name, form in _forms(text) if form in SHOWN_FORMS}
        if not wanted:
            return {}  # most texts: no answer said as a phrase, nothing to look up
        t = self.tr(st)
        lookup = answer_lookup(st, frame)
        found: dict[str, object] = {}
        for name in wanted:
            saver = self.flows.find_field(name)
            label = values.get(name)
            if saver is None or not isinstance(label, str) or not label:
                continue
            chosen = lookup(name)
            chosen = chosen if isinstance(chosen, list) else [chosen]
            options = [o for o in saver[1].options if o.value in chosen]
            # phrases are translated; the CV's words are French whatever the chat language
            said = {form: t.gettext for form in PHRASES} | {form: str for form in OPTION_CV_KEYS}
            forms = {
                form: ", ".join(say(o.form(form)) for o in options if o.form(form))
                for form, say in said.items()
            }
            found[name] = Said(label, forms)
        return found

    def display_values(
        self, st: State, frame: Frame | None, wanted: set[str] | None = None
    ) -> dict[str, str | None]:
        """The answers a text shows (`wanted`; default: all), written for the person's language."""
        lookup = answer_lookup(st, frame)
        names = set(st.profile) | (set(frame.answers) if frame else set())
        names |= {"person.locale", "person.centre", "person.consent"}
        if wanted is not None:
            names &= wanted
        own = frame if frame is not None and self.flows.desk_flow(frame.flow) else None
        values = {name: self.display(st, name, lookup(name), frame=own) for name in names}
        centre = next((c for c in self.centres if c.id == st.person.centre), None)
        values["person.centre_address"] = centre.address or None if centre else None
        values["person.centre_hours"] = centre.hours or None if centre else None
        values.update(self.consent_values(st))
        values.update(self.followup_values(st))
        if wanted is None or "cv.name" in wanted:
            first, last = (str(lookup(f) or "") for f in ("first_name", "last_name"))
            name = wording.full_name(first, last)
            values["cv.name"] = name or None
        return values

    def followup_values(self, st: State) -> dict[str, str | None]:
        """Where the person's CV stands with their centre: the volunteer's note, the day of its
        last change in the person's language (the status is for conditions)."""
        changed = st.followup.get("cv.changed_at")
        day = None
        if isinstance(changed, datetime):
            day = self.tr(st).date(changed.astimezone(self.catalogs.tz).date())
        note = st.followup.get("cv.note")
        return {
            "cv.status": st.followup.get("cv.status"),
            "cv.note": note if isinstance(note, str) and note else None,
            "cv.changed_at": day,
        }

    def consent_values(self, st: State) -> dict[str, str | None]:
        """When the person agreed to the notice (a date in their language) and its version."""
        moment = st.person.consent_at if st.person.consent else None
        return {
            "person.consent_at": self.tr(st).date(moment.astimezone(self.catalogs.tz).date())
            if moment
            else None,
            "person.consent_version": st.person.consent_version if st.person.consent else None,
        }

    def display(
        self, st: State, name: str, value: Any, in_list: str = "", frame: Frame | None = None
    ) -> str | None:
        """One answer as the person should read it: labels, dates and numbers localised.
        `frame`: a desk flow in progress, whose own answers are shown by its own steps (a date
        to come with its weekday, for the volunteer to check it: "mardi 24 novembre 2026")."""
        t = self.tr(st)
        if value is None or value == [] or value == "":
            return None
        if name == "person.locale":
            return language_name(value)
        if name == "person.centre":
            return next((c.name for c in self.centres if c.id == value), None)
        spec = self.flows.list_spec(name) if not in_list else None
        if spec is not None and isinstance(value, list):
            shown = []
            for item in value:
                item_values = {k: self.display(st, k, v, in_list=name) for k, v in item.items()}
                for key, answer in item.items():
                    # "Une autre langue" then its name typed ("lang_other"): the name is shown
                    typed = item.get(key.rsplit("_", 1)[0] + "_other")
                    if answer == "other" and isinstance(typed, str) and typed:
                        item_values[key] = typed
                shown.append(fill(t.gettext(spec.label), item_values) if spec.label else "")
            return "; ".join(s for s in shown if s) or None
        own = self._desk_step(frame, name) if frame is not None and not in_list else None
        found = self.flows.find_field(f"{in_list}.{name}" if in_list else name)
        step = own or (found[1] if found else None)
        if own is not None and own.type == "date":
            try:
                return t.day(date.fromisoformat(value))
            except (TypeError, ValueError):
                return str(value)
        if isinstance(value, bool):
            return t.gettext(B_YES if value else B_NO)
        if step is not None and step.type in ("choice", "multi_choice"):
            labels = dict(self.options(st, step))
            values = value if isinstance(value, list) else [value]
            return ", ".join(labels.get(v, str(v)) for v in values)
        if step is not None and step.type == "date":
            try:
                return t.date(date.fromisoformat(value))
            except (TypeError, ValueError):
                return str(value)
        if step is not None and step.type == "time":
            try:
                return t.time(time.fromisoformat(value))
            except (TypeError, ValueError):
                return str(value)
        if step is not None and step.type == "number":
            return t.number(value)
        if step is not None and step.type == "month":
            try:
                return Month.parse(value).words(t.locale)
            except (TypeError, ValueError):
                return str(value)
        if step is not None and step.type == "phone":
            return answers.format_phone(value)
        return str(value)

    def _desk_step(self, frame: Frame, name: str) -> Step | None:
        """The step of a desk flow that saves `name` (desk flows' answers are their own: no
        other flow shows them)."""
        flow = self.flows.desk_flow(frame.flow)
        if flow is None:
            return None
        return next((s for s in flow.steps.values() if s.saves and s.save == name), None)


# given by the desk to a desk flow for each event, never stored: the team of the person's
# centre as [[value, name], …], the volunteer first (options_from = "team")
TEAM_GIVEN = "subject_team"


def team_options(st: State) -> list[tuple[str, str]]:
    """The choices of a team: what the desk gave the desk flow in progress."""
    frame = next(
        (f for f in reversed(st.session.stack) if isinstance(f.answers.get(TEAM_GIVEN), list)),
        None,
    )
    given = frame.answers[TEAM_GIVEN] if frame is not None else []
    return [
        (str(pair[0]), str(pair[1]))
        for pair in given
        if isinstance(pair, (list, tuple)) and len(pair) == 2
    ]


class Said:
    """An answer in a text: its label for {x}, one of its phrases for {x:phrase}."""

    def __init__(self, label: str, forms: dict[str, str]) -> None:
        self.label = label
        self.forms = forms

    def __format__(self, spec: str) -> str:
        return (self.forms.get(spec) or self.label) if spec else self.label

    def __str__(self) -> str:
        return self.label


def _forms(template: str) -> set[tuple[str, str]]:
    """(name, format) of the placeholders of a text; none for a malformed one."""
    try:
        return placeholder_forms(template)
    except ValueError:
        return set()


def names_in(template: str) -> set[str]:
    """The placeholders of a text; none for a malformed one (fill leaves it as written)."""
    try:
        return placeholders(template)
    except ValueError:
        return set()
