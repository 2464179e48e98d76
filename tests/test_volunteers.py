"""The volunteer side, played as conversations: invite, join, list, open, check, outcome."""

from __future__ import annotations

import io

import pypdf

from bot.core.domain import EventKind, Inbound
from bot.reach.delivery import take_due
from bot.service import Relais
from bot.testing.conversation import Conversation
from tests.test_flow_cv import CV_FR

AMINA_IN_PARIS = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> Amina
"""


async def join(relais: Relais, user: str, centre: str, role: str = "volunteer") -> Conversation:
    """A volunteer of a centre, joined with a fresh invitation code."""
    invitation = await relais.invite(centre, role, created_by=None)
    assert invitation is not None
    person = Conversation(relais, user=user)
    await person.play(f"> /start {invitation[0]}\n< Bienvenue dans l'équipe")
    await person.press("Français")
    return person


async def notices_of(relais: Relais, user: str) -> str:
    """The texts delivered to `user` now by the path of messages Relais starts."""
    async with relais.storage.transaction() as tx:
        found = await take_due(tx, relais.catalogs, "test", relais.clock(), user)
    return "\n".join(due.message.text for due in found)


async def person_id(relais: Relais, user: str) -> int:
    async with relais.storage.transaction() as tx:
        person = await tx.find_person("test", user)
    assert person is not None and person.id is not None
    return person.id


async def test_invite_join_list_open_check_the_cv_and_record_an_outcome(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + CV_FR)
    marie = await join(relais, "marie", "paris11")
    await marie.play(
        """
        > /people
        < Personnes suivies (Toutes) – page 1 sur 1
        < 1 personne
        < Amina Benali · CV à vérifier
        > [Amina Benali]
        < Amina Benali (n°
        < Paris 11e
        < Statut : CV à vérifier · pas de bilan
        < Contact : 06 12 34 56 78 · pas encore de premier contact
        < À faire : prendre un premier contact
        > [Voir le CV]
        < Le CV d'Amina Benali
        """
    )
    pdf = [m.document for m in marie.replies[0].messages if m.document]
    amina_id = await person_id(relais, "amina")
    assert pdf == [f"cv_pdf:{amina_id}"]
    document = await relais.document("test", "marie", pdf[0])
    assert document is not None
    text = pypdf.PdfReader(io.BytesIO(document.data)).pages[0].extract_text()
    assert "Amina BENALI" in text  # the CV writes the family name in capitals
    await marie.play(
        f"""
        > /person {amina_id}
        > [CV qualifié]
        < le CV d'Amina Benali est qualifié
        < Statut : CV qualifié
        > [En recherche]
        < Amina Benali est en recherche active
        < Statut : CV qualifié · en recherche
        """
    )
    async with relais.storage.transaction() as tx:
        assert await tx.proposable("paris11") == [amina_id]
        assert await tx.proposable("lyon") == []
    await marie.play(
        """
        > [Résultat]
        < Quel résultat pour Amina Benali ?
        > [Travail trouvé]
        < Quel contrat ?
        > [CDI]
        < À quelle date ?
        > 31/02/2026
        < Cette date n'existe pas
        > [Aujourd'hui]
        < C'est noté pour Amina Benali : Travail trouvé (CDI), le 23 novembre 2026.
        """
    )
    assert "un bénévole a vérifié votre CV" in await notices_of(relais, "amina")
    async with relais.storage.transaction() as tx:
        follow = await tx.followup_of(amina_id)
        outcomes = await tx.outcomes_of(amina_id)
        audit = await tx.audit_entries()
    assert follow.cv_status == "checked"
    assert not follow.searching  # found a job
    async with relais.storage.transaction() as tx:
        assert await tx.proposable("paris11") == []  # no longer searching
    assert [(o.kind, o.contract, o.confirmed) for o in outcomes] == [("job", "cdi", True)]
    marie_id = await person_id(relais, "marie")
    assert [(e.actor_id, e.subject_id, e.action) for e in audit] == [
        (marie_id, amina_id, "profile"),  # the page shown again after "en recherche"
        (marie_id, amina_id, "profile"),  # and after "CV qualifié"
        (marie_id, amina_id, "profile"),
        (marie_id, amina_id, "cv"),
        (marie_id, amina_id, "profile"),
    ]


async def test_a_cv_sent_back_reaches_the_person_who_corrects_it(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + CV_FR)
    marie = await join(relais, "marie", "paris11")
    amina_id = await person_id(relais, "amina")
    await marie.play(
        f"""
        > /person {amina_id}
        > [CV à corriger]
        < Écrivez en quelques mots ce qu'Amina Benali doit corriger
        > Ajoutez le nom de votre employeur en Algérie.
        < C'est envoyé à Amina Benali.
        > /person {amina_id}
        < Statut : CV à corriger
        < À corriger : Ajoutez le nom de votre employeur en Algérie.
        """
    )
    notice = await notices_of(relais, "amina")
    assert "« Ajoutez le nom de votre employeur en Algérie. »" in notice
    await amina.play(
        """
        > [Mon CV]
        > [Vous]
        > [✏️ Présentation]
        > Sérieuse et ponctuelle
        < C'est enregistré.
        """
    )
    async with relais.storage.transaction() as tx:
        assert (await tx.followup_of(amina_id)).cv_status == "to_check"


async def test_help_requests_reach_only_the_persons_centre(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS)
    marie = await join(relais, "marie", "paris11")
    paul = await join(relais, "paul", "paris11")
    await join(relais, "leo", "lyon")
    await notices_of(relais, "marie")
    await amina.play(
        """
        > [Parler à un bénévole]
        > [Oui]
        < Un bénévole de Paris 11e va vous écrire ici, dans Relais.
        ! Les bénévoles sont là
        > [Parler à un bénévole]
        > [Oui]
        """
    )
    for_marie = await notices_of(relais, "marie")
    assert for_marie.count("Amina (Paris 11e) voudrait parler à un bénévole.") == 1
    assert "voudrait parler" in await notices_of(relais, "paul")
    assert await notices_of(relais, "leo") == ""
    async with relais.storage.transaction() as tx:
        request = (await tx._fetchone("SELECT id FROM help_requests"))["id"]
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:h:{request}"))
    assert "Vous vous occupez d'Amina" in marie.text
    await paul.send(Inbound(EventKind.BUTTON, data=f"V:h:{request}"))
    assert "Un autre bénévole s'occupe déjà de cette demande." in paul.text
    assert "Un bénévole a vu votre demande" in await notices_of(relais, "amina")


async def test_a_job_reported_by_the_person_counts_once_a_volunteer_confirms(
    relais: Relais,
) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS)
    marie = await join(relais, "marie", "paris11")
    await amina.play(
        """
        > [J'ai trouvé un travail !]
        < Quel contrat avez-vous ?
        > [CDD]
        > 01/12/2026
        < Un bénévole de votre centre va le confirmer
        """
    )
    amina_id = await person_id(relais, "amina")
    async with relais.storage.transaction() as tx:
        (outcome,) = await tx.outcomes_of(amina_id)
    assert (outcome.contract, outcome.confirmed, str(outcome.happened_on)) == (
        "cdd",
        False,
        "2026-12-01",
    )
    notice = await notices_of(relais, "marie")
    assert "Amina (Paris 11e) dit avoir trouvé un travail : CDD. Vous confirmez ?" in notice
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:cf:{outcome.id}"))
    assert "Confirmé. Bravo à Amina !" in marie.text
    await marie.send(Inbound(EventKind.BUTTON, data=f"V:cf:{outcome.id}"))
    assert "déjà confirmé" in marie.text
    assert "Bravo" in await notices_of(relais, "amina")


async def test_desk_questions_handle_bad_input_and_are_dropped_on_leaving(relais: Relais) -> None:
    amina = Conversation(relais, user="amina")
    await amina.play(AMINA_IN_PARIS + CV_FR)
    marie = await join(relais, "marie", "paris11")
    amina_id = await person_id(relais, "amina")
    await marie.play(f"> /person {amina_id}\n> [CV à corriger]")
    await marie.type("x" * 10_000)
    assert "500 caractères au plus" in marie.text
    await marie.send(Inbound(EventKind.MEDIA, media="sticker"))
    assert "Je ne peux pas lire les photos" in marie.text
    await marie.type("/menu")
    await marie.type("Une note perdue")
    assert "C'est envoyé" not in marie.text
    async with relais.storage.transaction() as tx:
        assert (await tx.followup_of(amina_id)).cv_status == "to_check"
    await marie.play(
        f"""
        > /person {amina_id}
        > [Résultat]
        > [Formation]
        < À quelle date ?
        > 25/12/2026
        < Cette date n'est pas encore arrivée
        < À quelle date ?
        > 20/11/2026
        < C'est noté pour Amina Benali : Formation, le 20 novembre 2026.
        """
    )
    await marie.send(Inbound(EventKind.BUTTON, data="V:od:today"))
    assert "Ce bouton ne marche plus" in marie.text  # the date was already given
    for forged in ("V:", "V:zz:1", "V:p:abc", "V:l:nope:0", "V:ok:1:party", "V:p:1:2"):
        await marie.send(Inbound(EventKind.BUTTON, data=forged))
        assert "Ce bouton ne marche plus" in marie.text or "Je ne trouve pas" in marie.text


async def test_the_list_pages_and_filters(relais: Relais) -> None:
    for n in range(11):
        person = Conversation(relais, user=f"p{n}")
        # a first name is letters: PersonneA … PersonneK
        await person.play(AMINA_IN_PARIS.replace("Amina", f"Personne{chr(65 + n)}"))
    marie = await join(relais, "marie", "paris11")
    await marie.play(
        """
        > /people
        < page 1 sur 2
        < 11 personnes
        < PersonneK · pas de CV
        ! PersonneC
        > [Suivants]
        < page 2 sur 2
        < PersonneA
        > [Premier contact]
        < Personnes suivies (Premier contact) – page 1 sur 2
        > [CV à vérifier]
        < 0 personne
        < Personne dans cette liste pour l'instant.
        """
    )


async def test_help_tells_volunteers_the_commands_of_their_role(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    await marie.play(
        "> /help\n< Je suis Relais.\n< Vos commandes de bénévole :\n"
        "< /people : Les personnes suivies\n< /person : Ouvrir une fiche par son numéro\n"
        "! /team\n! /stats"
    )
    lea = await join(relais, "lea", "paris11", "coordinator")
    await lea.play("> /help\n< /people\n< /team : L'équipe du centre\n< /stats")
    amina = Conversation(relais, user="amina")
    await amina.play("> /start\n> [Français]\n> /help\n< Je suis Relais.\n! Vos commandes")
