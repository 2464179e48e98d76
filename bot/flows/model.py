"""Flow files: the typed model of a conversation, loaded from TOML and checked at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bot.flows.conditions import Condition

STEP_TYPES = (
    "message",
    "choice",
    "multi_choice",
    "yes_no",
    "text",
    "number",
    "date",
    "time",
    "phone",
    "email",
    "postcode",
    "month",
    "name",
    "review",
    "action",
)
QUESTION_TYPES = tuple(t for t in STEP_TYPES if t not in ("message", "action"))
# a review waits for button presses but saves no answer of its own
ANSWER_TYPES = tuple(t for t in QUESTION_TYPES if t != "review")
ACTIONS = (
    "erase_data",
    "send_cv",
    "request_help",
    "report_job",
    "send_my_data",
    # an appointment asked for (bot/appointments/requests.py), and the person's appointments
    # shown where the step stands (read from the database by bot/appointments/mine.py)
    "request_appointment",
    "show_appointments",
    # "Offres d'emploi": the open offers not answered yet, shown where the step stands, and
    # offers turned on or off (bot/offers/mine.py)
    "show_offers",
    "offers_on",
    "offers_off",
)
# "team": in a desk flow, the team of the person's centre (the volunteer first), which the
# desk gives for each event (never stored): who will be at an appointment
OPTION_SOURCES = ("languages", "centres", "team")
PERSON_FIELDS = {
    "person.locale": ("choice", "languages"),
    "person.centre": ("choice", "centres"),
    "person.consent": ("yes_no", None),
}
# "team": asked once of a volunteer, coordinator or admin (their first name) instead of the
# beneficiaries' onboarding, before the volunteer menu
ROLES = ("", "language", "onboarding", "centre", "desk", "team", "reply")
# A desk flow (role = "desk") is volunteers' input about one person of their centre, opened by
# the desk only. The desk gives it the person's id ("subject", kept in the frame) and, for each
# event, their name ("subject_name", shown in texts and never stored); its answers are applied
# by the desk when it ends, never kept in the volunteer's own profile. A desk flow's review
# (`sections_from`) shows the person's saved answers with another flow's review screens; what
# it changed is noted as "changed" (screen numbers only).
# "subject_address": the address of the person's centre, given like the name (shown only).
DESK_GIVEN = ("subject", "subject_name", "changed", "subject_address")
# A reply flow (role = "reply") is opened by a button of a message Relais started (e.g.
# "Répondre" to the centre's message), over whatever the person was answering. What opened it
# is kept in the frame's `given` (never saved); when it ends, its answers go back to the
# capability that sent the message, and the question the person was answering comes again.
REPLY_ROLE = "reply"
# what the world says of the person's centre, for conditions only: does someone receive help
# requests there now (a volunteer, or an admin)?
WORLD_FIELDS = ("person.centre_team",)
# the buttons a date step may offer besides typing (the words parse_date reads)
DATE_OPTIONS = ("today", "yesterday", "tomorrow")
# a time step's bound: "now" refuses a moment already past (with the date of `date_from`)
TIME_BOUNDS = ("now",)
# a date bound some days before today: "today-3650"
RELATIVE_DAY = re.compile(r"^today-(\d{1,5})$")
# shown in texts, never saved by a step: the person's centre's address and contact hours
PERSON_DISPLAY = ("person.centre_address", "person.centre_hours")
# shown in texts: when the person agreed to the notice, and which version of it
CONSENT_DISPLAY = ("person.consent_at", "person.consent_version")
# shown in texts and tested in conditions, never saved by a step: where the person's CV stands
# with their centre (status: none, to_check, checked, to_fix; the volunteer's note; the date
# of its last change), read from the follow-up (State.followup)
# "offers.receive": "yes", or "no" after "Stop offers" (bot/offers/mine.py), for conditions
FOLLOWUP_DISPLAY = ("cv.status", "cv.note", "cv.changed_at", "offers.receive")
# shown in texts: the person's name as their CV writes it ("Sara BENALI")
CV_DISPLAY = ("cv.name",)
# what a name step may require of the letters typed
SCRIPTS = ("latin",)
# how a choice is written on the CV: its CV words, and the feminine and neutral forms of a
# quality ("Ponctuel" / "Ponctuelle" / "Ponctualité")
OPTION_CV_KEYS = ("cv", "cv_feminine", "cv_neutral")
# a notice version: what people agreed to, compared to ask again when it changes ("2026-11")
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
IDENT = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
# Who reads a message: the person it is about ("person"), or a volunteer of their centre
# ("desk"), who reads each line's desk_text instead of its text.
VOICES = ("person", "desk")
# An option may say its answer as a phrase for summaries: {field:phrase} in a line shows
# "vous parlez un peu" where {field} shows the label "Un peu"; {field:desk_phrase} is the same
# for volunteers ("parle un peu").
PHRASES = ("phrase", "desk_phrase")
# what {x:form} may show of a choice's answer: a phrase (translated), or the CV's words (French)
SHOWN_FORMS = PHRASES + OPTION_CV_KEYS
VALUE = re.compile(r"^[a-z0-9_]{1,32}$")

FLOW_KEYS = {
    "id",
    "title",
    "menu",
    "order",
    "requires_consent",
    "menu_when",
    "role",
    "start",
    "lists",
    "steps",
    "notice",
    "remember",
}
STEP_KEYS = {
    "id",
    "type",
    "prompt",
    "text",
    "help",
    "save",
    "item",
    "new_item",
    "optional",
    "next",
    "options",
    "options_from",
    "min_choices",
    "max_choices",
    "none_label",
    "min_length",
    "max_length",
    "min",
    "max",
    "integer",
    "not_before",
    "not_after",
    "date_from",
    "lines",
    "action",
    "reuse",
    "sections",
    "sections_from",
    "version",
    "in_french",
    "script",
    "max_lines",
    "number_unit",
}
# Fields that only make sense for some step types: a typo or a misplaced field is an error.
TYPE_KEYS = {
    "choice": {"options", "options_from", "number_unit"},
    "multi_choice": {"options", "min_choices", "max_choices", "none_label"},
    "text": {"min_length", "max_length", "in_french"},
    "number": {"min", "max", "integer"},
    "date": {"not_before", "not_after", "options"},
    "time": {"not_before", "date_from"},
    "month": {"not_before", "not_after"},
    "name": {"max_length", "script"},
    "message": {"lines", "max_lines"},
    "action": {"action"},
    "review": {"sections", "sections_from"},
    "yes_no": {"version"},
}
NUMBER_UNITS = ("", "months")  # what a number typed at a choice with number ranges counts
MONTH_BOUND = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


class FlowError(ValueError):
    """A mistake in a flow file; str() names the file, the step and the field."""

    def __init__(self, path: Path | str, message: str, step: str = "", key: str = "") -> None:
        where = str(path)
        if step:
            where += f": step '{step}'"
        if key:
            where += f", field '{key}'" if step else f": field '{key}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Option:
    """One answer of a choice: the stored value, the label shown, maybe the answer said as a
    phrase for summaries, to the person and to volunteers (see PHRASES), and how a CV writes it.

    The CV words are French whatever the chat language (the CV is always in French): they are
    not translated. "J'apprends à conduire" is shown in the chat, "Permis B en cours" on the CV.
    """

    value: str
    label: str
    phrase: str = ""
    desk_phrase: str = ""
    # a typed number in this range stands for the option ("19", "j'ai 32 ans" at an age band)
    numbers: tuple[int, int] | None = None
    cv: str | None = None  # the CV's words; None: the label; "": nothing on the CV ("Non")
    cv_feminine: str = ""  # a quality written for a woman ("Ponctuelle"); default: cv
    cv_neutral: str = ""  # the same quality without gender ("Ponctualité"); default: cv

    def form(self, name: str) -> str:
        """The phrase named `name` ("phrase" or "desk_phrase"), or the CV's words ("cv",
        "cv_feminine", "cv_neutral"); "" when the option has no such phrase."""
        if name in OPTION_CV_KEYS:
            return self.cv_words(name.removeprefix("cv").removeprefix("_"))
        return {"phrase": self.phrase, "desk_phrase": self.desk_phrase}.get(name, "")

    def cv_words(self, form: str = "") -> str:
        """The CV's words for this choice, in a form: "feminine", "neutral" or masculine."""
        chosen = {"feminine": self.cv_feminine, "neutral": self.cv_neutral}.get(form, "")
        return chosen or (self.label if self.cv is None else self.cv)


