"""Erasure leaves nothing: after "Mes données" → "Tout effacer", and after the retention purge,
no byte of what the person told Relais stays in the database file, its -wal and -shm, the
documents folder or the logs. Relais and a real SQLite file, played as conversations; the end
to end versions (the real process, a kill -9) are in test_e2e_erasure.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update

from bot.channels.telegram_updates import minimal_update, to_inbound
from bot.config import Settings, load_settings
from bot.desk.notices import notify
from bot.reach.delivery import take_due
from bot.reach.queue import queue
from bot.reach.started import NewStarted
from bot.service import Relais, open_relais
from bot.storage.database import Storage
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, fixed_clock
from bot.testing.terminal_process import run_chat
from tests.conftest import CONFIG_TWO_CENTRES, ROOT
from tests.leftovers import (
    ANSWER_TO_CENTRE,
    CENTRE_MESSAGE,
    CV_SCRIPT,
    ERASE_SCRIPT,
    FIRST_NAME,
    LAST_NAME,
    PHONE_TYPED,
    TG_FIRST,
    TG_LAST,
    TG_USERNAME,
    TOWN,
    WORK,
    database_files,
    files_under,
    leftovers,
)

NOTE = "Precisez le Wumpelgrat"  # a volunteer's note on the CV: about the person too
ONBOARDING = f"""
> /start
> [Français]
> [Oui]
> [Paris 11e]
> {FIRST_NAME}
< Bienvenue, {FIRST_NAME} !
"""


async def a_followed_person(relais: Relais) -> tuple[Conversation, Conversation, int]:
    """Someone who built a CV, asked for a volunteer, whose page and CV a volunteer opened,
    who got a note on their CV and a message from the volunteer, and answered it (the answer
    still waits for the volunteer); and that volunteer. Returns both and the person's id."""
    invitation = await relais.invite("paris11", "volunteer", None)
    assert invitation is not None
    code = invitation[0]
    volunteer = Conversation(relais, user="vic")
    await volunteer.play(f"> {code}\n< Bienvenue dans l'équipe de Paris 11e")
    person = Conversation(relais, user="zorba")
    await person.play(ONBOARDING + CV_SCRIPT)
    await person.play(
        """
        > [Parler à un bénévole]
        > [Oui]
        < C'est envoyé.
        """
    )
    async with relais.storage.transaction() as tx:
        found = await tx.find_person("test", "zorba")
        assert found is not None and found.id is not None
        person_id = found.id
    await volunteer.play(
        f"""
        > /person {person_id}
        < {FIRST_NAME}
        > [Voir le CV]
        > [CV à corriger]
        > {NOTE}
        > /write {person_id}
        > {CENTRE_MESSAGE}
        < C'est envoyé à {FIRST_NAME}
        """
    )
    async with relais.storage.transaction() as tx:
        due = await take_due(tx, relais.catalogs, "test", NOW, "zorba")
    person.buttons = [b for d in due for row in d.message.buttons for b in row]
    await person.play(f"> [Répondre]\n> {ANSWER_TO_CENTRE}\n< C'est envoyé.")
    return person, volunteer, person_id


async def rows_about(relais: Relais, person_id: int, external_id: str) -> dict[str, int]:
    """How many rows of each table still refer to the person (their id or their chat)."""
    queries = {
        "persons": ("SELECT COUNT(*) FROM persons WHERE id = ? OR external_id = ?", 2),
        "profile": ("SELECT COUNT(*) FROM profile WHERE person_id = ?", 1),
        "followup": ("SELECT COUNT(*) FROM followup WHERE person_id = ?", 1),
        "help_requests": ("SELECT COUNT(*) FROM help_requests WHERE person_id = ?", 1),
        "outcomes": ("SELECT COUNT(*) FROM outcomes WHERE person_id = ?", 1),
        "exchanges": ("SELECT COUNT(*) FROM exchanges WHERE person_id = ?", 1),
        "exchange_messages": ("SELECT COUNT(*) FROM exchange_messages WHERE person_id = ?", 1),
        "started_messages": (
            "SELECT COUNT(*) FROM started_messages WHERE person_id = ? OR subject_id = ?",
            2,
        ),
        "outbox": ("SELECT COUNT(*) FROM outbox WHERE subject_id = ? OR chat_id = ?", 2),
        "correction_drafts": (
            "SELECT COUNT(*) FROM correction_drafts WHERE subject_id = ?1 OR volunteer_id = ?1",
            1,
        ),
        "audit (not erasure)": (
            "SELECT COUNT(*) FROM audit_log WHERE subject_id = ?"
            " AND action NOT IN ('erased', 'purged')",
            1,
        ),
    }
    counts = {}
    async with relais.storage.transaction() as tx:
        for table, (sql, n) in queries.items():
            params = (person_id, external_id)[:n]
            row = await tx._fetchone(sql, params)
            assert row is not None
            counts[table] = int(row[0])
    return counts


