"""Appointments on the volunteers' side, played as conversations: Marie, a volunteer of Paris 11e,
books an appointment with Amina from her page, on Monday 23 November 2026 at 11:00 in Paris;
wrong days and hours are refused kindly; Amina's confirmation and reminders are queued; Marie
looks at it, changes it, cancels it, and after it marks whether Amina came. Two volunteers
changing the same appointment, forged buttons, another centre's person, a person who stopped
Relais, a cancelled appointment pressed again: clear answers, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.appointments.domain import NewAppointment
from bot.config import Settings, load_settings
from bot.core.domain import EventKind, Inbound
from bot.privacy import export
from bot.reach.delivery import take_due
from bot.service import Relais
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
        rows = await reads._fetchall(
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
        < Attention : Amina n'a pas donné de numéro de téléphone à Relais.
        """
    )
    [appointment] = await appointments_of(relais, amina_id)
    # 02:30 comes twice that night: the first, still in summer time (UTC+2)
    assert appointment.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert (appointment.place, appointment.note) == ("phone", "")


async def test_booked_in_the_evening_the_confirmation_waits_for_the_morning(
    relais: Relais, hands: Hands
) -> None:
    _, marie, amina_id = await amina_and_marie(relais)
    hands.now = NOW.replace(hour=20)  # 21:00 in Paris
    await marie.play(
        BOOKING
        + """
        > [Oui, c'est bon]
        < C'est le soir ou un jour de repos : Relais lui enverra la confirmation demain à 08:30.
        < Rappels : demain à 12:30.
        """
    )
    # cancelled the same evening: Amina, who never heard of it, hears nothing
    [appointment] = await appointments_of(relais, amina_id)
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:ak:{appointment.id}"))
    await marie.play(
        """
        > [Oui, annuler]
        < C'est annulé. Amina n'avait pas encore reçu ce rendez-vous
        """
    )
    assert await queued(relais) == []


