"""Messages between a volunteer and a person, end to end: the real `relais run` process
against the Bot API emulator. Amina asks to talk to a volunteer and starts her
self-assessment; Marie takes the request and writes to her from Telegram; Amina reads a
message from her centre, answers in the middle of her self-assessment and finds her question
again; Marie gets the answer with a button to answer again; Amina ends the conversation."""

from __future__ import annotations

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_volunteers import beneficiary, code_in

ADMIN, MARIE, AMINA = 9001, 9002, 9010

CONFIG = """
[general]
admins = ["9001"]

[[centres]]
id = "paris11"
name = "Paris 11e"
"""


def test_a_volunteer_and_a_person_write_to_each_other_through_relais(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory(config_text=CONFIG)
    admin = Phone(emulator, ADMIN)
    admin.play("> /start\n< Choose your language.\n> [Français]\n< Quel est votre prénom ?")
    emulator.send_text(ADMIN, "/invite paris11")
    code = code_in(emulator.wait_for_text(ADMIN, "Code d'invitation pour Paris 11e"))
    marie = Phone(emulator, MARIE)
    marie.play(f"> {code}\n< Bienvenue dans l'équipe de Paris 11e")

    amina = beneficiary(emulator, AMINA, "Amina", "Paris 11e")
    amina.play(
        """
        > [Parler à un bénévole]
        < Voulez-vous qu'un bénévole de votre centre vous contacte ?
        > [Oui]
        < Un bénévole de Paris 11e va vous écrire ici, dans Relais.
        < Que voulez-vous faire ?
        > [Faire mon bilan]
        < Vous parlez français ?
        """
    )
    marie.play(
        """
        < Amina (Paris 11e) voudrait parler à un bénévole.
        > [Je m'en occupe]
        < Merci ! Vous vous occupez d'Amina.
        > [Écrire]
        < Écrivez votre message pour Amina
        > Bonjour Amina, vous pouvez venir au centre mardi à 10 h ?
        < C'est envoyé à Amina, comme un message de Paris 11e.
        """
    )
    amina.play(
        """
        < Un bénévole a vu votre demande. Il va vous écrire ici, dans Relais.
        < Message de Paris 11e :
        > [Répondre]
        < Écrivez votre réponse pour Paris 11e
        > oui mardi c bon merci
        < C'est envoyé. Le bénévole vous répondra ici, dans Relais.
        < Vous parlez français ?
        """
    )
    received = [m["text"] for m in emulator.messages(AMINA) if "Message de" in m.get("text", "")]
    assert received == [
        "✉️ Message de Paris 11e :\n« Bonjour Amina, vous pouvez venir au centre mardi à 10 h ? »"
        "\nPour répondre, appuyez sur « Répondre »."
    ]
    marie.play(
        """
        < Réponse d'Amina (Paris 11e) :
        > [Répondre]
        < Écrivez votre message pour Amina
        > Parfait, à mardi !
        < C'est envoyé à Amina
        """
    )
    answer = [m["text"] for m in emulator.messages(MARIE) if "Réponse d" in m.get("text", "")]
    assert answer == ["Réponse d'Amina (Paris 11e) :\n« oui mardi c bon merci »"]
    amina.play(
        """
        < « Parfait, à mardi ! »
        > [Terminer la conversation]
        < D'accord, la conversation est terminée.
        < Vous parlez français ?
        > [Un peu]
        < Vous lisez le français ?
        """
    )
    marie.play(
        """
        < Amina (Paris 11e) a terminé la conversation.
        > [Voir la fiche]
        < premier contact le 23 novembre 2026
        """
    )
