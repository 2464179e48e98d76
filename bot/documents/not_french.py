"""The answers a CV shows that are not in French, for the volunteer who checks the CV.

Which answers the CV wants in French is said by the flows (`in_french = true` on a question);
whether an answer is French is guessed by bot/core/french.py. Nothing is stored: the list is
made from the saved answers each time a volunteer looks, so a correction removes its line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.french import NotFrench, not_french
from bot.core.i18n import N_, Translator
from bot.flows.model import FlowSet

T_LINE = N_("• {where} : « {text} »")
T_IN_ITEM = N_("{part} {number}, {label}")
T_HINT = N_("Aidez la personne à les écrire en français avant de qualifier le CV.")
WHY = {NotFrench.SCRIPT: N_("autre alphabet"), NotFrench.WORDS: N_("autre langue")}
SHOWN = 60  # characters of an answer shown in the list


@dataclass(frozen=True)
class ForeignAnswer:
    """One answer the CV shows that is clearly not in French."""

    field: str  # "exp_task1"
    list: str  # "cv_experiences", or "" for a plain answer
    number: int  # the item's number in its list (1, 2…), 0 for a plain answer
    text: str  # as the person typed it
    why: NotFrench


def foreign_answers(profile: Mapping[str, Any], flows: FlowSet) -> tuple[ForeignAnswer, ...]:
    """Every saved answer of an `in_french` question that is clearly not French, in the order
    "Mon CV" shows them: a list's items one by one, each with its answers in question order."""
    found: list[tuple[int, int, int, ForeignAnswer]] = []
    places: dict[str, int] = {}  # where a plain answer or a list comes among the questions
    for flow in flows.flows.values():
        if flow.role == "desk":
            continue
        for index, step in enumerate(flow.steps.values()):
            if not step.in_french:
                continue
            place = places.setdefault(step.item or step.save, len(places))
            if step.item:
                items = profile.get(step.item)
                for number, item in enumerate(items if isinstance(items, list) else [], 1):
                    value = item.get(step.save) if isinstance(item, dict) else None
                    for answer in _check(step.save, step.item, number, value):
                        found.append((place, number, index, answer))
            else:
                for answer in _check(step.save, "", 0, profile.get(step.save)):
                    found.append((place, 0, index, answer))
    seen: set[tuple[str, str, int]] = set()
    answers = []
    for *_, answer in sorted(found, key=lambda f: f[:3]):
        key = (answer.list, answer.field, answer.number)
        if key not in seen:  # the same answer asked by two flows
            seen.add(key)
            answers.append(answer)
    return tuple(answers)


def _check(name: str, list_name: str, number: int, value: Any) -> list[ForeignAnswer]:
    if not isinstance(value, str) or not value.strip():
        return []
    why = not_french(value)
    return [ForeignAnswer(name, list_name, number, value, why)] if why else []


def _labels(flows: FlowSet, answer: ForeignAnswer) -> tuple[str, str]:
    """(part, label) of the review entry that shows this answer ("Expériences", "Tâches"), so
    that the volunteer finds it where "Mon CV" shows it; else the answer's name."""
    for flow in flows.flows.values():
        for step in flow.steps.values():
            for section in step.sections:
                if section.list != answer.list:
                    continue
                for entry in section.entries:
                    if answer.field in entry.fields:
                        return section.title, entry.label
    return "", answer.field


def describe(answers: tuple[ForeignAnswer, ...], flows: FlowSet, t: Translator) -> list[str]:
    """The lines a volunteer reads: how many, then each answer where "Mon CV" shows it."""
    if not answers:
        return []
    lines = [
        t.ngettext(
            "{n} champ du CV n'est pas en français :",
            "{n} champs du CV ne sont pas en français :",
            len(answers),
        )
    ]
    for answer in answers:
        part, label = _labels(flows, answer)
        where = t.gettext(label) if label != answer.field else label
        if answer.number:
            where = t.gettext(T_IN_ITEM, part=t.gettext(part), number=answer.number, label=where)
        text = answer.text if len(answer.text) <= SHOWN else answer.text[: SHOWN - 1] + "…"
        line = t.gettext(T_LINE, where=where, text=text)
        lines.append(f"{line} ({t.gettext(WHY[answer.why])})")
    lines.append(t.gettext(T_HINT))
    return lines


def summary(answers: tuple[ForeignAnswer, ...], t: Translator) -> str:
    """One line for a person's page: "3 champs du CV ne sont pas en français (voir le CV)."."""
    if not answers:
        return ""
    return t.ngettext(
        "{n} champ du CV n'est pas en français (voir le CV).",
        "{n} champs du CV ne sont pas en français (voir le CV).",
        len(answers),
    )
