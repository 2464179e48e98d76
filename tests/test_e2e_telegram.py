"""The real `relais run` process against a Telegram Bot API emulated on loopback."""

from __future__ import annotations

import itertools
import json
import socket
import sqlite3
import urllib.error
import urllib.request

import pytest

from bot.testing.phone import Phone
from bot.testing.telegram_emulator import TelegramEmulator

AMINA = 5001
WEBHOOK_SECRET = "s3cret-token-for-the-webhook-e2e-test"  # 32 characters at least
JOHN = 5002

ONBOARDING_FR = """
> /start
< Choose your language.
> [Français]
< Vous êtes d'accord ?
> [Oui]
< Quel est votre centre ?
> [Centre Relais]
< Quel est votre prénom ?
> Amina
< Bienvenue, Amina !
< Que voulez-vous faire ?
"""

SELF_ASSESSMENT_FR = """
> [Faire mon bilan]
< Vous parlez français ?
> [Un peu]
< Vous lisez le français ?
> [Pas encore]
< Vous écrivez le français ?
> pas encore
< Vous savez utiliser un smartphone ?
> [Un peu]
< Vous avez une adresse e-mail ?
> [Oui]
< Quelle est votre adresse e-mail ?
> amina.b@exemple
< Quelle est votre adresse e-mail ?
> amina.b@example.org
< Vous cherchez du travail sur internet ?
> [Non]
< Jusqu'où avez-vous étudié ?
> [CAP ou BEP]
< Ce diplôme, vous l'avez eu où ?
> [Dans un autre pays]
< Vous avez suivi une formation
> [Non]
< Vous avez déjà travaillé ?
> [Non]
< Quel travail pouvez-vous faire tout de suite ?
> [Ménage]
> [Valider]
< quel métier voulez-vous vraiment faire ?
> [Ménage]
> [Aide à la personne]
> [Valider]
< Quel âge avez-vous ?
> [26 ans ou plus]
< Vous avez des enfants à faire garder
> [Non]
< Comment pouvez-vous aller au travail ?
> [À pied]
> [Valider]
< Combien de temps de trajet
> [30 minutes]
< Vous avez le permis de conduire ?
> [Non]
< Quels jours pouvez-vous travailler ?
> [Tous les jours]
< À quels moments pouvez-vous travailler ?
> [Le matin]
> [Valider]
< Quel est le code postal
> 93200
< Quand pouvez-vous commencer
> [Tout de suite]
< Vous avez besoin d'un salaire rapidement ?
> [très vite]
< Vous avez fait votre inscription à France Travail ?
> [Non]
< Vous avez un CV ?
> [Non]
< Français : vous parlez un peu, vous ne lisez pas encore, vous n'écrivez pas encore.
< Vous inscrire à France Travail
< Que voulez-vous faire ?
> [Voir le détail de mon bilan]
< Étape 1 – maintenant : un premier travail, pour avoir un salaire.
< Votre diplôme vient d'un autre pays : demandez un papier officiel
< Prochaines actions
< Prendre rendez-vous avec un bénévole de votre centre
> [Pas maintenant]
< Que voulez-vous faire ?
"""


def test_onboarding_and_self_assessment_in_french(
    emulator: TelegramEmulator, relais_factory
) -> None:
    bot = relais_factory(extra_env={"RELAIS_LOG_LEVEL": "DEBUG"})
    phone = Phone(emulator, AMINA)
    phone.play(ONBOARDING_FR)
    phone.play(SELF_ASSESSMENT_FR)
    # logs carry ids, never names, answers, message text or the token — even at DEBUG
    logs = bot.logs()
    assert "event person=" in logs
    for secret in ("Amina", "93200", "amina.b@example.org", "Un peu", emulator.token):
        assert secret not in logs
    # every press was acknowledged; the answer opens the next question, and the answered
    # question keeps its text but loses its buttons (a tidying sent after everyone's replies)
    presses = emulator.calls_to("answerCallbackQuery")
    assert len(presses) >= 20
    assert len(emulator.answered_callbacks) == len(presses)
    texts = [m["text"] for m in emulator.messages(AMINA)]
    asked = next(i for i, text in enumerate(texts) if text.endswith("Vous parlez français ?"))
    assert texts[asked + 1] == "✅ Un peu\n\nVous lisez le français ?"

    def pressed_questions_with_buttons() -> list[str]:
        shown = emulator.messages(AMINA)
        return [
            question["text"]
            for question, answer in itertools.pairwise(shown)
            if answer["text"].startswith("✅") and question.get("reply_markup")
        ]

    emulator.wait_until(lambda: not pressed_questions_with_buttons())
    assert len(emulator.calls_to("editMessageReplyMarkup")) >= 20