async def test_an_erased_person_leaves_no_byte_in_the_database_files(
    relais: Relais, settings: Settings
) -> None:
    person, _, person_id = await a_followed_person(relais)
    files = database_files(settings.database)
    # the test can fail: before the erasure, every value is there
    assert len(leftovers(files)) >= 9, leftovers(files)
    found = {line.split(" in ")[0] for line in leftovers(files)}
    assert {"a volunteer's message", "the answer to the centre"} <= found, found
    await person.play(ERASE_SCRIPT)
    assert leftovers(database_files(settings.database)) == []
    assert set((await rows_about(relais, person_id, "zorba")).values()) == {0}
    async with relais.storage.transaction() as tx:
        kept = [e for e in await tx.audit_entries(limit=100) if e.subject_id == person_id]
    # one id-only line says that it happened, and who asked (the person)
    assert [(e.action, e.actor_id) for e in kept] == [("erased", person_id)]


async def test_a_cv_correction_in_progress_goes_with_the_person(
    relais: Relais, settings: Settings
) -> None:
    person, volunteer, person_id = await a_followed_person(relais)
    await volunteer.play(
        f"""
        > /person {person_id}
        > [Corriger le CV]
        > [Contact]
        > [✏️ Ville]
        < Aujourd'hui, le CV dit : {TOWN}
        """
    )
    async with relais.storage.transaction() as tx:
        draft = await tx.correction_draft((await tx.find_person("test", "vic")).id or 0)
    assert draft is not None and TOWN in json.dumps(draft.data)  # the town, as it was
    await person.play(ERASE_SCRIPT)
    assert leftovers(database_files(settings.database)) == []
    assert set((await rows_about(relais, person_id, "zorba")).values()) == {0}
    await volunteer.play("> Glorbiville\n< Je ne trouve pas cette personne")


async def test_erasing_one_s_data_is_also_leaving_the_volunteers_notices(
    relais: Relais, settings: Settings
) -> None:
    person, _, person_id = await a_followed_person(relais)
    async with relais.storage.transaction() as tx:
        waiting = await tx._fetchone(
            "SELECT COUNT(*) FROM started_messages WHERE subject_id = ?", (person_id,)
        )
        # "Zorbalinde (Paris 11e) voudrait…", "Réponse de Zorbalinde (Paris 11e) : « … »"
        assert waiting is not None and waiting[0] == 2
    await person.play(ERASE_SCRIPT)
    async with relais.storage.transaction() as tx:
        # nothing waits for the volunteer about someone who is gone
        assert await take_due(tx, relais.catalogs, "test", NOW, "vic") == []
    # the person who comes back is someone new, with a new number
    await person.play("> /start\n< Choose your language.")
    async with relais.storage.transaction() as tx:
        again = await tx.find_person("test", "zorba")
    assert again is not None and again.id is not None and again.id > person_id


async def test_several_people_erased_at_once_leave_nothing_and_the_others_stay(
    relais: Relais,
) -> None:
    # the retention purge erases a batch with one statement a table (erase_persons)
    _, _, zorba_id = await a_followed_person(relais)
    olga = Conversation(relais, user="olga")
    await olga.play(ONBOARDING.replace(FIRST_NAME, "Olga"))
    async with relais.storage.transaction() as tx:
        found = await tx.find_person("test", "olga")
        assert found is not None and found.id is not None
        olga_id = found.id
        unknown = olga_id + 100
        erased = await tx.erase_persons([olga_id, unknown, zorba_id], "purged", None)
    assert erased == sorted([zorba_id, olga_id])  # an id nobody has is left out
    assert set((await rows_about(relais, zorba_id, "zorba")).values()) == {0}
    assert set((await rows_about(relais, olga_id, "olga")).values()) == {0}
    assert leftovers(database_files(relais.settings.database)) == []
    async with relais.storage.transaction() as tx:
        assert await tx.find_person("test", "vic") is not None  # their volunteer stays
        lines = {(e.subject_id, e.action, e.actor_id) for e in await tx.audit_entries(limit=100)}
    assert {(zorba_id, "purged", None), (olga_id, "purged", None)} <= lines
    assert not any(subject == unknown for subject, _, _ in lines)


