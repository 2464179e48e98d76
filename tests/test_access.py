"""Access rules of the volunteer side: a volunteer of centre A never reads, lists or hears of
a person of centre B, whatever the way (command, button data, id guessing, documents)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.domain import EventKind, Inbound
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW
from tests.conftest import CONFIG_TWO_CENTRES
from tests.test_flow_cv import CV_FR
from tests.test_volunteers import AMINA_IN_PARIS, join, notices_of, person_id

NOT_FOUND = "Je ne trouve pas cette personne parmi celles de votre centre."


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def relais(tmp_path: Path, clock: Clock) -> AsyncIterator[Relais]:
    config = tmp_path / "relais.toml"
    config.write_text(
        '[general]\nadmins = ["4242"]\n' + CONFIG_TWO_CENTRES.replace("[general]\n", ""),
        encoding="utf-8",
    )
    settings = load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "db.sqlite3")})
    app = await open_relais(settings, clock=clock)
    yield app
    await app.close()


async def two_centres(relais: Relais) -> tuple[Conversation, Conversation, int]:
    """Amina (Paris, with a CV), a Lyon volunteer; returns both and Amina's id."""
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + CV_FR)
    leo = await join(relais, "leo", "lyon")
    return amina, leo, await person_id(relais, "amina")


async def test_a_volunteer_of_another_centre_cannot_list_or_open(relais: Relais) -> None:
    _, leo, amina_id = await two_centres(relais)
    await leo.play(
        """
        > /people
        < 0 personne
        ! Amina
        """
    )
    await leo.type(f"/person {amina_id}")
    assert leo.text == NOT_FOUND
    for verb in ("p", "cv", "ck", "ckf", "fx", "sr", "fc", "o"):
        await leo.send(Inbound(EventKind.BUTTON, data=f"V:{verb}:{amina_id}"))
        assert leo.text == NOT_FOUND, verb
    for data in ("V:h:1", "V:cf:1"):
        await leo.send(Inbound(EventKind.BUTTON, data=data))
        assert NOT_FOUND in leo.text, data
    # an outcome's kind and contract are asked by the desk flow now: no such buttons any more
    for data in (f"V:ok:{amina_id}:job", f"V:oc:{amina_id}:cdi"):
        await leo.send(Inbound(EventKind.BUTTON, data=data))
        assert "Ce bouton ne marche plus" in leo.text, data
    assert await relais.document("test", "leo", f"cv_pdf:{amina_id}") is None
    async with relais.storage.transaction() as tx:
        follow = await tx.followup_of(amina_id)
        assert await tx.audit_entries() == []
        assert await tx.outcomes_of(amina_id) == []
    assert follow.cv_status == "to_check" and not follow.searching


async def test_guessing_ids_finds_nothing_outside_ones_centres(relais: Relais) -> None:
    _, leo, amina_id = await two_centres(relais)
    marie = await join(relais, "marie", "paris11")
    for guess in range(0, amina_id + 10):
        await leo.type(f"/person {guess}")
        assert NOT_FOUND in leo.text or "votre propre dossier" in leo.text, guess
        await leo.send(Inbound(EventKind.BUTTON, data=f"V:cv:{guess}"))
        assert NOT_FOUND in leo.text or "votre propre dossier" in leo.text, guess
    await marie.type(f"/person {amina_id}")
    assert "Amina Benali" in marie.text


async def test_the_desk_is_invisible_to_beneficiaries(relais: Relais) -> None:
    amina, _, amina_id = await two_centres(relais)
    await amina.type("/foo")
    unknown = amina.text
    for command in ("/people", f"/person {amina_id}", "/stats", "/audit", "/invite", "/centre"):
        await amina.type(command)
        assert amina.text == unknown, command
    await amina.send(Inbound(EventKind.BUTTON, data=f"V:p:{amina_id}"))
    assert "Ce bouton ne marche plus" in amina.text
    assert "Amina Benali (n°" not in amina.text


async def test_a_volunteer_does_not_open_their_own_file(relais: Relais) -> None:
    leo = await join(relais, "leo", "lyon")
    leo_id = await person_id(relais, "leo")
    await leo.type(f"/person {leo_id}")
    assert "votre propre dossier" in leo.text


