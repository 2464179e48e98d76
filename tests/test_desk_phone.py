"""A desk volunteers can use on a phone, played as conversations: Marie, a volunteer of Paris
11e who only has her phone; Cora, the centre's coordinator; Oksana, a Ukrainian engineer with
beginner French; Yanis, 19, no diploma; Amina, a mother of two with A2 French."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.core.domain import Button, EventKind, Inbound, Message
from bot.reach.delivery import take_due
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, Hands
from bot.testing.terminal_process import ROOT, run_chat
from tests.test_flow_cv import CV_FR
from tests.test_flow_self_assessment import AMINA_FR
from tests.test_volunteers import AMINA_IN_PARIS, notices_of, person_id

UNKNOWN_COMMAND = "Je ne connais pas cette commande."
MENU = "Espace bénévole. Que voulez-vous faire ?"
CONSENT = "Vous êtes d'accord ?"
PHONE_LABEL = 20  # characters a button keeps on the narrowest channel (WhatsApp)
ASSESSMENT_END = """
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
> 75011
> [Tout de suite]
> [très vite]
> [Oui]
> [Oui]
< Voici votre bilan
"""


async def volunteer(
    relais: Relais, user: str, name: str, role: str = "volunteer", centre: str = "paris11"
) -> Conversation:
    """Someone who opened an invitation link, chose French and gave a first name."""
    invitation = await relais.invite(centre, role, created_by=None)
    assert invitation is not None
    person = Conversation(relais, user=user)
    await person.play(
        f"""
        > /start {invitation[0]}
        < Bienvenue dans l'équipe de Paris 11e
        < Choisissez votre langue.
        > [Français]
        < Quel est votre prénom ?
        ! {CONSENT}
        > {name}
        < Merci, {name} !
        < {MENU}
        """
    )
    return person


async def beneficiary(
    relais: Relais, user: str, name: str, cv: bool = False
) -> tuple[Conversation, int]:
    """Someone of Paris 11e who agreed and gave a first name (and made the CV)."""
    person = Conversation(relais, user=user)
    await person.play(AMINA_IN_PARIS.replace("Amina", name) + (CV_FR if cv else ""))
    return person, await person_id(relais, user)


async def notices(relais: Relais, user: str) -> list[Message]:
    """The messages Relais started for `user` that are due now (taken: delivered)."""
    async with relais.storage.transaction() as tx:
        found = await take_due(tx, relais.catalogs, "test", relais.clock(), user)
    return [due.message for due in found]


def invite_code(tmp_path: Path) -> str:
    """A code from the real `relais invite`, on the database `run_chat` uses."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
    env |= {"RELAIS_DATABASE": str(tmp_path / "relais.sqlite3"), "RELAIS_CLOCK": NOW.isoformat()}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "invite", "--centre", "default"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def rows_of(conversation: Conversation) -> tuple[tuple[Button, ...], ...]:
    """The rows of buttons of the last message that has some."""
    shown = [m for r in conversation.replies for m in r.messages if m.buttons]
    return shown[-1].buttons


# -- 1. the volunteer menu ---------------------------------------------------------------------


async def test_a_volunteer_gets_her_menu_and_never_the_consent_question(relais: Relais) -> None:
    marie = await volunteer(relais, "marie", "Marie")
    assert [b.label for row in rows_of(marie) for b in row] == [
        "👥 Personnes",
        "🙋 Demandes en attente",
        "📅 Agenda",  # appointments (issue 12)
        "💼 Offres",  # job offers (issue 13)
        "❓ Aide",
    ]
    await marie.play(
        f"""
        > /start
        < {MENU}
        ! {CONSENT}
        > bonjour
        < Choisissez dans le menu avec les boutons
        < {MENU}
        > /menu
        < {MENU}
        > [Personnes]
        < Personnes suivies (Toutes)
        > /menu
        > [Aide]
        < Vos commandes de bénévole :
        < /people : Les personnes suivies
        < /requests : Les demandes en attente
        < /menu : ce menu
        < {MENU}
        > /help
        < /people : Les personnes suivies
        < {MENU}
        ! {CONSENT}
        """
    )


async def test_a_coordinators_menu_has_her_commands_two_to_a_row(relais: Relais) -> None:
    cora = await volunteer(relais, "cora", "Cora", role="coordinator")
    rows = rows_of(cora)
    assert [[b.label for b in row] for row in rows] == [
        ["👥 Personnes", "🙋 Demandes en attente"],
        ["📅 Agenda", "💼 Offres"],  # appointments (issue 12), job offers (issue 13)
        ["✉️ Inviter", "📊 Statistiques"],
        ["🤝 Équipe", "❓ Aide"],
    ]
    await cora.play(
        """
        > [Statistiques]
        < personne suivie
        > /menu
        > [Équipe]
        < L'équipe de Paris 11e :
        < Cora
        > /menu
        > [Inviter]
        < Code d'invitation pour Paris 11e (bénévole)
        """
    )


