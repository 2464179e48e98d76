"""Reading flow files: TOML into the typed model, checked at load with errors that name the
file, the step and the field."""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from bot.core.i18n import placeholder_forms, placeholders
from bot.flows.conditions import Condition, ConditionError, parse_condition
from bot.flows.model import (
    ACTIONS,
    CONSENT_DISPLAY,
    CV_DISPLAY,
    DATE_OPTIONS,
    DESK_GIVEN,
    FLOW_KEYS,
    FOLLOWUP_DISPLAY,
    IDENT,
    MONTH_BOUND,
    NUMBER_UNITS,
    OPTION_CV_KEYS,
    OPTION_SOURCES,
    PERSON_DISPLAY,
    PERSON_FIELDS,
    PHRASES,
    RELATIVE_DAY,
    REPLY_ROLE,
    ROLES,
    SCRIPTS,
    SHOWN_FORMS,
    STEP_KEYS,
    STEP_TYPES,
    TIME_BOUNDS,
    TYPE_KEYS,
    VALUE,
    VERSION,
    WORLD_FIELDS,
    Branch,
    Entry,
    Flow,
    FlowError,
    FlowSet,
    Line,
    ListSpec,
    Option,
    Section,
    Step,
)


class _Reader:
    """Reads one flow table, raising FlowError with the place of each problem."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.step = ""

    def fail(self, message: str, key: str = "") -> FlowError:
        return FlowError(self.path, message, self.step, key)

    def get(
        self, table: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any
    ) -> Any:
        if key not in table:
            return default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; a flow writer's `true` where a number is expected is a mistake
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self.fail(f"expected {_kind_name(kind)}, got {value!r}", key)
        return value

    def text(self, table: dict[str, Any], key: str) -> str:
        value = self.get(table, key, str, "")
        if value:
            try:
                placeholders(value)
            except ValueError as exc:
                raise self.fail(f"malformed placeholder in text ({exc})", key) from None
        return value

    def condition(self, raw: Any, key: str) -> Condition:
        try:
            return parse_condition(raw)
        except ConditionError as exc:
            raise self.fail(str(exc), key) from None


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "a text",
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds:
        return "a number"
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _read_step(r: _Reader, raw: Any, index: int) -> Step:
    if not isinstance(raw, dict):
        raise r.fail(f"steps[{index}] must be a table")
    sid = raw.get("id")
    if not isinstance(sid, str) or not IDENT.match(sid):
        r.step = f"#{index + 1}"
        raise r.fail("each step needs an id: lower case letters, digits and _", "id")
    r.step = sid
    for key in raw:
        if key not in STEP_KEYS:
            raise r.fail("unknown field", key)
    stype = r.get(raw, "type", str, "")
    if stype not in STEP_TYPES:
        raise r.fail(f"expected one of {', '.join(STEP_TYPES)}, got {stype!r}", "type")
    for key in raw:
        allowed = [t for t, keys in TYPE_KEYS.items() if key in keys]
        if allowed and stype not in allowed:
            raise r.fail(f"only allowed for steps of type {' or '.join(allowed)}", key)

    options: list[Option] = []
    for i, opt in enumerate(r.get(raw, "options", list, [])):
        keys = {"value", "label"}
        known = keys | set(PHRASES) | {"numbers"} | set(OPTION_CV_KEYS)
        if not isinstance(opt, dict) or not keys <= set(opt) <= known:
            raise r.fail(
                f'option {i + 1} must be {{ value = "...", label = "..." }}, '
                f'maybe with phrase = "...", desk_phrase = "..." and numbers = [from, to], '
                f"and CV words: maybe {', '.join(OPTION_CV_KEYS)}",
                "options",
            )
        value, label = opt["value"], opt["label"]
        if not isinstance(value, str) or not VALUE.match(value):
            raise r.fail(f"option value {value!r}: use [a-z0-9_], 32 characters at most", "options")
        if not isinstance(label, str) or not label.strip():
            raise r.fail(f"option {value!r} needs a label", "options")
        if any(o.value == value for o in options):
            raise r.fail(f"option value {value!r} appears twice", "options")
        forms = {name: opt.get(name, "") for name in PHRASES}
        for name, form in forms.items():
            if not isinstance(form, str) or (name in opt and not form.strip()):
                raise r.fail(f"option {value!r}: {name} must be a text, not empty", "options")
            if form:
                r.text({name: form}, "options")  # a malformed placeholder is named
        words = {k: opt[k] for k in OPTION_CV_KEYS if k in opt}
        for key, text in words.items():
            # cv = "" leaves the choice off the CV; a gendered form must say something
            if not isinstance(text, str) or (key != "cv" and not text.strip()):
                raise r.fail(f"option {value!r}: {key} must be a text", "options")
        if words and stype not in ("choice", "multi_choice"):
            raise r.fail("only the options of a choice have CV words", "options")
        options.append(
            Option(
                value,
                label,
                forms["phrase"],
                forms["desk_phrase"],
                _numbers(r, opt, value),
                **words,
            )
        )
    spans = sorted(o.numbers for o in options if o.numbers is not None)
    if any(a[1] >= b[0] for a, b in itertools.pairwise(spans)):
        raise r.fail("the numbers of two options overlap", "options")

    lines = _read_lines(r, r.get(raw, "lines", list, []), "lines", desk=True)
    sections = _read_sections(r, r.get(raw, "sections", list, []))

    nxt = raw.get("next")
    branches: list[Branch] = []
    if isinstance(nxt, str):
        branches.append(Branch(nxt))
    elif isinstance(nxt, list):
        for i, br in enumerate(nxt):
            if not isinstance(br, dict) or "goto" not in br or set(br) - {"goto", "when"}:
                raise r.fail(f'branch {i + 1} must be {{ when = {{...}}, goto = "step" }}', "next")
            if not isinstance(br["goto"], str):
                raise r.fail(f"branch {i + 1}: goto must be a step id", "next")
            when = r.condition(br["when"], "next") if "when" in br else None
            branches.append(Branch(br["goto"], when))
        defaults = [i for i, b in enumerate(branches) if b.when is None]
        if defaults and defaults[0] != len(branches) - 1:
            raise r.fail("the branch without condition must be the last one", "next")
    elif nxt is not None:
        raise r.fail("expected a step id or a list of branches", "next")

    step = Step(
        id=sid,
        type=stype,
        prompt=r.text(raw, "prompt"),
        text=r.text(raw, "text"),
        help=r.text(raw, "help"),
        save=r.get(raw, "save", str, sid),
        item=r.get(raw, "item", str, ""),
        new_item=r.get(raw, "new_item", bool, False),
        optional=r.get(raw, "optional", bool, False),
        next=tuple(branches),
        options=tuple(options),
        options_from=r.get(raw, "options_from", str, ""),
        min_choices=r.get(raw, "min_choices", int, 1),
        max_choices=r.get(raw, "max_choices", int, 0) or len(options),
        none_label=r.text(raw, "none_label"),
        min_length=r.get(raw, "min_length", int, 1),
        max_length=r.get(raw, "max_length", int, 300),
        min=r.get(raw, "min", (int, float), None),
        max=r.get(raw, "max", (int, float), None),
        integer=r.get(raw, "integer", bool, True),
        not_before=r.get(raw, "not_before", str, ""),
        not_after=r.get(raw, "not_after", str, ""),
        date_from=r.get(raw, "date_from", str, ""),
        lines=tuple(lines),
        action=r.get(raw, "action", str, ""),
        reuse=r.get(raw, "reuse", bool, False),
        sections=sections,
        sections_from=r.get(raw, "sections_from", str, ""),
        version=r.get(raw, "version", str, ""),
        in_french=r.get(raw, "in_french", bool, False),
        script=r.get(raw, "script", str, ""),
        max_lines=r.get(raw, "max_lines", int, 0),
        number_unit=r.get(raw, "number_unit", str, ""),
    )
    _check_step(r, step, frozenset(raw))
    return step


def _read_lines(r: _Reader, raw: list[Any], key: str, desk: bool = False) -> tuple[Line, ...]:
    """The lines of a message (desk: they may have a desk_text) or of a review's entry."""
    allowed = {"text", "when", "desk_text"} if desk else {"text", "when"}
    lines = []
    for i, line in enumerate(raw):
        if not isinstance(line, dict) or "text" not in line or set(line) - allowed:
            shape = 'text = "...", when = {...}' + (', desk_text = "..."' if desk else "")
            raise r.fail(f"line {i + 1} must be {{ {shape} }}", key)
        when = r.condition(line["when"], key) if "when" in line else None
        desk_text = line.get("desk_text")
        if desk_text is not None:
            if not isinstance(desk_text, str):
                raise r.fail(f"line {i + 1}: expected a text, got {desk_text!r}", "desk_text")
            try:
                placeholders(desk_text)
            except ValueError as exc:
                raise r.fail(f"line {i + 1}: malformed placeholder ({exc})", "desk_text") from None
        lines.append(Line(r.text(line, "text"), when, desk_text))
    return tuple(lines)


