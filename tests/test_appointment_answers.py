"""The person's answers to their appointment, played as conversations: Amina, in the middle of
her self-assessment, says she will come, then that she cannot after all: Marie, the volunteer
who will be there, is told at once with one tap to propose a new date, and Amina's question
comes again. A mis-tap is mended, the same answer twice is only acknowledged; a press on a
cancelled, changed, started or ended appointment says so and records nothing; forged buttons
are stale buttons. A missed appointment's button, the menu's "Prendre rendez-vous" and the
end of the detailed bilan ask the centre for an appointment, once while one waits; "Mes
rendez-vous" lists what is to come."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.core.domain import EventKind, Inbound
from bot.desk.buttons import build
from bot.reach.delivery import take_due
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import Hands
from tests.appointment_person_kit import (
    AMINA,
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
from tests.test_flow_plan import FATOU, open_assessment
from tests.test_volunteers import join, person_id

STALE = "Ce bouton ne marche plus. Voici la question en cours."
QUESTION = "Vous parlez français ?"
CANNOT = "Amina (Paris 11e) ne peut pas venir au rendez-vous du mardi 8 décembre à 14 h 30."


async def amina_mid_assessment(relais: Relais) -> Conversation:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA + f"> [Faire mon bilan]\n< {QUESTION}")
    return amina


async def answer_of(relais: Relais, number: int) -> str:
    async with relais.storage.transaction() as tx:
        found = await tx.appointment(number)
    assert found is not None
    return found.answer


async def notice_of(relais: Relais, person: Conversation) -> tuple[str, list[tuple[str, str]]]:
    """The texts of the notices reaching a volunteer now, and their buttons (label, data)."""
    async with relais.storage.transaction() as tx:
        due = await take_due(tx, relais.catalogs, "test", relais.clock(), person.user)
    buttons = [(b.label, b.data) for d in due for row in d.message.buttons for b in row]
    if buttons:
        person.buttons = [b for d in due for row in d.message.buttons for b in row]
    return "\n".join(d.message.text for d in due), buttons


async def waiting_requests(relais: Relais, user: str) -> list[tuple[str, bool]]:
    """(about, taken) of each help request of a person."""
    number = await person_id(relais, user)
    async with relais.storage.reading() as reads:
        rows = await reads._fetchall(  # the raw rows are what is checked
            "SELECT about, taken_at IS NOT NULL AS taken FROM help_requests WHERE person_id = ?"
            " ORDER BY id",
            (number,),
        )
    return [(str(r["about"]), bool(r["taken"])) for r in rows]


async def test_amina_will_come_then_cannot_and_marie_is_told_at_once(relais: Relais) -> None:
    amina = await amina_mid_assessment(relais)
    marie = await join(relais, "marie", "paris11")
    appointment = await book(relais, volunteer="marie")
    await deliver(relais, amina)
    on_the_confirmation = list(amina.buttons)
    await amina.play(
        f"""
        > [Je viendrai]
        < Merci ! C'est noté : vous venez le mardi 8 décembre à 14 h 30.
        < {QUESTION}
        """
    )
    assert await answer_of(relais, appointment.id) == "coming"
    assert await notice_of(relais, marie) == ("", [])  # nothing to do for Marie
    # the same button again: acknowledged, nothing more
    amina.buttons = on_the_confirmation
    await amina.play(f"> [Je viendrai]\n< C'est déjà noté : vous venez. Merci !\n< {QUESTION}")
    # plans change: "Je ne peux pas venir" on the same message is heard, and Marie told at once
    amina.buttons = on_the_confirmation
    await amina.play(
        f"""
        > [Je ne peux pas venir]
        < C'est noté. Le centre va vous proposer une autre date, ici dans Relais.
        < {QUESTION}
        > [Un peu]
        < Vous lisez le français ?
        """
    )
    assert await answer_of(relais, appointment.id) == "cannot"
    amina_id = await person_id(relais, "amina")
    assert await notice_of(relais, marie) == (
        CANNOT,
        [
            ("📅 Proposer une autre date", build("am", appointment.id)),
            ("Voir la fiche", build("p", amina_id)),
        ],
    )
    # "Changer la date" asks the same: Marie is not told twice
    amina.buttons = on_the_confirmation
    await amina.play(
        """
        > [Changer la date]
        < C'est déjà noté. Le centre va vous proposer une autre date
        < Vous lisez le français ?
        """
    )
    assert await answer_of(relais, appointment.id) == "cannot"
    assert await notice_of(relais, marie) == ("", [])
    # a mis-tap mended: she will come after all, and Marie must know before moving it
    amina.buttons = on_the_confirmation
    await amina.play("> [Je viendrai]\n< Merci ! C'est noté : vous venez le mardi 8 décembre")
    text, buttons = await notice_of(relais, marie)
    assert text == (
        "Amina (Paris 11e) viendra finalement au rendez-vous du mardi 8 décembre à 14 h 30."
    )
    assert buttons == [("Voir la fiche", build("p", amina_id))]


async def test_no_reminder_to_someone_who_cannot_come(relais: Relais, hands: Hands) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    await book(relais)
    await deliver(relais, amina)
    await amina.press("Changer la date")
    hands.now = datetime(2026, 12, 7, 14, 30, tzinfo=PARIS)
    assert await deliver(relais, amina) == ""
    hands.now = datetime(2026, 12, 8, 12, 30, tzinfo=PARIS)
    assert await deliver(relais, amina) == ""


async def test_who_is_told_when_the_volunteer_is_not_named_left_or_nobody_is_there(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    marie = await join(relais, "marie", "paris11")
    paul = await join(relais, "paul", "paris11")
    # no volunteer named: the centre's team
    await book(relais)
    await deliver(relais, amina)
    await amina.press("Changer la date")
    asks = "Amina (Paris 11e) demande une autre date pour le rendez-vous du mardi 8 décembre"
    assert asks in (await notice_of(relais, marie))[0]
    assert asks in (await notice_of(relais, paul))[0]
    # Marie was to be there but left the team: the team (Paul) is told, not her
    await book(relais, starts_at=TUESDAY + timedelta(days=1), volunteer="marie")
    marie_id = await person_id(relais, "marie")
    async with relais.storage.transaction() as tx:
        await tx.revoke_roles(marie_id, ["paris11"])
    await deliver(relais, amina)
    await amina.press("Je ne peux pas venir")
    assert (
        "ne peut pas venir au rendez-vous du mercredi 9 décembre"
        in (await notice_of(relais, paul))[0]
    )
    assert await notice_of(relais, marie) == ("", [])
    # a centre with nobody yet: the admins who use Relais
    boss = Conversation(relais, user="900")
    await boss.play("> /start\n> [Français]\n> Bernard")
    sam = Conversation(relais, user="sam")
    await sam.play("> /start\n> [Français]\n> [Oui]\n> [Lyon Part-Dieu]\n> Sam")
    await book(relais, user="sam")
    await deliver(relais, sam)
    await sam.press("Je ne peux pas venir")
    assert "Sam (Lyon Part-Dieu) ne peut pas venir" in (await notice_of(relais, boss))[0]


async def test_presses_on_an_appointment_cancelled_changed_started_or_ended_record_nothing(
    relais: Relais, hands: Hands
) -> None:
    amina = await amina_mid_assessment(relais)
    marie = await join(relais, "marie", "paris11")
    # cancelled
    cancelled = await book(relais, volunteer="marie")
    await deliver(relais, amina)
    buttons = list(amina.buttons)
    await end(relais, cancelled.id, "cancelled")
    amina.buttons = buttons
    await amina.play(
        f"""
        > [Je viendrai]
        < Ce rendez-vous est annulé. Pour un autre rendez-vous, choisissez « Prendre rendez-vous »
        < {QUESTION}
        """
    )
    assert await answer_of(relais, cancelled.id) == ""
    # changed: the old message's buttons say so; the new message's work
    moved = await book(relais, starts_at=TUESDAY + timedelta(days=1), volunteer="marie")
    await deliver(relais, amina)
    old = list(amina.buttons)
    await change(relais, moved.id, TUESDAY + timedelta(days=2))
    await deliver(relais, amina)
    new = list(amina.buttons)
    amina.buttons = old
    await amina.play(
        f"""
        > [Je ne peux pas venir]
        < Ce rendez-vous a changé. Regardez le dernier message du centre.
        < {QUESTION}
        """
    )
    assert await answer_of(relais, moved.id) == ""
    amina.buttons = new
    await amina.play("> [Je viendrai]\n< vous venez le jeudi 10 décembre à 14 h 30")
    # started: a late press is told it is past (the buttons still answer for a while)
    hands.now = datetime(2026, 12, 10, 14, 31, tzinfo=PARIS)
    amina.buttons = new
    await amina.play(f"> [Je ne peux pas venir]\n< Ce rendez-vous est passé.\n< {QUESTION}")
    assert await answer_of(relais, moved.id) == "coming"
    # marked attended: past too
    await end(relais, moved.id, "attended")
    amina.buttons = new
    await amina.play(f"> [Changer la date]\n< Ce rendez-vous est passé.\n< {QUESTION}")
    assert await answer_of(relais, moved.id) == "coming"
    # a week after it started, its buttons are like any old button
    hands.now += timedelta(days=8)
    amina.buttons = new
    await amina.play(f"> [Je viendrai]\n< {STALE}")
    assert await notice_of(relais, marie) == ("", [])  # Marie was never bothered


async def test_forged_and_borrowed_buttons_are_stale_buttons(relais: Relais) -> None:
    amina = await amina_mid_assessment(relais)
    appointment = await book(relais)
    await deliver(relais, amina)
    come = next(b for b in amina.buttons if "Je viendrai" in b.label)
    prefix, number, token, choice = come.data.split(":")
    assert choice == "come"
    zoe = Conversation(relais, user="zoe")
    await zoe.play("> /start\n> [Français]\n< Vous êtes d'accord ?")
    assert STALE in await zoe.send(Inbound(EventKind.BUTTON, data=come.data))
    for forged in (
        f"{prefix}:{number}:{'0' * 12}:{choice}",  # a guessed token
        f"{prefix}:{int(number) + 1}:{token}:{choice}",  # another message
        f"{prefix}:{number}:{token}:again",  # a choice this message does not have
        f"{prefix}:{number}:{token}:coming",
        f"{prefix}:{number}:{token}:",
        f"{prefix}:{number}:{token}:come:1",
        f"{prefix}:{'٣'}:{token}:{choice}",  # Arabic-Indic digits
    ):
        assert STALE in await amina.send(Inbound(EventKind.BUTTON, data=forged)), forged
        assert QUESTION in amina.text
    assert await answer_of(relais, appointment.id) == ""


async def test_a_missed_appointment_asks_for_a_new_date_once(relais: Relais, hands: Hands) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    marie = await join(relais, "marie", "paris11")
    missed = await book(relais, starts_at=datetime(2026, 12, 7, 11, 0, tzinfo=PARIS))
    await deliver(relais, amina)
    hands.now = datetime(2026, 12, 7, 12, 30, tzinfo=PARIS)
    await end(relais, missed.id, "missed")
    assert "Nous ne vous avons pas vu" in await deliver(relais, amina)
    on_the_message = list(amina.buttons)
    await amina.play(
        """
        > [Demander une nouvelle date]
        < C'est envoyé. Un bénévole de votre centre va vous proposer une date, ici dans Relais.
        < Que voulez-vous faire ?
        """
    )
    amina_id = await person_id(relais, "amina")
    text, buttons = await notice_of(relais, marie)
    assert text == "Amina (Paris 11e) voudrait un rendez-vous avec un bénévole."
    [(book_label, book_data), (take_label, take_data)] = buttons
    assert (book_label, book_data) == ("📅 Fixer un rendez-vous", build("ab", amina_id))
    assert take_label == "🙋 Je m'en occupe" and take_data.startswith("V:h:")
    # pressed twice: on its way already, nobody told twice
    amina.buttons = on_the_message
    await amina.play("> [Demander une nouvelle date]\n< Votre demande est déjà envoyée.")
    assert await notice_of(relais, marie) == ("", [])
    assert await waiting_requests(relais, "amina") == [("appointment", False)]
    # Marie takes it as any request; asking later is a new request
    await marie.send(Inbound(EventKind.BUTTON, data=take_data))
    assert "Merci ! Vous vous occupez d'Amina." in marie.text
    # an appointment is what Amina asked for: Marie is offered to book it first
    assert "Fixez le rendez-vous ici" in marie.text
    assert marie.labels()[0] == "📅 Fixer un rendez-vous"
    assert "Il va vous proposer une date ici" in await deliver(relais, amina)
    amina.buttons = on_the_message
    await amina.play("> [Demander une nouvelle date]\n< C'est envoyé.")
    assert await waiting_requests(relais, "amina") == [
        ("appointment", True),
        ("appointment", False),
    ]


async def test_asking_from_the_menu_makes_a_waiting_request_one_for_an_appointment(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    marie = await join(relais, "marie", "paris11")
    await amina.play(
        """
        > [Parler à un bénévole]
        > [Oui]
        < Un bénévole de Paris 11e va vous écrire ici, dans Relais.
        """
    )
    assert "voudrait parler à un bénévole" in (await notice_of(relais, marie))[0]
    await amina.play(
        """
        > [Prendre rendez-vous]
        < Voulez-vous un rendez-vous avec un bénévole de votre centre ?
        > [Oui]
        < C'est envoyé. Un bénévole de Paris 11e va vous proposer une date, ici dans Relais.
        < Que voulez-vous faire ?
        """
    )
    assert (await notice_of(relais, marie))[0] == (
        "Amina (Paris 11e) voudrait un rendez-vous avec un bénévole."
    )
    assert await waiting_requests(relais, "amina") == [("appointment", False)]
    await marie.play("> /requests\n< Amina (Paris 11e), rendez-vous demandé le 7 décembre 2026")
    # asked again, or "talk to a volunteer" while it waits: one request, Marie told once
    await amina.play("> [Prendre rendez-vous]\n> [Oui]\n< C'est envoyé.")
    await amina.play("> [Parler à un bénévole]\n> [Oui]\n< C'est envoyé.")
    assert await notice_of(relais, marie) == ("", [])
    assert await waiting_requests(relais, "amina") == [("appointment", False)]
    await amina.play("> [Prendre rendez-vous]\n> [Non]\n< D'accord. Vous pouvez le demander")
    # Marie books it: the request is answered, and Amina may ask again later
    await book(relais, volunteer="marie")
    assert await waiting_requests(relais, "amina") == [("appointment", True)]
    await marie.play("> /requests\n< Aucune demande en attente.")


async def test_where_nobody_is_registered_the_request_waits_and_the_person_is_told(
    relais: Relais,
) -> None:
    sam = Conversation(relais, user="sam")
    await sam.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Lyon Part-Dieu]
        > Sam
        > [Prendre rendez-vous]
        > [Oui]
        < Pour l'instant, aucun bénévole n'est inscrit pour Lyon Part-Dieu.
        < il vous proposera une date ici, dans Relais.
        """
    )
    assert await waiting_requests(relais, "sam") == [("appointment", False)]
    # his data says what he asked for
    text = await relais.document("test", "sam", "my_data_txt")
    data = await relais.document("test", "sam", "my_data_json")
    assert text is not None and data is not None
    assert "7 décembre 2026 : rendez-vous demandé, en attente d'un bénévole." in text.data.decode()
    assert json.loads(data.data)["help_requests"][0]["about"] == "appointment"


