"""People who did the whole self-assessment, as scripts played through the real engine.

The generator (bench/generate_people.py) plays each script once on the real engine and flows,
then writes many people shaped like the results. The scripts follow the people of
tests/test_flow_plan.py and tests/test_flow_self_assessment.py; `{centre}` is the centre's name.
"""

from __future__ import annotations

FATOU = """
> /start
> [Français]
> [Oui]
> [{centre}]
> Fatou
< Que voulez-vous faire ?
> [Faire mon bilan]
> un peu
> un peu
> pas encore
> [Bien]
> non
> [Non]
> [Collège ou lycée]
> non
> oui
< Quel était ce travail ?
> vendeuse
> [Commerce]
> 1 an et demi
> autre pays
> non
> non
< Quel travail pouvez-vous faire tout de suite ?
> [Ménage]
> [Valider]
> [Garde d'enfants]
> [Valider]
> [26 ans ou plus]
> oui
> [Moins de 3 ans]
> [Non, pas encore]
> [À pied]
> [En transports]
> [Valider]
> [30 minutes]
> [Non]
> [Du lundi au vendredi]
> [Le matin]
> [L'après-midi]
> [Valider]
> 93200
> [Tout de suite]
> [très vite]
> [Non]
> non
< Voici votre bilan
"""

OLEKSANDR = """
> /start
> [Français]
> [Oui]
> [{centre}]
> Oleksandr
> [Faire mon bilan]
> [Pas encore]
> [Un peu]
> [Pas encore]
> [Bien]
> [Oui]
> oleksandr.k@example.org
> [Oui, sans aide]
> [Études après le bac]
> [Dans un autre pays]
> [Non]
> [Oui]
> Ingénieur génie civil
> [Technique et ingénierie]
> 12 років
> [Dans un autre pays]
> [Non]
< Quel travail pouvez-vous faire tout de suite ?
> [Technique et ingénierie]
> [Bâtiment]
> [Valider]
> [Technique et ingénierie]
> [Valider]
> [26 ans ou plus]
> [Non]
> [En transports]
> [Valider]
> [1 heure]
> [Permis d'un autre pays]
> [Tous les jours]
> [Le matin]
> [L'après-midi]
> [Valider]
> [Passer]
> [Tout de suite]
> [très vite]
> [Oui]
> [Oui]
< Voici votre bilan
"""

YANIS = """
> /start
> [Français]
> [Oui]
> [{centre}]
> Yanis
> [Faire mon bilan]
> [C'est ma langue]
> [Bien]
> [Un peu]
> [Bien]
> [Oui]
> yanis.d@example.org
> [Oui, sans aide]
> [Collège ou lycée]
> [Non]
> [Non]
< Quel travail pouvez-vous faire tout de suite ?
> [N'importe quel travail]
> valider
> [Je ne sais pas encore]
> valider
> j'ai 19 ans
> [Non]
> [En transports]
> [Valider]
> [30 minutes]
> [Non]
> [Tous les jours]
> [L'après-midi]
> [Le soir]
> [Valider]
> 69003
> [Tout de suite]
> [Dans les prochains mois]
> [Je ne sais pas]
> [Non]
< Voici votre bilan
"""

AMINA = """
> /start
> [Français]
> [Oui]
> [{centre}]
> Amina
> [Faire mon bilan]
> [Un peu]
> [Pas encore]
> [Pas encore]
> [Un peu]
> [Non]
> [Non]
> [École primaire]
> [Non]
> [Oui]
> Couturière
> [Autre]
> [Plus de 2 ans]
> [Dans un autre pays]
> [Oui]
> Plonge au restaurant
> [Cuisine]
> [Moins de 6 mois]
> [En France]
> [Non]
< Quel travail pouvez-vous faire tout de suite ?
> [Ménage]
> [Cuisine]
> [Valider]
> [Ménage]
> [Cuisine]
> [Valider]
> [26 ans ou plus]
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

JOHN = """
> /start
> [English]
> [Yes]
> [{centre}]
> John
> [My assessment]
> [A little]
> [Well]
> [Not yet]
> [Well]
> no
> [Yes, with help]
> [Studies after the bac]
> [In another country]
> [No]
> [Yes]
> Nurse
> [Caring for people]
> [More than 2 years]
> [In another country]
> [No]
< What work can you do right away?
> [Caring for people]
> [Done]
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
> [In the afternoon]
> [Done]
> [Skip]
> [From a certain date]
> 4/1/2027
> [In the next few months]
> [Yes]
> [Yes]
< Here is your assessment.
"""

# (name, script, how many of the people generated are like them)
PERSONAS = (
    ("fatou", FATOU, 3),
    ("oleksandr", OLEKSANDR, 2),
    ("yanis", YANIS, 2),
    ("amina", AMINA, 3),
    ("john", JOHN, 1),
)

# A self-assessment done again with buttons only, from the menu of someone who did it before:
# (label to press, words of the question that follows). The benchmark's "actions".
ASSESSMENT_PRESSES = (
    ("Faire mon bilan", "Vous parlez français ?"),
    ("Un peu", "Vous lisez le français ?"),
    ("Un peu", "Vous écrivez le français ?"),
    ("Pas encore", "Vous savez utiliser un smartphone ?"),
    ("Bien", "Vous avez une adresse e-mail ?"),
    ("Non", "Vous cherchez du travail sur internet ?"),
    ("Non", "Jusqu'où avez-vous étudié ?"),
    ("Collège ou lycée", "Vous avez suivi une formation"),
    ("Non", "Vous avez déjà travaillé ?"),
    ("Non", "Quel travail pouvez-vous faire tout de suite ?"),
    ("Ménage", "Quel travail pouvez-vous faire tout de suite ?"),  # a tick
    ("Valider", "quel métier voulez-vous vraiment faire ?"),
    ("Ménage", "quel métier voulez-vous vraiment faire ?"),
    ("Valider", "Quel âge avez-vous ?"),
    ("26 ans ou plus", "Vous avez des enfants"),
    ("Non", "Comment pouvez-vous aller au travail ?"),
    ("À pied", "Comment pouvez-vous aller au travail ?"),
    ("Valider", "Combien de temps de trajet"),
    ("30 minutes", "permis de conduire"),
    ("Non", "Quels jours pouvez-vous travailler ?"),
    ("Tous les jours", "À quels moments pouvez-vous travailler ?"),
    ("Le matin", "À quels moments pouvez-vous travailler ?"),
    ("Valider", "code postal"),
    ("Passer", "Quand pouvez-vous commencer"),
    ("Tout de suite", "Vous avez besoin d'un salaire rapidement ?"),
    ("très vite", "inscription à France Travail"),
    ("Oui", "Vous avez un CV ?"),
    ("Non", "Que voulez-vous faire ?"),  # the summary, then the menu
)
MENU = "Que voulez-vous faire ?"
