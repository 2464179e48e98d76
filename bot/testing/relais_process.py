"""Runs the real `relais run` as a child process against a TelegramEmulator.

The process is the bot exactly as deployed (`python -m bot run`), configured only through
RELAIS_* environment variables, with its output captured to files for failure reports. It can
be stopped cleanly (SIGTERM) or killed (SIGKILL, a crash) and started again on the same
database, which is how restart and crash-recovery tests are written.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from bot.config import PROJECT_DIR
from bot.testing.moment import NOW
from bot.testing.telegram_emulator import TelegramEmulator

ROOT = PROJECT_DIR  # the checkout: its flows, locales and config example
COMMAND = (sys.executable, "-m", "bot", "run")


class RelaisProcess:
    """The bot as a child process, wired to an emulator, with a database in tmp_path."""

    def __init__(
        self,
        tmp_path: Path,
        emulator: TelegramEmulator,
        extra_env: Mapping[str, str] | None = None,
        config_text: str | None = None,
        command: Sequence[str] = COMMAND,
    ) -> None:
        self.tmp_path = Path(tmp_path)
        self.emulator = emulator
        self.extra_env = dict(extra_env or {})
        self.command = list(command)
        self.database = self.tmp_path / "relais.sqlite3"
        self.config_path: Path | None = None
        if config_text is not None:
            self.config_path = self.tmp_path / "relais.toml"
            self.config_path.write_text(config_text, encoding="utf-8")
        self.stdout_path = self.tmp_path / "relais.stdout.log"
        self.stderr_path = self.tmp_path / "relais.stderr.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._calls_at_start = 0

    def env(self) -> dict[str, str]:
        """The child's environment: ours without RELAIS_* settings, plus the test's."""
        # a developer's own RELAIS_* variables must not leak into the test
        env = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
        env.update(
            {
                "RELAIS_TELEGRAM_TOKEN": self.emulator.token,
                "RELAIS_TELEGRAM_API_URL": self.emulator.base_url,
                "RELAIS_DATABASE": str(self.database),
                "RELAIS_TELEGRAM_POLL_TIMEOUT": "1",
                "PYTHONUNBUFFERED": "1",
                # the process's clock starts at the tests' moment, never at today's date
                "RELAIS_CLOCK": NOW.isoformat(),
                # scripted phones act at machine speed, far above a person's budget; the
                # fairness tests set their own
                "RELAIS_FAIRNESS_PER_SECOND": "500",
                # httpx honours proxy variables: keep loopback traffic off any proxy
                "NO_PROXY": ",".join(filter(None, ["127.0.0.1,localhost", env.get("NO_PROXY")])),
                "no_proxy": ",".join(filter(None, ["127.0.0.1,localhost", env.get("no_proxy")])),
            }
        )
        if self.config_path is not None:
            env["RELAIS_CONFIG"] = str(self.config_path)
        env.update(self.extra_env)
        return env

    def start(self) -> RelaisProcess:
        """Start the process (again, after a stop or kill: same database, logs appended)."""
        if self.running:
            raise RuntimeError("the bot process is already running")
        self.starts += 1
        self._calls_at_start = len(self.emulator.calls)
        banner = f"\n----- start #{self.starts} -----\n".encode()
        with self.stdout_path.open("ab") as out, self.stderr_path.open("ab") as err:
            out.write(banner)
            err.write(banner)
            out.flush()
            err.flush()
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )
        return self

    def wait_ready(self, timeout: float = 30.0) -> RelaisProcess:
        """Wait until the process polls the emulator (getUpdates) since its last start."""
        process = self._started()

        def ready() -> bool:
            if process.poll() is not None:
                return True  # dead: checked below, so the failure says so at once
            return any(
                method == "getUpdates" for method, _ in self.emulator.calls[self._calls_at_start :]
            )

        try:
            self.emulator.wait_until(ready, timeout)
        except AssertionError:
            message = f"the bot did not poll within {timeout} s\n{self.logs()}"
            raise AssertionError(message) from None
        if process.poll() is not None:
            raise AssertionError(
                f"the bot exited with code {process.returncode} before polling\n{self.logs()}"
            )
        return self

    def kill(self) -> None:
        """SIGKILL: a crash, no clean shutdown."""
        process = self._started()
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM, then SIGKILL if still alive after timeout; returns the exit code."""
        process = self._started()
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self.process is not None and self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        """The exit code, or None while running (or never started)."""
        return None if self.process is None else self.process.poll()

    def logs(self) -> str:
        """Everything the process wrote, stdout then stderr, across restarts."""
        parts = []
        for name, path in (("stdout", self.stdout_path), ("stderr", self.stderr_path)):
            text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
            parts.append(f"===== relais {name} =====\n{text.strip()}")
        return "\n".join(parts)

    def _started(self) -> subprocess.Popen[bytes]:
        if self.process is None:
            raise RuntimeError("the bot process was never started")
        return self.process

    def __enter__(self) -> RelaisProcess:
        return self.start().wait_ready()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.process is not None:
            self.stop()
