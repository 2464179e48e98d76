"""Job offers on the volunteers' side, played as conversations: Marie, a volunteer of Paris 11e,
enters an offer with /offre and reads it as beneficiaries will; Cora, the coordinator, vets it;
Marie changes it (back to a draft: she may not vet) and closes it; /offres lists them with what
came of each. Bad input: a postcode Relais does not know, a last day that passed while typing,
a forged offer id, another centre's offer, a second volunteer's change meanwhile, a vetting
tap on a version changed since it was shown. The expiry sweep ends offers after their last day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.core.domain import EventKind, Inbound
from bot.offers import entry, expiry, wording
from bot.offers.domain import Offer
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, Hands
from bot.testing.offer_crowd import CLEANING
from tests.test_volunteers import join, person_id

CONFIG = """
[general]
languages = ["fr", "en"]
admins = ["4242"]

[offers]
volunteers_vet = ["lyon"]

[[centres]]
id = "paris11"
name = "Paris 11e"

[[centres]]
id = "lyon"
name = "Lyon Part-Dieu"
"""
NOT_FOUND = "Je ne trouve pas cette offre parmi celles de votre centre."
STALE = "Ce bouton ne marche plus"
# Monday 23 November 2026 (NOW, bot.testing.moment)
TODAY = date(2026, 11, 23)

ENTRY = """
> /offre
< Nouvelle offre d'emploi pour Paris 11e
< Quel est le poste ?
> Agent d'entretien
< Quel employeur ?
> Mairie de Montreuil
< Quel genre d'employeur ?
> [Mairie]
< Qui vous a transmis l'offre ?
> [Mairie]
< Dans quelle ville
> Montreuil
< Quel est le code postal
> {postcode}
< Quel contrat ?
> [CDD]
< Un CDD de combien de mois ?
> 6
< Temps plein ou temps partiel ?
> [Temps partiel]
< À quels moments ?
> [Tôt le matin]
> [Le soir]
> [Valider]
< Quel métier ?
> [Ménage et nettoyage]
< Quel niveau de français
> [Un peu]
< Faut-il le permis B ?
> [Non]
< Quelle expérience
> [Une première expérience]
< Quel diplôme
> [Sans diplôme]
< Le salaire
> SMIC
< Quelques mots sur le travail
> Nettoyage des écoles le matin tôt et le soir.
< Comment l'employeur veut-il recevoir les candidats ?
> CV par e-mail à rh@montreuil.example
< Jusqu'à quel jour
"""
AS_SEEN = """
< Voici ce que les personnes liront :
< 💼 Agent d'entretien
< Employeur : Mairie de Montreuil (Mairie)
< Lieu : Montreuil (93100)
< Contrat : CDD de 6 mois, temps partiel
< Horaires : tôt le matin, le soir
< Métier : Ménage et nettoyage
< Demandé : français un peu, une première expérience
< Salaire : SMIC
< Nettoyage des écoles le matin tôt et le soir.
< Offre valable jusqu'au 31 décembre 2026
< Pour l'équipe seulement :
< Transmise par : Mairie
< Candidatures : CV par e-mail à rh@montreuil.example
< Pas encore envoyée.
"""
CLEANER = replace(
    CLEANING,
    experience="some",
    pay="SMIC",
    description="Nettoyage des écoles le matin tôt et le soir.",
    how_to_apply="CV par e-mail à rh@montreuil.example",
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "relais.sqlite3")})


async def team(relais: Relais) -> tuple[Conversation, Conversation]:
    """Marie, a volunteer of Paris 11e, and Cora, its coordinator, at their menus."""
    marie = await join(relais, "marie", "paris11")
    await marie.type("Marie")
    cora = await join(relais, "cora", "paris11", role="coordinator")
    await cora.type("Cora")
    return marie, cora


async def offers_of(relais: Relais, centre: str = "paris11") -> list[Offer]:
    async with relais.storage.reading() as reads:
        return await reads.offers_of(centre)


async def entered(relais: Relais, marie: Conversation) -> Offer:
    """Marie's offer, entered through /offre."""
    await marie.play(ENTRY.format(postcode="93100") + "> 31/12/2026\n< Offre n°")
    [offer] = await offers_of(relais)
    return offer


