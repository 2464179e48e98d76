"""The CV as a document: typed model, French wording of periods, built from a person's answers.

The chat collects answers in the person's language; a CV goes to French employers, so every
fixed word here (section titles, choice labels, month names) is French, while the person's own
words are kept exactly as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from bot.core.answers import format_phone
from bot.core.i18n import N_, Translator
from bot.flows.model import FlowSet

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
    languages: tuple[LanguageSkill, ...] = ()
    skills: tuple[str, ...] = ()
    licence: str = ""  # e.g. "Permis B (voiture)"
    vehicles: str = ""  # e.g. "Voiture, Vélo"
    certificates: tuple[str, ...] = ()
    availability: str = ""
    interests: str = ""

    @property
    def full_name(self) -> str:
        """First name then last name, as typed."""
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

# The answers of flows/cv.toml (and of other flows, reused) that make up a CV.
SKILL_FIELDS = (
    "skills_cleaning",
    "skills_personal_care",
    "skills_childcare",
    "skills_catering",
    "skills_building",
    "skills_logistics",
    "skills_retail",
)


class _Labels:
    """Choice values as the document's language writes their labels."""

    def __init__(self, flows: FlowSet, t: Translator) -> None:
        self.flows = flows
        self.t = t

    def __call__(self, name: str, value: Any) -> list[str]:
        values = value if isinstance(value, list) else [value]
        found = self.flows.find_field(name)
        options = {o.value: o.label for o in found[1].options} if found else {}
        return [self.t.gettext(options[v]) if v in options else str(v) for v in values if v]

    def one(self, name: str, value: Any) -> str:
        return ", ".join(self(name, value))


def _text(profile: Mapping[str, Any], name: str) -> str:
    value = profile.get(name)
    return value.strip() if isinstance(value, str) else ""


def _month(value: Any) -> Month | None:
    try:
        return Month.parse(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _items(profile: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    items = profile.get(name)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def build_cv(profile: Mapping[str, Any], flows: FlowSet, t: Translator) -> CV:
    """The CV of a person from their saved answers, fixed words in the language of `t`."""
    label = _Labels(flows, t)
    experiences = []
    for item in _items(profile, "cv_experiences"):
        tasks = tuple(_text(item, f) for f in ("exp_task1", "exp_task2", "exp_task3"))
        experiences.append(
            Experience(
                title=_text(item, "exp_title"),
                employer=_text(item, "exp_employer"),
                place=_text(item, "exp_place"),
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
    education = [
        Education(
            title=_text(item, "edu_title"),
            school=_text(item, "edu_school"),
            country=_text(item, "edu_country") if item.get("edu_where") == "abroad" else "",
            year=_month(item.get("edu_year")),
        )
        for item in _items(profile, "cv_education")
    ]
    education.sort(key=lambda e: (e.year or Month(0)).key(), reverse=True)
    languages = []
    for item in _items(profile, "cv_languages"):
        name = item.get("lang_name")
        shown = (
            _text(item, "lang_other")
            if name == "other"
            else label.one("cv_languages.lang_name", name)
        )
        if shown:
            languages.append(
                LanguageSkill(shown, label.one("cv_languages.lang_level", item.get("lang_level")))
            )
    skills = [s for f in SKILL_FIELDS for s in label(f, profile.get(f))]
    skills += [s for s in (_text(profile, "skills_other"),) if s]
    skills += label("qualities", profile.get("qualities"))
    certificates = label("certificates", profile.get("certificates"))
    certificates += [c for c in (_text(profile, "certificates_other"),) if c]
    licence = profile.get("driving_licence")
    availability = [label.one("days_available", profile.get("days_available"))]
    availability.append(label.one("hours_available", profile.get("hours_available")).lower())
    phone = _text(profile, "phone")
    return CV(
        first_name=_text(profile, "first_name"),
        last_name=_text(profile, "last_name"),
        headline=_text(profile, "headline"),
        jobs_sought=_text(profile, "jobs_sought"),
        phone=format_phone(phone) if phone else "",
        phone_e164=phone,
        email=_text(profile, "email"),
        town=_text(profile, "town"),
        postcode=_text(profile, "postcode"),
        experiences=tuple(experiences),
        education=tuple(education),
        no_diploma=profile.get("has_diploma") == "none",
        languages=tuple(languages),
        skills=tuple(skills),
        licence=label.one("driving_licence", licence) if licence and licence != "none" else "",
        vehicles=label.one("vehicles", profile.get("vehicles")),
        certificates=tuple(certificates),
        availability=", ".join(a for a in availability if a),
        interests=_text(profile, "interests"),
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
                "endDate": e.year.iso() if e.year else "",
            }
            for e in cv.education
        ],
        "skills": [{"name": s} for s in cv.skills],
        "languages": [{"language": lang.name, "fluency": lang.level} for lang in cv.languages],
        "certificates": [{"name": c} for c in cv.certificates],
        "interests": [{"name": cv.interests}] if cv.interests else [],
        "meta": {"language": locale},
    }
    return _drop_empty(resume)