async def test_the_retention_purge_leaves_no_byte_and_keeps_an_id_only_line(
    settings: Settings,
) -> None:
    relais = await open_relais(settings, clock=fixed_clock)
    try:
        _, _, person_id = await a_followed_person(relais)
    finally:
        await relais.close()
    later = NOW + timedelta(days=settings.retention_days + 1)
    relais = await open_relais(settings, clock=lambda: later)  # the purge runs at start-up
    try:
        assert leftovers(database_files(settings.database)) == []
        assert set((await rows_about(relais, person_id, "zorba")).values()) == {0}
        async with relais.storage.transaction() as tx:
            lines = [e for e in await tx.audit_entries(limit=100) if e.subject_id == person_id]
            # the volunteer's reads of the page went with the person; the log is as old as
            # the data it is about: nothing from two years ago is left
            assert [(e.action, e.actor_id) for e in lines] == [("purged", None)]
            assert all(e.at >= later - timedelta(days=1) for e in await tx.audit_entries())
    finally:
        await relais.close()


async def test_notices_and_audit_lines_older_than_the_retention_go(settings: Settings) -> None:
    storage = await Storage.open(settings.database, clock=fixed_clock)
    async with storage.transaction() as tx:
        state = await tx.load_state("test", "vic")
        assert state.person.id is not None
        await queue(tx, NewStarted(state.person.id, "notice", {"msgid": "une vieille nouvelle"}))
        await tx.audit(state.person.id, 12, "profile")
    await storage.close()
    later = NOW + timedelta(days=settings.retention_days + 1)
    storage = await Storage.open(settings.database, clock=lambda: later)
    async with storage.transaction() as tx:
        await tx.load_state("test", "vic")  # vic is still active: only the old lines go
        cutoff = later - timedelta(days=settings.retention_days)
        assert await tx.purge_started(cutoff, later) == 1
        assert await tx.purge_audit(cutoff) == 1
        row = await tx._fetchone("SELECT COUNT(*) FROM started_messages")
        assert row is not None and row[0] == 0
    await storage.close()


async def test_a_delivered_notice_is_deleted_not_kept(relais: Relais) -> None:
    async with relais.storage.transaction() as tx:
        state = await tx.load_state("test", "vic")
        await notify(tx, state.person, "Bonjour", subject_id=41)
    async with relais.storage.transaction() as tx:
        taken = await take_due(tx, relais.catalogs, "test", NOW, "vic")
        assert [(due.message.text, due.subject_id) for due in taken] == [("Bonjour", 41)]
        row = await tx._fetchone("SELECT COUNT(*) FROM started_messages")
        assert row is not None and row[0] == 0


async def test_a_sensitive_outbox_row_is_deleted_once_sent_and_the_wal_emptied(
    relais: Relais, settings: Settings
) -> None:
    async with relais.storage.transaction() as tx:
        secret = await tx.enqueue("5", "sendMessage", {"text": "RELAIS-QZ7W-K3PX"}, sensitive=True)
        plain = await tx.enqueue("5", "sendMessage", {"text": "Bonjour"})
    async with relais.storage.transaction() as tx:
        await tx.mark_sent(secret)
        await tx.mark_sent(plain)
    assert await relais.storage.pragma("secure_delete") == 1
    assert Path(f"{settings.database}-wal").stat().st_size == 0  # checkpointed at the commit
    for path in database_files(settings.database):
        assert b"QZ7W-K3PX" not in path.read_bytes(), path.name
    async with relais.storage.transaction() as tx:
        assert await tx.outbox_counts() == {"queued": 0, "sent": 1, "failed": 0, "blocked": 0}


