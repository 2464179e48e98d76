"""Generates a realistic Relais database of N people for the benchmarks, and caches it.

Run by hand: `python bench/generate_people.py [--people 100000]` (bench/bench_scale.py calls
it for each size it needs). Everything goes through Relais's own engine and storage, with a
clock the generator moves (the people's history spans three years before the tests' moment,
23 November 2026):

- 10 centres; an admin (named in the configuration) invites a coordinator for each with
  `/invite <centre> coordinator`, each coordinator invites two volunteers with `/invite` (one
  centre has a third), and each of these 31 people joins by sending the code and a first name:
  real conversations through the engine, as on a phone. An 11th centre opened last week and
  its team has not joined yet (0.5 % of the people chose it; the admins take their requests),
  as happens whenever a deployment grows: every event then also looks the admins up.
- A handful of people (bench/personas.py) do the whole self-assessment through the engine and
  the real flows. N people are then written like them through the storage API
  (`Tx.load_state` / `Tx.save_state`), 1,000 to a transaction, with varied first names,
  postcodes, e-mails, jobs and a share of their answers taken from another persona.
- Their follow-up (the self-assessment done, a CV to check or checked, active search, a first
  contact), outcomes (8 %), help requests (5 %, most taken by a volunteer), N/2 audit lines
  (volunteers reading pages, CVs and phones), a week of handled updates (N) and sent outbox rows
  (2 N), all through the storage API.
- 1 % of the people were last seen beyond the retention period (730 days): the first process
  started at the tests' moment has them to erase. The others were last seen in the last 690
  days (none is due for the erasure warning, which would write to chats the emulator lacks).

The result is cached under /tmp/relais-bench (RELAIS_BENCH_CACHE) by N, the generator's
VERSION and the database migrations of the code running it; a database generated with fewer
migrations is copied and migrated instead of generated again.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from personas import PERSONAS  # noqa: E402

from bot.config import Settings, load_settings  # noqa: E402
from bot.core.domain import Session, State  # noqa: E402
from bot.service import Relais, open_relais  # noqa: E402
from bot.storage.database import (  # noqa: E402
    MIGRATIONS_DIR,
    InlineWriter,
    Storage,
    Tx,
    find_migrations,
)
from bot.storage.queries import to_text  # noqa: E402
from bot.testing.conversation import Conversation  # noqa: E402
from bot.testing.moment import NOW, Hands  # noqa: E402

VERSION = 2  # change it when what is generated changes: the caches are then made again
CACHE = Path(os.environ.get("RELAIS_BENCH_CACHE", "/tmp/relais-bench"))
SEED = 11
CHANNEL = "telegram"

CENTRES = (
    ("paris11", "Paris 11e"),
    ("paris18", "Paris 18e"),
    ("saintdenis", "Saint-Denis"),
    ("lyon", "Lyon Part-Dieu"),
    ("marseille", "Marseille 3e"),
    ("lille", "Lille Fives"),
    ("toulouse", "Toulouse Mirail"),
    ("nantes", "Nantes Nord"),
    ("strasbourg", "Strasbourg Neudorf"),
    ("montpellier", "Montpellier Mosson"),
)
# opened last week: its team has not joined yet (its help requests go to the admins), as
# happens whenever a deployment grows; a few people already chose it
NEW_CENTRE = ("rouen", "Rouen Sud")
NEW_CENTRE_SHARE = 0.005
ADMIN = "1000"  # a Telegram user id, named in [general] admins
TEAM_FIRST_ID = 2000  # the coordinators' and volunteers' Telegram ids from here
PEOPLE_FIRST_ID = 10_000_000  # the beneficiaries' Telegram ids from here
RETENTION_DAYS = Settings().retention_days
PAST_RETENTION = 0.01  # the share of people last seen beyond the retention period
ACTING = 400  # people (active, in French) the benchmark makes act, listed in meta.json
PEOPLE_PER_TX = 1000
ROWS_PER_TX = 10_000

FIRST_NAMES = [
    "Amina",
    "Fatou",
    "Aïcha",
    "Mariam",
    "Khadija",
    "Sara",
    "Leïla",
    "Nadia",
    "Yasmine",
    "Inès",
    "Olena",
    "Iryna",
    "Oksana",
    "Natalia",
    "Svitlana",
    "Maria",
    "Ana",
    "Elena",
    "Sofia",
    "Julie",
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Aminata",
    "Binta",
    "Awa",
    "Kadiatou",
    "Rokia",
    "Mohamed",
    "Ahmed",
    "Youssef",
    "Karim",
    "Bilal",
    "Mamadou",
    "Moussa",
    "Ibrahim",
    "Oumar",
    "Sékou",
    "Oleksandr",
    "Andriy",
    "Dmytro",
    "Serhiy",
    "Taras",
    "Yanis",
    "Kevin",
    "Lucas",
    "Hugo",
    "Nathan",
    "Thomas",
    "Rayan",
    "Adam",
    "Samuel",
    "Jean",
    "Pierre",
    "Jacques",
    "Ali",
    "Omar",
    "Hassan",
    "Tariq",
    "Arben",
    "Gjergj",
    "Nino",
    "Giorgi",
    "Tamar",
    "Zainab",
    "Hawa",
    "Precious",
    "Blessing",
    "John",
    "Daniel",
    "Joseph",
    "Emmanuel",
    "Grace",
    "Mercy",
    "Ravi",
    "Priya",
    "Anjali",
    "Lin",
    "Wei",
    "Mei",
    "Thi",
    "Huong",
    "Minh",
]
JOB_TITLES = (
    "vendeuse",
    "caissier",
    "aide-soignante",
    "agent d'entretien",
    "plongeur",
    "commis de cuisine",
    "maçon",
    "peintre en bâtiment",
    "chauffeur livreur",
    "magasinier",
    "couturière",
    "garde d'enfants",
    "serveur",
    "électricien",
    "ingénieur",
    "comptable",
    "secrétaire",
    "infirmière",
    "cariste",
    "agent de sécurité",
)
POSTCODES = [
    "75011",
    "75018",
    "75019",
    "75020",
    "93200",
    "93300",
    "93000",
    "94200",
    "95100",
    "69003",
    "69008",
    "13003",
    "13015",
    "59000",
    "31100",
    "44300",
    "67100",
    "34080",
    "92230",
    "91000",
]
# answers that stand alone (no other question depends on them): taken from another persona
SWAPPABLE = (
    "french_speaking",
    "french_reading",
    "french_writing",
    "smartphone",
    "job_sites",
    "income_urgency",
    "france_travail",
    "travel_time",
    "days_available",
    "hours_available",
    "job_now",
    "sectors_wanted",
    "has_cv",
)
OUTCOMES = (("job", 6), ("training", 2), ("french_class", 2), ("stopped", 1), ("moved", 1))
CONTRACTS = ("cdi", "cdd", "interim", "iae", "unknown")
AUDITED = (("profile", 6), ("cv", 2), ("phone", 1), ("message", 1))


def config_text() -> str:
    """The configuration of the generated deployment (the benchmark runs Relais with it)."""
    lines = ["[general]", f'admins = ["{ADMIN}"]', ""]
    for ident, name in (*CENTRES, NEW_CENTRE):
        lines += ["[[centres]]", f'id = "{ident}"', f'name = "{name}"', ""]
    return "\n".join(lines)


# -- the cache ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    """A generated database in the cache (never changed once there: copy it to use it)."""

    folder: Path
    meta: dict[str, Any]

    @property
    def database(self) -> Path:
        return self.folder / "relais.sqlite3"

    @property
    def config(self) -> Path:
        return self.folder / "relais.toml"


def migrations_here() -> list[list[Any]]:
    """[version, name, content hash] of every migration of the code running now."""
    return [
        [m.version, m.name, hashlib.sha256(m.path.read_bytes()).hexdigest()[:16]]
        for m in find_migrations(MIGRATIONS_DIR)
    ]


def cache_key(people: int, migrations: list[list[Any]]) -> str:
    schema = hashlib.sha256(json.dumps(migrations).encode()).hexdigest()[:10]
    return f"people-{people}-v{VERSION}-{schema}"


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    # several benchmarks (other worktrees) may ask for the same database at once
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read(folder: Path) -> Generated | None:
    meta_path = folder / "meta.json"
    if not meta_path.exists():
        return None
    return Generated(folder, json.loads(meta_path.read_text(encoding="utf-8")))


def ensure(people: int, say: Any = print) -> Generated:
    """The cached database of `people` people for this code's migrations: made if missing
    (migrated from one made with fewer migrations when there is one, else generated)."""
    migrations = migrations_here()
    folder = CACHE / cache_key(people, migrations)
    with _locked():
        found = _read(folder)
        if found is not None:
            return found
        base = _migratable(people, migrations)
        work = CACHE / f".work-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        started = time.perf_counter()
        if base is not None:
            say(f"migrating the cached database of {people:,} people ({base.folder.name})")
            shutil.copyfile(base.database, work / "relais.sqlite3")
            shutil.copyfile(base.config, work / "relais.toml")
            asyncio.run(_migrate(work / "relais.sqlite3"))
            meta = dict(base.meta, migrations=migrations, migrated_from=base.folder.name)
        else:
            say(f"generating a database of {people:,} people (once; cached in {CACHE})")
            meta = asyncio.run(generate(people, work, say))
        meta["made_in_seconds"] = round(time.perf_counter() - started, 1)
        (work / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        work.rename(folder)
        say(f"  done in {meta['made_in_seconds']:.1f} s: {folder}")
        return Generated(folder, meta)


def _migratable(people: int, migrations: list[list[Any]]) -> Generated | None:
    """A cached database of this size and version whose migrations all are among ours."""
    ours = {tuple(m) for m in migrations}
    for folder in sorted(CACHE.glob(f"people-{people}-v{VERSION}-*")):
        found = _read(folder)
        if found is not None and {tuple(m) for m in found.meta["migrations"]} <= ours:
            return found
    return None


async def _migrate(database: Path) -> None:
    storage = await Storage.open(database, clock=lambda: NOW)
    await storage.close()


# -- generation -----------------------------------------------------------------------------


@dataclass
class Persona:
    """One person's state after the whole self-assessment, played through the engine."""

    name: str
    weight: int
    state: State


