"""Conditions of flow files: parsing errors and evaluation."""

from __future__ import annotations

import pytest

from bot.flows.conditions import ConditionError, parse_condition

ANSWERS = {
    "french": "a_little",
    "sectors": ["cleaning", "catering"],
    "km": 12,
    "has_cv": False,
    "jobs": [{"title": "Maçon", "years": "more_2"}, {"title": "Plonge", "years": "less_6"}],
    "empty": [],
}


def holds(raw: dict) -> bool:
    return parse_condition(raw).holds(ANSWERS.get)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"field": "french", "equals": "a_little"}, True),
        ({"field": "french", "in": ["good", "very_good"]}, False),
        ({"field": "sectors", "has": "cleaning"}, True),
        ({"field": "sectors", "has_any": ["building", "security"]}, False),
        ({"field": "has_cv", "equals": False}, True),
        ({"field": "has_cv", "set": True}, True),
        ({"field": "missing", "set": False}, True),
        ({"field": "empty", "set": False}, True),
        ({"field": "missing", "equals": None}, False),
        ({"field": "km", "min": 10}, True),
        ({"field": "km", "max": 10}, False),
        ({"field": "jobs", "min": 2}, True),
        ({"field": "has_cv", "min": 0}, False),  # a yes/no is not a number
        ({"field": "jobs", "any_item": {"field": "years", "equals": "more_2"}}, True),
        ({"field": "jobs", "any_item": {"field": "title", "equals": "Peintre"}}, False),
        ({"field": "missing", "any_item": {"field": "x", "set": True}}, False),
        ({"all": [{"field": "km", "min": 1}, {"not": {"field": "has_cv", "equals": True}}]}, True),
        ({"any": [{"field": "km", "min": 100}, {"field": "french", "set": False}]}, False),
    ],
)
def test_conditions_evaluate_against_answers(raw: dict, expected: bool) -> None:
    assert holds(raw) is expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("french", "must be a table"),
        ({"equals": 1}, "needs 'field'"),
        ({"field": "x"}, "exactly one test"),
        ({"field": "x", "equals": 1, "in": [1]}, "exactly one test"),
        ({"field": "x", "bigger": 1}, "unknown test 'bigger'"),
        ({"field": "x", "in": []}, "non-empty list"),
        ({"field": "x", "set": "yes"}, "'set' expects true or false"),
        ({"field": "x", "min": "3"}, "'min' expects a number"),
        ({"all": []}, "non-empty list"),
        ({"all": [{"field": "x", "set": True}], "field": "y"}, "must be alone"),
    ],
)
def test_malformed_conditions_say_what_is_wrong(raw: object, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        parse_condition(raw)


def test_fields_lists_what_a_condition_reads() -> None:
    cond = parse_condition(
        {
            "all": [
                {"field": "a", "set": True},
                {"field": "jobs", "any_item": {"field": "t", "equals": 1}},
            ]
        }
    )
    assert cond.fields() == {"a", "jobs"}
    assert [(name, inner.fields()) for name, inner in cond.item_conditions()] == [("jobs", {"t"})]
