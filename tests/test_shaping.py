"""Shaping replies to a channel's limits, and the numbered keyboards a typed number presses."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.channels.keyboards import choice_number, remember, resolve_typed
from bot.channels.protocol import Capabilities
from bot.channels.shaping import RLM, OptionList, Shaped, Shown, shape, split_text
from bot.core.domain import Button, EventKind, Inbound, Message, Reply
from bot.storage.database import Storage
from bot.storage.erasure import ERASED
from bot.testing.moment import fixed_clock

# Telegram: nothing that matters to Relais's messages is limited, but the text and the data;
# a reply's messages are joined where they fit, as each costs a call its sending rate counts
TELEGRAM = Capabilities(
    buttons_per_message=100, data_length=64, text_length=4096, joins_messages=True
)
WHATSAPP = Capabilities(
    buttons_per_message=3,
    list_rows=10,
    label_length=20,
    data_length=256,
    text_length=4096,
    can_edit=False,
    reply_window=timedelta(hours=24),
)
THREE_NO_LIST = Capabilities(buttons_per_message=3, list_rows=0, can_edit=False)


def choices(count: int, seq: int = 7) -> tuple[tuple[Button, ...], ...]:
    """A question's rows of `count` options, one a row as the engine makes them."""
    return tuple((Button(f"Choix {i}", f"{seq}:v:c{i}"),) for i in range(1, count + 1))


def question(count: int) -> Message:
    """A choice question with `count` options."""
    return Message("Quel choix ?", choices(count))


# -- Telegram: as today ------------------------------------------------------------------


def test_telegram_keeps_every_button_in_its_rows_and_leaves_edits_and_echoes_to_the_channel():
    menu = Message("Que voulez-vous faire ?", choices(7))
    ticked = Message("Quel travail ?", choices(5))
    shaped = shape(Reply((menu,), edit=ticked), TELEGRAM)
    assert shaped.messages == (Shown("Que voulez-vous faire ?", buttons=choices(7)),)
    assert shaped.edit == Shown("Quel travail ?", buttons=choices(5))
    assert shaped.keyboard == ()
    # the answer opens the next question; the pressed one only loses its buttons (tidy)
    echoed = shape(Reply((menu,), echo="Oui"), TELEGRAM)
    assert echoed.echo is None and echoed.edit is None and echoed.tidy
    assert echoed.messages == (Shown("✅ Oui\n\nQue voulez-vous faire ?", buttons=choices(7)),)
    # an answer nothing follows: the channel shows it on the pressed question
    alone = shape(Reply(echo="Oui"), TELEGRAM)
    assert alone.echo == "Oui" and alone.messages == () and not alone.tidy


def test_telegram_shows_the_answer_at_the_top_of_the_first_message_that_follows():
    said = Message("Merci !")
    echoed = shape(Reply((said, question(2)), echo="Oui"), TELEGRAM)
    # short lead-ins come with the question they lead to: one message, one call
    assert [s.text for s in echoed.messages] == ["✅ Oui\n\nMerci !\n\nQuel choix ?"]
    assert echoed.messages[0].buttons == choices(2) and echoed.tidy
    # a multiple choice is ticked in place (each tick rewrites it): it holds its question alone
    ticks = replace(question(3), in_place=True)
    before = shape(Reply((said, ticks), echo="Oui"), TELEGRAM)
    assert [s.text for s in before.messages] == ["✅ Oui\n\nMerci !", "Quel choix ?"]
    alone = shape(Reply((ticks,), echo="Oui"), TELEGRAM)
    assert alone.echo == "Oui" and not alone.tidy  # shown on the question it answers
    # a document, or buttons, end what is joined; so does a text too long to add
    cv = Message("Votre CV :", document="cv_pdf")
    apart = shape(Reply((cv, said, question(2))), TELEGRAM)
    assert [s.text for s in apart.messages] == ["Votre CV :", "Merci !\n\nQuel choix ?"]
    long = Message("x" * 4090)
    assert len(shape(Reply((long, question(2))), TELEGRAM).messages) == 2
    # right to left: the answer's line starts with its mark too
    arabic = Message("هل توافق؟", choices(2), rtl=True)
    rtl = shape(Reply((arabic,), echo="نعم"), TELEGRAM, rtl_marks=True)
    assert rtl.messages[0].text == "\u200f✅ نعم\n\u200f\n\u200fهل توافق؟"
    # a typed number or text (nothing pressed): the echo stays a message of its own
    typed = shape(Reply((said,), echo="Oui"), TELEGRAM, pressed=False)
    assert [s.text for s in typed.messages] == ["✅ Oui", "Merci !"] and not typed.tidy


def test_telegram_long_texts_are_cut_at_line_breaks_with_the_buttons_on_the_last_piece():
    long = "\n".join(f"Ligne {i} " + "x" * 60 for i in range(200))
    pieces = shape(Reply((Message(long, choices(2)),)), TELEGRAM).messages
    assert len(pieces) == 4 and all(len(p.text) <= 4096 for p in pieces)
    assert "\n".join(p.text for p in pieces) == long  # cut between lines, nothing lost
    assert [bool(p.buttons) for p in pieces] == [False, False, False, True]
    assert shape(Reply((Message(""),)), TELEGRAM).messages == (Shown("…"),)


