""" "Offres d'emploi" (flows/my_offers.toml): whether the person receives offers, and the open
offers sent to them that they have not answered yet, each written as it came, with its
answers (those of the message that carried it, so a press is checked as there); then the
choice to receive offers or not, applied here when the flow's actions say so.
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


async def listed(tx: Tx, t: Translator, person: Person, world: World) -> list[Message]:
    """Whether offers come, and the open ones not answered with their buttons."""
    assert person.id is not None
    wants = await tx.wants_offers(person.id)
    said = [Message(t.gettext(T_RECEIVING if wants else T_NOT_RECEIVING), rtl=t.rtl)]
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
    or off as it said."""
    wanted = [e for e in reply.effects if e.name in (SHOW, ON, OFF)]
    if not wanted or person.id is None:
        return reply
    messages = list(reply.messages)
    for effect in reversed(wanted):
        if effect.name in (ON, OFF):
            await tx.set_wants_offers(person.id, effect.name == ON)
            continue
        at = effect.data.get("at")
        place = at if isinstance(at, int) and 0 <= at <= len(messages) else len(messages)
        messages[place:place] = await listed(tx, t, person, world)
    effects = tuple(e for e in reply.effects if e not in wanted)
    return Reply(tuple(messages), reply.echo, reply.edit, effects)
