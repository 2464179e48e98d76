"""Benchmark: Relais at 1,000 and at 100,000 people, end to end, in one run (issue 11).

Run by hand: `python bench/bench_scale.py [--people 1000,100000] [--quick]`; or only the
throughput without the rate limiter beside the echo bot's, round after round on the smallest
size given (each round: Relais's /menu and presses, then the echo bot; the ratio of each round,
its min and median): `python bench/bench_scale.py --people 100000 --unlimited 5`. The databases
come from bench/generate_people.py (made once, then cached under /tmp/relais-bench). For each
size, a copy of the database is served by the real `relais run` process
(bot/testing/relais_process.py) against the tests' Bot API emulator
(bot/testing/telegram_emulator.py, ~0.5 ms a call), at the tests' moment (RELAIS_CLOCK), so
that the 1 % of people silent beyond the retention period are due for erasure when it starts.

What is measured, per size:
- start-up: from spawning the process to its first getUpdates, with 1 % of people due for the
  retention purge (first start), and with nothing due (second start, same database);
- the retention purge: a separate connection counts the people past retention every 10 ms;
  each lower count is a step of the purge committed. Its time adds up the steps seen one after
  the other; the first step began when a start-up with nothing due would have polled (if it
  came during start-up); a pause of over 2 s between steps (the purge waiting for a later
  sweep) counts as one typical step. Also printed: when nobody was left, from the spawn;
- meanwhile, 5 people send /menu again and again (0.2 s after each answer) from the spawn
  on: the latency of those sent during start-up, and of those sent after it while steps of the
  purge were seen;
- per-event latency on an idle bot, one person acting every 0.1 s after each answer: `/menu`,
  and a button press of the self-assessment (press → the next question is shown), and the
  process's CPU time for each;
- throughput, 50 people at once each waiting for their answer before the next action, with
  python-telegram-bot's rate limiter (first start) and without (second start,
  RELAIS_TELEGRAM_RATE_LIMIT=0): /menu (one Bot API call an update), and self-assessment
  presses (the people first open the self-assessment, untimed);
- `/stats` of the admin (every centre), a second after each, while 5 people send /menu
  (second start, no limiter): its time, and the latency of their replies sent while a /stats
  was being answered, and of the others;
- peak memory of the process (VmHWM of /proc/<pid>/status), the highest of the two starts.
Then a bare python-telegram-bot echo bot (bench/echo_bot.py) on the same emulator and machine,
with and without AIORateLimiter. Every target of the issue is printed next to its figure.
Timings are wall-clock on a shared machine: run it on a quiet one, and compare runs made on
the same machine.
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import itertools
import os
import queue
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_people  # noqa: E402
from personas import ASSESSMENT_PRESSES, MENU  # noqa: E402

import bot  # noqa: E402
from bot.testing.relais_process import RelaisProcess  # noqa: E402
from bot.testing.telegram_emulator import TelegramEmulator  # noqa: E402

STATS_DONE = "Tous les centres"  # the last block of the admin's /stats
ECHO_FIRST_USER = 900_000
OTHERS = 5  # people writing while /stats or the purge run
PAUSE = 2.0  # seconds between two steps of the purge that mean it waited for a later sweep
STATS_PAUSE = 1.0  # the admin waits this long between two /stats: others are timed outside too
# between two actions of one person when timing an idle bot, and of the others while the purge
# or /stats run: people, not floods (back to back, one person alone goes past the 30 messages a
# second of python-telegram-bot's rate limiter, which then spaces every message by 33 ms)
IDLE_PAUSE = 0.1
OTHERS_PAUSE = 0.2


# -- the emulator, watched -------------------------------------------------------------------


class WatchedEmulator(TelegramEmulator):
    """The tests' emulator, which also tells the benchmark each message the bot sends or edits
    (chat, when, text) and when the bot first polled."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: queue.SimpleQueue[tuple[int, float, str]] = queue.SimpleQueue()
        self.first_poll: float | None = None
        self._tidying = False

    def _bot_message(self, chat: dict[str, Any], content: dict[str, Any], markup: Any) -> Any:
        message = super()._bot_message(chat, content, markup)
        self.shown.put((chat["id"], time.perf_counter(), str(message.get("text", ""))))
        return message

    def _edited(self, message: dict[str, Any], markup: Any) -> Any:
        edited = super()._edited(message, markup)
        if not self._tidying:
            chat, text = message["chat"]["id"], str(edited.get("text", ""))
            self.shown.put((chat, time.perf_counter(), text))
        return edited

    def _edit_message_reply_markup(self, params: dict[str, Any], files: Any) -> Any:
        # buttons taken off an answered question shows nothing new: its text, the same
        # question of an earlier round, must not pass for the answer awaited (tidying waits
        # while the person keeps pressing)
        self._tidying = True
        try:
            return super()._edit_message_reply_markup(params, files)
        finally:
            self._tidying = False

    def _get_updates(self, params: dict[str, Any], files: Any) -> Any:
        if self.first_poll is None:
            self.first_poll = time.perf_counter()
        return super()._get_updates(params, files)