def _read_sections(r: _Reader, raw: list[Any]) -> tuple[Section, ...]:
    sections = []
    for i, sec in enumerate(raw):
        where = f"section {i + 1}"
        if not isinstance(sec, dict) or set(sec) - {"title", "list", "entries"}:
            raise r.fail(f"{where} must be a table with title, entries and maybe list", "sections")
        title, lst = sec.get("title"), sec.get("list", "")
        if not isinstance(title, str) or not title.strip():
            raise r.fail(f"{where} needs a title", "sections")
        if not isinstance(lst, str):
            raise r.fail(f"{where}: list must be a list name", "sections")
        entries = []
        raw_entries = sec.get("entries")
        if not isinstance(raw_entries, list) or not raw_entries:
            raise r.fail(f"{where} needs entries", "sections")
        for j, ent in enumerate(raw_entries):
            here = f"{where}, entry {j + 1}"
            if not isinstance(ent, dict) or set(ent) - {"label", "fields", "edit", "lines", "each"}:
                raise r.fail(f"{here} must be {{ label, fields, edit, lines, each }}", "sections")
            label, fields, edit = ent.get("label"), ent.get("fields"), ent.get("edit", "")
            if not isinstance(label, str) or not label.strip():
                raise r.fail(f"{here} needs a label", "sections")
            if (
                not isinstance(fields, list)
                or not fields
                or not all(isinstance(f, str) and IDENT.match(f) for f in fields)
            ):
                raise r.fail(f"{here}: fields must be a list of answer names", "sections")
            if not isinstance(edit, str):
                raise r.fail(f"{here}: edit must be a step id", "sections")
            each = ent.get("each", False)
            if not isinstance(each, bool):
                raise r.fail(f"{here}: each must be true or false", "sections")
            lines = _read_lines(r, ent.get("lines", []), "sections")
            entries.append(Entry(r.text(ent, "label"), tuple(fields), edit, lines, each))
        sections.append(Section(r.text(sec, "title"), tuple(entries), lst))
    return tuple(sections)


