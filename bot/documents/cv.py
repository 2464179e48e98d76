"""The CV as a document: typed model, French wording of periods, built from a person's answers.

The chat collects answers in the person's language; a CV goes to French employers, so every
fixed word here (section titles, the CV words of choices, month names) is French. The person's
own words are kept as typed, with French CV conventions for capitals (bot/documents/wording.py):
the family name in capitals, towns as the map writes them, each line starting with a capital.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from bot.core.answers import format_phone
from bot.core.i18n import N_, Translator
from bot.documents import wording
from bot.flows.model import FlowSet, Option

# Fixed words of the document, read through the French catalog (the CV is in French whatever
# the chat language; a translator of another locale would write the same CV in that language).
W_TODAY = N_("aujourd'hui")


@dataclass(frozen=True)
class Month:
    """A month ("2021-03") or only a year ("2021"), as people remember their past jobs."""

    year: int
    month: int | None = None

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read the stored form: "2021" or "2021-03"."""
        year, _, month = text.partition("-")
        return cls(int(year), int(month) if month else None)

    def iso(self) -> str:
        """The stored form, also JSON Resume's date format."""
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    def key(self) -> tuple[int, int]:
        """Sort key; a year alone sorts as its first month."""
        return (self.year, self.month or 1)

    def words(self, locale: str = "fr") -> str:
        """'mars 2021', or '2021' when the month is not known."""
        if self.month is None:
            return str(self.year)
        return format_date(date(self.year, self.month, 1), "MMMM y", locale=locale)


@dataclass(frozen=True)
class Experience:
    """One job: the person's words for title, employer and tasks; dates as months."""

    title: str
    employer: str = ""
    place: str = ""  # a town, or a country
    start: Month | None = None
    end: Month | None = None
    current: bool = False  # still there
    tasks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Education:
    """A diploma or a training, in France or elsewhere."""

    title: str
    school: str = ""
    country: str = ""  # empty: in France
    year: Month | None = None
    level: str = ""  # a foreign diploma's French level: "équivalent niveau 7 (Master)"


@dataclass(frozen=True)
class LanguageSkill:
    """A language and its level, both already written in French."""

    name: str
    level: str


@dataclass(frozen=True)
class CV:
    """Everything a CV shows, ready to print: French fixed words, the person's own words."""

    first_name: str
    last_name: str
    headline: str = ""
    jobs_sought: str = ""
    phone: str = ""  # shown as French people write it: 06 12 34 56 78, or +44 …
    phone_e164: str = ""  # for machines (tel: link, JSON Resume)
    email: str = ""
    town: str = ""
    postcode: str = ""
    experiences: tuple[Experience, ...] = ()
    education: tuple[Education, ...] = ()
    no_diploma: bool = False
    schooling: str = ""  # without a diploma: "Niveau 3e", "Scolarité jusqu'au lycée (Ukraine)"
    languages: tuple[LanguageSkill, ...] = ()
    skills: tuple[str, ...] = ()
    qualities: tuple[str, ...] = ()  # in the form the person chose: "Ponctuelle", "Ponctualité"
    licence: str = ""  # e.g. "Permis B (voiture)"
    vehicles: str = ""  # e.g. "Voiture, Vélo"
    certificates: tuple[str, ...] = ()
    availability: str = ""
    interests: str = ""

    @property
    def full_name(self) -> str:
        """First name then last name: "Sara BENALI" when built from answers."""
        return " ".join(p for p in (self.first_name, self.last_name) if p)


def period(t: Translator, start: Month | None, end: Month | None, current: bool) -> str:
    """A job's dates: 'mars 2021 – aujourd'hui', 'janvier 2019 – 2020', '2018'."""
    if start is None:
        return ""
    first = start.words(t.locale)
    if current:
        return f"{first} – {t.gettext(W_TODAY)}"
    if end is None or end == start:
        return first
    return f"{first} – {end.words(t.locale)}"


# -- from a person's answers ------------------------------------------------------------

