"""Matching an offer against known people of a centre, on a real SQLite file: who fits, who
nearly fits and why, and who is never matched (no consent, stopped offers, another centre,
volunteers, already sent)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.core.domain import State
from bot.offers import matching
from bot.offers.domain import Offer, OfferDetails
from bot.service import Relais
from bot.testing.offer_crowd import CLEANING

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
CLEANER = CLEANING
# Fatou: cleaning now, lives in Montreuil, free early and in the evening, a little French
FATOU = {
    "job_now": ["cleaning", "childcare"],
    "sectors_wanted": ["personal_care"],
    "postcode": "93100",
    "travel_time": "30_min",
    "hours_available": ["early", "morning", "evening"],
    "days_available": "weekdays",
    "french_speaking": "a_little",
    "driving_licence": "none",
    "has_worked": True,
    "experiences": [{"exp_title": "femme de ménage", "exp_sector": "cleaning"}],
}


async def person(
    relais: Relais,
    name: str,
    profile: dict[str, Any],
    centre: str = "default",
    consent: bool = True,
    checked: bool = False,
) -> int:
    async with relais.storage.transaction() as tx:
        state = await tx.load_state("test", name)
        state.person.consent = consent
        state.person.centre = centre
        await tx.save_state(State(state.person, state.session, dict(profile)))
        assert state.person.id is not None
        if checked:
            await tx._execute(
                "INSERT INTO followup (person_id, cv_status, searching, updated_at)"
                " VALUES (?, 'checked', 1, '')",
                (state.person.id,),
            )
        return state.person.id


async def offer(relais: Relais, details: OfferDetails = CLEANER) -> Offer:
    async with relais.storage.transaction() as tx:
        added = await tx.add_offer("default", details, None)
        assert await tx.set_offer_state(added.id, "vetted", None)
        found = await tx.offer(added.id)
        assert found is not None
        return found


async def candidates(relais: Relais, job: Offer) -> dict[int, tuple[bool, list[str]]]:
    async with relais.storage.reading() as reads:
        found = await reads.offer_candidates(job, near=True)
    return {c.person_id: (c.matches, matching.missed(c.misses)) for c in found}


async def test_fatou_fits_the_cleaning_job_at_her_door(relais: Relais) -> None:
    fatou = await person(relais, "fatou", FATOU, checked=True)
    job = await offer(relais)
    assert await candidates(relais, job) == {fatou: (True, [])}
    async with relais.storage.reading() as reads:
        (found,) = await reads.offer_candidates(job)
        counts = await reads.offer_match_counts(job)
    assert found.proposable
    assert (counts.matches, counts.proposable, counts.near) == (1, 1, 0)
    assert [r.criterion for r in matching.reasons(job.details, found) if r.met] == [
        "sector",
        "distance",
        "hours",
        "french",
    ]


async def test_each_missed_criterion_is_a_near_miss_with_its_reason(relais: Relais) -> None:
    far = await person(relais, "far", {**FATOU, "postcode": "13001"})  # Marseille
    evening = await person(relais, "day", {**FATOU, "hours_available": ["morning"]})
    weekend = await person(relais, "weekend", {**FATOU, "days_available": "weekend"})
    no_french = await person(relais, "nofrench", {**FATOU, "french_speaking": "not_yet"})
    other_job = await person(
        relais, "cook", {**FATOU, "job_now": ["catering"], "sectors_wanted": []}
    )
    neighbour = await person(
        relais, "paris", {**FATOU, "postcode": "75011", "travel_time": "1_hour"}
    )
    two = await person(relais, "two", {**FATOU, "postcode": "13001", "french_speaking": "not_yet"})
    job = await offer(relais)
    found = await candidates(relais, job)
    assert found == {
        far: (False, ["distance"]),
        evening: (False, ["hours"]),
        weekend: (False, ["hours"]),
        no_french: (False, ["french"]),
        other_job: (False, ["sector"]),
        neighbour: (True, []),  # Paris borders Seine-Saint-Denis, an hour is enough
    }
    assert two not in found  # two misses: neither a match nor a near miss


async def test_half_an_hour_reaches_across_the_border_and_a_quarter_stays_home(
    relais: Relais,
) -> None:
    fatou = await person(relais, "fatou", FATOU)  # Montreuil, 30 minutes
    near = await person(relais, "near", {**FATOU, "travel_time": "15_min"})
    job = await offer(relais, _with(town="Paris", postcode="75020"))
    assert await candidates(relais, job) == {fatou: (True, []), near: (False, ["distance"])}


async def test_licence_and_experience_when_the_offer_asks_them(relais: Relais) -> None:
    fatou = await person(relais, "fatou", FATOU)
    driver = await person(
        relais, "driver", {**FATOU, "driving_licence": "b", "has_worked": False, "experiences": []}
    )
    job = await offer(relais, _with(licence=True, experience="sector"))
    assert await candidates(relais, job) == {
        fatou: (False, ["licence"]),
        driver: (False, ["experience"]),
    }


async def test_nobody_who_may_not_receive_it_is_matched(relais: Relais) -> None:
    await person(relais, "refused", FATOU, consent=False)
    await person(relais, "elsewhere", FATOU, centre="lyon")
    stopped = await person(relais, "stopped", FATOU)
    volunteer = await person(relais, "volunteer", FATOU)
    async with relais.storage.transaction() as tx:
        await tx._execute(
            "INSERT INTO offer_choices (person_id, receive, updated_at) VALUES (?, 0, '')",
            (stopped,),
        )
        await tx._execute(
            "INSERT OR IGNORE INTO centres (id, name, source) VALUES ('default', 'C', 'config')"
        )
        await tx._execute(
            "INSERT INTO roles (person_id, centre, role, granted_at)"
            " VALUES (?, 'default', 'volunteer', '')",
            (volunteer,),
        )
    job = await offer(relais)
    assert await candidates(relais, job) == {}


async def test_a_broadcast_queues_each_person_once_whatever_happens_after(relais: Relais) -> None:
    fatou = await person(relais, "fatou", FATOU, checked=True)
    unchecked = await person(relais, "unchecked", FATOU)
    job = await offer(relais)
    async with relais.storage.transaction() as tx:
        first = await tx.queue_broadcast(job, None, False, NOW, NOW + timedelta(days=30))
        again = await tx.queue_broadcast(job, None, True, NOW, NOW + timedelta(days=30))
        third = await tx.queue_broadcast(job, None, True, NOW, NOW + timedelta(days=30))
        rows = await tx._fetchall(
            "SELECT person_id, dedupe_key, priority FROM started_messages ORDER BY person_id"
        )
    assert (first.total, again.total, third.total) == (1, 1, 0)
    assert [(r["person_id"], r["dedupe_key"], r["priority"]) for r in rows] == [
        (fatou, f"offer:{job.id}:{fatou}", 2),
        (unchecked, f"offer:{job.id}:{unchecked}", 2),
    ]


async def test_answers_that_change_update_the_index_and_erasure_takes_it(relais: Relais) -> None:
    fatou = await person(relais, "fatou", FATOU)
    job = await offer(relais)
    assert fatou in await candidates(relais, job)
    async with relais.storage.transaction() as tx:
        await tx.set_answers(fatou, {"job_now": ["building"], "sectors_wanted": None})
    assert await candidates(relais, job) == {fatou: (False, ["sector"])}
    async with relais.storage.transaction() as tx:
        await tx.set_answers(fatou, {"job_now": None})
        row = await tx._fetchone("SELECT 1 FROM offer_profiles WHERE person_id = ?", (fatou,))
    assert row is None  # no sector said: nothing to match


def _with(**changes: Any) -> OfferDetails:
    from dataclasses import replace

    return replace(CLEANER, **changes)


async def test_people_who_answered_before_offers_existed_are_indexed_at_start(
    tmp_path: Path,
) -> None:
    from bot.storage.database import MIGRATIONS_DIR, Storage

    before = tmp_path / "before"
    before.mkdir()
    for sql in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if int(sql.name[:3]) < 16:
            shutil.copy(sql, before / sql.name)
    path = tmp_path / "relais.sqlite3"
    store = await Storage.open(path, migrations_dir=before, clock=lambda: NOW)
    async with store.transaction() as tx:  # the answers as an older Relais wrote them
        # a person row as the older Relais wrote it (today's load_state reads newer tables)
        fatou = (
            await tx._fetchone(
                "INSERT INTO persons (channel, external_id, created_at, last_seen_at)"
                " VALUES ('test', ?, '', '') RETURNING id",
                ("fatou",),
            )
        )["id"]
        for key, value in FATOU.items():
            await tx._execute(
                "INSERT INTO profile (person_id, key, value, updated_at) VALUES (?, ?, ?, '')",
                (fatou, key, json.dumps(value)),
            )
    await store.close()
    store = await Storage.open(path, clock=lambda: NOW)  # migration 016, then the index
    async with store.reading() as reads:
        rows = await reads._fetchall("SELECT person_id, departement, reach FROM offer_profiles")
        todo = await reads._fetchall("SELECT * FROM offer_profiles_todo")
    await store.close()
    assert [tuple(r) for r in rows] == [(fatou, "93", 2)]
    assert todo == []
