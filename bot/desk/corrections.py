"""A volunteer's correction of someone's answers (their CV), as the desk sees it: where the
review is in the volunteer's session, which saved answers it may change, what changed between
two versions of them (for the audit: ids and field names only, never values), and how a change
is named to the person and to admins. No I/O here: the desk (desk.py) reads and writes.

The review screens and corrections themselves are the engine's ("Mon CV"); a desk flow's
review (`sections_from`) runs them on the person's answers, read again at every message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.domain import Frame, State
from bot.core.i18n import N_, Translator
from bot.flows.model import FlowSet, Section, Step

CHANGED = "changed"  # the review frame's list of [section, entry] changed so far (numbers only)
WHOLE_ITEM = -1  # an item added or deleted, rather than one of its entries
# audit actions: "cv_edit:qualities", "cv_edit:cv_experiences.1.exp_task1" (item 1),
# "cv_add:cv_experiences", "cv_delete:cv_experiences.2"
EDIT, ADD, DELETE = "cv_edit", "cv_add", "cv_delete"
ACTION = re.compile(
    r"^(cv_edit|cv_add|cv_delete):([a-z][a-z0-9_]*)(?:\.(\d{1,3}))?(?:\.([a-z][a-z0-9_]*))?$"
)

T_PART_ENTRY = N_("{part} ({entry})")
T_PART_ITEM = N_("{part} {n}")
T_ADDED = N_("{part} : un ajout")
T_DELETED = N_("{part} : une suppression")


@dataclass(frozen=True)
class Change:
    """One change of the saved answers: its audit action and its place in the review."""

    action: str
    place: tuple[int, int]  # (section, entry), entry WHOLE_ITEM for an item added or deleted


def review_frame(flows: FlowSet, st: State) -> Frame | None:
    """The volunteer's review of someone's answers in progress (a desk flow's review)."""
    for frame in st.session.stack:
        flow = flows.desk_flow(frame.flow)
        if flow is not None and flow.steps[frame.step].type == "review":
            return frame
    return None


def review_step(flows: FlowSet, frame: Frame) -> Step:
    """The review step a desk review frame is at."""
    return flows.flows[frame.flow].steps[frame.step]


def edit_frames(st: State, review: Frame) -> list[Frame]:
    """The corrections opened from that review (at most one at a time)."""
    return [f for f in st.session.stack if f.edit.get("review") == review.flow]


def answer_keys(sections: tuple[Section, ...]) -> list[str]:
    """The saved answers a review may change: its plain fields and its lists, by name."""
    keys: list[str] = []
    for section in sections:
        names = [section.list] if section.list else [f for e in section.entries for f in e.fields]
        keys += [n for n in names if n not in keys]
    return keys


def _place(sections: tuple[Section, ...], name: str, field: str) -> tuple[int, int] | None:
    """Where a field of a list (or a plain field, name "") is shown in the review."""
    for s, section in enumerate(sections):
        if section.list != name:
            continue
        for e, entry in enumerate(section.entries):
            if field in entry.fields:
                return s, e
    return None


def _section_of(sections: tuple[Section, ...], name: str) -> int | None:
    return next((s for s, sec in enumerate(sections) if sec.list == name), None)


def _items(value: Any) -> list[dict[str, Any]]:
    return [i for i in value if isinstance(i, dict)] if isinstance(value, list) else []


def changes(
    sections: tuple[Section, ...], before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[Change]:
    """What changed between two versions of a person's answers, field by field."""
    found: list[Change] = []
    for key in answer_keys(sections):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        section = _section_of(sections, key)
        if section is None:  # a plain field
            place = _place(sections, "", key)
            if place is not None:
                found.append(Change(f"{EDIT}:{key}", place))
            continue
        olds, news = _items(old), _items(new)
        if len(news) > len(olds):
            found.append(Change(f"{ADD}:{key}", (section, WHOLE_ITEM)))
        elif len(news) < len(olds):
            gone = next((i for i, item in enumerate(news) if item != olds[i]), len(news))
            found.append(Change(f"{DELETE}:{key}.{gone + 1}", (section, WHOLE_ITEM)))
        else:
            for index, (was, now) in enumerate(zip(olds, news, strict=True)):
                for field in sorted(set(was) | set(now)):
                    if was.get(field) != now.get(field):
                        place = _place(sections, key, field)
                        if place is not None:
                            found.append(Change(f"{EDIT}:{key}.{index + 1}.{field}", place))
    return found


def noted(frame: Frame, found: list[Change]) -> None:
    """Add the places of these changes to the review's list of what changed (once each)."""
    places = [list(p) for p in frame.answers.get(CHANGED, []) if isinstance(p, list)]
    for change in found:
        if list(change.place) not in places:
            places.append(list(change.place))
    frame.answers[CHANGED] = places


def parts(sections: tuple[Section, ...], places: list[Any]) -> list[list[str]]:
    """What changed, as the person reads it (msgids): [part, entry] or [part] for an item
    added or deleted; a part of plain answers is named by its entry alone ("Qualités")."""
    named: list[list[str]] = []
    for place in places:
        if not (isinstance(place, list) and len(place) == 2):
            continue
        s, e = place
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < len(sections)):
            continue
        section = sections[s]
        if e == WHOLE_ITEM or not 0 <= e < len(section.entries):
            one = [section.title]
        elif section.list:
            one = [section.title, section.entries[e].label]
        else:
            one = ["", section.entries[e].label]
        if one not in named:
            named.append(one)
    return named


def say_parts(t: Translator, named: list[Any]) -> str:
    """ "Expériences (tâches), Qualités" in the reader's language."""
    shown = []
    for one in named:
        if not isinstance(one, list) or not one or not all(isinstance(x, str) for x in one):
            continue
        if len(one) == 1:
            shown.append(t.gettext(one[0]))
        elif not one[0]:
            shown.append(t.gettext(one[1]))
        else:
            entry = t.gettext(one[1])
            entry = entry[:1].lower() + entry[1:]
            shown.append(t.gettext(T_PART_ENTRY, part=t.gettext(one[0]), entry=entry))
    return ", ".join(shown)


def _review_sections(flows: FlowSet) -> list[tuple[Section, ...]]:
    """The sections of every review of the beneficiaries' answers."""
    return [
        step.sections
        for flow in flows.flows.values()
        if flow.role != "desk"
        for step in flow.steps.values()
        if step.sections
    ]


def describe(flows: FlowSet, action: str, t: Translator) -> str:
    """An audit action in words, from the review's labels ("Expériences 2 (Tâches)"), or as
    it is when no review shows it."""
    match = ACTION.match(action)
    if match is None:
        return action
    kind, key, number, field = match.groups()
    for sections in _review_sections(flows):
        if kind == EDIT:
            place = _place(sections, key, field) if field else _place(sections, "", key)
            if place is None:
                continue
            section = sections[place[0]]
            label = t.gettext(section.entries[place[1]].label)
            if not section.list:
                return label
            part = t.gettext(T_PART_ITEM, part=t.gettext(section.title), n=number or "")
            return t.gettext(T_PART_ENTRY, part=part, entry=label)
        found = _section_of(sections, key)
        if found is None:
            continue
        title = t.gettext(sections[found].title)
        if kind == ADD:
            return t.gettext(T_ADDED, part=title)
        return t.gettext(T_DELETED, part=t.gettext(T_PART_ITEM, part=title, n=number or ""))
    return action
