"""One person cannot stall everyone: the real `relais run` process against the Bot API emulator.

A flooder sends hundreds of messages at once; another person who writes afterwards is answered
before the flood is, the flooder is told once to slow down, then served again after a pause;
30 forged "Recevoir mon CV" presses make one document.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.testing.phone import Phone
from bot.testing.relais_process import RelaisProcess
from bot.testing.telegram_emulator import TelegramEmulator
from tests.test_e2e_cv import CV_REST, CV_START, wait_for_documents
from tests.test_e2e_telegram import ONBOARDING_FR

FLOODER = 6001
OTHER = 6002
SLOW_DOWN = "Doucement : j'ai reçu beaucoup de messages d'un coup."
# the budget out of the way: what is left to see is the fair order alone
NO_BUDGET = {"RELAIS_FAIRNESS_BURST": "1000", "RELAIS_FAIRNESS_PER_SECOND": "1000"}


def rows(database: Path, sql: str) -> list[tuple]:
    """Read the bot's database with the standard library (WAL: readers do not block it)."""
    with sqlite3.connect(database) as conn:
        return conn.execute(sql).fetchall()


def wait_until_idle(emulator: TelegramEmulator, bot: RelaisProcess, timeout: float = 60) -> None:
    """Wait until every update is fetched and handled and nothing is left to send."""

    def idle() -> bool:
        if emulator.pending_updates:
            return False
        journal = "SELECT COUNT(*) FROM update_journal WHERE handled_at IS NULL"
        outbox = "SELECT COUNT(*) FROM outbox WHERE state = 'queued'"
        return rows(bot.database, journal) == [(0,)] and rows(bot.database, outbox) == [(0,)]

    emulator.wait_until(idle, timeout, message="the bot did not finish its work")


def sent_to(emulator: TelegramEmulator, chat_id: int) -> list[str]:
    """Texts of the messages sent to a chat, in the order the bot sent them."""
    return [p["text"] for p in emulator.calls_to("sendMessage") if p.get("chat_id") == chat_id]


