"""Statistics on a seeded database whose answers are known by hand, and `relais stats`."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.core.domain import Centre
from bot.core.i18n import Catalogs, Translator
from bot.desk.stats import TOTAL, CentreFigures, compute, format_text, to_csv
from bot.offers.domain import SOURCES
from bot.storage.database import Storage, to_text
from bot.storage.offer_sends import OFFER_FIGURES
from bot.testing.moment import NOW
from tests.conftest import CONFIG_TWO_CENTRES, ROOT

START = date(2026, 1, 1)
END = date(2026, 6, 30)
NAMES = {"paris11": "Paris 11e", "lyon": "Lyon Part-Dieu"}


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


class FakeClock:
    """A clock the seeding moves by hand, to date each person's first and last message."""

    def __init__(self) -> None:
        self.now = at(2025, 1, 1)

    def __call__(self) -> datetime:
        return self.now


async def add_person(
    storage: Storage,
    clock: FakeClock,
    name: str,
    created: datetime,
    last_seen: datetime,
    centre: str = "paris11",
    consent: bool = True,
) -> int:
    clock.now = created
    async with storage.transaction() as tx:
        state = await tx.load_state("test", name)
        state.person.consent = consent
        state.person.centre = centre
        await tx.save_state(state)
    clock.now = last_seen
    async with storage.transaction() as tx:
        state = await tx.load_state("test", name)
    assert state.person.id is not None
    return state.person.id


async def seed(path: Path) -> None:
    """The period is the first half of 2026. Expected answers are worked out in the tests."""
    clock = FakeClock()
    storage = await Storage.open(path, clock=clock)
    try:
        async with storage.transaction() as tx:
            await tx.sync_centres([Centre("paris11", NAMES["paris11"]), Centre("lyon", "Lyon")])
            # the name shown is the one stored now, not the one at creation
            await tx.sync_centres(
                [Centre("paris11", NAMES["paris11"]), Centre("lyon", NAMES["lyon"])]
            )

        p = storage, clock
        # Paris 11e: followed
        amina = await add_person(*p, "amina", at(2025, 10, 1), at(2026, 3, 1))
        bilal = await add_person(*p, "bilal", at(2026, 2, 1), at(2026, 5, 1))
        chen = await add_person(*p, "chen", at(2026, 3, 1), at(2026, 3, 1))
        dara = await add_person(*p, "dara", at(2026, 1, 15), at(2026, 6, 30, 23))
        ines = await add_person(*p, "ines", at(2025, 12, 1), at(2026, 1, 1, 0))
        # silent since 2025, but a confirmed outcome in the period keeps her in the figures
        sara = await add_person(*p, "sara", at(2025, 6, 1), at(2025, 11, 1))
        # followed by Paris, then moved to Lyon: counted by both centres, once in the total
        hugo = await add_person(*p, "hugo", at(2025, 12, 1), at(2026, 5, 1), centre="lyon")
        # Paris 11e: not followed
        eli = await add_person(*p, "eli", at(2025, 1, 1), at(2025, 12, 31, 23))
        fanny = await add_person(*p, "fanny", at(2026, 7, 1), at(2026, 8, 1))
        gus = await add_person(*p, "gus", at(2026, 2, 1), at(2026, 3, 1), consent=False)
        vera = await add_person(*p, "vera", at(2026, 1, 10), at(2026, 4, 1))
        # Lyon
        lou = await add_person(*p, "lou", at(2026, 2, 1), at(2026, 2, 2), centre="lyon")
        leo = await add_person(*p, "leo", at(2026, 3, 1), at(2026, 4, 1), centre="lyon")

        clock.now = at(2026, 11, 23)
        async with storage.transaction() as tx:
            await tx.grant_role(vera, "paris11", "volunteer")
            done = {"assessment_done_at": to_text(at(2026, 2, 1)), "cv_status": "checked"}
            await tx.update_followup(amina, **done)
            await tx.update_followup(
                bilal, assessment_done_at=to_text(at(2026, 8, 1)), cv_status="to_check"
            )
            await tx.update_followup(
                dara, assessment_done_at=to_text(at(2026, 6, 30, 22)), cv_status="checked"
            )
            await tx.update_followup(
                hugo, assessment_done_at=to_text(at(2026, 1, 20)), cv_status="to_fix"
            )
            await tx.update_followup(leo, cv_status="checked")
            for silent_or_late_or_volunteer in (eli, fanny, gus, vera):
                await tx.update_followup(silent_or_late_or_volunteer, **done)

            async def outcome(
                who: int, centre: str, kind: str, contract: str | None, day: date, ok: bool = True
            ) -> None:
                await tx.add_outcome(who, centre, kind, contract, day, vera, ok)

            await outcome(amina, "paris11", "job", "cdi", date(2026, 4, 1))
            await outcome(bilal, "paris11", "job", "cdd", date(2026, 5, 10))
            await outcome(bilal, "paris11", "job", "interim", date(2026, 6, 1))
            await outcome(bilal, "paris11", "training", None, date(2026, 3, 1))
            await outcome(hugo, "paris11", "job", "iae", date(2026, 2, 15))
            await outcome(dara, "paris11", "french_class", None, date(2026, 6, 30))
            await outcome(sara, "paris11", "stopped", None, date(2026, 1, 10))
            await outcome(lou, "lyon", "job", None, date(2026, 3, 1))
            # never counted: reported by the person and not confirmed, or outside the period
            await outcome(chen, "paris11", "job", "cdi", date(2026, 4, 1), ok=False)
            await outcome(dara, "paris11", "job", "cdd", date(2026, 7, 1))
            await outcome(ines, "paris11", "moved", None, date(2025, 12, 31))
    finally:
        await storage.close()


