"""Job offers from a CSV file: the example of docs/ reads as three offers; codes and French
labels alike, in any case, with or without accents; a spreadsheet's semicolons and Windows
encoding; every problem named by its line and column, and no offer read from a wrong row."""

from __future__ import annotations

from datetime import date

from bot.offers import csv_import, places
from bot.offers.domain import OfferDetails
from tests.conftest import ROOT

TODAY = date(2026, 11, 23)
HEADER = (
    "titre,employeur,type_employeur,source,ville,code_postal,contrat,duree_mois,temps,metier,"
    "date_limite"
)


def read(text: str) -> csv_import.Read:
    return csv_import.read(text, TODAY)


def errors(text: str) -> list[str]:
    return [str(e) for e in read(text).errors]


def test_the_example_file_reads_as_three_offers() -> None:
    raw = (ROOT / "docs" / "offres-exemple.csv").read_bytes()
    found = read(csv_import.decode(raw))
    assert found.errors == ()
    assert [line for line, _ in found.offers] == [2, 3, 4]
    cleaner, picker, carer = (d for _, d in found.offers)
    assert cleaner == OfferDetails(
        title="Agent d'entretien",
        employer="Mairie de Montreuil",
        employer_kind="city_hall",
        source="city_hall",
        town="Montreuil",
        postcode="93100",
        contract="cdd",
        contract_months=6,
        time="part",
        schedule=("early", "evening"),
        sector="cleaning",
        expires_on=date(2027, 12, 31),
        french="a_little",
        licence=False,
        experience="some",
        diploma="none",
        pay="SMIC",
        description="Nettoyage des écoles, tôt le matin et le soir.",
        how_to_apply="CV par e-mail à rh@montreuil.example",
    )
    # codes work as well as labels
    assert (picker.employer_kind, picker.source, picker.contract, picker.time) == (
        "agency",
        "france_travail",
        "interim",
        "full",
    )
    assert (picker.schedule, picker.expires_on) == (("morning", "afternoon"), date(2027, 6, 30))
    assert (carer.licence, carer.diploma, carer.contract_months) == (True, "cap_bep", None)


def test_labels_in_any_case_and_without_accents_and_a_spreadsheet_s_file() -> None:
    text = (
        "TITRE;Employeur;Type employeur;source;ville;code postal;contrat;temps;métier;"
        "date_limite;horaires;diplôme\n"
        "Serveur;Le Bistrot;ENTREPRISE;entreprise;Paris;75011;cdi;temps plein;"
        "cuisine et restauration;31.12.2026;le soir / le week-end;etudes apres le bac\n"
    )
    found = read(csv_import.decode(text.encode("cp1252")))
    assert found.errors == ()
    [(line, offer)] = found.offers
    assert (line, offer.sector, offer.schedule, offer.diploma) == (
        2,
        "catering",
        ("evening", "weekend"),
        "higher",
    )
    # a four-digit postcode (a spreadsheet dropped its 0) gets it back: 1000 is Bourg-en-Bresse
    text = HEADER + "\nAgent,Mairie,Mairie,Mairie,Bourg,1000,CDI,,full,cleaning,31/12/2026\n"
    if places.departement("01000") == "01":  # (the shipped table, not its placeholder)
        assert read(text).offers[0][1].postcode == "01000"
    else:
        assert errors(text) == ["ligne 2, colonne code_postal : code postal inconnu"]


def test_each_problem_names_its_line_and_column_and_nothing_is_read_from_that_row() -> None:
    text = (
        HEADER
        + ",permis\n"
        + "Agent,Mairie,Mairie,Mairie,Paris,75011,CDI,,full,cleaning,31/12/2026,non\n"
        + "\n"  # a blank line: skipped, but it still counts in the file's lines
        + "Agent,Mairie,Mairie,Mairie,Paris,99999,CDD,48,full,cleaning,31/12/2026,peut-être\n"
        + "Agent,,Château,Mairie,Paris,75011,CDD,6,full,plomberie,01/01/2020,oui\n"
        + "Agent,Mairie,Mairie,Mairie,Paris,75011,CDI,6,partout,cleaning,le 3 mars,non\n"
    )
    found = read(text)
    assert [line for line, _ in found.offers] == [2]
    assert [str(e) for e in found.errors] == [
        "ligne 4, colonne code_postal : code postal inconnu",
        "ligne 4, colonne duree_mois : la durée d'un CDD, de 1 à 36 mois",
        "ligne 4, colonne permis : oui ou non",
        "ligne 5, colonne employeur : à remplir",
        "ligne 5, colonne type_employeur : valeur inconnue : Château",
        "ligne 5, colonne metier : valeur inconnue : plomberie",
        "ligne 5, colonne date_limite : la date limite est déjà passée",
        "ligne 6, colonne duree_mois : une durée seulement pour un CDD",
        "ligne 6, colonne temps : valeur inconnue : partout",
        "ligne 6, colonne date_limite : une date comme 31/12/2026",
    ]


def test_a_wrong_header_stops_at_the_first_line() -> None:
    assert errors("") == ["ligne 1 : le fichier est vide"]
    assert errors(HEADER.replace("ville", "commune") + "\n") == [
        "ligne 1, colonne commune : colonne inconnue",
        "ligne 1, colonne ville : colonne obligatoire absente",
    ]
    assert errors(HEADER + ",titre\n") == ["ligne 1, colonne titre : colonne en double"]
    long_row = HEADER + "\n" + "a," * 12 + "\n"
    assert errors(long_row) == ["ligne 2 : plus de cellules que de colonnes"]


def test_texts_longer_than_the_desk_allows_are_refused() -> None:
    title = "x" * 101
    text = HEADER + f"\n{title},Mairie,Mairie,Mairie,Paris,75011,CDI,,full,cleaning,31/12/2026\n"
    assert errors(text) == ["ligne 2, colonne titre : trop long (au plus 100 caractères)"]
