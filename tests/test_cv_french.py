"""A CV a French employer can read, played by the people it is for (issue 10, part 2).

Fatima, a mother of two children under 3 with A2 French, writes some answers in Arabic; Olena, a
Ukrainian engineer with beginner French, gives her name in Cyrillic and her tasks in English;
Kevin, 19, has no diploma. The CV asks for French where the employer reads it, confirms the
name as the CV writes it, follows French CV conventions, and shows the volunteer what is not
in French yet.
"""

from __future__ import annotations

import io

import pypdf

from bot.core.french import NotFrench, not_french
from bot.documents import wording
from bot.service import Relais
from bot.testing.conversation import Conversation
from tests.test_volunteers import join, person_id


async def pdf_of(chat: Conversation) -> str:
    document = await chat.relais.document(chat.channel, chat.user, "cv_pdf")
    assert document is not None
    reader = pypdf.PdfReader(io.BytesIO(document.data))
    return "\n".join(page.extract_text() for page in reader.pages)


async def profile_of(chat: Conversation) -> dict:
    async with chat.relais.storage.transaction() as tx:
        state = await tx.load_state(chat.channel, chat.user)
    return state.profile


# Fatima types as she speaks; the first name comes with "je m appelle", the town in small
# letters, a task in Arabic. Two trades: cleaning, and childcare (her own two little ones).
FATIMA = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
< Quel est votre prénom ?
> je m appelle fatima
< Bienvenue, fatima !
! appelle
> [Faire mon CV]
< Le CV sera en français
< Écrivez en français quand vous pouvez
< Quel est votre nom de famille ?
> benali
< Sur votre CV, votre nom sera écrit comme ceci :
< Fatima BENALI
< C'est juste ?
> [Oui]
> 06 12 34 56 78
> [Passer]
> saint-denis
> 93200
< Quel travail cherchez-vous ?
< en français
> menage, garde d enfant
< Présentez-vous en une phrase
> [Passer]
> [Oui]
< Écrivez le nom du métier, en français
> agent d entretien
> [Passer]
> saint-denis
> 2019
> [Non]
> 2022
< Écrivez une tâche, en français.
> /help
< Exemple : « Nettoyage des bureaux »
> تنظيف المكاتب
< Ce n'est pas en français : ce n'est pas grave, un bénévole vous aidera
< appuyez sur « ↩ Retour »
< Une autre tâche ?
> vider les poubelles
! pas en français
< Une dernière tâche ?
> [Passer]
> [Non]
> [Non, pas de diplôme]
< Votre dernière école, c'était :
> [Collège]
< C'était où ?
> [Dans un autre pays]
> algérie
> [Arabe]
> [Langue maternelle]
> [Oui]
> [Français]
> [Débutant]
> [Non]
< Choisissez 1 ou 2 métiers
> [Ménage et nettoyage]
> [Garde d'enfants]
> [Valider]
< Ménage et nettoyage : qu'est-ce que vous savez faire ?
> [Nettoyer des bureaux]
> [Valider]
< Garde d'enfants : qu'est-ce que vous savez faire ?
> [S'occuper de bébés]
> [Valider]
< Vous savez faire autre chose ?
> [Passer]
> [Ponctuel]
> [Sérieux]
> [Valider]
< Sur votre CV, comment écrire vos qualités ?
< • Au masculin : Ponctuel, Sérieux
< • Au féminin : Ponctuelle, Sérieuse
< • Neutre : Ponctualité, Fiabilité
> [Au féminin]
< Vous avez le permis de conduire ?
> [J'apprends à conduire]
> [Valider]
> [Valider]
> [Passer]
> [Du lundi au vendredi]
> [Le matin]
> [Valider]
> [Passer]
< Voici votre CV, en français.
"""


async def test_fatima_a_cv_in_french_conventions_and_her_arabic_task_for_the_volunteer(
    relais: Relais,
) -> None:
    fatima = Conversation(relais, user="fatima")
    await fatima.play(FATIMA)
    profile = await profile_of(fatima)
    assert profile["first_name"] == "fatima"  # kept as typed, without "je m appelle"
    assert profile["qualities_form"] == "feminine"
    text = await pdf_of(fatima)
    for words in (
        "Fatima BENALI",  # NOM in capitals, Prénom with a capital
        "93200 Saint-Denis",  # the town as the map writes it
        "Poste recherché : Menage, garde d enfant",  # her words, starting with a capital
        "Agent d entretien",
        "2019 – 2022",
        "Vider les poubelles",
        "Formation\nNiveau 3e (Algérie)",  # no diploma: the last level reached
        "Français : Niveau débutant",
        "Nettoyage de bureaux",  # two trades, in CV words
        "Soins aux bébés (repas, change, sieste)",
        "Qualités\nPonctuelle · Sérieuse",  # in her grammatical gender, in their own section
        "Permis B en cours",
    ):
        assert words in text, words
    # kept as she wrote it (pypdf reads right-to-left words one by one): a volunteer helps
    assert "تنظيف" in text and "المكاتب" in text
    for sentence in ("J'apprends", "Ponctuel, ponctuelle", "Nettoyer des bureaux"):
        assert sentence not in text, sentence

    marie = await join(relais, "marie", "paris11")
    fatima_id = await person_id(relais, "fatima")
    await marie.play(
        f"""
        > /person {fatima_id}
        < Statut : CV à vérifier
        < 1 champ du CV n'est pas en français (voir le CV).
        > [Voir le CV]
        < Le CV de Fatima
        < 1 champ du CV n'est pas en français :
        < • Expériences 1, Tâches : « تنظيف المكاتب » (autre alphabet)
        < Aidez la personne à les écrire en français avant de qualifier le CV.
        ! Vider les poubelles
        > /person {fatima_id}
        > [CV qualifié]
        < 1 champ du CV n'est pas en français (voir le CV).
        < Les employeurs lisent le CV en français.
        ! C'est noté
        > [Fiche]
        < Statut : CV à vérifier
        """
    )

    # she corrects it in "Mon CV": the line goes from the volunteer's page
    await fatima.play(
        """
        > [Mon CV]
        > [Expériences (1)]
        > [1. agent d entretien]
        > [Tâches]
        < Aujourd'hui, votre CV dit : تنظيف المكاتب
        > Nettoyage des bureaux
        ! pas en français
        > vider les poubelles
        > [Passer]
        < C'est enregistré.
        """
    )
    await marie.play(
        f"""
        > /person {fatima_id}
        < Statut : CV à vérifier
        ! pas en français
        """
    )


# Olena: her first name in Cyrillic from onboarding, her family name in Latin letters: the CV
# asks for both as on her French papers. Her job title and a task are in English.
OLENA = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> Олена
> [Faire mon CV]
< Quel est votre nom de famille ?
> Shevchenko
< Un employeur en France lit les lettres a, b, c…
< comme sur vos papiers français (titre de séjour, passeport)
< Votre prénom, avec les lettres a, b, c… ?
> Олена
< Écrivez avec les lettres a, b, c…, comme sur vos papiers français
< Votre prénom, avec les lettres a, b, c… ?
> olena
< Votre nom de famille, avec les lettres a, b, c… ?
> SHEVCHENKO
< Olena SHEVCHENKO
> [Oui]
> 07 98 76 54 32
> olena.shevchenko@example.com
> Lyon
> [Passer]
> Ingénieure, ou agent de production
> Ingénieure civile, 15 ans d'expérience. J'apprends le français.
> [Oui]
> Civil engineer
< Ce n'est pas en français
> Kyivbud
> Kyiv, Ukraine
> 2008
> [Non]
> 2022
> Design of bridges and roads
< Pas en français : c'est noté pour le bénévole.
! appuyez sur
> Gestion d'une équipe de 12 personnes
! pas en français
> [Passer]
> [Non]
> [Oui]
< Quel diplôme, ou quelle formation ?
> Diplôme d'ingénieur
> [Dans un autre pays]
> Ukraine
< En France, ce diplôme correspond à quel niveau ?
> [Master, ingénieur (niveau 7)]
> Université nationale de Kyiv
> 2007
> [Non]
> [Ukrainien]
> [Langue maternelle]
> [Oui]
> [Français]
> [Débutant]
> [Oui]
> [Anglais]
> [Courant]
> [Non]
> [Ingénierie et technique]
> [Bâtiment (BTP)]
> [Valider]
< Bâtiment : qu'est-ce que vous savez faire ?
> [Lire un plan]
> [Valider]
< Ingénierie et technique : qu'est-ce que vous savez faire ?
> [Faire des plans techniques]
> [Gérer un projet, une équipe]
> [Valider]
> AutoCAD
> [Autonome]
> [J'aime travailler en équipe]
> [Valider]
> [Neutre]
> [Non]
> [Valider]
> [Valider]
> [Passer]
> [Tous les jours]
> [Le matin]
> [L'après-midi]
> [Valider]
> [Passer]
< Voici votre CV, en français.
"""


async def test_olena_her_name_in_latin_letters_and_her_diploma_with_its_french_level(
    relais: Relais,
) -> None:
    olena = Conversation(relais, user="olena")
    await olena.play(OLENA)
    profile = await profile_of(olena)
    assert (profile["first_name"], profile["last_name"]) == ("olena", "SHEVCHENKO")
    text = await pdf_of(olena)
    for words in (
        "Olena SHEVCHENKO",
        "Diplôme d'ingénieur (Ukraine) — équivalent niveau 7 (Master)",
        "Université nationale de Kyiv",
        "Civil engineer",
        "Kyivbud — Kyiv, Ukraine",
        "Lecture de plans",  # the skills of both trades, in the order of the list
        "Dessin technique, plans",
        "Gestion de projet et d'équipe",
        "AutoCAD",
        "Qualités\nEsprit d'équipe · Autonomie",  # the neutral form she chose
        "Ukrainien : Langue maternelle",
        "Français : Niveau débutant",
        "Anglais : Courant",
    ):
        assert words in text, words
    assert "Олена" not in text

    marie = await join(relais, "marie", "paris11")
    await marie.play(
        f"""
        > /person {await person_id(relais, "olena")}
        < 2 champs du CV ne sont pas en français (voir le CV).
        > [Voir le CV]
        < 2 champs du CV ne sont pas en français :
        < • Expériences 1, Métier : « Civil engineer » (autre langue)
        < • Expériences 1, Tâches : « Design of bridges and roads » (autre langue)
        ! Gestion d'une équipe
        """
    )


# Kevin, 19, no diploma: the CV says how far he went at school, and "Permis B en cours".
KEVIN = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> KEVIN
> [Faire mon CV]
> martin
< Kevin MARTIN
> [Non]
< Écrivez votre prénom comme sur vos papiers.
> Kévin
< Écrivez votre nom de famille comme sur vos papiers.
> Martin
< Kévin MARTIN
> [Oui]
> 0611223344
> [Passer]
> PARIS
> 75019
> livreur
> [Passer]
> [Non]
< Vous avez un diplôme
> [Non, pas de diplôme]
> [Lycée]
> [En France]
> [Français]
> [Langue maternelle]
> [Non]
> [Livraison]
> [Valider]
< Livraison : qu'est-ce que vous savez faire ?
> [Livrer à vélo ou à scooter]
> [Applis de livraison]
> [Valider]
> [Passer]
> [Ponctuel]
> [J'apprends vite]
> [Valider]
> [masculin]
> [J'apprends à conduire]
> [Un scooter ou une moto]
> [Valider]
> [Valider]
> [Passer]
> [Tous les jours]
> [Le soir]
> [Valider]
> foot, jeux video
< Voici votre CV, en français.
"""


async def test_kevin_no_diploma_still_a_formation_and_a_licence_in_progress(
    relais: Relais,
) -> None:
    kevin = Conversation(relais, user="kevin")
    await kevin.play(KEVIN)
    text = await pdf_of(kevin)
    for words in (
        "Kévin MARTIN",
        "75019 Paris",
        "Poste recherché : Livreur",
        "Formation\nScolarité jusqu'au lycée",
        "Livraison à vélo ou à scooter",
        "Utilisation d'applications de livraison",
        "Qualités\nPonctuel · Apprentissage rapide",
        "Permis B en cours",
        "Véhicule : Scooter ou moto",
        "Foot, jeux video",
    ):
        assert words in text, words
    assert "(" not in text.split("Scolarité jusqu'au lycée")[1].split("\n")[0]  # in France


async def test_in_mon_cv_the_name_and_the_form_of_qualities_can_change(relais: Relais) -> None:
    kevin = Conversation(relais, user="kevin")
    await kevin.play(KEVIN)
    await kevin.play(
        """
        > [Mon CV]
        > [Savoir-faire]
        > [Qualités]
        > [Valider]
        < Sur votre CV, comment écrire vos qualités ?
        > [neutre]
        < C'est enregistré.
        > [↩ Retour]
        > [Diplômes et formations (0)]
        > [➕ Ajouter]
        > Licence de mathématiques
        > [Dans un autre pays]
        > Maroc
        > [Je ne sais pas]
        > [Passer]
        > [Passer]
        < C'est enregistré.
        """
    )
    # the name is changed as on French papers, in Latin letters
    await kevin.play(
        """
        > [↩ Retour]
        > [Vous]
        > [Prénom]
        < Écrivez votre prénom comme sur vos papiers.
        < Aujourd'hui, votre CV dit : Kévin
        > Кевін
        < Écrivez avec les lettres a, b, c…
        > Kevin
        < C'est enregistré.
        < Prénom : Kevin
        """
    )
    text = await pdf_of(kevin)
    assert "Kevin MARTIN" in text
    assert "Ponctualité · Apprentissage rapide" in text
    assert "Licence de mathématiques (Maroc)\n" in text  # no level known: none printed
    assert "Scolarité jusqu'au lycée" in text


def test_the_guess_of_french_is_simple_and_honest() -> None:
    assert not_french("Nettoyage des bureaux") is None
    assert not_french("Plongeur") is None  # one word, nothing against it: French
    assert not_french("Ingénieure civile, 15 ans d'expérience") is None
    assert not_french("Babysitting, parking") is None  # -ing words French uses
    assert not_french("تنظيف المكاتب") is NotFrench.SCRIPT
    assert not_french("Прибирання офісів") is NotFrench.SCRIPT
    assert not_french("Cleaning offices") is NotFrench.WORDS
    assert not_french("I worked as a cook") is NotFrench.WORDS
    assert not_french("Limpieza de las oficinas") is NotFrench.WORDS


def test_names_and_places_follow_french_cv_conventions() -> None:
    assert wording.full_name("je m'appelle sara", "benali") == "Sara BENALI"
    assert wording.first_name("marie-claire") == "Marie-Claire"
    assert wording.first_name("DeShawn") == "DeShawn"  # typed with care: kept
    assert wording.last_name("Dupré-Nœl") == "DUPRÉ-NŒL"
    assert wording.place("paris") == "Paris"
    assert wording.place("saint-denis") == "Saint-Denis"
    assert wording.place("saint denis") == "Saint-Denis"  # as Fatou typed it
    assert wording.place("Saint Ouen") == "Saint-Ouen"
    assert wording.place("SAINTE FOY") == "Sainte-Foy"
    assert wording.place("boulogne-sur-mer") == "Boulogne-sur-Mer"
    assert wording.place("le havre") == "Le Havre"
    assert wording.place("côte d'ivoire") == "Côte d'Ivoire"
    assert wording.place("manchester, uk") == "Manchester, UK"
    assert wording.place("Manchester, UK") == "Manchester, UK"
    assert wording.sentence("nettoyer les bureaux") == "Nettoyer les bureaux"
    assert wording.sentence("iPhone") == "iPhone"


# Olena types the places and her university as she would write them at home, in Cyrillic: the
# CV cannot show them to an employer in France, so they are noted for the volunteer like a task.
OLENA_CYRILLIC_PLACES = (
    OLENA.replace("> Lyon\n", "> Ліон\n< Ce n'est pas en français\n", 1)
    .replace("< Ce n'est pas en français\n> Kyivbud", "< Pas en français\n> Kyivbud", 1)
    .replace("> Kyiv, Ukraine\n", "> Київ, Україна\n< Pas en français\n", 1)
    .replace("> Ukraine\n", "> Україна\n< Pas en français\n", 1)
    .replace("> Université nationale de Kyiv\n", "> Київський університет\n< Pas en français\n")
)


async def test_olena_places_and_school_in_cyrillic_are_noted_for_the_volunteer(
    relais: Relais,
) -> None:
    olena = Conversation(relais, user="olena")
    await olena.play(OLENA_CYRILLIC_PLACES)
    marie = await join(relais, "marie", "paris11")
    await marie.play(
        f"""
        > /person {await person_id(relais, "olena")}
        > [Voir le CV]
        < • Ville : « Ліон » (autre alphabet)
        < • Expériences 1, Lieu : « Київ, Україна » (autre alphabet)
        < Pays : « Україна » (autre alphabet)
        < École : « Київський університет » (autre alphabet)
        """
    )


async def test_qualities_without_a_feminine_form_ask_no_form(relais: Relais) -> None:
    """'J'aime travailler en équipe' and 'J'apprends vite' read the same for everyone: the
    question of the masculine or feminine form is not asked for them."""
    awa = Conversation(relais, user="awa")
    asked, _, after = FATIMA.partition("< Sur votre CV, comment écrire vos qualités ?\n")
    team_only = (
        asked.replace("> [Ponctuel]\n> [Sérieux]\n", "> [équipe]\n> [vite]\n")
        + (after.split("> [Au féminin]\n", 1)[1])
    )
    await awa.play(team_only)
    profile = await profile_of(awa)
    assert profile["qualities"] == ["team", "quick"] and "qualities_form" not in profile
    assert "Esprit d'équipe" in await pdf_of(awa)


async def test_a_language_not_in_the_list_points_to_une_autre_langue(relais: Relais) -> None:
    """Fatou types 'wolof' at the list of languages: the question says where her language is."""
    fatou = Conversation(relais, user="fatou")
    before, _, _ = FATIMA.partition("> [Arabe]\n")
    await fatou.play(
        before
        + """
        < Pas dans la liste (wolof, soninké…) : « Une autre langue ».
        > wolof
        < Pas dans la liste (wolof, soninké…) : « Une autre langue ».
        > [Une autre langue]
        > wolof
        < Quel est votre niveau ?
        """
    )
