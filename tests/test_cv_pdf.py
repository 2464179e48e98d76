"""The CV as PDF, read back with pypdf: words in three scripts, French dates and titles, pages,
nothing cut; and the fonts' disk cache."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from bot.core.i18n import Catalogs, Translator
from bot.documents.cv import CV, Education, Experience, LanguageSkill, Month
from bot.documents.cv_pdf import render_cv_pdf
from bot.documents.fonts import FontSet, prepare_fonts
from tests.conftest import ROOT

SECTION_TITLES = [
    "Expérience professionnelle",
    "Formation",
    "Langues",
    "Compétences",
    "Qualités",
    "Permis et véhicule",
    "Certificats et habilitations",
    "Disponibilités",
    "Centres d'intérêt",
]


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    """Fonts from the default cache: made once (several seconds), then read from disk."""
    return prepare_fonts()


@pytest.fixture(scope="session")
def t() -> Translator:
    return Catalogs(ROOT / "locales", ["fr", "en"], "Europe/Paris").get("fr")


FOOTER = re.compile(r"^Page \d+ / \d+$", re.MULTILINE)


def full_cv(**changes: object) -> CV:
    cv = CV(
        first_name="Amélie",
        last_name="Dupré-Nœl",
        headline="Agente d'entretien polyvalente",
        jobs_sought="Agente d'entretien, aide à domicile",
        phone="06 12 34 56 78",
        email="amelie.dupre@example.fr",
        town="Villeurbanne",
        postcode="69100",
        experiences=(
            Experience(
                "Agente d'entretien",
                "Propreté Rhône",
                "Lyon",
                Month(2021, 3),
                None,
                True,
                ("Nettoyage des bureaux", "Gestion du matériel"),
            ),
            Experience(
                "Aide à domicile",
                "ADMR",
                "Bron",
                Month(2019, 1),
                Month(2020, 12),
                False,
                ("Courses et repas pour des personnes âgées",),
            ),
            Experience("Vendeuse", "Marché central", "Kharkiv", Month(2016), Month(2018)),
        ),
        education=(Education("CAP Propreté", "GRETA Lyon", "", Month(2020)),),
        languages=(
            LanguageSkill("Français", "courant"),
            LanguageSkill("Arabe", "langue maternelle"),
        ),
        skills=("Nettoyage de bureaux", "Utilisation d'une autolaveuse"),
        qualities=("Ponctuelle", "Autonome"),
        licence="Permis B (voiture)",
        vehicles="Voiture, Vélo",
        certificates=("SST (sauveteur secouriste du travail)",),
        availability="Tout de suite, du lundi au samedi",
        interests="Couture, randonnée",
    )
    return replace(cv, **changes)  # type: ignore[arg-type]


def long_cv(jobs: int = 12) -> CV:
    task = "préparer les commandes, contrôler la qualité des produits et ranger le stock " * 3
    return full_cv(
        experiences=tuple(
            Experience(
                f"Préparateur de commandes {n}",
                f"Entrepôt {n}",
                "Corbas",
                Month(2000 + n, 1),
                Month(2000 + n, 6),
                False,
                tuple(f"Tâche {n}-{k} : {task}" for k in range(3)),
            )
            for n in range(jobs)
        )
    )


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squeeze(text: str) -> str:
    """The text without page numbers nor whitespace: lines may break anywhere, even inside a
    word, and a page's footer is read where the page ends, inside a paragraph."""
    return "".join(FOOTER.sub("", text).split())


