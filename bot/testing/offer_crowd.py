"""A centre full of people one offer fits, for the end-to-end tests and the benchmark of a
broadcast: N beneficiaries on Telegram (checked CV, actively searching, a cleaner's profile in
Montreuil), a volunteer of their centre and a vetted cleaning offer, written through the
storage API before the real `relais run` starts on the database (which renders the offer's
message with bot/offers/message.py, kind "offer").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.config import Settings
from bot.offers.domain import OfferDetails
from bot.service import open_relais
from bot.testing.moment import NOW

CHANNEL = "telegram"
CLEANING = OfferDetails(
    title="Agent d'entretien",
    employer="Mairie de Montreuil",
    employer_kind="city_hall",
    source="city_hall",
    town="Montreuil",
    postcode="93100",
    contract="cdd",
    contract_months=6,
    time="part",
    schedule=("early", "evening"),
    sector="cleaning",
    expires_on=date(2026, 12, 31),
    french="a_little",
)
CLEANER: dict[str, Any] = {
    "job_now": ["cleaning"],
    "postcode": "93100",
    "travel_time": "30_min",
    "hours_available": ["early", "morning", "evening"],
    "days_available": "weekdays",
    "french_speaking": "a_little",
    "driving_licence": "none",
    "has_worked": True,
}


@dataclass(frozen=True)
class Crowd:
    """What was written: the offer, the volunteer (Telegram id, person id), the recipients'
    and the bystanders' Telegram ids."""

    offer_id: int
    volunteer_user: int
    volunteer_id: int
    recipients: tuple[int, ...]
    bystanders: tuple[int, ...]


async def seed(
    settings: Settings,
    recipients: int,
    first_user: int,
    volunteer_user: int,
    centre: str,
    bystanders: int = 0,
) -> Crowd:
    """Write the crowd into the database of `settings` (at the tests' moment): `recipients`
    people the offer fits, `bystanders` people of the centre it does not fit (their sector is
    another: they only talk to Relais meanwhile), all at the menu in French."""
    relais = await open_relais(settings, clock=lambda: NOW)
    try:
        async with relais.storage.transaction() as tx:
            lead = await tx.load_state(CHANNEL, str(volunteer_user))
            lead.person.locale = "fr"
            lead.profile["first_name"] = "Marie"
            await tx.save_state(lead)
            assert lead.person.id is not None
            await tx.grant_role(lead.person.id, centre, "volunteer")
            users = range(first_user, first_user + recipients + bystanders)
            for index, user in enumerate(users):
                state = await tx.load_state(CHANNEL, str(user))
                state.person.locale = "fr"
                state.person.consent = True
                state.person.centre = centre
                fits = index < recipients
                job = ["cleaning"] if fits else ["building"]
                state.profile.update({**CLEANER, "job_now": job, "first_name": f"P{user}"})
                await tx.save_state(state)
                assert state.person.id is not None
                await tx.update_followup(state.person.id, cv_status="checked", searching=1)
            added = await tx.add_offer(centre, CLEANING, lead.person.id)
            assert await tx.set_offer_state(added.id, "vetted", lead.person.id)
        return Crowd(
            added.id,
            volunteer_user,
            lead.person.id,
            tuple(users[:recipients]),
            tuple(users[recipients:]),
        )
    finally:
        await relais.close()
