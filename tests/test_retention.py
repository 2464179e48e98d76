"""The notice promises: kept at most 2 years after the last message. Relais keeps it."""

from __future__ import annotations

from datetime import timedelta

from bot.config import Settings
from bot.service import open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW


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