async def test_invitation_codes_expire_work_once_and_resist_forgery(
    relais: Relais, clock: Clock
) -> None:
    code, _ = await relais.invite("lyon", "volunteer", created_by=None) or ("", None)
    first = Conversation(relais, user="first")
    await first.type(code.lower().replace("-", " "))  # typed loosely: still the code
    assert "Bienvenue dans l'équipe de Lyon Part-Dieu" in first.text
    second = Conversation(relais, user="second")
    await second.type(code)
    assert "déjà servi" in second.text
    await second.type("/people")
    assert "Je ne connais pas cette commande" in second.text
    late, _ = await relais.invite("lyon", "volunteer", created_by=None) or ("", None)
    clock.now = NOW + timedelta(days=8)
    await second.type(f"/join {late}")
    assert "a expiré" in second.text
    for attempt in range(5):
        await second.type(f"RELAIS-AAAA-AAA{attempt + 2}")
        assert "Ce code ne marche pas" in second.text
    fresh, _ = await relais.invite("lyon", "volunteer", created_by=None) or ("", None)
    await second.type(fresh)
    assert "Trop d'essais" in second.text
    clock.now += timedelta(hours=2)
    await second.type(fresh)
    assert "Bienvenue dans l'équipe" in second.text


async def test_who_may_invite(relais: Relais) -> None:
    coordinator = await join(relais, "cora", "paris11", role="coordinator")
    volunteer = await join(relais, "vic", "paris11")
    await coordinator.type("/invite")
    assert "Code d'invitation pour Paris 11e (bénévole)" in coordinator.text
    await coordinator.type("/invite lyon")
    assert "Seuls les coordinateurs et les admins peuvent faire cela" in coordinator.text
    await coordinator.type("/invite paris11 coordinator")
    assert "Seuls les administrateurs peuvent inviter un coordinateur" in coordinator.text
    await volunteer.type("/invite")
    assert "Cette commande est réservée aux coordinateurs de centre." in volunteer.text
    boss = Conversation(relais, user="4242")
    await boss.play("> /start\n> [Français]")
    await boss.type("/invite lyon coordinator")
    assert "Code d'invitation pour Lyon Part-Dieu (coordinateur ou coordinatrice)" in boss.text


async def test_a_removed_centre_keeps_its_people_and_their_answers(relais: Relais) -> None:
    amina, leo, amina_id = await two_centres(relais)
    marie = await join(relais, "marie", "paris11")
    boss = Conversation(relais, user="4242")
    await boss.play("> /start\n> [Français]")
    await boss.type("/centre remove paris11")
    assert "Centre paris11 fermé (1 personne)." in boss.text
    await marie.type("/people")
    assert "Amina" not in marie.text
    await marie.type(f"/person {amina_id}")
    assert "Votre centre a fermé" in marie.text
    await amina.type("/start")
    assert "Pour continuer, choisissez votre centre." in amina.text
    await amina.press("Lyon Part-Dieu")
    assert "Les bénévoles de Lyon Part-Dieu peuvent vous aider." in amina.text
    async with relais.storage.transaction() as tx:
        profile = await tx.profile_of(amina_id)
    assert profile["last_name"] == "Benali"
    await leo.type(f"/person {amina_id}")
    assert "Amina Benali" in leo.text
    await boss.type("/centre")
    assert "lyon – Lyon Part-Dieu" in boss.text and "paris11" not in boss.text.split("\n")[1]


async def test_the_menu_asks_for_a_new_centre_when_the_centre_closed(relais: Relais) -> None:
    amina, _, _ = await two_centres(relais)
    boss = Conversation(relais, user="4242")
    await boss.play("> /start\n> [Français]")
    await boss.type("/centre remove paris11")
    await amina.type("/menu")
    assert "Pour continuer, choisissez votre centre." in amina.text
    await amina.press("Lyon Part-Dieu")
    assert "Parler à un bénévole" in amina.text


async def test_admins_read_the_audit_log(relais: Relais) -> None:
    _, _, amina_id = await two_centres(relais)
    marie = await join(relais, "marie", "paris11")
    await marie.type(f"/person {amina_id}")
    await marie.type("/audit")
    assert "Cette commande est réservée aux administrateurs." in marie.text
    boss = Conversation(relais, user="4242")
    await boss.play("> /start\n> [Français]")
    await boss.type("/audit")
    assert f"a ouvert la fiche de la personne n° {amina_id}" in boss.text
    assert await notices_of(relais, "leo") == ""