async def test_the_bilans_last_line_is_a_button_for_an_appointment(relais: Relais) -> None:
    fatou = Conversation(relais, user="fatou")
    await fatou.play(FATOU)
    marie = await join(relais, "marie", "paris11")
    await fatou.play(
        """
        > [Voir le détail de mon bilan]
        < Prochaines actions :
        < • Prendre rendez-vous avec un bénévole de votre centre, et lui montrer ce bilan.
        < [📅 Prendre rendez-vous]
        < [Pas maintenant]
        > [Prendre rendez-vous]
        < C'est envoyé. Un bénévole de Paris 11e va vous proposer une date, ici dans Relais.
        < Que voulez-vous faire ?
        """
    )
    assert (await notice_of(relais, marie))[0] == (
        "Fatou (Paris 11e) voudrait un rendez-vous avec un bénévole."
    )
    # the volunteer's reading of the bilan is unchanged: no "C'est envoyé", no button
    page = await open_assessment(marie, await person_id(relais, "fatou"))
    assert "Prochaines actions" in page
    assert "C'est envoyé" not in page and "Pas maintenant" not in page


async def test_mes_rendez_vous_lists_what_is_to_come_with_the_answers(
    relais: Relais, hands: Hands
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA)
    await amina.play(
        """
        > [Mes rendez-vous]
        < Vous n'avez pas de rendez-vous prévu.
        < Pour en demander un, choisissez « Prendre rendez-vous » ci-dessous.
        < Que voulez-vous faire ?
        < [Prendre rendez-vous]
        """
    )
    later = await book(relais, starts_at=TUESDAY + timedelta(days=2), place="phone", note="")
    sooner = await book(relais)
    gone = await book(relais, starts_at=TUESDAY + timedelta(days=1))
    await end(relais, gone.id, "cancelled")
    await deliver(relais, amina)
    async with relais.storage.transaction() as tx:
        assert await tx.answer_appointment(sooner.id, 1, "coming")
    await amina.play("> /menu\n> [Mes rendez-vous]")
    assert amina.replies[0].messages[0].text == (
        "Vos rendez-vous :\n\n"
        "📅 mardi 8 décembre à 14 h 30\n"
        "Où : Paris 11e, 12 rue des Lilas, 75011 Paris\n"
        "Pour : Atelier CV\n"
        "À savoir : Apportez votre pièce d'identité.\n"
        "Votre réponse : je viendrai.\n\n"
        "📅 jeudi 10 décembre à 14 h 30\n"
        "Où : par téléphone : le bénévole vous appellera\n"
        "Pour : Atelier CV\n"
        "Votre réponse : pas encore donnée.\n\n"
        "Les boutons ci-dessous répondent pour le rendez-vous du mardi 8 décembre à 14 h 30."
    )
    assert "Que voulez-vous faire ?" in amina.text
    # the soonest is answered from here too: plans changed, Marie's team is told
    listing = amina.replies[0].messages[0]
    labels = [b.label for row in listing.buttons for b in row]
    assert labels == ["✅ Je viendrai", "❌ Je ne peux pas venir", "📅 Changer la date"]
    amina.buttons = [b for row in listing.buttons for b in row]
    await amina.play(
        "> [Je ne peux pas venir]\n< C'est noté. Le centre va vous proposer une autre date"
    )
    async with relais.storage.transaction() as tx:
        found = await tx.appointment(sooner.id)
    assert found is not None and found.answer == "cannot"
    # once the first has started, only the second is to come
    hands.now = datetime(2026, 12, 8, 14, 30, tzinfo=PARIS)
    await amina.play("> [Mes rendez-vous]\n! mardi 8 décembre\n< jeudi 10 décembre")
    assert later.id != sooner.id
    # in English for Olena
    olena = Conversation(relais, user="olena")
    await olena.play(OLENA + "> [My appointments]\n< You have no appointment planned.")


async def test_marie_books_it_from_the_notice_and_amina_is_confirmed(relais: Relais) -> None:
    """The notice's "Fixer un rendez-vous" opens the desk's booking (bot/appointments/booking.py);
    the booking answers Amina's request, and her confirmation follows."""
    marie = await join(relais, "marie", "paris11")
    await marie.type("Marie")  # her first name, for her team
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA + "> [Prendre rendez-vous]\n> [Oui]\n< C'est envoyé.")
    assert "voudrait un rendez-vous" in (await notice_of(relais, marie))[0]
    await marie.play(
        """
        > [Fixer un rendez-vous]
        < Quel jour, le rendez-vous avec Amina ?
        > demain
        < À quelle heure ?
        > 14h30
        > [Au centre]
        > [Atelier CV]
        < Une information pratique pour Amina ?
        > Apportez votre pièce d'identité.
        > [Moi]
        < C'est bon ?
        """
    )
    await marie.press("Oui")
    assert await waiting_requests(relais, "amina") == [("appointment", True)]
    confirmation = await deliver(relais, amina)
    assert "Quand : mardi 8 décembre à 14 h 30" in confirmation
    assert "À savoir : Apportez votre pièce d'identité." in confirmation
