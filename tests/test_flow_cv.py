"""CV builder: a person builds a CV in the chat, corrects it in "Mon CV", and gets a PDF."""

from __future__ import annotations

import io

import pypdf

from bot.core.domain import EventKind, Inbound
from bot.testing.conversation import Conversation

ONBOARDING_FR = """
> /start
> [Français]
> [Oui]
> [Lyon]
> Amina
"""

# A whole CV in French: one job still held, one diploma from abroad, two languages.
CV_FR = """
> [Faire mon CV]
< Nous allons faire votre CV
< Quel est votre nom de famille ?
! Quel est votre prénom ?
> Benali
< Sur votre CV, votre nom sera écrit comme ceci :
< BENALI
> [Oui]
< numéro de téléphone
> 06 12 34 56 78
< adresse e-mail
> amina.benali@example.fr
> Créteil
< code postal
> 94000
> Agent d'entretien
> [Passer]
< Vous avez déjà travaillé ?
> [Oui]
< Commencez par le plus récent
> Agent d'entretien
> Propreté Plus
> Créteil
< Quand avez-vous commencé ?
> mars 2021
< encore ce travail
> [Oui]
< Écrivez une tâche
> Nettoyer des bureaux
> Vider les poubelles
> [Passer]
< Vous avez eu un autre travail ?
> [Non]
< Vous avez un diplôme
> [Oui]
> CAP cuisine
> [Dans un autre pays]
< Dans quel pays ?
> Algérie
< En France, ce diplôme correspond à quel niveau ?
> [CAP, BEP (niveau 3)]
> [Passer]
< En quelle année ?
> 2015
> [Non]
< Commencez par votre langue maternelle
> [Arabe]
> [Langue maternelle]
> [Oui]
> [Français]
> [Intermédiaire]
> [Non]
< Vos savoir-faire
> [Ménage et nettoyage]
> [Valider]
< Ménage et nettoyage : qu'est-ce que vous savez faire ?
> [Nettoyer des bureaux]
> [Laver les vitres]
> [Valider]
> Couture
> [Ponctuel]
> [Valider]
< Sur votre CV, comment écrire vos qualités ?
> [Au féminin]
> [Permis B]
> [Valider]
> [SST]
> [Valider]
> [Passer]
> [Du lundi au vendredi]
> [Le matin]
> [Valider]
< en dehors du travail
> Football
< Voici votre CV, en français.
< Mon CV
"""


async def profile_of(chat: Conversation) -> dict:
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state(chat.channel, chat.user)
    return state.profile


