"""A volunteer corrects a person's CV themselves, from the person's page: the screens of "Mon
CV", in the volunteer's session, on the person's saved answers, checked again at every message.
Each change is audited (who, whom, which field, when: no values); when the volunteer has
finished, the person is told what changed, in their language, within quiet hours, and the
volunteer can mark the CV "qualifié". The JSON Resume export is the volunteer's, not the
person's."""

from __future__ import annotations

import asyncio
import io
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pypdf
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.core.domain import EventKind, Inbound
from bot.desk.corrections import ACTION
from bot.reach.delivery import take_due
from bot.service import Relais, open_relais
from bot.storage.erasure import ERASED
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, fixed_clock
from tests.conftest import CONFIG_TWO_CENTRES
from tests.test_desk_flows import NOT_FOUND, STALE, marie_on_aminas_page, session_of
from tests.test_volunteers import join, notices_of, person_id

OPEN_THE_JOB = """
> [Corriger le CV]
< ✍️ Correction du CV – Amina Benali
> [Expériences (1)]
> [1. Agent d'entretien]
"""


async def profile(relais: Relais, user: str) -> dict:
    async with relais.storage.transaction() as tx:
        return (await tx.load_state("test", user)).profile


async def drafts(relais: Relais) -> list[tuple[int, int, str]]:
    async with relais.storage.transaction() as tx:
        rows = await tx._fetchall("SELECT volunteer_id, subject_id, data FROM correction_drafts")
    return [(r[0], r[1], r[2]) for r in rows]


async def pdf_of(relais: Relais, amina_id: int) -> str:
    document = await relais.document("test", "marie", f"cv_pdf:{amina_id}")
    assert document is not None
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(document.data)).pages)


async def test_a_volunteer_corrects_the_cv_the_person_is_told_and_it_becomes_qualifie(
    relais: Relais,
) -> None:
    amina, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play(
        OPEN_THE_JOB
        + """
        ! Recevoir mon CV
        > [✏️ Tâches]
        < ✍️ Correction du CV – Amina Benali
        < Qu'est-ce que vous faisiez dans ce travail ?
        < Aujourd'hui, le CV dit : Nettoyer des bureaux
        ! votre CV dit
        > Nettoyage de bureaux et de sanitaires
        < Une autre tâche ?
        > [Passer]
        < Une dernière tâche ?
        > [Passer]
        < C'est enregistré.
        < Tâches : Nettoyage de bureaux et de sanitaires · Vider les poubelles
        > [↩ Retour]
        > [↩ Retour]
        > [Savoir-faire]
        > [✏️ Qualités]
        > [Sérieux, sérieuse]
        > [Valider]
        < Sur votre CV, comment écrire vos qualités ?
        > [Passer]
        < Qualités : Ponctuel, ponctuelle, Sérieux, sérieuse
        > [↩ Retour]
        > [Terminé]
        < Amina Benali sera prévenu(e) de ce qui a changé : Expériences (tâches), Qualités.
        < Le CV est-il prêt pour les employeurs ?
        > [CV qualifié]
        < C'est noté : le CV d'Amina Benali est qualifié.
        < Statut : CV qualifié
        """
    )
    saved = await profile(relais, "amina")
    job = saved["cv_experiences"][0]
    assert job["exp_task1"] == "Nettoyage de bureaux et de sanitaires"
    assert job["exp_task2"] == "Vider les poubelles"
    assert saved["qualities"] == ["punctual", "reliable"]
    assert "Nettoyage de bureaux et de sanitaires" in await pdf_of(relais, amina_id)
    # who, whom, which field, when: ids and field names, never what the CV says
    marie_id = await person_id(relais, "marie")
    async with relais.storage.transaction() as tx:
        audit = await tx.audit_entries(limit=50)
        follow = await tx.followup_of(amina_id)
    corrected = [(e.actor_id, e.subject_id, e.action) for e in audit if ":" in e.action]
    assert corrected == [
        (marie_id, amina_id, "cv_edit:qualities"),
        (marie_id, amina_id, "cv_edit:cv_experiences.1.exp_task1"),
    ]
    assert (marie_id, amina_id, "cv") in [(e.actor_id, e.subject_id, e.action) for e in audit]
    assert follow.cv_status == "checked"
    told = await notices_of(relais, "amina")
    assert (
        "Votre bénévole a corrigé votre CV : Expériences (tâches), Qualités. "
        "Vous pouvez le voir dans « Mon CV »."
    ) in told
    assert "un bénévole a vérifié votre CV" in told
    # Amina sees it in "Mon CV", and her own questions were never touched
    await amina.play(
        """
        > /menu
        > [Mon CV]
        > [Expériences (1)]
        > [1. Agent d'entretien]
        < Tâches : Nettoyage de bureaux et de sanitaires · Vider les poubelles
        """
    )


