"""A volunteer removed from the team does not receive, afterwards, the help requests that were
still waiting to be sent to them (their chat slowed down by Telegram: 429, retry after a
minute): a request names its author. The real `relais run` process and the Bot API emulator."""

from __future__ import annotations

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_team import ADMIN, CONFIG, VIC
from tests.test_e2e_volunteers import code_in

ZEBULONNE = 9050


def test_a_removed_volunteer_does_not_get_the_requests_queued_for_them(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    admin = Phone(emulator, ADMIN)
    admin.play("> /start\n< Choose your language.\n> [Français]\n< Quel est votre prénom ?")
    admin.play("> /invite paris11")
    code = code_in(emulator.wait_for_text(ADMIN, "Code d'invitation pour Paris 11e"))
    vic = Phone(emulator, VIC)
    vic.play(f"> {code}\n< Bienvenue dans l'équipe de Paris 11e")
    # from now on Telegram asks Relais to wait a minute before writing to the volunteer
    emulator.fail_next("sendMessage", times=100, kind="429", retry_after=60, chat_id=VIC)
    asked_before = len(emulator.calls_to("sendMessage"))
    Phone(emulator, ZEBULONNE).play(
        """
        > /start
        < Choose your language.
        > [Français]
        < Vous êtes d'accord ?
        > [Oui]
        < Quel est votre centre ?
        > [Paris 11e]
        < Quel est votre prénom ?
        > Zebulonne
        < Que voulez-vous faire ?
        > [Parler à un bénévole]
        < Voulez-vous qu'un bénévole de votre centre vous contacte ?
        > [Oui]
        < C'est envoyé.
        """
    )
    # the request for the volunteer was tried once, refused: it waits in the outbox
    emulator.wait_until(
        lambda: any(
            call.get("chat_id") == VIC for call in emulator.calls_to("sendMessage")[asked_before:]
        )
    )
    admin.play(
        """
        > /team remove 2
        < de l'équipe de Paris 11e ?
        > [Oui, retirer]
        < ne fait plus partie de l'équipe de Paris 11e.
        """
    )
    # Telegram lets Relais write to the volunteer again
    emulator.clear_faults()
    bot.kill()  # the retry waits a minute: a restart sends it now
    bot.start().wait_ready()
    vic.play("< Vous ne faites plus partie de l'équipe de Paris 11e.")
    texts = [message.get("text", "") for message in emulator.messages(VIC)]
    assert not [text for text in texts if "Zebulonne" in text]
