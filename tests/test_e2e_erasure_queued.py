"""A volunteer's answer that shows a person (their page, their phone) and is still waiting to be
sent when that person erases their data goes with them: no byte stays in the database files,
and the volunteer never receives it afterwards. Real `relais run` process and Bot API emulator;
the volunteer's chat is slowed down by Telegram (429, retry after a minute)."""

from __future__ import annotations

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator
from tests.leftovers import CV_SCRIPT, ERASE_SCRIPT, FIRST_NAME, database_files, leftovers
from tests.test_e2e_erasure import ADMIN, CONFIG, ONBOARDING, ZORBA, ProfilePhone


def test_a_queued_answer_with_the_phone_goes_with_the_person(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    Phone(emulator, ADMIN).play("> /start\n< Choose your language.\n> [Français]")
    person = ProfilePhone(emulator, ZORBA)
    person.play(ONBOARDING + CV_SCRIPT)
    person.play(
        """
        > [Parler à un bénévole]
        < Voulez-vous qu'un bénévole de votre centre vous contacte ?
        > [Oui]
        < C'est envoyé.
        """
    )
    emulator.wait_for_text(ADMIN, "(Paris 11e) voudrait parler à un bénévole.")
    # from now on Telegram asks Relais to wait a minute before writing to the admin
    emulator.fail_next("sendMessage", times=100, kind="429", retry_after=60, chat_id=ADMIN)
    asked_before = len(emulator.calls_to("sendMessage"))
    emulator.press_button(ADMIN, "Je m'en occupe")
    # the answer with the name and phone was tried once, refused: it waits in the outbox
    emulator.wait_until(
        lambda: any(
            call.get("chat_id") == ADMIN for call in emulator.calls_to("sendMessage")[asked_before:]
        )
    )
    assert len(leftovers(database_files(bot.database))) >= 9  # the values are there before
    person.play(ERASE_SCRIPT)
    bot.kill()
    assert leftovers(database_files(bot.database)) == []

    # Telegram lets Relais write again: the admin never gets the erased person's phone
    emulator.clear_faults()
    bot.start().wait_ready()
    Phone(emulator, ADMIN).play("> /help\n< Je suis Relais")
    texts = [m.get("text", "") for m in emulator.messages(ADMIN)]
    assert not [text for text in texts if FIRST_NAME in text and "Téléphone" in text]
