"""What the tests of the beneficiary's side of job offers share: Amina (French) and Olena
(English) of Paris 11e, with the answers that make the cleaning offer fit them; the offer
entered, vetted and broadcast as the desk does (storage.offers); deliveries as a phone gets
them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.core.domain import State
from bot.offers.domain import Offer, OfferDetails
from bot.service import Relais
from bot.testing.conversation import Conversation
from bot.testing.offer_crowd import CLEANER as FITTING
from bot.testing.offer_crowd import CLEANING

CLEANER = replace(
    CLEANING,
    pay="SMIC",
    description="Nettoyage des écoles de la ville.",
    how_to_apply="CV par courriel à rh@montreuil.example",
)
# what makes the cleaning offer fit: cleaning now, lives in Montreuil, free early and evening
FITS = {k: v for k, v in FITTING.items() if k != "driving_licence"}


async def fits(relais: Relais, user: str, checked: bool = True, **more: Any) -> int:
    """Give `user` (already in Relais) the answers the cleaning offer fits; with `checked`,
    a checked CV and an active search (proposable). Their id."""
    async with relais.storage.transaction() as tx:
        state = await tx.load_state("test", user)
        assert state.person.id is not None
        profile = {**state.profile, **FITS, **more}
        await tx.save_state(State(state.person, state.session, profile))
        if checked:
            await tx.update_followup(state.person.id, cv_status="checked", searching=1)
        return state.person.id


async def offer(
    relais: Relais, details: OfferDetails = CLEANER, by: str | None = None, centre: str = "paris11"
) -> Offer:
    """An offer entered (by the volunteer `by`) and vetted."""
    async with relais.storage.transaction() as tx:
        creator = await tx.find_person("test", by) if by else None
        added = await tx.add_offer(centre, details, creator.id if creator else None)
        assert await tx.set_offer_state(added.id, "vetted", None)
        found = await tx.offer(added.id)
    assert found is not None
    return found


async def broadcast(relais: Relais, job: Offer, include_unchecked: bool = False) -> int:
    """Queue the offer for everyone it fits now; how many."""
    now = relais.clock()
    async with relais.storage.transaction() as tx:
        sent = await tx.queue_broadcast(job, None, include_unchecked, now, now + timedelta(days=30))
    return sent.total


async def send_state(relais: Relais, job: Offer, user: str) -> tuple[str, str, str]:
    """(answer, reason, result) of the offer sent to `user`."""
    async with relais.storage.reading() as reads:
        person = await reads.state_of("test", user)
        assert person is not None and person.person.id is not None
        send = await reads.offer_send(job.id, person.person.id)
    assert send is not None
    return send.answer, send.reason, send.result


async def beneficiary(relais: Relais, user: str, script: str) -> Conversation:
    """A person who started Relais as `script` plays."""
    person = Conversation(relais, user=user)
    await person.play(script)
    return person
