"""Ids on the volunteer side: whatever is typed or forged in place of a number gets the usual
answer (how to write the command, a stale button, nothing found), never an error."""

from __future__ import annotations

import pytest

from bot.core.domain import EventKind, Inbound
from bot.core.i18n import Catalogs
from bot.core.ids import parse_id
from bot.desk.domain import person_name
from bot.service import Relais
from bot.testing.conversation import Conversation
from tests.conftest import ROOT
from tests.test_flow_cv import CV_FR
from tests.test_volunteers import AMINA_IN_PARIS, join, person_id

USAGE = "Écrivez /person suivi du numéro de la personne"
STALE = "Ce bouton ne marche plus"
# superscript two, a 23-digit number, Arabic-Indic digits, a sign, an exponent, hexadecimal,
# a line break, a number beyond SQLite's integers
NOT_IDS = ("²", "9" * 23, "١٢", "-1", "+3", "1e3", "0x1f", "3\n", " 3", "9223372036854775808")


@pytest.mark.parametrize("text", (*NOT_IDS, "", "n°", "۳"))
def test_only_plain_bounded_digits_are_ids(text: str) -> None:
    assert parse_id(text) is None


def test_plain_digits_are_ids() -> None:
    assert parse_id("0") == 0
    assert parse_id("0042") == 42
    assert parse_id("9" * 15) == 10**15 - 1


async def marie_and_amina(relais: Relais) -> tuple[Conversation, int]:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + CV_FR)
    return await join(relais, "marie", "paris11"), await person_id(relais, "amina")


async def test_person_with_something_else_than_a_number_shows_how_to_write_it(
    relais: Relais,
) -> None:
    marie, amina_id = await marie_and_amina(relais)
    for text in NOT_IDS:
        if text.strip() != text:
            continue  # a command's words are split on spaces: "/person 3\n" is /person 3
        await marie.type(f"/person {text}")
        assert USAGE in marie.text, text
        await marie.type(f"/person n°{text}")
        assert USAGE in marie.text, text
    await marie.play(
        f"""
        > /person n°{amina_id}
        < Amina Benali (n° {amina_id})
        > /person {amina_id:05d}
        < Amina Benali (n° {amina_id})
        """
    )


@pytest.mark.parametrize(
    "verb", ["p", "cv", "ck", "fx", "sr", "fc", "o", "h", "cf", "ok:{}:job", "oc:{}:cdi"]
)
async def test_forged_ids_in_buttons_are_stale_buttons(relais: Relais, verb: str) -> None:
    marie, amina_id = await marie_and_amina(relais)
    for text in NOT_IDS:
        data = f"V:{verb.format(text)}" if "{}" in verb else f"V:{verb}:{text}"
        await marie.send(Inbound(EventKind.BUTTON, data=data))
        assert STALE in marie.text, data
    async with relais.storage.transaction() as tx:
        follow = await tx.followup_of(amina_id)
        assert await tx.audit_entries() == []
    assert follow.cv_status == "to_check" and not follow.searching


async def test_forged_pages_of_the_list_are_stale_buttons(relais: Relais) -> None:
    marie, _ = await marie_and_amina(relais)
    for text in NOT_IDS:
        await marie.send(Inbound(EventKind.BUTTON, data=f"V:l:all:{text}"))
        assert STALE in marie.text, text
    # the largest page a button can carry shows the last page
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:l:all:{'9' * 15}"))
    assert "page 1 sur 1" in marie.text


async def test_forged_document_ids_make_no_document(relais: Relais) -> None:
    _, amina_id = await marie_and_amina(relais)
    for text in NOT_IDS:
        assert await relais.document("test", "marie", f"cv_pdf:{text}") is None, text
    assert await relais.document("test", "marie", f"cv_pdf:{amina_id}") is not None


def test_a_volunteer_reads_the_first_name_as_the_cv_writes_it() -> None:
    # saved before onboarding dropped "je m'appelle", or typed in small letters
    t = Catalogs(ROOT / "locales", ["fr"], "Europe/Paris").get("fr")
    assert person_name("je m appelle fatou", "Diallo", 4, t) == "Fatou Diallo"
    assert person_name("", "", 4, t) == "Personne n° 4"
