"""Benchmark: `/stats` at 100,000 people, and another person's reply while it is being read.

Run by hand: `python bench/bench_reads.py [people]` (default 100,000). The first run builds a
database in the system's temporary folder (`relais-bench-reads/<people>.sqlite3`, about a minute:
ten people play the whole self-assessment through the engine and storage, then SQL copies them
to `people` rows over 10 centres, with follow-up, outcomes, help requests and 50,000 audit
lines); later runs reuse it. It then runs the real runtime with the test channel
(bot/testing/test_channel.py) and prints, each the median of a few rounds:
- `/stats` of an admin alone, from journal to the reply on the person's screen;
- `/people` of an admin (first page, and the last page) alone;
- a beneficiary's `/menu` sent while the admin's `/stats` is read: how long their reply took,
  and whether it came before the figures.

This is a quick database for these reads; `bench/` gets the project's realistic generator and
the whole benchmark separately (issue 11).
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from personas import AMINA  # noqa: E402  (bench/ is the script's folder)

from bot.channels.protocol import PlannedCall  # noqa: E402
from bot.channels.runtime import Runtime  # noqa: E402
from bot.config import Settings, load_settings  # noqa: E402
from bot.desk.buttons import build as button_data  # noqa: E402
from bot.desk.domain import Filter  # noqa: E402
from bot.desk.people import PAGE_SIZE  # noqa: E402
from bot.service import Relais, open_relais  # noqa: E402
from bot.storage.database import to_text  # noqa: E402
from bot.testing.conversation import Conversation  # noqa: E402
from bot.testing.moment import NOW, fixed_clock  # noqa: E402
from bot.testing.test_channel import CHANNEL, ThreeButtonChannel  # noqa: E402

CENTRES = [(f"c{i}", f"Centre {chr(ord('A') + i)}") for i in range(10)]
ADMIN = "900000001"  # an admin is named by a Telegram id in the configuration
OTHER = "t0"  # a beneficiary who did the whole self-assessment
ROUNDS = 5
# onboarding and the whole self-assessment (bench/personas.py)
WHOLE = AMINA.replace("{centre}", "CENTRE")
_second = timedelta(seconds=1)


def settings_for(folder: Path, database: Path) -> Settings:
    centres = "\n".join(f'[[centres]]\nid = "{c}"\nname = "{name}"\n' for c, name in CENTRES)
    config = folder / "relais.toml"
    config.write_text(
        f'[general]\nlanguages = ["fr", "en"]\nadmins = ["{ADMIN}"]\n\n{centres}', encoding="utf-8"
    )
    return load_settings(config, env={"RELAIS_DATABASE": str(database)})


async def play_templates(relais: Relais) -> None:
    """One person per centre through the whole self-assessment, through engine and storage."""
    for index, (_, name) in enumerate(CENTRES):
        await Conversation(relais, f"t{index}", CHANNEL).play(WHOLE.replace("CENTRE", name))
    await Conversation(relais, ADMIN, CHANNEL).play("> /menu")


def copy_people(database: Path, people: int) -> None:
    """The ten templates copied to `people` rows with SQL, dates spread over two years."""
    rnd = random.Random(11)
    con = sqlite3.connect(database)
    con.execute("PRAGMA synchronous=OFF")
    templates = {
        int(r[0][1:]): r[1]
        for r in con.execute("SELECT external_id, id FROM persons WHERE external_id LIKE 't%'")
    }
    base = con.execute("SELECT MAX(id) FROM persons").fetchone()[0] + 1
    session, version = con.execute(
        "SELECT session, consent_version FROM persons WHERE id = ?", (templates[0],)
    ).fetchone()
    rows, follow, outcomes, helps = [], [], [], []
    for n in range(people - len(templates)):
        pid = base + n
        created = NOW - (730 * 86400 * rnd.random()) * _second
        last = created + (NOW - created) * rnd.random()
        centre = CENTRES[n % len(CENTRES)][0]
        rows.append(
            (pid, CHANNEL, f"p{n}", "fr", 1, centre, session, to_text(created), to_text(last))
        )
        status = rnd.choice(["none"] * 6 + ["to_check", "checked", "checked", "to_fix"])
        follow.append((pid, status, to_text(created), rnd.random() < 0.3, to_text(last)))
        if rnd.random() < 0.07:
            day = (last - 30 * 86400 * rnd.random() * _second).date().isoformat()
            kind = rnd.choice(["job", "job", "job", "training", "french_class"])
            contract = rnd.choice(["cdi", "cdd", "interim", "iae"]) if kind == "job" else None
            outcomes.append((pid, centre, kind, contract, day, 1, to_text(last)))
        if rnd.random() < 0.03:
            taken = None if rnd.random() < 0.3 else to_text(last)
            helps.append((pid, centre, to_text(last), taken))
    con.executemany(
        "INSERT INTO persons (id, channel, external_id, locale, consent, centre, session,"
        " created_at, last_seen_at, consent_version, consent_at)"
        f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{version}', ?)",
        [(*r, r[7]) for r in rows],
    )
    con.execute("CREATE TEMP TABLE template (person_id INTEGER PRIMARY KEY, template INTEGER)")
    con.executemany(
        "INSERT INTO template VALUES (?, ?)",
        [(base + n, templates[n % len(templates)]) for n in range(people - len(templates))],
    )
    con.execute(
        "INSERT INTO profile (person_id, key, value, updated_at)"
        " SELECT t.person_id, p.key, p.value, p.updated_at FROM template t"
        " JOIN profile p ON p.person_id = t.template"
    )
    con.executemany(
        "INSERT INTO followup (person_id, cv_status, assessment_done_at, searching, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        follow,
    )
    con.executemany(
        "INSERT INTO outcomes (person_id, centre, kind, contract, happened_on, confirmed,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        outcomes,
    )
    con.executemany(
        "INSERT INTO help_requests (person_id, centre, created_at, taken_at) VALUES (?, ?, ?, ?)",
        helps,
    )
    # 31 volunteers: a coordinator and two volunteers per centre, one more at the first
    team = []
    for index in range(31):
        pid = base + people + index
        centre = CENTRES[index % len(CENTRES)][0]
        role = "coordinator" if index < len(CENTRES) else "volunteer"
        team.append((pid, centre, role))
        con.execute(
            "INSERT INTO persons (id, channel, external_id, locale, created_at, last_seen_at)"
            " VALUES (?, ?, ?, 'fr', ?, ?)",
            (pid, CHANNEL, f"v{index}", to_text(NOW), to_text(NOW)),
        )
    con.executemany(
        "INSERT INTO roles (person_id, centre, role, granted_at) VALUES (?, ?, ?, ?)",
        [(*t, to_text(NOW)) for t in team],
    )
    con.executemany(
        "INSERT INTO audit_log (actor_id, subject_id, action, at) VALUES (?, ?, ?, ?)",
        [
            (base + people + rnd.randrange(31), base + rnd.randrange(people - 10), "profile", at)
            for at in (to_text(NOW - 365 * 86400 * rnd.random() * _second) for _ in range(50_000))
        ],
    )
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("ANALYZE")
    con.close()


async def build(folder: Path, database: Path, people: int) -> None:
    relais = await open_relais(settings_for(folder, database), clock=fixed_clock)
    try:
        await play_templates(relais)
    finally:
        await relais.close()
    copy_people(database, people)


class TimedChannel(ThreeButtonChannel):
    """The test channel, noting when each chat received something."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, list[float]] = {}

    async def call(self, planned: PlannedCall) -> dict[str, Any] | None:
        result = await super().call(planned)
        self.arrived.setdefault(planned.chat, []).append(time.perf_counter())
        return result