async def pdf_text(chat: Conversation) -> str:
    document = await chat.relais.document(chat.channel, chat.user, "cv_pdf")
    assert document is not None
    assert document.mime == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(document.data))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_a_person_builds_a_cv_and_receives_it_as_a_pdf(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    sent = [m for r in chat.replies for m in r.messages if m.document]
    assert [m.document for m in sent] == ["cv_pdf"]
    profile = await profile_of(chat)
    assert profile["last_name"] == "Benali"
    assert profile["phone"] == "+33612345678"
    assert profile["cv_experiences"] == [
        {
            "exp_title": "Agent d'entretien",
            "exp_employer": "Propreté Plus",
            "exp_place": "Créteil",
            "exp_start": "2021-03",
            "exp_current": True,
            "exp_task1": "Nettoyer des bureaux",
            "exp_task2": "Vider les poubelles",
        }
    ]
    assert profile["cv_education"][0]["edu_country"] == "Algérie"
    text = await pdf_text(chat)
    for words in (
        "Amina BENALI",
        "06 12 34 56 78",
        "amina.benali@example.fr",
        "Agent d'entretien",
        "Propreté Plus",
        "mars 2021 – aujourd'hui",
        "Nettoyer des bureaux",
        "CAP cuisine (Algérie) — équivalent niveau 3 (CAP, BEP)",
        "Arabe",
        "Langue maternelle",
        "Français : Niveau intermédiaire",
        "Nettoyage de bureaux",
        "Lavage des vitres",
        "Couture",
        "Qualités\nPonctuelle",
        "Permis B",
        "SST (secourisme au travail)",
        "Football",
        "Expérience professionnelle",
        "Formation",
        "Langues",
        "Compétences",
    ):
        assert words in text, words


async def test_answers_already_given_are_not_asked_again(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR)
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state(chat.channel, chat.user)
        state.profile.update(
            {
                "email": "amina@example.fr",
                "postcode": "75011",
                "has_worked": False,
                "driving_licence": "none",
                "days_available": "every_day",
                "hours_available": ["morning"],
            }
        )
        await tx.save_state(state)
    await chat.play(
        """
        > [Faire mon CV]
        > Benali
        > [Oui]
        > 0612345678
        < Dans quelle ville
        ! adresse e-mail
        > Paris
        < Quel travail cherchez-vous ?
        ! code postal
        > Vendeuse
        > [Passer]
        < Vous avez un diplôme
        ! Vous avez déjà travaillé
        > [Non, pas de diplôme]
        < Votre dernière école, c'était :
        > [Collège]
        < C'était où ?
        > [En France]
        > [Français]
        > [Langue maternelle]
        > [Non]
        > [Un autre métier]
        > [Valider]
        > [Passer]
        > [Valider]
        < Vous avez un véhicule ?
        ! permis de conduire
        > [Valider]
        > [Valider]
        > [Passer]
        < en dehors du travail
        ! Quels jours
        > [Passer]
        < Voici votre CV
        """
    )
    profile = await profile_of(chat)
    assert profile["email"] == "amina@example.fr"
    assert profile["hours_available"] == ["morning"]
    text = await pdf_text(chat)
    assert "amina@example.fr" in text
    assert "75011" in text
    # no diploma: the Formation section says how far the person went at school
    assert "Formation\nNiveau 3e" in text


async def test_no_email_in_the_bilan_means_no_email_question_in_the_cv(
    chat: Conversation,
) -> None:
    # Yanis said "j'ai pas de mail" in his self-assessment: the CV does not ask again
    await chat.play(ONBOARDING_FR)
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state(chat.channel, chat.user)
        state.profile["has_email"] = False
        await tx.save_state(state)
    await chat.play(
        """
        > [Faire mon CV]
        > Benali
        > [Oui]
        > 0612345678
        < Dans quelle ville
        ! adresse e-mail
        """
    )


async def test_stop_midway_and_continue_later(chat: Conversation) -> None:
    await chat.play(
        ONBOARDING_FR
        + """
        > [Faire mon CV]
        > Benali
        > [Oui]
        > 0612345678
        > /menu
        < Que voulez-vous faire ?
        > [Faire mon CV]
        < On reprend là où vous en étiez
        < adresse e-mail
        """
    )


async def test_an_experience_is_corrected_and_the_pdf_follows(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        """
        > [Mon CV]
        < Voici votre CV, partie par partie
        > [Expériences (1)]
        < 1. Agent d'entretien
        > [1. Agent d'entretien]
        < Dates : mars 2021 – aujourd'hui
        > [✏️ Dates]
        < Aujourd'hui, votre CV dit : mars 2021
        > 03/2021
        > [Non]
        < Quand avez-vous arrêté ?
        > 01/2021
        < La fin ne peut pas être avant le début (mars 2021)
        > 02/2024
        < C'est enregistré.
        < Dates : mars 2021 – février 2024
        > [✏️ Employeur]
        < Aujourd'hui, votre CV dit : Propreté Plus
        > Net Services
        < Employeur : Net Services
        """
    )
    item = (await profile_of(chat))["cv_experiences"][0]
    assert item["exp_current"] is False
    assert item["exp_end"] == "2024-02"
    assert item["exp_employer"] == "Net Services"
    text = await pdf_text(chat)
    assert "mars 2021 – février 2024" in text
    assert "Net Services" in text
    assert "Propreté Plus" not in text
    assert "aujourd'hui" not in text


async def test_a_job_still_held_loses_its_end_date(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        """
        > [Mon CV]
        > [Expériences]
        > [1.]
        > [✏️ Dates]
        > 2019
        > [Non]
        > 2020
        < Dates : 2019 – 2020
        > [✏️ Dates]
        > 2019
        > [Oui]
        < Dates : 2019 – aujourd'hui
        """
    )
    item = (await profile_of(chat))["cv_experiences"][0]
    assert "exp_end" not in item


async def test_add_and_delete_items(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        """
        > [Mon CV]
        > [Expériences (1)]
        > [➕ Ajouter]
        < Quel était ce travail ?
        > Plongeur
        > [Passer]
        > Lyon
        > 2018
        > [Non]
        > 2019
        > Laver la vaisselle
        > [Passer]
        < C'est enregistré.
        < 2. Plongeur
        > [2. Plongeur]
        > [🗑 Supprimer]
        < Supprimer « Plongeur » ?
        > [Non]
        < 2. Plongeur
        > [2. Plongeur]
        > [🗑 Supprimer]
        > [Oui]
        < C'est supprimé.
        ! Plongeur
        > [↩ Retour]
        > [Diplômes et formations (1)]
        > [1. CAP cuisine]
        > [🗑 Supprimer]
        > [Oui]
        < Rien pour l'instant.
        """
    )
    profile = await profile_of(chat)
    assert len(profile["cv_experiences"]) == 1
    assert profile["cv_education"] == []


async def test_a_change_can_be_cancelled_and_a_command_drops_it(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        """
        > [Mon CV]
        > [Vous]
        > [✏️ Nom]
        < Aujourd'hui, votre CV dit : Benali
        > [Annuler]
        < rien n'a changé
        < Nom : Benali
        > [✏️ Nom]
        > /menu
        < Que voulez-vous faire ?
        > [Mon CV]
        < On reprend là où vous en étiez
        < Nom : Benali
        ! Aujourd'hui, votre CV dit
        """
    )
    assert (await profile_of(chat))["last_name"] == "Benali"


async def test_typed_text_picks_a_review_choice(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play(
        """
        > [Mon CV]
        > contact
        < Téléphone : 06 12 34 56 78
        > 1
        < Quel est votre numéro de téléphone ?
        > 07 98 76 54 32
        < Téléphone : 07 98 76 54 32
        > n'importe quoi
        < Je n'ai pas compris
        < Téléphone : 07 98 76 54 32
        """
    )


async def test_forged_review_buttons_are_refused(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR + "> [Mon CV]\n> [Expériences (1)]")
    seq = chat.buttons[0].data.split(":")[0]
    for token in ("o7", "o-1", "e0", "x", "g99", "v:yes", "oabc", "a:x"):
        await chat.send(Inbound(EventKind.BUTTON, data=f"{seq}:{token}"))
        assert "Ce bouton ne marche plus" in chat.text, token
        assert "1. Agent d'entretien" in chat.text  # the same screen again
    profile = await profile_of(chat)
    assert len(profile["cv_experiences"]) == 1


async def test_the_list_of_experiences_has_a_maximum(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR + CV_FR)
    await chat.play("> [Mon CV]\n> [Expériences (1)]")
    for n in range(2, 11):
        await chat.play(
            f"""
            > [➕ Ajouter]
            > Travail {n}
            > [Passer]
            > [Passer]
            > 2010
            > [Non]
            > 2011
            > Tâche {n}
            > [Passer]
            < {n}. Travail {n}
            """
        )
    await chat.play(
        """
        > [➕ Ajouter]
        < Vous en avez déjà 10 : c'est le maximum.
        """
    )
    assert len((await profile_of(chat))["cv_experiences"]) == 10
    text = await pdf_text(chat)
    assert "Travail 10" in text and "Tâche 2" in text


async def test_the_build_loop_stops_at_ten_experiences(chat: Conversation) -> None:
    await chat.play(
        ONBOARDING_FR
        + """
        > [Faire mon CV]
        > Benali
        > [Oui]
        > 0612345678
        > [Passer]
        > Lyon
        > [Passer]
        > Plongeur
        > [Passer]
        > [Oui]
        """
    )
    for n in range(1, 11):
        await chat.play(
            f"> Travail {n}\n> [Passer]\n> [Passer]\n> 2010\n> [Oui]\n> Tâche\n> [Passer]"
        )
        if n < 10:
            await chat.play("< Vous avez eu un autre travail ?\n> [Oui]")
    await chat.play("< Vous avez un diplôme")


async def test_bad_input_in_the_cv_gets_a_clear_message_and_the_question_again(
    chat: Conversation,
) -> None:
    await chat.play(
        ONBOARDING_FR
        + """
        > [Faire mon CV]
        > Benali 😀
        < Écrivez seulement les lettres de votre nom
        < Quel est votre nom de famille ?
        > Benali
        > [Oui]
        > 12
        < Il manque des chiffres à ce numéro
        > 0612345678
        > [Passer]
        > Lyon
        > [Passer]
        > Plongeur
        > [Passer]
        > [Oui]
        > .
        < trop courte
        < Quel était ce travail ?
        > Plongeur
        > [Passer]
        > [Passer]
        > 05/2027
        < pas encore arrivé
        > 31/02/2021
        < Cette date n'existe pas
        > 13/2021
        < Un mois va de 1 à 12
        > hier soir
        < Écrivez le mois et l'année
        > 05/2020
        > [Non]
        > 2019
        < La fin ne peut pas être avant le début (mai 2020)
        > 2021
        < Écrivez une tâche
        """
    )
    await chat.type("x" * 5000)
    assert "trop longue" in chat.text
    assert "Écrivez une tâche" in chat.text
    await chat.send(Inbound(EventKind.MEDIA, media="sticker"))
    assert "Je ne peux pas lire les photos" in chat.text
    assert "Écrivez une tâche" in chat.text


async def test_in_english_the_chat_is_english_and_the_cv_french(chat: Conversation) -> None:
    await chat.play(
        """
        > /start
        > [English]
        > [Yes]
        > [Lyon]
        > John
        > [Make my CV]
        < What is your family name?
        > O'Connor
        < John O'CONNOR
        > [Yes]
        > +44 7911 123456
        > [Skip]
        > Lyon
        > [Skip]
        > Cook
        > [Skip]
        < Have you worked before?
        > [Yes]
        > Line cook
        > The Crown
        > Manchester, UK
        > March 2019
        < Do you still do this job today?
        > [Yes]
        > Prepare starters
        > [Skip]
        < Have you had another job?
        > [No]
        > [No, no diploma]
        > [High school]
        > [In another country]
        > UK
        > [English]
        > [Mother tongue]
        > [No]
        > [Another job]
        > [Done]
        > [Skip]
        > [Done]
        > [No]
        > [Done]
        > [Done]
        > [Skip]
        > [Every day]
        > [In the morning]
        > [Done]
        > [Skip]
        < Here is your CV, in French.
        > [My CV]
        < Here is your CV, part by part.
        > [Work experience (1)]
        > [1. Line cook]
        > [Dates]
        < Right now, your CV says: March 2019
        > 03/2019
        > [No]
        < When did you stop?
        > 10/2025
        < It is saved.
        < March 2019 – October 2025
        """
    )
    text = await pdf_text(chat)
    for words in (
        "John O'CONNOR",
        "Scolarité jusqu'au lycée (UK)",
        "+44 7911 123456",
        "Line cook",
        "The Crown — Manchester, UK",
        "mars 2019 – octobre 2025",
        "Anglais : Langue maternelle",
        "Expérience professionnelle",
        "Disponibilités",
    ):
        assert words in text, words
    assert "March" not in text and "Work experience" not in text


async def test_my_data_shows_the_cv_and_erasing_forgets_it(chat: Conversation) -> None:
    await chat.play(
        ONBOARDING_FR
        + CV_FR
        + """
        > [Mes données]
        < Nom : Benali
        < Téléphone : 06 12 34 56 78
        < CV – travaux : Agent d'entretien
        < CV – langues : Arabe : Langue maternelle; Français : Intermédiaire
        > [Tout effacer]
        > [Oui]
        < Tout est effacé
        ! Mon CV
        """
    )
    async with chat.relais.storage.transaction() as tx:
        # the person goes, and their follow-up with them (tests/test_erasure.py)
        assert await tx.find_person(chat.channel, chat.user) is None
    assert await profile_of(chat) == {}
    assert await chat.relais.document(chat.channel, chat.user, "cv_pdf") is None
