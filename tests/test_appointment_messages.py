"""The messages an appointment brings a person, as they read them: Amina (French) gets her
confirmation with the date written out ("mardi 8 décembre à 14 h 30"), the place, what it is
for, the practical note, three buttons and the calendar file; then the reminders, a change, a
cancellation, a missed appointment; Olena reads them in English, and the Arabic and Ukrainian
dates are written as those languages write them. Each message is checked again when it is
delivered: nothing is sent for an appointment cancelled, changed or started meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.appointments import wording
from bot.appointments.domain import NewAppointment
from bot.core.i18n import Catalogs
from bot.reach.delivery import take_due
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands
from tests.appointment_kit import reminder_at
from tests.appointment_person_kit import (
    AMINA,
    BOOKED,
    OLENA,
    PARIS,
    TUESDAY,
    appointment_hands,  # noqa: F401  (the fixtures: relais, settings, hands)
    appointment_settings,  # noqa: F401
    book,
    change,
    deliver,
    end,
)

SECOND = timedelta(seconds=1)


async def test_amina_reads_her_confirmation_in_plain_french_with_three_buttons_and_the_file(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais)
    assert await deliver(relais, amina) == (
        "📅 Votre rendez-vous est pris.\n"
        "Quand : mardi 8 décembre à 14 h 30\n"
        "Où : Paris 11e, 12 rue des Lilas, 75011 Paris\n"
        "Pour : Atelier CV\n"
        "À savoir : Apportez votre pièce d'identité.\n"
        "Avec le fichier ci-dessous, vous pouvez mettre ce rendez-vous dans votre téléphone.\n"
        "Vous venez ?\n"
        f"[appointment_ics:{appointment.id}]"
    )
    assert amina.labels() == ["✅ Je viendrai", "❌ Je ne peux pas venir", "📅 Changer la date"]
    assert await deliver(relais, amina) == ""  # delivered once


async def test_the_reminders_come_the_day_before_and_two_hours_before_with_the_same_buttons(
    relais: Relais, hands: Hands
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais)
    await deliver(relais, amina)
    # the day before, same hour (at the second of 14:30 the appointment's id gives)
    day_before = reminder_at(datetime(2026, 12, 7, 14, 30, tzinfo=PARIS), appointment)
    hands.now = day_before - SECOND
    assert await deliver(relais, amina) == ""
    hands.now = day_before
    reminder = await deliver(relais, amina)
    assert reminder.startswith(
        "⏰ Rappel : vous avez un rendez-vous.\nQuand : mardi 8 décembre à 14 h 30\n"
    )
    assert reminder.endswith("Vous venez ?")  # no calendar file this time
    assert amina.labels() == ["✅ Je viendrai", "❌ Je ne peux pas venir", "📅 Changer la date"]
    two_hours_before = reminder_at(datetime(2026, 12, 8, 12, 30, tzinfo=PARIS), appointment)
    hands.now = two_hours_before - SECOND
    assert await deliver(relais, amina) == ""
    hands.now = two_hours_before
    assert "⏰ Rappel" in await deliver(relais, amina)


async def test_by_phone_at_another_address_and_without_a_note(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    await book(relais, place="phone", purpose="followup", note="")
    by_phone = await deliver(relais, amina)
    assert "Où : par téléphone : le bénévole vous appellera\n" in by_phone
    # nobody "comes" to a call: Amina says she will be there to answer it
    assert "Vous serez là pour l'appel ?" in by_phone
    assert amina.labels() == [
        "✅ Je serai là",
        "❌ Je ne serai pas disponible",
        "📅 Changer la date",
    ]
    await amina.play("> [Je serai là]\n< Merci ! C'est noté : le bénévole vous appellera le mardi")
    assert "Pour : Point sur votre recherche\n" in by_phone
    assert "À savoir" not in by_phone
    await book(
        relais,
        starts_at=TUESDAY + timedelta(days=7),
        place="address",
        purpose="employer",
        address="Boulangerie Dupain, 3 rue Oberkampf, Paris",
    )
    elsewhere = await deliver(relais, amina)
    assert "Quand : mardi 15 décembre à 14 h 30\n" in elsewhere
    assert "Où : Boulangerie Dupain, 3 rue Oberkampf, Paris\n" in elsewhere
    assert "Pour : Rencontre avec un employeur\n" in elsewhere


async def test_a_change_shows_the_new_details_what_it_was_and_a_new_file(
    relais: Relais, hands: Hands
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais)
    await deliver(relais, amina)
    hands.now += timedelta(hours=1)
    await change(relais, appointment.id, datetime(2026, 12, 10, 9, 0, tzinfo=PARIS))
    assert await deliver(relais, amina) == (
        "📅 Votre rendez-vous a changé. Voici les nouvelles informations.\n"
        "Quand : jeudi 10 décembre à 9 h\n"
        "(Avant : mardi 8 décembre à 14 h 30)\n"
        "Où : Paris 11e, 12 rue des Lilas, 75011 Paris\n"
        "Pour : Atelier CV\n"
        "À savoir : Apportez votre pièce d'identité.\n"
        "Avec le fichier ci-dessous, vous pouvez mettre ce rendez-vous dans votre téléphone.\n"
        "Vous venez ?\n"
        f"[appointment_ics:{appointment.id}]"
    )
    # only the note changed: no "before" line
    hands.now += timedelta(hours=1)
    await change(
        relais, appointment.id, datetime(2026, 12, 10, 9, 0, tzinfo=PARIS), note="Venez à 8 h 50."
    )
    changed = await deliver(relais, amina)
    assert "(Avant" not in changed
    assert "À savoir : Venez à 8 h 50.\n" in changed


async def test_a_cancellation_and_a_missed_appointment_are_said_kindly(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    cancelled = await book(relais)
    await deliver(relais, amina)
    await end(relais, cancelled.id, "cancelled")
    assert await deliver(relais, amina) == (
        "Votre rendez-vous du mardi 8 décembre à 14 h 30 est annulé. Nous sommes désolés.\n"
        "Vous pouvez demander un autre rendez-vous avec le bouton ci-dessous."
    )
    assert amina.labels() == ["📅 Demander un autre rendez-vous"]
    missed = await book(relais, starts_at=datetime(2026, 12, 1, 10, 0, tzinfo=PARIS))
    await deliver(relais, amina)
    await end(relais, missed.id, "missed")
    assert await deliver(relais, amina) == (
        "Nous ne vous avons pas vu au rendez-vous du mardi 1er décembre à 10 h. Ce n'est pas"
        " grave, cela arrive.\nVoulez-vous une nouvelle date ?"
    )
    assert amina.labels() == ["📅 Demander une nouvelle date"]
    # a call nobody answered: nobody "saw" anyone
    by_phone = await book(
        relais, starts_at=datetime(2026, 12, 1, 16, 0, tzinfo=PARIS), place="phone"
    )
    await deliver(relais, amina)
    await end(relais, by_phone.id, "missed")
    assert (await deliver(relais, amina)).startswith(
        "Nous n'avons pas pu vous joindre pour l'appel du mardi 1er décembre à 16 h."
    )


async def test_olena_reads_them_in_english_the_day_before_the_month(relais: Relais) -> None:
    olena = Conversation(relais, user="olena")
    await olena.play(OLENA)
    await book(relais, user="olena", note="")
    confirmation = await deliver(relais, olena)
    assert confirmation.startswith(
        "📅 Your appointment is booked.\n"
        "When: Tuesday 8 December at 2:30 pm\n"
        "Where: Paris 11e, 12 rue des Lilas, 75011 Paris\n"
        "For: CV workshop\n"
    )
    assert olena.labels() == ["✅ I'll come", "❌ I can't come", "📅 Change the date"]


def test_each_language_writes_the_moment_its_own_way() -> None:
    catalogs = Catalogs(
        Path(__file__).parent.parent / "locales", ["fr", "en", "ar", "uk"], "Europe/Paris"
    )
    winter = datetime(2026, 12, 8, 14, 30, tzinfo=PARIS)
    # after the clocks went forward: 10:00 in Paris is 08:00 UTC, still "10 h"
    summer = datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    first = datetime(2027, 4, 1, 9, 5, tzinfo=PARIS)
    said = {
        locale: [wording.when(catalogs.get(locale), m) for m in (winter, summer, first)]
        for locale in ("fr", "en", "ar", "uk")
    }
    assert said["fr"] == [
        "mardi 8 décembre à 14 h 30",
        "lundi 29 mars à 10 h",
        "jeudi 1er avril à 9 h 05",
    ]
    assert said["en"] == [
        "Tuesday 8 December at 2:30 pm",
        "Monday 29 March at 10 am",
        "Thursday 1 April at 9:05 am",
    ]
    assert said["uk"] == [
        "вівторок, 8 грудня о 14:30",
        "понеділок, 29 березня о 10:00",
        "четвер, 1 квітня о 09:05",
    ]
    assert said["ar"][0] == "الثلاثاء، 8 ديسمبر الساعة 2:30 م"
    assert catalogs.get("ar").rtl


async def test_nothing_goes_for_an_appointment_cancelled_changed_or_started_meanwhile(
    relais: Relais, hands: Hands
) -> None:
    """What a message says is checked again at delivery: a reminder queued for the old date,
    or for an appointment ended behind the queue's back (another process, a crash between two
    transactions), is dropped; a reminder held by a downtime goes late only if the appointment
    has not started."""
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    first = await book(relais)
    await deliver(relais, amina)
    # ended without its messages dropped: the reminders are not sent
    async with relais.storage.transaction() as tx:
        assert await tx.end_appointment(first.id, "cancelled") is not None
    hands.now = datetime(2026, 12, 7, 14, 30, tzinfo=PARIS)
    assert await deliver(relais, amina) == ""

    # changed without its old reminders dropped: only the new version's are sent
    hands.now = BOOKED
    second = await book(relais, starts_at=TUESDAY + timedelta(days=1))
    await deliver(relais, amina)
    async with relais.storage.transaction() as tx:
        before = await tx.appointment(second.id)
        assert before is not None
        moved = NewAppointment(
            before.person_id, before.centre, TUESDAY + timedelta(days=2), "centre", "cv_workshop"
        )
        assert await tx.change_appointment(second.id, 1, moved) is not None
    hands.now = datetime(2026, 12, 8, 14, 30, tzinfo=PARIS)  # the old day-before reminder
    assert await deliver(relais, amina) == ""

    # the bot was down over both reminders of a third one: the latest goes while the
    # appointment is ahead (two in a row would say the same thing twice); once it started,
    # nothing goes
    hands.now = BOOKED
    await book(relais, starts_at=datetime(2026, 12, 11, 16, 0, tzinfo=PARIS))
    await deliver(relais, amina)
    hands.now = datetime(2026, 12, 11, 15, 59, tzinfo=PARIS)
    late = await deliver(relais, amina)
    assert late.count("⏰ Rappel") == 1  # the two hours', not the day before's as well
    await book(relais, starts_at=datetime(2026, 12, 11, 16, 30, tzinfo=PARIS))
    await deliver(relais, amina)
    hands.now = datetime(2026, 12, 11, 16, 30, tzinfo=PARIS)  # it starts now
    assert await deliver(relais, amina) == ""
    async with relais.storage.transaction() as tx:
        left = await take_due(tx, relais.catalogs, "test", hands.now + timedelta(days=1))
    assert left == []  # dropped, not kept for later


async def test_a_missed_message_goes_only_while_it_is_marked_missed(
    relais: Relais, hands: Hands
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    appointment = await book(relais, starts_at=datetime(2026, 12, 7, 18, 0, tzinfo=PARIS))
    await deliver(relais, amina)
    hands.now = datetime(2026, 12, 7, 19, 30, tzinfo=PARIS)
    await end(relais, appointment.id, "missed")  # at 19:30: the message waits for the morning
    async with relais.storage.transaction() as tx:
        # the volunteer pressed the wrong one: she came
        assert await tx.correct_attendance(appointment.id, "attended") is not None
    hands.now = datetime(2026, 12, 8, 8, 30, tzinfo=PARIS)
    assert await deliver(relais, amina) == ""


async def test_someone_who_stopped_relais_gets_nothing_about_an_appointment(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA + "> /stop")
    await book(relais)
    assert await deliver(relais, amina) == ""