# -- people acting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One action: type `value` or press the button labelled `value`; done when a message of
    the bot (new or edited) contains `expect`. `counted`: part of what is measured."""

    press: bool
    value: str
    expect: str
    counted: bool = True


MENU_STEPS = (Step(False, "/menu", MENU),)
# from wherever they are: the menu (not counted), then the self-assessment's presses, again
PRESS_STEPS = (
    Step(False, "/menu", MENU, counted=False),
    *(Step(True, label, expect) for label, expect in ASSESSMENT_PRESSES),
)
STATS_STEPS = (Step(False, "/stats", STATS_DONE),)


@dataclass
class Sample:
    """One action done: who, what, when it was sent and when its answer was shown."""

    user: int
    step: Step
    sent: float
    done: float

    @property
    def seconds(self) -> float:
        return self.done - self.sent


@dataclass
class Player:
    """A person acting in a loop: each action once the previous one was answered (and `pause`
    seconds more); with `once`, they stop at the end of their steps."""

    user: int
    steps: tuple[Step, ...]
    index: int = 0
    loop_from: int = 0
    pause: float = 0.0
    once: bool = False
    sent: float = 0.0
    waiting: bool = False
    finished: bool = False

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    def advance(self) -> None:
        self.index += 1
        if self.index >= len(self.steps):
            self.index = self.loop_from
            self.finished = self.once


def players(users: list[str], steps: tuple[Step, ...], **how: Any) -> list[Player]:
    return [Player(int(user), steps, **how) for user in users]


def play(
    emulator: WatchedEmulator,
    crowd: list[Player],
    *,
    seconds: float | None = None,
    samples: int | None = None,
    stop: Callable[[], bool] | None = None,
    timeout: float = 300.0,
) -> list[Sample]:
    """Every player acts in a loop until `seconds` passed, `samples` counted actions were done,
    `stop()` says so or every player finished; actions still unanswered then are waited for
    (not kept), so that the next phase starts clean."""
    done: list[Sample] = []
    by_chat = {p.user: p for p in crowd}
    started = time.perf_counter()
    deadline = started + (seconds if seconds is not None else timeout)
    counted = 0
    later: list[tuple[float, int]] = []  # (when, user): next actions after a pause

    def send(player: Player) -> None:
        step = player.step
        player.sent = time.perf_counter()
        player.waiting = True
        if step.press:
            emulator.press_button(player.user, step.value)
        else:
            emulator.send_text(player.user, step.value)

    for player in crowd:
        send(player)
    finishing = False
    while True:
        now = time.perf_counter()
        if not finishing and (
            now >= deadline
            or (samples is not None and counted >= samples)
            or (stop is not None and stop())
            or all(p.finished for p in crowd)
        ):
            finishing = True
            later.clear()
            deadline = now + 60.0  # the actions in flight end first
        if finishing and not any(p.waiting for p in crowd):
            break
        if now >= deadline:
            if finishing:
                raise AssertionError(_stuck(emulator, crowd))
            continue
        while later and later[0][0] <= now:
            send(by_chat[heapq.heappop(later)[1]])
        wait = min(0.1, deadline - now, *(when - now for when, _ in later[:1]))
        try:
            chat, at, text = emulator.shown.get(timeout=max(wait, 0.0005))
        except queue.Empty:
            continue
        player = by_chat.get(chat)
        if player is None or not player.waiting or player.step.expect not in text:
            continue
        player.waiting = False
        if finishing:
            continue
        done.append(Sample(player.user, player.step, player.sent, at))
        counted += player.step.counted
        player.advance()
        if player.finished:
            continue
        if player.pause:
            heapq.heappush(later, (at + player.pause, player.user))
        else:
            send(player)
    return done


def into_assessment(emulator: WatchedEmulator, users: list[str], **how: Any) -> list[Player]:
    """These people open the self-assessment (not timed); then they press its buttons in a
    loop, from the first question on."""
    play(emulator, players(users, PRESS_STEPS[:2], once=True))
    return players(users, PRESS_STEPS, index=2, loop_from=1, **how)


def _stuck(emulator: TelegramEmulator, crowd: list[Player]) -> str:
    waiting = [p for p in crowd if p.waiting]
    first = waiting[0]
    return (
        f"{len(waiting)} people still wait for an answer; the first expects"
        f" {first.step.expect!r}\n{emulator.transcript(first.user)[-3000:]}"
    )


# -- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """Latencies in milliseconds."""

    count: int
    median: float
    p95: float
    maximum: float

    @classmethod
    def of(cls, seconds: list[float]) -> Spread | None:
        if not seconds:
            return None
        ms = sorted(s * 1000 for s in seconds)
        p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
        return cls(len(ms), statistics.median(ms), p95, ms[-1])

    def short(self) -> str:
        return f"{_ms(self.median)} / {_ms(self.p95)}"

    def long(self) -> str:
        return f"{_ms(self.median)} / {_ms(self.p95)} / max {_ms(self.maximum)} (n={self.count})"


def _ms(value: float) -> str:
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def rate(samples: list[Sample], seconds: float, warmup: float, started: float) -> float:
    """Counted actions a second, once the warm-up passed."""
    window = [s for s in samples if s.step.counted and s.done >= started + warmup]
    return len(window) / max(seconds - warmup, 1e-9)


@dataclass
class SizeResult:
    """Everything measured at one size."""

    people: int
    due: int
    startup_due: float = 0.0
    startup_idle: float = 0.0
    purged_after: float | None = None  # from spawn, when nobody past retention was left
    purge_drops: list[float] = field(default_factory=list)  # steps seen, from spawn
    purge_seconds: float | None = None
    purge_note: str = ""
    during_startup: Spread | None = None  # others' /menu sent before the first getUpdates
    during_purge: Spread | None = None  # … sent after it, before the purge ended
    idle_menu: Spread | None = None
    idle_press: Spread | None = None
    cpu_menu_ms: float = 0.0  # the process's CPU time for one /menu, idle
    cpu_press_ms: float = 0.0
    rates: dict[str, float] = field(default_factory=dict)
    stats: Spread | None = None
    during_stats: Spread | None = None
    others_stats_idle: Spread | None = None
    memory_mb: float = 0.0
    database_mb: float = 0.0


class DueWatcher(threading.Thread):
    """Counts, on its own connection, the people past retention, every 10 ms, until none:
    each count lower than the one before is a step of the purge committed (`drops`)."""

    def __init__(self, database: Path, cutoff: str) -> None:
        super().__init__(daemon=True)
        self.database = database
        self.cutoff = cutoff
        self.initial: int | None = None
        self.drops: list[float] = []  # when each lower count was first seen
        self.zero: float | None = None
        self.stopping = threading.Event()

    def count(self, db: sqlite3.Connection) -> int:
        row = db.execute(
            "SELECT COUNT(*) FROM persons WHERE last_seen_at < ?", (self.cutoff,)
        ).fetchone()
        return int(row[0])

    def run(self) -> None:
        with contextlib.closing(sqlite3.connect(self.database, timeout=30)) as db:
            db.execute("PRAGMA query_only=1")
            last = None
            while not self.stopping.is_set():
                try:
                    left = self.count(db)
                except sqlite3.OperationalError:  # e.g. locked during a migration
                    time.sleep(0.01)
                    continue
                now = time.perf_counter()
                if self.initial is None:
                    self.initial = left
                elif last is not None and left < last:
                    self.drops.append(now)
                last = left
                if left == 0:
                    self.zero = now
                    return
                time.sleep(0.01)


def _step(drops: list[float]) -> float:
    """The typical time between two steps of the purge seen one after the other."""
    busy = [b - a for a, b in itertools.pairwise(drops) if b - a <= PAUSE]
    return statistics.median(busy) if busy else 0.0


def purge_finished(logs: str) -> bool:
    """The retention purge's last run ended with nothing left for the next one."""
    said = [line for line in logs.splitlines() if "retention: " in line]
    return bool(said) and "time is up" not in said[-1]