@dataclass(frozen=True)
class Line:
    """One line of a message step, shown when its condition holds.

    desk_text is the same line in a volunteer's words, shown on the person's page: None means
    the text reads the same for both, "" that the line is only for the person."""

    text: str
    when: Condition | None = None
    desk_text: str | None = None

    def in_voice(self, voice: str) -> str:
        """The line as a reader in this voice (see VOICES) sees it; "" when not for them."""
        if voice == "desk" and self.desk_text is not None:
            return self.desk_text
        return self.text


@dataclass(frozen=True)
class Branch:
    """Where to go next, if the condition holds (no condition: always)."""

    goto: str
    when: Condition | None = None


@dataclass(frozen=True)
class ListSpec:
    """A repeated item, such as work experiences."""

    name: str
    max: int
    label: str


@dataclass(frozen=True)
class Entry:
    """One line of a review section: a label, the answers it shows, where a change starts."""

    label: str
    fields: tuple[str, ...]
    edit: str = ""  # step the change starts at; default: the step that saves fields[0]
    lines: tuple[Line, ...] = ()  # how to show the values; default: the values, joined
    # True: each field is a change of its own (the tasks of a job), saved as soon as it is
    # answered; "Annuler" then drops only the one being asked. False: the fields change
    # together (a job's dates), saved when the last one is answered.
    each: bool = False


