"""The self-assessment played as whole conversations, up to the summary and the plan."""

from __future__ import annotations

from bot.testing.conversation import Conversation

ONBOARDING_FR = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> Amina
< Que voulez-vous faire ?
"""

# Amina: little French, no diploma, two jobs abroad and in France, children, no car, urgent.
AMINA_FR = """
> [Faire mon bilan]
< Partie 1 sur 5
< Vous parlez français ?
> [Un peu]
> [Pas encore]
> [Pas encore]
< Vous savez utiliser un smartphone ?
> [Un peu]
> [Non]
< Vous cherchez du travail sur internet ?
> [Non]
< Jusqu'où avez-vous étudié ?
> [École primaire]
< Vous avez suivi une formation
> [Non]
< Vous avez déjà travaillé ?
> [Oui]
< Quel était ce travail ?
> Couturière
< C'était dans quel domaine ?
> [Autre]
> [Plus de 2 ans]
< C'était où ?
> [Dans un autre pays]
< Vous avez eu un autre travail ?
> [Oui]
< Quel était ce travail ?
> Plonge au restaurant
> [Cuisine]
> [Moins de 6 mois]
> [En France]
> [Non]
# one job lasted more than 2 years: the question on long experience is not asked
! Vous avez travaillé plus de 2 ans
# a job now, then the job wanted later: two questions
< Quel travail pouvez-vous faire tout de suite ?
> [Ménage]
< ✅ Ménage et nettoyage
> [Cuisine]
> [Valider]
< quel métier voulez-vous vraiment faire ?
> [Ménage]
> [Cuisine]
> [Valider]
< Partie 5 sur 5
< Quel âge avez-vous ?
> [26 ans ou plus]
< Vous avez des enfants
"""


async def test_amina_completes_her_self_assessment_in_french(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR)
    await chat.play(AMINA_FR)
    await chat.play(
        """
        > [Oui]
        < Quel âge ont vos enfants ?
        > [3 ans ou plus]
        > [Aux heures d'école]
        > [À pied]
        > [En transports]
        > [Valider]
        < Combien de temps de trajet
        > [30 minutes]
        > [Non]
        < Quels jours pouvez-vous travailler ?
        > [Du lundi au vendredi]
        > [Le matin]
        > [Valider]
        < Quel est le code postal
        > 75 011
        < Quand pouvez-vous commencer
        > [À partir d'une date]
        < À partir de quel jour ?
        > 1er décembre 2026
        > 01/12/2026
        < Vous avez besoin d'un salaire rapidement ?
        > [très vite]
        < Vous avez fait votre inscription à France Travail ?
        > [Oui]
        > [Non]
        < Voici votre bilan
        < Français : vous parlez un peu, vous ne lisez pas encore, vous n'écrivez pas encore.
        < Smartphone : vous l'utilisez un peu.
        < Maintenant : un premier travail, pour avoir un salaire : Ménage et nettoyage, Cuisine
        < Plus tard, votre projet : Ménage et nettoyage, Cuisine et restauration.
        < À faire d'abord :
        < Suivre un cours de français.
        < agences d'intérim
        < Faire votre CV
        < Voir le détail de mon bilan
        < Que voulez-vous faire ?
        > [Voir le détail de mon bilan]
        < Études : École primaire
        < Couturière (Plus de 2 ans); Plonge au restaurant (Moins de 6 mois)
        < Disponible : Du lundi au vendredi, Le matin
        < Étape 1 – maintenant : un premier travail, pour avoir un salaire.
        < agences d'intérim
        < Métiers possibles avec peu de français
        < Vos enfants sont gardés pendant l'école : cherchez un travail à ces heures-là.
        < Étape 2 – plus tard : le projet.
        < Prochaines actions :
        < cours de français
        < atelier CV
        < Prendre rendez-vous avec un bénévole
        < [📅 Prendre rendez-vous]
        > [Pas maintenant]
        < Que voulez-vous faire ?
        """
    )
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    profile = state.profile
    assert profile["french_speaking"] == "a_little"
    assert profile["job_now"] == ["cleaning", "catering"]
    assert profile["sectors_wanted"] == ["cleaning", "catering"]
    assert profile["children_age"] == "school"
    assert profile["postcode"] == "75011"
    assert profile["start_date"] == "2026-12-01"
    assert [e["exp_title"] for e in profile["experiences"]] == [
        "Couturière",
        "Plonge au restaurant",
    ]
    assert state.session.stack == []


# part 5 up to the urgency of income: no children to look after, by car, no postcode, now
NO_CHILDREN_BY_CAR = """
> [Non]
> [En voiture]
> [Valider]
> [1 heure]
> [Permis B (voiture)]
> [Tous les jours]
> [Le soir]
> [Valider]
> [Passer]
> [Tout de suite]
< Vous avez besoin d'un salaire rapidement ?
"""


async def test_a_redone_self_assessment_replaces_the_old_answers(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR)
    await chat.play(AMINA_FR)
    await chat.play(NO_CHILDREN_BY_CAR)
    await chat.play(
        """
        > [Dans les prochains mois]
        > [Oui]
        > [Oui]
        < Voici votre bilan
        > [Voir le détail de mon bilan]
        < la livraison
        ! Garde des enfants
        > [Pas maintenant]
        """
    )
    await chat.play(
        """
        > [Faire mon bilan]
        > [C'est ma langue]
        > [Très bien]
        > [Très bien]
        > [Bien]
        > [Non]
        > [Oui, sans aide]
        > [Bac]
        > [En France]
        > [Non]
        > [Non]
        < Quel travail pouvez-vous faire tout de suite ?
        """
    )
    async with chat.relais.storage.transaction() as tx:
        middle = await tx.load_state("test", "ana")
    # answers of the run in progress wait in the session; the profile still has the last bilan
    assert middle.profile["french_speaking"] == "a_little"
    await chat.play(
        """
        > [Commerce]
        > [Valider]
        > [Commerce]
        > [Valider]
        > [26 ans ou plus]
        """
    )
    await chat.play(NO_CHILDREN_BY_CAR)
    await chat.play(
        """
        > [revenu]
        > [Oui]
        > [Oui]
        < Voici votre bilan
        > [Voir le détail de mon bilan]
        < Expérience : pas encore
        ! Couturière
        """
    )
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    assert state.profile["french_speaking"] == "native"
    assert "experiences" not in state.profile
    assert "postcode" not in state.profile


# someone who reads and writes well, no diploma, and has worked: at the first job's title
UP_TO_FIRST_JOB = """
> [Faire mon bilan]
> [Bien]
> [Bien]
> [Bien]
> [Bien]
> [Non]
> [Non]
> [Pas d'école]
> [Non]
> [Oui]
< Quel était ce travail ?
"""


async def test_the_experience_loop_stops_at_five(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR)
    await chat.play(UP_TO_FIRST_JOB)
    for n in range(5):
        await chat.play(
            f"""
            < Quel était ce travail ?
            > Travail {n + 1}
            > [Bâtiment]
            > [Plus de 2 ans]
            > [En France]
            """
        )
        if n < 4:
            await chat.play("> [Oui]")
    # five jobs is the list's maximum: no "another job?", straight to the work wanted
    assert "Vous avez eu un autre travail ?" not in chat.text
    assert "Quel travail pouvez-vous faire tout de suite ?" in chat.text
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    assert len(state.session.current.answers["experiences"]) == 5


async def test_back_inside_the_loop_restarts_the_item(chat: Conversation) -> None:
    await chat.play(ONBOARDING_FR)
    await chat.play(UP_TO_FIRST_JOB)
    await chat.play(
        """
        > Maçon
        < C'était dans quel domaine ?
        > [Retour]
        < Quel était ce travail ?
        > Peintre
        > [Bâtiment]
        """
    )
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state("test", "ana")
    assert state.session.current.answers["experiences"] == [
        {"exp_title": "Peintre", "exp_sector": "building"}
    ]


async def test_valider_can_be_typed_as_the_hint_says(chat: Conversation) -> None:
    # on a phone keyboard, people type the word the question tells them to press
    until_jobs = AMINA_FR[: AMINA_FR.index("> [Ménage]")]
    await chat.play(ONBOARDING_FR + until_jobs)
    await chat.play(
        """
        > valider
        < Choisissez au moins
        > [Ménage]
        < ✅ Ménage et nettoyage
        > Valider
        < quel métier voulez-vous vraiment faire ?
        """
    )


async def test_fatou_types_matin_for_le_matin(chat: Conversation) -> None:
    """'matin' is a word of 'Tôt le matin' and of 'Le matin': it is 'Le matin', as she meant."""
    await chat.play(ONBOARDING_FR)
    await chat.play(AMINA_FR)
    await chat.play(
        """
        > oui
        > moins de 3 ans
        > non
        > a pied, bus
        > 30 minute
        > non
        > lundi au vendredi
        < À quels moments pouvez-vous travailler ?
        > matin
        ! Je n'ai pas compris
        < Quel est le code postal
        """
    )
