"""Attendance in the centres' statistics, on appointments whose fate is known by hand: booked,
confirmed by the person, attended, missed, cancelled, and the share attended among the past
appointments marked, per centre and in total; in `/stats`, its CSV and `relais stats`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from bot.appointments.domain import NewAppointment
from bot.config import Settings
from bot.desk.stats import APPOINTMENT_FIGURES, compute, format_text, to_csv
from bot.service import Relais
from tests.test_stats import NAMES, relais_stats
from tests.test_volunteers import join

START = date(2026, 1, 1)
END = date(2026, 6, 30)


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def seed(relais: Relais) -> None:
    """Paris 11e: attended (said "coming"), missed, cancelled, attended on the period's last
    evening (said "coming"), planned and not marked (said "coming"), one the day after the
    period. Lyon: one missed."""
    fates = [
        ("paris11", at(3, 10), "attended", "coming"),
        ("paris11", at(4, 2), "missed", ""),
        ("paris11", at(5, 5), "cancelled", ""),
        ("paris11", at(6, 30, 22), "attended", "coming"),
        ("paris11", at(6, 15), "planned", "coming"),
        ("paris11", at(7, 1, 0), "attended", "coming"),  # after the period
        ("lyon", at(2, 1), "missed", ""),
    ]
    async with relais.storage.transaction() as tx:
        for number, (centre, starts_at, state, answer) in enumerate(fates):
            state_of = await tx.load_state("test", f"person{number}")
            await tx.save_state(state_of)
            person = (await tx.load_state("test", f"person{number}")).person.id
            assert person is not None
            new = NewAppointment(person, centre, starts_at, "centre", "first_interview")
            booked = await tx.book_appointment(new, None)
            if answer:
                assert await tx.answer_appointment(booked.id, booked.version, answer)
            if state != "planned":
                assert await tx.end_appointment(booked.id, state) is not None


async def test_each_centre_and_the_total_count_how_appointments_went(relais: Relais) -> None:
    await seed(relais)
    async with relais.storage.reading() as reads:
        paris, lyon, total = await compute(reads, ("paris11", "lyon"), START, END)
    assert paris.appointments == {
        "booked": 5,
        "confirmed": 3,
        "attended": 2,
        "missed": 1,
        "cancelled": 1,
    }
    assert round(paris.attended_share, 1) == 66.7  # 2 of the 3 marked
    assert lyon.appointments == dict(zip(APPOINTMENT_FIGURES, (1, 0, 0, 1, 0), strict=True))
    assert lyon.attended_share == 0.0
    assert total.appointments == dict(zip(APPOINTMENT_FIGURES, (6, 3, 2, 2, 1), strict=True))
    assert total.attended_share == 50.0
    # a period without appointments: zeros, no share
    async with relais.storage.reading() as reads:
        [empty] = await compute(reads, ("paris11",), date(2025, 1, 1), date(2025, 12, 31))
    assert set(empty.appointments.values()) == {0} and empty.attended_share == 0.0


async def test_the_text_shows_them_after_the_other_figures(relais: Relais) -> None:
    await seed(relais)
    async with relais.storage.reading() as reads:
        figures = await compute(reads, ("paris11", "lyon"), START, END)
        [quiet] = await compute(reads, ("paris11",), date(2025, 1, 1), date(2025, 12, 31))
    fr = relais.catalogs.get("fr")
    paris, lyon, total = format_text(figures, fr, NAMES).split("\n\n")
    assert paris.splitlines()[-2:] == [
        "Rendez-vous : pris 5, confirmés par la personne 3, venus 2, pas venus 1, annulés 1",
        "Venus à leur rendez-vous : 67 % (parmi les rendez-vous passés notés)",
    ]
    assert lyon.splitlines()[-1] == (
        "Venus à leur rendez-vous : 0 % (parmi les rendez-vous passés notés)"
    )
    assert "pris 6" in total and ": 50 %" in total
    # a period without any appointment keeps the figures it had
    assert "Rendez-vous" not in format_text([quiet], fr, NAMES)
    english = format_text(figures, relais.catalogs.get("en"), NAMES)
    assert "Appointments: booked: 5, confirmed by the person: 3, attended: 2, missed: 1" in english


async def test_the_csv_has_a_column_per_figure(relais: Relais) -> None:
    await seed(relais)
    async with relais.storage.reading() as reads:
        figures = await compute(reads, ("paris11", "lyon"), START, END)
    rows = list(csv.DictReader(io.StringIO(to_csv(figures))))
    assert [
        (
            r["centre"],
            r["appointments_booked"],
            r["appointments_confirmed"],
            r["appointments_attended"],
            r["appointments_missed"],
            r["appointments_cancelled"],
            r["appointments_attended_percent"],
        )
        for r in rows
    ] == [
        ("paris11", "5", "3", "2", "1", "1", "66.7"),
        ("lyon", "1", "0", "0", "1", "0", "0.0"),
        ("*", "6", "3", "2", "2", "1", "50.0"),
    ]


async def test_a_coordinator_reads_them_in_stats(relais: Relais) -> None:
    await seed(relais)
    cora = await join(relais, "cora", "paris11", "coordinator")
    await cora.play(
        """
        > /stats 2026-01-01 2026-06-30
        < Paris 11e, du 1 janvier 2026 au 30 juin 2026 :
        < Rendez-vous : pris 5, confirmés par la personne 3, venus 2, pas venus 1, annulés 1
        < Venus à leur rendez-vous : 67 %
        ! Lyon
        """
    )


async def test_relais_stats_prints_them(relais: Relais, settings: Settings, tmp_path) -> None:
    await seed(relais)
    db = settings.database
    done = relais_stats(db, tmp_path, "--from", "2026-01-01", "--to", "2026-06-30")
    assert done.returncode == 0, done.stderr
    assert "Rendez-vous : pris 5, confirmés par la personne 3" in done.stdout
    done = relais_stats(db, tmp_path, "--centre", "lyon", "--to", "2026-06-30", "--csv")
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["appointments_missed"], row["appointments_attended_percent"]) == ("1", "0.0")