# The answers of flows/cv.toml (and of other flows, reused) that make up a CV: the skills of
# each trade, in the order of the trades' list.
SKILL_FIELDS = (
    "skills_cleaning",
    "skills_personal_care",
    "skills_childcare",
    "skills_catering",
    "skills_building",
    "skills_logistics",
    "skills_delivery",
    "skills_retail",
    "skills_engineering",
    "skills_office",
)
CV_FLOW = "cv"
# without a choice of form (a CV made before it was asked), qualities are written neutrally
DEFAULT_FORM = "neutral"


class _Words:
    """Choice values as the CV writes them: each option's CV words (French), else its label
    through the document's translator. The CV flow's own question comes first: another flow
    asking the same (the licence, in the self-assessment) may word it for the chat only."""

    def __init__(self, flows: FlowSet, t: Translator) -> None:
        self.flows = flows
        self.t = t

    def _options(self, name: str) -> dict[str, Option]:
        cv_flow = self.flows.flows.get(CV_FLOW)
        item, _, field_name = name.rpartition(".")
        if cv_flow is not None:
            for step in cv_flow.steps.values():
                if step.saves and step.save == field_name and step.item == item:
                    return {o.value: o for o in step.options}
        found = self.flows.find_field(name)
        return {o.value: o for o in found[1].options} if found else {}

    def __call__(self, name: str, value: Any, form: str = "") -> list[str]:
        values = value if isinstance(value, list) else [value]
        options = self._options(name)
        words = []
        for v in values:
            if not v:
                continue
            option = options.get(v)
            if option is None:
                words.append(str(v))
            elif option.cv is None and not (form and (option.cv_feminine or option.cv_neutral)):
                words.append(self.t.gettext(option.label))
            else:
                words.append(option.cv_words(form))
        return [w for w in words if w]

    def one(self, name: str, value: Any) -> str:
        return ", ".join(self(name, value))


def _text(profile: Mapping[str, Any], name: str) -> str:
    value = profile.get(name)
    return value.strip() if isinstance(value, str) else ""


def _line(profile: Mapping[str, Any], name: str) -> str:
    """A line of the person's words, starting with a capital."""
    return wording.sentence(_text(profile, name))


