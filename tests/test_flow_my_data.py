"""Mes données: a person sees what Relais knows, receives all of it as files, or erases it all."""

from __future__ import annotations

import json
from typing import Any

from bot.service import Relais
from bot.testing.conversation import Conversation
from tests.test_flow_self_assessment import AMINA_FR
from tests.test_flow_self_assessment import ONBOARDING_FR as ONBOARDING_PARIS

ONBOARDING_EN = """
> /start
> [English]
> [Yes]
> [Lyon]
> John
< What would you like to do?
"""

ASSESSMENT_EN = """
> [My assessment]
< Do you speak French?
> [A little]
> [Well]
> [Not yet]
> [Well]
> no
> [Yes, with help]
> [Studies after the bac]
> [In another country]
> [No]
< Have you worked before?
> [Yes]
> Nurse
> [Caring for people]
> [More than 2 years]
> [In another country]
> [No]
< What work can you do right away?
> [Caring for people]
> [Done]
< what job do you really want to do?
> [Caring for people]
> [Done]
> [26 or older]
> [No]
> [By bus]
> [Done]
> [1 hour]
> [Licence from another country]
> [Monday to Friday]
> [In the morning]
> [Done]
> [Skip]
> [Right away]
> [In the next few months]
> [Yes]
> [No]
< Here is your assessment
"""

# the rest of Amina's self-assessment (children, transport, postcode, a start date, urgent)
AMINA_FR_END = """
> [Oui]
> [3 ans ou plus]
> [Aux heures d'école]
> [À pied]
> [En transports]
> [Valider]
> [30 minutes]
> [Non]
> [Du lundi au vendredi]
> [Le matin]
> [Valider]
> 75 011
> [À partir d'une date]
> 01/12/2026
> [très vite]
> [Oui]
> [Non]
< Voici votre bilan
"""

# Her CV after the self-assessment: what she already said (no e-mail, work, postcode, days) is
# not asked
AMINA_CV_FR = """
> [Faire mon CV]
> Benali
< Amina BENALI
> [Oui]
> 06 12 34 56 78
< Dans quelle ville
> Créteil
< Quel travail cherchez-vous ?
> Agent d'entretien
> [Passer]
< Quel était ce travail ?
> Agent d'entretien
> Propreté Plus
> Créteil
> mars 2021
> [Oui]
> Nettoyer des bureaux
> [Passer]
> [Non]
> [Non, pas de diplôme]
> [Collège]
> [Dans un autre pays]
> Algérie
> [Arabe]
> [Langue maternelle]
> [Non]
> [Ménage et nettoyage]
> [Valider]
> [Nettoyer des bureaux]
> [Valider]
> [Passer]
> [Valider]
> [Valider]
> [Valider]
> [Passer]
> [Passer]
< Voici votre CV, en français.
"""

JOHN_CV_EN = """
> [Make my CV]
> O'Connor
> [Yes]
> +44 7911 123456
< Which town
> Lyon
> [Skip]
> Nurse
> [Skip]
< What was this job?
> Nurse
> St Mary's
> Dublin, Ireland
> March 2015
> [No]
> 06/2024
> Care for patients
> [Skip]
> [No]
> [No, no diploma]
> [High school]
> [In another country]
> Ireland
> [English]
> [Mother tongue]
> [No]
> [Caring for people]
> [Done]
> [Done]
> [Skip]
> [Done]
> [Done]
> [Done]
> [Skip]
> [Skip]
< Here is your CV, in French.
"""


async def my_files(chat: Conversation) -> tuple[str, dict[str, Any]]:
    """The two files "Recevoir mes données" sends, made as the channel makes them."""
    kinds = [m.document for r in chat.replies for m in r.messages if m.document]
    assert kinds == ["my_data_txt", "my_data_json"]
    text = await chat.relais.document(chat.channel, chat.user, "my_data_txt")
    data = await chat.relais.document(chat.channel, chat.user, "my_data_json")
    assert text is not None and data is not None
    assert text.mime == "text/plain" and text.filename == "relais-mes-donnees-2026-11-23.txt"
    assert data.mime == "application/json" and data.filename.endswith(".json")
    return text.data.decode("utf-8"), json.loads(data.data)


async def person_id(relais: Relais, user: str) -> int:
    async with relais.storage.transaction() as tx:
        person = await tx.find_person("test", user)
    assert person is not None and person.id is not None
    return person.id


