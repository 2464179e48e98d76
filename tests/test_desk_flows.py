"""Multi-step input on the desk runs as desk flows (role = "desk") by the engine: a note sent
back with a CV, an outcome. The same back, bad-input and stale-button handling as the
beneficiaries' flows; the person it is about is checked at every step; a beneficiary can never
open one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.domain import EventKind, Inbound
from bot.flows.loader import load_flows
from bot.flows.model import FlowError
from bot.service import Relais
from bot.storage.erasure import ERASED
from bot.testing.conversation import Conversation
from tests.test_flow_cv import CV_FR
from tests.test_flow_loader import error_of, write_flows
from tests.test_volunteers import AMINA_IN_PARIS, join, notices_of, person_id

STALE = "Ce bouton ne marche plus"
NOT_FOUND = "Je ne trouve pas cette personne parmi celles de votre centre."


async def marie_on_aminas_page(relais: Relais) -> tuple[Conversation, Conversation, int]:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + CV_FR)
    marie = await join(relais, "marie", "paris11")
    amina_id = await person_id(relais, "amina")
    await marie.play(f"> /person {amina_id}\n< À faire :")
    return amina, marie, amina_id


async def session_of(relais: Relais, user: str) -> dict:
    async with relais.storage.transaction() as tx:
        return (await tx.load_state("test", user)).session.to_json()


async def test_an_outcome_goes_back_refuses_bad_dates_and_is_recorded(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play(
        """
        > [Résultat]
        < Quel résultat pour Amina Benali ?
        ! Retour
        > [Travail trouvé]
        < Quel contrat ?
        > [Retour]
        < Quel résultat pour Amina Benali ?
        > [Formation]
        < À quelle date ?
        < Écrivez la date comme ceci : 23/11/2026
        > demain
        < Cette date n'est pas encore arrivée. Écrivez une date jusqu'à aujourd'hui.
        < À quelle date ?
        > 12/03/2015
        < Cette date est déjà passée. Écrivez une date à partir du
        > 30/02/2026
        < Cette date n'existe pas
        > Hier
        < C'est noté pour Amina Benali : Formation, le 22 novembre 2026.
        ! Que voulez-vous faire ?
        """
    )
    async with relais.storage.transaction() as tx:
        outcomes = await tx.outcomes_of(amina_id)
    assert [(o.kind, o.contract, str(o.happened_on), o.confirmed) for o in outcomes] == [
        ("training", None, "2026-11-22", True)
    ]
    assert (await session_of(relais, "marie"))["stack"] == []  # the flow is over


async def test_a_note_can_be_cancelled_and_leaves_nothing(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play(
        """
        > /cancel
        < Il n'y a rien à annuler.
        > [CV à corriger]
        < Écrivez en quelques mots ce qu'Amina Benali doit corriger
        > /cancel
        < D'accord, rien n'a changé.
        > Une note perdue
        ! C'est envoyé
        """
    )
    async with relais.storage.transaction() as tx:
        assert (await tx.followup_of(amina_id)).cv_status == "to_check"
    assert await notices_of(relais, "amina") == ""


async def test_the_name_is_never_kept_in_the_volunteers_session(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.press("CV à corriger")
    await marie.type("")  # an empty note: asked again, with the name
    assert "Écrivez votre réponse" in marie.text and "Amina Benali" in marie.text
    session = await session_of(relais, "marie")
    assert [f["answers"] for f in session["stack"]] == [{"subject": amina_id}]
    assert "Amina" not in json.dumps(session)
    # the question names Amina: queued with her as its subject, erased with her
    assert any(
        e.name == "about" and e.data == {"people": [amina_id]} for e in marie.replies[0].effects
    )


async def test_a_button_of_the_first_flow_is_stale_in_the_second(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.press("Résultat")
    old_kind = next(b.data for b in marie.buttons if b.label == "Travail trouvé")
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:fx:{amina_id}"))
    assert "ce qu'Amina Benali doit corriger" in marie.text
    await marie.send(Inbound(EventKind.BUTTON, data=old_kind))
    assert STALE in marie.text and "ce qu'Amina Benali doit corriger" in marie.text
    await marie.play("> Ajoutez vos dates.\n< C'est envoyé à Amina Benali.")
    assert "« Ajoutez vos dates. »" in await notices_of(relais, "amina")
    async with relais.storage.transaction() as tx:
        assert await tx.outcomes_of(amina_id) == []


async def test_the_person_is_checked_again_at_every_step(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play("> [Résultat]\n> [Cours de français]\n< À quelle date ?")
    async with relais.storage.transaction() as tx:
        await tx.erase_person(amina_id, ERASED, amina_id)
    await marie.press("Aujourd'hui")
    assert marie.text == NOT_FOUND
    assert (await session_of(relais, "marie"))["stack"] == []
    async with relais.storage.transaction() as tx:
        assert await tx.outcomes_of(amina_id) == []


async def test_a_volunteer_removed_midway_gets_the_answers_anyone_gets(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.press("CV à corriger")
    marie_id = await person_id(relais, "marie")
    async with relais.storage.transaction() as tx:
        await tx.revoke_roles(marie_id, ("paris11",))
    await marie.type("Ajoutez vos dates.")
    assert "C'est envoyé" not in marie.text and "Amina" not in marie.text
    async with relais.storage.transaction() as tx:
        assert (await tx.followup_of(amina_id)).cv_status == "to_check"


async def test_a_beneficiary_can_never_open_a_desk_flow(relais: Relais) -> None:
    amina, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.press("Résultat")
    forged = [b.data for b in marie.buttons]  # a desk flow's own buttons, copied
    await amina.type("/menu")
    assert "Résultat" not in amina.text and "CV à corriger" not in amina.text
    seq = (await session_of(relais, "amina"))["seq"]
    attempts = [
        Inbound(EventKind.BUTTON, data=f"V:o:{amina_id}"),
        Inbound(EventKind.BUTTON, data=f"V:fx:{amina_id}"),
        Inbound(EventKind.BUTTON, data=f"{seq}:m:desk_outcome"),
        Inbound(EventKind.BUTTON, data=f"{seq}:m:desk_note"),
        Inbound(EventKind.BUTTON, data=f"{seq}:v:job"),
        Inbound(EventKind.TEXT, text="Résultat"),
        Inbound(EventKind.TEXT, text="CV à corriger"),
        Inbound(EventKind.COMMAND, command="cancel"),
        *(Inbound(EventKind.BUTTON, data=data) for data in forged),
    ]
    for event in attempts:
        await amina.send(event)
        assert "Quel résultat" not in amina.text and "doit corriger" not in amina.text, event
        stack = (await session_of(relais, "amina"))["stack"]
        assert not [f for f in stack if f["flow"].startswith("desk_")], event
    async with relais.storage.transaction() as tx:
        assert await tx.outcomes_of(amina_id) == []


DESK_NOTE = """
id = "demo"
role = "desk"
[[steps]]
id = "note"
type = "text"
prompt = "Une note pour {subject_name} ?"
"""


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ('menu = true\ntitle = "Note"\n', "field 'menu': a desk flow is opened by the desk only"),
        ("remember = true\n", "field 'remember': a desk flow keeps nothing"),
        ('menu_when = { field = "note", set = true }\n', "field 'menu_when': a desk flow"),
    ],
)
def test_a_desk_flow_is_never_in_a_menu(tmp_path: Path, change: str, error: str) -> None:
    assert error in error_of(tmp_path, change + DESK_NOTE)


@pytest.mark.parametrize(
    ("step", "error"),
    [
        (
            'type = "action"\naction = "erase_data"',
            "step 'x', field 'type': a desk flow has no act",
        ),
        ('type = "yes_no"\nprompt = "?"\nsave = "person.consent"', "field 'save': a desk flow"),
        (
            'type = "text"\nprompt = "?"\nsave = "subject"',
            "field 'save': a desk flow saves its own",
        ),
        ('type = "text"\nprompt = "?"\nreuse = true', "field 'save': a desk flow saves its own"),
        ('type = "text"\nprompt = "{first_name} ?"', "{first_name} is not a saved answer"),
        (
            # "Demain" is one since appointments (a date to come); a week is not
            'type = "date"\nprompt = "?"\noptions = [{ value = "next_week", label = "Semaine" }]',
            "field 'options': a date's options are among today, yesterday, tomorrow",
        ),
    ],
)
def test_a_desk_flow_only_asks_about_its_subject(tmp_path: Path, step: str, error: str) -> None:
    text = DESK_NOTE + f'next = "x"\n[[steps]]\nid = "x"\n{step}\n'
    assert error in error_of(tmp_path, text)


def test_a_desk_flow_keeps_its_answers_apart(tmp_path: Path) -> None:
    first_name = (
        'id = "demo"\nrole = "desk"\n[[steps]]\nid = "first_name"\ntype = "text"\nprompt = "?"\n'
    )
    folder = tmp_path / "flows"
    write_flows(folder, first_name)
    (folder / "cv.toml").write_text(
        'id = "cv"\n[[steps]]\nid = "first_name"\ntype = "name"\nprompt = "Prénom ?"\n', "utf-8"
    )
    with pytest.raises(FlowError, match="'first_name' is an answer of the beneficiaries' flows"):
        load_flows(folder)


def test_relative_date_bounds(tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    write_flows(
        tmp_path / "flows",
        DESK_NOTE + 'next = "d"\n[[steps]]\nid = "d"\ntype = "date"\n'
        'prompt = "?"\nnot_before = "today-3650"\n',
    )
    flows = load_flows(tmp_path / "flows")
    assert flows.desk_flow("demo") is not None and flows.menu_flows() == []
    assert flows.find_field("note") is None  # never shown as someone's own answer
    assert "today-<days>" in error_of(
        tmp_path / "other",
        DESK_NOTE.replace('type = "text"', 'type = "date"\nnot_before = "today-x"'),
    )
