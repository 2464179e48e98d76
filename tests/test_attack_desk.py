"""Hostile tests of the desk by capability and its desk flows, pushed from the
outside (a beneficiary) and from the inside (a volunteer mid flow). Each test that was a finding
failed before its fix."""

from __future__ import annotations

from bot.core.domain import EventKind, Inbound
from bot.service import Relais
from bot.storage.erasure import ERASED
from tests.test_desk_flows import marie_on_aminas_page, session_of
from tests.test_volunteers import notices_of, person_id

STALE = "Ce bouton ne marche plus"
NOT_FOUND = "Je ne trouve pas cette personne parmi celles de votre centre."


async def test_a_beneficiary_gets_nothing_of_the_desk(relais: Relais) -> None:
    amina, _, amina_id = await marie_on_aminas_page(relais)
    marie_id = await person_id(relais, "marie")
    for data in (f"V:p:{amina_id}", f"V:fx:{amina_id}", f"V:p:{marie_id}", "V:l:all:0", "V"):
        said = await amina.send(Inbound(EventKind.BUTTON, data=data))
        assert STALE in said and "Amina Benali" not in said.split("\n", 1)[1:], data
    for typed in ("CV à corriger", "Résultat", "/cancel", "/person 1", "/team"):
        said = await amina.type(typed)
        assert "corriger dans son CV" not in said and "Quel résultat" not in said, typed
    assert (await session_of(relais, "amina"))["stack"] == []


async def test_a_volunteer_mid_note_switching_language_comes_back_to_the_named_question(
    relais: Relais,
) -> None:
    _, marie, _ = await marie_on_aminas_page(relais)
    await marie.play("> [CV à corriger]\n> /language\n> [English]")
    assert "{subject_name}" not in marie.text, marie.text


async def test_a_volunteer_mid_note_typing_start_or_help(relais: Relais) -> None:
    _, marie, _ = await marie_on_aminas_page(relais)
    await marie.press("CV à corriger")
    for command in ("/start", "/help", "/back", "/nonsense"):
        said = await marie.type(command)
        assert "{subject_name}" not in said, (command, said)
        assert "Amina Benali" in said or "Que voulez-vous faire" in said, (command, said)


async def test_an_rtl_note_reaches_the_person_as_written(relais: Relais) -> None:
    _, marie, _ = await marie_on_aminas_page(relais)
    note = "\u202eأضف تواريخك\u202c ‏من فضلك"
    await marie.play(f"> [CV à corriger]\n> {note}\n< C'est envoyé à Amina Benali.")
    got = await notices_of(relais, "amina")
    assert "أضف تواريخك" in got and "\u202e" not in got  # bidi overrides are taken out


async def test_removed_from_the_team_mid_note_sends_nothing(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.press("CV à corriger")
    marie_id = await person_id(relais, "marie")
    async with relais.storage.transaction() as tx:
        await tx.revoke_roles(marie_id, ("paris11",))
    said = await marie.type("Ajoutez vos dates")
    assert "C'est envoyé" not in said
    assert "Ajoutez vos dates" not in await notices_of(relais, "amina")
    async with relais.storage.transaction() as tx:
        assert (await tx.followup_of(amina_id)).cv_status != "to_fix"


async def test_the_subject_erased_mid_outcome(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play("> [Résultat]\n< Quel résultat pour Amina Benali ?")
    kind = next(b.data for b in marie.buttons if b.label == "Travail trouvé")
    async with relais.storage.transaction() as tx:
        await tx.erase_person(amina_id, ERASED, amina_id)
    said = await marie.send(Inbound(EventKind.BUTTON, data=kind))
    assert NOT_FOUND in said and "Quel contrat" not in said
    assert (await session_of(relais, "marie"))["stack"] == []
    async with relais.storage.transaction() as tx:
        assert await tx.outcomes_of(amina_id) == []


async def test_a_desk_flow_paused_by_menu_keeps_the_subject_id_after_erasure(
    relais: Relais,
) -> None:
    """/menu mid desk flow: is the frame paused (kept in session.paused with the subject's id)?
    After the subject is erased, the volunteer's session must not keep their id."""
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play("> [Résultat]\n> /menu")
    async with relais.storage.transaction() as tx:
        await tx.erase_person(amina_id, ERASED, amina_id)
    session = await session_of(relais, "marie")
    assert str(amina_id) not in str(session.get("paused", {})), session


async def test_an_old_desk_flow_button_after_menu_is_stale(relais: Relais) -> None:
    _, marie, _ = await marie_on_aminas_page(relais)
    await marie.play("> [Résultat]")
    kind = next(b.data for b in marie.buttons if b.label == "Travail trouvé")
    await marie.type("/menu")
    said = await marie.send(Inbound(EventKind.BUTTON, data=kind))
    assert "Quel contrat" not in said
    assert "{subject_name}" not in said
