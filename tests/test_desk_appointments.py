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


async def test_wrong_days_and_hours_are_refused_kindly_and_asked_again(relais: Relais) -> None:
    _, marie, amina_id = await amina_and_marie(relais)
    await marie.play(
        """
        > [Rendez-vous]
        < Quel jour, le rendez-vous avec Amina ?
        > 22/11/2026
        < Cette date est déjà passée. Écrivez une date à partir d'aujourd'hui.
        < Quel jour, le rendez-vous avec Amina ?
        > 31 février
        < Cette date n'existe pas. Vérifiez le jour et le mois.
        > 31/02/2027
        < Cette date n'existe pas.
        > [Aujourd'hui]
        < À quelle heure ?
        > 9h
        < Cette heure est déjà passée (il est 11:00). Écrivez une heure plus tard.
        < À quelle heure ?
        > 25h
        < Cette heure n'existe pas. Écrivez une heure entre 0h00 et 23h59
        > à l'heure du déjeuner
        < Je ne comprends pas cette heure. Écrivez-la comme ceci : 14h30.
        > [Retour]
        < Quel jour, le rendez-vous avec Amina ?
        > 1er décembre
        < À quelle heure ?
        > 2pm
        < Où ?
        """
    )
    # nothing is booked until the summary is confirmed
    assert await appointments_of(relais, amina_id) == []


async def test_the_hour_the_clocks_skip_is_refused_and_the_one_that_comes_twice_is_the_first(
    relais: Relais,
) -> None:
    _, marie, amina_id = await amina_and_marie(relais)
    await marie.play(
        """
        > [Rendez-vous]
        > 28/03/2027
        < À quelle heure ?
        > 2h30
        < Cette nuit-là, on avance les montres : 02:30 n'existe pas. Écrivez par exemple 03:30.
        < À quelle heure ?
        > 3h30
        < Où ?
        > [Par téléphone]
        > [Point sur sa recherche]
        > [Passer]
        > [Moi]
        < 📅 dimanche 28 mars 2027 à 03:30
        < 📍 Par téléphone
        > [Changer le jour ou l'heure]
        < Quel jour, le rendez-vous avec Amina ?
        > 31/10/2027
        > 02:30
        < 📅 dimanche 31 octobre 2027 à 02:30
        > [Oui, c'est bon]
        < C'est réservé pour Amina : dimanche 31 octobre 2027 à 02:30.
        """
    )
    [appointment] = await appointments_of(relais, amina_id)
    # 02:30 comes twice that night: the first, still in summer time (UTC+2)
    assert appointment.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert (appointment.place, appointment.note) == ("phone", "")


async def test_booked_in_the_evening_the_confirmation_waits_for_the_morning(
    relais: Relais, hands: Hands
) -> None:
    _, marie, _ = await amina_and_marie(relais)
    hands.now = NOW.replace(hour=20)  # 21:00 in Paris
    await marie.play(
        BOOKING
        + """
        > [Oui, c'est bon]
        < C'est le soir ou un jour de repos : Relais lui enverra la confirmation demain à 08:30.
        < Rappels : demain à 12:30.
        """
    )


async def marie_books(relais: Relais) -> tuple[Conversation, Conversation, int, int]:
    """Amina, Marie, Amina's id and the id of the appointment Marie booked for Tuesday 14:30."""
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie.play(BOOKING + "> [Oui, c'est bon]\n< C'est réservé")
    [appointment] = await appointments_of(relais, amina_id)
    return amina, marie, amina_id, appointment.id


async def test_the_page_shows_the_next_appointment_and_opens_it(relais: Relais) -> None:
    _, marie, amina_id, number = await marie_books(relais)
    await marie.play(
        f"""
        > /person {amina_id}
        < Prochain rendez-vous : mardi 24 novembre 2026 à 14:30 – Atelier CV
        > [Voir le RDV]
        < 📅 Rendez-vous avec Amina
        < mardi 24 novembre 2026 à 14:30
        < 📍 Au centre : 12 rue des Lilas, 75011 Paris
        < 🎯 Atelier CV
        < 📝 Apportez votre pièce d'identité.
        < 👤 vous
        < État : prévu
        < Réponse : pas encore de réponse
        < [✏️ Changer]
        < [❌ Annuler]
        ! Venu
        """
    )
    assert marie.last_message.buttons[0][0].data == f"V:am:{number}"