def _check_step(r: _Reader, s: Step, raw_keys: frozenset[str] = frozenset()) -> None:
    if s.is_question and not s.prompt:
        raise r.fail("a question needs a prompt", "prompt")
    if s.type == "message" and not (s.text or s.lines):
        raise r.fail("a message needs a text or lines", "text")
    if s.type == "action" and s.action not in ACTIONS:
        raise r.fail(f"expected one of {', '.join(ACTIONS)}", "action")
    if not s.saves and (s.optional or s.item or s.reuse):
        raise r.fail("only questions can be optional, reused or saved in an item", "optional")
    if s.type == "review" and bool(s.sections) == bool(s.sections_from):
        raise r.fail(
            'a review needs sections, or sections_from = "<flow>" to show that flow\'s',
            "sections",
        )
    if s.number_unit not in NUMBER_UNITS:
        raise r.fail(f"expected one of {', '.join(map(repr, NUMBER_UNITS))}", "number_unit")
    if s.number_unit and not any(o.numbers for o in s.options):
        raise r.fail("only for options with numbers = [from, to]", "number_unit")
    if "max_lines" in raw_keys and not 1 <= s.max_lines <= len(s.lines):
        raise r.fail(f"need 1 <= max_lines <= number of lines ({len(s.lines)})", "max_lines")
    if s.reuse and (s.item or s.save.startswith("person.")):
        raise r.fail("only a plain answer can be reused, not an item or a person field", "reuse")
    if s.type == "choice":
        if bool(s.options) == bool(s.options_from):
            raise r.fail("a choice needs either options or options_from", "options")
        if s.options_from and s.options_from not in OPTION_SOURCES:
            raise r.fail(f"expected one of {', '.join(OPTION_SOURCES)}", "options_from")
    if s.type == "date":
        for option in s.options:
            if option.value not in DATE_OPTIONS:
                raise r.fail(f"a date's options are among {', '.join(DATE_OPTIONS)}", "options")
    if s.type == "multi_choice":
        if len(s.options) < 2:
            raise r.fail("a multiple choice needs at least two options", "options")
        if not 0 <= s.min_choices <= s.max_choices <= len(s.options):
            raise r.fail("need 0 <= min_choices <= max_choices <= number of options", "max_choices")
        if s.none_label and s.min_choices > 0:
            raise r.fail("a button for no answer needs min_choices = 0", "none_label")
    if s.type == "text" and not 0 <= s.min_length <= s.max_length <= 4000:
        raise r.fail("need 0 <= min_length <= max_length <= 4000", "max_length")
    if s.type == "number" and s.min is not None and s.max is not None and s.min > s.max:
        raise r.fail("min is greater than max", "min")
    for key in ("not_before", "not_after"):
        bound = getattr(s, key)
        if s.type == "time":
            if bound and bound not in TIME_BOUNDS:
                raise r.fail(f'expected "now" (a moment still ahead), got {bound!r}', key)
        elif s.type == "month":
            # a month can be bounded by another field of the same item (end after start)
            plain = not bound or bound == "today" or MONTH_BOUND.match(bound)
            if not plain and not (s.item and IDENT.match(bound)):
                raise r.fail(
                    f'expected "today", a month like 2024-01, or a field of the item, '
                    f"got {bound!r}",
                    key,
                )
        elif bound and bound != "today" and not RELATIVE_DAY.match(bound):
            try:
                date.fromisoformat(bound)
            except ValueError:
                raise r.fail(
                    f'expected "today", "today-<days>" or a date like 2024-01-31, got {bound!r}',
                    key,
                ) from None
    if s.save.startswith("person."):
        expected = PERSON_FIELDS.get(s.save)
        if expected is None:
            raise r.fail(
                f"unknown person field (expected one of {', '.join(PERSON_FIELDS)})", "save"
            )
        stype, source = expected
        if s.type != stype or (source and s.options_from != source) or s.item:
            how = f"a {stype} step" + (f' with options_from = "{source}"' if source else "")
            raise r.fail(f"{s.save} can only be saved by {how}", "save")
    elif not IDENT.match(s.save):
        raise r.fail("expected a name: lower case letters, digits and _", "save")
    if s.script and s.script not in SCRIPTS:
        raise r.fail(f"expected one of {', '.join(SCRIPTS)}, got {s.script!r}", "script")
    if s.new_item and not s.item:
        raise r.fail('new_item needs item = "<list>"', "new_item")
    if "version" in raw_keys:
        if s.save != "person.consent":
            raise r.fail("only the step that saves person.consent has a version", "version")
        if not VERSION.match(s.version):
            raise r.fail(
                f'expected a short name such as "2026-11" (letters, digits, . _ -), '
                f"got {s.version!r}",
                "version",
            )