def test_long_text_is_cut_at_line_breaks_within_the_limit():
    text = "a" * 30 + "\n" + "b" * 30 + "\n" + "c" * 9
    assert split_text(text, 40) == ["a" * 30, "b" * 30 + "\n" + "c" * 9]
    assert split_text("x" * 90, 40) == ["x" * 40, "x" * 40, "x" * 10]
    assert split_text("court", None) == ["court"]


def test_right_to_left_marks_only_when_asked():
    message = Message("سطر\n/menu", rtl=True)
    assert shape(Reply((message,)), WHATSAPP).messages[0].text == "سطر\n/menu"
    marked = shape(Reply((message,)), WHATSAPP, rtl_marks=True).messages[0].text
    assert marked == f"{RLM}سطر\n{RLM}/menu"


def test_a_typed_number_on_an_editing_channel_gets_a_new_message_not_an_edit():
    shaped = shape(Reply(edit=question(2)), TELEGRAM, pressed=False)
    assert shaped.edit is None
    assert shaped.messages == (Shown("Quel choix ?", buttons=choices(2)),)


# -- WhatsApp: 3 buttons, 10 list rows, 20-character labels, no edits ---------------------


def test_whatsapp_three_buttons_stay_buttons_with_labels_cut_to_20_characters():
    message = Message(
        "Vous êtes d'accord ?", ((Button("Oui, je suis tout à fait d'accord", "2:v:yes"),),)
    )
    shown = shape(Reply((message,)), WHATSAPP).messages[0]
    assert shown.buttons == ((Button("Oui, je suis tout à…", "2:v:yes"),),)
    assert len(shown.buttons[0][0].label) == 20


def test_whatsapp_more_than_three_buttons_become_a_list_with_one_opening_label():
    shaped = shape(Reply((question(7),)), WHATSAPP, list_label="Voir les choix")
    (shown,) = shaped.messages
    assert shown.buttons == () and shown.numbered == ()
    assert shown.options == OptionList("Voir les choix", tuple(row[0] for row in choices(7)))
    assert shown.text == "Quel choix ?"
    assert shaped.keyboard == () and shaped.renews_keyboard


def test_whatsapp_more_than_ten_choices_become_numbered_text_whose_keyboard_is_kept():
    shaped = shape(Reply((question(12),)), WHATSAPP)
    (shown,) = shaped.messages
    assert shown.text.startswith("Quel choix ?\n\n1. Choix 1\n2. Choix 2\n")
    assert shown.text.endswith("\n12. Choix 12")
    assert shown.buttons == () and shown.options is None
    assert shaped.keyboard == tuple(f"7:v:c{i}" for i in range(1, 13))


def test_whatsapp_button_data_too_long_to_send_is_pressed_by_number():
    long = Button("Ouvrir", "9:" + "x" * 300)
    shaped = shape(Reply((Message("Et maintenant ?", ((long,),)),)), WHATSAPP)
    assert shaped.messages[0].text == "Et maintenant ?\n\n1. Ouvrir"
    assert shaped.keyboard == (long.data,)


def test_whatsapp_edit_and_echo_become_new_messages_first():
    menu = Message("Que voulez-vous faire ?", choices(2))
    edited = shape(Reply((menu,), edit=question(5)), WHATSAPP)
    assert edited.edit is None and edited.echo is None
    assert [s.text for s in edited.messages] == ["Quel choix ?", "Que voulez-vous faire ?"]
    assert edited.messages[0].options is not None
    echoed = shape(Reply((menu,), echo="Un peu"), WHATSAPP)
    assert [s.text for s in echoed.messages] == ["✅ Un peu", "Que voulez-vous faire ?"]


# -- a test channel: 3 buttons, no list, no edits -----------------------------------------


def test_three_buttons_without_lists_number_the_choices_and_keep_the_back_button_among_them():
    rows = (*choices(3), (Button("↩ Retour", "7:b"),))
    shaped = shape(Reply((Message("Quel choix ?", rows),)), THREE_NO_LIST)
    assert shaped.messages[0].text.endswith("3. Choix 3\n4. ↩ Retour")
    assert shaped.keyboard == ("7:v:c1", "7:v:c2", "7:v:c3", "7:b")


def test_a_typed_answer_question_never_gets_numbers_and_ends_the_stored_keyboard():
    nav = ((Button("↩ Retour", "8:b"), Button("Passer", "8:s")),)
    few = shape(Reply((Message("En quelle année ?", nav, typed=True),)), THREE_NO_LIST)
    assert few.messages[0].buttons == nav
    assert few.keyboard == () and few.renews_keyboard
    many = (*nav, (Button("Annuler", "8:c"), Button("Aide", "8:h")))
    worded = shape(Reply((Message("En quelle année ?", many, typed=True),)), THREE_NO_LIST)
    assert worded.messages[0].text == "En quelle année ?\n[↩ Retour]  [Passer]  [Annuler]  [Aide]"
    assert worded.keyboard == () and worded.messages[0].numbered == ()