def _month(value: Any) -> Month | None:
    try:
        return Month.parse(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _items(profile: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    items = profile.get(name)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _skill_fields(profile: Mapping[str, Any]) -> list[str]:
    """The trades' skill answers: the trades chosen first (in the order of their list)."""
    chosen = profile.get("skill_sector")
    sectors = chosen if isinstance(chosen, list) else [chosen]
    first = [f"skills_{s}" for s in sectors if f"skills_{s}" in SKILL_FIELDS]
    return first + [f for f in SKILL_FIELDS if f not in first]


def _schooling(profile: Mapping[str, Any], words: _Words) -> str:
    """How far someone without a diploma went at school: "Scolarité jusqu'au lycée (Ukraine)"."""
    if profile.get("has_diploma") != "none":
        return ""
    level = words.one("school_level", profile.get("school_level"))
    country = wording.place(_text(profile, "school_country"))
    if not level or profile.get("school_where") != "abroad" or not country:
        return level
    return f"{level} ({country})"


def build_cv(profile: Mapping[str, Any], flows: FlowSet, t: Translator) -> CV:
    """The CV of a person from their saved answers, fixed words in the language of `t`."""
    words = _Words(flows, t)
    experiences = []
    for item in _items(profile, "cv_experiences"):
        tasks = tuple(_line(item, f) for f in ("exp_task1", "exp_task2", "exp_task3"))
        experiences.append(
            Experience(
                title=_line(item, "exp_title"),
                employer=_line(item, "exp_employer"),
                place=wording.place(_text(item, "exp_place")),
                start=_month(item.get("exp_start")),
                end=_month(item.get("exp_end")),
                current=item.get("exp_current") is True,
                tasks=tuple(task for task in tasks if task),
            )
        )
    # most recent first, as French CVs are read; the jobs one still has come first
    experiences.sort(
        key=lambda e: (
            e.current,
            (e.end or e.start or Month(0)).key(),
            (e.start or Month(0)).key(),
        ),
        reverse=True,
    )
    education = []
    for item in _items(profile, "cv_education"):
        abroad = item.get("edu_where") == "abroad"
        education.append(
            Education(
                title=_line(item, "edu_title"),
                school=_line(item, "edu_school"),
                country=wording.place(_text(item, "edu_country")) if abroad else "",
                year=_month(item.get("edu_year")),
                level=words.one("cv_education.edu_level", item.get("edu_level")) if abroad else "",
            )
        )
    education.sort(key=lambda e: (e.year or Month(0)).key(), reverse=True)
    languages = []
    for item in _items(profile, "cv_languages"):
        name = item.get("lang_name")
        shown = (
            wording.sentence(_text(item, "lang_other"))
            if name == "other"
            else words.one("cv_languages.lang_name", name)
        )
        if shown:
            languages.append(
                LanguageSkill(shown, words.one("cv_languages.lang_level", item.get("lang_level")))
            )
    skills = [s for f in _skill_fields(profile) for s in words(f, profile.get(f))]
    skills += [s for s in (_line(profile, "skills_other"),) if s]
    form = profile.get("qualities_form")
    form = form if isinstance(form, str) and form else DEFAULT_FORM
    qualities = words("qualities", profile.get("qualities"), form)
    certificates = words("certificates", profile.get("certificates"))
    certificates += [c for c in (_line(profile, "certificates_other"),) if c]
    availability = [words.one("days_available", profile.get("days_available"))]
    availability.append(words.one("hours_available", profile.get("hours_available")).lower())
    phone = _text(profile, "phone")
    return CV(
        first_name=wording.first_name(_text(profile, "first_name")),
        last_name=wording.last_name(_text(profile, "last_name")),
        headline=_line(profile, "headline"),
        jobs_sought=_line(profile, "jobs_sought"),
        phone=format_phone(phone) if phone else "",
        phone_e164=phone,
        email=_text(profile, "email"),
        town=wording.place(_text(profile, "town")),
        postcode=_text(profile, "postcode"),
        experiences=tuple(experiences),
        education=tuple(education),
        no_diploma=profile.get("has_diploma") == "none",
        schooling=_schooling(profile, words),
        languages=tuple(languages),
        skills=tuple(skills),
        qualities=tuple(qualities),
        licence=words.one("driving_licence", profile.get("driving_licence")),
        vehicles=words.one("vehicles", profile.get("vehicles")),
        certificates=tuple(certificates),
        availability=", ".join(a for a in availability if a),
        interests=_line(profile, "interests"),
    )


# -- JSON Resume ------------------------------------------------------------------------

JSON_RESUME_SCHEMA_URL = (
    "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
)


def _drop_empty(value: Any) -> Any:
    """JSON Resume leaves unknown fields out rather than empty."""
    if isinstance(value, dict):
        kept = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ("", [], {}, None)}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value if v not in ("", [], {}, None)]
    return value


def to_json_resume(cv: CV, locale: str = "fr") -> dict[str, Any]:
    """The CV in the open JSON Resume format (jsonresume.org), for other tools."""
    resume = {
        "$schema": JSON_RESUME_SCHEMA_URL,
        "basics": {
            "name": cv.full_name,
            "label": cv.jobs_sought,
            "email": cv.email,
            "phone": cv.phone_e164,
            "summary": cv.headline,
            "location": {"city": cv.town, "postalCode": cv.postcode, "countryCode": "FR"},
        },
        "work": [
            {
                "name": e.employer,
                "position": e.title,
                "location": e.place,
                "startDate": e.start.iso() if e.start else "",
                "endDate": e.end.iso() if e.end and not e.current else "",
                "highlights": list(e.tasks),
            }
            for e in cv.experiences
        ],
        "education": [
            {
                "institution": ", ".join(p for p in (e.school, e.country) if p),
                "area": e.title,
                "studyType": e.level,
                "endDate": e.year.iso() if e.year else "",
            }
            for e in cv.education
        ]
        + ([{"studyType": cv.schooling}] if cv.schooling else []),
        "skills": [{"name": s} for s in (*cv.skills, *cv.qualities)],
        "languages": [{"language": lang.name, "fluency": lang.level} for lang in cv.languages],
        "certificates": [{"name": c} for c in cv.certificates],
        "interests": [{"name": cv.interests}] if cv.interests else [],
        "meta": {"language": locale},
    }
    return _drop_empty(resume)
