""" "Mon CV": each entry of a list (a task, a job, a diploma, a language) is changed on its own,
without losing the others. A task is saved as soon as it is written; "Annuler" drops only the
change being asked; "Passer" on something the CV already says keeps it as it is; "Effacer"
takes an optional answer off the CV."""

from __future__ import annotations

from bot.testing.conversation import Conversation
from tests.test_flow_cv import CV_FR, ONBOARDING_FR, pdf_text, profile_of

# Amina's job, as CV_FR builds it: two tasks, no third one
JOB = "> [Mon CV]\n> [Expériences (1)]\n> [1. Agent d'entretien]\n"


async def job_of(chat: Conversation, index: int = 0) -> dict:
    return (await profile_of(chat))["cv_experiences"][index]


async def test_a_new_first_task_is_kept_when_the_second_is_cancelled(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        JOB
        + """
        > [✏️ Tâches]
        < Écrivez une tâche
        < Aujourd'hui, votre CV dit : Nettoyer des bureaux
        > Nettoyer les bureaux et les écoles
        < Une autre tâche ?
        < Aujourd'hui, votre CV dit : Vider les poubelles
        > [Annuler]
        ! rien n'a changé
        < Ce que vous avez déjà écrit est enregistré.
        < Tâches : Nettoyer les bureaux et les écoles · Vider les poubelles
        """
    )
    job = await job_of(chat)
    assert job["exp_task1"] == "Nettoyer les bureaux et les écoles"
    assert job["exp_task2"] == "Vider les poubelles"
    assert "Nettoyer les bureaux et les écoles" in await pdf_text(chat)


async def test_passer_on_a_task_keeps_it(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        JOB
        + """
        > [✏️ Tâches]
        > Nettoyer les bureaux
        < Une autre tâche ?
        > [Passer]
        < Une dernière tâche ?
        > [Passer]
        < C'est enregistré.
        < Tâches : Nettoyer les bureaux · Vider les poubelles
        """
    )
    job = await job_of(chat)
    assert (job["exp_task1"], job["exp_task2"]) == ("Nettoyer les bureaux", "Vider les poubelles")
    assert "exp_task3" not in job
    assert "Vider les poubelles" in await pdf_text(chat)


async def test_passer_typed_keeps_the_employer(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        JOB
        + """
        > [✏️ Employeur]
        < Aujourd'hui, votre CV dit : Propreté Plus
        > passer
        < Employeur : Propreté Plus
        """
    )
    assert (await job_of(chat))["exp_employer"] == "Propreté Plus"


async def test_effacer_takes_an_optional_answer_off_the_cv(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        JOB
        + """
        > [✏️ Tâches]
        > [Annuler]
        < rien n'a changé
        > [✏️ Tâches]
        > [Passer]
        < Une autre tâche ?
        > [🗑 Effacer]
        < C'est enregistré.
        < Tâches : Nettoyer des bureaux
        ! Vider les poubelles
        > [✏️ Employeur]
        > effacer
        < Employeur : —
        """
    )
    job = await job_of(chat)
    assert "exp_task2" not in job and "exp_employer" not in job
    assert job["exp_task1"] == "Nettoyer des bureaux"
    # nothing to take off: no "Effacer" where the CV says nothing
    await chat.play("> [✏️ Employeur]\n! Effacer\n> [Passer]\n< Employeur : —")


async def test_a_third_task_survives_when_the_second_is_taken_off(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        JOB
        + """
        > [✏️ Tâches]
        > [Passer]
        > [Passer]
        < Une dernière tâche ?
        > Sortir les poubelles
        < Tâches : Nettoyer des bureaux · Vider les poubelles · Sortir les poubelles
        > [✏️ Tâches]
        > [Passer]
        > [Effacer]
        < Tâches : Nettoyer des bureaux · Sortir les poubelles
        """
    )
    job = await job_of(chat)
    assert "exp_task2" not in job
    assert job["exp_task3"] == "Sortir les poubelles"
    text = await pdf_text(chat)
    assert "Sortir les poubelles" in text and "Vider les poubelles" not in text


async def test_a_diploma_keeps_its_school_and_year_when_passed(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        """
        > [Mon CV]
        > [Diplômes et formations (1)]
        > [1. CAP cuisine]
        > [✏️ École]
        > Lycée Ibn Khaldoun
        < École : Lycée Ibn Khaldoun
        > [✏️ Année]
        < Aujourd'hui, votre CV dit : 2015
        > [Passer]
        < Année : 2015
        > [✏️ École]
        > [Passer]
        < École : Lycée Ibn Khaldoun
        """
    )
    diploma = (await profile_of(chat))["cv_education"][0]
    assert diploma["edu_school"] == "Lycée Ibn Khaldoun"
    assert diploma["edu_year"] == "2015"


async def test_each_language_and_job_is_changed_on_its_own(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        """
        > [Mon CV]
        > [Langues (2)]
        > [2. Français : Intermédiaire]
        > [✏️ Niveau]
        > [Courant]
        < Niveau : Courant
        > [↩ Retour]
        > [1. Arabe]
        > [✏️ Langue]
        < Quelle langue ?
        > [Annuler]
        < rien n'a changé
        > [↩ Retour]
        < 1. Arabe : Langue maternelle
        < 2. Français : Courant
        > [↩ Retour]
        > [Expériences (1)]
        > [➕ Ajouter]
        > Plongeur
        > [Passer]
        > Lyon
        > 2018
        > [Non]
        > 2019
        > Laver la vaisselle
        > [Passer]
        < 2. Plongeur
        > [2. Plongeur]
        > [✏️ Dates]
        > 2017
        < Vous faites encore ce travail aujourd'hui ?
        > [Annuler]
        < rien n'a changé
        < Dates : 2018 – 2019
        > [↩ Retour]
        < 1. Agent d'entretien
        """
    )
    profile = await profile_of(chat)
    assert [lang["lang_level"] for lang in profile["cv_languages"]] == ["native", "fluent"]
    first, second = profile["cv_experiences"]
    assert first["exp_task2"] == "Vider les poubelles"
    assert (second["exp_start"], second["exp_end"]) == ("2018", "2019")