def test_only_the_last_message_of_a_reply_gives_the_keyboard():
    numbered_then_plain = shape(Reply((question(5), Message("Merci !"))), THREE_NO_LIST)
    assert numbered_then_plain.keyboard == () and numbered_then_plain.renews_keyboard
    plain_then_numbered = shape(Reply((Message("Merci !"), question(5))), THREE_NO_LIST)
    assert len(plain_then_numbered.keyboard) == 5
    assert shape(Reply(), THREE_NO_LIST) == Shaped(())


def test_a_long_numbered_question_keeps_its_choices_on_the_last_piece():
    caps = Capabilities(buttons_per_message=3, list_rows=0, text_length=50, can_edit=False)
    message = Message(
        "Une longue explication.\n" * 3 + "Quel choix ?", choices(4), document="cv_pdf"
    )
    pieces = shape(Reply((message,)), caps).messages
    assert all(len(p.text) <= 50 for p in pieces) and len(pieces) > 1
    assert [bool(p.numbered) for p in pieces] == [False] * (len(pieces) - 1) + [True]
    assert [p.document for p in pieces] == [""] * (len(pieces) - 1) + ["cv_pdf"]


# -- the stored keyboard: typed numbers ----------------------------------------------------


def test_what_a_typed_text_stands_for_as_a_number():
    assert [choice_number(t) for t in ("2", " 2 ", "2.", "12)", "٢", "²", "75011", "2 ans")] == [
        2,
        2,
        2,
        12,
        None,
        None,
        None,
        None,
    ]


async def open_storage(path: Path) -> Storage:
    return await Storage.open(path, clock=fixed_clock)


async def test_a_typed_2_presses_the_second_numbered_choice_even_after_a_restart(tmp_path: Path):
    path = tmp_path / "relais.sqlite3"
    storage = await open_storage(path)
    async with storage.transaction() as tx:
        await tx.load_state("whatsapp", "33600000001")  # the person exists once they wrote
        await remember(tx, "whatsapp", "33600000001", shape(Reply((question(12),)), WHATSAPP))
    await storage.close()
    storage = await open_storage(path)
    async with storage.transaction() as tx:
        assert await resolve_typed(tx, "whatsapp", "33600000001", "2") == Inbound(
            EventKind.BUTTON, data="7:v:c2"
        )
        # out of the list, or another chat: the text as typed
        assert await resolve_typed(tx, "whatsapp", "33600000001", "13") == Inbound(
            EventKind.TEXT, text="13"
        )
        assert await resolve_typed(tx, "whatsapp", "33600000002", "2") == Inbound(
            EventKind.TEXT, text="2"
        )
    await storage.close()


async def test_a_newer_message_without_numbers_ends_the_old_keyboard(tmp_path: Path):
    storage = await open_storage(tmp_path / "relais.sqlite3")
    async with storage.transaction() as tx:
        await tx.load_state("three", "ana")
        await remember(tx, "three", "ana", shape(Reply((question(5),)), THREE_NO_LIST))
        # a reply that shows nothing leaves it
        await remember(tx, "three", "ana", shape(Reply(), THREE_NO_LIST))
        assert (await resolve_typed(tx, "three", "ana", "2")).kind == EventKind.BUTTON
        # a typed-input question ("how many children?"): "2" is an answer
        typed = Message("Combien d'enfants ?", typed=True)
        await remember(tx, "three", "ana", shape(Reply((typed,)), THREE_NO_LIST))
        assert await resolve_typed(tx, "three", "ana", "2") == Inbound(EventKind.TEXT, text="2")
        # a yes/no question with its own buttons: an old list is not pressed either
        await remember(tx, "three", "ana", shape(Reply((question(5),)), THREE_NO_LIST))
        await remember(tx, "three", "ana", shape(Reply((question(2),)), THREE_NO_LIST))
        assert await resolve_typed(tx, "three", "ana", "2") == Inbound(EventKind.TEXT, text="2")
    await storage.close()


async def test_the_keyboard_goes_with_the_person_and_is_never_kept_for_someone_gone(
    tmp_path: Path,
):
    storage = await open_storage(tmp_path / "relais.sqlite3")
    numbered = shape(Reply((question(5),)), THREE_NO_LIST)
    async with storage.transaction() as tx:
        state = await tx.load_state("three", "ana")
        await remember(tx, "three", "ana", numbered)
        assert state.person.id is not None
        await tx.erase_person(state.person.id, ERASED, state.person.id)
        assert await tx.stored_keyboard("three", "ana") == ()
        # the farewell of an erasure is shaped after the row went: nothing stored
        await remember(tx, "three", "ana", numbered)
        assert await tx.stored_keyboard("three", "ana") == ()
    await storage.close()
