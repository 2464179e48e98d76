"""Benchmark: self-assessment presses against one-call updates, under Telegram's rate limit.

Run by hand: `python bench/bench_presses.py [people] [menus]`. The real `relais run` process
(its AIORateLimiter on: ~30 counted calls a second) against the Bot API emulator on loopback.
Every person first goes through onboarding (not timed), then, all at once:
- phase "one call": each types `/menu` `menus` times, waiting for the menu each time (an update
  answered by one message: the most a bot can serve under the limit);
- phase "self-assessment": each plays the whole self-assessment (mostly button presses).
For each phase it prints actions per second, Bot API calls per action (all, and those the rate
limiter counts: the calls that name a chat), the time from an action to the next question
(median, p95), and the CPU time of the relais process per action (user + system). A phase ends
when every person saw their last question; calls still queued then (low-urgency tidy-ups) are
counted once the outbox is empty, and said apart.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.testing.conversation import script_lines  # noqa: E402
from bot.testing.relais_process import RelaisProcess  # noqa: E402
from bot.testing.telegram_emulator import TelegramEmulator  # noqa: E402

ONBOARDING = """
> /start
< Choose your language.
> [Français]
< Vous êtes d'accord ?
> [Oui]
< Quel est votre centre ?
> [Centre Relais]
< Quel est votre prénom ?
> Amina
< Que voulez-vous faire ?
"""

SELF_ASSESSMENT = """
> [Faire mon bilan]
< Vous parlez français ?
> [Un peu]
< Vous lisez le français ?
> [Pas encore]
< Vous écrivez le français ?
> [Pas encore]
< Vous savez utiliser un smartphone ?
> [Un peu]
< Vous avez une adresse e-mail ?
> [Non]
< Vous cherchez du travail sur internet ?
> [Non]
< Jusqu'où avez-vous étudié ?
> [CAP ou BEP]
< Ce diplôme, vous l'avez eu où ?
> [En France]
< Vous avez suivi une formation
> [Non]
< Vous avez déjà travaillé ?
> [Non]
< Quel travail pouvez-vous faire tout de suite ?
> [Ménage]
> [Valider]
< quel métier voulez-vous vraiment faire ?
> [Aide à la personne]
> [Valider]
< Quel âge avez-vous ?
> [26 ans ou plus]
< Vous avez des enfants à faire garder
> [Non]
< Comment pouvez-vous aller au travail ?
> [À pied]
> [Valider]
< Combien de temps de trajet
> [30 minutes]
< Vous avez le permis de conduire ?
> [Non]
< Quels jours pouvez-vous travailler ?
> [Tous les jours]
< À quels moments pouvez-vous travailler ?
> [Le matin]
> [Valider]
< Quel est le code postal
> 93200
< Quand pouvez-vous commencer
> [Tout de suite]
< Vous avez besoin d'un salaire rapidement ?
> [très vite]
< Vous avez fait votre inscription à France Travail ?
> [Non]
< Vous avez un CV ?
> [Non]
< Que voulez-vous faire ?
"""


def play(emulator: TelegramEmulator, user: int, script: str, latencies: list[float]) -> None:
    """Play a phone script; the time from each action to the next awaited text is kept."""
    since: float | None = None
    for _, mark, rest in script_lines(script):
        if mark == ">":
            since = since or time.perf_counter()
            if rest.startswith("[") and rest.endswith("]"):
                emulator.press_button(user, rest[1:-1])
            else:
                emulator.send_text(user, rest, first_name="Amina")
        else:
            emulator.wait_for_text(user, rest, timeout=300)
            if since is not None:
                latencies.append(time.perf_counter() - since)
            since = None


def actions_of(script: str) -> int:
    return sum(1 for _, mark, _ in script_lines(script) if mark == ">")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def counted(calls: list[tuple[str, dict]]) -> int:
    """Calls python-telegram-bot's AIORateLimiter holds to ~30 a second: those naming a chat."""
    return sum(1 for _, params in calls if "chat_id" in params)


def phase(
    name: str,
    emulator: TelegramEmulator,
    bot: RelaisProcess,
    users: list[int],
    script: str,
    settle: Callable[[], None],
) -> None:
    assert bot.process is not None
    latencies: list[float] = []
    first_call = len(emulator.calls)
    cpu0 = cpu_seconds(bot.process.pid)
    start = time.perf_counter()
    threads = [
        threading.Thread(target=play, args=(emulator, user, script, latencies)) for user in users
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(bot.process.pid) - cpu0
    at_end = [c for c in emulator.calls[first_call:] if c[0] != "getUpdates"]
    settle()
    after = [c for c in emulator.calls[first_call:] if c[0] != "getUpdates"]
    actions = actions_of(script) * len(users)
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"{name}: {len(users)} people, {actions} actions in {elapsed:.1f} s")
    print(f"  {actions / elapsed:.1f} actions/s; CPU {cpu / actions * 1000:.1f} ms per action")
    print(
        f"  action -> next question: median {statistics.median(latencies) * 1000:.0f} ms,"
        f" p95 {q[94] * 1000:.0f} ms"
    )
    print(
        f"  calls per action: {len(at_end) / actions:.2f} ({counted(at_end) / actions:.2f}"
        f" counted) when the last person was answered; {len(after) / actions:.2f}"
        f" ({counted(after) / actions:.2f} counted) once the outbox was empty"
    )


def main(people: int, menus: int) -> None:
    users = [20_000 + i for i in range(people)]
    with tempfile.TemporaryDirectory() as folder, TelegramEmulator() as emulator:
        bot = RelaisProcess(Path(folder), emulator, extra_env={"RELAIS_LOG_LEVEL": "WARNING"})
        bot.start().wait_ready()

        def settle() -> None:
            # the outbox is empty once no call but polling came for a second
            last = -1
            while last != (last := len(emulator.calls) - len(emulator.calls_to("getUpdates"))):
                time.sleep(1.0)

        try:
            for user in users:  # one by one: not timed
                play(emulator, user, ONBOARDING, [])
            settle()
            menu = "> /menu\n< Que voulez-vous faire ?\n" * menus
            phase("one call (/menu)", emulator, bot, users, menu, settle)
            phase("self-assessment", emulator, bot, users, SELF_ASSESSMENT, settle)
        finally:
            bot.stop()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 30,
        int(sys.argv[2]) if len(sys.argv) > 2 else 10,
    )