@dataclass(frozen=True)
class Section:
    """A part of a review: plain answers, or the items of a list (list = its name)."""

    title: str
    entries: tuple[Entry, ...]
    list: str = ""


@dataclass(frozen=True)
class Step:
    """One step of a flow: a message, a question or an action."""

    id: str
    type: str
    prompt: str = ""
    text: str = ""
    help: str = ""
    save: str = ""
    item: str = ""
    new_item: bool = False
    optional: bool = False
    next: tuple[Branch, ...] = ()
    options: tuple[Option, ...] = ()
    options_from: str = ""
    min_choices: int = 1
    max_choices: int = 0
    # the button that answers "nothing" at a multiple choice with min_choices = 0 (default
    # "Aucun"): "Non" for "Vous avez un véhicule ?"
    none_label: str = ""
    min_length: int = 1
    max_length: int = 300
    min: float | None = None
    max: float | None = None
    integer: bool = True
    not_before: str = ""
    not_after: str = ""
    # a time step: the date step whose answer it is a time of (checked together in the
    # deployment's time zone: a time the clocks skip that day is refused)
    date_from: str = ""
    lines: tuple[Line, ...] = ()
    action: str = ""
    reuse: bool = False  # an answer already known (from any flow) is kept, not asked again
    sections: tuple[Section, ...] = ()
    # a review showing another flow's review sections (a volunteer's review of someone's CV):
    # the id of that flow; its sections are copied here when the flows are loaded
    sections_from: str = ""
    version: str = ""  # on the consent step: the version of the notice agreed to
    # a text the CV shows: it should be in French; an answer that is clearly not French gets a
    # kind note (a volunteer can help) and is listed for the volunteer who checks the CV
    in_french: bool = False
    script: str = ""  # a name step: "latin" accepts only Latin letters (as on French papers)
    max_lines: int = 0  # on a message: at most this many lines shown, the first that hold (0: all)
    # on a choice whose options have numbers: what a typed number counts ("" as typed, "months":
    # "3 ans", "6 mois", "un an et demi" in months)
    number_unit: str = ""

    @property
    def is_question(self) -> bool:
        """True when the step waits for the person."""
        return self.type in QUESTION_TYPES

    @property
    def saves(self) -> bool:
        """True when the step saves an answer."""
        return self.type in ANSWER_TYPES

    def texts(self) -> list[tuple[str, str]]:
        """(field, text) of every translatable text of the step."""
        texts = [("prompt", self.prompt), ("text", self.text), ("help", self.help)]
        texts += [("options", o.label) for o in self.options]
        texts += [("options", o.form(name)) for o in self.options for name in PHRASES]
        texts.append(("none_label", self.none_label))
        texts += [("lines", line.text) for line in self.lines]
        texts += [("desk_text", line.desk_text or "") for line in self.lines]
        for section in () if self.sections_from else self.sections:  # theirs: in their flow
            texts.append(("sections", section.title))
            for entry in section.entries:
                texts.append(("sections", entry.label))
                texts += [("sections", line.text) for line in entry.lines]
        return [(k, t) for k, t in texts if t]