async def until_arrived(channel: TimedChannel, chat: str, count: int) -> float:
    while len(channel.arrived.get(chat, ())) < count:
        await asyncio.sleep(0.001)
    return channel.arrived[chat][count - 1]


async def timed(runtime: Runtime, channel: TimedChannel, chat: str, text: str) -> float:
    """Seconds from journaling `text` of `chat` (a button's data after "press:") to its first
    reply on their screen."""
    before = len(channel.arrived.get(chat, ()))
    start = time.perf_counter()
    data = text.removeprefix("press:")
    payload = {"from": chat, "press": data} if data != text else {"from": chat, "text": text}
    await runtime.journal_next(chat, payload)
    return await until_arrived(channel, chat, before + 1) - start


async def measure(folder: Path, database: Path, people: int) -> None:
    relais = await open_relais(settings_for(folder, database), clock=fixed_clock)
    channel = TimedChannel()
    runtime = Runtime(relais, channel, fixed_clock, budgets=False)
    try:
        async with runtime.running():
            await timed(runtime, channel, ADMIN, "/menu")  # warm the page cache
            await timed(runtime, channel, OTHER, "/menu")
            alone = [await timed(runtime, channel, OTHER, "/menu") for _ in range(ROUNDS)]
            stats = [await timed(runtime, channel, ADMIN, "/stats") for _ in range(ROUNDS)]
            first = [await timed(runtime, channel, ADMIN, "/people") for _ in range(ROUNDS)]
            last_page = f"press:{button_data('l', Filter.ALL.value, people // PAGE_SIZE - 1)}"
            last = [await timed(runtime, channel, ADMIN, last_page) for _ in range(ROUNDS)]
            requests = [await timed(runtime, channel, ADMIN, "/requests") for _ in range(ROUNDS)]
            during, before_figures = [], 0
            for _ in range(ROUNDS):
                figures = asyncio.create_task(timed(runtime, channel, ADMIN, "/stats"))
                await asyncio.sleep(0.05)  # the figures are being read
                during.append(await timed(runtime, channel, OTHER, "/menu"))
                menu_at = channel.arrived[OTHER][-1]
                await figures
                before_figures += menu_at < channel.arrived[ADMIN][-1]
    finally:
        await relais.close()

    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f})"

    print(f"another person's /menu, idle bot: {ms(alone)}")
    print(f"/stats of an admin (10 centres and the total): {ms(stats)}")
    print(f"/people of an admin, first page: {ms(first)}")
    print(f"/people of an admin, last page ({people // PAGE_SIZE:,}): {ms(last)}")
    print(f"/requests of an admin: {ms(requests)}")
    print(f"another person's /menu sent while /stats is read: {ms(during)}")
    print(f"  answered before the figures: {before_figures} of {ROUNDS}")


async def main(people: int) -> None:
    folder = Path(tempfile.gettempdir()) / "relais-bench-reads"
    folder.mkdir(exist_ok=True)
    database = folder / f"{people}.sqlite3"
    if not database.exists():
        start = time.perf_counter()
        await build(folder, database, people)
        print(f"built {database} in {time.perf_counter() - start:.0f} s")
    print(f"{people:,} people, 10 centres, 31 volunteers, 50,000 audit lines")
    await measure(folder, database, people)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