# -- relais chat: the documents folder -------------------------------------------------------


def cv_typed(last_name: str, phone: str, town: str, work: str) -> list[str]:
    """The CV typed in `relais chat` (from the menu), with these answers."""
    return [
        "Faire mon CV",
        last_name,
        "Oui",  # the name as the CV writes it
        phone,
        "Passer",
        town,
        "Passer",
        work,
        "Passer",
        "Non",  # never worked
        "Non, pas de diplôme",
        "Lycée",  # the last school
        "En France",
        "Français",
        "Langue maternelle",
        "Non",
        "Un autre métier",
        "Passer",
        "8",  # qualities: "Valider"
        "Non",  # no driving licence
        "4",  # no vehicle: "Valider"
        "8",  # no certificate: "Valider"
        "Passer",
        "Tous les jours",
        "Le matin",
        "Passer",
    ]


def onboarding_typed(first_name: str) -> list[str]:
    """Language, consent, centre and first name, typed."""
    return ["1", "1", "1", first_name]


CV_TYPED = onboarding_typed(FIRST_NAME) + cv_typed(LAST_NAME, PHONE_TYPED, TOWN, WORK)
ERASE_TYPED = ["Mes données", "Tout effacer", "Oui"]


def relais_chat(tmp_path: Path, lines: list[str], user: str, when: str) -> str:
    """`relais chat` on the test's database and documents folder, at the moment `when`."""
    done = run_chat(tmp_path, lines, user, when=datetime.fromisoformat(when))
    return done.stdout + done.stderr


def test_relais_chat_erasure_removes_the_written_cv(tmp_path: Path) -> None:
    output = relais_chat(tmp_path, CV_TYPED, "zorba", NOW.isoformat())
    assert "📄" in output, output[-2000:]
    documents = tmp_path / "documents"
    assert len(files_under(documents)) == 1
    # someone else, who stays
    marie = onboarding_typed("Marie") + cv_typed("Curie", "06 98 76 54 32", "Sceaux", "Chimiste")
    assert "📄" in relais_chat(tmp_path, marie, "marie", NOW.isoformat())
    output = relais_chat(tmp_path, ERASE_TYPED, "zorba", NOW.isoformat())
    assert "C'est fait" in output, output[-2000:]
    # only Marie's CV is left, and no byte of Zorbalinde anywhere
    assert [p.name for p in files_under(documents)] == ["CV-Marie-CURIE.pdf"]
    assert leftovers(database_files(tmp_path / "relais.sqlite3")) == []


def test_relais_chat_erasure_removes_the_copy_of_the_cv_a_volunteer_opened(
    tmp_path: Path,
) -> None:
    """A volunteer opened Zorbalinde's CV in `relais chat`: the file written for the volunteer
    goes with her erasure; the volunteer's own folder stays."""
    relais_chat(tmp_path, CV_TYPED, "zorba", NOW.isoformat())
    invited = relais_command(tmp_path, ["invite", "--centre", "default"])
    code = next(w for w in invited.split() if w.startswith("RELAIS-"))
    opened = relais_chat(tmp_path, ["1", code, "/person 1", "2"], "vera", NOW.isoformat())
    assert "Le CV de Zorbalinde" in opened, opened[-2000:]
    documents = tmp_path / "documents"
    assert len(files_under(documents)) == 2  # hers, and the volunteer's copy
    relais_chat(tmp_path, ERASE_TYPED, "zorba", NOW.isoformat())
    assert files_under(documents) == []
    assert any(p.is_dir() for p in documents.iterdir())  # the volunteer's folder


