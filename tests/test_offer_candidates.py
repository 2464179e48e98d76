"""The candidates of an offer, played as conversations: Amina (checked CV) and Fatou (no CV yet)
say "Ça m'intéresse", Olena too then changes her mind; a week later Marie opens the offer,
sees "🤝 Candidats (2)", opens Fatou (her phone, "no CV yet", how to apply), records "sent to
the employer" then the interview, and finds it on the list. Forged ids, and a volunteer of
another centre, get the answers of unknown ones. People without a CV read "make your CV
first" rather than "show it"; the match preview says "pas encore de CV" for them."""

from __future__ import annotations

from datetime import timedelta

from bot.desk.buttons import build
from bot.service import Relais
from bot.testing.moment import Hands
from tests.appointment_person_kit import (
    AMINA,
    OLENA,
    appointment_hands,  # noqa: F401  (the fixtures: relais, settings, hands)
    appointment_settings,  # noqa: F401
    deliver,
)
from tests.offer_person_kit import beneficiary, broadcast, fits, offer, send_state
from tests.test_offer_answers import MENU, STALE, tap
from tests.test_volunteers import join

FATOU = """
> /start
> [Français]
> [Oui]
> [Paris 11e]
> Fatou
< Que voulez-vous faire ?
"""
KARIM = """
> /start
> [Français]
> [Oui]
> [Lyon Part-Dieu]
> Karim
< Que voulez-vous faire ?
"""
MAKE_CV = "Faites d'abord votre CV : « Faire mon CV » dans le menu, puis montrez-le à un bénévole."
NOT_FOUND = "Je ne trouve pas cette offre parmi celles de votre centre."


async def audited(relais: Relais, person_id: int) -> list[str]:
    """The audit lines about a person (their actions)."""
    async with relais.storage.reading() as reads:
        return [a.action for a in await reads.audit_about(person_id)]


async def test_marie_records_fatous_candidacy_from_the_offer_a_week_later(
    relais: Relais, hands: Hands
) -> None:
    marie = await join(relais, "marie", "paris11")
    amina = await beneficiary(relais, "amina", AMINA)
    amina_id = await fits(relais, "amina", phone="0612345678", first_name="Amina")
    fatou = await beneficiary(relais, "fatou", FATOU)
    fatou_id = await fits(relais, "fatou", checked=False, phone="0698765432", first_name="Fatou")
    olena = await beneficiary(relais, "olena", OLENA)
    await fits(relais, "olena", first_name="Olena")
    job = await offer(relais, by="marie")
    assert await broadcast(relais, job, include_unchecked=True) == 3
    await deliver(relais, amina)
    await amina.press("Ça m'intéresse")
    # Fatou has no CV: she is asked to make it, with the menu's own words
    text = await deliver(relais, fatou)
    assert MAKE_CV in text and "Montrez d'abord votre CV" not in text
    await fatou.play(
        f"""
        > [Ça m'intéresse]
        < C'est noté ! Un bénévole de votre centre va vous contacter. {MAKE_CV}
        < {MENU}
        """
    )
    # Olena changes her mind: no longer a candidate
    await deliver(relais, olena)
    offer_buttons = list(olena.buttons)
    await olena.press("I'm interested")
    olena.buttons = offer_buttons
    await olena.press("Not for me")
    tasks = await deliver(relais, marie)
    assert "Pas encore de CV : aidez-la/le à le faire avant de l'envoyer." in tasks
    assert tasks.count("Son CV n'est pas encore vérifié") == 0

    hands.now += timedelta(days=7)  # the relay tasks scrolled away
    await tap(marie, build("of", job.id))
    assert "🤝 Candidats (2)" in marie.labels()
    await marie.press("Candidats (2)")
    assert marie.text.startswith(
        f"🤝 Candidats de l'offre n° {job.id} « Agent d'entretien » (page 1)\n\n"
        f"n° {amina_id} Amina — intéressé·e\n"
        f"n° {fatou_id} Fatou — intéressé·e\n"
    )
    assert "Olena" not in marie.text
    assert marie.labels() == [f"n° {amina_id} Amina", f"n° {fatou_id} Fatou", "↩ Retour à l'offre"]
    before = (await audited(relais, fatou_id)).count("phone")
    await marie.press("Fatou")
    text = marie.text
    assert text.startswith(f"🤝 Fatou (n° {fatou_id}) est intéressé·e par l'offre")
    assert "Téléphone : 0698765432" in text
    assert "Pas encore de CV : aidez-la/le à le faire avant de l'envoyer." in text
    assert "Comment postuler : CV par courriel à rh@montreuil.example" in text
    assert "Où en est la candidature : intéressé·e" in text
    assert marie.last_message.document == ""  # no CV to send
    assert marie.labels() == [
        "📨 Envoyée à l'employeur",
        "Voir la fiche",
        "↩ Les candidats",
        "↩ Retour à l'offre",
    ]
    assert (await audited(relais, fatou_id)).count("phone") == before + 1  # her phone was read
    await marie.press("Envoyée à l'employeur")
    assert "la candidature de Fatou est envoyée à l'employeur" in marie.text
    await marie.press("Entretien")
    assert "C'est noté : Fatou a un entretien pour « Agent d'entretien »." in marie.text
    assert await send_state(relais, job, "fatou") == ("interested", "", "interview")

    # the list and her screen say where it stands; her screen now offers the results
    await marie.press("Voir la fiche")
    assert "Fatou" in marie.text
    await tap(marie, build("oca", job.id, 0))
    assert f"n° {fatou_id} Fatou — entretien" in marie.text
    await marie.press("Fatou")
    assert "Où en est la candidature : entretien" in marie.text
    assert marie.labels() == [
        "🗓 Entretien",
        "🎉 Embauché·e",
        "Pas retenu·e",
        "Voir la fiche",
        "↩ Les candidats",
        "↩ Retour à l'offre",
    ]
    # Amina's checked CV comes with her screen, as with the relay task (and is audited)
    await marie.press("Les candidats")
    cv_reads = (await audited(relais, amina_id)).count("cv")
    await marie.press("Amina")
    assert "Son CV est vérifié : le voici, à envoyer à l'employeur." in marie.text
    assert marie.last_message.document == f"cv_pdf:{amina_id}"
    assert (await audited(relais, amina_id)).count("cv") == cv_reads + 1
    await marie.press("Retour à l'offre")
    assert marie.text.startswith(f"💼 Offre n° {job.id}")


