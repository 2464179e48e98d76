"""Conditions written in flow files: parsed once at load time, evaluated against answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.core.french import is_latin

FIELD_OPS = ("equals", "in", "has", "has_any", "set", "min", "max", "any_item", "script")
# `script`: the letters of a text answer are all of this script ("latin": readable in France)
SCRIPT_TESTS = {"latin": is_latin}
GROUP_OPS = ("all", "any", "not")


class ConditionError(ValueError):
    """A condition table that is not well formed; the message says what is wrong."""


@dataclass(frozen=True)
class Condition:
    """One condition: a test on a field, or a combination of conditions."""

    op: str
    field: str = ""
    value: Any = None
    children: tuple[Condition, ...] = ()

    def fields(self) -> set[str]:
        """Every answer name this condition reads (inside any_item: only the list's name)."""
        names = {self.field} if self.field else set()
        if self.op != "any_item":
            for child in self.children:
                names |= child.fields()
        return names

    def item_conditions(self) -> list[tuple[str, Condition]]:
        """(list name, condition on one item) of every any_item test, for checking the names."""
        if self.op == "any_item":
            return [(self.field, self.children[0])]
        return [pair for child in self.children for pair in child.item_conditions()]

    def holds(self, lookup: Callable[[str], Any]) -> bool:
        """Evaluate with `lookup(field)` giving the current answer (None when unanswered)."""
        if self.op == "all":
            return all(c.holds(lookup) for c in self.children)
        if self.op == "any":
            return any(c.holds(lookup) for c in self.children)
        if self.op == "not":
            return not self.children[0].holds(lookup)
        answer = lookup(self.field)
        if self.op == "any_item":
            items = answer if isinstance(answer, list) else []
            return any(
                isinstance(item, dict) and self.children[0].holds(item.get) for item in items
            )
        if self.op == "set":
            return (answer is not None and answer != []) == self.value
        if answer is None:
            return False
        if self.op == "script":
            return isinstance(answer, str) and SCRIPT_TESTS[self.value](answer)
        if self.op == "equals":
            return bool(answer == self.value)
        if self.op == "in":
            return answer in self.value
        if self.op == "has":
            return isinstance(answer, list) and self.value in answer
        if self.op == "has_any":
            return isinstance(answer, list) and any(v in answer for v in self.value)
        amount = len(answer) if isinstance(answer, list) else answer
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            return False
        return amount >= self.value if self.op == "min" else amount <= self.value


def parse_condition(raw: Any) -> Condition:
    """Build a Condition from its TOML table; raise ConditionError naming the problem."""
    if not isinstance(raw, dict):
        raise ConditionError("a condition must be a table like { field = ..., equals = ... }")
    ops = [k for k in raw if k in GROUP_OPS]
    if ops:
        if len(raw) != 1:
            raise ConditionError(f"'{ops[0]}' must be alone in its table")
        op = ops[0]
        inner = raw[op]
        if op == "not":
            return Condition("not", children=(parse_condition(inner),))
        if not isinstance(inner, list) or not inner:
            raise ConditionError(f"'{op}' expects a non-empty list of conditions")
        return Condition(op, children=tuple(parse_condition(c) for c in inner))
    field = raw.get("field")
    if not isinstance(field, str) or not field:
        raise ConditionError("a condition needs 'field' (the name of an answer)")
    tests = [k for k in raw if k != "field"]
    unknown = [k for k in tests if k not in FIELD_OPS]
    if unknown:
        raise ConditionError(
            f"unknown test '{unknown[0]}' (expected one of {', '.join(FIELD_OPS)})"
        )
    if len(tests) != 1:
        raise ConditionError("a condition needs exactly one test besides 'field'")
    op = tests[0]
    value = raw[op]
    if op == "any_item":
        return Condition("any_item", field=field, children=(parse_condition(value),))
    if op in ("in", "has_any") and not (isinstance(value, list) and value):
        raise ConditionError(f"'{op}' expects a non-empty list")
    if op == "set" and not isinstance(value, bool):
        raise ConditionError("'set' expects true or false")
    if op == "script" and value not in SCRIPT_TESTS:
        raise ConditionError(f"'script' expects one of {', '.join(SCRIPT_TESTS)}")
    if op in ("min", "max") and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConditionError(f"'{op}' expects a number")
    return Condition(op, field=field, value=value)