def relais_command(tmp_path: Path, args: list[str]) -> str:
    """Another `relais` command on the test's database."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")},
        "RELAIS_DATABASE": str(tmp_path / "relais.sqlite3"),
        "RELAIS_CLOCK": NOW.isoformat(),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_retention_purge_removes_the_cv_written_by_relais_chat(tmp_path: Path) -> None:
    relais_chat(tmp_path, CV_TYPED, "zorba", NOW.isoformat())
    assert len(files_under(tmp_path / "documents")) == 1
    later = NOW + timedelta(days=731)
    relais_chat(tmp_path, [], "marie", later.isoformat())  # any start purges
    assert files_under(tmp_path / "documents") == []
    assert leftovers(database_files(tmp_path / "relais.sqlite3")) == []


# -- the update journal ----------------------------------------------------------------------


def raw_updates() -> list[dict[str, Any]]:
    """Updates as Telegram sends them, each carrying the person's whole profile."""
    profile = {"first_name": TG_FIRST, "last_name": TG_LAST, "username": TG_USERNAME}
    user = {"id": 7391846205, "is_bot": False, "language_code": "fr", **profile}
    chat = {"id": 7391846205, "type": "private", **profile}
    bot = {"id": 42, "is_bot": True, "first_name": "Relais", "username": "relais_bot"}

    def message(**content: Any) -> dict[str, Any]:
        return {"message_id": 9, "date": 1, "chat": chat, "from": user, **content}

    command = {"type": "bot_command", "offset": 0, "length": 6}
    mention = {"type": "text_mention", "offset": 7, "length": 3, "user": user}
    pressed = {"message_id": 8, "date": 1, "chat": chat, "from": bot, "text": "Vous êtes ?"}
    member = {"status": "member", "user": bot}
    kicked = {"status": "kicked", "until_date": 0, "user": bot}
    return [
        {"update_id": 1, "message": message(text="Bonjour")},
        {"update_id": 2, "message": message(text="/start RELAIS", entities=[command, mention])},
        {"update_id": 3, "message": message(photo=[{"file_id": "a", "file_unique_id": "b",
                                                    "width": 1, "height": 1}],
                                            caption=f"moi, {TG_FIRST}")},
        {"update_id": 4, "message": message(contact={"phone_number": "+33647839215",
                                                     "first_name": TG_FIRST})},
        {"update_id": 5, "message": message(caption=TG_USERNAME)},
        {"update_id": 6, "callback_query": {"id": "77", "from": user, "chat_instance": "-1",
                                            "data": "q:3:yes", "message": pressed}},
        {"update_id": 7, "my_chat_member": {"chat": chat, "from": user, "date": 1,
                                            "old_chat_member": member,
                                            "new_chat_member": kicked}},
    ]  # fmt: skip


def test_the_journal_keeps_what_relais_reads_and_no_profile() -> None:
    for raw in raw_updates():
        journaled = minimal_update(raw)
        text = json.dumps(journaled)
        for value in (TG_FIRST, TG_LAST, TG_USERNAME, "33647839215"):
            assert value not in text, (raw["update_id"], value)
        before = Update.de_json(raw, None)
        after = Update.de_json(journaled, None)
        # the bot reads the same event, from the same person in the same chat
        assert to_inbound(after) == to_inbound(before), raw["update_id"]
        assert after.effective_user is not None and before.effective_user is not None
        assert after.effective_user.id == before.effective_user.id
        assert after.effective_user.language_code == "fr"
        assert after.effective_chat is not None and after.effective_chat.type == "private"
    member = Update.de_json(minimal_update(raw_updates()[-1]), None).my_chat_member
    assert member is not None and member.new_chat_member.status == "kicked"
    query = Update.de_json(minimal_update(raw_updates()[5]), None).callback_query
    assert query is not None and query.message is not None
    assert getattr(query.message, "text", None) == "Vous êtes ?"


async def test_the_audit_log_says_an_erasure_happened_with_ids_only(tmp_path: Path) -> None:
    config = tmp_path / "relais.toml"
    config.write_text(
        '[general]\nadmins = ["4242"]\n' + CONFIG_TWO_CENTRES.replace("[general]\n", ""),
        encoding="utf-8",
    )
    settings = load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "db.sqlite3")})
    relais = await open_relais(settings, clock=fixed_clock)
    try:
        person, _, person_id = await a_followed_person(relais)
        boss = Conversation(relais, user="4242")
        await boss.play("> /start\n> [Français]\n> /audit")
        assert f"a ouvert la fiche de la personne n° {person_id}" in boss.text
        await person.play(ERASE_SCRIPT)
        await boss.type("/audit")
        assert f"la personne n° {person_id} a effacé ses données" in boss.text
        # the reads of their page went with them
        assert f"a ouvert la fiche de la personne n° {person_id}" not in boss.text
    finally:
        await relais.close()
