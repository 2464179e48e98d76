"""Pytest fixtures for end-to-end tests: a Telegram emulator and real `relais run` processes.

Import them in tests/conftest.py with `from tests.e2e_fixtures import *`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from bot.testing.relais_process import RelaisProcess
from bot.testing.telegram_emulator import TelegramEmulator

__all__ = ["emulator", "relais_factory"]

RelaisFactory = Callable[..., RelaisProcess]


@pytest.fixture
def emulator() -> Iterator[TelegramEmulator]:
    """A started Telegram emulator, stopped after the test."""
    with TelegramEmulator() as emu:
        yield emu


@pytest.fixture
def relais_factory(tmp_path: Path, emulator: TelegramEmulator) -> Iterator[RelaisFactory]:
    """Make bot processes on the test's emulator and tmp_path (all share one database).

    `relais_factory(extra_env=None, config_text=None, start=True)` returns a RelaisProcess,
    started and polling unless start=False. Every process is stopped after the test, and its
    logs and the emulator's transcripts are printed (pytest shows them when the test fails).
    """
    processes: list[RelaisProcess] = []

    def make(
        extra_env: Mapping[str, str] | None = None,
        config_text: str | None = None,
        start: bool = True,
    ) -> RelaisProcess:
        process = RelaisProcess(tmp_path, emulator, extra_env=extra_env, config_text=config_text)
        processes.append(process)
        if start:
            process.start().wait_ready()
        return process

    yield make
    for process in processes:
        if process.process is not None:
            process.stop()
    if processes:
        print(processes[-1].logs())
    print(emulator.transcripts())