def load_flow(path: Path) -> Flow:
    """Read and check one flow file (references to other flows are checked by load_flows)."""
    r = _Reader(path)
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise FlowError(path, f"not valid TOML ({exc})") from None
    except OSError as exc:
        raise FlowError(path, f"cannot be read ({exc.strerror})") from None
    for key in raw:
        if key not in FLOW_KEYS:
            raise r.fail("unknown field", key)
    fid = r.get(raw, "id", str, "")
    if fid != path.stem:
        raise r.fail(f"must be the file name without .toml ({path.stem!r}), got {fid!r}", "id")
    role = r.get(raw, "role", str, "")
    if role not in ROLES:
        raise r.fail(f"expected one of {', '.join(repr(x) for x in ROLES)}", "role")

    lists: dict[str, ListSpec] = {}
    for name, spec in r.get(raw, "lists", dict, {}).items():
        if not IDENT.match(name) or not isinstance(spec, dict) or set(spec) - {"max", "label"}:
            raise r.fail(f"list {name!r} must be a table with max and label", "lists")
        mx, label = spec.get("max"), spec.get("label", "")
        if isinstance(mx, bool) or not isinstance(mx, int) or not 1 <= mx <= 50:
            raise r.fail(f"list {name!r}: max must be a whole number from 1 to 50", "lists")
        if not isinstance(label, str):
            raise r.fail(f"list {name!r}: label must be a text", "lists")
        lists[name] = ListSpec(name, mx, r.text(spec, "label"))

    raw_steps = r.get(raw, "steps", list, [])
    if not raw_steps:
        raise r.fail("a flow needs at least one step", "steps")
    steps: dict[str, Step] = {}
    for i, raw_step in enumerate(raw_steps):
        step = _read_step(r, raw_step, i)
        if step.id in steps:
            raise r.fail("this step id is used twice", "id")
        steps[step.id] = step
    r.step = ""

    start = r.get(raw, "start", str, next(iter(steps)))
    if start not in steps:
        raise r.fail(f"unknown step {start!r}", "start")
    menu_when = r.condition(raw["menu_when"], "menu_when") if "menu_when" in raw else None
    title = r.text(raw, "title")
    menu = r.get(raw, "menu", bool, False)
    if menu and not title:
        raise r.fail("a flow in the menu needs a title", "title")
    flow = Flow(
        id=fid,
        title=title,
        path=path,
        start=start,
        steps=steps,
        lists=lists,
        menu=menu,
        order=r.get(raw, "order", int, 50),
        requires_consent=r.get(raw, "requires_consent", bool, True),
        menu_when=menu_when,
        role=role,
        notice=r.get(raw, "notice", str, ""),
        remember=r.get(raw, "remember", bool, True),
    )
    _check_graph(r, flow)
    _check_times(r, flow)
    _check_team_options(r, flow)
    _check_notice(r, flow)
    if role == "desk":
        if "remember" in raw:
            raise r.fail("a desk flow keeps nothing in the volunteer's profile", "remember")
        flow = replace(flow, remember=False)
        _check_desk(r, flow, raw)
    if role == REPLY_ROLE:
        _check_reply(r, flow, raw)
    return flow


