"""Generates the appointments benchmark's database: the 100,000 people of
bench/generate_people.py with 100,000 appointments in the coming weeks, and caches it.

Run by hand: `python bench/generate_appointments.py [--appointments 100000] [--people 100000]`
(bench/bench_appointments.py calls it). From a copy of the cached people database:

- the retention purge runs first at the tests' moment (Monday 23 November 2026, 11:00 in
  Paris), as a running deployment would have done: the 1 % of people silent for too long are
  gone, and the benchmark measures a bot with nothing to purge;
- then the volunteers book, at that moment, 100,000 appointments for the beneficiaries of their
  centre (one person may have two), through the storage API and bot.appointments.lifecycle
  exactly as the desk does: each a row of `appointments`, its confirmation and its reminders
  (by default the day before at the same hour and 2 hours before, out of quiet hours) queued as
  rows of `started_messages`. The confirmations are then marked sent (they went when booked);
  about 200,000 reminders stay queued for later;
- the appointments are spread over the 10 weeks from that Monday, Monday to Saturday, from
  09:00 to 18:00 local time: 90 % on the quarter hours of an agenda, 10 % on other 5-minute
  marks; 80 % at the centre, 10 % at another address, 10 % by phone; 30 % with a practical note.
  Reproducible: one seed.

The result is cached under /tmp/relais-bench (RELAIS_BENCH_CACHE) by the number of appointments,
this generator's VERSION and the people database it was made from (whose name says its size,
version and migrations).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_people  # noqa: E402
from generate_people import CACHE, Generated  # noqa: E402

from bot.appointments import lifecycle  # noqa: E402
from bot.appointments.domain import PURPOSES, NewAppointment  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.core.domain import Centre  # noqa: E402
from bot.privacy import retention  # noqa: E402
from bot.storage.database import Storage  # noqa: E402
from bot.storage.queries import to_text  # noqa: E402
from bot.testing.moment import NOW, Hands  # noqa: E402

VERSION = 3  # change it when what is generated changes: the caches are then made again
SEED = 12
BOOKED_AT = NOW  # Monday 23 November 2026, 10:00 UTC (11:00 in Paris)
WEEKS = 10
OPENS, CLOSES = 9 * 60, 18 * 60  # minutes of the day: the centres' opening hours
OFF_GRID = 0.10  # share of appointments on another 5-minute mark than a quarter hour
PLACES = (("centre", 8), ("address", 1), ("phone", 1))
NOTE = "Apportez votre pièce d'identité et votre CV."
ADDRESS = "France Travail, 5 rue de la Gare"
PER_TX = 1000


def ensure(appointments: int, people: int, say: Any = print) -> Generated:
    """The cached database of `appointments` appointments among `people` people: made if
    missing (from the cached people database, made too if missing)."""
    base = generate_people.ensure(people, say)
    folder = CACHE / f"appointments-{appointments}-v{VERSION}-{base.folder.name}"
    with generate_people._locked():  # the lock of the people's cache
        meta_path = folder / "meta.json"
        if meta_path.exists():
            return Generated(folder, json.loads(meta_path.read_text(encoding="utf-8")))
        work = CACHE / f".work-appointments-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        say(f"booking {appointments:,} appointments (once; cached in {CACHE})")
        started = time.perf_counter()
        shutil.copyfile(base.database, work / "relais.sqlite3")
        shutil.copyfile(base.config, work / "relais.toml")
        meta = dict(base.meta)
        meta.update(asyncio.run(generate(appointments, work, say)))
        meta["people_database"] = base.folder.name
        meta["made_in_seconds"] = round(time.perf_counter() - started, 1)
        meta_path = work / "meta.json"
        meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        work.rename(folder)
        say(f"  done in {meta['made_in_seconds']:.1f} s: {folder}")
        return Generated(folder, meta)


def _slot(rng: random.Random, zone: ZoneInfo) -> datetime:
    """When one appointment starts: a day of the coming weeks (not Sunday), a quarter hour of
    the opening hours or, now and then, another 5-minute mark."""
    while True:
        day = BOOKED_AT.astimezone(zone).date() + timedelta(days=rng.randrange(7 * WEEKS))
        if day.weekday() == 6:
            continue
        step = 5 if rng.random() < OFF_GRID else 15
        minute = OPENS + step * rng.randrange((CLOSES - OPENS) // step)
        local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)
        if local > BOOKED_AT + timedelta(hours=1):
            return local


async def generate(appointments: int, folder: Path, say: Any = print) -> dict[str, Any]:
    """Purge, then book `appointments` appointments in the database of `folder`; what the
    benchmark needs to know about it (added to meta.json)."""
    database = folder / "relais.sqlite3"
    env = {"RELAIS_DATABASE": str(database), "RELAIS_DOCUMENTS_DIR": str(folder / "documents")}
    settings = load_settings(folder / "relais.toml", env=env)
    zone = ZoneInfo(settings.timezone)
    storage = await Storage.open(database, clock=lambda: BOOKED_AT)  # migrates if needed
    try:
        purged = await retention.purge(storage, settings, BOOKED_AT)
    finally:
        await storage.close()
    say(f"  retention purge first: {purged.people:,} people, {purged.rows:,} old rows")
    rng = random.Random(SEED)
    with contextlib.closing(sqlite3.connect(database)) as db:
        beneficiaries = db.execute(
            "SELECT p.id, p.centre FROM persons p WHERE p.centre IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.person_id = p.id) ORDER BY p.id"
        ).fetchall()
        team: dict[str, list[int]] = {}
        for person_id, centre in db.execute("SELECT person_id, centre FROM roles ORDER BY 1"):
            team.setdefault(str(centre), []).append(int(person_id))
        names = dict(db.execute("SELECT id, name FROM centres").fetchall())
    centres = {c: Centre(c, str(n), f"{10 + len(c)} rue du Centre, {n}") for c, n in names.items()}
    hands = Hands(BOOKED_AT)  # every row is written at the moment of booking
    bulk = generate_people._Bulk(database, hands)  # the people generator's bulk writer
    reminders = 0
    started = time.perf_counter()
    try:
        for first in range(0, appointments, PER_TX):
            async with bulk.transaction() as tx:
                for _ in range(first, min(first + PER_TX, appointments)):
                    person_id, centre = rng.choice(beneficiaries)
                    place = generate_people._weighted(rng, PLACES)
                    volunteers = team.get(str(centre), [])
                    volunteer = rng.choice(volunteers) if volunteers else None
                    new = NewAppointment(
                        int(person_id),
                        str(centre),
                        _slot(rng, zone),
                        place,
                        rng.choice(PURPOSES),
                        address=ADDRESS if place == "address" else "",
                        note=NOTE if rng.random() < 0.3 else "",
                        volunteer_id=volunteer,
                    )
                    appointment = await tx.book_appointment(new, volunteer)
                    reminders += await lifecycle.booked(
                        tx,
                        appointment,
                        centres.get(str(centre)),
                        settings.appointments,
                        settings.quiet_hours,
                        zone,
                        BOOKED_AT,
                    )
            if (first // PER_TX) % 20 == 19:
                rate = (first + PER_TX) / (time.perf_counter() - started)
                say(f"  {first + PER_TX:,} appointments booked ({rate:.0f} a second)")
        # the confirmations went when they were booked (a person reads them, buttons and all)
        async with bulk.transaction() as tx:
            await tx._execute(  # a bulk edit of the generated rows
                "UPDATE started_messages SET state = 'sent', sent_at = ?"
                " WHERE kind = ? AND state = 'queued'",
                (to_text(BOOKED_AT), lifecycle.CONFIRMED),
            )
    finally:
        bulk.close()
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("ANALYZE")  # as the bot's hourly PRAGMA optimize would have
        queued = db.execute(
            "SELECT count(*), min(not_before), max(not_before) FROM started_messages"
            " WHERE state = 'queued' AND kind = ?",
            (lifecycle.REMINDER,),
        ).fetchone()
        rows = db.execute("SELECT count(*) FROM appointments").fetchone()[0]
    return {
        "appointments": int(rows),
        "appointments_seed": SEED,
        "booked_at": BOOKED_AT.isoformat(),
        "weeks": WEEKS,
        "reminders_planned": reminders,
        "reminders_queued": int(queued[0]),
        "first_reminder": queued[1],
        "last_reminder": queued[2],
        "purged_people": purged.people,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    generated = ensure(args.appointments, args.people)
    meta = generated.meta
    print(f"{generated.database} ({generated.database.stat().st_size / 2**20:.0f} MiB)")
    print(
        f"made in {meta['made_in_seconds']} s: {meta['appointments']:,} appointments,"
        f" {meta['reminders_queued']:,} reminders queued"
        f" ({meta['first_reminder']} … {meta['last_reminder']})"
    )


if __name__ == "__main__":
    main()
