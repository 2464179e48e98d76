"""Flow files are checked at load time; every error names the file, the step and the field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.flows.loader import load_flow, load_flows
from bot.flows.model import FlowError
from tests.conftest import ROOT

LANGUAGE = """
id = "language"
role = "language"
requires_consent = false
[[steps]]
id = "choose"
type = "choice"
prompt = "Langue ?"
options_from = "languages"
save = "person.locale"
"""

ONBOARDING = """
id = "onboarding"
role = "onboarding"
requires_consent = false
[[steps]]
id = "consent"
type = "yes_no"
prompt = "D'accord ?"
save = "person.consent"
"""


def write_flows(folder: Path, extra: str, name: str = "demo") -> Path:
    """A valid language and onboarding flow, plus the flow under test."""
    folder.mkdir(exist_ok=True)
    (folder / "language.toml").write_text(LANGUAGE, encoding="utf-8")
    (folder / "onboarding.toml").write_text(ONBOARDING, encoding="utf-8")
    path = folder / f"{name}.toml"
    path.write_text(textwrap.dedent(extra), encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    write_flows(tmp_path / "flows", text)
    with pytest.raises(FlowError) as info:
        load_flows(tmp_path / "flows")
    return str(info.value)


def test_the_project_flows_load() -> None:
    flows = load_flows(ROOT / "flows")
    assert {"language", "onboarding", "self_assessment", "my_data", "help"} <= set(flows.flows)
    assert [f.id for f in flows.menu_flows()][:2] == ["onboarding", "self_assessment"]


def test_an_unknown_next_step_names_file_step_and_field(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        """
        id = "demo"
        [[steps]]
        id = "french_speaking"
        type = "yes_no"
        prompt = "Vous parlez français ?"
        next = "frnch_reading"
        """,
    )
    assert message.endswith(
        "demo.toml: step 'french_speaking', field 'next': unknown step 'frnch_reading'"
    )


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ('type = "choise"\nprompt = "?"', "field 'type': expected one of message, choice"),
        ('type = "text"\nprompt = "?"\nmax_lenght = 3', "field 'max_lenght': unknown field"),
        ('type = "text"', "field 'prompt': a question needs a prompt"),
        ('type = "choice"\nprompt = "?"', "field 'options': a choice needs either options"),
        (
            'type = "choice"\nprompt = "?"\noptions = [{ value = "A B", label = "x" }]',
            "option value 'A B'",
        ),
        ('type = "text"\nprompt = "?"\noptions = []', "field 'options': only allowed for steps"),
        ('type = "number"\nprompt = "?"\nmin = true', "field 'min': expected a number"),
        ('type = "date"\nprompt = "?"\nnot_before = "hier"', "field 'not_before': expected"),
        ('type = "text"\nprompt = "Bonjour {prenom}"', "placeholder {prenom} is not a saved"),
        ('type = "text"\nprompt = "Bonjour {"', "field 'prompt': malformed placeholder"),
        ('type = "text"\nprompt = "?"\nsave = "person.centre"', "person.centre can only be saved"),
        (
            'type = "yes_no"\nprompt = "?"\n'
            'next = [{ when = { field = "x", equals = 1 }, goto = "a" }]',
            "condition on unknown answer 'x'",
        ),
        (
            'type = "yes_no"\nprompt = "?"\n'
            'next = [{ when = { field = "a", bigger = 1 }, goto = "a" }]',
            "field 'next': unknown test 'bigger'",
        ),
        ('type = "action"\naction = "format_disk"', "field 'action': expected one of erase_data"),
        # the CV's French: where it is asked, which letters a name needs, the CV words of choices
        ('type = "name"\nprompt = "?"\nin_french = true', "field 'in_french': only allowed"),
        ('type = "name"\nprompt = "?"\nscript = "cyrillic"', "field 'script': expected one of"),
        ('type = "text"\nprompt = "?"\nscript = "latin"', "field 'script': only allowed"),
        (
            'type = "choice"\nprompt = "?"\noptions = [{ value = "a", label = "x", cv_f = "y" }]',
            "maybe cv, cv_feminine, cv_neutral",
        ),
        (
            'type = "choice"\nprompt = "?"\n'
            'options = [{ value = "a", label = "x", cv_neutral = "" }]',
            "option 'a': cv_neutral must be a text",
        ),
        (
            'type = "date"\nprompt = "?"\noptions = [{ value = "today", label = "x", cv = "y" }]',
            "only the options of a choice have CV words",
        ),
        (
            'type = "yes_no"\nprompt = "?"\n'
            'next = [{ when = { field = "a", script = "greek" }, goto = "a" }]',
            "'script' expects one of latin",
        ),
    ],
)
def test_step_mistakes_are_named(tmp_path: Path, step: str, expected: str) -> None:
    message = error_of(tmp_path, f'id = "demo"\n[[steps]]\nid = "a"\n{step}\n')
    assert "demo.toml: step 'a'" in message
    assert expected in message


def test_an_unreachable_step_is_an_error(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        """
        id = "demo"
        [[steps]]
        id = "a"
        type = "message"
        text = "Bonjour"
        [[steps]]
        id = "orphan"
        type = "message"
        text = "Jamais"
        """,
    )
    assert "step 'orphan': this step can never be reached" in message


def test_a_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = write_flows(tmp_path / "flows", 'id = "demo"\n[[steps]\n')
    with pytest.raises(FlowError) as info:
        load_flow(path)
    assert str(info.value).startswith(f"{path}: not valid TOML")


def test_the_id_must_match_the_file_name(tmp_path: Path) -> None:
    message = error_of(tmp_path, 'id = "other"\n[[steps]]\nid = "a"\ntype = "message"\ntext = "x"')
    assert "field 'id': must be the file name" in message


def test_two_language_flows_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "flows"
    write_flows(folder, LANGUAGE.replace('id = "language"', 'id = "demo"'))
    with pytest.raises(FlowError, match='exactly one flow must have role = "language"'):
        load_flows(folder)


def test_a_list_label_must_use_fields_of_its_items(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        """
        id = "demo"
        [lists.jobs]
        max = 3
        label = "{nom}"
        [[steps]]
        id = "job"
        type = "text"
        prompt = "Métier ?"
        item = "jobs"
        new_item = true
        save = "title"
        """,
    )
    assert "list 'jobs': label uses {nom}" in message


def test_a_condition_on_list_items_must_name_a_field_of_the_items(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        """
        id = "demo"
        [lists.jobs]
        max = 3
        label = "{title}"
        [[steps]]
        id = "job"
        type = "text"
        prompt = "Métier ?"
        item = "jobs"
        new_item = true
        save = "title"
        next = [
          { when = { field = "jobs", any_item = { field = "years", equals = 2 } }, goto = "job" },
        ]
        """,
    )
    assert "step 'job', field 'next': condition on 'years', not a field of 'jobs' items" in message


# -- CV features: months, names, reuse, review sections ----------------------------------

JOBS = """
id = "demo"
[lists.jobs]
max = 3
label = "{{title}}"
[[steps]]
id = "title"
type = "name"
prompt = "Titre ?"
item = "jobs"
new_item = true
next = "start"
[[steps]]
id = "start"
type = "month"
prompt = "Début ?"
item = "jobs"
not_after = "today"
next = "end"
[[steps]]
id = "end"
type = "month"
prompt = "Fin ?"
item = "jobs"
not_before = "{bound}"
next = "review"
[[steps]]
id = "review"
type = "review"
prompt = "Votre CV"
[[steps.sections]]
title = "Travaux"
list = "{list}"
entries = [{{ label = "Dates", fields = ["{field}"], edit = "{edit}" }}]
"""


def jobs(bound: str = "start", lst: str = "jobs", fld: str = "start", edit: str = "start") -> str:
    return JOBS.format(bound=bound, list=lst, field=fld, edit=edit)


def test_a_review_of_a_list_with_month_bounds_loads(tmp_path: Path) -> None:
    write_flows(tmp_path / "flows", jobs())
    flows = load_flows(tmp_path / "flows")
    review = flows.flows["demo"].steps["review"]
    assert review.sections[0].entries[0].fields == ("start",)
    assert "review" not in flows.flows["demo"].saved_fields()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"bound": "nowhere"}, "step 'end', field 'not_before': 'nowhere' is not a field of"),
        ({"bound": "2024-13"}, "step 'end', field 'not_before': expected \"today\", a month"),
        ({"lst": "holidays"}, "step 'review', field 'sections': section 1: unknown list"),
        ({"fld": "salary"}, "step 'review', field 'sections': section 1: 'salary' is not a field"),
        ({"edit": "nope"}, "section 1: unknown step 'nope' to edit from"),
    ],
)
def test_cv_mistakes_name_file_step_and_field(tmp_path: Path, args: dict, message: str) -> None:
    error = error_of(tmp_path, jobs(**args))
    assert "demo.toml" in error
    assert message in error


def test_reuse_is_only_for_plain_answers(tmp_path: Path) -> None:
    error = error_of(tmp_path, jobs().replace("new_item = true", "new_item = true\nreuse = true"))
    assert "step 'title', field 'reuse': only a plain answer can be reused" in error


def test_a_review_needs_sections(tmp_path: Path) -> None:
    text = jobs().split("[[steps.sections]]")[0]
    assert "step 'review', field 'sections': a review needs sections" in error_of(tmp_path, text)


def test_an_entry_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    text = jobs().replace('edit = "start"', 'edit = "start", colour = "red"')
    assert "section 1, entry 1 must be" in error_of(tmp_path, text)


# A choice said as a phrase in a summary, and a summary line in a volunteer's words.
PHRASED = """
id = "demo"
[[steps]]
id = "level"
type = "choice"
prompt = "Vous parlez français ?"
options = [
  {{ value = "a_little", label = "Un peu", phrase = "vous parlez un peu", desk_phrase = "parle" }},
  {{ value = "good", label = "Bien"{good} }},
]
next = "sum"
[[steps]]
id = "sum"
{sum}
"""
GOOD = ', phrase = "vous parlez bien", desk_phrase = "parle bien"'
SUM = 'type = "message"\n[[steps.lines]]\ntext = "Français : {level:phrase}"\n'


def test_phrases_and_desk_texts_load(tmp_path: Path) -> None:
    # max_lines belongs to the step: written before its lines
    sum_step = 'type = "message"\nmax_lines = 1\n[[steps.lines]]\n'
    sum_step += 'text = "Français : {level:phrase}"\ndesk_text = "Français : {level:desk_phrase}"\n'
    write_flows(tmp_path / "flows", PHRASED.format(good=GOOD, sum=sum_step))
    flow = load_flows(tmp_path / "flows").flows["demo"]
    [line] = flow.steps["sum"].lines
    assert (line.in_voice("person"), line.in_voice("desk")) == (
        "Français : {level:phrase}",
        "Français : {level:desk_phrase}",
    )
    assert flow.steps["level"].options[1].form("desk_phrase") == "parle bien"
    assert flow.steps["sum"].max_lines == 1


@pytest.mark.parametrize(
    ("good", "sum_step", "expected"),
    [
        (
            "",
            SUM,
            "step 'sum', field 'lines': {level:phrase}: option 'good' of step 'level' "
            "has no phrase",
        ),
        (
            GOOD,
            SUM.replace("level:phrase", "level:loud"),
            "step 'sum', field 'lines': {level:loud}: expected {level} or one of "
            "{level:phrase}, {level:desk_phrase}, {level:cv}, {level:cv_feminine}, "
            "{level:cv_neutral}",
        ),
        (GOOD, SUM + "desk_text = 3\n", "step 'sum', field 'desk_text': line 1: expected a text"),
        (
            GOOD,
            SUM + 'desk_text = "Bonjour {nom}"\n',
            "step 'sum', field 'desk_text': placeholder {nom} is not a saved answer",
        ),
        (
            GOOD,
            SUM + 'desk_text = "Bonjour {"\n',
            "step 'sum', field 'desk_text': line 1: malformed placeholder",
        ),
        (
            GOOD,
            'type = "message"\nmax_lines = 3\n' + SUM.split("\n", 1)[1],
            "step 'sum', field 'max_lines': need 1 <= max_lines <= number of lines (1)",
        ),
        (
            GOOD,
            'type = "text"\nprompt = "Alors ?"\nhelp = "Vous avez dit : {level:phrase}"',
            "step 'sum', field 'help': {level:phrase}: phrases are shown in messages and "
            "questions only",
        ),
        (
            ', phrase = ""',
            SUM,
            "step 'level', field 'options': option 'good': phrase must be a text, not empty",
        ),
        (
            ', phrase = "bien", loud = "BIEN"',
            SUM,
            "step 'level', field 'options': option 2 must be",
        ),
    ],
)
def test_phrase_and_desk_text_mistakes_are_named(
    tmp_path: Path, good: str, sum_step: str, expected: str
) -> None:
    message = error_of(tmp_path, PHRASED.format(good=good, sum=sum_step))
    assert "demo.toml: " + expected in message, message


def test_max_lines_is_for_messages(tmp_path: Path) -> None:
    message = error_of(
        tmp_path, 'id = "demo"\n[[steps]]\nid = "a"\ntype = "yes_no"\nprompt = "?"\nmax_lines = 2\n'
    )
    assert "demo.toml: step 'a', field 'max_lines': only allowed for steps of type message" in (
        message
    )


WHOLE = "numbers must be [from, to], whole numbers"


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ("[14, 25]", "field 'options': the numbers of two options overlap"),
        ('["14", 30]', f"field 'options': option 'adult': {WHOLE}"),
        ("[30, 26]", f"field 'options': option 'adult': {WHOLE}"),
    ],
)
def test_the_numbers_of_an_age_band_are_checked(
    tmp_path: Path, numbers: str, expected: str
) -> None:
    message = error_of(
        tmp_path,
        f"""
        id = "demo"
        [[steps]]
        id = "age_band"
        type = "choice"
        prompt = "Quel âge avez-vous ?"
        options = [
          {{ value = "young", label = "Moins de 26 ans", numbers = [14, 25] }},
          {{ value = "adult", label = "26 ans ou plus", numbers = {numbers} }},
        ]
        """,
    )
    assert message.endswith(f"demo.toml: step 'age_band', {expected}")


def test_a_number_unit_needs_options_with_numbers(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        """
        id = "demo"
        [[steps]]
        id = "how_long"
        type = "choice"
        prompt = "Combien de temps ?"
        number_unit = "months"
        options = [{ value = "short", label = "Peu" }, { value = "long", label = "Longtemps" }]
        """,
    )
    expected = "field 'number_unit': only for options with numbers = [from, to]"
    assert message.endswith(f"demo.toml: step 'how_long', {expected}")