@pytest.fixture
async def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.sqlite3"
    await seed(path)
    return path


async def figures_of(path: Path, centres: tuple[str, ...], start: date, end: date):
    storage = await Storage.open(path)
    try:
        async with storage.transaction() as tx:
            return await compute(tx, centres, start, end)
    finally:
        await storage.close()


def contracts(cdi: int = 0, cdd: int = 0, interim: int = 0, iae: int = 0, unknown: int = 0):
    return {"cdi": cdi, "cdd": cdd, "interim": interim, "iae": iae, "unknown": unknown}


def kinds(job: int = 0, training: int = 0, french_class: int = 0, stopped: int = 0):
    return {
        "job": job,
        "training": training,
        "french_class": french_class,
        "stopped": stopped,
        "moved": 0,
    }


# followed: amina, bilal, chen, dara, ines (seen on the first day), sara (outcome), hugo
# (outcome); not eli (silent before), fanny (came after), gus (no consent), vera (volunteer).
# Assessment on or before 30 June: amina, dara (that evening), hugo; bilal's came later.
PARIS = CentreFigures(
    centre="paris11",
    start=START,
    end=END,
    followed=7,
    assessment_done=3,
    cv_checked=2,
    outcomes=kinds(job=4, training=1, french_class=1, stopped=1),
    jobs_by_contract=contracts(cdi=1, cdd=1, interim=1, iae=1),
    back_to_work=3,  # amina, bilal (two jobs), hugo
)
LYON = CentreFigures(
    centre="lyon",
    start=START,
    end=END,
    followed=3,  # hugo, lou, leo
    assessment_done=1,
    cv_checked=1,
    outcomes=kinds(job=1),
    jobs_by_contract=contracts(unknown=1),
    back_to_work=1,
)
TOTAL_FIGURES = CentreFigures(
    centre=TOTAL,
    start=START,
    end=END,
    followed=9,  # hugo once
    assessment_done=3,
    cv_checked=3,
    outcomes=kinds(job=5, training=1, french_class=1, stopped=1),
    jobs_by_contract=contracts(cdi=1, cdd=1, interim=1, iae=1, unknown=1),
    back_to_work=4,
)


@pytest.fixture
def fr() -> Translator:
    return Catalogs(ROOT / "locales", ["fr"], "Europe/Paris").get("fr")


async def test_every_figure_of_each_centre_and_the_total(db: Path) -> None:
    figures = await figures_of(db, ("paris11", "lyon"), START, END)
    assert figures == [PARIS, LYON, TOTAL_FIGURES]


async def test_the_share_is_back_to_work_over_followed() -> None:
    assert PARIS.back_to_work_share == pytest.approx(300 / 7)
    two_of_five = CentreFigures("x", START, END, 5, 0, 0, kinds(), contracts(), 2)
    assert two_of_five.back_to_work_share == 40.0
    assert CentreFigures("x", START, END, 0, 0, 0, kinds(), contracts(), 0).back_to_work_share == 0


async def test_one_centre_has_no_total_and_an_empty_period_gives_zeros(db: Path) -> None:
    assert await figures_of(db, ("lyon",), START, END) == [LYON]
    empty = await figures_of(db, ("paris11",), date(2020, 1, 1), date(2020, 12, 31))
    assert empty == [
        CentreFigures(
            "paris11", date(2020, 1, 1), date(2020, 12, 31), 0, 0, 0, kinds(), contracts(), 0
        )
    ]
    assert empty[0].back_to_work_share == 0.0


async def test_the_period_bounds_are_included(db: Path) -> None:
    # the last day of June alone: dara writes, takes her French class and finishes her
    # assessment that day; hugo's outcome of February no longer counts in Paris
    [day] = await figures_of(db, ("paris11",), END, END)
    assert (day.followed, day.assessment_done, day.cv_checked) == (1, 1, 1)
    assert day.outcomes == kinds(french_class=1)
    assert day.back_to_work == 0