async def test_a_person_sees_their_data_then_erases_it(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Lyon]
        > Amina
        > [Mes données]
        < Voici ce que je sais sur vous
        < Vous avez donné votre accord le 23 novembre 2026 (version 2026-11 de la notice).
        < Langue : Français
        < Centre : Lyon Part-Dieu
        < Prénom : Amina
        > [Garder mes données]
        < Rien ne change
        > [Mes données]
        > [Tout effacer]
        < Vos réponses, votre CV, votre suivi avec les bénévoles et votre accord seront effacés.
        < On ne pourra pas les retrouver.
        > [Oui]
        < C'est fait. Tout est effacé : Relais ne sait plus rien de vous.
        < Si vous voulez revenir, envoyez-moi un message. Nous recommencerons depuis le début.
        ! Que voulez-vous faire ?
        """
    )
    # no menu: its buttons would belong to a person who is no longer there
    assert not any(m.buttons for r in chat.replies for m in r.messages)
    async with chat.relais.storage.transaction() as tx:
        # the person is gone entirely, their platform id with them
        assert await tx.find_person("test", "ana") is None
    # coming back is starting afresh, with the language, as the last message said
    await chat.play(
        """
        > Bonjour
        < Choose your language.
        > [Français]
        < Vous êtes d'accord ?
        """
    )
    # nothing is kept any more, so there is nothing to send
    assert await chat.relais.document("test", "ana", "my_data_txt") is None
    assert await chat.relais.document("test", "ana", "my_data_json") is None


async def test_the_consent_is_recorded_with_the_notice_version_and_the_date(
    chat: Conversation,
) -> None:
    await chat.play("> /start\n> [Français]\n> [Oui]")
    async with chat.relais.storage.transaction() as tx:
        person = (await tx.load_state("test", "ana")).person
    assert person.consent_version == "2026-11"
    assert person.consent_at is not None and person.consent_at.isoformat().startswith(
        "2026-11-23T10:00"
    )


async def test_amina_receives_everything_relais_keeps_about_her_in_french(
    chat: Conversation,
) -> None:
    await chat.play(ONBOARDING_PARIS + AMINA_FR + AMINA_FR_END + AMINA_CV_FR)
    await chat.play(
        """
        > [Parler à un bénévole]
        > [Oui]
        < Votre demande est gardée.
        > [J'ai trouvé un travail !]
        > [CDD]
        > [Passer]
        < Un bénévole de votre centre va le confirmer.
        """
    )
    amina = await person_id(chat.relais, "ana")
    async with chat.relais.storage.transaction() as tx:
        # a volunteer sent the CV back with a note, marked her searching, met her
        await tx.update_followup(
            amina,
            cv_status="to_fix",
            cv_note="Ajoutez votre adresse e-mail.",
            searching=1,
            first_contact_at="2026-11-23T09:00:00.000000+00:00",
        )
    await chat.play(
        """
        > [Mes données]
        < Vous avez donné votre accord le 23 novembre 2026 (version 2026-11 de la notice).
        > [Recevoir mes données]
        < Voici tout ce que Relais garde sur vous, dans un fichier à lire.
        < Et les mêmes données au format JSON
        < Relais n'en garde pas de copie.
        < Que voulez-vous faire ?
        """
    )
    text, data = await my_files(chat)
    for expected in (
        "Relais : ce que Relais garde sur vous",
        "Vous avez donné votre accord le 23 novembre 2026 (version 2026-11 de la notice).",
        "Centre : Paris 11e",
        # the self-assessment, each answer under its question as the flow words it
        "■ Faire mon bilan\n• Vous parlez français ?\n  Un peu\n• Vous lisez le français ?",
        "1. Couturière (Plus de 2 ans)\n   • Quel était ce travail ?\n     Couturière",
        "• Quel travail pouvez-vous faire tout de suite ?\n  Ménage et nettoyage, "
        "Cuisine et restauration",
        "• quel métier voulez-vous vraiment faire ?\n  Ménage et nettoyage, Cuisine et "
        "restauration",
        "• À partir de quel jour ?\n  1 décembre 2026",
        # the CV
        "■ Faire mon CV\n",
        "• Quel est votre nom de famille ?\n  Benali",
        "• Quel est votre numéro de téléphone ?\n  06 12 34 56 78",
        "1. Agent d'entretien",
        "• Quand avez-vous commencé ?\n     mars 2021",
        # the follow-up, help requests and outcomes kept by the centre
        "CV : CV à corriger",
        "À corriger : Ajoutez votre adresse e-mail.",
        "Recherche active : oui",
        "Premier contact : 23 novembre 2026",
        "Bilan fait le 23 novembre 2026",
        "23 novembre 2026 : en attente d'un bénévole.",
        "Résultat : Travail trouvé – CDD – à confirmer (23 novembre 2026)",
        "23 novembre 2026 : vous avez demandé vos données.",
        # appointments have their own part since issue 12 (tests/test_desk_appointments.py)
        "■ Vos rendez-vous avec le centre",
        # job offers have their own part since issue 13 (tests/test_offer_answers.py)
        "■ Offres d'emploi\nVous recevez les offres d'emploi qui vous correspondent.",
    ):
        assert expected in text, f"{expected!r} not in:\n{text}"
    assert "Amina" in text and "Propreté Plus" in text
    # the JSON holds every answer as stored, and the same questions
    assert data["format"] == "relais-my-data"
    assert data["person"]["consent"]["version"] == "2026-11"
    assert data["person"]["consent"]["at"].startswith("2026-11-23T10:00")
    answers = data["answers"]
    assert answers["french_speaking"] == "a_little"
    assert answers["last_name"] == "Benali"
    assert answers["phone"] == "+33612345678"
    assert answers["start_date"] == "2026-12-01"
    assert [e["exp_title"] for e in answers["experiences"]] == [
        "Couturière",
        "Plonge au restaurant",
    ]
    asked = {(q["field"], q.get("item")): q for q in data["questions"]}
    assert asked[("french_speaking", None)]["question"] == "Vous parlez français ?"
    assert asked[("french_speaking", None)]["answer"] == "Un peu"
    assert asked[("exp_employer", 0)]["value"] == "Propreté Plus"
    assert data["cv_json_resume"]["basics"]["name"] == "Amina BENALI"
    assert data["followup"]["cv_status"] == "to_fix"
    assert data["followup"]["cv_note"] == "Ajoutez votre adresse e-mail."
    assert data["followup"]["searching"] is True
    assert len(data["help_requests"]) == 1
    assert data["outcomes"][0]["kind"] == "job" and data["outcomes"][0]["contract"] == "cdd"
    assert data["outcomes"][0]["confirmed"] is False


async def test_john_receives_his_data_in_english(relais: Relais) -> None:
    john = Conversation(relais, user="john")
    await john.play(ONBOARDING_EN + ASSESSMENT_EN + JOHN_CV_EN)
    await john.play(
        """
        > [My data]
        < You agreed on November 23, 2026 (version 2026-11 of the notice).
        > [Get my data]
        < Here is everything Relais keeps about you, in a file to read.
        """
    )
    text, data = await my_files(john)
    for expected in (
        "You agreed on November 23, 2026 (version 2026-11 of the notice).",
        "Language: English",
        "• Do you speak French?\n  A little",
        "• Can you read French?\n  Well",
        "1. Nurse (More than 2 years)",
        "• What is your family name?\n  O'Connor",
        "• When did you start?\n     March 2015",
        "CV: CV to check",
        "Actively searching: no",
    ):
        assert expected in text, f"{expected!r} not in:\n{text}"
    assert "Vous parlez français" not in text
    assert data["language"] == "en"
    assert data["answers"]["french_reading"] == "good"
    assert data["answers"]["last_name"] == "O'Connor"
    assert data["cv_json_resume"]["basics"]["name"] == "John O'CONNOR"
    asked = {q["field"]: q for q in data["questions"] if "item" not in q}
    assert asked["french_speaking"]["question"] == "Do you speak French?"


async def test_answers_of_a_flow_left_midway_are_in_the_export_too(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Lyon]
        > Amina
        > [Faire mon CV]
        > Benali
        > /menu
        > [Mes données]
        > [Recevoir mes données]
        """
    )
    text, data = await my_files(chat)
    assert "■ Faire mon CV (pas fini)\n• Quel est votre nom de famille ?\n  Benali" in text
    assert data["in_progress"] == {"cv": {"last_name": "Benali"}}
    assert "last_name" not in data["answers"]