async def test_the_volunteers_session_holds_nothing_of_the_person(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    marie_id = await person_id(relais, "marie")
    await marie.play(
        OPEN_THE_JOB
        + """
        > [✏️ Dates]
        < Aujourd'hui, le CV dit : mars 2021
        > 2019
        < Vous faites encore ce travail aujourd'hui ?
        """
    )
    session = json.dumps(await session_of(relais, "marie"), ensure_ascii=False)
    for words in ("Amina", "Benali", "2019", "2021", "Agent", "Propreté", "Nettoyer"):
        assert words not in session, words
    # the entry being changed waits apart, erased with either of them
    [(volunteer, subject, data)] = await drafts(relais)
    assert (volunteer, subject) == (marie_id, amina_id)
    assert "2019" in data
    await marie.play(
        """
        > [Non]
        < Quand avez-vous arrêté ?
        > 2022
        < C'est enregistré.
        < Dates : 2019 – 2022
        """
    )
    assert await drafts(relais) == []
    job = (await profile(relais, "amina"))["cv_experiences"][0]
    assert (job["exp_start"], job["exp_current"], job["exp_end"]) == ("2019", False, "2022")
    assert (await profile(relais, "marie")).get("cv_experiences") is None


async def test_annuler_and_passer_work_for_the_volunteer_as_for_the_person(
    relais: Relais,
) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play(
        OPEN_THE_JOB
        + """
        > [✏️ Dates]
        > 2019
        > [Annuler]
        < rien n'a changé
        < Dates : mars 2021 – aujourd'hui
        > [✏️ Employeur]
        > [Passer]
        < Employeur : Propreté Plus
        > [↩ Retour]
        > [↩ Retour]
        > [Terminé]
        < Rien n'a changé dans ce CV.
        ! CV qualifié
        """
    )
    assert await notices_of(relais, "amina") == ""
    async with relais.storage.transaction() as tx:
        assert (await tx.followup_of(amina_id)).cv_status == "to_check"
        assert not [e for e in await tx.audit_entries(limit=50) if ":" in e.action]


async def test_the_notice_speaks_the_persons_language_and_waits_for_the_morning(
    relais: Relais,
) -> None:
    amina, marie, _ = await marie_on_aminas_page(relais)
    await marie.play(
        """
        > [Corriger le CV]
        > [Contact]
        > [✏️ Ville]
        > Créteil Centre
        > [↩ Retour]
        > [Terminé]
        < sera prévenu(e) de ce qui a changé : Ville.
        """
    )
    await amina.play("> /language\n> [English]")  # she reads English now
    evening = NOW.replace(hour=20, minute=30)  # 21:30 in Paris
    morning = NOW.replace(hour=7, minute=30) + timedelta(days=1)  # 08:30 in Paris
    async with relais.storage.transaction() as tx:
        assert await take_due(tx, relais.catalogs, "test", evening, "amina") == []
    async with relais.storage.transaction() as tx:
        due = await take_due(tx, relais.catalogs, "test", morning, "amina")
    assert [d.message.text for d in due] == [
        "Your volunteer corrected your CV: Town. You can see it in “My CV”."
    ]


async def test_leaving_midway_keeps_the_changes_and_tells_the_person(relais: Relais) -> None:
    _, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play(
        """
        > [Corriger le CV]
        > [Vous]
        > [✏️ Présentation]
        > Sérieuse, 5 ans de ménage en entreprise.
        < Présentation : Sérieuse, 5 ans de ménage en entreprise.
        > /people
        < sera prévenu(e) de ce qui a changé : Présentation.
        < Personnes suivies
        """
    )
    assert (await session_of(relais, "marie"))["stack"] == []
    assert "Votre bénévole a corrigé votre CV : Présentation." in await notices_of(relais, "amina")
    async with relais.storage.transaction() as tx:
        assert (await tx.followup_of(amina_id)).cv_status == "to_check"


async def test_a_change_by_the_person_meanwhile_is_never_overwritten(relais: Relais) -> None:
    amina, marie, _ = await marie_on_aminas_page(relais)
    await marie.play(OPEN_THE_JOB + "> [✏️ Dates]\n> 2019\n< encore ce travail")
    await amina.play(
        """
        > /menu
        > [Mon CV]
        > [Expériences (1)]
        > [1. Agent d'entretien]
        > [✏️ Dates]
        > 04/2021
        > [Oui]
        < Dates : avril 2021 – aujourd'hui
        """
    )
    await marie.play(
        """
        > [Non]
        < Ce CV vient d'être changé par quelqu'un d'autre
        < Dates : avril 2021 – aujourd'hui
        """
    )
    job = (await profile(relais, "amina"))["cv_experiences"][0]
    assert (job["exp_start"], job["exp_current"]) == ("2021-04", True)
    assert await drafts(relais) == []


async def test_the_person_erasing_meanwhile_ends_the_correction(relais: Relais) -> None:
    amina, marie, amina_id = await marie_on_aminas_page(relais)
    await marie.play(OPEN_THE_JOB + "> [✏️ Dates]\n> 2019\n< encore ce travail")
    await amina.play(
        """
        > /menu
        > [Mes données]
        > [Tout effacer]
        > [Oui]
        < Tout est effacé
        """
    )
    assert await drafts(relais) == []
    await marie.play(f"> [Non]\n< {NOT_FOUND}")
    assert (await session_of(relais, "marie"))["stack"] == []
    async with relais.storage.transaction() as tx:
        assert await tx.person_by_id(amina_id) is None
        assert await tx.profile_of(amina_id) == {}


async def test_only_a_volunteer_of_the_persons_centre_may_correct(relais: Relais) -> None:
    amina, marie, amina_id = await marie_on_aminas_page(relais)
    leo = await join(relais, "leo", "lyon")
    for verb in ("cc", "cj"):
        await leo.send(Inbound(EventKind.BUTTON, data=f"V:{verb}:{amina_id}"))
        assert leo.text == NOT_FOUND, verb
    assert await relais.document("test", "leo", f"cv_json:{amina_id}") is None
    # forged: someone unknown, no number, the person herself
    await marie.send(Inbound(EventKind.BUTTON, data="V:cc:99999"))
    assert marie.text == NOT_FOUND
    await marie.send(Inbound(EventKind.BUTTON, data="V:cc:abc"))
    assert STALE in marie.text
    await amina.send(Inbound(EventKind.BUTTON, data=f"V:cc:{amina_id}"))
    assert "Correction du CV" not in amina.text and STALE in amina.text
    for user in ("leo", "amina"):
        stack = (await session_of(relais, user))["stack"]
        assert not [f for f in stack if f["flow"] == "desk_cv" or f.get("edit")], user


async def test_a_volunteer_removed_midway_changes_nothing_more(relais: Relais) -> None:
    _, marie, _ = await marie_on_aminas_page(relais)
    marie_id = await person_id(relais, "marie")
    await marie.play(OPEN_THE_JOB + "> [✏️ Employeur]\n< Aujourd'hui, le CV dit : Propreté Plus")
    async with relais.storage.transaction() as tx:
        await tx.revoke_roles(marie_id, ("paris11",))
    await marie.type("Net Services")
    assert "Employeur : Net Services" not in marie.text
    assert (await profile(relais, "amina"))["cv_experiences"][0]["exp_employer"] == "Propreté Plus"
    assert (await session_of(relais, "marie"))["stack"] == []
    assert await drafts(relais) == []


async def test_another_volunteer_erased_meanwhile_leaves_no_draft(relais: Relais) -> None:
    _, marie, _ = await marie_on_aminas_page(relais)
    marie_id = await person_id(relais, "marie")
    await marie.play(OPEN_THE_JOB + "> [✏️ Employeur]")
    assert len(await drafts(relais)) == 1
    async with relais.storage.transaction() as tx:
        await tx.erase_person(marie_id, ERASED, marie_id)
    assert await drafts(relais) == []


async def test_json_resume_is_on_the_volunteers_side_and_audited(relais: Relais) -> None:
    amina, marie, amina_id = await marie_on_aminas_page(relais)
    await amina.play("> /menu\n> [Mon CV]\n< Recevoir mon CV (PDF)\n! JSON")
    await marie.play(
        """
        > [JSON Resume]
        < au format JSON Resume (un format ouvert, pour un site d'emploi ou un autre logiciel)
        """
    )
    assert [m.document for m in marie.replies[0].messages if m.document] == [f"cv_json:{amina_id}"]
    document = await relais.document("test", "marie", f"cv_json:{amina_id}")
    assert document is not None and document.mime == "application/json"
    assert json.loads(document.data)["basics"]["name"] == "Amina BENALI"
    async with relais.storage.transaction() as tx:
        actions = [e.action for e in await tx.audit_entries(limit=50)]
    assert actions[0] == "cv_json"
    # the person reads it in her own data, with the corrections, without any value
    await marie.play("> [Corriger le CV]\n> [Savoir-faire]\n> [✏️ Qualités]\n> [Autonome]")
    await marie.play("> [Valider]\n> [Passer]\n> [↩ Retour]\n> [Terminé]")
    text = await relais.document("test", "amina", "my_data_txt")
    assert text is not None
    content = text.data.decode("utf-8")
    assert "un bénévole de votre centre a téléchargé votre CV au format JSON Resume" in content
    assert "un bénévole de votre centre a corrigé votre CV : Qualités." in content


async def test_the_persons_own_change_is_never_written_over_the_volunteers(
    relais: Relais,
) -> None:
    amina, marie, _ = await marie_on_aminas_page(relais)
    await amina.play(
        """
        > /menu
        > [Mon CV]
        > [Expériences (1)]
        > [1. Agent d'entretien]
        > [✏️ Employeur]
        < Aujourd'hui, votre CV dit : Propreté Plus
        """
    )
    await marie.play(OPEN_THE_JOB + "> [✏️ Employeur]\n> Propreté Plus SARL\n< C'est enregistré.")
    await amina.play(
        """
        > Propreté plus
        < Ce CV vient d'être changé par quelqu'un d'autre
        < Employeur : Propreté Plus SARL
        """
    )
    assert (await profile(relais, "amina"))["cv_experiences"][0]["exp_employer"] == (
        "Propreté Plus SARL"
    )


async def test_a_deletion_never_hits_another_item_than_the_one_shown(relais: Relais) -> None:
    amina, marie, _ = await marie_on_aminas_page(relais)
    await marie.play(
        """
        > [Corriger le CV]
        > [Langues (2)]
        > [➕ Ajouter]
        > [Anglais]
        > [Débutant]
        < 3. Anglais : Débutant
        """
    )
    await amina.play(
        """
        > /menu
        > [Mon CV]
        > [Langues (3)]
        > [2. Français]
        > [🗑 Supprimer]
        < Supprimer « Français : Intermédiaire » ?
        """
    )
    await marie.play("> [1. Arabe]\n> [🗑 Supprimer]\n> [Oui]\n< C'est supprimé.")
    await amina.play(
        """
        > [Oui]
        < Ce CV vient d'être changé par quelqu'un d'autre
        < 1. Français : Intermédiaire
        < 2. Anglais : Débutant
        """
    )
    languages = (await profile(relais, "amina"))["cv_languages"]
    assert [lang["lang_name"] for lang in languages] == ["fr", "en"]


# -- hostile and random input in a correction -----------------------------------------------

_SEED: dict[str, Path] = {}
SECRETS = ("Amina", "Benali", "Propreté", "Nettoyer", "Créteil", "CAP cuisine", "Algérie")
correction_events = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=14),  # the n-th button on screen
        st.text(max_size=20),
        st.sampled_from(["/back", "/cancel", "/help", "/menu", "/people", "Passer", "effacer"]),
    ),
    min_size=1,
    max_size=15,
)