def test_the_text_speaks_french_with_plurals_and_singulars(fr: Translator) -> None:
    text = format_text([PARIS, LYON, TOTAL_FIGURES], fr, NAMES)
    paris, lyon, total = text.split("\n\n")
    assert paris.splitlines() == [
        "Paris 11e, du 1 janvier 2026 au 30 juin 2026 :",
        "7 personnes suivies",
        "3 bilans faits",
        "2 CV qualifiés",
        "Résultats : 4 travail trouvé (CDI 1, CDD 1, Intérim 1, IAE (insertion) 1), 1 formation,"
        " 1 cours de français, 1 arrêt de l'accompagnement",
        "3 personnes ont retrouvé un travail : 43 %",
    ]
    assert lyon.splitlines() == [
        "Lyon Part-Dieu, du 1 janvier 2026 au 30 juin 2026 :",
        "3 personnes suivies",
        "1 bilan fait",
        "1 CV qualifié",
        "Résultats : 1 travail trouvé (Contrat pas encore connu 1)",
        "1 personne a retrouvé un travail : 33 %",
    ]
    assert total.splitlines()[0] == "Tous les centres, du 1 janvier 2026 au 30 juin 2026 :"
    assert total.splitlines()[-1] == "4 personnes ont retrouvé un travail : 44 %"


def test_a_period_without_outcomes_says_so(fr: Translator) -> None:
    quiet = CentreFigures("lyon", START, END, 2, 0, 0, kinds(), contracts(), 0)
    lines = format_text([quiet], fr, NAMES).splitlines()
    assert lines[4] == "Résultats : aucun pour l'instant"
    assert lines[5].endswith(" : 0 %")


def test_csv_has_one_row_per_centre_and_parses_back() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv([PARIS, LYON, TOTAL_FIGURES]))))
    assert [r["centre"] for r in rows] == ["paris11", "lyon", "*"]
    assert rows[0] == {
        "centre": "paris11",
        "start": "2026-01-01",
        "end": "2026-06-30",
        "followed": "7",
        "assessment_done": "3",
        "cv_checked": "2",
        "outcome_job": "4",
        "outcome_training": "1",
        "outcome_french_class": "1",
        "outcome_stopped": "1",
        "outcome_moved": "0",
        "job_cdi": "1",
        "job_cdd": "1",
        "job_interim": "1",
        "job_iae": "1",
        "job_unknown": "0",
        "back_to_work": "3",
        "back_to_work_percent": "42.9",
        # appointments (issue 12): none in this seeded database (tests/test_stats_appointments.py)
        "appointments_booked": "0",
        "appointments_confirmed": "0",
        "appointments_attended": "0",
        "appointments_missed": "0",
        "appointments_cancelled": "0",
        "appointments_attended_percent": "0.0",
        # job offers (issue 13): none either (tests/test_stats_offers.py)
        **{f"offers_{figure}": "0" for figure in OFFER_FIGURES},
        **{f"offers_from_{source}": "0" for source in SOURCES},
    }
    assert (rows[1]["job_unknown"], rows[1]["back_to_work_percent"]) == ("1", "33.3")
    assert (rows[2]["followed"], rows[2]["back_to_work_percent"]) == ("9", "44.4")


# -- the command ---------------------------------------------------------------------------


def relais_stats(db: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG_TWO_CENTRES, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
    # the process lives at the tests' moment: the seeded people outlive the purge done at
    # start-up whatever the date the tests run
    env = {**clean, "RELAIS_DATABASE": str(db), "RELAIS_CLOCK": NOW.isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "stats", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_relais_stats_prints_the_text_of_every_active_centre(db: Path, tmp_path: Path) -> None:
    done = relais_stats(db, tmp_path, "--from", "2026-01-01", "--to", "2026-06-30")
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.strip().split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [
        "Paris 11e, du 1 janvier 2026 au 30 juin 2026 :",
        "Lyon Part-Dieu, du 1 janvier 2026 au 30 juin 2026 :",
        "Tous les centres, du 1 janvier 2026 au 30 juin 2026 :",
    ]
    assert "3 personnes ont retrouvé un travail : 43 %" in blocks[0]
    assert "9 personnes suivies" in blocks[2]


def test_relais_stats_csv_for_one_centre(db: Path, tmp_path: Path) -> None:
    done = relais_stats(
        db, tmp_path, "--centre", "lyon", "--from", "2026-01-01", "--to", "2026-06-30", "--csv"
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 1
    assert rows[0]["centre"] == "lyon"
    assert (rows[0]["followed"], rows[0]["job_unknown"]) == ("3", "1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--centre", "marseille"), "relais: no centre 'marseille' (centres: lyon, paris11)"),
        (("--from", "2026-13-01"), "relais: --from '2026-13-01': expected a date such as"),
        (("--from", "2026-07-01", "--to", "2026-06-30"), "relais: --from 2026-07-01 is after"),
    ],
)
def test_relais_stats_refuses_bad_arguments_in_one_line(
    db: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = relais_stats(db, tmp_path, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(message)