def _check_reply(r: _Reader, flow: Flow, raw: dict[str, Any]) -> None:
    """A reply flow only asks: a button of a message Relais started opens it over the question
    in progress, and the capability that sent the message applies its answers."""
    for key in ("menu", "menu_when", "notice", "lists"):
        if key in raw:
            raise r.fail("a reply flow is opened by a message's button, never from a menu", key)
    for step in flow.steps.values():
        r.step = step.id
        if step.type in ("action", "review"):
            raise r.fail("a reply flow has no actions or reviews: its sender applies it", "type")
        if step.save.startswith("person."):
            raise r.fail("a reply flow does not change the person's settings", "save")
    r.step = ""


def _check_team_options(r: _Reader, flow: Flow) -> None:
    """`options_from = "team"` needs the desk, which gives the team for each event."""
    for step in flow.steps.values():
        if step.options_from == "team" and flow.role != "desk":
            r.step = step.id
            raise r.fail('only a desk flow (role = "desk") offers its team', "options_from")
    r.step = ""


def _check_desk(r: _Reader, flow: Flow, raw: dict[str, Any]) -> None:
    """A desk flow only asks: the desk opens it for one person and applies its answers."""
    for key in ("menu", "menu_when", "notice", "lists"):
        if key in raw:
            raise r.fail("a desk flow is opened by the desk only, never from a menu", key)
    for step in flow.steps.values():
        r.step = step.id
        if step.type == "action" or (step.type == "review" and not step.sections_from):
            raise r.fail(
                "a desk flow has no actions, and reviews only the person's answers"
                ' (sections_from = "<flow>"): the desk applies it',
                "type",
            )
        if step.reuse or step.save.startswith("person.") or step.save in DESK_GIVEN:
            raise r.fail("a desk flow saves its own answers, not the volunteer's", "save")
    r.step = ""


def _check_times(r: _Reader, flow: Flow) -> None:
    """A time step's `date_from` names the date step of the same flow (and item) that saves
    the day the time is on."""
    for step in flow.steps.values():
        if step.type != "time" or not step.date_from:
            continue
        r.step = step.id
        dates = [
            s
            for s in flow.steps.values()
            if s.type == "date" and s.save == step.date_from and s.item == step.item
        ]
        if not dates:
            where = f"of the {step.item!r} items " if step.item else ""
            raise r.fail(
                f"{step.date_from!r} is not saved by a date step {where}of this flow", "date_from"
            )
    r.step = ""


def _check_notice(r: _Reader, flow: Flow) -> None:
    """`notice` names a step of the onboarding flow from which its consent step is reached."""
    if not flow.notice:
        return
    if flow.role != "onboarding":
        raise r.fail('only the flow with role = "onboarding" has a notice', "notice")
    consent = flow.consent_step()
    if flow.notice not in flow.steps:
        raise r.fail(f"unknown step {flow.notice!r}", "notice")
    seen = _reachable(flow, flow.notice)
    if consent is None or consent.id not in seen:
        raise r.fail(
            f"the step that saves person.consent cannot be reached from {flow.notice!r}", "notice"
        )