def seeded_correction(tmp_path_factory) -> tuple[Path, Path]:
    """(config, database) where Marie (Paris) is on the page of Amina, who has a CV."""
    if "db" not in _SEED:
        folder: Path = tmp_path_factory.mktemp("correction-seed")
        _SEED["config"] = folder / "relais.toml"
        _SEED["config"].write_text(CONFIG_TWO_CENTRES, encoding="utf-8")
        app = load_settings(_SEED["config"], env={"RELAIS_DATABASE": str(folder / "db.sqlite3")})

        async def seed() -> None:
            relais = await open_relais(app, clock=fixed_clock)
            try:
                await marie_on_aminas_page(relais)
            finally:
                await relais.close()

        asyncio.run(seed())
        _SEED["db"] = folder / "db.sqlite3"
    return _SEED["config"], _SEED["db"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(correction_events)
# found by CI: the family name's question answered with a Greek letter, then with a real name
@example(events=[0, 0, 0, 1, "µ"])
# found by a run: the JSON Resume read from the page ("cv_json" audited)
@example(events=[9, 1, 9])
@example(events=[0, 0, 0, 1, "Ab"])
def test_random_input_in_a_correction_never_crashes_nor_keeps_the_person_in_the_session(
    tmp_path_factory, events: list[int | str]
) -> None:
    folder: Path = tmp_path_factory.mktemp("correction")
    config, database = seeded_correction(tmp_path_factory)
    shutil.copyfile(database, folder / "db.sqlite3")
    app = load_settings(config, env={"RELAIS_DATABASE": str(folder / "db.sqlite3")})

    async def play() -> None:
        relais = await open_relais(app, clock=fixed_clock)
        try:
            marie = Conversation(relais, user="marie")
            amina_id = await person_id(relais, "amina")
            await marie.type(f"/person {amina_id}")
            await marie.press("Corriger le CV")
            for event in events:
                if isinstance(event, int):
                    if marie.buttons:
                        await marie.send(
                            Inbound(
                                EventKind.BUTTON,
                                data=marie.buttons[event % len(marie.buttons)].data,
                            )
                        )
                else:
                    await marie.type(event)
                session = json.dumps(await session_of(relais, "marie"), ensure_ascii=False)
                assert not [s for s in SECRETS if s in session], (event, session)
            async with relais.storage.transaction() as tx:
                actions = [e.action for e in await tx.audit_entries(limit=200)]
                kept = await tx.profile_of(amina_id)
            # the volunteer's reads of the CV (PDF, JSON Resume) are audited too
            assert all(a in ("profile", "cv", "cv_json") or ACTION.match(a) for a in actions), (
                actions
            )
            # a name is never taken off (it is required); it changes only by a correction the
            # audit records (random text can be a valid name: "Ab")
            renamed = "cv_edit:last_name" in actions
            assert kept.get("last_name") == "Benali" or (renamed and kept.get("last_name"))
        finally:
            await relais.close()

    asyncio.run(play())


async def test_menu_midway_shows_the_volunteers_own_menu_and_tells_the_person(
    relais: Relais,
) -> None:
    _, marie, _ = await marie_on_aminas_page(relais)
    await marie.play(
        """
        > [Corriger le CV]
        > [Savoir-faire]
        > [✏️ Autres savoir-faire]
        > Couture, repassage
        < Autres savoir-faire : Couture, repassage
        > /menu
        < sera prévenu(e) de ce qui a changé : Autres savoir-faire.
        < Que voulez-vous faire ?
        ! Mon CV
        """
    )
    assert "Votre bénévole a corrigé votre CV : Autres savoir-faire." in await notices_of(
        relais, "amina"
    )
    assert await drafts(relais) == []