def test_onboarding_and_self_assessment_in_english(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory()
    phone = Phone(emulator, JOHN, language_code="en")
    phone.play(
        """
        > hello
        < Choose your language.
        > [English]
        < Do you agree?
        > [Yes]
        < Which is your centre?
        > [Centre Relais]
        < What is your first name?
        > John
        < Welcome, John!
        < What would you like to do?
        > [My assessment]
        < Do you speak French?
        > [A little]
        < Can you read French?
        > [Well]
        < Can you write French?
        > [Not yet]
        < Can you use a smartphone?
        > [Well]
        < Do you have an e-mail address?
        > no
        < Do you look for work on the internet?
        > [Yes, with help]
        < How far did you go in school?
        > [Studies after the bac]
        < Where did you get this diploma?
        > [In another country]
        < Have you had training for a job?
        > [No]
        < Have you worked before?
        > [Yes]
        < What was this job?
        > Nurse
        < What kind of work was it?
        > [Caring for people]
        < How long did you do this job?
        > [More than 2 years]
        < Where was it?
        > [In another country]
        < Have you had another job?
        > [No]
        < What work can you do right away?
        > [Caring for people]
        > [Done]
        < what job do you really want to do?
        > [Caring for people]
        > [Done]
        < How old are you?
        > [26 or older]
        < Do you have children
        > [No]
        < How can you get to work?
        > [By bus]
        > [Done]
        < How long can your journey
        > [1 hour]
        < Do you have a driving licence?
        > [Licence from another country]
        < Which days can you work?
        > [Monday to Friday]
        < At what times can you work?
        > [In the morning]
        > [In the afternoon]
        > [Done]
        < What is the postcode
        > [Skip]
        < When can you start working?
        > [From a certain date]
        < From which day?
        > 30/02/2027
        < From which day?
        > 4/1/2027
        < Do you need a salary quickly?
        > [In the next few months]
        < Are you registered with France Travail?
        > [Yes]
        < Do you have a CV?
        > [Yes]
        < Here is your assessment.
        < To do first:
        < What would you like to do?
        > [See my full assessment]
        < Step 1 – now: a first job, to earn a salary.
        < Step 2 – later: the project.
        < Next steps:
        < Make an appointment with a volunteer at your centre
        > [Not now]
        < What would you like to do?
        """
    )
    summary = next(m for m in emulator.messages(JOHN) if "Here is your assessment" in m["text"])
    assert "French: you speak a little, you read well, you don't write it yet." in summary["text"]
    assert "Now: work close to your trade, even less qualified." in summary["text"]
    details = next(m for m in emulator.messages(JOHN) if "The assessment in full" in m["text"])
    assert "Nurse (More than 2 years)" in details["text"]
    plan = next(m for m in emulator.messages(JOHN) if "Step 2 – later" in m["text"])
    assert "Caring for people" in plan["text"]


def test_a_crash_mid_flow_resumes_at_the_same_question(
    emulator: TelegramEmulator, relais_factory, tmp_path
) -> None:
    bot = relais_factory()
    phone = Phone(emulator, AMINA)
    phone.play(ONBOARDING_FR)
    phone.play(
        """
        > [Faire mon bilan]
        < Vous parlez français ?
        > [Bien]
        < Vous lisez le français ?
        """
    )
    bot.kill()
    # while the bot is down the person answers; Telegram keeps the update
    emulator.press_button(AMINA, "Très bien")
    bot.start().wait_ready()
    phone.play(
        """
        < Vous écrivez le français ?
        > /start
        < Vous écrivez le français ?
        """
    )
    db = sqlite3.connect(tmp_path / "relais.sqlite3")
    (session,) = db.execute("SELECT session FROM persons").fetchone()
    frame = json.loads(session)["stack"][0]
    assert frame["answers"] == {"french_speaking": "good", "french_reading": "very_good"}


def test_an_update_is_handled_once_across_crashes(
    emulator: TelegramEmulator, relais_factory, tmp_path
) -> None:
    bot = relais_factory()
    phone = Phone(emulator, AMINA)
    phone.play("> /start\n< Choose your language.")
    bot.kill()
    emulator.send_text(AMINA, "/help")
    bot.start().wait_ready()
    phone.play("< /menu")
    emulator.wait_until(lambda: not _outbox(tmp_path).get("queued"), message="outbox not sent")
    # a crash now, then a restart: the /help update is journaled as handled and its offset
    # acknowledged at the next poll, so it is not answered twice
    bot.kill()
    bot.start().wait_ready()
    emulator.send_text(AMINA, "/menu")
    phone.play("< Choose your language.")
    helps = [m for m in emulator.messages(AMINA) if "/menu :" in m["text"]]
    assert len(helps) == 1


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "document", "location"])
def test_media_gets_a_kind_answer_and_the_question_again(
    emulator: TelegramEmulator, relais_factory, kind: str
) -> None:
    relais_factory()
    phone = Phone(emulator, AMINA)
    phone.play(ONBOARDING_FR.split("> Amina")[0])
    emulator.send_media(AMINA, kind)
    phone.play(
        """
        < Je ne peux pas lire les photos
        < Quel est votre prénom ?
        > أمينة 🌙
        < Écrivez seulement les lettres de votre nom
        > أمينة
        < Bienvenue, أمينة !
        """
    )