async def test_forged_ids_and_another_centres_volunteer_get_the_unknown_answer(
    relais: Relais,
) -> None:
    marie = await join(relais, "marie", "paris11")
    lena = await join(relais, "lena", "lyon")
    amina = await beneficiary(relais, "amina", AMINA)
    amina_id = await fits(relais, "amina", first_name="Amina")
    olena = await beneficiary(relais, "olena", OLENA)
    olena_id = await fits(relais, "olena")
    await beneficiary(relais, "karim", KARIM)
    karim_id = await fits(relais, "karim")
    job = await offer(relais, by="marie")
    assert await broadcast(relais, job) == 2
    await deliver(relais, amina)
    await amina.press("Ça m'intéresse")
    await deliver(relais, olena)
    # an unknown offer, and another centre's volunteer on the real one: the same answer
    assert NOT_FOUND in await tap(marie, build("oca", 999, 0))
    assert NOT_FOUND in await tap(lena, build("oca", job.id, 0))
    assert "🤝 Candidats" not in await tap(lena, build("of", job.id))
    unknown_offer = await tap(marie, build("ocp", 999, amina_id))
    assert "n'est pas de votre centre" in unknown_offer
    assert await tap(lena, build("ocp", job.id, amina_id)) == unknown_offer
    # a person of another centre gets the answer of one who does not exist
    assert STALE in await tap(marie, build("ocp", job.id, 99_999))
    assert await tap(marie, build("ocp", job.id, karim_id)) == await tap(
        marie, build("ocp", job.id, 99_999)
    )
    # someone of the centre who did not say they are interested
    assert "pas dit que cette offre l'intéresse" in await tap(marie, build("ocp", job.id, olena_id))
    assert "Amina" not in await tap(lena, build("oca", job.id, 0))
    # nothing was recorded by any of it
    assert await send_state(relais, job, "amina") == ("interested", "", "")


async def test_no_candidate_no_button_and_a_forged_page_is_empty(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    job = await offer(relais, by="marie")
    await tap(marie, build("of", job.id))
    assert not [label for label in marie.labels() if "Candidats" in label]
    text = await tap(marie, build("oca", job.id, 10**12))
    assert "Personne n'a encore dit que cette offre l'intéresse." in text


async def test_the_candidates_come_a_page_at_a_time(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    people = []
    for n in range(10):
        user = f"p{n}"
        person = await beneficiary(relais, user, AMINA)
        await fits(relais, user, first_name=f"Personne{n}")
        people.append(person)
    job = await offer(relais, by="marie")
    assert await broadcast(relais, job) == 10
    for person in people:
        await deliver(relais, person)
        await person.press("Ça m'intéresse")
    await tap(marie, build("of", job.id))
    await marie.press("Candidats (10)")
    assert marie.text.count("— intéressé·e") == 8
    await marie.press("Suivants")
    assert "(page 2)" in marie.text and marie.text.count("— intéressé·e") == 2
    assert "Personne9" in marie.text
    await marie.press("Précédents")
    assert "(page 1)" in marie.text


async def test_the_preview_tells_no_cv_from_a_cv_to_check(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    await beneficiary(relais, "fatou", FATOU)
    await fits(relais, "fatou", checked=False, first_name="Fatou")
    await beneficiary(relais, "amina", AMINA)
    amina_id = await fits(relais, "amina", checked=False, first_name="Amina", last_name="Diallo")
    async with relais.storage.transaction() as tx:
        await tx.update_followup(amina_id, cv_status="to_check")
    job = await offer(relais, by="marie")
    text = await tap(marie, build("om", job.id))
    assert "Fatou (pas encore de CV)" in text
    assert "Amina (CV à vérifier d'abord)" in text