def purge_work(drops: list[float], polled: float, startup_idle: float) -> float:
    """The purge's own time, from the moments its steps were seen committed (seconds from the
    spawn): steps one after the other add up; a pause longer than PAUSE between two steps (the
    purge waiting for a later sweep) counts as one typical step. The first step began when the
    process could start purging (the start-up with nothing due) if it came before polling,
    else it counts as one typical step."""
    steps = [b - a for a, b in itertools.pairwise(drops)]
    busy = [d for d in steps if d <= PAUSE]
    typical = _step(drops)
    first = drops[0] - startup_idle if drops[0] <= polled else typical
    return max(first, typical) + sum(busy) + typical * (len(steps) - len(busy))


def cpu_seconds(pid: int) -> float:
    """CPU time the process used so far (user and system, all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_hwm_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True)
class Options:
    seconds: float
    warmup: float
    samples: int
    crowd: int
    stats_seconds: float
    presses: bool = True


def spawn(
    folder: Path, emulator: WatchedEmulator, config: str, limited: bool
) -> tuple[RelaisProcess, float]:
    env = {"RELAIS_TELEGRAM_RATE_LIMIT": "1" if limited else "0"}
    process = RelaisProcess(folder, emulator, extra_env=env, config_text=config)
    started = time.perf_counter()
    process.start()
    return process, started


def wait_polling(process: RelaisProcess, emulator: WatchedEmulator, started: float) -> float:
    """Seconds from the spawn to the first getUpdates."""
    process.wait_ready(timeout=600)
    assert emulator.first_poll is not None
    return emulator.first_poll - started


def throughput(
    emulator: WatchedEmulator,
    result: SizeResult,
    limiter: str,
    menu: list[str],
    press: list[str],
    opts: Options,
) -> None:
    """Updates a second of /menu, then of self-assessment presses, `opts.crowd` people at once."""
    for name, crowd in (
        ("menu", players(menu, MENU_STEPS)),
        ("press", into_assessment(emulator, press)),
    ):
        started = time.perf_counter()
        samples = play(emulator, crowd, seconds=opts.seconds)
        result.rates[f"{name}_{limiter}"] = rate(samples, opts.seconds, opts.warmup, started)


def run_size(generated: generate_people.Generated, opts: Options, say: Any) -> SizeResult:
    meta = generated.meta
    result = SizeResult(meta["people"], meta["past_retention"])
    acting = meta["acting"]
    others = acting[:OTHERS]
    menu_crowd = acting[10 : 10 + opts.crowd]
    press_on = acting[10 + opts.crowd : 10 + 2 * opts.crowd]
    press_off = acting[10 + 2 * opts.crowd : 10 + 3 * opts.crowd]
    config = generated.config.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as scratch:
        folder = Path(scratch)
        database = folder / "relais.sqlite3"
        shutil.copyfile(generated.database, database)
        result.database_mb = database.stat().st_size / 1e6

        # -- first start: 1 % due for the purge; rate limiter on -----------------------------
        first_id = meta["next_update_id"] + 10_000_000
        with WatchedEmulator(first_update_id=first_id) as emulator:
            watcher = DueWatcher(database, meta["cutoff"])
            watcher.start()
            process, spawned = spawn(folder, emulator, config, limited=True)
            try:
                say(f"  {result.people:,} people: start-up with {result.due:,} due for the purge")

                def settled() -> bool:
                    if not process.running:
                        raise AssertionError(f"relais stopped\n{process.logs()[-3000:]}")
                    if emulator.first_poll is None or watcher.zero is None:
                        return False
                    # the purge goes on with old rows once the people are gone: the idle
                    # figures below are of events, not of the purge's last steps
                    if not purge_finished(process.logs()):
                        return False
                    return time.perf_counter() > max(emulator.first_poll, watcher.zero) + 1.0

                # others write from the spawn on, while the process starts and purges
                during = play(
                    emulator,
                    players(others, MENU_STEPS, pause=OTHERS_PAUSE),
                    stop=settled,
                    timeout=600,
                )
                result.startup_due = emulator.first_poll - spawned  # type: ignore[operator]
                assert watcher.zero is not None
                result.purged_after = watcher.zero - spawned
                result.purge_drops = [t - spawned for t in watcher.drops]
                polled = emulator.first_poll
                result.during_startup = Spread.of([s.seconds for s in during if s.sent < polled])
                # after start-up, while steps of the purge were being committed
                after = [t for t in watcher.drops if t > polled]
                if after:
                    begun = max(polled, after[0] - _step(watcher.drops))
                    result.during_purge = Spread.of(
                        [s.seconds for s in during if begun <= s.sent <= watcher.zero]
                    )

                say("  idle: /menu and presses, one person at a time")
                pid = process.process.pid  # type: ignore[union-attr]
                used = cpu_seconds(pid)
                idle_menu = play(
                    emulator,
                    players(acting[5:6], MENU_STEPS, pause=IDLE_PAUSE),
                    samples=opts.samples,
                )
                result.idle_menu = Spread.of([s.seconds for s in idle_menu])
                result.cpu_menu_ms = (cpu_seconds(pid) - used) * 1000 / len(idle_menu)
                pressing = into_assessment(emulator, acting[6:7], pause=IDLE_PAUSE)
                used = cpu_seconds(pid)
                idle_press = play(emulator, pressing, samples=opts.samples)
                result.idle_press = Spread.of([s.seconds for s in idle_press if s.step.counted])
                result.cpu_press_ms = (cpu_seconds(pid) - used) * 1000 / len(idle_press)

                say(f"  throughput with the rate limiter, {opts.crowd} people at once")
                throughput(emulator, result, "on", menu_crowd, press_on, opts)

                result.memory_mb = vm_hwm_mb(process.process.pid)  # type: ignore[union-attr]
            finally:
                watcher.stopping.set()
                process.stop()

        # -- second start: nothing due; no rate limiter --------------------------------------
        with WatchedEmulator(first_update_id=first_id + 10_000_000) as emulator:
            process, spawned = spawn(folder, emulator, config, limited=False)
            try:
                result.startup_idle = wait_polling(process, emulator, spawned)
                say(f"  throughput without the rate limiter, {opts.crowd} people at once")
                throughput(emulator, result, "off", menu_crowd, press_off, opts)
                say("  /stats of the admin while others write")
                admin = players([meta["admin"]], STATS_STEPS, pause=STATS_PAUSE)
                mixed = play(
                    emulator,
                    admin + players(others, MENU_STEPS, pause=OTHERS_PAUSE),
                    seconds=opts.stats_seconds,
                )
                stats = [s for s in mixed if s.step is STATS_STEPS[0]]
                windows = [(s.sent, s.done) for s in stats]
                menus = [s for s in mixed if s.step is not STATS_STEPS[0]]
                result.stats = Spread.of([s.seconds for s in stats])
                result.during_stats = Spread.of(
                    [s.seconds for s in menus if any(a <= s.sent <= b for a, b in windows)]
                )
                result.others_stats_idle = Spread.of(
                    [s.seconds for s in menus if not any(a <= s.sent <= b for a, b in windows)]
                )
                result.memory_mb = max(result.memory_mb, vm_hwm_mb(process.process.pid))  # type: ignore[union-attr]
            finally:
                process.stop()

    if result.purge_drops:
        drops = result.purge_drops
        result.purge_seconds = purge_work(drops, result.startup_due, result.startup_idle)
        waits = sum(1 for a, b in itertools.pairwise(drops) if b - a > PAUSE)
        result.purge_note = f"{len(drops)} steps seen, first {drops[0]:.2f} s after spawn" + (
            f", {waits} pause(s) over {PAUSE:.0f} s between steps" if waits else ""
        )
    return result


def run_unlimited(
    generated: generate_people.Generated, opts: Options, say: Any, rounds: int
) -> str:
    """Only the throughput without the rate limiter, beside the echo bot's, `rounds` times
    (Relais then the echo bot each round): the quick loop while working on that target."""
    meta = generated.meta
    acting = meta["acting"]
    menu_crowd = acting[10 : 10 + opts.crowd]
    # people who never opened the self-assessment, new ones each round
    fresh = acting[10 + opts.crowd :]
    if opts.presses and len(fresh) < rounds * opts.crowd:
        raise SystemExit(f"{len(fresh)} people to press: at most {len(fresh) // opts.crowd} rounds")
    config = generated.config.read_text(encoding="utf-8")
    lines = []
    ratios = []
    with tempfile.TemporaryDirectory(prefix="relais-bench-") as scratch:
        folder = Path(scratch)
        shutil.copyfile(generated.database, folder / "relais.sqlite3")
        first_id = meta["next_update_id"] + 10_000_000
        for n in range(rounds):
            first_id += 10_000_000
            with WatchedEmulator(first_update_id=first_id) as emulator:
                process, spawned = spawn(folder, emulator, config, limited=False)
                try:
                    wait_polling(process, emulator, spawned)
                    pid = process.process.pid  # type: ignore[union-attr]
                    say(f"  round {n + 1}: Relais /menu, no limiter, {opts.crowd} people")
                    used = cpu_seconds(pid)
                    started = time.perf_counter()
                    samples = play(emulator, players(menu_crowd, MENU_STEPS), seconds=opts.seconds)
                    cpu_ms = (cpu_seconds(pid) - used) * 1000 / max(len(samples), 1)
                    menu = rate(samples, opts.seconds, opts.warmup, started)
                    press = 0.0
                    if opts.presses:
                        press_crowd = fresh[n * opts.crowd : (n + 1) * opts.crowd]
                        crowd = into_assessment(emulator, press_crowd)
                        started = time.perf_counter()
                        samples = play(emulator, crowd, seconds=opts.seconds)
                        press = rate(samples, opts.seconds, opts.warmup, started)
                finally:
                    process.stop()
            echo = run_echo(opts, say, limits=(False,))["off"]
            ratios.append(menu / echo)
            lines.append(
                f"round {n + 1}: Relais /menu {menu:.1f}/s ({cpu_ms:.2f} ms CPU an update),"
                + (f" presses {press:.1f}/s ({press / echo:.2f} ×)," if opts.presses else "")
                + f" echo bot {echo:.1f}/s: {menu / echo:.2f} ×"
            )
    lines.append(
        f"/menu / echo bot, no limiter, {opts.crowd} people, {meta['people']:,} people:"
        f" min {min(ratios):.2f}, median {statistics.median(ratios):.2f},"
        f" max {max(ratios):.2f} over {rounds} rounds (target ≥ 0.50)"
    )
    return "\n".join(lines)


def run_echo(opts: Options, say: Any, limits: tuple[bool, ...] = (True, False)) -> dict[str, float]:
    """Updates a second of a bare python-telegram-bot echo bot, with and without the limiter."""
    rates = {}
    users = [str(ECHO_FIRST_USER + i) for i in range(opts.crowd)]
    steps = (Step(False, "ping", "ping"),)
    for limited in limits:
        with WatchedEmulator() as emulator:
            env = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
            env.update(
                ECHO_TOKEN=emulator.token,
                ECHO_API_URL=emulator.base_url,
                ECHO_RATE_LIMIT="1" if limited else "0",
                NO_PROXY="127.0.0.1,localhost",
                no_proxy="127.0.0.1,localhost",
            )
            say(f"  echo bot, rate limiter {'on' if limited else 'off'}")
            child = subprocess.Popen(
                [sys.executable, str(Path(__file__).parent / "echo_bot.py")],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                emulator.wait_until(lambda: emulator.first_poll is not None, timeout=60)
                started = time.perf_counter()
                samples = play(emulator, players(users, steps), seconds=opts.seconds)
                rates["on" if limited else "off"] = rate(
                    samples, opts.seconds, opts.warmup, started
                )
            finally:
                child.terminate()
                child.wait(10)
    return rates


# -- the table -------------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "MISS")


def report(results: list[SizeResult], echo: dict[str, float], opts: Options) -> str:
    small, large = (results[0], results[-1]) if len(results) > 1 else (None, results[0])
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(
        label: str,
        fig: Callable[[SizeResult], str],
        ratio: str = "",
        target: str = "",
        ok: bool | None = None,
    ) -> None:
        rows.append((label, fig(small) if small else "", fig(large), ratio, target, verdict(ok)))

    def lat(name: str) -> Callable[[SizeResult], str]:
        return lambda r: getattr(r, name).short() if getattr(r, name) else "—"

    for name, label in (
        ("idle_menu", "/menu end to end, idle (median / p95)"),
        ("idle_press", "button press end to end, idle (median / p95)"),
    ):
        ratio_text, ok = "", None
        if small and getattr(small, name) and getattr(large, name):
            ratio = getattr(large, name).median / getattr(small, name).median
            ratio_text, ok = f"{ratio:.2f}×", ratio <= 1.2
        row(label, lat(name), ratio_text, "≤ 1.20× (median)", ok)

    for name, label in (
        ("cpu_menu_ms", "  CPU of the process for one /menu, idle"),
        ("cpu_press_ms", "  CPU of the process for one press, idle"),
    ):
        ratio_text, ok = "", None
        if small and getattr(small, name):
            ratio = getattr(large, name) / getattr(small, name)
            ratio_text, ok = f"{ratio:.2f}×", ratio <= 1.2
        # the CPU time hardly depends on what else the machine runs; the latency does
        row(label, lambda r, n=name: f"{getattr(r, n):.1f} ms", ratio_text, "≤ 1.20×", ok)

    def per_s(key: str) -> Callable[[SizeResult], str]:
        return lambda r: f"{r.rates.get(key, 0):.1f}/s"

    def drop(key: str) -> str:
        if small is None or not small.rates.get(key):
            return ""
        return f"{large.rates.get(key, 0) / small.rates[key]:.2f}×"

    row(
        f"/menu updates a second, rate limiter on, {opts.crowd} people",
        per_s("menu_on"),
        drop("menu_on"),
    )
    row(
        f"self-assessment presses a second, limiter on, {opts.crowd} people",
        per_s("press_on"),
        drop("press_on"),
    )
    share = large.rates["press_on"] / max(large.rates["menu_on"], 1e-9)
    row(
        "  presses / one-call updates, limiter on",
        lambda r: f"{r.rates['press_on'] / max(r.rates['menu_on'], 1e-9):.2f}",
        "",
        "≥ 0.80 (largest size)",
        share >= 0.8,
    )
    row(
        f"/menu updates a second, no rate limiter, {opts.crowd} people",
        per_s("menu_off"),
        drop("menu_off"),
    )
    row(
        f"self-assessment presses a second, no limiter, {opts.crowd} people",
        per_s("press_off"),
        drop("press_off"),
    )
    echo_off = echo.get("off")
    if echo_off:
        against = large.rates["menu_off"] / echo_off
        row(
            "  /menu updates / echo bot's, no limiter",
            lambda r: f"{r.rates['menu_off'] / echo_off:.2f}",
            "",
            "≥ 0.50 (largest size)",
            against >= 0.5,
        )
        row(
            "  presses / echo bot's updates, no limiter",
            lambda r: f"{r.rates['press_off'] / echo_off:.2f}",
        )
    row(
        "start-up, spawn → first getUpdates, 1 % due",
        lambda r: f"{r.startup_due:.2f} s",
        "",
        "< 2 s (largest size)",
        large.startup_due < 2.0,
    )
    row("start-up, nothing due (second start)", lambda r: f"{r.startup_idle:.2f} s")
    row(
        "peak memory of the process (VmHWM)",
        lambda r: f"{r.memory_mb:.0f} MB",
        "",
        "< 200 MB (largest size)",
        large.memory_mb < 200,
    )
    row(
        "retention purge (people past retention)",
        lambda r: f"{r.purge_seconds:.2f} s ({r.due:,})" if r.purge_seconds is not None else "—",
    )
    row("  all purged, from spawn", lambda r: f"{r.purged_after:.2f} s" if r.purged_after else "—")
    row("  others' /menu sent during start-up", lat("during_startup"))
    row("  others' /menu sent after start-up, while it ran", lat("during_purge"))
    row("/stats of the admin, every centre", lat("stats"))
    row("  others' /menu sent while /stats ran", lat("during_stats"))
    row("  others' /menu at the same time, outside /stats", lat("others_stats_idle"))

    head = (
        "",
        f"{small.people:,} people" if small else "",
        f"{large.people:,} people",
        "ratio",
        "target",
        "",
    )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(6)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(head)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip())
    if echo:
        lines.append("")
        lines.append(
            f"echo bot (python-telegram-bot, one sendMessage an update), {opts.crowd} people: "
            f"{echo.get('on', 0):.1f}/s with AIORateLimiter, {echo.get('off', 0):.1f}/s without"
        )
    for r in results:
        notes = []
        if r.purge_note:
            notes.append(f"purge: {r.purge_note}")
        if r.during_startup:
            notes.append(f"others during start-up: {r.during_startup.long()}")
        if r.during_purge:
            notes.append(f"others during the purge: {r.during_purge.long()}")
        if r.stats:
            notes.append(f"/stats: {r.stats.long()}")
        if r.during_stats:
            notes.append(f"others during /stats: {r.during_stats.long()}")
        notes.append(f"database {r.database_mb:.0f} MB")
        lines.append(f"{r.people:,} people: " + "; ".join(notes))
    return "\n".join(lines)


def code_version() -> str:
    """The commit of the code measured, and whether it has changes not committed."""
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    return f"{commit} (bot from {Path(bot.__file__).parent})"


def main() -> None:
    parser = argparse.ArgumentParser(description="Relais at 1,000 and 100,000 people (issue 11)")
    parser.add_argument("--people", default="1000,100000", help="sizes, comma-separated")
    parser.add_argument("--quick", action="store_true", help="shorter runs, fewer samples")
    parser.add_argument("--seconds", type=float, help="length of each throughput run")
    parser.add_argument("--crowd", type=int, default=50, help="people acting at once")
    parser.add_argument("--no-echo", action="store_true", help="skip the echo bot")
    parser.add_argument(
        "--unlimited",
        type=int,
        metavar="ROUNDS",
        help="only the throughput without the limiter beside the echo bot's, ROUNDS times"
        " (on the smallest size)",
    )
    parser.add_argument("--no-presses", action="store_true", help="with --unlimited: /menu only")
    args = parser.parse_args()
    sizes = sorted(int(s.replace("_", "").replace(",", "")) for s in args.people.split(","))
    seconds = args.seconds or (6.0 if args.quick else 10.0)
    opts = Options(
        seconds=seconds,
        # the rate limiter lets a burst of 30 messages through before its pace: at 40
        # updates a second, it takes 2.3 s to reach it
        warmup=min(2.5, seconds / 3),
        samples=30 if args.quick else 100,
        crowd=args.crowd,
        stats_seconds=4.0 if args.quick else 8.0,
        presses=not args.no_presses,
    )

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    began = time.perf_counter()
    load = os.getloadavg()
    generated = [generate_people.ensure(size, say) for size in sizes]
    if args.unlimited:
        text = run_unlimited(generated[0], opts, say, args.unlimited)
        print(f"Relais without the rate limiter — code {code_version()}")
        print(f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}")
        print(text)
        return
    results = []
    for cached in generated:
        made = cached.meta.get("made_in_seconds")
        say(f"{cached.meta['people']:,} people: {cached.folder} (made in {made} s)")
        results.append(run_size(cached, opts, say))
    echo = {} if args.no_echo else run_echo(opts, say)
    print(f"Relais at scale — code {code_version()}")
    print(
        f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}"
        f" ({os.cpu_count()} cores); run took {time.perf_counter() - began:.0f} s"
    )
    print(report(results, echo, opts))


if __name__ == "__main__":
    main()