async def press_data(who: Conversation, data: str) -> str:
    """A button pressed by its data (a forged one, or one of an old message)."""
    return await who.send(Inbound(EventKind.BUTTON, data=data))


async def test_marie_enters_an_offer_and_reads_it_as_beneficiaries_will(relais: Relais) -> None:
    marie, _ = await team(relais)
    await marie.play(
        ENTRY.format(postcode="93100")
        + """
        > 31/12/2026
        < 💼 Offre n° 1 enregistrée (brouillon).
        < 💼 Offre n° 1 – brouillon, à valider
        """
        + AS_SEEN
        + """
        < À valider par un coordinateur du centre avant de pouvoir l'envoyer.
        < [✏️ Modifier]
        < [🔒 Fermer]
        ! [✅ Valider]
        ! Qui peut la recevoir
        """
    )
    [offer] = await offers_of(relais)
    assert offer.details == CLEANER
    assert (offer.centre, offer.state, offer.version) == ("paris11", "draft", 1)
    assert offer.created_by == await person_id(relais, "marie")


async def test_cora_vets_it_marie_changes_it_and_it_must_be_vetted_again(relais: Relais) -> None:
    marie, cora = await team(relais)
    offer = await entered(relais, marie)
    await cora.play(
        f"""
        > /offres
        < 💼 Offres d'emploi – Paris 11e (page 1)
        < n° {offer.id} · Agent d'entretien · Montreuil · brouillon, à valider
        > [n° {offer.id}]
        < Relisez-la, puis validez-la pour pouvoir l'envoyer.
        > [Valider]
        < ✅ Offre validée
        < 💼 Offre n° {offer.id} – validée
        < [👥 Qui peut la recevoir ?]
        ! [✅ Valider]
        """
    )
    vetted = (await offers_of(relais))[0]
    assert (vetted.state, vetted.vetted_by) == ("vetted", await person_id(relais, "cora"))
    await marie.play(
        f"""
        > /offres
        > [n° {offer.id}]
        < validée
        > [Modifier]
        < Modifier l'offre n° {offer.id} : choisissez ce qui change.
        < Que voulez-vous changer ?
        > [Salaire et description]
        < Le salaire
        > 12 € brut de l'heure
        < Quelques mots
        > [Passer]
        < Comment l'employeur
        > [Passer]
        < Que voulez-vous changer ?
        > [Enregistrer]
        < ✏️ Offre n° {offer.id} modifiée : elle doit être validée à nouveau avant l'envoi.
        < Salaire : 12 € brut de l'heure
        < brouillon, à valider
        """
    )
    changed = (await offers_of(relais))[0]
    assert (changed.state, changed.version, changed.details.pay) == (
        "draft",
        2,
        "12 € brut de l'heure",
    )
    # "Passer" on a change clears the text: how a volunteer takes a description out
    assert (changed.details.description, changed.details.how_to_apply) == ("", "")


async def test_a_coordinator_s_own_change_keeps_the_offer_vetted(relais: Relais) -> None:
    _, cora = await team(relais)
    async with relais.storage.transaction() as tx:
        offer = await tx.add_offer("paris11", CLEANER, None)
        assert await tx.vet_offer(offer.id, 1, None)
    await cora.play(
        f"""
        > /offres
        > [n° {offer.id}]
        > [Modifier]
        > [Lieu]
        < Dans quelle ville
        > Paris
        < Quel est le code postal
        > 75011
        < Que voulez-vous changer ?
        > [Enregistrer]
        < ✏️ Offre n° {offer.id} modifiée.
        < Lieu : Paris (75011)
        < – validée
        """
    )
    [after] = await offers_of(relais)
    assert (after.state, after.details.town, after.details.postcode) == ("vetted", "Paris", "75011")


