"""The erasure warning end to end: the real `relais run` process and the Bot API emulator, the
process restarted with a later RELAIS_CLOCK to live 700 days later, then on the day of the
erasure. Ana is warned and keeps her data with "Je suis toujours là"; Carl does not answer and
is erased on the day; Bob stopped Relais: never warned, erased on the day too."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from bot.testing.moment import NOW
from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator

ANA, BOB, CARL = 7301, 7302, 7303

CONFIG = """
[[centres]]
id = "paris11"
name = "Paris 11e"
"""

MIDWAY = """
> /start
< Choose your language.
> [Français]
< Vous êtes d'accord ?
> [Oui]
< Quel est votre centre ?
> [Paris 11e]
< Quel est votre prénom ?
"""

# 700 days and an hour after they last wrote: less than 30 days before the 730-day erasure
WARNED_AT = NOW + timedelta(days=700, hours=1)  # a Monday, 12:00 in Paris
ERASURE_DAY = NOW + timedelta(days=730, hours=1)
WARNING = "vos informations seront effacées le 22 novembre 2028"


def people(database: object) -> set[str]:
    with sqlite3.connect(str(database)) as db:
        found = {str(r[0]) for r in db.execute("SELECT external_id FROM persons")}
    db.close()
    return found


def test_warned_kept_by_the_button_or_erased_on_the_day(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(config_text=CONFIG)
    ana, bob, carl = Phone(emulator, ANA), Phone(emulator, BOB), Phone(emulator, CARL)
    ana.play(MIDWAY)
    carl.play(MIDWAY)
    bob.play(MIDWAY + "> /stop\n< Relais ne vous enverra plus de messages.")
    bot.stop()

    later = relais_factory(config_text=CONFIG, extra_env={"RELAIS_CLOCK": WARNED_AT.isoformat()})
    emulator.wait_for_text(CARL, WARNING)
    emulator.wait_for_text(ANA, WARNING)
    ana.play(
        """
        > [Je suis toujours là]
        < Merci ! Vos informations sont gardées.
        < Quel est votre prénom ?
        """
    )
    # pressed again: already done, kindly
    ana.play("> [Je suis toujours là]\n< C'est déjà fait : vos informations sont gardées.")
    later.stop()
    assert not [m for m in emulator.unread(BOB) if "effacées" in str(m.get("text"))]

    on_the_day = relais_factory(
        config_text=CONFIG, extra_env={"RELAIS_CLOCK": ERASURE_DAY.isoformat()}
    )
    on_the_day.kill()  # the purge ran at start-up, before polling
    assert people(bot.database) == {str(ANA)}