def test_hostile_text_and_forged_buttons(emulator: TelegramEmulator, relais_factory) -> None:
    relais_factory()
    phone = Phone(emulator, AMINA)
    phone.play(ONBOARDING_FR.split("> Amina")[0])
    emulator.send_text(AMINA, "x" * 4096)
    phone.play("< au plus 50\n< Quel est votre prénom ?")
    question = emulator.last_message(AMINA)
    emulator.press(AMINA, question["message_id"], "1:v:../../admin")
    phone.play("< Ce bouton ne marche plus\n< Quel est votre prénom ?")
    emulator.send_text(AMINA, "/unknown")
    phone.play("< Je ne connais pas cette commande\n< Quel est votre prénom ?")


def test_groups_are_refused_and_left(emulator: TelegramEmulator, relais_factory) -> None:
    relais_factory()
    emulator.add_bot_to_group(-100123, AMINA)
    emulator.wait_for_text(-100123, "seulement en conversation privée")
    emulator.wait_until(lambda: emulator.calls_to("leaveChat"), message="the bot stays")
    emulator.send_group_text(-100456, JOHN, "/start")
    emulator.wait_for_text(-100456, "seulement en conversation privée")


def test_a_person_who_blocked_the_bot(emulator: TelegramEmulator, relais_factory, tmp_path) -> None:
    relais_factory()
    phone = Phone(emulator, AMINA)
    phone.play("> /start\n< Choose your language.")
    emulator.block_bot(AMINA)
    emulator.wait_until(lambda: _blocked(tmp_path, AMINA), message="not marked as blocked")
    # writing again unblocks; a reply refused with 403 is marked, and nothing crashes
    emulator.fail_next("sendMessage", times=1, kind="403", chat_id=AMINA)
    emulator.send_text(AMINA, "/help")
    emulator.wait_until(
        lambda: _outbox(tmp_path).get("blocked") or _outbox(tmp_path).get("failed"),
        message="the refused reply was not marked",
    )
    emulator.send_text(AMINA, "/start")
    phone.play("< Choose your language.")
    assert not _blocked(tmp_path, AMINA)


