"""kill -9 in the middle of a broadcast: the real `relais run` process sends an offer to 150
people through the Bot API emulator, which enforces Telegram's 30 messages a second; Marie
confirms it from her phone; the process is killed (SIGKILL) once about a third have it, and
started again on the same database. Everyone gets the offer; nobody gets it more than twice,
and only people whose message was in flight at the kill may get it twice (at most one per chat
the sender was serving: SEND_CONCURRENCY), counted and printed; the report then tells Marie all
150 received it, and offer_sends says when each left. The message each gets is the real offer
(bot/offers/message.py: its title, the question and its three buttons).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.sender import SEND_CONCURRENCY, SEND_TURN
from bot.config import load_settings
from bot.desk.buttons import build
from bot.testing import offer_crowd
from bot.testing.relais_process import RelaisProcess
from bot.testing.telegram_emulator import TelegramEmulator

MARIE, FIRST = 9301, 9400
PEOPLE = 150
CONFIG = """
[general]
languages = ["fr", "en"]

[[centres]]
id = "paris11"
name = "Paris 11e"

[offers]
# the tests' moment is a Monday at 11:00 in Paris, past the weekly digest's default hour: on
# its default day, a process running 120 s would add a digest to each recipient's messages
digest_day = "sunday"
"""
QUESTION = "Cette offre vous intéresse ?"


@pytest.fixture
def limited() -> Iterator[TelegramEmulator]:
    """The emulator with Telegram's flood limit: 30 messages a second."""
    with TelegramEmulator(messages_per_second=30) as emu:
        yield emu


def offers_received(emulator: TelegramEmulator, people: tuple[int, ...]) -> Counter[int]:
    """The messages each recipient received: they do nothing else, so each is the offer."""
    return Counter({user: len(emulator.messages(user)) for user in people})


def test_a_broadcast_killed_midway_reaches_everyone_once_or_twice_if_in_flight(
    tmp_path: Path, limited: TelegramEmulator
) -> None:
    emulator = limited
    process = RelaisProcess(tmp_path, emulator, config_text=CONFIG)
    assert process.config_path is not None
    settings = load_settings(process.config_path, env={"RELAIS_DATABASE": str(process.database)})
    crowd = asyncio.run(offer_crowd.seed(settings, PEOPLE, FIRST, MARIE, "paris11"))
    emulator.open_chats([MARIE, *crowd.recipients])
    try:
        process.start().wait_ready()
        emulator.send_text(MARIE, "/menu")
        menu = emulator.wait_for_text(MARIE, "Espace bénévole")
        emulator.press(MARIE, menu["message_id"], build("ob", crowd.offer_id))
        emulator.wait_for_text(MARIE, f"l'offre part à {PEOPLE} personnes")
        emulator.wait_until(
            lambda: sum(offers_received(emulator, crowd.recipients).values()) >= PEOPLE // 3,
            timeout=30,
        )
        process.kill()
        before = offers_received(emulator, crowd.recipients)
        delivered_before = sum(1 for n in before.values() if n)
        assert 0 < delivered_before < PEOPLE, "killed too late to prove anything"

        process.start().wait_ready()
        report = emulator.wait_for_text(MARIE, "Envoi terminé", timeout=60)
        after = offers_received(emulator, crowd.recipients)
    finally:
        if process.running:
            process.stop()
        print(process.logs()[-4000:])
    assert set(after) == set(crowd.recipients) and all(after.values()), "someone never got it"
    # each is the real offer: its title, the question, its three answers as buttons
    for user in crowd.recipients:
        first = emulator.messages(user)[0]
        assert offer_crowd.CLEANING.title in first["text"] and QUESTION in first["text"]
        assert len(first["reply_markup"]["inline_keyboard"]) == 3
    twice = sorted(user for user, n in after.items() if n == 2)
    assert max(after.values()) <= 2
    # only messages in flight at the kill may go twice: at most one per chat being served
    assert len(twice) <= SEND_CONCURRENCY
    assert all(before[user] == 1 for user in twice), "a second copy not from the kill"
    print(
        f"{PEOPLE} recipients: {delivered_before} had it at the kill, "
        f"{len(twice)} received it twice (in flight at the kill), "
        f"{sum(1 for n in after.values() if n == 1)} once; "
        f"429 refused by the emulator: {emulator.refused_over_rate}"
    )
    assert f"Reçue : {PEOPLE} sur {PEOPLE}." in report["text"]
    # the report says how many were in flight at the kill: those who may have it twice
    said = re.search(r"En cours d'envoi quand Relais s'est arrêté : (\d+)", report["text"])
    in_flight = int(said.group(1)) if said else 0
    assert len(twice) <= in_flight <= SEND_CONCURRENCY * SEND_TURN
    print(f"the report: {in_flight} in flight at the kill")
    # the one progress message, edited as it went
    progress = [m for m in emulator.messages(MARIE) if "envoyée à" in m.get("text", "")]
    assert len(progress) == 1
    with sqlite3.connect(process.database) as db:
        (left,) = db.execute(
            "SELECT COUNT(*) FROM offer_sends WHERE offer_id = ? AND delivered_at IS NOT NULL",
            (crowd.offer_id,),
        ).fetchone()
        (finished,) = db.execute(
            "SELECT COUNT(*) FROM offer_broadcasts WHERE finished_at IS NOT NULL"
        ).fetchone()
    assert (left, finished) == (PEOPLE, 1)
