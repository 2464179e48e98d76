"""Erasure outside the database: the documents a person was given as files, and how the audit
log names an erasure. The SQL side is in storage_erasure.py."""

from __future__ import annotations

import glob
import hashlib
import logging
import re
import shutil
from pathlib import Path

from bot.core.domain import Reply
from bot.core.i18n import N_

log = logging.getLogger("relais.erasure")

EFFECT = "erased"  # the engine's effect when a person erases their data

# how /audit shows an erasure (ids only, like every audit line)
AUDIT_LINES = {
    "erased": N_("{at} – la personne n° {subject} a effacé ses données"),
    "purged": N_(
        "{at} – données de la personne n° {subject} effacées : durée de conservation dépassée"
    ),
}


def asked(reply: Reply) -> bool:
    """Whether this reply is the end of an erasure the person asked for."""
    return any(effect.name == EFFECT for effect in reply.effects)


def refused(reply: Reply) -> bool:
    """Whether the erasure is a "no" to a new notice: the person then stays, like anyone who
    said no, with their language only."""
    return any(effect.name == EFFECT and effect.data.get("refused") for effect in reply.effects)


def documents_folder(documents_dir: Path, user: str) -> Path:
    """The folder where `relais chat` writes one user's documents (one folder per user, so
    that erasing them removes exactly their files)."""
    safe = _file_safe(user) or "_"
    # the hash keeps "a.b" and "a_b" apart
    digest = hashlib.sha256(user.encode("utf-8")).hexdigest()[:8]
    return documents_dir / f"{safe}-{digest}"


def about_folder(user_folder: Path, person_id: int) -> Path:
    """Where `relais chat` writes, in a volunteer's folder, a document about someone else
    (their CV): erasing that person removes it too."""
    return user_folder / f"n{person_id}"


def forget_documents(documents_dir: Path, user: str, person_id: int | None = None) -> None:
    """Delete the files written for this user (their folder, and the CVs earlier versions
    wrote directly in the documents folder as `<user>-CV-<name>.pdf`), and the copies of
    their documents written for volunteers."""
    folder = documents_folder(documents_dir, user)
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
    if person_id is not None and documents_dir.is_dir():
        for volunteer in documents_dir.iterdir():
            copies = about_folder(volunteer, person_id)
            if volunteer.is_dir() and not volunteer.is_symlink() and copies.is_dir():
                shutil.rmtree(copies, ignore_errors=True)
    if documents_dir.is_dir():
        for path in documents_dir.glob(f"{glob.escape(_file_safe(user))}-CV*"):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
    if folder.exists():
        log.warning("documents folder of an erased person could not be removed")


def _file_safe(user: str) -> str:
    # the user's name as relais chat puts it in file names (and did before per-user folders)
    return re.sub(r"[^A-Za-z0-9_-]+", "_", user)[:40]
