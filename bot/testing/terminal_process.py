"""Runs the real `relais chat` as a child process with lines piped in, on a test's folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.config import PROJECT_DIR
from bot.testing.moment import NOW

ROOT = PROJECT_DIR  # the checkout: its flows, locales and config example


def run_chat(
    tmp_path: Path,
    lines: Sequence[str],
    user: str = "amina",
    *,
    when: datetime = NOW,
    launcher: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """`relais chat --user <user>` on the test's database and documents folder, at `when`
    (never today's date); `launcher` runs it through another command (e.g. a umask)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")},
        "RELAIS_DATABASE": str(tmp_path / "relais.sqlite3"),
        "RELAIS_DOCUMENTS_DIR": str(tmp_path / "documents"),
        "RELAIS_CLOCK": when.isoformat(),
        "PYTHONUNBUFFERED": "1",
    }
    done = subprocess.run(
        [*launcher, sys.executable, "-m", "bot", "chat", "--user", user],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    return done
