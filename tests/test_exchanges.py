"""Messages between a volunteer and a person through Relais, played as conversations: Marie, a
volunteer of Paris 11e, writes to Amina (a mother of two, A2 French) from her page; Amina reads
it as a message from her centre, answers in the middle of her self-assessment, and the question
she was answering comes again; the answer reaches Marie with a button to answer again; either
ends the conversation. Quiet hours hold Marie's message; the phone can be given there; other
centres, forged buttons, a 10 000-character answer and a person who blocked Relais are
handled kindly."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.core.domain import EventKind, Inbound
from bot.reach.delivery import take_due
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, Hands
from tests.test_flow_my_data import my_files
from tests.test_volunteers import AMINA_IN_PARIS, join, person_id

STALE = "Ce bouton ne marche plus"
NOT_FOUND = "Je ne trouve pas cette personne parmi celles de votre centre."
MID_ASSESSMENT = AMINA_IN_PARIS + "> [Faire mon bilan]\n< Vous parlez français ?\n"
HELLO = "Bonjour Amina. Je suis du centre. Vous pouvez venir mardi à 10 h ?"


async def deliver(relais: Relais, person: Conversation) -> str:
    """What reaches `person` now from the messages Relais starts; their buttons become theirs
    to press (as on a phone: the newest message's buttons)."""
    async with relais.storage.transaction() as tx:
        due = await take_due(tx, relais.catalogs, "test", relais.clock(), person.user)
    for message in (d.message for d in due):
        if message.buttons:
            person.buttons = [b for row in message.buttons for b in row]
    return "\n".join(d.message.text for d in due)


async def amina_and_marie(relais: Relais) -> tuple[Conversation, Conversation, int]:
    """Amina in the middle of her self-assessment; Marie, a volunteer of her centre."""
    amina = Conversation(relais, user="amina")
    await amina.play(MID_ASSESSMENT)
    marie = await join(relais, "marie", "paris11")
    return amina, marie, await person_id(relais, "amina")


async def marie_writes(marie: Conversation, amina_id: int, text: str = HELLO) -> None:
    await marie.play(
        f"""
        > /person {amina_id}
        > [Écrire]
        < Écrivez votre message pour Amina (1 000 caractères au plus).
        < sans votre nom
        > {text}
        < C'est envoyé à Amina, comme un message de Paris 11e. Sa réponse arrivera ici.
        ! C'est le soir
        """
    )


async def test_marie_writes_amina_answers_mid_flow_and_the_question_comes_again(
    relais: Relais,
) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie_writes(marie, amina_id)
    message = await deliver(relais, amina)
    # from the centre, never from Marie's account
    assert message == (
        f"✉️ Message de Paris 11e :\n« {HELLO} »\nPour répondre, appuyez sur « Répondre »."
    )
    assert amina.labels() == ["✍️ Répondre", "📞 Donner mon numéro", "Terminer la conversation"]
    await amina.play(
        """
        > [Répondre]
        < Écrivez votre réponse pour Paris 11e, puis envoyez-la.
        < [Annuler]
        > oui mardi c bon. merci beaucoup
        < C'est envoyé. Le bénévole vous répondra ici, dans Relais.
        < Vous parlez français ?
        > [Un peu]
        < Vous lisez le français ?
        """
    )
    notice = await deliver(relais, marie)
    assert notice == "Réponse d'Amina (Paris 11e) :\n« oui mardi c bon. merci beaucoup »"
    assert marie.labels() == ["✍️ Répondre", "Terminer", "Voir la fiche"]
    async with relais.storage.transaction() as tx:
        # the first contact is when Amina answered, not when someone took her request
        assert (await tx.followup_of(amina_id)).first_contact_at == NOW
    await marie.play(
        """
        > [Répondre]
        < Écrivez votre message pour Amina
        > Très bien, à mardi !
        < C'est envoyé à Amina
        """
    )
    assert "« Très bien, à mardi ! »" in await deliver(relais, amina)
    on_the_message = list(amina.buttons)
    # Amina ends it; the question she was answering comes again; Marie is told
    await amina.play(
        """
        > [Terminer la conversation]
        < D'accord, la conversation est terminée.
        < Vous lisez le français ?
        """
    )
    assert await deliver(relais, marie) == "Amina (Paris 11e) a terminé la conversation."
    # the message's buttons now say so, and the question comes again
    amina.buttons = on_the_message
    await amina.play(
        """
        > [Répondre]
        < Cette conversation est terminée.
        < Vous lisez le français ?
        ! Écrivez votre réponse
        """
    )
    async with relais.storage.transaction() as tx:
        messages = await tx.exchange_messages_of(amina_id)
    assert [(m.from_person, m.text) for m in messages] == [
        (False, HELLO),
        (True, "oui mardi c bon. merci beaucoup"),
        (False, "Très bien, à mardi !"),
    ]
    # Marie reads the thread from the page
    await marie.play(
        f"""
        > /person {amina_id}
        < dernier message le 23 novembre 2026
        > [Messages]
        < Messages avec Amina :
        < 23 novembre 2026 11:00 – Amina : « oui mardi c bon. merci beaucoup »
        < – Paris 11e : « Très bien, à mardi ! »
        """
    )


async def test_the_volunteer_ends_it_and_the_person_is_told(relais: Relais) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie_writes(marie, amina_id)
    await deliver(relais, amina)
    await amina.play("> [Répondre]\n> oui\n< C'est envoyé.")
    await deliver(relais, marie)
    await marie.play(
        """
        > [Terminer]
        < C'est noté : la conversation avec Amina est terminée. La personne est prévenue.
        > [Terminer]
        < Cette conversation est déjà terminée.
        """
    )
    assert await deliver(relais, amina) == (
        "Paris 11e a terminé la conversation. Pour parler à nouveau au centre, choisissez"
        " « Parler à un bénévole » dans le menu."
    )


async def test_a_reply_being_written_when_the_volunteer_ends_still_reaches_them(
    relais: Relais,
) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie_writes(marie, amina_id)
    await deliver(relais, amina)
    await amina.play("> [Répondre]\n< Écrivez votre réponse")
    async with relais.storage.transaction() as tx:
        (exchange,) = {m.exchange_id for m in await tx.exchange_messages_of(amina_id)}
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:we:{exchange}"))
    await amina.play("> Je viens mardi\n< C'est envoyé.\n< Vous parlez français ?")
    assert "« Je viens mardi »" in await deliver(relais, marie)


async def test_quiet_hours_hold_the_volunteer_s_message_until_the_morning(
    relais: Relais, hands: Hands
) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    hands.now = NOW + timedelta(hours=10, minutes=30)  # Monday 21:30 in Paris
    await marie.play(
        f"""
        > /write {amina_id}
        > {HELLO}
        < C'est envoyé à Amina
        < C'est le soir ou un jour de repos : Relais lui donnera votre message le 24 novembre 2026 à 08:30.
        """  # noqa: E501
    )
    assert await deliver(relais, amina) == ""
    hands.now = NOW + timedelta(hours=21, minutes=29)  # Tuesday 08:29
    assert await deliver(relais, amina) == ""
    hands.now = NOW + timedelta(hours=21, minutes=30)  # Tuesday 08:30
    assert HELLO in await deliver(relais, amina)
    # her answer, in the morning, is the answer to what she just did: no wait for her
    await amina.play("> [Répondre]\n> merci je viens\n< C'est envoyé.\n< Vous parlez français ?")


async def test_amina_gives_her_phone_number_to_the_centre(relais: Relais) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie_writes(marie, amina_id)
    await deliver(relais, amina)
    await amina.play(
        """
        > [Donner mon numéro]
        < Quel est votre numéro de téléphone ?
        < Seuls les bénévoles de votre centre le verront.
        > mon numero c 06 12
        < Quel est votre numéro de téléphone ?
        ! Merci
        > 06 12 34 56 78
        < Merci ! Le centre a votre numéro : 06 12 34 56 78
        < Vous parlez français ?
        """
    )
    assert await deliver(relais, marie) == (
        "Amina (Paris 11e) vous donne son numéro de téléphone : 06 12 34 56 78"
    )
    await marie.play(f"> /person {amina_id}\n< Contact : 06 12 34 56 78")
    async with relais.storage.transaction() as tx:
        actions = [(e.subject_id, e.action) for e in await tx.audit_entries(limit=10)]
    assert (amina_id, "phone") in actions and (amina_id, "message") in actions
    # the CV asks for the same number: it is already there
    await amina.play("> /menu\n> [Faire mon CV]\n< nom de famille\n> Benali\n! numéro de téléphone")
    # now that the centre has it, the next message does not ask for it
    await marie_writes(marie, amina_id, "Merci Amina")
    await deliver(relais, amina)
    assert amina.labels() == ["✍️ Répondre", "Terminer la conversation"]


async def test_a_10000_character_answer_cancel_and_menu_send_nothing(relais: Relais) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie_writes(marie, amina_id)
    await deliver(relais, amina)
    await amina.play("> [Répondre]")
    await amina.type("Je voudrais vous dire. " * 435)  # 10 005 characters
    assert "Votre réponse est trop longue. Écrivez au plus 2000 caractères." in amina.text
    assert "Écrivez votre réponse pour Paris 11e" in amina.text
    await amina.play(
        """
        > [Annuler]
        < D'accord, rien n'est envoyé.
        < Vous parlez français ?
        > [Un peu]
        < Vous lisez le français ?
        """
    )
    # "Annuler" typed, and /menu, leave it too
    await amina.play("> /menu\n> [Faire mon bilan]\n< Vous lisez le français ?")
    await deliver(relais, amina)  # nothing new: her earlier message's buttons still work
    async with relais.storage.transaction() as tx:
        started = await tx._fetchone(
            "SELECT id, token FROM started_messages WHERE person_id = ?", (amina_id,)
        )
    reply = f"R:{started['id']}:{started['token']}:reply"
    await amina.send(Inbound(EventKind.BUTTON, data=reply))
    await amina.play("> annuler\n< D'accord, rien n'est envoyé.\n< Vous lisez le français ?")
    await amina.send(Inbound(EventKind.BUTTON, data=reply))
    await amina.play("> /menu\n< Que voulez-vous faire ?\n> [Faire mon bilan]\n< Vous lisez")
    assert await deliver(relais, marie) == ""
    async with relais.storage.transaction() as tx:
        assert [m.from_person for m in await tx.exchange_messages_of(amina_id)] == [False]


async def test_other_centres_and_forged_buttons_get_the_usual_answers(relais: Relais) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    leo = await join(relais, "leo", "lyon")
    bilal = Conversation(relais, user="bilal")
    await bilal.play("> /start\n> [Français]\n> [Oui]\n> [Lyon Part-Dieu]\n> Bilal")
    await marie_writes(marie, amina_id)
    async with relais.storage.transaction() as tx:
        (exchange,) = {m.exchange_id for m in await tx.exchange_messages_of(amina_id)}
    # a volunteer of Lyon: not among his centre's people, by command or button
    for pressed in (f"V:w:{amina_id}", f"V:we:{exchange}", f"V:wm:{amina_id}", "V:we:99999"):
        await leo.send(Inbound(EventKind.BUTTON, data=pressed))
        assert leo.text == NOT_FOUND, pressed
    await leo.play(f"> /write {amina_id}\n< {NOT_FOUND}\n> /write Amina\n< /write 12")
    async with relais.storage.transaction() as tx:
        assert (await tx.exchange(exchange)).open  # still going on
    # a beneficiary pressing desk buttons: as any stale button
    await bilal.send(Inbound(EventKind.BUTTON, data=f"V:w:{amina_id}"))
    assert STALE in bilal.text
    await bilal.play("> /write 1\n< Je ne connais pas cette commande.")
    # Amina's message buttons pressed by Bilal, or forged: stale
    await deliver(relais, amina)
    button = next(b.data for b in amina.buttons if "Répondre" in b.label)
    prefix, number, token, _ = button.split(":")
    await bilal.send(Inbound(EventKind.BUTTON, data=button))
    assert STALE in bilal.text and "Écrivez votre réponse" not in bilal.text
    for forged in (
        f"{prefix}:{number}:{'0' * 12}:reply",
        f"{prefix}:{number}:{token}:admin",
        f"{prefix}:{number}:{token}:",
        f"{prefix}:{int(number) + 1}:{token}:reply",
        f"{prefix}:{number}:{token}:reply:again",
    ):
        await amina.send(Inbound(EventKind.BUTTON, data=forged))
        assert STALE in amina.text, forged
        assert "Vous parlez français ?" in amina.text, forged
    # a reply flow cannot be opened by typing or by an old question's button
    await amina.play("> reply_to_centre\n! Écrivez votre réponse")
    # Marie's own answer to a forged exchange id
    await marie.send(Inbound(EventKind.BUTTON, data="V:we:99999"))
    assert marie.text == NOT_FOUND


async def test_a_person_who_blocked_relais_or_stopped_is_not_written_to(relais: Relais) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie_writes(marie, amina_id)  # queued while she could still receive it
    async with relais.storage.transaction() as tx:
        await tx.set_blocked("test", "amina", True)
    assert await deliver(relais, amina) == ""  # dropped: she blocked the bot
    await marie.play(
        f"""
        > /person {amina_id}
        > [Écrire]
        < Amina ne reçoit plus de messages de Relais (la personne a écrit /stop ou a bloqué Relais).
        ! Écrivez votre message
        > /write {amina_id}
        < ne reçoit plus de messages de Relais
        """
    )
    async with relais.storage.transaction() as tx:
        await tx.set_blocked("test", "amina", False)
    await amina.play("> /stop\n< Relais ne vous enverra plus de messages")
    await marie.play(f"> /write {amina_id}\n< ne reçoit plus de messages de Relais")


async def test_writing_takes_a_waiting_request_and_taking_is_not_a_first_contact(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS)
    marie = await join(relais, "marie", "paris11")
    paul = await join(relais, "paul", "paris11")
    amina_id = await person_id(relais, "amina")
    await amina.play(
        """
        > [Parler à un bénévole]
        > /help
        < Un bénévole vous écrira ici, dans Relais
        > [Oui]
        < Un bénévole de Paris 11e va vous écrire ici, dans Relais.
        """
    )
    await deliver(relais, paul)
    await paul.play(
        """
        > [Je m'en occupe]
        < Merci ! Vous vous occupez d'Amina.
        < Écrivez-lui ici
        """
    )
    async with relais.storage.transaction() as tx:
        assert (await tx.followup_of(amina_id)).first_contact_at is None
    await paul.play(f"> /person {amina_id}\n< pas encore de premier contact\n! Demande d'aide")
    assert "Il va vous écrire ici, dans Relais." in await deliver(relais, amina)
    # a second request: waiting on the page; writing to her takes it
    await amina.play("> [Parler à un bénévole]\n> [Oui]")
    await deliver(relais, marie)
    assert "Amina (Paris 11e) voudrait parler à un bénévole." in await deliver(relais, paul)
    await marie.play(
        f"""
        > /person {amina_id}
        < Demande d'aide : en attente depuis le 23 novembre 2026
        < [🙋 Je m'en occupe]
        """
    )
    await marie_writes(marie, amina_id)
    await paul.play("> [Je m'en occupe]\n< Un autre bénévole s'occupe déjà de cette demande.")
    await marie.play(f"> /person {amina_id}\n! Demande d'aide\n< pas encore de premier contact")
    await marie.play("> [Contact fait]\n< C'est noté : premier contact avec Amina.")


async def test_amina_s_data_holds_the_messages_without_the_volunteer(relais: Relais) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie_writes(marie, amina_id)
    await deliver(relais, amina)
    await amina.play("> [Répondre]\n> oui mardi\n< C'est envoyé.")
    await amina.play(
        """
        > /menu
        > [Mes données]
        > [Recevoir mes données]
        < Voici tout ce que Relais garde sur vous
        """
    )
    text, data = await my_files(amina)
    assert (
        "■ Vos messages avec le centre\n"
        f"23 novembre 2026 – Paris 11e : « {HELLO} »\n"
        "23 novembre 2026 – vous : « oui mardi »\n"
    ) in text
    assert "Premier contact : 23 novembre 2026" in text
    at = "2026-11-23T10:00:00+00:00"
    assert data["messages"] == [
        {"at": at, "from": "centre", "centre": "paris11", "text": HELLO},
        {"at": at, "from": "you", "centre": "paris11", "text": "oui mardi"},
    ]
    assert "Marie" not in text and "marie" not in json.dumps(data)
    # her writing to Amina is audited, and not shown to Amina as someone reading her data
    assert {"action": "message", "at": "2026-11-23T10:00:00+00:00", "by": "volunteer"} in data[
        "access_log"
    ]


async def test_olena_reads_and_answers_in_english(relais: Relais) -> None:
    # a Ukrainian engineer with beginner French, who chose English
    olena = Conversation(relais, user="olena")
    await olena.play(
        """
        > /start
        > [English]
        > [Yes]
        > [Paris 11e]
        > Olena
        > [Make my CV]
        < What is your family name?
        """
    )
    marie = await join(relais, "marie", "paris11")
    olena_id = await person_id(relais, "olena")
    await marie.play(f"> /write {olena_id}\n> Bonjour Olena, pouvez-vous venir mardi ?")
    assert await deliver(relais, olena) == (
        "✉️ Message from Paris 11e:\n“Bonjour Olena, pouvez-vous venir mardi ?”\n"
        "To answer, press “Reply”."
    )
    assert olena.labels() == ["✍️ Reply", "📞 Give my number", "End the conversation"]
    await olena.play(
        """
        > [Reply]
        < Write your answer for Paris 11e, then send it.
        > Oui. Mardi 10h ok. Merci
        < Sent. The volunteer will answer you here, in Relais.
        < What is your family name?
        > Shevchenko
        < Olena SHEVCHENKO
        > [Yes]
        < What is your phone number?
        """
    )
    answer = await deliver(relais, marie)
    assert answer == "Réponse d'Olena (Paris 11e) :\n« Oui. Mardi 10h ok. Merci »"


async def test_an_answer_reaches_the_team_when_the_volunteer_has_left(relais: Relais) -> None:
    amina, marie, amina_id = await amina_and_marie(relais)
    paul = await join(relais, "paul", "paris11")
    await marie_writes(marie, amina_id)
    await deliver(relais, amina)
    marie_id = await person_id(relais, "marie")
    async with relais.storage.transaction() as tx:
        await tx.revoke_roles(marie_id, ["paris11"])
    await amina.play("> [Répondre]\n> oui je viens mardi\n< C'est envoyé.")
    assert await deliver(relais, marie) == ""
    assert "« oui je viens mardi »" in await deliver(relais, paul)


async def test_amina_types_her_answer_at_the_menu_without_pressing_repondre(
    relais: Relais,
) -> None:
    # as in any messaging app: the centre wrote, she types back; the menu's own words still
    # open the menu ("parler"), and once the conversation has ended, text is text again
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + "< Que voulez-vous faire ?")
    marie = await join(relais, "marie", "paris11")
    amina_id = await person_id(relais, "amina")
    await marie_writes(marie, amina_id)
    await deliver(relais, amina)
    await amina.play(
        """
        > /menu
        > oui mardi c bon
        < C'est envoyé. Le bénévole vous répondra ici, dans Relais.
        < Que voulez-vous faire ?
        ! Choisissez dans le menu
        """
    )
    assert "« oui mardi c bon »" in await deliver(relais, marie)
    await marie.play("> [Terminer]")
    await amina.play("> /menu\n> merci\n< Choisissez dans le menu avec les boutons")


