""" "Offres d'emploi" (flows/my_offers.toml): whether the person receives offers, and the open
offers sent to them that they have not answered yet, each written as it came, with its
answers (those of the message that carried it, so a press is checked as there); offers turned
on or off where the flow's actions say so.

Someone who stopped offers reads only that (no offer listed: the flow then asks "again?", and a
"oui" there must not be read as "I want this job"); once they say yes, the same reply lists
what waits, without saying the status twice.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.domain import Message, Person, Reply
from bot.core.i18n import N_, Translator
from bot.core.world import World
from bot.offers import message
from bot.storage.database import Tx

SHOW, ON, OFF = "show_offers", "offers_on", "offers_off"
LISTED = 3  # the newest: the weekly digest lists them all

T_RECEIVING = N_("Vous recevez les offres d'emploi qui vous correspondent.")
T_NOT_RECEIVING = N_("Vous ne recevez plus d'offres d'emploi.")
T_NONE = N_(
    "Aucune offre n'attend votre réponse. Les bénévoles de votre centre vous enverront celles"
    " qui vous correspondent."
)
T_WAITING = N_("Ces offres attendent votre réponse :")


async def listed(
    tx: Tx, t: Translator, person: Person, world: World, status: bool = True
) -> list[Message]:
    """Whether offers come (`status`), and while they do, the open ones not answered with
    their buttons."""
    assert person.id is not None
    if not await tx.wants_offers(person.id):
        return [Message(t.gettext(T_NOT_RECEIVING), rtl=t.rtl)] if status else []
    said = [Message(t.gettext(T_RECEIVING), rtl=t.rtl)] if status else []
    shown: list[Message] = []
    for number in await tx.unanswered_offers(person.id, world.today):
        carried = await tx.offer_message_id(number, person.id)
        started = await tx.started_message(carried) if carried is not None else None
        fresh = await message.read(tx, started) if started is not None else None
        if started is None or fresh is None:
            continue
        shown.append(message.render(t, replace(started, params=fresh.params)))
        if len(shown) == LISTED:
            break
    if not shown:
        return [*said, Message(t.gettext(T_NONE), rtl=t.rtl)]
    return [*said, Message(t.gettext(T_WAITING), rtl=t.rtl), *shown]


async def shown(tx: Tx, t: Translator, person: Person, reply: Reply, world: World) -> Reply:
    """The engine's reply with the offers where its flow asked for them, and offers turned on
    or off as it said, in the flow's order (offers turned on, then what waits is listed)."""
    wanted = [e for e in reply.effects if e.name in (SHOW, ON, OFF)]
    if not wanted or person.id is None:
        return reply
    inserts: list[tuple[int | None, list[Message]]] = []
    turned = False
    for effect in wanted:
        if effect.name in (ON, OFF):
            await tx.set_wants_offers(person.id, effect.name == ON)
            turned = True
            continue
        at = effect.data.get("at")
        place = at if isinstance(at, int) and 0 <= at <= len(reply.messages) else None
        # just turned on: the flow has said so, the list follows without the status again
        inserts.append((place, await listed(tx, t, person, world, status=not turned)))
    messages = list(reply.messages)
    for place, listing in reversed(inserts):  # from the end: earlier places stay right
        where = len(messages) if place is None else place
        messages[where:where] = listing
    effects = tuple(e for e in reply.effects if e not in wanted)
    return Reply(tuple(messages), reply.echo, reply.edit, effects)
