"""Babel extraction method for flow files: finds every translatable text of a flow TOML.

Registered as the `relais_flow` extraction method (see babel.cfg and pyproject.toml).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from bot.core.i18n import placeholder_forms

# (lineno, funcname, message, comments), as Babel expects from an extraction method
Extracted = tuple[int, str | None, str, list[str]]

BUTTON_MAX = 30  # option labels become phone buttons
# who reads an option's phrases (see bot.flows.model.PHRASES) and a line's desk_text
PHRASE_READERS = {
    "phrase": "to the person",
    "desk_phrase": "to a volunteer, about the person",
}


class _Lines:
    """Finds the line of the raw file where a text is written (best effort)."""

    def __init__(self, raw: str) -> None:
        self.lines = raw.splitlines()

    def of_step(self, step_id: str) -> int:
        """Index (0-based) of the line that declares a step id, 0 when not found."""
        pattern = re.compile(r"""^\s*id\s*=\s*["']""" + re.escape(step_id) + r"""["']""")
        for index, line in enumerate(self.lines):
            if pattern.match(line):
                return index
        return 0

    def find(self, text: str, start: int = 0) -> int:
        """1-based line number of a text, searched from `start` then from the top; 1 if absent."""
        probe = _probe(text)
        if not probe:
            return 1
        for first in (start, 0):
            for index in range(first, len(self.lines)):
                if probe in self.lines[index]:
                    return index + 1
        return 1


def _probe(text: str) -> str:
    """The part of a text most likely written as is in the TOML source (before any escape)."""
    first = next((part for part in text.split("\n") if part.strip()), "")
    return re.split(r'["\\]', first, maxsplit=1)[0].strip()


def _comments(where: str, text: str, button: bool = False) -> list[str]:
    """Translator comments: where the text is used, and what to keep as is."""
    comments = [where]
    try:
        names = sorted(
            name + (f":{form}" if form else "") for name, form in placeholder_forms(text)
        )
    except ValueError:
        names = []
    if names:
        kept = ", ".join("{" + name + "}" for name in names)
        comments.append(f"Keep {kept} unchanged.")
    if button:
        comments.append(f"Button: {BUTTON_MAX} characters at most.")
    return comments


def _texts(flow: Mapping[str, Any], flow_id: str) -> Iterator[tuple[str, str, str, bool]]:
    """Every translatable text as (step id or '', place, text, is_button)."""
    title = flow.get("title")
    if isinstance(title, str) and title:
        yield "", f"{flow_id}: menu title", title, True
    lists = flow.get("lists")
    if isinstance(lists, Mapping):
        for name, spec in lists.items():
            label = spec.get("label") if isinstance(spec, Mapping) else None
            if isinstance(label, str) and label:
                yield "", f"{flow_id} / list {name}: label of one item", label, False
    steps = flow.get("steps")
    for step in steps if isinstance(steps, list) else []:
        if not isinstance(step, Mapping):
            continue
        sid = str(step.get("id", "?"))
        where = f"{flow_id} / {sid}"
        for key in ("prompt", "text", "help"):
            value = step.get(key)
            if isinstance(value, str) and value:
                yield sid, f"{where}: {key}", value, False
        options = step.get("options")
        for option in options if isinstance(options, list) else []:
            if isinstance(option, Mapping) and isinstance(option.get("label"), str):
                value = option.get("value", "?")
                yield sid, f"{where}: option {value}", option["label"], True
            for form, reader in PHRASE_READERS.items():
                if isinstance(option, Mapping) and isinstance(option.get(form), str):
                    value = option.get("value", "?")
                    place = f"{where}: option {value} said in a summary, {reader}"
                    yield sid, place, option[form], False
        none_label = step.get("none_label")
        if isinstance(none_label, str) and none_label:
            yield sid, f"{where}: button for no answer", none_label, True
        lines = step.get("lines")
        for number, line in enumerate(lines if isinstance(lines, list) else [], start=1):
            if isinstance(line, Mapping) and isinstance(line.get("text"), str):
                yield sid, f"{where}: line {number}", line["text"], False
            desk_text = line.get("desk_text") if isinstance(line, Mapping) else None
            if isinstance(desk_text, str) and desk_text:
                place = f"{where}: line {number}, {PHRASE_READERS['desk_phrase']}"
                yield sid, place, desk_text, False
        yield from _section_texts(step.get("sections"), sid, where)


def _section_texts(sections: Any, sid: str, where: str) -> Iterator[tuple[str, str, str, bool]]:
    """A review's part titles and entry labels (both shown on buttons) and entry lines."""
    for number, section in enumerate(sections if isinstance(sections, list) else [], start=1):
        if not isinstance(section, Mapping):
            continue
        if isinstance(section.get("title"), str):
            yield sid, f"{where}: part {number} title", section["title"], True
        entries = section.get("entries")
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, Mapping):
                continue
            if isinstance(entry.get("label"), str):
                yield sid, f"{where}: part {number} entry", entry["label"], True
            lines = entry.get("lines")
            for line in lines if isinstance(lines, list) else []:
                if isinstance(line, Mapping) and isinstance(line.get("text"), str):
                    yield sid, f"{where}: part {number} entry line", line["text"], False


def extract_flow(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel extraction method: yield (lineno, None, message, comments) for a flow file."""
    del keywords, comment_tags, options  # flow files have no gettext calls nor comment tags
    name = str(getattr(fileobj, "name", "") or "flow.toml")
    raw = fileobj.read()
    source = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    try:
        flow = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{name}: not valid TOML ({exc})") from None
    flow_id = flow.get("id")
    if not isinstance(flow_id, str) or not flow_id:
        flow_id = Path(name).stem
    lines = _Lines(source)
    step_start: dict[str, int] = {}
    for sid, where, text, button in _texts(flow, flow_id):
        if sid and sid not in step_start:
            step_start[sid] = lines.of_step(sid)
        lineno = lines.find(text, step_start.get(sid, 0))
        yield lineno, None, text, _comments(where, text, button)