def _reachable(flow: Flow, start: str) -> set[str]:
    """The steps a person can reach from `start` (the branches are checked to exist)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        sid = todo.pop()
        if sid not in seen:
            seen.add(sid)
            todo.extend(b.goto for b in flow.steps[sid].next)
    return seen


def _check_graph(r: _Reader, flow: Flow) -> None:
    for step in flow.steps.values():
        r.step = step.id
        for br in step.next:
            if br.goto not in flow.steps:
                raise r.fail(f"unknown step {br.goto!r}", "next")
        if step.item and step.item not in flow.lists:
            raise r.fail(f"unknown list {step.item!r} (declare it under [lists])", "item")
    seen = _reachable(flow, flow.start)
    for sid in flow.steps:
        if sid not in seen:
            r.step = sid
            raise r.fail(f"this step can never be reached from the start step {flow.start!r}")
    r.step = ""


def _check_references(flows: dict[str, Flow]) -> None:
    """Every condition and placeholder must name an answer some flow saves."""
    known = set(PERSON_FIELDS) | set(PERSON_DISPLAY) | set(CONSENT_DISPLAY)
    known |= set(FOLLOWUP_DISPLAY) | set(CV_DISPLAY)
    item_fields: dict[str, set[str]] = {}
    for flow in flows.values():
        if flow.role == "desk":
            continue  # a desk flow's answers are about someone else: not the person's answers
        known |= flow.saved_fields()
        for step in flow.steps.values():
            if step.item and step.saves:
                item_fields.setdefault(step.item, set()).add(step.save)
    beneficiaries = known
    savers = {
        s.save: s
        for flow in flows.values()
        if flow.role != "desk"
        for s in flow.steps.values()
        if s.saves and not s.item
    }
    for flow in flows.values():
        r = _Reader(flow.path)
        known = beneficiaries
        if flow.role == "desk":
            known = flow.saved_fields() | set(DESK_GIVEN)
            for name in sorted(known & beneficiaries):
                raise r.fail(f"{name!r} is an answer of the beneficiaries' flows: use another")
        for name, spec in flow.lists.items():
            for ph in placeholders(spec.label) - item_fields.get(name, set()):
                raise r.fail(
                    f"list {name!r}: label uses {{{ph}}}, not a field of its items", "lists"
                )
        if flow.menu_when:
            for f in flow.menu_when.fields() - known:
                raise r.fail(f"condition on unknown answer {f!r}", "menu_when")
        for placeholder in placeholders(flow.title):
            raise r.fail(f"a title cannot use placeholders ({{{placeholder}}})", "title")
        for step in flow.steps.values():
            r.step = step.id
            # an item's own fields can be tested on the way through its steps
            here = known | item_fields.get(step.item, set())
            conditions = [("next", b.when) for b in step.next if b.when]
            conditions += [("lines", line.when) for line in step.lines if line.when]
            for key, cond in conditions:
                for f in cond.fields() - here - set(WORLD_FIELDS):
                    raise r.fail(f"condition on unknown answer {f!r}", key)
                for name, inner in cond.item_conditions():
                    for f in inner.fields() - item_fields.get(name, set()):
                        raise r.fail(f"condition on {f!r}, not a field of {name!r} items", key)
            for key, text in step.texts():
                if key == "sections":
                    continue  # checked with their section below
                for ph in placeholders(text) - here:
                    raise r.fail(f"placeholder {{{ph}}} is not a saved answer", key)
                _check_phrases(r, savers, step, text, key)
            for key, bound in (("not_before", step.not_before), ("not_after", step.not_after)):
                field_bound = step.type == "month" and IDENT.match(bound) and bound != "today"
                if field_bound and bound not in item_fields.get(step.item, set()):
                    raise r.fail(f"{bound!r} is not a field of {step.item!r} items", key)
            if not step.sections_from:  # those are checked in their own flow
                _check_sections(r, flows, step, known, item_fields)


def _resolve_sections(flows: dict[str, Flow]) -> None:
    """A review with `sections_from` gets the sections of that flow's review (one review, of
    the beneficiaries' answers)."""
    for flow in flows.values():
        for step in list(flow.steps.values()):
            if not step.sections_from:
                continue
            other = flows.get(step.sections_from)
            reviews = [s for s in (other.steps.values() if other else ()) if s.type == "review"]
            if (
                other is None
                or other.role == "desk"
                or len(reviews) != 1
                or not reviews[0].sections
            ):
                raise FlowError(
                    flow.path,
                    f"{step.sections_from!r} is not a beneficiaries' flow with one review",
                    step.id,
                    "sections_from",
                )
            flow.steps[step.id] = replace(step, sections=reviews[0].sections)