async def play_personas(folder: Path, settings: Settings) -> list[Persona]:
    """Each persona's script through the real engine, on a scratch database."""
    scratch = load_settings(
        settings.config_file, env={"RELAIS_DATABASE": str(folder / "personas.sqlite3")}
    )
    relais = await open_relais(scratch, clock=lambda: NOW)
    found = []
    try:
        for number, (name, script, weight) in enumerate(PERSONAS):
            user = f"persona-{number}"
            await Conversation(relais, user=user, channel=CHANNEL).play(
                script.replace("{centre}", CENTRES[0][1])
            )
            async with relais.storage.transaction() as tx:
                state = await tx.load_state(CHANNEL, user)
            assert not state.session.stack, f"{name} did not finish the self-assessment"
            found.append(Persona(name, weight, state))
    finally:
        await relais.close()
    for path in folder.glob("personas.sqlite3*"):
        path.unlink()
    return found


async def make_team(relais: Relais) -> dict[str, list[int]]:
    """The admin invites a coordinator per centre, each coordinator two volunteers (one
    three): every one of them joins with the code, as on a phone. Person ids by centre."""
    admin = Conversation(relais, user=ADMIN, channel=CHANNEL)
    await admin.play("> /start\n> [Français]\n< Quel est votre prénom ?\n> Claire")
    next_id = TEAM_FIRST_ID
    names = iter(FIRST_NAMES[1::2])
    team: dict[str, list[int]] = {}
    for number, (centre, _) in enumerate(CENTRES):
        coordinator = str(next_id)
        next_id += 1
        code = _code(await admin.type(f"/invite {centre} coordinator"))
        await _join(relais, coordinator, code, next(names))
        lead = Conversation(relais, user=coordinator, channel=CHANNEL)
        members = [coordinator]
        for _ in range(3 if number == 0 else 2):
            volunteer = str(next_id)
            next_id += 1
            await _join(relais, volunteer, _code(await lead.type("/invite")), next(names))
            members.append(volunteer)
        async with relais.storage.transaction() as tx:
            found = await tx.persons_by_external_ids(members)
        team[centre] = [p.id for p in found if p.id is not None]
    async with relais.storage.transaction() as tx:
        admins = await tx.persons_by_external_ids([ADMIN])
    # the admins take care of the new centre's people until its team joins
    team[NEW_CENTRE[0]] = [p.id for p in admins if p.id is not None]
    return team