async def test_an_unknown_postcode_is_asked_again_with_everything_else_kept(
    relais: Relais,
) -> None:
    marie, _ = await team(relais)
    # 96 is no département: the flow's postcode step refuses it at once
    await marie.play(ENTRY.format(postcode="96100").split("< Quel contrat ?")[0])
    assert "code postal" in marie.text.casefold()
    assert "Quel contrat" not in marie.text
    # 98 passes the step (Monaco, the Pacific) but is no département Relais can place:
    # refused when the offer is saved, asked again with everything else kept
    async with relais.storage.transaction() as tx:
        offer = await tx.add_offer("paris11", CLEANER, None)
    await marie.play(f"> /offres\n> [n° {offer.id}]\n> [Modifier]\n> [Lieu]\n> Paris")
    await marie.type("98799")
    assert "Que voulez-vous changer" in marie.text
    await marie.play(
        """
        > [Enregistrer]
        < Il y a un souci : code postal inconnu. Corrigez-le, puis « Enregistrer ».
        < Quel est le code postal
        > 75011
        < Que voulez-vous changer ?
        > [Enregistrer]
        < modifiée
        < Lieu : Paris (75011)
        """
    )
    [after] = await offers_of(relais)
    assert after.details.postcode == "75011"


async def test_a_last_day_that_passed_while_typing_is_asked_again(
    relais: Relais, hands: Hands
) -> None:
    marie, _ = await team(relais)
    await marie.play(ENTRY.format(postcode="93100"))
    await marie.play("> 23/11/2026\n< Offre n° 1 enregistrée")  # today: accepted
    await marie.play("> [Modifier]\n> [Date limite]\n< Jusqu'à quel jour")
    await marie.play("> 22/11/2026\n< Jusqu'à quel jour")  # yesterday: refused by the step
    await marie.play("> 24/11/2026\n< Que voulez-vous changer ?")
    hands.now = NOW + timedelta(days=2)  # Wednesday: the 24th is past when she saves
    await marie.play(
        """
        > [Enregistrer]
        < Il y a un souci : la date limite est déjà passée.
        < Jusqu'à quel jour
        > 30/11/2026
        > [Enregistrer]
        < modifiée
        < Offre valable jusqu'au 30 novembre 2026
        """
    )


async def test_forged_ids_and_another_centre_s_offer_get_the_same_answer(relais: Relais) -> None:
    marie, _ = await team(relais)
    async with relais.storage.transaction() as tx:
        lyon = await tx.add_offer("lyon", CLEANER, None)
    for verb in ("of", "oe", "oc", "oo"):
        for number in (lyon.id, 999_999):
            assert NOT_FOUND in await press_data(marie, f"V:{verb}:{number}")
        assert STALE in await press_data(marie, f"V:{verb}:abc")
    assert NOT_FOUND in await press_data(marie, f"V:ov:{lyon.id}:1")
    assert STALE in await press_data(marie, "V:on:lyon")  # a new offer for another centre
    [untouched] = await offers_of(relais, "lyon")
    assert (untouched.state, untouched.version) == ("draft", 1)


async def test_a_volunteer_may_vet_where_the_configuration_allows_it(relais: Relais) -> None:
    paul = await join(relais, "paul", "lyon")
    await paul.type("Paul")
    marie, _ = await team(relais)
    async with relais.storage.transaction() as tx:
        lyon = await tx.add_offer("lyon", CLEANER, None)
        paris = await tx.add_offer("paris11", CLEANER, None)
    await press_data(paul, f"V:of:{lyon.id}")
    await paul.play("< Relisez-la, puis validez-la\n> [Valider]\n< ✅ Offre validée")
    # in Paris only coordinators vet: Marie has no button, and a forged one is refused
    await press_data(marie, f"V:of:{paris.id}")
    assert "Valider" not in marie.labels()
    await press_data(marie, f"V:ov:{paris.id}:1")
    assert "Seuls les coordinateurs du centre peuvent valider une offre." in marie.text
    states = {
        o.centre: o.state for o in (await offers_of(relais, "lyon")) + await offers_of(relais)
    }
    assert states == {"lyon": "vetted", "paris11": "draft"}


