"""The notice promises: kept at most 2 years after the last message. Relais keeps it."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.privacy import retention
from bot.privacy.erasure import documents_folder
from bot.schedule import sweeps as schedule_sweeps
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW
from tests.leftovers import FIRST_NAME, database_files, leftovers


async def talk(settings: Settings, when, user: str) -> None:
    relais = await open_relais(settings, clock=lambda: when)
    try:
        await Conversation(relais, user=user).play(
            """
            > /start
            > [Français]
            > [Oui]
            > [Lyon]
            > Amina
            < Bienvenue, Amina !
            """
        )
    finally:
        await relais.close()


async def people(settings: Settings, when) -> set[str]:
    relais = await open_relais(settings, clock=lambda: when)
    try:
        async with relais.storage.transaction() as tx:
            found = {u for u in ("amina", "bob") if await tx.find_person("test", u)}
    finally:
        await relais.close()
    return found


async def test_people_silent_for_two_years_are_erased(settings: Settings) -> None:
    assert settings.retention_days == 730
    await talk(settings, NOW, "amina")
    await talk(settings, NOW + timedelta(days=400), "bob")
    assert await people(settings, NOW + timedelta(days=729)) == {"amina", "bob"}
    assert await people(settings, NOW + timedelta(days=731)) == {"bob"}
    assert await people(settings, NOW + timedelta(days=1131)) == set()


# -- a long purge, in steps ------------------------------------------------------------------

SILENT = [f"silent{n}" for n in range(5)]
LATER = NOW + timedelta(days=731)  # past the retention of everyone who talked at NOW


async def silent_people(settings: Settings) -> None:
    """Five people who talked at NOW (each with a document folder, as `relais chat` writes)."""
    relais = await open_relais(settings, clock=lambda: NOW)
    try:
        for user in SILENT:
            await Conversation(relais, user=user).play(
                f"> /start\n> [Français]\n> [Oui]\n> [Lyon]\n> {FIRST_NAME}\n< Bienvenue"
            )
            folder = documents_folder(settings.documents_dir, user)
            folder.mkdir(parents=True)
            (folder / "cv.pdf").write_bytes(FIRST_NAME.encode())
    finally:
        await relais.close()


async def still_there(relais: Relais) -> int:
    async with relais.storage.transaction() as tx:
        return sum([await tx.find_person("test", u) is not None for u in SILENT])


@pytest.fixture
def with_documents(settings: Settings, tmp_path: Path) -> Settings:
    """The settings, with a documents folder of the test's own."""
    return dataclasses.replace(settings, documents_dir=tmp_path / "documents")


async def test_a_long_purge_goes_in_steps_and_others_are_served_between(
    with_documents: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = with_documents
    monkeypatch.setattr(retention, "PEOPLE_PER_STEP", 2)
    await silent_people(settings)
    relais = await open_relais(settings, clock=lambda: NOW)  # nothing to purge yet
    try:
        seen_between: list[int] = []

        async def someone_else() -> None:
            # queued behind the purge's first step: served before its second
            seen_between.append(await still_there(relais))

        purge = asyncio.create_task(relais.purge(LATER))
        await asyncio.sleep(0)  # the purge starts its first step
        await asyncio.gather(purge, someone_else())
        assert purge.result() == 5
        assert seen_between == [3]
        assert await still_there(relais) == 0
        # each step's files went with it, and no byte of them stays in the database files
        assert not any(documents_folder(settings.documents_dir, u).exists() for u in SILENT)
        assert leftovers(database_files(settings.database)) == []
    finally:
        await relais.close()


async def test_start_up_leaves_a_long_purge_to_the_scheduler(
    with_documents: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = with_documents
    monkeypatch.setattr(retention, "PEOPLE_PER_STEP", 2)
    monkeypatch.setattr(schedule_sweeps, "START_PURGE_SECONDS", 0.0)  # one step, then serve
    await silent_people(settings)
    relais = await open_relais(settings, clock=lambda: LATER)
    try:
        assert await still_there(relais) == 3
        retention_sweep = next(s for s in schedule_sweeps.sweeps() if s.name == "retention")
        assert await retention_sweep.run(relais, LATER) == 3  # the scheduler's first run
        assert await still_there(relais) == 0
    finally:
        await relais.close()
