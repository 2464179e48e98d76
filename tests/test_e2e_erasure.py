"""Erasure leaves nothing, end to end: the real `relais run` process and the Bot API emulator.
A person whose Telegram profile has a first name, a last name and a username builds a CV, asks
for a volunteer (the admin takes the request and sees their phone), blocks and unblocks the bot,
then erases their data; the process is killed (-9) the moment the farewell arrives. No byte of
what they told Relais, nor of their Telegram profile, is in the database files or the logs;
nor after the retention purge; and an invitation code sent to an admin is not kept in clear."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

from bot.testing.conversation import script_lines
from bot.testing.moment import NOW
from bot.testing.phone import Phone
from bot.testing.relais_process import RelaisProcess
from bot.testing.telegram_emulator import TelegramEmulator
from tests.leftovers import (
    CV_SCRIPT,
    ERASE_SCRIPT,
    FIRST_NAME,
    TG_FIRST,
    TG_LAST,
    TG_USERNAME,
    database_files,
    leftovers,
)

ADMIN, ZORBA = 9101, 7391846205

CONFIG = """
[general]
admins = ["9101"]

[[centres]]
id = "paris11"
name = "Paris 11e"
"""

ONBOARDING = f"""
> /start
< Choose your language.
> [Français]
< Vous êtes d'accord ?
> [Oui]
< Quel est votre centre ?
> [Paris 11e]
< Quel est votre prénom ?
> {FIRST_NAME}
< Que voulez-vous faire ?
"""


class ProfilePhone(Phone):
    """A phone whose Telegram profile (names, username) goes with every message it sends."""

    def play(self, script: str, timeout: float = 15.0) -> None:
        """Play the script as Phone.play does, typed text carrying the profile."""
        for _, mark, rest in script_lines(script):
            if mark == ">" and not (rest.startswith("[") and rest.endswith("]")):
                self.emulator.send_text(
                    self.user_id,
                    rest,
                    first_name=TG_FIRST,
                    language_code="fr",
                    last_name=TG_LAST,
                    username=TG_USERNAME,
                )
            else:
                super().play(f"{mark} {rest}", timeout)


def a_followed_person(emulator: TelegramEmulator) -> ProfilePhone:
    """The admin is there; the person builds a CV and asks for a volunteer; the admin takes
    the request (and sees the name and phone)."""
    Phone(emulator, ADMIN).play("> /start\n< Choose your language.\n> [Français]")
    person = ProfilePhone(emulator, ZORBA)
    person.play(ONBOARDING + CV_SCRIPT)
    person.play(
        """
        > [Parler à un bénévole]
        < Voulez-vous qu'un bénévole de votre centre vous contacte ?
        > [Oui]
        < C'est envoyé.
        < Que voulez-vous faire ?
        """
    )
    emulator.wait_for_text(ADMIN, "(Paris 11e) voudrait parler à un bénévole.")
    Phone(emulator, ADMIN).play(f"> [Je m'en occupe]\n< Vous vous occupez de {FIRST_NAME}")
    return person


def logs_of(bot: RelaisProcess) -> list[str]:
    """Personal values, or the person's Telegram id, found in the process's logs."""
    found = leftovers([bot.stdout_path, bot.stderr_path])
    text = bot.logs()
    if re.search(rf"(?<![0-9]){ZORBA}(?![0-9])", text):
        found.append("Telegram id in the logs")
    return found


def test_after_erasure_and_a_kill_no_byte_is_left(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    person = a_followed_person(emulator)
    # a block and an unblock: logged, with the person's number in Relais only
    emulator.block_bot(ZORBA)
    emulator.unblock_bot(ZORBA)
    person.play("> /menu\n< Que voulez-vous faire ?")
    files = database_files(bot.database)
    assert len(leftovers(files)) >= 9  # the test can fail: the values are there before
    person.play(ERASE_SCRIPT)
    bot.kill()  # at once: the person has just read "C'est fait"
    assert leftovers(database_files(bot.database)) == []
    assert logs_of(bot) == []
    assert "bot blocked by person=" in bot.logs()

    # after a restart the rest is sent, and no row of the person is left
    bot.start().wait_ready()
    Phone(emulator, ADMIN).play("> /help\n< Je suis Relais")
    bot.stop()
    with sqlite3.connect(bot.database) as db:
        rows = {
            table: db.execute(sql, (str(ZORBA),)).fetchone()[0]
            for table, sql in (
                ("persons", "SELECT COUNT(*) FROM persons WHERE external_id = ?"),
                ("outbox", "SELECT COUNT(*) FROM outbox WHERE chat_id = ?"),
            )
        }
        actions = [a for (a,) in db.execute("SELECT action FROM audit_log ORDER BY id")]
    db.close()
    assert rows == {"persons": 0, "outbox": 0}
    assert actions[-1] == "erased"
    assert leftovers(database_files(bot.database)) == []
    assert logs_of(bot) == []


def test_after_the_retention_purge_no_byte_is_left(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    a_followed_person(emulator)
    bot.stop()
    assert len(leftovers(database_files(bot.database))) >= 9  # the values are there before
    later = NOW + timedelta(days=731)
    purging = relais_factory(config_text=CONFIG, extra_env={"RELAIS_CLOCK": later.isoformat()})
    purging.kill()  # the purge ran at start-up, before polling
    assert leftovers(database_files(bot.database)) == []
    assert logs_of(purging) == []


def test_an_invitation_code_is_not_kept_in_clear_once_sent(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    admin = Phone(emulator, ADMIN)
    admin.play("> /start\n< Choose your language.\n> [Français]\n< Quel est votre prénom ?")
    admin.play("> /invite paris11")
    message = emulator.wait_for_text(ADMIN, "Code d'invitation pour Paris 11e")
    found = re.search(r"RELAIS-([A-Z0-9]{4})-([A-Z0-9]{4})", message["text"])
    assert found is not None
    # the next answer comes after the code's row was dealt with (one chat, in order)
    admin.play("> /help\n< Je suis Relais")
    bot.kill()
    code = {
        "code": re.compile(re.escape(found.group(0)).encode()),
        "code (second half)": re.compile(f"{found.group(1)}-{found.group(2)}".encode()),
    }
    assert leftovers(database_files(bot.database), code) == []
    assert leftovers([bot.stdout_path, bot.stderr_path], code) == []
    # the code still works: only its hash was needed
    bot.start().wait_ready()
    Phone(emulator, 9102).play(f"> {found.group(0)}\n< Bienvenue dans l'équipe de Paris 11e")