def _code(text: str) -> str:
    match = re.search(r"RELAIS-[A-Z0-9]{4}-[A-Z0-9]{4}", text)
    assert match is not None, f"no invitation code in {text!r}"
    return match.group(0)


async def _join(relais: Relais, user: str, code: str, name: str) -> None:
    await Conversation(relais, user=user, channel=CHANNEL).play(
        f"> /start {code}\n< Bienvenue dans l'équipe\n> [Français]\n> {name}\n< Merci, {name}"
    )


@dataclass
class Spec:
    """What one generated person is like."""

    index: int
    persona: Persona
    centre: str
    created: datetime
    last_seen: datetime


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _profile(rng: random.Random, spec: Spec, personas: list[Persona]) -> dict[str, Any]:
    profile = json.loads(json.dumps(spec.persona.state.profile))  # a deep copy
    name = rng.choice(FIRST_NAMES)
    profile["first_name"] = name
    for key in SWAPPABLE:
        other = rng.choice(personas).state.profile
        if key in profile and key in other and rng.random() < 0.5:
            profile[key] = json.loads(json.dumps(other[key]))
    if "postcode" in profile:
        profile["postcode"] = rng.choice(POSTCODES)
    if "email" in profile:
        profile["email"] = f"{name.lower()}.{spec.index}@example.org"
    for experience in profile.get("experiences", []):
        experience["exp_title"] = rng.choice(JOB_TITLES)
    return profile


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