def fonts_used(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_names_in_three_scripts(fonts: FontSet, t: Translator) -> None:
    for first, last in (("Amélie", "Dupré-Nœl"), ("Олена", "Шевченко")):
        _, text = read(render_cv_pdf(full_cv(first_name=first, last_name=last), t, fonts))
        assert f"{first} {last}" in text
    _, text = read(render_cv_pdf(full_cv(first_name="محمد", last_name="العلي"), t, fonts))
    # pypdf gives right-to-left text in visual order: each word, not the phrase
    assert "محمد" in text
    assert "العلي" in text


def test_arabic_is_shaped_and_right_to_left(fonts: FontSet, t: Translator) -> None:
    cv = full_cv(first_name="محمد", last_name="العلي", headline="طباخ محترف")
    reader, text = read(render_cv_pdf(cv, t, fonts))
    assert any("Arabic" in name for name in fonts_used(reader))

    # pypdf reads words left to right as drawn and each right-to-left word back into logical
    # order: drawn right to left, the first word (محمد) is on the right. Drawn left to right,
    # the name would read "محمد العلي"; unshaped, each word would come out reversed.
    assert "العلي محمد" in text
    assert "محمد العلي" not in text
    # dotted letters are drawn as two glyphs; the extracted words have no stray character
    assert "محترف طباخ" in " ".join(text.split())

    # Shaped: the joined forms of the letters are drawn (initial meem, medial hah), not the
    # isolated ones a plain character-to-glyph lookup gives.
    embedded = None
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "Arabic" in str(font["/BaseFont"]) and "Bold" in str(font["/BaseFont"]):
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    assert embedded is not None, "the name is in bold Arabic"
    source = TTFont(fonts.arabic_bold)

    def outline(font: TTFont, name: str) -> tuple[object, ...]:
        coordinates, _, _ = font["glyf"][name].getCoordinates(font["glyf"])
        return tuple(coordinates)

    drawn = {outline(embedded, name) for name in embedded.getGlyphOrder()}
    for form in ("uni0645.init", "uni062D.medi", "uni062F.fina"):
        assert outline(source, form) in drawn, form
    assert outline(source, "uni062D") not in drawn  # isolated hah


def test_latin_cv_does_not_embed_the_arabic_font(fonts: FontSet, t: Translator) -> None:
    reader, _ = read(render_cv_pdf(full_cv(), t, fonts))
    assert not any("Arabic" in name for name in fonts_used(reader))


def test_french_dates(fonts: FontSet, t: Translator) -> None:
    _, text = read(render_cv_pdf(full_cv(), t, fonts))
    assert "mars 2021 – aujourd'hui" in text
    assert "janvier 2019 – décembre 2020" in text
    assert "2016 – 2018" in text
    assert "2020" in text  # the diploma's year


def test_every_section_title_and_the_persons_words(fonts: FontSet, t: Translator) -> None:
    cv = full_cv()
    reader, text = read(render_cv_pdf(cv, t, fonts))
    for title in SECTION_TITLES:
        assert title in text
    assert "Poste recherché : Agente d'entretien, aide à domicile" in text
    assert "06 12 34 56 78 · amelie.dupre@example.fr · 69100 Villeurbanne" in text
    assert "Agente d'entretien polyvalente" in text
    assert "Propreté Rhône — Lyon" in text
    assert "Nettoyage des bureaux" in text
    assert "Courses et repas pour des personnes âgées" in text
    assert "CAP Propreté" in text
    assert "GRETA Lyon" in text
    assert "Arabe : langue maternelle" in text
    assert "Permis B (voiture)" in text
    assert "Véhicule : Voiture, Vélo" in text
    assert "SST (sauveteur secouriste du travail)" in text
    assert "Tout de suite, du lundi au samedi" in text
    assert "Couture, randonnée" in text
    # the order of the sections
    positions = [text.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)
    assert reader.metadata is not None
    assert reader.metadata.title == "CV – Amélie Dupré-Nœl"
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_empty_sections_are_left_out(fonts: FontSet, t: Translator) -> None:
    cv = CV(first_name="Amina", last_name="Diallo", no_diploma=True)
    _, text = read(render_cv_pdf(cv, t, fonts))
    assert "Amina Diallo" in text
    for title in SECTION_TITLES:
        assert title not in text
    assert "Poste recherché" not in text


def test_trainings_of_a_person_without_diploma_are_shown(fonts: FontSet, t: Translator) -> None:
    training = Education("Formation Hygiène alimentaire", "CFA", "Maroc", Month(2022, 5))
    _, text = read(render_cv_pdf(full_cv(no_diploma=True, education=(training,)), t, fonts))
    assert "Formation" in text
    assert "Formation Hygiène alimentaire (Maroc)" in text
    assert "CFA" in text
    assert "mai 2022" in text


def test_the_country_is_shown_only_outside_france(fonts: FontSet, t: Translator) -> None:
    cv = full_cv(education=(Education("Bac pro", "Lycée Jean Moulin", "France", Month(2015)),))
    _, text = read(render_cv_pdf(cv, t, fonts))
    assert "Lycée Jean Moulin" in text
    assert "France" not in text


def test_a_short_cv_fits_one_page_without_page_number(fonts: FontSet, t: Translator) -> None:
    reader, text = read(render_cv_pdf(full_cv(), t, fonts))
    assert len(reader.pages) == 1
    assert "Page 1" not in text


def test_a_long_cv_flows_onto_numbered_pages(fonts: FontSet, t: Translator) -> None:
    cv = long_cv()
    reader, text = read(render_cv_pdf(cv, t, fonts))
    pages = len(reader.pages)
    assert pages >= 2
    for n in range(1, pages + 1):
        assert f"Page {n} / {pages}" in reader.pages[n - 1].extract_text()
    assert squeeze(cv.experiences[-1].tasks[-1]) in squeeze(text)
    assert "Centres d'intérêt" in text


def test_a_section_title_never_ends_a_page(fonts: FontSet, t: Translator) -> None:
    # growing the experience section moves the next titles through the bottom of page 1
    for jobs in range(2, 7):
        reader, _ = read(render_cv_pdf(long_cv(jobs), t, fonts))
        for page in reader.pages:
            lines = [line for line in page.extract_text().splitlines() if line.strip()]
            content = [line for line in lines if not line.startswith("Page ")]
            assert content[-1] not in SECTION_TITLES, (jobs, content[-3:])


def test_nothing_is_cut(fonts: FontSet, t: Translator) -> None:
    long_task = " ".join(f"mot{n} entretien des locaux" for n in range(220))[:5000]
    long_word = ("Anticonstitutionnellement" * 12)[:300]
    jobs = tuple(
        Experience(f"Poste {n}", f"Employeur {n}", "Lyon", Month(2000, 1), Month(2000, 2))
        for n in range(30)
    )
    cv = full_cv(
        experiences=(
            Experience("Agent", "Société", "Lyon", Month(2020), None, True, (long_task,)),
            *jobs,
        ),
        skills=(long_word,),
        email="a.very.long.address." + "x" * 120 + "@example.fr",
    )
    assert len(long_task) == 5000
    reader, text = read(render_cv_pdf(cv, t, fonts))
    flat = squeeze(text)
    assert squeeze(long_task) in flat
    assert long_word in flat
    assert squeeze(cv.email) in flat
    for n in range(30):
        assert f"Employeur {n} — Lyon" in text
    assert len(reader.pages) >= 3


def test_braces_are_kept_as_typed(fonts: FontSet, t: Translator) -> None:
    # "{nb}" is fpdf2's usual page count placeholder; the person's text must not become one
    _, text = read(render_cv_pdf(long_cv(2), t, fonts))
    assert "Page 1 / 2" in text
    _, text = read(render_cv_pdf(full_cv(interests="Jeux {nb} et {n}"), t, fonts))
    assert "Jeux {nb} et {n}" in text


def test_characters_without_a_font_are_dropped(fonts: FontSet, t: Translator) -> None:
    task = "Préparation des plats 🍲 du jour 😀 pour 50 personnes 中文"
    cv = full_cv(experiences=(Experience("Cuisinier 👨‍🍳", "Le Bistrot", "Lyon", tasks=(task,)),))
    _, text = read(render_cv_pdf(cv, t, fonts))
    assert "Préparation des plats du jour pour 50 personnes" in text
    assert "Cuisinier" in text
    assert "🍲" not in text
    assert "中" not in text


def test_decomposed_accents_are_printed(fonts: FontSet, t: Translator) -> None:
    cv = full_cv(first_name="Ame\u0301lie")  # e + combining acute, as some keyboards send it
    _, text = read(render_cv_pdf(cv, t, fonts))
    assert "Amélie Dupré-Nœl" in text


def test_fonts_cache_reuses_its_files(fonts: FontSet, tmp_path: Path) -> None:
    files = [fonts.regular, fonts.bold, fonts.arabic_regular, fonts.arabic_bold]
    assert len(set(files)) == 4
    latin, arabic = version("fontpkg-noto-sans"), version("fontpkg-noto-sans-arabic")
    for path in files[:2]:
        assert latin in path.name
    for path in files[2:]:
        assert arabic in path.name
    assert prepare_fonts() == fonts  # the process-wide memo

    # another folder holding the same files: they are used as they are, not made again
    for path in files:
        shutil.copy2(path, tmp_path / path.name)
    inodes = {p.name: p.stat().st_ino for p in tmp_path.iterdir()}
    copy = prepare_fonts(tmp_path)
    assert copy == FontSet(*(tmp_path / p.name for p in files))
    assert {p.name: p.stat().st_ino for p in tmp_path.iterdir()} == inodes


def test_fonts_cache_remakes_a_missing_file(fonts: FontSet, tmp_path: Path) -> None:
    for path in (fonts.regular, fonts.bold, fonts.arabic_regular):
        shutil.copy2(path, tmp_path / path.name)
    made = prepare_fonts(tmp_path)
    assert made.arabic_bold == tmp_path / fonts.arabic_bold.name
    remade = TTFont(made.arabic_bold)
    assert "fvar" not in remade  # a static instance
    assert remade["OS/2"].usWeightClass == 700
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (fonts.regular, fonts.bold, fonts.arabic_regular, fonts.arabic_bold)
    )  # no temporary file left behind
