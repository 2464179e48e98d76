"""Review screens: a person's saved answers shown part by part, with buttons to change them.

A review step (type "review") moves between screens without saving anything: the parts, one
part, one item of a list part, the confirmation of a deletion. Each screen is a text and a list
of choices; a choice's token is what its button carries after the question counter:
g<i> open part i, e<j> change entry j, o<k> open item k, a add an item, x delete the item,
v:yes / v:no confirm, p send the PDF, b back, q finished.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from bot.core.domain import Frame, State
from bot.core.i18n import N_, fill, placeholders
from bot.core.render import B_BACK, B_NO, B_YES, Renderer, answer_lookup, names_in
from bot.flows.model import Entry, FlowSet, Section, Step

T_EMPTY_LIST = N_("Rien pour l'instant.")
T_NO_VALUE = N_("—")
T_DELETE = N_("Supprimer « {item} » ?")
B_CHANGE = N_("✏️ {label}")
B_ADD = N_("➕ Ajouter")
B_DELETE = N_("🗑 Supprimer")
B_PDF = N_("📄 Recevoir mon CV (PDF)")
B_FINISHED = N_("✔ Terminé")


@dataclass(frozen=True)
class Choice:
    """A button of a review screen."""

    label: str
    token: str


@dataclass(frozen=True)
class Screen:
    """What a review shows now: a text and rows of choices."""

    text: str
    rows: tuple[tuple[Choice, ...], ...]

    def tokens(self) -> dict[str, str]:
        """Token of each choice by its label."""
        return {c.label: c.token for row in self.rows for c in row}


def saved_items(st: State, name: str) -> list[dict[str, Any]]:
    """The saved items of a list (empty when none or malformed)."""
    items = st.profile.get(name)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def entry_now(st: State, step: Step, edit: dict[str, Any]) -> Any:
    """What the saved answers a correction changes say now: the item, or the entry's fields
    (None when it adds an item). Kept when the correction starts, compared at each answer:
    a difference means someone else (the person, their volunteer) changed them meanwhile."""
    where = edit.get("entry")
    if not isinstance(where, list) or len(where) != 2:
        return None
    section = step.sections[where[0]]
    if section.list:
        items = saved_items(st, section.list)
        index = edit.get("item", -1)
        return copy.deepcopy(items[index]) if 0 <= index < len(items) else None
    return {f: copy.deepcopy(st.profile.get(f)) for f in section.entries[where[1]].fields}


class Reviewer:
    """Builds review screens for one person; reads state, never changes it."""

    def __init__(self, flows: FlowSet, render: Renderer) -> None:
        self.flows = flows
        self.render = render

    def for_desk(self, frame: Frame) -> bool:
        """A volunteer's review of someone else's answers (a desk flow's)."""
        flow = self.flows.flows.get(frame.flow)
        return flow is not None and flow.role == "desk"

    def section(self, step: Step, frame: Frame) -> Section | None:
        """The part being looked at, if any."""
        index = frame.view.get("s")
        if index is None or not 0 <= index < len(step.sections):
            return None
        return step.sections[index]

    def item_index(self, st: State, step: Step, frame: Frame) -> int | None:
        """The index of the item being looked at, if it still exists."""
        section = self.section(step, frame)
        index = frame.view.get("i")
        if section is None or not section.list or index is None:
            return None
        return index if 0 <= index < len(saved_items(st, section.list)) else None

    def screen(self, st: State, frame: Frame, step: Step) -> Screen:
        """The screen for where the review is."""
        t = self.render.tr(st)
        section = self.section(step, frame)
        back = (Choice(t.gettext(B_BACK), "b"),)
        if section is None:
            rows = []
            for i, sec in enumerate(step.sections):
                title = t.gettext(sec.title)
                if sec.list:
                    title += f" ({t.number(len(saved_items(st, sec.list)))})"
                rows.append((Choice(title, f"g{i}"),))
            if not self.for_desk(frame):  # a volunteer sees the PDF from the person's page
                rows.append((Choice(t.gettext(B_PDF), "p"),))
            rows.append((Choice(t.gettext(B_FINISHED), "q"),))
            prompt = t.gettext(step.prompt)
            values = self.render.display_values(st, frame, names_in(prompt))
            return Screen(fill(prompt, values), tuple(rows))
        if not section.list:
            lines = [t.gettext(section.title)]
            rows = []
            for j, entry in enumerate(section.entries):
                lines.append(f"{t.gettext(entry.label)} : {self.entry_text(st, entry, None)}")
                rows.append((Choice(t.gettext(B_CHANGE, label=t.gettext(entry.label)), f"e{j}"),))
            return Screen("\n".join(lines), (*rows, back))
        items = saved_items(st, section.list)
        index = self.item_index(st, step, frame)
        if index is None:
            lines = [t.gettext(section.title)]
            rows = []
            for k, item in enumerate(items):
                label = self.item_label(st, section.list, item)
                lines.append(f"{k + 1}. {label}")
                rows.append((Choice(t.gettext(B_CHANGE, label=f"{k + 1}. {label}"), f"o{k}"),))
            if not items:
                lines.append(t.gettext(T_EMPTY_LIST))
            rows.append((Choice(t.gettext(B_ADD), "a"),))
            return Screen("\n".join(lines), (*rows, back))
        item = items[index]
        label = self.item_label(st, section.list, item)
        if frame.view.get("del"):
            yes_no = (Choice(t.gettext(B_YES), "v:yes"), Choice(t.gettext(B_NO), "v:no"))
            return Screen(t.gettext(T_DELETE, item=label), (yes_no,))
        lines = [f"{t.gettext(section.title)} – {index + 1}. {label}"]
        rows = []
        for j, entry in enumerate(section.entries):
            lines.append(f"{t.gettext(entry.label)} : {self.entry_text(st, entry, item, section)}")
            rows.append((Choice(t.gettext(B_CHANGE, label=t.gettext(entry.label)), f"e{j}"),))
        rows.append((Choice(t.gettext(B_DELETE), "x"),))
        return Screen("\n".join(lines), (*rows, back))

    def item_label(self, st: State, name: str, item: dict[str, Any]) -> str:
        """An item as one short line, from its list's label."""
        t = self.render.tr(st)
        spec = self.flows.list_spec(name)
        values = {k: self.render.display(st, k, v, in_list=name) for k, v in item.items()}
        if spec is None or not spec.label:
            return ""
        return fill(t.gettext(spec.label), {k: v or "" for k, v in values.items()}).strip(" :–")

    def entry_text(
        self, st: State, entry: Entry, item: dict[str, Any] | None, section: Section | None = None
    ) -> str:
        """An entry's values as the person reads them ("—" when there is none)."""
        t = self.render.tr(st)
        in_list = section.list if section else ""
        source: dict[str, Any] = item if item is not None else st.profile
        display = self.render.display
        values = {f: display(st, f, source.get(f), in_list=in_list) for f in entry.fields}
        if entry.lines:
            base = answer_lookup(st, None)

            def lookup(name: str) -> Any:
                return source.get(name) if name in entry.fields else base(name)

            for line in entry.lines:
                if line.when and not line.when.holds(lookup):
                    continue
                if any(values.get(n) in (None, "") for n in placeholders(line.text)):
                    continue
                return fill(t.gettext(line.text), values)
            return t.gettext(T_NO_VALUE)
        shown = [v for v in values.values() if v]
        return " · ".join(shown) if shown else t.gettext(T_NO_VALUE)