async def write_person(
    tx: Tx,
    hands: Hands,
    rng: random.Random,
    spec: Spec,
    personas: list[Persona],
    team: dict[str, list[int]],
    counts: dict[str, int],
) -> None:
    """One person, as the engine leaves someone who did the whole self-assessment, with their
    follow-up, outcomes, help requests and the audit lines about them."""
    external = str(PEOPLE_FIRST_ID + spec.index)
    hands.now = spec.created
    state = await tx.load_state(CHANNEL, external)  # their first message
    person = state.person
    assert person.id is not None
    model = spec.persona.state.person
    person.locale = model.locale
    person.consent = True
    person.consent_version = model.consent_version
    person.consent_at = spec.created
    person.centre = spec.centre
    session = Session.from_json(spec.persona.state.session.to_json())
    await tx.save_state(State(person, session, _profile(rng, spec, personas)))
    volunteers = team[spec.centre]
    done = spec.created + timedelta(minutes=rng.randint(8, 25))
    followup: dict[str, Any] = {"assessment_done_at": to_text(done)}
    if rng.random() < 0.35:
        cv_done = _between(rng, done, spec.last_seen)
        followup.update(cv_status="to_check", cv_done_at=to_text(cv_done))
        if rng.random() < 0.6:
            followup.update(
                cv_status="checked",
                cv_checked_by=rng.choice(volunteers),
                cv_checked_at=to_text(_between(rng, cv_done, spec.last_seen)),
                searching=int(rng.random() < 0.6),
            )
    if rng.random() < 0.3:
        followup["first_contact_at"] = to_text(_between(rng, done, spec.last_seen))
    hands.now = done
    await tx.update_followup(person.id, **followup)
    if rng.random() < 0.05:
        hands.now = _between(rng, done, spec.last_seen)
        request = await tx.open_help_request(person.id, spec.centre)
        counts["help_requests"] += 1
        if request is not None and rng.random() < 0.7:
            hands.now = min(spec.last_seen, hands.now + timedelta(hours=rng.randint(1, 48)))
            await tx.take_help_request(request, rng.choice(volunteers))
    if rng.random() < 0.08:
        kind = _weighted(rng, OUTCOMES)
        hands.now = _between(rng, done, spec.last_seen)
        reported = kind == "job" and rng.random() < 0.3  # told by the person, to confirm
        await tx.add_outcome(
            person.id,
            spec.centre,
            kind,
            rng.choice(CONTRACTS) if kind == "job" else None,
            hands.now.date(),
            None if reported else rng.choice(volunteers),
            not reported or rng.random() < 0.5,
        )
        counts["outcomes"] += 1
    for _ in range(rng.choices((0, 1, 2), weights=(6, 3, 1))[0]):
        hands.now = _between(rng, done, spec.last_seen)
        await tx.audit(rng.choice(volunteers), person.id, _weighted(rng, AUDITED))
        counts["audit"] += 1
    hands.now = spec.last_seen
    await tx.load_state(CHANNEL, external)  # their last message so far


