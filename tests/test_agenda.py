"""The morning agenda, with a clock the test moves: on Tuesday 24 November 2026 at 08:30 in
Paris, Marie receives her appointments of the day and Cora, the coordinator of Paris 11e, those
nobody of the team will be at; once each, whatever the sweeps and restarts; nothing on a Sunday
off; an agenda hour inside quiet hours waits for their end; the list is read when it goes (a
cancelled appointment is not in it, an erased person leaves no name in the queue, nor in the
outbox)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.appointments import agenda
from bot.appointments.domain import NewAppointment
from bot.config import Settings, load_settings
from bot.core.domain import EventKind, Inbound
from bot.reach.delivery import take_due
from bot.schedule.quiet_hours import QuietHours
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, Hands
from bot.testing.test_channel import Running, ThreeButtonChannel
from tests.test_desk_appointments import CONFIG
from tests.test_volunteers import AMINA_IN_PARIS, join, person_id

PARIS = ZoneInfo("Europe/Paris")


def paris(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A moment of November 2026 (or another month) on Paris's clock, in UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "relais.sqlite3")})


async def a_centre(relais: Relais) -> dict[str, int]:
    """Amina and Sara of Paris 11e; Marie and Paul, its volunteers; Cora, its coordinator."""
    for user in ("amina", "sara"):
        person = Conversation(relais, user=user)
        await person.play(AMINA_IN_PARIS.replace("Amina", user.capitalize()))
    for user, role in (("marie", "volunteer"), ("paul", "volunteer"), ("cora", "coordinator")):
        volunteer = await join(relais, user, "paris11", role)
        await volunteer.type(user.capitalize())
    return {
        user: await person_id(relais, user) for user in ("amina", "sara", "marie", "paul", "cora")
    }


async def book(
    relais: Relais, who: int, at: datetime, volunteer: int | None, purpose: str = "cv_workshop"
) -> int:
    async with relais.storage.transaction() as tx:
        new = NewAppointment(who, "paris11", at, "centre", purpose, volunteer_id=volunteer)
        return (await tx.book_appointment(new, volunteer)).id


async def sweep(relais: Relais) -> int:
    return await agenda.sweep(relais, relais.clock())


async def delivered(relais: Relais, user: str) -> list:
    async with relais.storage.transaction() as tx:
        return await take_due(tx, relais.catalogs, "test", relais.clock(), user)


async def texts(relais: Relais, user: str) -> str:
    return "\n".join(d.message.text for d in await delivered(relais, user))


async def queued_agendas(relais: Relais) -> list[tuple[int, str, str]]:
    async with relais.storage.reading() as reads:
        rows = await reads._fetchall(
            "SELECT person_id, params, state FROM started_messages WHERE kind = ? ORDER BY id",
            (agenda.KIND,),
        )
    return [(int(r["person_id"]), r["params"], r["state"]) for r in rows]


async def test_marie_gets_her_day_at_8_30_and_cora_what_nobody_will_be_at(
    relais: Relais, hands: Hands, settings: Settings
) -> None:
    ids = await a_centre(relais)
    await book(relais, ids["amina"], paris(24, 14, 30), ids["marie"])
    await book(relais, ids["sara"], paris(24, 10), None, "followup")
    await book(relais, ids["sara"], paris(25, 9), ids["marie"])  # Wednesday: not Tuesday's
    hands.now = NOW  # Monday 11:00: Monday has no appointment
    assert await sweep(relais) == 0
    hands.now = paris(24, 8, 15)  # too early: queued a few minutes before only
    assert await sweep(relais) == 0
    hands.now = paris(24, 8, 25)
    assert await sweep(relais) == 2
    assert await sweep(relais) == 0  # once per volunteer and day
    # the queue holds the day only: no name waits there
    rows = await queued_agendas(relais)
    assert sorted(person for person, _, _ in rows) == sorted([ids["marie"], ids["cora"]])
    assert all("Amina" not in params and "Sara" not in params for _, params, _ in rows)
    assert await texts(relais, "marie") == ""  # not before 08:30
    hands.now = paris(24, 8, 30)
    [marie] = await delivered(relais, "marie")
    assert marie.message.text == (
        "📅 Vos rendez-vous du mardi 24 novembre 2026 :\n"
        "14:30 · Amina · Atelier CV · Au centre · pas encore de réponse"
    )
    labels = [[(b.label, b.data) for b in row] for row in marie.message.buttons]
    number = (await appointments(relais, ids["amina"]))[0]
    assert labels == [[("14:30 · Amina", f"V:ad:{number}")], [("📅 Agenda", "V:ag:0")]]
    assert marie.shows == (ids["amina"],)  # the outbox erases it with Amina while it waits
    assert await texts(relais, "cora") == (
        "📅 Vos rendez-vous du mardi 24 novembre 2026 :\n\n"
        "Sans bénévole choisi, à Paris 11e :\n"
        "10:00 · Sara · Point sur sa recherche · Au centre · pas encore de réponse"
    )
    assert await texts(relais, "paul") == ""
    # later sweeps, and another start (whose start-up runs every sweep), send nothing more
    hands.now = paris(24, 9)
    assert await sweep(relais) == 0
    again = await open_relais(settings, clock=hands)
    try:
        assert await texts(again, "marie") == ""
        assert await texts(again, "cora") == ""
    finally:
        await again.close()


async def appointments(relais: Relais, who: int) -> list[int]:
    async with relais.storage.reading() as reads:
        return [a.id for a in await reads.appointments_of(who)]


async def test_the_list_is_read_when_it_goes(relais: Relais, hands: Hands) -> None:
    ids = await a_centre(relais)
    amina = await book(relais, ids["amina"], paris(24, 14, 30), ids["marie"])
    await book(relais, ids["sara"], paris(24, 11), ids["marie"])
    hands.now = paris(24, 8, 25)
    assert await sweep(relais) == 1
    # before it goes: Amina's appointment is cancelled, one with Sara is booked at 16:00
    async with relais.storage.transaction() as tx:
        assert await tx.end_appointment(amina, "cancelled") is not None
    await book(relais, ids["sara"], paris(24, 16), ids["marie"], "employer")
    hands.now = paris(24, 8, 30)
    assert await texts(relais, "marie") == (
        "📅 Vos rendez-vous du mardi 24 novembre 2026 :\n"
        "11:00 · Sara · Atelier CV · Au centre · pas encore de réponse\n"
        "16:00 · Sara · Rencontre avec un employeur · Au centre · pas encore de réponse"
    )


async def test_an_erased_person_leaves_no_name_in_the_queue_nor_in_the_outbox(
    relais: Relais, hands: Hands
) -> None:
    ids = await a_centre(relais)
    await book(relais, ids["amina"], paris(24, 14, 30), ids["marie"])
    hands.now = paris(24, 8, 25)
    assert await sweep(relais) == 1
    async with relais.storage.transaction() as tx:
        await tx.erase_person(ids["amina"], "erased", ids["amina"])
    hands.now = paris(24, 8, 30)
    # nothing left to say: the message is dropped, not sent empty
    assert await delivered(relais, "marie") == []
    assert await queued_agendas(relais) == []

    # through the runtime: the agenda handed to the outbox names Amina as what it shows
    await book(relais, ids["sara"], paris(24, 15), ids["marie"])
    hands.now = paris(24, 8, 31)
    assert await sweep(relais) == 1
    channel = ThreeButtonChannel()
    channel.name = "test"  # the channel the conversations of this test speak on
    running = Running(relais, channel)
    async with relais.storage.transaction() as tx:
        assert await running.runtime._queue_due(tx) == 1
    assert await outbox_naming(relais, "Sara") == 1
    async with relais.storage.transaction() as tx:
        await tx.erase_person(ids["sara"], "erased", ids["sara"])
    assert await outbox_naming(relais, "Sara") == 0


async def outbox_naming(relais: Relais, name: str) -> int:
    async with relais.storage.reading() as reads:
        rows = await reads._fetchall("SELECT payload FROM outbox")
    return sum(name in r["payload"] for r in rows)


async def test_no_agenda_on_a_day_off_and_the_next_morning_lists_its_own_day(
    relais: Relais, hands: Hands
) -> None:
    ids = await a_centre(relais)
    await book(relais, ids["amina"], paris(29, 11), ids["marie"])  # Sunday 29 November
    await book(relais, ids["sara"], paris(30, 10), ids["marie"])  # Monday 30 November
    hands.now = paris(29, 8, 30)
    assert await sweep(relais) == 0
    hands.now = paris(30, 8, 28)
    assert await sweep(relais) == 1
    hands.now = paris(30, 8, 30)
    text = await texts(relais, "marie")
    assert text.startswith("📅 Vos rendez-vous du lundi 30 novembre 2026 :")
    assert "Sara" in text and "Amina" not in text


def test_an_agenda_hour_inside_quiet_hours_waits_for_their_end() -> None:
    quiet = QuietHours()  # 20:00 → 08:30, Sunday off
    assert agenda.morning(date(2026, 11, 24), time(7, 0), quiet, PARIS) == paris(24, 8, 30)
    assert agenda.morning(date(2026, 11, 24), time(9, 15), quiet, PARIS) == paris(24, 9, 15)
    assert agenda.morning(date(2026, 11, 29), time(8, 30), quiet, PARIS) is None  # Sunday
    # an hour in the evening quiet hours would go the next day: no agenda rather than a late one
    assert agenda.morning(date(2026, 11, 24), time(21, 0), quiet, PARIS) is None
    # the night clocks go forward: the day is 23 hours long, the agenda still at 08:30
    start, end = agenda.day_range(date(2027, 3, 28), PARIS)
    assert end - start == timedelta(hours=23)


async def test_a_volunteer_who_left_the_team_hands_their_appointments_to_the_coordinator(
    relais: Relais, hands: Hands
) -> None:
    ids = await a_centre(relais)
    await book(relais, ids["amina"], paris(24, 14, 30), ids["paul"])
    async with relais.storage.transaction() as tx:
        await tx.revoke_roles(ids["paul"], ["paris11"])
    hands.now = paris(24, 8, 25)
    assert await sweep(relais) == 1
    hands.now = paris(24, 8, 30)
    assert await texts(relais, "paul") == ""
    assert "Sans bénévole choisi, à Paris 11e :\n14:30 · Amina" in await texts(relais, "cora")


async def test_the_agenda_s_button_opens_the_appointment(relais: Relais, hands: Hands) -> None:
    ids = await a_centre(relais)
    number = await book(relais, ids["amina"], paris(24, 14, 30), ids["marie"])
    hands.now = paris(24, 8, 25)
    await sweep(relais)
    hands.now = paris(24, 8, 30)
    [notice] = await delivered(relais, "marie")
    marie = Conversation(relais, user="marie")
    await marie.send(Inbound(EventKind.BUTTON, data=notice.message.buttons[0][0].data))
    await marie.play("< 📅 Rendez-vous avec Amina\n< mardi 24 novembre 2026 à 14:30")
    assert number in await appointments(relais, ids["amina"])