async def test_a_change_made_meanwhile_is_never_written_over_nor_vetted_unseen(
    relais: Relais,
) -> None:
    marie, cora = await team(relais)
    offer = await entered(relais, marie)
    # Cora reads version 1; Marie starts a change; Cora changes the title first
    await press_data(cora, f"V:of:{offer.id}")
    await marie.play("> [Modifier]\n> [Poste et employeur]\n> Agent de propreté")
    await cora.play(
        """
        > [Modifier]
        > [Lieu]
        > Bagnolet
        > 93170
        > [Enregistrer]
        < modifiée
        """
    )
    await marie.play(
        """
        > Mairie de Montreuil
        > [Mairie]
        > [Mairie]
        < Que voulez-vous changer ?
        > [Enregistrer]
        < Quelqu'un a modifié cette offre pendant que vous écriviez
        < Lieu : Bagnolet (93170)
        < 💼 Agent d'entretien
        """
    )
    # vetting the version Cora read before the change: shown again, not vetted
    reply = await press_data(cora, f"V:ov:{offer.id}:1")
    assert "Cette offre a changé depuis que vous l'avez lue" in reply
    [now] = await offers_of(relais)
    assert (now.state, now.version, now.details.title) == ("draft", 2, "Agent d'entretien")
    await cora.play("> [Valider]\n< ✅ Offre validée")


async def test_close_reopen_and_the_list_s_counts(relais: Relais) -> None:
    marie, cora = await team(relais)
    offer = await entered(relais, marie)
    await marie.play(
        """
        > [Fermer]
        < 🔒 Offre fermée
        < – fermée
        < [↩ Rouvrir]
        """
    )
    # the close button of the message before, pressed again
    assert "Cette offre est déjà fermée." in await press_data(marie, f"V:oc:{offer.id}")
    await marie.play(
        """
        > [Rouvrir]
        < Offre rouverte. Elle doit être validée à nouveau
        < brouillon, à valider
        """
    )
    amina = await person_for(relais, "amina")
    async with relais.storage.transaction() as tx:
        assert await tx.vet_offer(offer.id, 1, None)
        await tx._execute(
            "INSERT INTO offer_broadcasts (id, offer_id, total, started_at) VALUES (1, ?, 1, '')",
            (offer.id,),
        )
        await tx._execute(
            "INSERT INTO offer_sends (offer_id, person_id, broadcast_id, proposable, answer,"
            " delivered_at, sent_to_employer_at, result, created_at)"
            " VALUES (?, ?, 1, 1, 'interested', '2026-11-23', '2026-11-23', 'hired', '')",
            (offer.id, amina),
        )
        lyon = await tx.add_offer("lyon", CLEANER, None)
    await cora.play(
        f"""
        > /offres
        < n° {offer.id} · Agent d'entretien · Montreuil · validée
        < envoyée à 1 · intéressées 1 · transmises 1 · embauchées 1
        ! n° {lyon.id} ·
        > [n° {offer.id}]
        < Envoyée à 1 · intéressées : 1 · transmises à l'employeur : 1 · embauchées : 1
        """
    )


async def person_for(relais: Relais, user: str) -> int:
    """A beneficiary of Paris 11e (the offer's funnel counts them)."""
    async with relais.storage.transaction() as tx:
        state = await tx.load_state("test", user)
        state.person.consent = True
        state.person.centre = "paris11"
        await tx.save_state(state)
        assert state.person.id is not None
        return state.person.id


async def test_the_list_pages_and_puts_drafts_first(relais: Relais) -> None:
    _, cora = await team(relais)
    async with relais.storage.transaction() as tx:
        ids = [(await tx.add_offer("paris11", CLEANER, None)).id for _ in range(10)]
        assert await tx.vet_offer(ids[-1], 1, None)
    await cora.play("> /offres\n< (page 1)\n> [Suivantes]\n< (page 2)\n> [Précédentes]")
    await cora.type("/offres")
    first = [b.label for b in cora.buttons if b.label.startswith("n° ")]
    # the nine drafts first (newest first), the vetted one last
    assert first == [f"n° {i} · Agent d'entretien" for i in reversed(ids[:9])][:8]
    await press_data(cora, "V:ol:99999999")  # a forged page: an empty page, no error
    assert "Pas encore d'offre" in cora.text


