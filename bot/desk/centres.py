"""Centres for admins (`/centre`): list them, add one, close one. A closed centre's people
keep their answers and choose another centre at their next message."""

from __future__ import annotations

import re

from bot.core.domain import Centre, Message
from bot.core.i18n import N_
from bot.desk.context import Call, Ctx
from bot.desk.domain import Filter
from bot.desk.router import Need, Router

router = Router("centres")

CENTRE_ID = re.compile(r"^[a-z0-9_-]{1,32}$")
T_CENTRES_HEAD = N_("Centres :")
T_CENTRE_LINE = N_("{id} – {name} ({people})")
T_CENTRE_USAGE = N_(
    "Pour ajouter : /centre add <id> | <nom> | <adresse> | <horaires>\n"
    "Pour fermer : /centre remove <id>"
)
T_CENTRE_ADDED = N_("Centre {id} ajouté.")
T_CENTRE_EXISTS = N_("Le centre {id} existe déjà.")
T_CENTRE_BAD_ID = N_("Un identifiant de centre : 32 lettres a-z, chiffres, _ ou - au plus.")
T_CENTRE_REMOVED = N_(
    "Centre {id} fermé ({people}). Chacun garde ses réponses et choisira un autre centre "
    "à son prochain message."
)
T_CENTRE_UNKNOWN = N_("Je ne connais pas le centre {id}.")
T_CENTRE_LAST = N_("C'est le dernier centre : ajoutez-en un autre avant de le fermer.")


@router.command("centre", Need.ADMIN, order=60, button=N_("🏢 Centres"))
async def centres(ctx: Ctx, call: Call) -> None:
    """`/centre`, `/centre add id | name | address | hours`, `/centre remove id`."""
    verb, _, rest = call.text.strip().partition(" ")
    if verb == "add":
        await _add(ctx, rest)
    elif verb == "remove":
        await _remove(ctx, rest.strip())
    else:
        await _list(ctx)


async def _add(ctx: Ctx, rest: str) -> None:
    fields = [f.strip() for f in rest.split("|")]
    if len(fields) < 2 or not CENTRE_ID.match(fields[0]) or not fields[1]:
        ctx.say(T_CENTRE_BAD_ID if fields and fields[0] else T_CENTRE_USAGE)
        return
    centre = Centre(fields[0], fields[1][:80], *(f[:200] for f in fields[2:4]))
    added = await ctx.tx.add_centre(centre)
    ctx.say(T_CENTRE_ADDED if added else T_CENTRE_EXISTS, id=centre.id)


async def _remove(ctx: Ctx, centre_id: str) -> None:
    if len(ctx.centres) <= 1 and centre_id in ctx.active:
        ctx.say(T_CENTRE_LAST)
        return
    count = await ctx.tx.remove_centre(centre_id)
    if count is None:
        ctx.say(T_CENTRE_UNKNOWN, id=centre_id)
        return
    people = ctx.t.ngettext("{n} personne", "{n} personnes", count)
    ctx.say(T_CENTRE_REMOVED, id=centre_id, people=people)


async def _list(ctx: Ctx) -> None:
    t = ctx.t
    lines = [t.gettext(T_CENTRES_HEAD)]
    for c in ctx.centres:
        _, n = await ctx.tx.list_beneficiaries((c.id,), Filter.ALL, 0, 1)
        people = t.ngettext("{n} personne", "{n} personnes", n)
        lines.append(t.gettext(T_CENTRE_LINE, id=c.id, name=c.name, people=people))
    lines.append(t.gettext(T_CENTRE_USAGE))
    ctx.show(Message("\n".join(lines), rtl=t.rtl))