def _numbers(r: _Reader, opt: dict[str, Any], value: str) -> tuple[int, int] | None:
    """An option's `numbers = [from, to]`: whole numbers, from <= to."""
    if "numbers" not in opt:
        return None
    span = opt["numbers"]
    if (
        not isinstance(span, list)
        or len(span) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in span)
        or span[0] > span[1]
    ):
        raise r.fail(f"option {value!r}: numbers must be [from, to], whole numbers", "options")
    return (span[0], span[1])


def _check_phrases(r: _Reader, savers: dict[str, Step], step: Step, text: str, key: str) -> None:
    """{field:phrase} and {field:desk_phrase}, in messages and prompts only, of a choice whose
    every option has that phrase; {field:cv}, {field:cv_feminine}, {field:cv_neutral}: the CV's
    words of its answer."""
    for name, form in placeholder_forms(text):
        if not form:
            continue
        shown = f"{{{name}:{form}}}"
        if form not in SHOWN_FORMS:
            expected = ", ".join(f"{{{name}:{f}}}" for f in SHOWN_FORMS)
            raise r.fail(f"{shown}: expected {{{name}}} or one of {expected}", key)
        if not (step.type == "message" or (key == "prompt" and step.is_question)):
            raise r.fail(f"{shown}: phrases are shown in messages and questions only", key)
        saver = savers.get(name)
        if saver is None or saver.type not in ("choice", "multi_choice") or not saver.options:
            raise r.fail(f"{shown}: only the answer of a choice with options has phrases", key)
        missing = [o.value for o in saver.options if not o.form(form)]
        if missing:
            raise r.fail(f"{shown}: option {missing[0]!r} of step {saver.id!r} has no {form}", key)


def _check_sections(
    r: _Reader,
    flows: dict[str, Flow],
    step: Step,
    known: set[str],
    item_fields: dict[str, set[str]],
) -> None:
    """Review sections must show answers some flow saves, and change them from a real step."""
    for i, section in enumerate(step.sections):
        where = f"section {i + 1}"
        if section.list and section.list not in item_fields:
            raise r.fail(f"{where}: unknown list {section.list!r}", "sections")
        person = set(PERSON_FIELDS) | set(PERSON_DISPLAY) | set(CONSENT_DISPLAY)
        person |= set(FOLLOWUP_DISPLAY) | set(CV_DISPLAY)
        names = item_fields[section.list] if section.list else known - person
        for entry in section.entries:
            for f in entry.fields:
                if f not in names:
                    what = f"a field of {section.list!r} items" if section.list else "saved"
                    raise r.fail(f"{where}: {f!r} is not {what}", "sections")
            owner = [
                fl
                for fl in flows.values()
                for s in fl.steps.values()
                if s.saves and s.save == entry.fields[0] and s.item == section.list
            ]
            if entry.edit and not any(entry.edit in fl.steps for fl in owner):
                raise r.fail(f"{where}: unknown step {entry.edit!r} to edit from", "sections")
            for line in entry.lines:
                for ph in placeholders(line.text) - set(entry.fields):
                    raise r.fail(f"{where}: {{{ph}}} is not one of the entry's fields", "sections")


def load_flows(folder: Path) -> FlowSet:
    """Load every *.toml of a folder and check them together; raise FlowError on the first error."""
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise FlowError(folder, "no flow files (*.toml) in this folder")
    flows = {}
    for path in paths:
        flow = load_flow(path)
        flows[flow.id] = flow
    for role in ("language", "onboarding"):
        holders = [f.id for f in flows.values() if f.role == role]
        if len(holders) != 1:
            raise FlowError(folder, f'exactly one flow must have role = "{role}", found {holders}')
    for role in ("centre", "team"):
        holders = [f.id for f in flows.values() if f.role == role]
        if len(holders) > 1:
            raise FlowError(folder, f'at most one flow may have role = "{role}", found {holders}')
    _resolve_sections(flows)
    _check_references(flows)
    return FlowSet(flows)
