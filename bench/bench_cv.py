"""Benchmark: CVs rendered as PDF, a typical one-page CV and a two-page CV.

Run by hand: `python bench/bench_cv.py [runs]`. Prints how long the fonts took to prepare (the
first time in this process, from the disk cache or not, then the memoised call), then the
median and p95 rendering time of each CV, its page count and its size.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

from pypdf import PdfReader

from bot.core.i18n import Catalogs
from bot.documents.cv import CV, Education, Experience, LanguageSkill, Month
from bot.documents.cv_pdf import render_cv_pdf
from bot.documents.fonts import default_font_cache, prepare_fonts

ROOT = Path(__file__).resolve().parent.parent


def one_page_cv() -> CV:
    return CV(
        first_name="Amélie",
        last_name="Dupré-Nœl",
        headline="Agente d'entretien, 6 ans d'expérience",
        jobs_sought="Agente d'entretien, aide-ménagère",
        phone="06 12 34 56 78",
        email="amelie.dupre@example.fr",
        town="Lyon",
        postcode="69003",
        experiences=(
            Experience(
                "Agente d'entretien",
                "Propreté Rhône",
                "Lyon",
                Month(2021, 3),
                None,
                True,
                (
                    "Nettoyage de bureaux et de parties communes",
                    "Gestion des produits et du matériel",
                    "Tri des déchets",
                ),
            ),
            Experience(
                "Aide-ménagère",
                "Particuliers",
                "Villeurbanne",
                Month(2019, 1),
                Month(2020, 12),
                False,
                ("Ménage, repassage, courses",),
            ),
            Experience(
                "Vendeuse",
                "Marché central",
                "Kharkiv, Ukraine",
                Month(2016),
                Month(2018),
                False,
                ("Accueil des clients", "Encaissement"),
            ),
        ),
        education=(
            Education("CAP Agent de propreté et d'hygiène", "GRETA Lyon", "", Month(2020)),
            Education("Diplôme de fin d'études secondaires", "Lycée n° 5", "Ukraine", Month(2012)),
        ),
        languages=(
            LanguageSkill("Français", "courant"),
            LanguageSkill("Ukrainien", "langue maternelle"),
            LanguageSkill("Russe", "courant"),
        ),
        skills=("Travail en équipe", "Autonomie", "Respect des consignes d'hygiène"),
        licence="Permis B (voiture)",
        vehicles="Voiture, Vélo",
        certificates=("SST (sauveteur secouriste du travail)",),
        availability="Tout de suite, du lundi au samedi",
        interests="Couture, cuisine, randonnée",
    )


def two_page_cv() -> CV:
    """Seven jobs with three tasks each, and an Arabic name: shaping and the second font."""
    tasks = (
        "Préparation des commandes avec un lecteur de codes-barres et contrôle des quantités",
        "Réception des livraisons, vérification des bons et rangement du stock en réserve",
        "Nettoyage du poste de travail et respect des règles de sécurité de l'entrepôt",
    )
    jobs = tuple(
        Experience(
            f"Préparateur de commandes ({n + 1})",
            f"Logistique Rhône {n + 1}",
            "Corbas",
            Month(2010 + n, 3),
            Month(2011 + n, 2),
            False,
            tasks,
        )
        for n in range(7)
    )
    return CV(
        first_name="محمد",
        last_name="العلي",
        headline="Préparateur de commandes, cariste",
        jobs_sought="Préparateur de commandes, magasinier",
        phone="07 98 76 54 32",
        email="m.alali@example.fr",
        town="Vénissieux",
        postcode="69200",
        experiences=jobs,
        education=(Education("Baccalauréat", "Lycée Ibn Khaldoun", "Syrie", Month(2008)),),
        languages=(LanguageSkill("Arabe", "langue maternelle"), LanguageSkill("Français", "B1")),
        skills=("CACES R489 catégories 1, 3 et 5", "Gestes et postures", "Lecture de plans"),
        licence="Permis B (voiture)",
        certificates=("SST",),
        availability="Horaires en équipe, week-end possible",
        interests="Football, cuisine",
    )


def main(runs: int) -> None:
    t = Catalogs(ROOT / "locales", ["fr", "en"], "Europe/Paris").get("fr")
    cache = default_font_cache()
    cached = any(cache.glob("*.ttf")) if cache.is_dir() else False
    t0 = time.perf_counter()
    fonts = prepare_fonts()
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    prepare_fonts()
    again = time.perf_counter() - t0
    how = "files found in the disk cache" if cached else "instances made"
    print(f"fonts: first preparation {first * 1000:.0f} ms ({how}: {cache})")
    print(f"fonts: second call {again * 1e6:.0f} µs (memoised in the process)")

    def ms(values: list[float], q: int) -> str:
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        return f"{cuts[q - 1] * 1000:.1f} ms"

    for label, cv in (("one-page CV", one_page_cv()), ("two-page CV", two_page_cv())):
        render_cv_pdf(cv, t, fonts)  # warm-up: imports, caches
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            data = render_cv_pdf(cv, t, fonts)
            times.append(time.perf_counter() - t0)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(
            f"{label}: median {statistics.median(times) * 1000:.1f} ms, p95 {ms(times, 95)} "
            f"over {runs} runs; {pages} page{'s' if pages > 1 else ''}, {len(data) / 1024:.1f} KiB"
        )
    print("target: < 300 ms median for a two-page CV")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
