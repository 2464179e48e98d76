"""Files at rest readable by the bot's user only: the database and its -wal and -shm, the
documents folder and the documents in it (0600 files, 0700 folders), whatever the umask."""

from __future__ import annotations

import logging
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# what `relais` sets at start, so that anything it creates (a log file, a folder) is private
UMASK = 0o077

log = logging.getLogger("relais.files")


def database_files(path: Path) -> tuple[Path, Path, Path]:
    """The database file and the -wal and -shm files SQLite keeps beside it."""
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def prepare_database(path: Path) -> None:
    """Create the database's folder (0700) and file (0600) if needed, and tighten the files of
    a database made before (world- or group-readable).

    SQLite creates the -wal and -shm files with the database file's permissions, so a private
    database file keeps them private too.
    """
    if str(path) == ":memory:":
        return
    private_folder(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))  # SQLite fills it
    for file in database_files(path):
        _tighten(file, FILE_MODE)


def private_folder(folder: Path) -> None:
    """Create a folder readable by the bot's user only (an existing one is left as it is: the
    operator chose it)."""
    if not folder.exists():
        folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        _tighten(folder, DIR_MODE)  # mkdir's mode passes through the umask


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by the bot's user only, replacing any earlier one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), FILE_MODE)  # an older file keeps its mode through O_CREAT
        out.write(data)


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.exists() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError as exc:  # e.g. a file owned by another user: say so, and go on
        log.warning("cannot make %s private: %s", path.name, exc.strerror)
