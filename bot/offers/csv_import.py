"""Job offers from a CSV file (`relais offers import FILE --centre ID`): a list a partner sent
by e-mail, one row per offer, read and checked whole before anything is written, each problem
named by its line and column ("ligne 4, colonne code_postal : code postal inconnu").

The header names the columns (in any order; docs/offres-exemple.csv is an example):
    titre*, employeur*, type_employeur*, source*, ville*, code_postal*, contrat*, duree_mois,
    temps*, horaires, metier*, francais, permis, experience, diplome, salaire, description,
    candidature, date_limite*   (* required)
A list's value is its code (bot/offers/domain.py: "cdd", "city_hall") or its French label as
the desk shows it ("CDD", "Mairie"), in any case and with or without accents; `horaires` holds
several, separated by "+", "/", "," or ";". `permis` is oui/non; `date_limite` is 31/12/2026 or
2026-12-31. The file may be UTF-8 (with or without BOM) or Windows-1252, separated by commas
or by semicolons (as a spreadsheet in French saves it).

The messages are French, as the file's columns: a volunteer or a coordinator reads them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.offers import entry
from bot.offers.domain import (
    CONTRACT_LABELS,
    DIPLOMA_LABELS,
    EMPLOYER_KIND_LABELS,
    EXPERIENCE_LABELS,
    FRENCH_LABELS,
    SCHEDULE_LABELS,
    SECTOR_LABELS,
    SOURCE_LABELS,
    TIME_LABELS,
    OfferDetails,
)

# column → field of OfferDetails
COLUMNS = {
    "titre": "title",
    "employeur": "employer",
    "type_employeur": "employer_kind",
    "source": "source",
    "ville": "town",
    "code_postal": "postcode",
    "contrat": "contract",
    "duree_mois": "contract_months",
    "temps": "time",
    "horaires": "schedule",
    "metier": "sector",
    "francais": "french",
    "permis": "licence",
    "experience": "experience",
    "diplome": "diploma",
    "salaire": "pay",
    "description": "description",
    "candidature": "how_to_apply",
    "date_limite": "expires_on",
}
FIELD_COLUMN = {field: column for column, field in COLUMNS.items()}
REQUIRED = (
    "titre",
    "employeur",
    "type_employeur",
    "source",
    "ville",
    "code_postal",
    "contrat",
    "temps",
    "metier",
    "date_limite",
)
# the longest text of each typed column (as the desk flow allows)
MAX_LENGTH = {"title": 100, "employer": 100, "town": 60, "pay": 100, "description": 500}
MAX_LENGTH["how_to_apply"] = 300
MAX_ROWS = 2000  # a list from a partner, not a database dump
_LABELS = {
    "employer_kind": EMPLOYER_KIND_LABELS,
    "source": SOURCE_LABELS,
    "contract": CONTRACT_LABELS,
    "time": TIME_LABELS,
    "sector": SECTOR_LABELS,
    "french": FRENCH_LABELS,
    "experience": EXPERIENCE_LABELS,
    "diploma": DIPLOMA_LABELS,
    "schedule": SCHEDULE_LABELS,
}
_YES = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
_NO = {"non", "n", "no", "0", "faux", "false", ""}
_SEPARATORS = re.compile(r"\s*[+/,;]\s*")
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


@dataclass(frozen=True)
class RowError:
    """One problem of the file: where (line of the file, column) and what."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return f"ligne {self.line} : {self.message}"
        return f"ligne {self.line}, colonne {self.column} : {self.message}"


@dataclass(frozen=True)
class Read:
    """What a file holds: the offers of its good rows (with their line) and every problem."""

    offers: tuple[tuple[int, OfferDetails], ...]
    errors: tuple[RowError, ...]