async def marie_books(relais: Relais) -> tuple[Conversation, Conversation, int, int]:
    """Amina, Marie, Amina's id and the id of the appointment Marie booked for Tuesday 14:30."""
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie.play(BOOKING + "> [Oui, c'est bon]\n< C'est réservé")
    [appointment] = await appointments_of(relais, amina_id)
    # Amina has read the confirmation (a change or a cancellation is then told to her)
    async with relais.storage.transaction() as tx:
        rows = await tx._fetchall(
            "SELECT id FROM started_messages WHERE kind = 'appointment_confirmed'"
            " AND state = 'queued'"
        )
        await tx.finish_started([int(r["id"]) for r in rows], [])
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
        """
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
        await volunteer.play(
            "< Changer ce rendez-vous\n> [Changer le jour ou l'heure]\n> 26/11/2026"
        )
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
    assert next(kind for kind, _ in await queued(relais)) == "appointment_changed"
    assert len(await queued(relais)) == 3  # Paul's change and its two reminders, nothing more


async def test_a_cancellation_is_confirmed_once_and_a_second_press_says_it_is_done(
    relais: Relais,
) -> None:
    _, marie, _, number = await marie_books(relais)
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:ad:{number}"))
    await marie.play(
        """
        > [Annuler]
        < Annuler le rendez-vous avec Amina, mardi 24 novembre 2026 à 14:30 ?
        < La personne sera prévenue.
        > [Non, le garder]
        < État : prévu
        > [Annuler]
        > [Oui, annuler]
        < C'est annulé. Amina est prévenu(e) : plus de rappel pour ce rendez-vous.
        """
    )
    confirm = f"V:aky:{number}:1"
    # its reminders are gone; Amina, who read the confirmation, is told
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


async def test_another_centre_and_forged_buttons_get_the_usual_answers(relais: Relais) -> None:
    amina, marie, amina_id, number = await marie_books(relais)
    lea = await join(relais, "lea", "lyon")
    await lea.type("Léa")
    await lea.play(f"> /rdv {amina_id}\n< {NOT_FOUND}\n! Quel jour")
    for data in (
        f"V:ab:{amina_id}",
        f"V:ad:{number}",
        f"V:am:{number}",
        f"V:ak:{number}",
        f"V:aky:{number}:1",
        f"V:aa:{number}",
        f"V:ax:{number}",
        "V:am:999999",
        "V:ak:999999",
    ):
        await lea.send(Inbound(EventKind.BUTTON, data=data))
        assert lea.text == NOT_FOUND, data
    for data in ("V:am:x", f"V:am:{number}:1", "V:aky:1", f"V:aky:{number}:-1", "V:ag:x"):
        await marie.send(Inbound(EventKind.BUTTON, data=data))
        assert STALE in marie.text, data
    # Marie's own number, her own page: not hers to book
    marie_id = await person_id(relais, "marie")
    await marie.play(f"> /rdv {marie_id}\n< C'est votre propre dossier")
    # a beneficiary pressing a desk button: as any stale button, nothing of the desk
    for data in (f"V:ak:{number}", f"V:aky:{number}:1", f"V:ab:{amina_id}"):
        await amina.send(Inbound(EventKind.BUTTON, data=data))
        assert STALE in amina.text and "Annuler le rendez-vous" not in amina.text
    [appointment] = await appointments_of(relais, amina_id)
    assert (appointment.state, appointment.version) == ("planned", 1)


async def test_a_person_who_stopped_relais_is_booked_and_marie_is_told_to_call(
    relais: Relais,
) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    await amina.type("/stop")
    await marie.play(
        """
        > [Rendez-vous]
        < Amina ne reçoit plus de messages de Relais
        < Prévenez-la autrement, par téléphone par exemple.
        < Quel jour, le rendez-vous avec Amina ?
        > demain
        > 14h30
        > [Au centre]
        > [Premier entretien]
        > [Passer]
        > [Moi]
        > [Oui, c'est bon]
        < C'est réservé pour Amina : mardi 24 novembre 2026 à 14:30.
        < ni confirmation ni rappel tant qu'elle ne revient pas
        ! reçoit la confirmation maintenant
        """
    )
    assert len(await appointments_of(relais, amina_id)) == 1  # in the agenda and the figures
    # the delivery drops what Relais would have told her while she does not want messages;
    # the reminders wait, and go only if she comes back before them
    async with relais.storage.transaction() as tx:
        assert await take_due(tx, relais.catalogs, "test", relais.clock(), "amina") == []
    assert [kind for kind, _ in await queued(relais)] == ["appointment_reminder"] * 2


async def test_the_person_is_checked_again_at_every_step_of_the_booking(relais: Relais) -> None:
    _, marie, amina_id = await amina_and_marie(relais)
    await marie.play("> [Rendez-vous]\n> demain\n< À quelle heure ?")
    async with relais.storage.transaction() as tx:
        await tx.erase_person(amina_id, "erased", amina_id)
    await marie.play(f"> 14h30\n< {NOT_FOUND}\n! Où ?")
    assert await appointments_of(relais, amina_id) == []


async def test_the_agenda_lists_what_comes_and_what_is_left_to_mark(
    relais: Relais, hands: Hands
) -> None:
    _, marie, _, number = await marie_books(relais)
    sara = Conversation(relais, user="sara")
    await sara.play(AMINA_IN_PARIS.replace("Amina", "Sara"))
    sara_id = await person_id(relais, "sara")
    async with relais.storage.transaction() as tx:
        for day in range(10):  # Sara: every day at 9:00 from Wednesday, ten of them
            await tx.book_appointment(
                NewAppointment(
                    sara_id,
                    "paris11",
                    datetime(2026, 11, 25, 8, 0, tzinfo=UTC) + timedelta(days=day),
                    "phone",
                    "followup",
                ),
                None,
            )
    await marie.play(
        """
        > /agenda
        < 📅 Agenda – Paris 11e
        < Dans les 7 prochains jours : 7
        < À venir (page 1) :
        < mar. 24 nov. 14:30 · Amina · Atelier CV · Au centre · pas encore de réponse
        < mer. 25 nov. 09:00 · Sara · Point sur sa recherche · Par téléphone
        < [mar. 24 nov. 14:30 · Amina]
        < [Suivants ▶]
        ! À noter
        > [Suivants]
        < À venir (page 2) :
        < jeu. 3 déc. 09:00 · Sara
        < [◀ Précédents]
        ! Suivants
        """
    )
    hands.now = TUESDAY_1430 + timedelta(hours=1)
    await marie.play(
        """
        > /agenda
        < À noter (venu ou pas) :
        < mar. 24 nov. 14:30 · Amina · Atelier CV · Au centre · pas encore de réponse
        > [mar. 24 nov. 14:30 · Amina]
        < [✅ Venu(e)]
        """
    )
    assert marie.last_message.buttons[0][0].data == f"V:aa:{number}"
    # Léa of Lyon has an agenda of her own centre: nothing of Paris
    lea = await join(relais, "lea", "lyon")
    await lea.type("Léa")
    await lea.play("> /agenda\n< Agenda – Lyon Part-Dieu\n< Pas de rendez-vous à venir.\n! Amina")


async def test_amina_finds_her_appointment_in_her_data(relais: Relais) -> None:
    await marie_books(relais)
    async with relais.storage.reading() as reads:
        state = await reads.state_of("test", "amina")
        assert state is not None
        gathered = await export.gather(reads, state)
    exporter = export.DataExport(
        relais.flows, relais.catalogs, relais.engine.renderer(await _world(relais)), NOW
    )
    text = exporter.text(gathered)
    assert "■ Vos rendez-vous avec le centre" in text
    assert (
        "24 novembre 2026 à 14:30 : Atelier CV – Au centre (12 rue des Lilas, 75011 Paris) – prévu"
        in text
    )
    assert "Information pratique : Apportez votre pièce d'identité." in text
    assert "Marie" not in text  # the centre's, never the volunteer's
    [shown] = exporter.json(gathered)["appointments"]
    assert shown == {
        "starts_at": "2026-11-24T13:30:00+00:00",
        "minutes": 60,
        "centre": "paris11",
        "place": "centre",
        "address": "",
        "purpose": "cv_workshop",
        "note": "Apportez votre pièce d'identité.",
        "state": "planned",
        "answer": None,
        "booked_at": NOW.isoformat(),
    }


async def _world(relais: Relais):
    async with relais.storage.reading() as reads:
        return await relais.world(reads)