async def test_offers_expire_the_day_after_their_last_day(relais: Relais, hands: Hands) -> None:
    async with relais.storage.transaction() as tx:
        today = await tx.add_offer("paris11", replace(CLEANER, expires_on=TODAY), None)
        later = await tx.add_offer("paris11", CLEANER, None)
    assert await expiry.sweep(relais, NOW) == 0
    # 23:30 in Paris on its last day: still open
    assert await expiry.sweep(relais, NOW.replace(hour=22, minute=30)) == 0
    # 00:10 in Paris the day after (23:10 UTC): expired
    assert await expiry.sweep(relais, NOW.replace(hour=23, minute=10)) == 1
    assert await expiry.sweep(relais, NOW + timedelta(days=1)) == 0  # idempotent
    states = {o.id: o.state for o in await offers_of(relais)}
    assert states == {today.id: "expired", later.id: "draft"}


async def test_someone_of_several_centres_picks_the_offer_s_centre_first(relais: Relais) -> None:
    boss = Conversation(relais, user="4242")  # an admin: every centre
    await boss.play(
        """
        > /start
        > [Français]
        > /offre
        < Une offre pour quel centre ?
        < [Paris 11e]
        < [Lyon Part-Dieu]
        > [Lyon]
        < Nouvelle offre d'emploi pour Lyon Part-Dieu
        < Quel est le poste ?
        > /cancel
        < rien n'a changé
        """
    )
    assert await offers_of(relais, "lyon") == []


def test_the_offer_reads_in_the_person_s_language_with_the_volunteer_s_words_in_french(
    relais: Relais,
) -> None:
    offer = Offer(1, "paris11", CLEANER, "vetted", None, None, 1, NOW)
    english = wording.beneficiary_text(relais.catalogs.get("en"), offer, proposable=False)
    assert english.splitlines() == [
        "💼 Agent d'entretien",
        "Employer: Mairie de Montreuil (City hall)",
        "Place: Montreuil (93100)",
        "Contract: 6-month fixed-term contract (CDD), part time",
        "Hours: early morning, in the evening",
        "Job: Cleaning",
        "Required: a little French, some work experience",
        "Pay: SMIC",
        "",
        "Nettoyage des écoles le matin tôt et le soir.",
        "",
        "Offer open until 31 December 2026",
        "First show your CV to a volunteer.",
    ]
    # how the employer wants candidates is for volunteers only
    french = wording.beneficiary_text(relais.catalogs.get("fr"), offer)
    assert "rh@montreuil" not in french + english
    assert "Montrez d'abord votre CV" not in french
    # office hours (no time ticked) are said too: people plan their days on them
    office = Offer(1, "paris11", replace(CLEANER, schedule=()), "vetted", None, None, 1, NOW)
    assert "Horaires : en journée, en semaine" in wording.beneficiary_text(
        relais.catalogs.get("fr"), office
    )


def test_the_flow_s_answers_and_the_offer_say_the_same() -> None:
    for details in (CLEANER, replace(CLEANER, contract="cdi", contract_months=None, pay="")):
        assert entry.from_answers(entry.to_answers(details)) == details
        assert entry.problems(details, TODAY) == []
    # a CDD length on a CDI is dropped by the flow (the answer stays from an earlier choice)
    answers = {**entry.to_answers(CLEANER), "offer_contract": "cdi"}
    assert entry.from_answers(answers) == replace(CLEANER, contract="cdi", contract_months=None)
    wrong = replace(CLEANER, postcode="98000", expires_on=TODAY - timedelta(days=1))
    assert [(p.field, p.msgid) for p in entry.problems(wrong, TODAY)] == [
        ("postcode", "code postal inconnu"),
        ("expires_on", "la date limite est déjà passée"),
    ]
    assert entry.from_answers({"offer_expires": "demain"}) is None