async def write_week(tx_of: Any, hands: Hands, rng: random.Random, people: int) -> int:
    """A week of handled updates (one per person) and sent replies (two per update); the
    highest update_id used."""
    start = NOW - timedelta(days=7)
    step = (timedelta(days=7) - timedelta(minutes=10)) / max(people, 1)
    for first in range(0, people, ROWS_PER_TX):
        async with tx_of() as tx:
            for update_id in range(first + 1, min(first + ROWS_PER_TX, people) + 1):
                hands.now = start + step * update_id
                sender = str(PEOPLE_FIRST_ID + rng.randrange(people))
                message = {
                    "message_id": update_id,
                    "from": {"id": int(sender), "is_bot": False},
                    "chat": {"id": int(sender), "type": "private"},
                    "date": int(hands.now.timestamp()),
                    "text": "/menu",
                }
                await tx.journal_update(
                    update_id, {"update_id": update_id, "message": message}, sender
                )
                hands.now += timedelta(milliseconds=rng.randint(20, 80))
                await tx.mark_update_handled(update_id)
                for _ in range(2):
                    row = await tx.enqueue(sender, "sendMessage", {"text": "…"})
                    hands.now += timedelta(milliseconds=rng.randint(5, 40))
                    await tx.mark_sent(row, {"message_id": update_id})
    return people


