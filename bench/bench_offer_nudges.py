"""Benchmark: the beneficiary's side of job offers at 100,000 people (issue 13).

Run by hand: `python bench/bench_offer_nudges.py [people]`. Fills a real SQLite file with 10
centres, `people` beneficiaries (default 100,000) who each were sent 3 of the centres' 200
vetted offers (300,000 offer_sends rows): a third of the sends delivered and not answered, 10 %
"interested" eight days ago; then times:
- the weekly digest sweep on Monday from 10:00: the first run (reads every waiting person
  in pages of 500 and queues one digest each), and a later run the same day (nothing to do);
- the follow-up sweep (one batch of 500 "any news?" queued);
- delivering one person's offer (take_due: still_due, read, the weekly cap's hold, render),
  median and p95 over 30 people;
- the offers' funnel of /stats for every centre over a year (offers_stats), of one centre,
  and the whole of /stats for every centre (bot.desk.stats.compute, offers included).
Timings are wall-clock on a shared machine: compare runs made on the same machine.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.config import load_settings
from bot.desk import stats
from bot.offers import nudges
from bot.reach.delivery import take_due
from bot.service import open_relais
from bot.storage.queries import to_text
from bot.testing.moment import Hands

CENTRES = 10
OFFERS_PER_CENTRE = 20
RUNS = 30
# Monday 7 December 2026, 10:00 in Paris
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
CONFIG = "\n".join(f'[[centres]]\nid = "c{n}"\nname = "Centre {n}"\n' for n in range(CENTRES))


def fill(database: Path, people: int) -> None:
    """People, offers and what was sent, straight into the file (not measured)."""
    rng = random.Random(13)
    now, before = to_text(MONDAY), to_text(MONDAY - timedelta(days=8))
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO persons (id, channel, external_id, locale, consent, centre, created_at,"
            " last_seen_at) VALUES (?, 'test', ?, 'fr', 1, ?, ?, ?)",
            [(n, f"p{n}", f"c{n % CENTRES}", now, now) for n in range(1, people + 1)],
        )
        offers = []
        for centre in range(CENTRES):
            for k in range(OFFERS_PER_CENTRE):
                offers.append((centre * OFFERS_PER_CENTRE + k + 1, f"c{centre}"))
        db.executemany(
            "INSERT INTO offers (id, centre, title, employer, employer_kind, source, town,"
            " postcode, contract, time, sector, expires_on, state, vetted_at, created_at,"
            " updated_at) VALUES (?, ?, 'Agent d''entretien', 'Mairie', 'city_hall',"
            " 'city_hall', 'Montreuil', '93100', 'cdi', 'full', 'cleaning', '2026-12-31',"
            " 'vetted', ?, ?, ?)",
            [(number, centre, before, before, before) for number, centre in offers],
        )
        db.executemany(
            "INSERT INTO offer_broadcasts (id, offer_id, total, started_at) VALUES (?, ?, 0, ?)",
            [(number, number, before) for number, _ in offers],
        )
        sends = []
        for person in range(1, people + 1):
            centre = person % CENTRES
            for number in rng.sample(range(OFFERS_PER_CENTRE), 3):
                offer = centre * OFFERS_PER_CENTRE + number + 1
                draw = rng.random()
                answer = "interested" if draw < 0.1 else "" if draw < 0.43 else "declined"
                sends.append((offer, person, offer, before, answer, before if answer else None))
        db.executemany(
            "INSERT INTO offer_sends (offer_id, person_id, broadcast_id, proposable,"
            " delivered_at, answer, answered_at, created_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
            [(*s, s[3]) for s in sends],
        )
        # the offers themselves, delivered a week ago (dedupe keys kept), for the digest's
        # buttons
        db.executemany(
            "INSERT INTO started_messages (person_id, kind, params, priority, not_before,"
            " dedupe_key, token, state, created_at, sent_at) VALUES (?, 'offer', ?, 2, '', ?,"
            " 'abcdefabcdef', 'sent', ?, ?)",
            [
                (
                    s[1],
                    json.dumps({"offer": s[0], "version": 1}),
                    f"offer:{s[0]}:{s[1]}",
                    before,
                    before,
                )
                for s in sends
            ],
        )


def timed(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


async def main(people: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "relais.toml"
        config.write_text(CONFIG, encoding="utf-8")
        settings = load_settings(config, env={"RELAIS_DATABASE": f"{folder}/relais.sqlite3"})
        hands = Hands(MONDAY)
        relais = await open_relais(settings, clock=hands)
        await relais.close()
        start = time.perf_counter()
        fill(settings.database, people)
        print(
            f"filled {people:,} people, 3 offers sent each, in {time.perf_counter() - start:.1f} s"
        )
        relais = await open_relais(settings, clock=hands)
        try:
            start = time.perf_counter()
            queued = await nudges.digest_sweep(relais, hands.now)
            first = time.perf_counter() - start
            start = time.perf_counter()
            again = await nudges.digest_sweep(relais, hands.now + timedelta(minutes=10))
            later = time.perf_counter() - start
            print(f"digest sweep, Monday 10:00: {queued:,} digests queued in {first:.2f} s")
            print(f"digest sweep, the same day later: {again} queued in {later * 1000:.1f} ms")
            start = time.perf_counter()
            followed = await nudges.followup_sweep(relais, hands.now)
            print(
                f"follow-up sweep: {followed} queued in"
                f" {(time.perf_counter() - start) * 1000:.1f} ms (one batch)"
            )
            # one person's digest delivered: still_due, read, hold, render
            deliveries = []
            async with relais.storage.reading() as reads:
                rows = await reads._fetchall(  # who has a digest waiting
                    "SELECT person_id FROM started_messages WHERE kind = ? AND state = 'queued'"
                    " ORDER BY person_id LIMIT ?",
                    (nudges.DIGEST, RUNS),
                )
            for person in (int(r["person_id"]) for r in rows):
                start = time.perf_counter()
                async with relais.storage.transaction() as tx:
                    due = await take_due(tx, relais.catalogs, "test", hands.now, f"p{person}")
                deliveries.append(time.perf_counter() - start)
                assert due, person
            print(f"delivering one person's digest (take_due): {timed(deliveries)}")
            funnels = []
            centres = tuple(f"c{n}" for n in range(CENTRES))
            for _ in range(5):
                start = time.perf_counter()
                async with relais.storage.reading() as reads:
                    await reads.offers_stats(centres, date(2026, 1, 1), date(2026, 12, 31))
                funnels.append(time.perf_counter() - start)
            print(f"offers' funnel of /stats, {CENTRES} centres, a year: {timed(funnels)}")
            one = []
            for _ in range(5):
                start = time.perf_counter()
                async with relais.storage.reading() as reads:
                    await reads.offers_stats(("c0",), date(2026, 1, 1), date(2026, 12, 31))
                one.append(time.perf_counter() - start)
            print(f"offers' funnel of one centre: {timed(one)}")
            whole = []
            for _ in range(3):
                start = time.perf_counter()
                async with relais.storage.reading() as reads:
                    await stats.compute(reads, centres, date(2026, 1, 1), date(2026, 12, 31))
                whole.append(time.perf_counter() - start)
            print(f"/stats of every centre (all figures, offers included): {timed(whole)}")
        finally:
            await relais.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
