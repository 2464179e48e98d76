"""Files at rest: the database (and its -wal and -shm), the documents folder and the documents
are readable by the bot's user only, even when started from a shell with a permissive umask."""

from __future__ import annotations

import contextlib
import sqlite3
import stat
import sys
from pathlib import Path

from bot.privacy.erasure import documents_folder
from bot.privacy.private_files import database_files
from bot.storage.database import Storage
from bot.testing.phone import Phone
from bot.testing.relais_process import RelaisProcess
from bot.testing.telegram_emulator import TelegramEmulator
from bot.testing.terminal_process import run_chat
from tests.test_terminal_chat import CV_TYPED

AMINA = 5001
# a shell whose umask lets everyone read new files, as many servers and desktops have
UMASK_022 = ("sh", "-c", 'umask 022; exec "$0" "$@"')
PERMISSIVE = (*UMASK_022, sys.executable, "-m", "bot")


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


def test_the_running_bot_keeps_its_database_to_itself(
    emulator: TelegramEmulator, tmp_path: Path
) -> None:
    database = tmp_path / "data" / "relais.sqlite3"  # its folder is made by the bot too
    bot = RelaisProcess(
        tmp_path,
        emulator,
        extra_env={"RELAIS_DATABASE": str(database)},
        command=(*PERMISSIVE, "run"),
    )
    with bot:
        Phone(emulator, AMINA).play("> /start\n< Choose your language.\n> [Français]")
        emulator.wait_for_text(AMINA, "Vous êtes d'accord ?")
        files = database_files(database)
        assert all(f.exists() for f in files)  # WAL mode: all three exist while running
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(database.parent) == 0o700


def test_relais_chat_writes_the_cv_and_the_database_for_its_user_only(tmp_path: Path) -> None:
    done = run_chat(tmp_path, CV_TYPED, launcher=UMASK_022)
    assert "Voici votre CV" in done.stdout, done.stdout[-2000:]
    cv = documents_folder(tmp_path / "documents", "amina") / "CV-Amina-BENALI.pdf"
    assert mode(cv.parent) == 0o700
    assert mode(cv.parent.parent) == 0o700
    assert mode(cv) == 0o600
    assert mode(tmp_path / "relais.sqlite3") == 0o600


async def test_a_database_made_before_is_made_private_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "relais.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as older:
        older.execute("PRAGMA journal_mode=WAL")
        older.execute("CREATE TABLE t (x)")
        older.commit()
        files = database_files(path)
        for f in files:
            f.chmod(0o644)  # as an earlier Relais left them under umask 022
        storage = await Storage.open(path)
        try:
            assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        finally:
            await storage.close()


def test_a_document_written_over_an_older_one_is_private(tmp_path: Path) -> None:
    from bot.privacy.private_files import write_private

    older = tmp_path / "cv.pdf"
    older.write_bytes(b"old")
    older.chmod(0o644)
    write_private(older, b"new")
    assert older.read_bytes() == b"new"
    assert mode(older) == 0o600
