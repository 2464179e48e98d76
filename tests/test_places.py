"""Postcode places of job-offer matching (bot/offers/places.py): the shipped data file of
départements and their neighbours is whole and consistent, postcodes fall in the right
département (Corsica's split and the overseas ones included), and closeness grades two
postcodes without ever raising."""

from __future__ import annotations

import csv
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.offers import places
from bot.offers.places import FAR, NEIGHBOUR, SAME_DEPARTEMENT, SAME_POSTCODE

MAINLAND = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}
OVERSEAS = {"971", "972", "973", "974", "976"}


def data_lines() -> list[str]:
    return (
        resources.files("bot.offers")
        .joinpath("data", "departements.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )


# -- the data file ---------------------------------------------------------------------------


def test_the_data_file_names_its_source_in_its_header() -> None:
    header = "\n".join(line for line in data_lines() if line.startswith("#"))
    assert "INSEE" in header and "ADMIN EXPRESS" in header and "by hand" in header
    assert data_lines()[0].startswith("#")


def test_every_departement_is_in_the_file_once() -> None:
    rows = list(csv.DictReader(line for line in data_lines() if not line.startswith("#")))
    listed = [row["code"] for row in rows]
    assert len(listed) == len(set(listed))
    # 01 to 95 without 20, with 2A and 2B: the 96 mainland départements
    assert len(MAINLAND) == 95 - 1 + 2 == 96
    assert set(listed) == MAINLAND | OVERSEAS == places.codes()
    assert "20" not in places.codes()
    assert all(row["name"].strip() == row["name"] != "" for row in rows)


def test_the_neighbour_relation_is_symmetric_and_between_known_codes() -> None:
    for code in places.codes():
        assert code not in places.neighbours(code)
        for other in places.neighbours(code):
            assert other in places.codes(), (code, other)
            assert code in places.neighbours(other), (code, other)


def test_every_mainland_departement_has_a_neighbour_and_overseas_ones_none() -> None:
    assert all(places.neighbours(code) for code in MAINLAND)
    assert all(places.neighbours(code) == frozenset() for code in OVERSEAS)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("75", {"92", "93", "94"}),
        ("93", {"75", "77", "92", "94", "95"}),
        ("92", {"75", "78", "91", "93", "94", "95"}),
        ("77", {"02", "10", "45", "51", "60", "89", "91", "93", "94", "95"}),
        ("69", {"01", "38", "42", "71"}),
        ("13", {"04", "30", "83", "84"}),
        ("84", {"04", "07", "13", "26", "30", "83"}),
        ("2A", {"2B"}),
        ("2B", {"2A"}),
        ("29", {"22", "56"}),
        ("90", {"25", "68", "70", "88"}),
        ("66", {"09", "11"}),
        ("06", {"04", "83"}),
        ("74", {"01", "73"}),
    ],
)
def test_known_neighbours(code: str, expected: set[str]) -> None:
    assert places.neighbours(code) == expected


def test_water_is_no_border() -> None:
    # Calvados and Seine-Maritime face each other across the Seine estuary only
    assert "76" not in places.neighbours("14")
    # Corsica is an island
    assert places.neighbours("2A") | places.neighbours("2B") == {"2A", "2B"}


def test_names() -> None:
    assert places.name("75") == "Paris"
    assert places.name("2A") == "Corse-du-Sud"
    assert places.name("2B") == "Haute-Corse"
    assert places.name("974") == "La Réunion"
    assert places.name("95") == "Val-d'Oise"
    with pytest.raises(KeyError):
        places.name("20")


def test_an_unknown_code_has_no_neighbours() -> None:
    assert places.neighbours("20") == frozenset()
    assert places.neighbours("") == frozenset()


# -- postcodes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("75011", "75"),
        ("01000", "01"),
        ("13001", "13"),
        ("69001", "69"),
        ("95000", "95"),
        (" 93200 ", "93"),
        # Corsica: La Poste's 200xx-201xx are Corse-du-Sud, 202xx and 206xx Haute-Corse
        ("20000", "2A"),
        ("20090", "2A"),
        ("20100", "2A"),
        ("20167", "2A"),
        ("20199", "2A"),
        ("20200", "2B"),
        ("20250", "2B"),
        ("20290", "2B"),
        ("20600", "2B"),
        ("20620", "2B"),
        # the prefectures' CEDEX codes: Bastia 204xx, Ajaccio 207xx
        ("20401", "2B"),
        ("20701", "2A"),
        ("20300", None),
        ("20900", None),
        # overseas
        ("97100", "971"),
        ("97200", "972"),
        ("97300", "973"),
        ("97400", "974"),
        ("97490", "974"),
        ("97600", "976"),
        ("97133", None),  # Saint-Barthélemy
        ("97150", None),  # Saint-Martin
        ("97500", None),  # Saint-Pierre-et-Miquelon
        ("97700", None),
        ("98000", None),  # Monaco
        ("98800", None),  # New Caledonia
        ("00100", None),
        ("96000", None),
        ("99999", None),
        ("7501", None),
        ("750111", None),
        ("75 011", None),
        ("abcde", None),
        ("７５０１１", None),  # full-width digits are digits to Python, not to La Poste
        ("", None),
    ],
)
def test_departement_of_a_postcode(postcode: str, expected: str | None) -> None:
    assert places.departement(postcode) == expected


def test_every_code_is_reached_by_some_postcode() -> None:
    reached = {places.departement(f"{n:03d}00") for n in range(1000)}
    assert reached - {None} == places.codes()


# -- closeness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("75011", "75011", SAME_POSTCODE),
        ("75011", " 75011", SAME_POSTCODE),
        ("75011", "75012", SAME_DEPARTEMENT),
        ("75011", "75116", SAME_DEPARTEMENT),
        ("75011", "93200", NEIGHBOUR),
        ("75011", "92100", NEIGHBOUR),
        ("75011", "95000", FAR),
        ("75011", "77000", FAR),
        ("69001", "38000", NEIGHBOUR),
        ("69001", "26000", FAR),
        ("13001", "04100", NEIGHBOUR),
        ("20000", "20100", SAME_DEPARTEMENT),
        ("20000", "20200", NEIGHBOUR),
        ("20200", "20600", SAME_DEPARTEMENT),
        ("20000", "06000", FAR),
        ("97400", "97410", SAME_DEPARTEMENT),
        ("97400", "97600", FAR),
        ("97100", "97133", FAR),
        ("14600", "76600", FAR),
        # what names no département is far from everything, itself included
        ("98000", "98000", FAR),
        ("abcde", "abcde", FAR),
        ("", "75011", FAR),
        ("75011", "7501", FAR),
    ],
)
def test_closeness(a: str, b: str, expected: int) -> None:
    assert places.closeness(a, b) == expected
    assert places.closeness(b, a) == expected


def test_the_steps_are_ordered() -> None:
    assert SAME_POSTCODE < SAME_DEPARTEMENT < NEIGHBOUR < FAR


@given(st.text(max_size=8), st.text(max_size=8))
def test_closeness_never_raises_and_is_symmetric(a: str, b: str) -> None:
    steps = {SAME_POSTCODE, SAME_DEPARTEMENT, NEIGHBOUR, FAR}
    assert places.closeness(a, b) == places.closeness(b, a)
    assert places.closeness(a, b) in steps


@given(st.from_regex(r"[0-9]{5}", fullmatch=True), st.from_regex(r"[0-9]{5}", fullmatch=True))
def test_closeness_of_five_digit_postcodes_is_symmetric(a: str, b: str) -> None:
    assert places.closeness(a, b) == places.closeness(b, a)