async def test_mes_donnees_opens_on_the_data_again_not_on_the_erase_question(
    chat: Conversation,
) -> None:
    """Left at "Tout effacer ?" with /menu, "Mes données" shows the data again: a person who
    came to look is never met by the erase question (where a quick "1" erases everything)."""
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Lyon]
        > Amina
        > [Mes données]
        > [Tout effacer]
        < Tout effacer ?
        > /menu
        > [Mes données]
        ! On reprend là où vous en étiez.
        < Voici ce que je sais sur vous
        < Prénom : Amina
        < Que voulez-vous faire ?
        ! Tout effacer ?
        """
    )
    assert "Recevoir mes données" in chat.labels()


async def test_the_choices_made_in_mes_donnees_are_not_the_persons_data(
    chat: Conversation,
) -> None:
    await chat.play(
        """
        > /start
        > [Français]
        > [Oui]
        > [Lyon]
        > Amina
        > [Mes données]
        > [Tout effacer]
        > [Non]
        > [Mes données]
        > [Recevoir mes données]
        """
    )
    text, data = await my_files(chat)
    assert "Que voulez-vous faire ?" not in text and "Tout effacer ?" not in text
    assert "■ Mes données" not in text
    assert data["answers"] == {"first_name": "Amina"}
    assert data["in_progress"] == {}


async def test_mes_donnees_shows_the_plan_answers_and_a_language_typed_by_name(
    chat: Conversation,
) -> None:
    """Fatou, a mother of two small children, answered the questions of the plan (a job now,
    her age, her children's ages, France Travail) and typed her mother tongue, Wolof, under
    "Une autre langue": "Mes données" shows all of it, and the language by its name."""
    fatou_end = AMINA_FR_END.replace("[3 ans ou plus]", "[Moins de 3 ans]").replace(
        "[Aux heures d'école]", "[Non, pas encore]"
    )
    fatou_cv = AMINA_CV_FR.replace("> [Arabe]\n", "> [Une autre langue]\n> wolof\n")
    await chat.play(ONBOARDING_PARIS + AMINA_FR + fatou_end + fatou_cv)
    await chat.play(
        """
        > [Mes données]
        < Travail tout de suite : Ménage et nettoyage, Cuisine et restauration
        < Âge : 26 ans ou plus
        < Âge des enfants : moins de 3 ans
        < Inscription à France Travail : Oui
        < CV – langues : wolof : Langue maternelle
        ! Une autre langue
        """
    )