async def test_a_change_opens_at_the_summary_and_the_person_gets_the_new_details(
    relais: Relais,
) -> None:
    _, marie, _, number = await marie_books(relais)
    await marie.play(
        f"""
        > /rdv
        < Écrivez /rdv suivi du numéro de la personne, par exemple : /rdv 12
        """
    )
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:am:{number}"))
    await marie.play(
        """
        < Changer ce rendez-vous : choisissez ce qui change.
        < 📅 mardi 24 novembre 2026 à 14:30
        < 👤 Moi
        > [Changer le jour ou l'heure]
        < Quel jour
        > mercredi 25 novembre 2026
        < À quelle heure ?
        > 10h
        < 📅 mercredi 25 novembre 2026 à 10:00
        < 📝 Apportez votre pièce d'identité.
        > [Changer le lieu]
        < Où ?
        > [À une autre adresse]
        < À quelle adresse ?
        > 3 rue de la Roquette, 75011 Paris
        < 📍 À une autre adresse
        < 3 rue de la Roquette, 75011 Paris
        > [Oui, c'est bon]
        < 📅 C'est changé pour Amina : mercredi 25 novembre 2026 à 10:00.
        < Amina reçoit les nouveaux détails maintenant.
        < Rappels : demain à 10:00, le mercredi 25 novembre 2026 à 08:30.
        """
    )
    async with relais.storage.reading() as reads:
        appointment = await reads.appointment(number)
    assert appointment is not None
    assert (appointment.version, appointment.place, appointment.address) == (
        2,
        "address",
        "3 rue de la Roquette, 75011 Paris",
    )
    assert appointment.starts_at == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert [kind for kind, _ in await queued(relais)] == [
        "appointment_changed",
        "appointment_reminder",
        "appointment_reminder",
    ]
    # confirmed without a change: nothing is sent again
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:am:{number}"))
    await marie.play("> [Oui, c'est bon]\n< Rien n'a changé : le rendez-vous reste comme il était.")
    assert len(await queued(relais)) == 3


async def test_two_volunteers_change_the_same_appointment_and_the_second_is_told(
    relais: Relais,
) -> None:
    _, marie, amina_id, number = await marie_books(relais)
    paul = await join(relais, "paul", "paris11")
    await paul.type("Paul")
    for volunteer in (marie, paul):
        await volunteer.send(Inbound(EventKind.BUTTON, data=f"V:am:{number}"))
        await volunteer.play("< Changer ce rendez-vous\n> [Changer le jour ou l'heure]\n> 26/11/2026")
    await paul.play(
        """
        > 16h
        > [Oui, c'est bon]
        < C'est changé pour Amina : jeudi 26 novembre 2026 à 16:00.
        """
    )
    await marie.play(
        """
        > 9h
        < 📅 jeudi 26 novembre 2026 à 09:00
        < 👤 Moi
        > [Oui, c'est bon]
        < Quelqu'un a changé ce rendez-vous pendant que vous écriviez
        < les siens sont gardés. Le voici maintenant.
        < jeudi 26 novembre 2026 à 16:00
        < 👤 vous
        < [✏️ Changer]
        """
    )
    [appointment] = await appointments_of(relais, amina_id)
    assert (appointment.version, appointment.starts_at) == (
        2,
        datetime(2026, 11, 26, 15, 0, tzinfo=UTC),
    )
    assert [kind for kind, _ in await queued(relais)][0] == "appointment_changed"
    assert len(await queued(relais)) == 3  # Paul's change and its two reminders, nothing more


async def test_a_cancellation_is_confirmed_once_and_a_second_press_says_it_is_done(
    relais: Relais,
) -> None:
    _, marie, _, number = await marie_books(relais)
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:ad:{number}"))
    await marie.play(
        """
        > [Annuler]
        < Annuler le rendez-vous avec Amina, mardi 24 novembre 2026 à 14:30 ? La personne sera prévenue.
        > [Non, le garder]
        < État : prévu
        > [Annuler]
        > [Oui, annuler]
        < C'est annulé. Amina est prévenu(e) : plus de rappel pour ce rendez-vous.
        """
    )
    confirm = f"V:aky:{number}:1"
    # its reminders (and the confirmation not delivered yet) are gone
    assert [kind for kind, _ in await queued(relais)] == ["appointment_cancelled"]
    for data in (confirm, f"V:ak:{number}", f"V:am:{number}"):
        await marie.send(Inbound(EventKind.BUTTON, data=data))
        await marie.play("< Ce rendez-vous est déjà annulé.\n< État : annulé\n! Oui, annuler")
    assert [kind for kind, _ in await queued(relais)] == ["appointment_cancelled"]


async def test_after_its_start_marie_says_whether_amina_came_and_corrects_a_wrong_tap(
    relais: Relais, hands: Hands
) -> None:
    _, marie, _, number = await marie_books(relais)
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:aa:{number}"))
    await marie.play(
        "< Pas encore : vous pourrez noter si la personne est venue à partir de son heure, "
        "demain à 14:30."
    )
    hands.now = TUESDAY_1430 + timedelta(minutes=40)
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:ad:{number}"))
    await marie.play(
        """
        < [✅ Venu(e)]
        < [🚫 Pas venu(e)]
        ! Changer
        > [Venu(e)]
        < C'est noté : Amina est venu(e).
        < État : venu(e)
        > [Plutôt pas venu(e)]
        < C'est corrigé : pas venu(e).
        < État : pas venu(e)
        < [🔁 Plutôt venu(e)]
        """
    )
    # what was still queued is gone; the missed message offers another appointment
    assert [kind for kind, _ in await queued(relais)] == ["appointment_missed"]
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:ax:{number}"))
    await marie.play("< C'est déjà noté : pas venu(e).")
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:aa:{number}"))
    await marie.play("< C'est corrigé : venu(e).")
    assert await queued(relais) == []  # came after all: no "missed" message
