"""The Babel extraction method for flow files, on a small flow and on the real flows."""

from __future__ import annotations

import io
import tomllib
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from bot.flows.extractor import BUTTON_MAX, extract_flow

ROOT = Path(__file__).resolve().parent.parent
FLOWS = sorted((ROOT / "flows").glob("*.toml"))

SMALL = """\
id = "small"
title = "Petit test"
menu = true

[lists.jobs]
max = 3
label = "{job_title} ({job_years})"

[[steps]]
id = "hello"
type = "message"
text = "Bonjour {first_name} !\\nBienvenue."
next = "level"

[[steps]]
id = "level"
type = "choice"
prompt = "Vous parlez français ?"
help = "Choisissez une réponse."
options = [
  { value = "not_yet", label = "Pas encore" },
  { value = "good", label = "Bien" },
]
next = "other_level"

[[steps]]
id = "other_level"
type = "choice"
prompt = 'Vous lisez le "français" ?'
options = [
  { value = "not_yet", label = "Pas encore" },
  { value = "good", label = "Bien" },
]
next = "summary"

[[steps]]
id = "summary"
type = "message"
text = "Voici :"

[[steps.lines]]
text = "Niveau : {level}"
when = { field = "level", set = true }
"""


def run(source: str, name: str = "flows/small.toml") -> list[tuple[int, str, list[str]]]:
    """Run the extractor on a TOML text as Babel would, keeping (lineno, message, comments)."""
    fileobj = io.BytesIO(source.encode("utf-8"))
    fileobj.name = name  # type: ignore[attr-defined]
    found = []
    for lineno, funcname, message, comments in extract_flow(fileobj, [], [], {}):
        assert funcname is None
        found.append((lineno, message, comments))
    return found