async def test_a_number_given_to_the_centre_mid_cv_is_not_asked_again(relais: Relais) -> None:
    """Fatou is at the CV's phone question when the centre writes; she gives her number under
    the message: the CV goes on to the next question instead of asking the same number."""
    amina, marie, amina_id = await amina_and_marie(relais)
    await amina.play(
        """
        > /menu
        > [Faire mon CV]
        < nom de famille
        > diallo
        < C'est juste ?
        > oui
        < Quel est votre numéro de téléphone ?
        """
    )
    await marie_writes(marie, amina_id, "Donnez votre numero svp")
    await deliver(relais, amina)
    await amina.play(
        """
        > [Donner mon numéro]
        > 06 12 34 56 78
        < Merci ! Le centre a votre numéro : 06 12 34 56 78
        < Quelle est votre adresse e-mail ?
        ! Quel est votre numéro de téléphone ?
        """
    )


async def test_a_person_who_joins_a_team_mid_reply_sends_nothing_to_the_centre(
    relais: Relais,
) -> None:
    # Amina was answering Marie when she became a volunteer herself: what she types next is not
    # an answer to Marie, and neither the reply question nor her bilan comes back
    amina, marie, amina_id = await amina_and_marie(relais)
    await marie_writes(marie, amina_id)
    await deliver(relais, amina)
    await amina.play("> [Répondre]\n< Écrivez votre réponse pour Paris 11e")
    invitation = await relais.invite("paris11", "volunteer", created_by=None)
    assert invitation is not None
    await amina.play(
        f"""
        > {invitation[0]}
        < Bienvenue dans l'équipe de Paris 11e
        ! Écrivez votre réponse pour Paris 11e
        ! Vous parlez français ?
        > Amina
        < Espace bénévole
        ! Écrivez votre réponse
        """
    )
    assert await deliver(relais, marie) == ""