async def test_the_menu_counts_the_requests_waiting_and_lists_them(relais: Relais) -> None:
    amina, _ = await beneficiary(relais, "amina", "Amina")
    await amina.play("> [Parler à un bénévole]\n> [Oui]")
    marie = await volunteer(relais, "marie", "Marie")
    await marie.play(
        """
        > /menu
        < 🙋 1 demande attend un bénévole.
        > [Demandes en attente]
        < Demandes en attente, de la plus ancienne à la plus récente :
        < Amina (Paris 11e), depuis le 23 novembre 2026
        > [🙋 Amina]
        < Merci ! Vous vous occupez d'Amina.
        > /requests
        < Aucune demande en attente. Merci !
        > /menu
        ! demande attend
        """
    )


async def test_someone_asked_the_consent_question_before_joining_leaves_it(relais: Relais) -> None:
    # Marie first opened the bot as anyone would, then typed the code she was given
    marie = Conversation(relais, user="marie")
    await marie.play(f"> /start\n> [Français]\n< {CONSENT}")
    invitation = await relais.invite("paris11", "volunteer", created_by=None)
    assert invitation is not None
    await marie.play(
        f"""
        > {invitation[0].lower()}
        < Bienvenue dans l'équipe de Paris 11e
        < Quel est votre prénom ?
        ! {CONSENT}
        > 18 mois
        < Écrivez seulement les lettres de votre nom
        > Marie
        < {MENU}
        """
    )


async def test_after_a_restart_the_volunteer_menu_comes_back(settings: Settings) -> None:
    first = await open_relais(settings, clock=lambda: NOW)
    await volunteer(first, "marie", "Marie")
    await first.close()
    again = await open_relais(settings, clock=lambda: NOW)
    try:
        marie = Conversation(again, user="marie")
        for typed in ("/start", "Bonjour", "/menu"):
            await marie.type(typed)
            assert MENU in marie.text and CONSENT not in marie.text, typed
    finally:
        await again.close()


def test_relais_chat_restarted_shows_the_volunteer_menu(tmp_path: Path) -> None:
    """The real `relais chat`, twice on one database, as in the README's two terminals."""
    code = invite_code(tmp_path)
    joined = run_chat(tmp_path, ["1", code, "Marie"], user="marie").stdout
    assert "Bienvenue dans l'équipe de Centre Relais" in joined
    assert "Merci, Marie !" in joined and MENU in joined
    again = run_chat(tmp_path, ["bonjour", "1"], user="marie").stdout
    assert CONSENT not in again, again
    assert again.count(MENU) >= 2, again  # at the start, then after "bonjour"
    assert "Personnes suivies (Toutes)" in again  # "1": the first button of the menu


# -- 2. a short page -----------------------------------------------------------------------------


async def test_a_persons_page_fits_a_phone_and_the_plan_is_behind_a_button(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + AMINA_FR + ASSESSMENT_END)
    amina_id = await person_id(relais, "amina")
    marie = await volunteer(relais, "marie", "Marie")
    await marie.play(
        f"""
        > /person {amina_id}
        < Amina (n° {amina_id}) – Paris 11e
        < Statut : pas de CV · bilan fait
        < Contact : pas de téléphone · pas encore de premier contact
        < À faire : prendre un premier contact
        ! Étape 1
        ! Vos prochaines actions
        """
    )
    page = marie.last_message
    assert len(page.text.splitlines()) == 4
    assert all(len(row) <= 2 for row in page.buttons)
    assert all(len(b.label) <= PHONE_LABEL for row in page.buttons for b in row), page.buttons
    await marie.play(
        """
        > [Contact fait]
        < C'est noté : premier contact avec Amina.
        < premier contact le 23 novembre 2026
        < À faire : faire le CV ensemble
        > [Bilan et plan]
        < Bilan et plan d'Amina :
        < Étape 1
        > [Fiche]
        < Statut : pas de CV · bilan fait
        """
    )
    # with a CV: its buttons too, still two to a row and short
    amina_id = (await beneficiary(relais, "yanis", "Yanis", cv=True))[1]
    await marie.play(f"> /person {amina_id}\n< À faire : prendre un premier contact")
    rows = marie.last_message.buttons
    assert [[b.label for b in row] for row in rows] == [
        ["✍️ Écrire", "📄 Voir le CV"],
        ["📝 Corriger le CV", "✅ CV qualifié"],
        ["✏️ CV à corriger", "📋 Bilan et plan"],
        ["🔎 En recherche", "📞 Contact fait"],
        ["🏁 Résultat", "📅 Rendez-vous"],  # appointments (issue 12)
        ["JSON Resume", "↩ Liste"],
    ]
    assert all(len(b.label) <= PHONE_LABEL for row in rows for b in row)