@dataclass(frozen=True)
class Flow:
    """A whole conversation loaded from one file."""

    id: str
    title: str
    path: Path
    start: str
    steps: dict[str, Step]
    lists: dict[str, ListSpec] = field(default_factory=dict)
    menu: bool = False
    order: int = 50
    requires_consent: bool = True
    menu_when: Condition | None = None
    role: str = ""
    notice: str = ""  # onboarding: the step the notice starts at, shown again when it changes
    # False: the answers only steer the flow (e.g. "Mes données"): they are not kept, and the
    # flow is not resumed where it was left but opened again from its start
    remember: bool = True

    def consent_step(self) -> Step | None:
        """The step that saves the person's agreement, if this flow has one."""
        return next((s for s in self.steps.values() if s.save == "person.consent"), None)

    def texts(self) -> set[str]:
        """Every translatable text of the flow: title, list labels and step texts."""
        found = {self.title} | {spec.label for spec in self.lists.values()}
        found |= {text for step in self.steps.values() for _, text in step.texts()}
        found.discard("")
        return found

    def saved_fields(self) -> set[str]:
        """Names of the answers this flow saves (lists by their name)."""
        return {s.item or s.save for s in self.steps.values() if s.saves}

    def list_steps(self, name: str) -> list[Step]:
        """The question steps that fill the items of a list, in file order."""
        return [s for s in self.steps.values() if s.item == name and s.saves]


@dataclass(frozen=True)
class FlowSet:
    """Every flow of the bot, checked together."""

    flows: dict[str, Flow]

    def by_role(self, role: str) -> Flow:
        """The flow that plays a role the engine relies on (language, onboarding)."""
        return next(f for f in self.flows.values() if f.role == role)

    def optional_role(self, role: str) -> Flow | None:
        """The flow that plays an optional role (centre), if any."""
        return next((f for f in self.flows.values() if f.role == role), None)

    def reply_flow(self, flow_id: str) -> Flow | None:
        """A reply flow by id (None: no such flow, or not a reply flow)."""
        flow = self.flows.get(flow_id)
        return flow if flow is not None and flow.role == REPLY_ROLE else None

    def desk_flow(self, flow_id: str) -> Flow | None:
        """A desk flow by id (None: no such flow, or one of the beneficiaries')."""
        flow = self.flows.get(flow_id)
        return flow if flow is not None and flow.role == "desk" else None

    def menu_flows(self) -> list[Flow]:
        """Flows offered in the main menu, in order."""
        return sorted((f for f in self.flows.values() if f.menu), key=lambda f: (f.order, f.id))

    def list_spec(self, name: str) -> ListSpec | None:
        """The definition of a repeated item by name, whichever flow declares it."""
        for flow in self.flows.values():
            if name in flow.lists:
                return flow.lists[name]
        return None

    @cached_property
    def _savers(self) -> dict[str, tuple[Flow, Step]]:
        # every question of every flow would otherwise be scanned for each answer shown
        found: dict[str, tuple[Flow, Step]] = {}
        for flow in self.flows.values():
            if flow.role == "desk":
                continue  # a volunteer's input about someone else: never shown as an answer
            for step in flow.steps.values():
                saved = f"{step.item}.{step.save}" if step.item else step.save
                if step.saves:
                    found.setdefault(saved, (flow, step))
        return found

    def find_field(self, name: str) -> tuple[Flow, Step] | None:
        """The step that saves an answer ("list.field" for an item's field)."""
        return self._savers.get(name)

    @property
    def consent_version(self) -> str:
        """The version of the notice people agree to now ("" when the flows give none)."""
        step = self.by_role("onboarding").consent_step()
        return step.version if step is not None else ""

    def list_flow(self, name: str) -> Flow | None:
        """The flow that declares a list."""
        return next((f for f in self.flows.values() if name in f.lists), None)