def test_rate_limits_and_server_errors_are_retried(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory()
    phone = Phone(emulator, AMINA)
    emulator.fail_next("sendMessage", times=1, kind="429", retry_after=1)
    emulator.fail_next("sendMessage", times=2, kind="500")
    phone.play("> /start\n< Choose your language.")
    phone.play("> [Français]\n< Vous êtes d'accord ?")


def test_webhook_mode_checks_the_secret_and_handles_a_resent_update_once(
    emulator: TelegramEmulator, relais_factory
) -> None:
    port = _free_port()
    relais_factory(
        extra_env={
            "RELAIS_TELEGRAM_MODE": "webhook",
            "RELAIS_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "RELAIS_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
            "RELAIS_WEBHOOK_PORT": str(port),
        },
        start=False,
    ).start()
    emulator.wait_until(lambda: emulator.webhook.get("url"), message="no setWebhook")
    assert emulator.webhook["secret_token"] == WEBHOOK_SECRET
    phone = Phone(emulator, AMINA)
    phone.play("> /start\n< Choose your language.\n> [Français]\n< Vous êtes d'accord ?")
    update = {
        "update_id": 10**9,
        "message": {
            "message_id": 99,
            "date": 1_790_000_000,
            "chat": {"id": AMINA, "type": "private", "first_name": "Amina"},
            "from": {"id": AMINA, "is_bot": False, "first_name": "Amina"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    assert _post(port, update, "wrong") == 403
    assert _post(port, update, WEBHOOK_SECRET) == 200
    assert _post(port, update, WEBHOOK_SECRET) == 200  # Telegram resends when unsure
    phone.play("< /menu :\n< Vous êtes d'accord ?")
    emulator.send_text(AMINA, "oui")
    phone.play("< Quel est votre centre ?")
    helps = [m for m in emulator.messages(AMINA) if "/menu :" in m["text"]]
    assert len(helps) == 1


def _post(port: int, payload: dict, secret: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            import time

            time.sleep(0.1)  # the server is still starting
    raise AssertionError("webhook server never answered")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _blocked(tmp_path, user_id: int) -> bool:
    db = sqlite3.connect(tmp_path / "relais.sqlite3")
    row = db.execute(
        "SELECT blocked FROM persons WHERE external_id = ?", (str(user_id),)
    ).fetchone()
    return bool(row and row[0])


def _outbox(tmp_path) -> dict[str, int]:
    db = sqlite3.connect(tmp_path / "relais.sqlite3")
    return dict(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())


def test_an_update_journaled_before_a_crash_is_handled_after_restart_once(
    emulator: TelegramEmulator, relais_factory, tmp_path
) -> None:
    import asyncio

    from bot.storage.database import Storage

    bot = relais_factory()  # creates the database
    bot.stop()
    emulator.send_text(AMINA, "/start")
    (update,) = emulator.pending_updates

    # the state a crash leaves: the update is in the journal, not yet handled
    async def journal() -> None:
        storage = await Storage.open(tmp_path / "relais.sqlite3")
        async with storage.transaction() as tx:
            await tx.journal_update(update["update_id"], update)
        await storage.close()

    asyncio.run(journal())
    bot.start().wait_ready()
    emulator.wait_for_text(AMINA, "Choose your language.")
    emulator.wait_until(lambda: not emulator.pending_updates, message="update not acknowledged")
    emulator.send_text(AMINA, "/help")
    emulator.wait_for_text(AMINA, "/menu :")
    emulator.wait_for_text(AMINA, "Choose your language.")
    languages = sum(m["text"].count("Choisissez votre langue") for m in emulator.messages(AMINA))
    assert languages == 2  # one for /start, one after the help: /start was handled once


def test_a_refused_token_stops_with_one_clear_line(emulator: TelegramEmulator, relais_factory):
    bot = relais_factory(extra_env={"RELAIS_TELEGRAM_TOKEN": "123:wrong"}, start=False).start()
    emulator.wait_until(lambda: bot.returncode is not None, message="the bot kept running")
    assert bot.returncode == 2
    assert "RELAIS_TELEGRAM_TOKEN: the Bot API refused this token" in bot.logs()
    assert "Traceback" not in bot.logs()


def test_the_bot_waits_for_the_bot_api_to_come_back(
    emulator: TelegramEmulator, relais_factory
) -> None:
    emulator.stop()
    bot = relais_factory(start=False).start()
    # The first retry comes after the process has started (imports, migrations): on a loaded
    # machine that alone can pass the default 10 s.
    emulator.wait_until(
        lambda: "cannot reach the Bot API" in bot.logs(), timeout=30, message="no retry"
    )
    emulator.start()
    bot.wait_ready()
    emulator.send_text(AMINA, "/start")
    emulator.wait_for_text(AMINA, "Choose your language.")


def test_sigterm_stops_cleanly(emulator: TelegramEmulator, relais_factory) -> None:
    bot = relais_factory()
    Phone(emulator, AMINA).play("> /start\n< Choose your language.")
    assert bot.stop() == 0
    assert "stopped" in bot.logs()
    assert "Traceback" not in bot.logs()


def test_an_arabic_conversation_is_laid_out_right_to_left(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory(config_text='[general]\nlanguages = ["fr", "en", "ar"]\n')
    phone = Phone(emulator, AMINA, language_code="ar")
    phone.play("> /start\n< Choose your language.\n> [العربية]")
    # the answer, the greeting, the notice and its question come as one message
    notice = emulator.wait_for_bot_messages(AMINA, 1)[0]["text"]
    lines = notice.split("\n")
    assert all(line.startswith("\u200f") for line in lines)
    assert any("\u0600" <= ch <= "\u06ff" for ch in notice)  # written in Arabic script


def test_a_whole_self_assessment_reads_clearly_at_about_one_counted_call_per_action(
    emulator: TelegramEmulator, relais_factory
) -> None:
    relais_factory()
    phone = Phone(emulator, AMINA)
    phone.play(ONBOARDING_FR)

    def untidied() -> list[str]:
        shown = emulator.messages(AMINA)
        return [
            question["text"]
            for question, answer in itertools.pairwise(shown)
            if answer["text"].startswith("✅") and question.get("reply_markup")
        ]

    # the onboarding's questions are tidied first (low priority, they may still be waiting
    # when its last message is seen): the calls counted below are the self-assessment's
    emulator.wait_until(lambda: not untidied(), message=emulator.transcript(AMINA))
    first = len(emulator.calls)
    phone.play(SELF_ASSESSMENT_FR)
    actions = sum(1 for line in SELF_ASSESSMENT_FR.splitlines() if line.startswith(">"))

    # every question answered by a press keeps its words and loses its buttons
    emulator.wait_until(lambda: not untidied(), message=emulator.transcript(AMINA))
    shown = emulator.messages(AMINA)
    texts = [m["text"] for m in shown]
    everything = "\n".join(texts)
    # a press is answered at the top of the next message: "✅ Un peu", a blank line, then what
    # follows; short lead-ins come with the question they lead to
    assert "✅ Un peu\n\nVous lisez le français ?" in texts
    assert "Partie 2 sur 5 : le téléphone et internet.\n\nVous savez utiliser" in everything
    # a multiple choice is ticked in place, so it holds its question alone: a lead-in stays a
    # message of its own, and an answer just before it shows on the question it answers
    assert "✅ Non\n\nPartie 4 sur 5 : le travail que vous voulez." in texts
    assert any(t.endswith("à la fin.\n\n✅ Ménage et nettoyage") for t in texts)
    # the summary, what to do first and the menu are one message, the menu's buttons under it
    summary = next(m for m in shown if "Voici votre bilan" in m["text"])
    assert summary["text"].startswith("✅ Non\n\nMerci ! Voici votre bilan.")
    assert summary["text"].endswith("Que voulez-vous faire ?")
    # (its menu was pressed: "Voir le détail" came, its last line a question with a button for
    # an appointment; "Pas maintenant" brought the menu again)
    details = next(m for m in shown if "Le bilan en détail" in m["text"])
    assert details["text"].startswith("✅ Voir le détail de mon bilan\n\nLe bilan en détail")
    assert details["text"].endswith("et lui montrer ce bilan.")
    assert shown[-1]["text"] == "✅ Pas maintenant\n\nQue voulez-vous faire ?"
    assert shown[-1]["reply_markup"]
    # on the way to the next question, one call the rate limit counts per action (a message,
    # or a tick shown in place), and one more for each of the 4 multiple choices (asked alone);
    # each tidying came after the message that answered it (it was 2.2 calls per action)
    calls = emulator.calls[first:]
    urgent = [method for method, _ in calls if method in ("sendMessage", "editMessageText")]
    assert len(urgent) <= actions + 4
    ids = [m["message_id"] for m in shown]
    for index, (method, params) in enumerate(calls):
        if method == "editMessageReplyMarkup":
            # (as sent: an answer may have been added at its end since)
            following = shown[ids.index(params["message_id"]) + 1]["text"]
            sent = [
                i
                for i, (m, p) in enumerate(calls)
                if m == "sendMessage" and following.startswith(p["text"])
            ]
            assert sent and sent[0] < index
