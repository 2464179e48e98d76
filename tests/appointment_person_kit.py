"""What the appointment tests share: a deployment with two centres (Paris 11e with its
address), four languages and an admin; a clock the test moves; and an appointment booked,
changed or ended as a volunteer would, its messages delivered as they reach a phone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.appointments import lifecycle
from bot.appointments.domain import Appointment, NewAppointment
from bot.config import Settings, load_settings
from bot.reach.delivery import take_due
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands

PARIS = ZoneInfo("Europe/Paris")
CONFIG = """
[general]
languages = ["fr", "en", "ar", "uk"]
admins = ["900"]

[[centres]]
id = "paris11"
name = "Paris 11e"
address = "12 rue des Lilas, 75011 Paris"

[[centres]]
id = "lyon"
name = "Lyon Part-Dieu"
"""
# Monday 7 December 2026, 10:00 in Paris: the appointment is booked for Tuesday at 14:30
BOOKED = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 12, 8, 14, 30, tzinfo=PARIS)
NOTE = "Apportez votre pièce d'identité."

AMINA = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> Amina
< Que voulez-vous faire ?
"""
OLENA = """
> /start
> [English]
> [Yes]
> [Paris 11e]
> Olena
< What would you like to do?
"""


@pytest.fixture(name="settings")
def appointment_settings(tmp_path: Path) -> Settings:
    """Two centres (Paris 11e with its address), four languages, one admin."""
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {
        "RELAIS_DATABASE": str(tmp_path / "relais.sqlite3"),
        "RELAIS_DOCUMENTS_DIR": str(tmp_path / "documents"),
    }
    return load_settings(config, env=env)


@pytest.fixture(name="hands")
def appointment_hands() -> Hands:
    return Hands(BOOKED)


async def deliver(relais: Relais, person: Conversation) -> str:
    """What reaches `person` now from the messages Relais starts (with the document each
    brings, as "[document kind]"); their buttons become theirs to press."""
    async with relais.storage.transaction() as tx:
        due = await take_due(
            tx, relais.catalogs, "test", relais.clock(), person.user, relais.settings.quiet_hours
        )
    texts = []
    for message in (d.message for d in due):
        if message.buttons:
            person.buttons = [b for row in message.buttons for b in row]
        texts.append(message.text + (f"\n[{message.document}]" if message.document else ""))
    return "\n".join(texts)


async def book(
    relais: Relais,
    user: str = "amina",
    starts_at: datetime = TUESDAY,
    place: str = "centre",
    purpose: str = "cv_workshop",
    address: str = "",
    note: str = NOTE,
    volunteer: str | None = None,
    channel: str = "test",
) -> Appointment:
    """An appointment for `user`, booked as a volunteer would (with `volunteer` there)."""
    async with relais.storage.transaction() as tx:
        person = await tx.find_person(channel, user)
        assert person is not None and person.id is not None and person.centre is not None
        there = await tx.find_person("test", volunteer) if volunteer else None
        new = NewAppointment(
            person.id,
            person.centre,
            starts_at,
            place,
            purpose,
            address=address,
            note=note,
            volunteer_id=there.id if there is not None else None,
        )
        # booked by the volunteer who will be there
        appointment = await tx.book_appointment(new, there.id if there is not None else None)
        world = await relais.world(tx)
        await lifecycle.booked(
            tx,
            appointment,
            world.centre(person.centre),
            relais.settings.appointments,
            relais.settings.quiet_hours,
            relais.catalogs.tz,
            relais.clock(),
        )
    return appointment


async def change(relais: Relais, number: int, starts_at: datetime, **details: str) -> Appointment:
    """A volunteer moves the appointment (or changes its place, purpose or note)."""
    async with relais.storage.transaction() as tx:
        before = await tx.appointment(number)
        assert before is not None
        new = NewAppointment(
            before.person_id,
            before.centre,
            starts_at,
            details.get("place", before.place),
            details.get("purpose", before.purpose),
            address=details.get("address", before.address),
            note=details.get("note", before.note),
            volunteer_id=before.volunteer_id,
        )
        after = await tx.change_appointment(number, before.version, new)
        assert after is not None
        world = await relais.world(tx)
        await lifecycle.changed(
            tx,
            before,
            after,
            world.centre(after.centre),
            relais.settings.appointments,
            relais.settings.quiet_hours,
            relais.catalogs.tz,
            relais.clock(),
        )
    return after


async def end(relais: Relais, number: int, state: str, tell: bool = True) -> Appointment:
    """A volunteer cancels the appointment, or marks it attended or missed."""
    async with relais.storage.transaction() as tx:
        ended = await tx.end_appointment(number, state)
        assert ended is not None
        world = await relais.world(tx)
        await lifecycle.ended(tx, ended, world.centre(ended.centre), tell)
    return ended
