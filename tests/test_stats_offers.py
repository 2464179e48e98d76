"""The offers' funnel in the centres' statistics: offers received by source, vetted, sent,
people reached, interested, sent to the employer, hired; in `/stats`, its CSV and `relais
stats` (one code for the three: bot.desk.stats). Played through the real path: Marie enters
and vets offers, they are broadcast and delivered, Amina and Olena answer, Marie records
"sent to the employer" and a hire."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

from bot.desk.stats import compute, format_text, to_csv
from bot.service import Relais
from bot.storage.queries import to_text
from tests.appointment_person_kit import (
    OLENA,
    appointment_hands,  # noqa: F401  (the fixtures: relais, settings, hands)
    appointment_settings,  # noqa: F401
    deliver,
)
from tests.offer_person_kit import CLEANER, beneficiary, broadcast, fits, offer
from tests.test_offer_answers import amina_with_an_offer
from tests.test_volunteers import join

START, END = date(2026, 12, 1), date(2026, 12, 31)
NAMES = {"paris11": "Paris 11e", "lyon": "Lyon Part-Dieu"}


async def seed(relais: Relais) -> None:
    """Paris 11e: three offers received (two from the city hall, one from France Travail),
    two vetted and sent; Amina and Olena reached; Amina interested, sent to the employer and
    hired; Olena not interested; one offer still a draft. Lyon: one draft from a company."""
    marie = await join(relais, "marie", "paris11")
    amina = await amina_with_an_offer(relais)
    olena = await beneficiary(relais, "olena", OLENA)
    await fits(relais, "olena")
    first = await offer(relais, by="marie")
    second = await offer(
        relais, replace(CLEANER, title="Agent de propreté", source="france_travail")
    )
    async with relais.storage.transaction() as tx:
        await tx.add_offer("paris11", replace(CLEANER, title="Brouillon"), None)
        await tx.add_offer("lyon", replace(CLEANER, source="company"), None)
    await broadcast(relais, first)
    await broadcast(relais, second)
    await deliver(relais, amina)
    await deliver(relais, olena)
    async with relais.storage.transaction() as tx:
        # the outbox stamps when an offer's message has left (offer-send); here the test's
        # deliveries are the phone
        await tx._execute("UPDATE offer_sends SET delivered_at = ?", (to_text(relais.clock()),))
    await amina.press("Ça m'intéresse")
    await olena.press("Not for me" if "Not for me" in " ".join(olena.labels()) else "Pas pour")
    await deliver(relais, marie)
    await marie.press("Envoyée à l'employeur")
    await marie.press("Embauché")


async def test_the_funnel_of_each_centre_and_the_total(relais: Relais) -> None:
    await seed(relais)
    async with relais.storage.reading() as reads:
        paris, lyon, total = await compute(reads, ("paris11", "lyon"), START, END)
    assert paris.offers == {
        "received": 3,
        "vetted": 2,
        "sent": 2,
        "reached": 2,
        "interested": 1,
        "to_employer": 1,
        "hired": 1,
    }
    assert (paris.offer_sources["city_hall"], paris.offer_sources["france_travail"]) == (2, 1)
    assert lyon.offers["received"] == 1 and lyon.offer_sources["company"] == 1
    assert total.offers["received"] == 4 and total.offers["hired"] == 1
    # the hire is a job outcome of the centre, under the offer's contract
    assert paris.outcomes["job"] == 1 and paris.jobs_by_contract["cdd"] == 1
    text = format_text([paris], relais.catalogs.get("fr"), NAMES).splitlines()
    assert text[-2:] == [
        "Offres d'emploi : reçues 3, vérifiées 2, envoyées 2, personnes touchées 2,"
        " personnes intéressées 1, candidatures à l'employeur 1, embauches 1",
        "Offres reçues de : France Travail 1, Mairie 2",
    ]
    rows = list(csv.DictReader(io.StringIO(to_csv([paris, lyon, total]))))
    assert (rows[0]["offers_sent"], rows[0]["offers_hired"], rows[0]["offers_from_city_hall"]) == (
        "2",
        "1",
        "2",
    )
    assert rows[2]["offers_received"] == "4"


async def test_a_centre_without_offers_says_nothing_of_them(relais: Relais) -> None:
    async with relais.storage.reading() as reads:
        (paris,) = await compute(reads, ("paris11",), START, END)
    assert "Offres" not in format_text([paris], relais.catalogs.get("fr"), NAMES)