def _plain(text: str) -> str:
    """Lower case, no accents, single spaces: "Études après le bac" → "etudes apres le bac"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(letters.replace("’", "'").split())


def _lookup(labels: dict[str, str]) -> dict[str, str]:
    """What a cell may say for each value: its code, its French label."""
    found = {}
    for value, label in labels.items():
        found[_plain(value)] = value
        found[_plain(value.replace("_", " "))] = value
        found[_plain(label)] = value
    return found


_LOOKUPS = {field: _lookup(labels) for field, labels in _LABELS.items()}


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 (a BOM dropped), else Windows-1252 (a spreadsheet's CSV)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read(text: str, today: date) -> Read:
    """Every row read and checked (today: the local date, for the last day)."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    header = next(reader, None)
    if header is None:
        return Read((), (RowError(1, "", "le fichier est vide"),))
    names = [_plain(h).replace(" ", "_") for h in header]
    errors = [RowError(1, n or "?", "colonne inconnue") for n in names if n not in COLUMNS]
    errors += [
        RowError(1, n, "colonne en double") for i, n in enumerate(names) if n in names[:i] and n
    ]
    errors += [RowError(1, n, "colonne obligatoire absente") for n in REQUIRED if n not in names]
    if errors:
        return Read((), tuple(errors))
    offers: list[tuple[int, OfferDetails]] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank lines, as spreadsheets leave at the end
        if len(offers) + len({e.line for e in errors}) >= MAX_ROWS:
            errors.append(RowError(line, "", f"plus de {MAX_ROWS} offres : coupez le fichier"))
            break
        if len(cells) > len(names):
            errors.append(RowError(line, "", "plus de cellules que de colonnes"))
            continue
        row = {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names)}
        details, problems = _row(row, today)
        errors += [RowError(line, column, message) for column, message in problems]
        if details is not None and not problems:
            offers.append((line, details))
    return Read(tuple(offers), tuple(errors))


def _row(row: dict[str, str], today: date) -> tuple[OfferDetails | None, list[tuple[str, str]]]:
    """One row's offer and its problems, (column, message) in the order of the columns."""
    problems: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    schedule: tuple[str, ...] = ()
    for column in REQUIRED:
        if not row.get(column):
            problems.append((column, entry.T_EMPTY))
    for field, lookup in _LOOKUPS.items():
        column = FIELD_COLUMN[field]
        cell = row.get(column, "")
        if field == "schedule":
            parts = [p for p in _SEPARATORS.split(_plain(cell)) if p] if cell else []
            if any(p not in lookup for p in parts):
                problems.append((column, f"valeur inconnue : {cell}"))
            schedule = tuple(dict.fromkeys(lookup[p] for p in parts if p in lookup))
        elif cell:
            if _plain(cell) in lookup:
                values[field] = lookup[_plain(cell)]
            else:
                problems.append((column, f"valeur inconnue : {cell}"))
    for field, longest in MAX_LENGTH.items():
        column = FIELD_COLUMN[field]
        values[field] = " ".join(row.get(column, "").split())
        if len(values[field]) > longest:
            problems.append((column, f"trop long (au plus {longest} caractères)"))
    postcode = "".join(row.get("code_postal", "").split())
    values["postcode"] = (
        postcode.zfill(5) if postcode.isdigit() and len(postcode) == 4 else postcode
    )
    months_cell, months = row.get("duree_mois", ""), None
    if months_cell.isdigit():
        months = int(months_cell)
    elif months_cell:
        problems.append(("duree_mois", "un nombre de mois, par exemple 6"))
    licence = _plain(row.get("permis", ""))
    if licence not in _YES | _NO:
        problems.append(("permis", "oui ou non"))
    expires = _date(row.get("date_limite", ""))
    if expires is None and row.get("date_limite"):
        problems.append(("date_limite", "une date comme 31/12/2026"))
    # the checks of the desk (postcode, CDD length, last day) run even when a cell above is
    # wrong, so that one pass names every problem: a wrong cell's field gets a stand-in value
    stand_in = {"employer_kind": "public", "source": "other", "contract": "cdi", "time": "full"}
    stand_in |= {"sector": "cleaning", "title": "-", "employer": "-", "town": "-"}
    given = {**stand_in, **{k: v for k, v in values.items() if v}}
    details = OfferDetails(
        title=given["title"],
        employer=given["employer"],
        employer_kind=given["employer_kind"],
        source=given["source"],
        town=given["town"],
        postcode=values["postcode"],
        contract=given["contract"],
        contract_months=months,
        time=given["time"],
        schedule=schedule,
        sector=given["sector"],
        expires_on=expires or today,
        french=values.get("french", "none"),
        licence=licence in _YES,
        experience=values.get("experience", "none"),
        diploma=values.get("diploma", "none"),
        pay=values["pay"],
        description=values["description"],
        how_to_apply=values["how_to_apply"],
    )
    wrong = {column for column, _ in problems}
    for problem in entry.problems(details, today):
        column = FIELD_COLUMN[problem.field]
        if column not in wrong:
            problems.append((column, problem.msgid))
    order = list(COLUMNS)
    problems.sort(key=lambda p: order.index(p[0]))
    if problems or expires is None:
        return None, problems
    return details, []


def _date(text: str) -> date | None:
    """31/12/2026, 31.12.2026, 31-12-2026 or 2026-12-31; None if it is none of them."""
    text = text.strip()
    french = _FRENCH_DATE.fullmatch(text)
    try:
        if french:
            return date(int(french.group(3)), int(french.group(2)), int(french.group(1)))
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None
