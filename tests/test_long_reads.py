"""Long reads (statistics, lists) are made on the read-only connection while the runtime
handles other people's messages; access is checked again after the read; an erasure during a
long read still leaves no byte of the person.

Each read is held open by a test double at the edge (the read-only transaction's query waits for
an event), so nothing here depends on how long anything takes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.desk import stats
from bot.service import open_relais
from bot.storage.database import ReadTx
from bot.testing.moment import fixed_clock
from bot.testing.test_channel import Running, SmallPhone
from tests.leftovers import PERSONAL, database_files, leftovers
from tests.test_reading import WatchedGate

ONBOARDING = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> Zorbalinde
"""
SAFETY = 30  # seconds: only so that a broken test fails instead of hanging


@pytest.fixture
async def running(settings: Settings) -> AsyncIterator[Running]:
    app = Running(await open_relais(settings, clock=fixed_clock))
    yield app
    await app.relais.close()


async def joined(running: Running, user: str, role: str = "coordinator") -> SmallPhone:
    invitation = await running.relais.invite("paris11", role, created_by=None)
    assert invitation is not None
    phone = running.phone(user)
    await phone.play(f"> /start {invitation[0]}\n< Bienvenue dans l'équipe\n> [Français]")
    return phone


class Held:
    """A query of the read-only transaction that, once made (its snapshot taken), waits until
    released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.reading, self.release = asyncio.Event(), asyncio.Event()
        original = getattr(ReadTx, name)

        async def held(tx: ReadTx, *args: Any, **kwargs: Any) -> Any:
            found = await original(tx, *args, **kwargs)
            self.reading.set()
            await self.release.wait()
            return found

        monkeypatch.setattr(ReadTx, name, held)

    async def started(self) -> None:
        await asyncio.wait_for(self.reading.wait(), SAFETY)


async def until(holds: Callable[[], bool]) -> None:
    async def wait() -> None:
        while not holds():
            await asyncio.sleep(0.005)

    await asyncio.wait_for(wait(), SAFETY)


async def send(running: Running, user: str, text: str) -> int:
    """Journal a message (the workers handle it); how many messages `user` had before."""
    before = len(running.channel.screens[user])
    await running.runtime.journal_next(user, {"from": user, "text": text})
    return before


def seen_since(running: Running, user: str, before: int) -> str:
    return "\n".join(seen.text for seen in running.channel.screens[user][before:])


async def test_another_persons_reply_is_sent_while_the_statistics_are_read(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    amina = running.phone("amina")
    await amina.play(ONBOARDING)
    await joined(running, "marie")
    held = Held(monkeypatch, "stats_people_by_centre")  # only the read-only connection's
    async with running.runtime.running():
        asked = await send(running, "marie", "/stats")
        await held.started()  # the figures are being read, on the read-only connection
        menu = await send(running, "amina", "/menu")
        await until(lambda: len(running.channel.screens["amina"]) > menu)
        assert "Que voulez-vous faire ?" in seen_since(running, "amina", menu)
        assert seen_since(running, "marie", asked) == ""  # still reading
        held.release.set()
        await until(lambda: "personne suivie" in seen_since(running, "marie", asked))
    # what the coordinator reads is what the same figures read in a transaction say
    async with running.relais.storage.transaction() as tx:
        today = running.relais.clock().date()
        figures = await stats.compute(tx, ("paris11",), today.replace(month=1, day=1), today)
    t = running.relais.catalogs.get("fr")
    shown = running.channel.screens["marie"][asked]
    assert shown.text == stats.format_text(figures, t, {"paris11": "Paris 11e"})
    assert [b.label for b in shown.buttons] == ["Exporter en CSV"]


async def test_the_same_persons_later_messages_wait_for_their_figures(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    await joined(running, "marie")
    held = Held(monkeypatch, "stats_people_by_centre")
    async with running.runtime.running():
        asked = await send(running, "marie", "/stats")
        await held.started()
        await send(running, "marie", "/team")
        await send(running, "marie", "/menu")
        held.release.set()
        await until(lambda: "Espace bénévole" in seen_since(running, "marie", asked))
    texts = [seen.text for seen in running.channel.screens["marie"][asked:]]
    # in the order she sent them
    assert "personne" in texts[0]
    assert texts[1].startswith("L'équipe de Paris 11e")
    assert "Espace bénévole" in texts[-1]


async def test_access_taken_back_during_the_read_shows_no_figures(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    await joined(running, "marie")
    held = Held(monkeypatch, "stats_people_by_centre")
    async with running.runtime.running():
        asked = await send(running, "marie", "/stats")
        await held.started()
        async with running.relais.storage.transaction() as tx:  # the writer is free
            marie = await tx.find_person("three_buttons", "marie")
            assert marie is not None and marie.id is not None
            assert await tx.revoke_roles(marie.id, ["paris11"]) == 1
        held.release.set()
        await until(lambda: len(running.channel.screens["marie"]) > asked)
    answer = seen_since(running, "marie", asked)
    assert "personne" not in answer  # checked again after the read: no figures
    assert "Paris 11e" not in answer


async def test_someone_erased_while_the_list_is_read_is_not_listed(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    amina, bob = running.phone("amina"), running.phone("bob")
    await amina.play(ONBOARDING)
    await bob.play(ONBOARDING.replace("Zorbalinde", "Bob"))
    await joined(running, "marie", "volunteer")
    running.relais.storage._gate = lock = WatchedGate()
    held = Held(monkeypatch, "list_beneficiaries")
    async with running.runtime.running():
        asked = await send(running, "marie", "/people")
        await held.started()  # the list is read: Zorbalinde is in its snapshot
        async with running.relais.storage.transaction() as tx:
            person = await tx.find_person("three_buttons", "amina")
            assert person is not None and person.id is not None
        erasure = asyncio.create_task(erase(running, person.id))
        await asyncio.wait_for(lock.waited.wait(), SAFETY)  # committed; its checkpoint waits
        held.release.set()
        await erasure
        await until(lambda: len(running.channel.screens["marie"]) > asked)
    listed = seen_since(running, "marie", asked) + "".join(
        b.label for seen in running.channel.screens["marie"][asked:] for b in seen.buttons
    )
    assert "Bob" in listed
    assert "Zorbalinde" not in listed


async def erase(running: Running, person_id: int) -> None:
    async with running.relais.storage.transaction() as tx:
        assert await tx.erase_person(person_id, "erased", person_id)


async def test_an_erasure_during_the_statistics_read_leaves_no_byte(
    running: Running, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    amina = running.phone("amina")
    await amina.play(ONBOARDING + "> [Mes données]\n> [Tout effacer]\n< On ne pourra pas")
    await joined(running, "marie")
    database = Path(settings.database)
    assert leftovers(database_files(database), PERSONAL)  # her first name is in the files
    # a reader kept longer than the writer's busy timeout: only waiting for it empties the WAL
    await running.relais.storage._conn.execute("PRAGMA busy_timeout=0")
    running.relais.storage._gate = lock = WatchedGate()
    held = Held(monkeypatch, "stats_people_by_centre")
    async with running.runtime.running():
        asked = await send(running, "marie", "/stats")
        await held.started()
        said = await send(running, "amina", "Oui")  # erase everything
        await asyncio.wait_for(lock.waited.wait(), SAFETY)  # erased; the checkpoint waits
        # nothing is sent before the WAL lost its copies
        assert seen_since(running, "amina", said) == ""
        held.release.set()
        await until(lambda: "C'est fait" in seen_since(running, "amina", said))
        await until(lambda: "personne" in seen_since(running, "marie", asked))
    # (the WAL holds what was written since, without her)
    assert leftovers(database_files(database), PERSONAL) == []


async def test_a_request_taken_while_the_requests_are_read_is_not_offered(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    amina = running.phone("amina")
    await amina.play(ONBOARDING + "> [Parler à un bénévole]\n> [Oui]")
    await joined(running, "marie", "volunteer")
    await joined(running, "paul", "volunteer")
    held = Held(monkeypatch, "waiting_help_requests")
    async with running.runtime.running():
        asked = await send(running, "marie", "/requests")
        await held.started()  # Zorbalinde's request is in the snapshot, waiting
        async with running.relais.storage.transaction() as tx:  # Paul takes it meanwhile
            person = await tx.find_person("three_buttons", "amina")
            paul = await tx.find_person("three_buttons", "paul")
            assert person is not None and person.id is not None
            assert paul is not None and paul.id is not None
            request = await tx.waiting_help_request(person.id)
            assert request is not None
            assert await tx.take_help_request(request.id, paul.id)
        held.release.set()
        await until(lambda: len(running.channel.screens["marie"]) > asked)
    assert seen_since(running, "marie", asked) == "Aucune demande en attente. Merci !"


async def test_a_long_read_that_fails_beside_the_writer_is_made_in_the_transaction(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    await joined(running, "marie")

    async def refused(*args: Any, **kwargs: Any) -> Any:
        raise OSError("the read-only connection is gone")

    monkeypatch.setattr(ReadTx, "stats_people_by_centre", refused)
    async with running.runtime.running():
        asked = await send(running, "marie", "/stats")
        await until(lambda: len(running.channel.screens["marie"]) > asked)
    assert "0 personne suivie" in seen_since(running, "marie", asked)  # as before: no apology
