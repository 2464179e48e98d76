"""`relais` as deployed (`python -m bot run`), with two things a benchmark needs to know:

- when the process's clock started: RELAIS_CLOCK starts it at a moment, then it advances with
  CLOCK_MONOTONIC, shared by every process of the machine; the origin is written to the file
  RELAIS_BENCH_CLOCK_FILE names ("<moment ISO> <monotonic seconds>"), so that the benchmark
  knows, on its own clock, when a reminder fell due in the process;
- the messages of appointments need their kinds to be rendered (bot/appointments/messages.py,
  registered in bot/reach/kinds.py). Where a kind is not registered, a stand-in is, which
  writes the reminder's date as plain text without buttons, and the benchmark says so: its
  figures are then to be measured again with the real kinds.

Nothing else differs: same module, same settings, same event loop.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLOCK_FILE = "RELAIS_BENCH_CLOCK_FILE"
STAND_INS = "RELAIS_BENCH_STAND_INS"  # set by this wrapper for the benchmark to read: "1"


def _observe_clock() -> None:
    from bot.core import clock

    started_at = clock.started_at

    def observed(moment: datetime) -> clock.Clock:
        read = started_at(moment)
        now = time.monotonic()
        origin = now - (read() - moment).total_seconds()
        path = os.environ.get(CLOCK_FILE)
        if path:
            Path(path).write_text(f"{moment.isoformat()} {origin:.6f}\n", encoding="utf-8")
        return read

    clock.started_at = observed  # type: ignore[assignment]


def _stand_in_kinds() -> list[str]:
    from bot.appointments import lifecycle
    from bot.core.domain import Message
    from bot.core.i18n import Translator
    from bot.reach.kinds import KINDS, Kind
    from bot.reach.started import Started

    def render(t: Translator, started: Started) -> Message:
        moment = datetime.fromisoformat(str(started.params["starts_at"]))
        return Message(f"Rappel : rendez-vous le {t.datetime(moment)}, {started.params['centre']}")

    missing = [name for name in lifecycle.KINDS if name not in KINDS]
    for name in missing:
        KINDS[name] = Kind(render)
    return missing


def main() -> int:
    _observe_clock()
    missing = _stand_in_kinds()
    path = os.environ.get(CLOCK_FILE)
    if path:
        Path(path + ".kinds").write_text(" ".join(missing), encoding="utf-8")
    from bot.cli import main as relais

    return relais(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
