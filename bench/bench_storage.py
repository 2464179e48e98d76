"""Benchmark: the database side of a large deployment (purge, notices read per update, start-up).

Run by hand: `python bench/bench_storage.py [people] [--keep FILE]`. Makes one person through
the engine and storage (a whole onboarding and self-assessment), copies them with SQL to
`people` (100,000 by default) in ten centres with 31 volunteers, help requests, outcomes, audit
lines and a week of handled updates and sent messages, 1 % of them silent just past the
retention period, and prints:
- the start-up of Relais on that file (`open_relais`: migrations, the first sweeps), first as
  built, then with the 1 % due for the purge;
- reading the messages Relais starts that are due, as every update and the 1-second sweep do
  (nothing due, as most of the time);
- the retention purge of the 1 % (the hourly sweep).
A quick stand-in for the deployment-sized generator of bench/; `--keep` saves the file made, and
reuses it when it exists (the copy is what takes time). With the code of another tree, e.g.
`PYTHONPATH=../main python bench/bench_storage.py --keep big.sqlite3`, it measures that code on
the same file.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from personas import AMINA  # bench/ is the script's folder

from bot.config import Settings, load_settings
from bot.reach.delivery import take_due
from bot.service import open_relais
from bot.storage.queries import to_text
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW

CENTRES = 10
VOLUNTEERS = 31
RETENTION_DAYS = 730
PAST_RETENTION = 0.01  # share of people silent just past the retention period
CHANNEL = "telegram"

CONFIG = '[general]\nlanguages = ["fr", "en"]\n' + "".join(
    f'\n[[centres]]\nid = "c{n}"\nname = "Centre {n}"\n' for n in range(CENTRES)
)

SELF_ASSESSMENT = AMINA.replace("{centre}", "Centre 0")


def settings_for(folder: Path) -> Settings:
    config = folder / "relais.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return load_settings(
        config,
        {
            "RELAIS_DATABASE": str(folder / "relais.sqlite3"),
            "RELAIS_DOCUMENTS_DIR": str(folder / "documents"),
        },
    )


async def template(settings: Settings) -> int:
    """One person who did the whole self-assessment, through the engine; their id."""
    relais = await open_relais(settings, clock=lambda: NOW)
    try:
        chat = Conversation(relais, user="1000", channel=CHANNEL)
        await chat.play(SELF_ASSESSMENT)
        async with relais.storage.transaction() as tx:
            person = await tx.find_person(CHANNEL, "1000")
            assert person is not None and person.id is not None
            return person.id
    finally:
        await relais.close()


def copy_people(database: Path, template_id: int, people: int) -> None:
    """Copy the template person to `people` people with SQL, with what a deployment of that
    size holds beside them (the setup is not measured)."""
    rng = random.Random(11)
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    session, version = db.execute(
        "SELECT session, consent_version FROM persons WHERE id = ?", (template_id,)
    ).fetchone()
    db.execute("DELETE FROM persons WHERE id = ?", (template_id,))
    profile = db.execute(
        "SELECT key, value FROM profile WHERE person_id = ?", (template_id,)
    ).fetchall()
    db.execute("DELETE FROM profile WHERE person_id = ?", (template_id,))
    db.execute("DELETE FROM followup WHERE person_id = ?", (template_id,))
    cutoff = NOW - timedelta(days=RETENTION_DAYS)
    past = int(1 / PAST_RETENTION)

    def last_seen(n: int) -> str:
        if n % past == 0:  # silent just past the retention period, one hour from now
            return to_text(cutoff + timedelta(minutes=30, seconds=n % 1800))
        return to_text(cutoff + timedelta(hours=2, seconds=rng.randrange(729 * 86400)))

    persons = [
        (
            n,
            CHANNEL,
            str(100_000_000 + n),
            "fr" if n % 5 else "en",
            f"c{n % CENTRES}",
            session,
            version,
            to_text(cutoff),
            last_seen(n),
        )
        for n in range(1, people + 1)
    ]
    db.executemany(
        "INSERT INTO persons (id, channel, external_id, locale, consent, centre, session,"
        " consent_version, consent_at, created_at, last_seen_at)"
        " VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?8, ?8, ?9)",
        persons,
    )
    db.executemany(
        "INSERT INTO profile (person_id, key, value, updated_at) VALUES (?, ?, ?, ?)",
        (
            (n, key, value, persons[n - 1][8])
            for n in range(1, people + 1)
            for key, value in profile
        ),
    )
    db.execute(
        "INSERT INTO followup (person_id, cv_status, searching, assessment_done_at, updated_at)"
        " SELECT id, CASE id % 7 WHEN 0 THEN 'to_check' WHEN 1 THEN 'checked' ELSE 'none' END,"
        " id % 2, last_seen_at, last_seen_at FROM persons"
    )
    # the volunteers: the first people of each centre
    volunteers = list(range(1, VOLUNTEERS + 1))
    db.executemany(
        "INSERT INTO roles (person_id, centre, role, granted_at) VALUES (?, ?, ?, ?)",
        [
            (v, f"c{v % CENTRES}", "coordinator" if v <= CENTRES else "volunteer", to_text(NOW))
            for v in volunteers
        ],
    )
    db.execute("UPDATE persons SET last_seen_at = ? WHERE id <= ?", (to_text(NOW), VOLUNTEERS))
    db.execute(
        "UPDATE followup SET cv_checked_by = 1 + person_id % ? WHERE cv_status = 'checked'",
        (VOLUNTEERS,),
    )
    db.execute(
        "INSERT INTO help_requests (person_id, centre, created_at, taken_by, taken_at)"
        " SELECT id, centre, last_seen_at, CASE WHEN id % 3 THEN 1 + id % ? END,"
        " CASE WHEN id % 3 THEN last_seen_at END FROM persons WHERE id % 20 = 0",
        (VOLUNTEERS,),
    )
    db.execute(
        "INSERT INTO outcomes (person_id, centre, kind, contract, happened_on, recorded_by,"
        " confirmed, created_at) SELECT id, centre, 'job', 'cdi', substr(last_seen_at, 1, 10),"
        " 1 + id % ?, 1, last_seen_at FROM persons WHERE id % 10 = 0",
        (VOLUNTEERS,),
    )
    db.execute(
        "INSERT INTO audit_log (actor_id, subject_id, action, at)"
        " SELECT 1 + id % ?, id, 'profile', last_seen_at FROM persons WHERE id % 2 = 0",
        (VOLUNTEERS,),
    )
    db.execute(
        "INSERT INTO invites (code_hash, centre, role, created_by, created_at, expires_at,"
        " used_at, used_by) SELECT hex(randomblob(16)), centre, 'volunteer', 1, ?1, ?1, ?1, id"
        " FROM persons WHERE id <= ?2",
        (to_text(NOW), VOLUNTEERS),
    )
    # a week of updates (handled: payload dropped) and of sent messages, two a person a week
    week = [NOW - timedelta(seconds=rng.randrange(7 * 86400)) for _ in range(2 * people)]
    db.executemany(
        "INSERT INTO update_journal (channel, update_id, payload, received_at, handled_at,"
        " sender) VALUES (?, ?, NULL, ?, ?, ?)",
        (
            (CHANNEL, n, to_text(at), to_text(at), str(100_000_000 + 1 + n % people))
            for n, at in enumerate(sorted(week))
        ),
    )
    db.executemany(
        "INSERT INTO outbox (chat_id, method, payload, state, attempts, result, created_at,"
        " updated_at, channel, priority) VALUES (?, 'sendMessage', '{}', 'sent', 1,"
        " '{\"message_id\": 1}', ?, ?, ?, 0)",
        (
            (str(100_000_000 + 1 + n % people), to_text(at), to_text(at), CHANNEL)
            for n, at in enumerate(sorted(week))
        ),
    )
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


async def build(folder: Path, people: int) -> Settings:
    settings = settings_for(folder)
    template_id = await template(settings)
    copy_people(settings.database, template_id, people)
    # a first start at NOW: the erasure warnings of the coming month are queued once
    relais = await open_relais(settings, clock=lambda: NOW)
    await relais.close()
    delivered(settings.database)
    return settings


def delivered(database: Path) -> None:
    """The warnings queued at the first start, as delivered (their buttons wait for a press):
    the measures below start from a queue with nothing due, as most of the time."""
    with sqlite3.connect(database) as db:
        db.execute(
            "UPDATE started_messages SET state = 'sent', sent_at = ?, expires_at = ?"
            " WHERE state = 'queued'",
            (to_text(NOW), to_text(NOW + timedelta(days=30))),
        )
    db.close()


def fresh_copy(source: Settings, folder: Path) -> Settings:
    """A copy of the built database in `folder`, with its settings."""
    settings = settings_for(folder)
    shutil.copyfile(source.database, settings.database)
    return settings


def median_ms(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(times):.3f} ms, p95 {p95:.3f} ms"


async def notices_per_update(settings: Settings, runs: int = 300) -> list[float]:
    """Reading the messages Relais starts that are due for the whole channel, as the runtime
    does after each round of updates and on every 1-second sweep (nothing due)."""
    relais = await open_relais(settings, clock=lambda: NOW)
    times = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            async with relais.storage.transaction() as tx:
                await take_due(tx, relais.catalogs, CHANNEL, NOW)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        await relais.close()
    return times


def past_retention(database: Path, now: datetime) -> int:
    """How many people are silent past the retention period at `now`."""
    with sqlite3.connect(database) as db:
        cutoff = to_text(now - timedelta(days=RETENTION_DAYS))
        (count,) = db.execute(
            "SELECT COUNT(*) FROM persons WHERE last_seen_at < ?", (cutoff,)
        ).fetchone()
    db.close()
    return int(count)


async def main(people: int, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "built").mkdir()
        built = settings_for(folder / "built")
        if keep is not None and keep.exists():
            shutil.copyfile(keep, built.database)
            print(f"reusing {keep}")
        else:
            start = time.perf_counter()
            built = await build(folder / "built", people)
            print(f"built {people:,} people in {time.perf_counter() - start:.0f} s")
            if keep is not None:
                shutil.copyfile(built.database, keep)
        size = built.database.stat().st_size / 1e6
        with sqlite3.connect(built.database) as db:
            counts = {
                t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("persons", "profile", "update_journal", "outbox", "audit_log")
            }
        db.close()
        print(f"database: {size:,.0f} MB, " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
        later = NOW + timedelta(hours=1)  # when the 1 % is past the retention period

        # start-up: first on the file as built (the migrations this version adds run then),
        # then an hour later, with 1 % of the people due for the purge
        (folder / "start").mkdir()
        copy = fresh_copy(built, folder / "start")
        start = time.perf_counter()
        relais = await open_relais(copy, clock=lambda: NOW)
        seconds = time.perf_counter() - start
        await relais.close()
        print(f"first start-up of this version on the file (nothing to purge): {seconds:.2f} s")
        due = past_retention(copy.database, later)
        start = time.perf_counter()
        relais = await open_relais(copy, clock=lambda: later)
        seconds = time.perf_counter() - start
        await relais.close()
        left = past_retention(copy.database, later)
        print(
            f"start-up with {due:,} people past retention: {seconds:.2f} s"
            f" ({due - left:,} erased during it, {left:,} left to the scheduler's first run)"
        )

        print(
            f"notices read per update ({CHANNEL}, nothing due): "
            + median_ms(await notices_per_update(copy))
        )

        # the purge as the hourly sweep runs it: 1 % just past the retention period
        (folder / "purge").mkdir()
        copy = fresh_copy(built, folder / "purge")
        relais = await open_relais(copy, clock=lambda: NOW)
        start = time.perf_counter()
        purged = await relais.purge(later)
        seconds = time.perf_counter() - start
        await relais.close()
        print(f"retention purge: {purged:,} people in {seconds:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=int, nargs="?", default=100_000)
    parser.add_argument("--keep", type=Path, help="save (or reuse) the built database here")
    args = parser.parse_args()
    asyncio.run(main(args.people, args.keep))
