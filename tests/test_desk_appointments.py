"""Appointments on the volunteers' side, played as conversations: Marie, a volunteer of Paris 11e,
books an appointment with Amina from her page, on Monday 23 November 2026 at 11:00 in Paris;
wrong days and hours are refused kindly; Amina's confirmation and reminders are queued; Marie
looks at it, changes it, cancels it, and after it marks whether Amina came. Two volunteers
changing the same appointment, forged buttons, another centre's person, a person who stopped
Relais, a cancelled appointment pressed again: clear answers, nothing lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.appointments.domain import NewAppointment
from bot.config import Settings, load_settings
from bot.core.domain import EventKind, Inbound
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, Hands
from tests.test_volunteers import AMINA_IN_PARIS, join, person_id

STALE = "Ce bouton ne marche plus"
NOT_FOUND = "Je ne trouve pas cette personne parmi celles de votre centre."
CONFIG = """
[general]
languages = ["fr", "en", "ar"]

[[centres]]
id = "paris11"
name = "Paris 11e"
address = "12 rue des Lilas, 75011 Paris"

[[centres]]
id = "lyon"
name = "Lyon Part-Dieu"
address = "5 place Charles Béraud, 69003 Lyon"
"""
# Monday 23 November 2026, 11:00 in Paris (NOW); the appointment: Tuesday at 14:30
TUESDAY_1430 = datetime(2026, 11, 24, 13, 30, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "relais.sqlite3")})


@pytest.fixture
def hands() -> Hands:
    return Hands()


@pytest.fixture
async def relais(settings: Settings, hands: Hands) -> AsyncIterator[Relais]:
    app = await open_relais(settings, clock=hands)
    yield app
    await app.close()


async def amina_and_marie(relais: Relais) -> tuple[Conversation, Conversation, int]:
    """Amina at her menu, Marie a volunteer of her centre, on Amina's page."""
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS)
    marie = await join(relais, "marie", "paris11")
    await marie.type("Marie")  # her first name, for her team
    amina_id = await person_id(relais, "amina")
    await marie.play(f"> /person {amina_id}\n< Amina (n° {amina_id})")
    return amina, marie, amina_id


BOOKING = """
> [Rendez-vous]
< Quel jour, le rendez-vous avec Amina ?
< [Demain]
> demain
< À quelle heure ?
< Écrivez l'heure comme ceci : 14h30
> 14h30
< Adresse du centre : 12 rue des Lilas, 75011 Paris
< Où ?
> [Au centre]
< Pour quoi ?
> [Atelier CV]
< Une information pratique pour Amina ?
> Apportez votre pièce d'identité.
< Qui sera là ?
< [Moi]
> [Moi]
< Rendez-vous avec Amina :
< 📅 mardi 24 novembre 2026 à 14:30
< 📍 Au centre
< 12 rue des Lilas, 75011 Paris
< 🎯 Atelier CV
< 📝 Apportez votre pièce d'identité.
< 👤 Moi
< C'est bon ?
"""


async def queued(relais: Relais) -> list[tuple[str, str]]:
    """(kind, not_before) of every message about an appointment still queued."""
    async with relais.storage.reading() as reads:
        rows = await reads._fetchall(  # noqa: SLF001 (the raw rows are what is checked)
            "SELECT kind, not_before FROM started_messages WHERE state = 'queued'"
            " AND kind LIKE 'appointment%' ORDER BY id"
        )
    return [(r["kind"], r["not_before"]) for r in rows]


async def appointments_of(relais: Relais, who: int) -> list:
    async with relais.storage.reading() as reads:
        return await reads.appointments_of(who)


async def test_marie_books_amina_for_tomorrow_and_is_told_what_amina_receives(
    relais: Relais,
) -> None:
    _, marie, amina_id = await amina_and_marie(relais)
    await marie.play(
        BOOKING
        + """
        > [Oui, c'est bon]
        < 📅 C'est réservé pour Amina : mardi 24 novembre 2026 à 14:30.
        < Amina reçoit la confirmation maintenant.
        < Rappels : aujourd'hui à 14:30, demain à 12:30.
        < Voir le rendez-vous
        """
    )
    [appointment] = await appointments_of(relais, amina_id)
    assert (appointment.starts_at, appointment.place, appointment.purpose) == (
        TUESDAY_1430,
        "centre",
        "cv_workshop",
    )
    assert appointment.note == "Apportez votre pièce d'identité."
    assert appointment.volunteer_id == appointment.booked_by == await person_id(relais, "marie")
    assert [kind for kind, _ in await queued(relais)] == [
        "appointment_confirmed",
        "appointment_reminder",
        "appointment_reminder",
    ]
