"""The CV built from saved answers, and its JSON Resume export checked against the schema."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from bot.core.i18n import Catalogs
from bot.documents.cv import CV, Month, build_cv, period, to_json_resume
from bot.flows.loader import load_flows
from tests.conftest import ROOT

# The shape of JSON Resume v1 (jsonresume.org/schema) for the parts Relais writes: types,
# the ISO 8601 date pattern, and no field outside the standard.
ISO8601 = r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$"
TEXT = {"type": "string"}
DATE = {"type": "string", "pattern": ISO8601}


def _object(**properties: dict) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties}


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


JSON_RESUME = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    **_object(
        **{"$schema": {"type": "string", "format": "uri"}},
        basics=_object(
            name=TEXT,
            label=TEXT,
            image=TEXT,
            email={"type": "string", "format": "email"},
            phone=TEXT,
            url=TEXT,
            summary=TEXT,
            location=_object(
                address=TEXT, postalCode=TEXT, city=TEXT, countryCode=TEXT, region=TEXT
            ),
            profiles=_list(_object(network=TEXT, username=TEXT, url=TEXT)),
        ),
        work=_list(
            _object(
                name=TEXT,
                location=TEXT,
                description=TEXT,
                position=TEXT,
                url=TEXT,
                startDate=DATE,
                endDate=DATE,
                summary=TEXT,
                highlights=_list(TEXT),
            )
        ),
        education=_list(
            _object(
                institution=TEXT,
                url=TEXT,
                area=TEXT,
                studyType=TEXT,
                startDate=DATE,
                endDate=DATE,
                score=TEXT,
                courses=_list(TEXT),
            )
        ),
        skills=_list(_object(name=TEXT, level=TEXT, keywords=_list(TEXT))),
        languages=_list(_object(language=TEXT, fluency=TEXT)),
        certificates=_list(_object(name=TEXT, date=DATE, url=TEXT, issuer=TEXT)),
        interests=_list(_object(name=TEXT, keywords=_list(TEXT))),
        meta=_object(canonical=TEXT, version=TEXT, lastModified=TEXT, language=TEXT),
    ),
}

PROFILE = {
    "first_name": "Amélie",
    "last_name": "Dupré",
    "phone": "+33612345678",
    "email": "amelie@example.fr",
    "town": "Créteil",
    "postcode": "94000",
    "jobs_sought": "Aide en cuisine",
    "headline": "Sérieuse et rapide",
    "cv_experiences": [
        {
            "exp_title": "Plongeuse",
            "exp_start": "2016",
            "exp_current": False,
            "exp_end": "2017",
            "exp_task1": "Laver la vaisselle",
        },
        {
            "exp_title": "Commis de cuisine",
            "exp_employer": "Le Bistrot",
            "exp_place": "Lyon",
            "exp_start": "2021-03",
            "exp_current": True,
            "exp_task1": "Préparer les entrées",
            "exp_task2": "Éplucher",
        },
        {
            "exp_title": "Serveuse",
            "exp_start": "2018-01",
            "exp_current": False,
            "exp_end": "2020-12",
            "exp_task1": "Servir",
        },
    ],
    "has_diploma": "yes",
    "cv_education": [
        {"edu_title": "Licence de lettres", "edu_where": "abroad", "edu_country": "Maroc"},
        {"edu_title": "CAP cuisine", "edu_where": "france", "edu_year": "2019"},
    ],
    "cv_languages": [
        {"lang_name": "ar", "lang_level": "native"},
        {"lang_name": "other", "lang_other": "Tamazight", "lang_level": "fluent"},
    ],
    "skill_sector": "catering",
    "skills_catering": ["dishes", "hygiene"],
    "skills_other": "Pâtisserie",
    "qualities": ["punctual"],
    "driving_licence": "b",
    "vehicles": ["bike"],
    "certificates": ["haccp"],
    "certificates_other": "PSC1",
    "days_available": "weekdays",
    "hours_available": ["morning", "afternoon"],
    "interests": "Randonnée",
}


@pytest.fixture(scope="module")
def fr():
    return Catalogs(ROOT / "locales", ["fr", "en"], "Europe/Paris").get("fr")


@pytest.fixture(scope="module")
def flows():
    return load_flows(Path(ROOT / "flows"))


def test_the_cv_is_built_in_french_with_the_persons_own_words(flows, fr) -> None:
    cv = build_cv(PROFILE, flows, fr)
    # French CV conventions: the family name in capitals
    assert cv.full_name == "Amélie DUPRÉ"
    assert cv.phone == "06 12 34 56 78"
    # the job still held first, then the most recent
    assert [e.title for e in cv.experiences] == ["Commis de cuisine", "Serveuse", "Plongeuse"]
    assert cv.experiences[0].tasks == ("Préparer les entrées", "Éplucher")
    assert [e.title for e in cv.education] == ["CAP cuisine", "Licence de lettres"]
    assert cv.education[1].country == "Maroc" and cv.education[0].country == ""
    assert [(lang.name, lang.level) for lang in cv.languages] == [
        ("Arabe", "Langue maternelle"),
        ("Tamazight", "Courant"),
    ]
    # the CV's own words for the choices: nouns, not the chat's sentences
    assert cv.skills == ("Plonge", "Respect des règles d'hygiène", "Pâtisserie")
    # qualities in their own list; no form chosen (an older CV): the neutral words
    assert cv.qualities == ("Ponctualité",)
    assert cv.licence == "Permis B"
    assert cv.vehicles == "Vélo"
    assert cv.certificates == ("Hygiène alimentaire (HACCP)", "PSC1")
    assert cv.availability == "Du lundi au vendredi, le matin, l'après-midi"
    assert not cv.no_diploma


def test_no_licence_no_diploma_and_missing_answers_leave_blanks(flows, fr) -> None:
    cv = build_cv(
        {"first_name": "Li", "last_name": "Na", "driving_licence": "none", "has_diploma": "none"},
        flows,
        fr,
    )
    assert cv.licence == "" and cv.no_diploma and cv.experiences == () and cv.phone == ""


def test_french_periods(fr) -> None:
    assert period(fr, Month(2021, 3), None, True) == "mars 2021 – aujourd'hui"
    assert period(fr, Month(2019, 1), Month(2020, 12), False) == "janvier 2019 – décembre 2020"
    assert period(fr, Month(2018), Month(2018), False) == "2018"
    assert period(fr, Month(2018), None, False) == "2018"
    assert Month.parse("2021-03").iso() == "2021-03"
    assert Month.parse("2021").iso() == "2021"


def test_the_json_resume_export_has_the_schema_shape(flows, fr) -> None:
    resume = to_json_resume(build_cv(PROFILE, flows, fr))
    checker = jsonschema.Draft7Validator(
        JSON_RESUME, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = sorted(checker.iter_errors(resume), key=str)
    assert not errors, errors
    assert resume["basics"]["name"] == "Amélie DUPRÉ"
    assert resume["basics"]["phone"] == "+33612345678"
    assert resume["basics"]["location"] == {
        "city": "Créteil",
        "postalCode": "94000",
        "countryCode": "FR",
    }
    current = resume["work"][0]
    assert current["startDate"] == "2021-03" and "endDate" not in current
    assert current["highlights"] == ["Préparer les entrées", "Éplucher"]
    assert resume["work"][1]["endDate"] == "2020-12"
    assert resume["education"][1]["institution"] == "Maroc"
    assert {"language": "Tamazight", "fluency": "Courant"} in resume["languages"]


def test_a_minimal_cv_exports_without_empty_fields(flows, fr) -> None:
    resume = to_json_resume(CV("Li", "Na"))
    assert resume["basics"] == {"name": "Li Na", "location": {"countryCode": "FR"}}
    assert "work" not in resume and "education" not in resume
    checker = jsonschema.Draft7Validator(JSON_RESUME)
    assert not list(checker.iter_errors(resume))


def test_the_schema_check_can_fail(flows, fr) -> None:
    resume = to_json_resume(build_cv(PROFILE, flows, fr))
    resume["work"][0]["startDate"] = "mars 2021"
    resume["basics"]["nom"] = "x"
    errors = list(jsonschema.Draft7Validator(JSON_RESUME).iter_errors(resume))
    assert len(errors) == 2