# -- 3. a corrected CV comes back to the volunteer who sent it back -------------------------------


async def test_a_corrected_cv_tells_the_volunteer_who_sent_it_back_in_daytime(
    relais: Relais, hands: Hands
) -> None:
    amina, amina_id = await beneficiary(relais, "amina", "Amina", cv=True)
    marie = await volunteer(relais, "marie", "Marie")
    await volunteer(relais, "paul", "Paul")
    await marie.play(
        f"""
        > /person {amina_id}
        > [CV à corriger]
        > Écrivez le nom de votre employeur en Algérie.
        < C'est envoyé à Amina Benali.
        """
    )
    assert "Écrivez le nom" in await notices_of(relais, "amina")
    # Amina corrects it in the evening, at 21:00 in Paris
    hands.now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    await amina.play("> [Mon CV]\n> [Vous]\n> [✏️ Présentation]\n> Sérieuse\n< C'est enregistré.")
    assert await notices(relais, "marie") == []  # quiet hours: it waits for the morning
    await amina.play("> [✏️ Présentation]\n> Sérieuse et ponctuelle\n< C'est enregistré.")
    hands.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 in Paris
    (notice,) = await notices(relais, "marie")  # told once, not at each change
    assert notice.text == "Amina Benali (Paris 11e) a corrigé son CV. Il est à relire."
    assert await notices(relais, "paul") == []  # only the one who sent it back
    (button,) = [b for row in notice.buttons for b in row]
    await marie.send(Inbound(EventKind.BUTTON, data=button.data))
    assert "Statut : CV à vérifier" in marie.text
    assert "À faire : relire le CV" in marie.text or "premier contact" in marie.text


async def test_a_cv_corrected_after_its_volunteer_left_goes_to_the_team(relais: Relais) -> None:
    amina, amina_id = await beneficiary(relais, "amina", "Amina", cv=True)
    marie = await volunteer(relais, "marie", "Marie")
    cora = await volunteer(relais, "cora", "Cora", role="coordinator")
    await marie.play(f"> /person {amina_id}\n> [CV à corriger]\n> Ajoutez votre téléphone.")
    marie_id = await person_id(relais, "marie")
    await cora.play(f"> /team remove {marie_id}\n> [Oui, retirer]\n< ne fait plus partie")
    await notices(relais, "cora")
    await amina.play("> /menu")
    await amina.play("> [Mon CV]\n> [Vous]\n> [✏️ Présentation]\n> Sérieuse\n< C'est enregistré.")
    assert "a corrigé son CV" in await notices_of(relais, "cora")
    assert "a corrigé son CV" not in await notices_of(relais, "marie")


# -- 4. a reported job: confirmed or not ----------------------------------------------------------


async def test_a_reported_job_can_be_declined_kindly_and_does_not_count(relais: Relais) -> None:
    oksana, oksana_id = await beneficiary(relais, "oksana", "Oksana")
    marie = await volunteer(relais, "marie", "Marie")
    await oksana.play("> [J'ai trouvé un travail !]\n> [Intérim]\n> [Passer]\n< va le confirmer")
    (notice,) = await notices(relais, "marie")
    assert (
        notice.text == "Oksana (Paris 11e) dit avoir trouvé un travail : Intérim. Vous confirmez ?"
    )
    assert [b.label for row in notice.buttons for b in row] == ["✅ Confirmer", "❌ Pas confirmé"]
    await marie.play(
        f"""
        > /person {oksana_id}
        < Statut : pas de CV · pas de bilan · Travail trouvé (Intérim), à confirmer
        < À faire : confirmer le travail trouvé, ou pas
        > [Pas confirmé]
        < C'est noté : le travail d'Oksana n'est pas confirmé. Il ne compte pas.
        > /person {oksana_id}
        < Travail trouvé (Intérim), pas confirmé
        ! Confirmer le travail
        """
    )
    decline = notice.buttons[0][1].data
    await marie.send(Inbound(EventKind.BUTTON, data=decline))
    assert marie.text == "Ce travail est déjà noté « pas confirmé »."
    await marie.send(Inbound(EventKind.BUTTON, data=notice.buttons[0][0].data))
    assert marie.text == "Ce travail est déjà noté « pas confirmé »."
    told = await notices_of(relais, "oksana")
    assert "n'a pas pu le confirmer pour l'instant" in told and "Bravo" not in told
    async with relais.storage.transaction() as tx:
        (outcome,) = await tx.outcomes_of(oksana_id)
        counted = await tx.stats_outcomes(("paris11",), NOW.date(), NOW.date())
        audit = [(e.subject_id, e.action) for e in await tx.audit_entries()]
    assert outcome.declined and not outcome.confirmed
    assert counted == []
    assert (oksana_id, "job_declined") in audit
    # she tells it again: a new report, to confirm again
    await oksana.play("> /menu\n> [J'ai trouvé un travail !]\n> [CDI]\n> [Passer]")
    assert "Vous confirmez ?" in await notices_of(relais, "marie")