def line_of(source: str, fragment: str, after: str = "") -> int:
    """1-based number of the first line containing fragment (after the line containing after)."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if fragment in lines[i]) + 1


def flow_texts(flow: dict[str, Any]) -> set[str]:
    """Every translatable text of a parsed flow, walked independently of the extractor."""
    texts = {flow.get("title", "")}
    texts |= {spec.get("label", "") for spec in flow.get("lists", {}).values()}
    for step in flow["steps"]:
        texts |= {step.get(key, "") for key in ("prompt", "text", "help", "none_label")}
        texts |= {option["label"] for option in step.get("options", [])}
        texts |= {o.get(k, "") for o in step.get("options", []) for k in ("phrase", "desk_phrase")}
        texts |= {line["text"] for line in step.get("lines", [])}
        texts |= {line.get("desk_text", "") for line in step.get("lines", [])}
        for section in step.get("sections", []):
            texts.add(section["title"])
            for entry in section["entries"]:
                texts.add(entry["label"])
                texts |= {line["text"] for line in entry.get("lines", [])}
    return texts - {""}


def test_small_flow_every_text_once_in_order() -> None:
    messages = [message for _, message, _ in run(SMALL)]
    assert messages == [
        "Petit test",
        "{job_title} ({job_years})",
        "Bonjour {first_name} !\nBienvenue.",
        "Vous parlez français ?",
        "Choisissez une réponse.",
        "Pas encore",
        "Bien",
        'Vous lisez le "français" ?',
        "Pas encore",
        "Bien",
        "Voici :",
        "Niveau : {level}",
    ]


def test_small_flow_line_numbers_point_at_the_text() -> None:
    found = {(message, comments[0]): lineno for lineno, message, comments in run(SMALL)}
    assert found[("Petit test", "small: menu title")] == line_of(SMALL, "Petit test")
    hello = ("Bonjour {first_name} !\nBienvenue.", "small / hello: text")
    assert found[hello] == line_of(SMALL, "Bonjour")
    # the same label in two steps: each points at its own step
    first = ("Pas encore", "small / level: option not_yet")
    second = ("Pas encore", "small / other_level: option not_yet")
    assert found[first] == line_of(SMALL, "Pas encore")
    assert found[second] == line_of(SMALL, "Pas encore", after='id = "other_level"')
    assert found[first] != found[second]
    # a text with an escaped quote is still found by its beginning
    quoted = ('Vous lisez le "français" ?', "small / other_level: prompt")
    assert found[quoted] == line_of(SMALL, "Vous lisez le")
    assert found[("Niveau : {level}", "small / summary: line 1")] == line_of(SMALL, "Niveau")


def test_small_flow_comments_help_translators() -> None:
    comments = {message: c for _, message, c in run(SMALL)}
    assert comments["Vous parlez français ?"] == ["small / level: prompt"]
    assert comments["Choisissez une réponse."] == ["small / level: help"]
    assert comments["{job_title} ({job_years})"] == [
        "small / list jobs: label of one item",
        "Keep {job_title}, {job_years} unchanged.",
    ]
    assert comments["Bonjour {first_name} !\nBienvenue."][1] == "Keep {first_name} unchanged."
    assert f"Button: {BUTTON_MAX} characters at most." in comments["Bien"]
    assert f"Button: {BUTTON_MAX} characters at most." in comments["Petit test"]


def test_values_ids_and_conditions_are_not_extracted() -> None:
    messages = {message for _, message, _ in run(SMALL)}
    assert not messages & {"small", "hello", "level", "not_yet", "good", "summary", "choice"}


def test_flow_id_defaults_to_the_file_name_and_missing_text_to_line_1() -> None:
    source = '[[steps]]\nid = "only"\ntype = "message"\ntext = "Un\\u00e9"\n'
    [(lineno, message, comments)] = run(source, name="flows/nameless.toml")
    assert message == "Uné"
    assert comments == ["nameless / only: text"]
    assert lineno == 1  # written with an escape: not found as is, best effort


def test_invalid_toml_names_the_file() -> None:
    with pytest.raises(ValueError, match=r"flows/broken\.toml: not valid TOML"):
        run('id = "broken"\ntitle = \n', name="flows/broken.toml")


def test_babel_runs_the_method_named_in_babel_cfg() -> None:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, _ = parse_mapping_cfg(fh)
    methods = dict(method_map)
    assert methods["flows/**.toml"] == "bot.flows.extractor:extract_flow"
    assert methods["bot/**.py"] == "python"
    found = list(extract(methods["flows/**.toml"], io.BytesIO(SMALL.encode("utf-8"))))
    assert ("Vous parlez français ?", ["small / level: prompt"]) in [(m, c) for _, m, c, _ in found]


def test_entry_point_is_registered_when_installed() -> None:
    names = {ep.name: ep for ep in entry_points(group="babel.extractors")}
    if "relais_flow" not in names:
        pytest.skip("the relais package is not installed (pip install -e .)")
    assert names["relais_flow"].load() is extract_flow


def test_real_flows_every_text_is_extracted() -> None:
    assert FLOWS, "no flow files"
    for path in FLOWS:
        source = path.read_text(encoding="utf-8")
        found = run(source, name=f"flows/{path.name}")
        messages = {message for _, message, _ in found}
        assert flow_texts(tomllib.loads(source)) == messages, path.name
        lines = source.splitlines()
        for lineno, message, _ in found:
            start = message.split("\n")[0].split('"')[0][:20]
            assert start in lines[lineno - 1], (path.name, lineno, message)


def test_real_flows_through_babel_cfg() -> None:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    flows_only = [(pattern, method) for pattern, method in method_map if "toml" in pattern]
    extracted = list(extract_from_dir(str(ROOT), flows_only, options_map))
    messages = {message for _, _, message, _, _ in extracted}
    expected: set[str] = set()
    for path in FLOWS:
        expected |= flow_texts(tomllib.loads(path.read_text(encoding="utf-8")))
    assert expected <= messages
    assert {filename for filename, *_ in extracted} == {f"flows/{p.name}" for p in FLOWS}


def test_real_flows_button_labels_are_short() -> None:
    for path in FLOWS:
        for _, message, comments in run(path.read_text(encoding="utf-8"), f"flows/{path.name}"):
            if any(c.startswith("Button:") for c in comments):
                assert len(message) <= BUTTON_MAX, (path.name, comments[0], message)


PHRASED = """\
id = "phrased"

[[steps]]
id = "level"
type = "choice"
prompt = "Vous parlez français ?"
options = [
  { value = "a_little", label = "Un peu", phrase = "un peu", desk_phrase = "parle un peu" },
]
next = "summary"

[[steps]]
id = "summary"
type = "message"

[[steps.lines]]
text = "Français : {level:phrase}."
desk_text = "Français : {level:desk_phrase}."

[[steps.lines]]
text = "Prenez rendez-vous."
desk_text = ""
"""


def test_phrases_and_desk_texts_are_extracted_for_translators() -> None:
    found = {message: (lineno, comments) for lineno, message, comments in run(PHRASED)}
    assert list(found) == [
        "Vous parlez français ?",
        "Un peu",
        "un peu",
        "parle un peu",
        "Français : {level:phrase}.",
        "Français : {level:desk_phrase}.",
        "Prenez rendez-vous.",
    ]  # an empty desk_text (the line is for the person only) is nothing to translate
    lineno, comments = found["parle un peu"]
    assert lineno == line_of(PHRASED, "parle un peu")
    assert comments == [
        "phrased / level: option a_little said in a summary, to a volunteer, about the person"
    ]
    lineno, comments = found["Français : {level:desk_phrase}."]
    assert lineno == line_of(PHRASED, "desk_text")
    assert comments == [
        "phrased / summary: line 1, to a volunteer, about the person",
        "Keep {level:desk_phrase} unchanged.",
    ]