def test_another_persons_start_is_answered_before_a_flooders_backlog(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(extra_env=NO_BUDGET)
    emulator.send_texts(FLOODER, [f"message {i}" for i in range(60)])
    Phone(emulator, OTHER).play("""
        > /start
        < Choose your language.
        """)
    # the other person was answered while most of the flood was still waiting
    calls = [p.get("chat_id") for m, p in emulator.calls if m == "sendMessage"]
    first_other = calls.index(OTHER)
    # (oldest first, it would wait behind the flood's 60 updates and their 120 replies)
    assert calls[:first_other].count(FLOODER) < 30
    # and nothing of the flood is lost: every message is answered, in order
    wait_until_idle(emulator, bot)
    assert len(sent_to(emulator, FLOODER)) >= 60
    assert not any(SLOW_DOWN in text for text in sent_to(emulator, FLOODER))


def test_a_flooder_is_told_once_to_slow_down_then_served_again_after_a_pause(
    emulator: TelegramEmulator, relais_factory
) -> None:
    # 8 messages at once, then 4 a second: the budget is full again after 2 s of quiet
    bot = relais_factory(
        extra_env={"RELAIS_FAIRNESS_BURST": "8", "RELAIS_FAIRNESS_PER_SECOND": "4"}
    )
    emulator.send_texts(FLOODER, [f"message {i}" for i in range(300)])
    Phone(emulator, OTHER).play("""
        > /start
        < Choose your language.
        > [Français]
        < Vous êtes d'accord ?
        """)
    emulator.wait_for_text(FLOODER, SLOW_DOWN, timeout=30)
    wait_until_idle(emulator, bot)
    flooder = sent_to(emulator, FLOODER)
    assert sum(SLOW_DOWN in text for text in flooder) == 1
    # the burst was answered, the rest was skipped without being read
    assert 8 <= len(flooder) - 1 < 40
    skipped = "SELECT COUNT(*) FROM update_journal WHERE handled_at IS NOT NULL AND payload IS NULL"
    assert rows(bot.database, skipped)[0][0] >= 300
    assert "over budget" in bot.logs() and str(FLOODER) not in bot.logs()

    time.sleep(2.2)  # the pause that refills the budget (8 tokens at 4 a second)
    Phone(emulator, FLOODER).play("""
        > /start
        < Choose your language.
        > [English]
        < Do you agree?
        """)
    wait_until_idle(emulator, bot)
    assert sum(SLOW_DOWN in text for text in sent_to(emulator, FLOODER)) == 1


def test_a_flooder_is_told_in_their_own_language(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(
        extra_env={"RELAIS_FAIRNESS_BURST": "8", "RELAIS_FAIRNESS_PER_SECOND": "4"}
    )
    # a phone in English, before any language was chosen in Relais
    emulator.send_texts(FLOODER, [f"message {i}" for i in range(40)], language_code="en")
    emulator.wait_for_text(FLOODER, "Slow down: I received a lot of messages at once.", timeout=30)
    wait_until_idle(emulator, bot)
    assert not any(SLOW_DOWN in text for text in sent_to(emulator, FLOODER))


def test_a_flood_of_presses_is_skipped_and_the_last_press_stops_spinning(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(
        extra_env={"RELAIS_FAIRNESS_BURST": "8", "RELAIS_FAIRNESS_PER_SECOND": "4"}
    )
    emulator.send_text(FLOODER, "/start")
    question = emulator.wait_for_text(FLOODER, "Choose your language.")
    data = question["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    for _ in range(40):
        emulator.press(FLOODER, question["message_id"], data)
    emulator.wait_for_text(FLOODER, SLOW_DOWN, timeout=30)
    wait_until_idle(emulator, bot)
    pressed = emulator.callback_queries
    answered = emulator.answered_callbacks
    # the presses within budget, and the last one: not 40 answers spending everyone's rate
    assert pressed[-1] in answered
    assert 7 <= len(answered) < 20


def test_thirty_forged_cv_presses_make_one_document(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(extra_env=NO_BUDGET)
    phone = Phone(emulator, FLOODER)
    phone.play(ONBOARDING_FR)
    phone.play(CV_START + "> Martin\n< Amina MARTIN\n> [Oui]\n" + CV_REST)
    wait_for_documents(emulator, FLOODER, 1)
    # a correction: the CV asked for next is a new document
    phone.play("""
        > [Mon CV]
        < Voici votre CV, partie par partie.
        > [Expériences (1)]
        < 1. Aide-soignante
        > [1. Aide-soignante]
        < Dates : septembre 2015 – aujourd'hui
        > [Dates]
        < Quand avez-vous commencé ?
        > 10/2015
        < Vous faites encore ce travail aujourd'hui ?
        > [Oui]
        < C'est enregistré.
        < Dates : octobre 2015 – aujourd'hui
        > [↩ Retour]
        < Expériences
        > [↩ Retour]
        < Voici votre CV, partie par partie.
        """)
    review = emulator.last_message(FLOODER)
    data = next(
        button["callback_data"]
        for row in review["reply_markup"]["inline_keyboard"]
        for button in row
        if "Recevoir mon CV" in button["text"]
    )
    seq, _, token = data.partition(":")
    # each press shows the screen again with the next number: a forger can count ahead
    for i in range(30):
        emulator.press(FLOODER, review["message_id"], f"{int(seq) + i}:{token}")
    emulator.wait_until(
        lambda: sum("Voici votre CV, en français." in t for t in sent_to(emulator, FLOODER)) >= 31,
        timeout=60,
        message="the 30 presses were not all answered",
    )
    wait_until_idle(emulator, bot)
    documents = emulator.documents(FLOODER)
    assert len(documents) == 2
    assert documents[1]["file_name"] == "CV-Amina-MARTIN.pdf"
    assert bot.logs().count("document person=") == 2
    failed = "SELECT COUNT(*) FROM outbox WHERE method = 'sendDocument' AND state <> 'sent'"
    assert rows(bot.database, failed) == [(0,)]