async def test_a_reported_job_confirmed_from_the_page_counts(relais: Relais) -> None:
    yanis, yanis_id = await beneficiary(relais, "yanis", "Yanis")
    marie = await volunteer(relais, "marie", "Marie")
    await yanis.play("> [J'ai trouvé un travail !]\n> [CDD]\n> [Passer]")
    await marie.play(
        f"""
        > /person {yanis_id}
        > [Confirmer le travail]
        < Confirmé. Bravo à Yanis !
        > /person {yanis_id}
        < Travail trouvé (CDD)
        < À faire : prendre des nouvelles de son travail
        """
    )
    async with relais.storage.transaction() as tx:
        counted = await tx.stats_outcomes(("paris11",), NOW.date() - timedelta(days=1), NOW.date())
        audit = [(e.subject_id, e.action) for e in await tx.audit_entries()]
    assert counted == [("job", "cdd", 1)]
    assert (yanis_id, "job_confirmed") in audit


# -- 5. refusals name the role -------------------------------------------------------------------


async def test_refusals_say_which_role_is_needed_but_not_to_beneficiaries(relais: Relais) -> None:
    marie = await volunteer(relais, "marie", "Marie")
    await marie.play(
        """
        > /stats
        < Cette commande est réservée aux coordinateurs de centre.
        > /team
        < Cette commande est réservée aux coordinateurs de centre.
        > /audit
        < Cette commande est réservée aux administrateurs.
        > /centre
        < Cette commande est réservée aux administrateurs.
        """
    )
    amina, _ = await beneficiary(relais, "amina", "Amina")
    for command in ("/stats", "/audit", "/requests", "/people"):
        await amina.type(command)
        assert UNKNOWN_COMMAND in amina.text and "réservée" not in amina.text, command


# -- 6. French elision in names ------------------------------------------------------------------


async def test_names_take_the_french_elision_and_other_languages_are_untouched(
    relais: Relais,
) -> None:
    _, oksana_id = await beneficiary(relais, "oksana", "Oksana", cv=True)
    _, yanis_id = await beneficiary(relais, "yanis", "Yanis", cv=True)
    _, hugo_id = await beneficiary(relais, "hugo", "Hugo", cv=True)
    marie = await volunteer(relais, "marie", "Marie")
    await marie.play(
        f"""
        > /person {oksana_id}
        > [Voir le CV]
        < Le CV d'Oksana Benali :
        > /person {oksana_id}
        > [CV à corriger]
        < Écrivez en quelques mots ce qu'Oksana Benali doit corriger
        > /cancel
        > /person {yanis_id}
        > [Voir le CV]
        < Le CV de Yanis Benali :
        > /person {hugo_id}
        > [CV qualifié]
        < C'est noté : le CV d'Hugo Benali est qualifié.
        """
    )
    english = Conversation(relais, user="john")
    invitation = await relais.invite("paris11", "volunteer", created_by=None)
    assert invitation is not None
    await english.play(f"> /start {invitation[0]}\n> [English]\n> John")
    await english.type(f"/person {oksana_id}")
    await english.press("CV")
    assert "Oksana Benali" in english.text and "d'Oksana" not in english.text


# -- 7. "Mes données" shows the CV as it is ------------------------------------------------------


async def test_my_data_shows_the_cv_as_it_is(relais: Relais) -> None:
    # Amina said in her self-assessment that she has a CV: Relais has none from her yet
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + AMINA_FR + ASSESSMENT_END)
    await amina.play(
        """
        > /menu
        > [Mes données]
        < CV : pas encore fait
        ! CV : oui
        """
    )
    yanis, yanis_id = await beneficiary(relais, "yanis", "Yanis", cv=True)
    await yanis.play(
        """
        > /menu
        > [Mes données]
        < CV : fait, un bénévole va le relire
        < CV changé le 23 novembre 2026
        < CV – travaux : Agent d'entretien
        > [Garder mes données]
        """
    )
    marie = await volunteer(relais, "marie", "Marie")
    await marie.play(f"> /person {yanis_id}\n> [CV à corriger]\n> Ajoutez vos dates.")
    await yanis.play(
        """
        > /menu
        > [Mes données]
        < CV : à corriger dans « Mon CV »
        < Ce qu'il faut corriger : « Ajoutez vos dates. »
        > [Garder mes données]
        """
    )
    await marie.play(f"> /person {yanis_id}\n> [CV qualifié]")
    await yanis.play(
        """
        > /menu
        > [Mes données]
        < CV : vérifié par un bénévole, prêt pour les employeurs
        ! CV : à corriger
        """
    )
