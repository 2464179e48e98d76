"""Entering a job offer and changing it, on the volunteers' side: `/offre` opens the desk flow
`desk_offer` (for the volunteer's centre; one who works in several picks it first: "on"
<centre>); "✏️ Modifier" on the offer's screen ("oe" <id>) opens the same flow at its "what to
change" step with the offer's answers. When the flow ends, the answers are checked (a known
postcode, a last day not past: the step is asked again, with what was already entered), the
offer is saved as a draft or rewritten, and its screen shows it as beneficiaries will read it.

The flow is about no person (registered with person=False): the centre, the offer and its
version travel in the flow's answers and are checked again when it ends. A change carries the
version it was made for, so a second volunteer's change meanwhile is never written over. A
vetted offer changed by someone who may not vet goes back to draft, to be vetted again.
"""

from __future__ import annotations

from typing import Any

from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import Arg, build
from bot.desk.context import Call, Ctx
from bot.desk.router import Need, Router
from bot.offers import entry, offer_screen
from bot.offers.domain import Offer

router = Router("desk_offer")

FLOW = "desk_offer"
CHANGE = "offer_change"  # where a change opens: what to change, then "Enregistrer"

T_WHICH_CENTRE = N_("Une offre pour quel centre ?")
T_NEW = N_("Nouvelle offre d'emploi pour {centre}. Écrivez /cancel pour arrêter sans rien garder.")
T_NO_CENTRE = N_("Vous ne faites partie de l'équipe d'aucun centre ouvert.")
T_PROBLEM = N_("Il y a un souci : {problem}. Corrigez-le, puis « Enregistrer ».")
T_SAVED = N_("💼 Offre n° {id} enregistrée (brouillon).")
T_CHANGE_WHAT = N_("Modifier l'offre n° {id} : choisissez ce qui change.")
T_EDITED = N_("✏️ Offre n° {id} modifiée.")
T_EDITED_TO_VET = N_("✏️ Offre n° {id} modifiée : elle doit être validée à nouveau avant l'envoi.")
T_EDITED_REOPENED = N_(
    "✏️ Offre n° {id} modifiée : avec sa nouvelle date, elle redevient un brouillon à valider."
)
T_NOT_CHANGED = N_("Rien n'a changé : l'offre reste comme elle était.")
T_CHANGED_MEANWHILE = N_(
    "Quelqu'un a modifié cette offre pendant que vous écriviez : vos changements ne sont pas "
    "enregistrés, les siens sont gardés. La voici maintenant."
)


@router.command("offre", Need.VOLUNTEER, menu=N_("Saisir une offre d'emploi"), order=17)
async def new_offer(ctx: Ctx, call: Call) -> None:
    """`/offre`: a new offer for one's centre (asked first when one works in several)."""
    centres = ctx.access.centres(ctx.active)
    if not centres:
        ctx.say(T_NO_CENTRE)
        return
    if len(centres) == 1:
        _open_new(ctx, centres[0])
        return
    rows = tuple((Button(ctx.centre_name(c)[:60], build("on", c)),) for c in centres[:20])
    ctx.show(Message(ctx.t.gettext(T_WHICH_CENTRE), rows, rtl=ctx.t.rtl))


@router.button("on", Need.VOLUNTEER, args=(Arg.WORD,))
async def new_for_centre(ctx: Ctx, call: Call) -> None:
    """A centre chosen for a new offer (one of this volunteer's, checked again)."""
    centre = call.word(0)
    if centre not in ctx.access.centres(ctx.active):
        ctx.stale()
        return
    _open_new(ctx, centre)


def _open_new(ctx: Ctx, centre: str) -> None:
    ctx.say(T_NEW, centre=ctx.centre_name(centre))
    ctx.open_flow(FLOW, None, {"centre": centre})


@router.button("oe", Need.VOLUNTEER)
async def edit(ctx: Ctx, call: Call) -> None:
    """ "✏️ Modifier": the flow at "what to change", with this version of the offer."""
    offer = await offer_screen.read(ctx, call.id(0))
    if offer is None:
        return
    given = {
        **entry.to_answers(offer.details),
        "centre": offer.centre,
        "offer": offer.id,
        "version": offer.version,
        CHANGE: "save",
    }
    ctx.say(T_CHANGE_WHAT, id=offer.id)
    ctx.open_flow(FLOW, None, given, at=CHANGE)


@router.flow(FLOW, Need.VOLUNTEER, person=False)
async def answered(ctx: Ctx, call: Call) -> None:
    """The desk flow ended: save the new offer, or the change of the one it was opened for."""
    answers = call.answers
    centre = answers.get("centre")
    if not isinstance(centre, str) or centre not in ctx.access.centres(ctx.active):
        ctx.say(offer_screen.T_NOT_FOUND)
        return
    details = entry.from_answers(answers)
    if details is None:
        ctx.stale()
        return
    found = entry.problems(details, ctx.today)
    if found:
        # asked again at the first wrong answer, with everything else kept, then "Enregistrer"
        first = found[0]
        ctx.say(T_PROBLEM, problem=ctx.t.gettext(first.msgid))
        given: dict[str, Any] = {**answers, CHANGE: "save"}
        ctx.open_flow(FLOW, None, given, at=entry.STEPS[first.field])
        return
    number, version = answers.get("offer"), answers.get("version")
    if number is None:
        offer = await ctx.tx.add_offer(centre, details, ctx.access.person_id)
        ctx.say(T_SAVED, id=offer.id)
        await offer_screen.show_screen(ctx, offer)
        return
    if not (isinstance(number, int) and isinstance(version, int)):
        ctx.stale()
        return
    before = await offer_screen.read(ctx, number)
    if before is None:
        return
    if before.version != version:
        ctx.say(T_CHANGED_MEANWHILE)
        await offer_screen.show_screen(ctx, before)
        return
    if before.details == details:
        ctx.say(T_NOT_CHANGED)
        await offer_screen.show_screen(ctx, before)
        return
    state = _state_after_edit(ctx, before)
    after = await ctx.tx.edit_offer(before.id, details, version, state)
    if after is None:  # changed between the read and the write
        ctx.say(T_CHANGED_MEANWHILE)
        await offer_screen.show_screen(ctx, await ctx.tx.offer(before.id) or before)
        return
    if before.state == "vetted" and state == "draft":
        ctx.say(T_EDITED_TO_VET, id=after.id)
    elif before.state == "expired":
        ctx.say(T_EDITED_REOPENED, id=after.id)
    else:
        ctx.say(T_EDITED, id=after.id)
    await offer_screen.show_screen(ctx, after)


def _state_after_edit(ctx: Ctx, before: Offer) -> str:
    """A vetted offer stays vetted only when its editor may vet; an expired one (its new last
    day was just checked) is a draft again; a draft or a closed offer stays as it was."""
    if before.state == "vetted":
        return "vetted" if offer_screen.may_vet(ctx, before.centre) else "draft"
    if before.state == "expired":
        return "draft"
    return before.state
