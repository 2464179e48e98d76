"""How a person's state becomes text and buttons in their language: questions, menu, summaries.

Button data is "<seq>:<token>": seq is the session's question counter (an old or forged button
is recognised by it), the token says what was pressed: v:<value>, b (back), s (skip), d (done),
m:<flow> (a menu entry).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.core import answers
from bot.core.domain import Button, Centre, Frame, Message, State
from bot.core.i18n import N_, Catalogs, Translator, fill, language_name, placeholders
from bot.core.world import World
from bot.documents.cv import Month
from bot.flows.model import Flow, FlowSet, Step

T_MENU = N_("Que voulez-vous faire ?")
T_MULTI_HINT = N_("Vous pouvez choisir plusieurs réponses. Appuyez sur « Valider » à la fin.")
B_BACK = N_("↩ Retour")
B_SKIP = N_("Passer")
B_DONE = N_("Valider")
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
    "phone": N_("Par exemple : 06 12 34 56 78"),
    "email": N_("Par exemple : prenom.nom@exemple.fr"),
    "postcode": N_("Cinq chiffres, par exemple : 75011"),
    "month": N_("Par exemple : 03/2021, ou seulement l'année : 2021"),
    "number": N_("Écrivez un nombre."),
    "multi_choice": T_MULTI_HINT,
}


def answer_lookup(
    st: State, frame: Frame | None, item: dict[str, Any] | None = None
) -> Callable[[str], Any]:
    """Current answers by name: the item being filled, this run's answers, the saved profile,
    and person settings."""

    def lookup(name: str) -> Any:
        if item is not None and name in item:
            return item[name]
        if name == "person.consent":
            return bool(st.person.consent)
        if name == "person.centre":
            return st.person.centre
        if name == "person.locale":
            return st.person.locale
        if frame is not None and name in frame.answers:
            return frame.answers[name]
        return st.profile.get(name)

    return lookup


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
        t = self.tr(st)
        return [(o.value, t.gettext(o.label)) for o in step.options]

    def question(self, st: State, frame: Frame, step: Step) -> Message:
        """A question with its hint and buttons (answers, then back and skip)."""
        t = self.tr(st)
        prompt = t.gettext(step.prompt)
        text = fill(prompt, self.display_values(st, frame, names_in(prompt)))
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
        if hint:
            text += "\n" + t.gettext(hint, example=self.today().strftime("%d/%m/%Y"))
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
                rows.append((Button(t.gettext(B_DONE), f"{seq}:d"),))
        elif step.type == "date" and step.options:  # "Aujourd'hui", "Hier" besides typing
            rows.append(tuple(Button(label, f"{seq}:v:{v}") for v, label in self.options(st, step)))
        nav = []
        if frame.history:
            nav.append(Button(t.gettext(B_BACK), f"{seq}:b"))
        if frame.edit:
            nav.append(Button(t.gettext(B_CANCEL), f"{seq}:c"))
        if can_skip(st, frame, step):
            nav.append(Button(t.gettext(B_SKIP), f"{seq}:s"))
        if nav:
            rows.append(tuple(nav))
        if can_clear(st, frame, step):
            rows.append((Button(t.gettext(B_CLEAR), f"{seq}:r"),))
        typed = step.type not in ("choice", "multi_choice", "yes_no")
        return Message(text, tuple(rows), rtl=t.rtl, typed=typed)

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

    def message_text(self, st: State, frame: Frame, step: Step) -> str:
        """A message step: its text, then each line whose condition holds and values exist."""
        t = self.tr(st)
        names = names_in(step.text).union(*(names_in(line.text) for line in step.lines))
        values = self.display_values(st, frame, names)
        lookup = answer_lookup(st, frame)
        parts = []
        if step.text:
            parts.append(fill(t.gettext(step.text), values))
        for line in step.lines:
            if line.when and not line.when.holds(lookup):
                continue
            if any(values.get(n) in (None, "") for n in placeholders(line.text)):
                continue  # a line about something the person did not answer is left out
            parts.append(fill(t.gettext(line.text), values))
        return "\n".join(parts)

    def display_values(
        self, st: State, frame: Frame | None, wanted: set[str] | None = None
    ) -> dict[str, str | None]:
        """The answers a text shows (`wanted`; default: all), written for the person's language."""
        lookup = answer_lookup(st, frame)
        names = set(st.profile) | (set(frame.answers) if frame else set())
        names |= {"person.locale", "person.centre", "person.consent"}
        if wanted is not None:
            names &= wanted
        values = {name: self.display(st, name, lookup(name)) for name in names}
        centre = next((c for c in self.centres if c.id == st.person.centre), None)
        values["person.centre_address"] = centre.address or None if centre else None
        values["person.centre_hours"] = centre.hours or None if centre else None
        values.update(self.consent_values(st))
        return values

    def consent_values(self, st: State) -> dict[str, str | None]:
        """When the person agreed to the notice (a date in their language) and its version."""
        moment = st.person.consent_at if st.person.consent else None
        return {
            "person.consent_at": self.tr(st).date(moment.astimezone(self.catalogs.tz).date())
            if moment
            else None,
            "person.consent_version": st.person.consent_version if st.person.consent else None,
        }

    def display(self, st: State, name: str, value: Any, in_list: str = "") -> str | None:
        """One answer as the person should read it: labels, dates and numbers localised."""
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
                shown.append(fill(t.gettext(spec.label), item_values) if spec.label else "")
            return "; ".join(s for s in shown if s) or None
        found = self.flows.find_field(f"{in_list}.{name}" if in_list else name)
        step = found[1] if found else None
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


def names_in(template: str) -> set[str]:
    """The placeholders of a text; none for a malformed one (fill leaves it as written)."""
    try:
        return placeholders(template)
    except ValueError:
        return set()