class _Bulk:
    """`Tx`, the storage API, on a plain sqlite3 connection: the same SQL, with neither the
    storage's lock nor its durable commits. Not durable (synchronous=OFF): a generation cut
    short is thrown away and made again."""

    def __init__(self, database: Path, clock: Hands) -> None:
        self.conn = sqlite3.connect(database, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.clock = clock

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            # the statements run as Relais runs them, on this thread (InlineWriter)
            yield Tx(InlineWriter(self.conn), self.clock)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()


async def generate(people: int, folder: Path, say: Any = print) -> dict[str, Any]:
    """Generate the database of `people` people in `folder`; what the benchmark needs to know
    about it (meta.json)."""
    started = time.perf_counter()
    (folder / "relais.toml").write_text(config_text(), encoding="utf-8")
    settings = load_settings(
        folder / "relais.toml", env={"RELAIS_DATABASE": str(folder / "relais.sqlite3")}
    )
    personas = await play_personas(folder, settings)
    say(f"  {len(personas)} personas played through the engine")
    rng = random.Random(SEED)
    origin = NOW - timedelta(days=1000)
    hands = Hands(origin)
    relais = await open_relais(settings, clock=hands)
    try:
        team = await make_team(relais)
        volunteers = sum(len(team[c]) for c, _ in CENTRES)
        say(f"  {volunteers} volunteers joined with invitation codes")
        retention = timedelta(days=RETENTION_DAYS)
        past = set(rng.sample(range(people), round(people * PAST_RETENTION)))
        weights = [p.weight for p in personas]
        counts = {"help_requests": 0, "outcomes": 0, "audit": 0}
        acting: list[str] = []
        bulk = _Bulk(folder / "relais.sqlite3", hands)
        for first in range(0, people, PEOPLE_PER_TX):
            async with bulk.transaction() as tx:
                for index in range(first, min(first + PEOPLE_PER_TX, people)):
                    persona = rng.choices(personas, weights=weights)[0]
                    if index in past:  # silent beyond the retention period: to be erased
                        last_seen = _between(
                            rng,
                            NOW - retention - timedelta(days=170),
                            NOW - retention - timedelta(days=1),
                        )
                    else:  # before the erasure warnings (30 days ahead) begin
                        last_seen = _between(
                            rng, NOW - timedelta(days=690), NOW - timedelta(hours=1)
                        )
                    created = max(origin, last_seen - timedelta(days=rng.uniform(0, 300)))
                    centre = rng.choice(CENTRES)[0]
                    if rng.random() < NEW_CENTRE_SHARE and index not in past:
                        centre = NEW_CENTRE[0]
                        created = max(created, NOW - timedelta(days=7))
                        last_seen = max(last_seen, created)
                    spec = Spec(index, persona, centre, created, last_seen)
                    await write_person(tx, hands, rng, spec, personas, team, counts)
                    french = persona.state.person.locale == "fr"
                    if index not in past and french and len(acting) < ACTING:
                        acting.append(str(PEOPLE_FIRST_ID + index))
            if (first // PEOPLE_PER_TX) % 10 == 9:
                rate = (first + PEOPLE_PER_TX) / (time.perf_counter() - started)
                say(f"  {first + PEOPLE_PER_TX:,} people written ({rate:.0f} a second)")
        last_update = await write_week(bulk.transaction, hands, rng, people)
        bulk.close()
        # the team used Relais lately (the retention purge erases silent volunteers too)
        hands.now = NOW - timedelta(hours=2)
        for user in [ADMIN, *(str(i) for i in range(TEAM_FIRST_ID, TEAM_FIRST_ID + 31))]:
            await Conversation(relais, user=user, channel=CHANNEL).type("/menu")
    finally:
        await relais.close()
    rows = _counts(folder / "relais.sqlite3")
    cutoff = NOW - timedelta(days=RETENTION_DAYS)
    return {
        "version": VERSION,
        "people": people,
        "seed": SEED,
        "now": NOW.isoformat(),
        "retention_days": RETENTION_DAYS,
        "cutoff": to_text(cutoff),
        "past_retention": len(past),
        "admin": ADMIN,
        "team": volunteers,
        "acting": acting,
        "next_update_id": last_update + 1,
        "personas": [p.name for p in personas],
        "rows": rows,
        "generated": counts,
        "migrations": migrations_here(),
        "generated_in_seconds": round(time.perf_counter() - started, 1),
    }


def _counts(database: Path) -> dict[str, int]:
    tables = ("persons", "profile", "followup", "outcomes", "help_requests", "audit_log")
    tables += ("update_journal", "outbox", "roles", "invites")
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return {t: int(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    generated = ensure(args.people)
    meta = generated.meta
    print(f"{generated.database} ({generated.database.stat().st_size / 2**20:.0f} MiB)")
    print(f"made in {meta['made_in_seconds']} s; rows: {meta['rows']}")


if __name__ == "__main__":
    main()
