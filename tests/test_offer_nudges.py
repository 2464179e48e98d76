"""The nudges about job offers: a week after "Ça m'intéresse", Amina is asked for news and
her answers reach Marie (a hire for Marie to confirm, then an outcome); on Monday from 10:00
the weekly digest lists the open offers she has not answered, each a button that shows the
offer again with its answers; nothing for someone who stopped offers; all within the weekly
cap."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.offers import nudges
from bot.service import Relais
from bot.testing.moment import Hands
from tests.appointment_person_kit import (
    AMINA,
    OLENA,
    appointment_hands,  # noqa: F401  (the fixtures: relais, settings, hands)
    appointment_settings,  # noqa: F401
    deliver,
)
from tests.offer_person_kit import CLEANER, beneficiary, broadcast, fits, offer, send_state
from tests.test_offer_answers import MENU, amina_with_an_offer, buttons_of
from tests.test_volunteers import join

WEEK = timedelta(days=7)


async def test_a_week_after_interested_amina_is_asked_for_news(
    relais: Relais, hands: Hands
) -> None:
    marie = await join(relais, "marie", "paris11")
    amina = await amina_with_an_offer(relais)
    job = await offer(relais, by="marie")
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.press("Ça m'intéresse")
    await deliver(relais, marie)
    hands.now += WEEK + timedelta(minutes=1)
    # her candidacy has not reached the employer yet: no news to ask about
    assert await nudges.followup_sweep(relais, relais.clock()) == 0
    hands.now -= timedelta(minutes=2)
    await marie.press("Envoyée à l'employeur")
    assert await nudges.followup_sweep(relais, relais.clock()) == 0  # a week after interested
    hands.now += timedelta(minutes=2)
    assert await nudges.followup_sweep(relais, relais.clock()) == 1
    assert await nudges.followup_sweep(relais, relais.clock()) == 0  # once
    text = await deliver(relais, amina)
    assert text == (
        "Avez-vous des nouvelles de l'offre « Agent d'entretien » (Mairie de Montreuil)"
        " qui vous intéressait ?"
    )
    assert amina.labels() == [
        "🗓 J'ai un entretien",
        "🎉 J'ai eu le travail",
        "Ça n'a pas marché",
        "Pas encore de nouvelles",
    ]
    news = list(amina.buttons)
    await amina.play(
        f"""
        > [J'ai un entretien]
        < Bonne chance pour l'entretien ! Votre bénévole est prévenu.
        < {MENU}
        """
    )
    assert await send_state(relais, job, "amina") == ("interested", "", "interview")
    assert "a un entretien pour l'offre « Agent d'entretien »" in await deliver(relais, marie)
    amina.buttons = news
    await amina.press("J'ai eu le travail")
    assert "Bravo ! Votre bénévole va le confirmer." in amina.text
    told = await deliver(relais, marie)
    assert "dit avoir été embauché·e pour l'offre « Agent d'entretien »" in told
    assert await send_state(relais, job, "amina") == ("interested", "", "interview")
    await marie.press("Confirmer l'embauche")
    assert await send_state(relais, job, "amina") == ("interested", "", "hired")


async def test_no_follow_up_for_someone_who_stopped_offers(relais: Relais, hands: Hands) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.press("Ça m'intéresse")
    async with relais.storage.transaction() as tx:
        state = await tx.find_person("test", "amina")
        assert state is not None and state.id is not None
        await tx.set_wants_offers(state.id, False)
    hands.now += WEEK + timedelta(minutes=1)
    assert await nudges.followup_sweep(relais, relais.clock()) == 0
    assert await deliver(relais, amina) == ""


async def test_the_monday_digest_lists_the_offers_not_answered(
    relais: Relais, hands: Hands
) -> None:
    amina = await amina_with_an_offer(relais)
    first = await offer(relais)
    second = await offer(relais, replace(CLEANER, title="Agent de propreté", contract="cdi"))
    await broadcast(relais, first)
    await broadcast(relais, second)
    await deliver(relais, amina)  # both, newest last
    await amina.press("Pas pour moi")  # on the second
    hands.now += WEEK  # Monday 14 December, 10:00 in Paris
    assert await nudges.digest_sweep(relais, hands.now - timedelta(minutes=1)) == 0  # 9:59
    assert await nudges.digest_sweep(relais, relais.clock()) == 1
    assert await nudges.digest_sweep(relais, relais.clock()) == 0  # once a week
    text = await deliver(relais, amina)
    assert text == (
        "📋 Les offres d'emploi de la semaine pour vous, sans réponse de votre part :\n"
        "1. Agent d'entretien – Montreuil – CDD de 6 mois\n"
        "Appuyez sur un numéro pour revoir l'offre et y répondre."
    )
    assert amina.labels() == ["1"]
    await amina.press("1")
    assert amina.text.startswith("💼 Agent d'entretien")
    buttons_of(amina, "💼 Agent d'entretien")
    await amina.press("Ça m'intéresse")
    assert "Un bénévole de votre centre va vous rappeler" in amina.text
    assert await send_state(relais, first, "amina") == ("interested", "", "")


async def test_an_offer_sent_this_very_morning_waits_for_next_week_s_digest(
    relais: Relais, hands: Hands
) -> None:
    amina = await amina_with_an_offer(relais)  # Monday 7 December, 10:00 in Paris
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    hands.now += timedelta(minutes=5)  # the digest's hour has come: the offer is on screen
    assert await nudges.digest_sweep(relais, relais.clock()) == 0
    hands.now += WEEK
    assert await nudges.digest_sweep(relais, relais.clock()) == 1


async def test_no_digest_on_other_days_nor_for_people_who_stopped(
    relais: Relais, hands: Hands
) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    hands.now += timedelta(days=1)  # Tuesday
    assert await nudges.digest_sweep(relais, relais.clock()) == 0
    await amina.press("Ne plus recevoir")
    hands.now += timedelta(days=6)  # Monday
    assert await nudges.digest_sweep(relais, relais.clock()) == 0


async def test_a_digest_answered_meanwhile_is_not_delivered(relais: Relais, hands: Hands) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    offer_buttons = list(amina.buttons)
    hands.now += WEEK
    assert await nudges.digest_sweep(relais, relais.clock()) == 1
    amina.buttons = offer_buttons
    await amina.press("Pas pour moi")
    assert await deliver(relais, amina) == ""


async def test_nudges_count_in_the_weekly_cap(relais: Relais, hands: Hands) -> None:
    amina = await amina_with_an_offer(relais)
    jobs = [await offer(relais, replace(CLEANER, title=f"Offre {n}")) for n in range(3)]
    for job in jobs:
        await broadcast(relais, job)
    assert (await deliver(relais, amina)).count("💼") == 3
    await amina.press("Ça m'intéresse")  # on the last one
    hands.now += timedelta(days=5)
    async with relais.storage.transaction() as tx:
        await tx._execute(
            "UPDATE offer_sends SET answered_at = ?, sent_to_employer_at = answered_at",
            ("2026-11-01T00:00:00",),
        )
    assert await nudges.followup_sweep(relais, relais.clock()) == 1
    assert await deliver(relais, amina) == ""  # three this week already: it waits
    hands.now += timedelta(days=2, seconds=1)
    assert "Avez-vous des nouvelles" in await deliver(relais, amina)


async def test_nudges_wait_for_the_end_of_quiet_hours(relais: Relais, hands: Hands) -> None:
    amina = await amina_with_an_offer(relais)
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    await amina.press("Ça m'intéresse")
    async with relais.storage.transaction() as tx:  # Marie sent it to the employer
        await tx._execute("UPDATE offer_sends SET sent_to_employer_at = answered_at")
    # Monday 14 December, 21:00 in Paris: the follow-up is queued, and waits for the morning
    hands.now += WEEK + timedelta(hours=11)
    assert await nudges.followup_sweep(relais, relais.clock()) == 1
    assert await deliver(relais, amina) == ""
    hands.now += timedelta(hours=11, minutes=31)  # Tuesday 08:31
    assert "Avez-vous des nouvelles" in await deliver(relais, amina)


async def test_the_digest_reads_everyone_a_page_at_a_time(
    relais: Relais, hands: Hands, monkeypatch: pytest.MonkeyPatch
) -> None:
    amina = await amina_with_an_offer(relais)
    olena = await beneficiary(relais, "olena", OLENA)
    await fits(relais, "olena")
    fatou = await beneficiary(relais, "fatou", AMINA.replace("Amina", "Fatou"))
    await fits(relais, "fatou")
    job = await offer(relais)
    await broadcast(relais, job)
    await deliver(relais, amina)
    await deliver(relais, olena)  # Fatou's is still in the queue: not in her digest
    monkeypatch.setattr(nudges, "BATCH", 1)
    hands.now += WEEK
    assert await nudges.digest_sweep(relais, relais.clock()) == 2
    del fatou
