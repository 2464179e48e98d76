"""One job offer's screen on the volunteers' side ("of" <id>): the offer as beneficiaries will
read it (bot.offers.wording), then what only volunteers see (where it came from, how the
employer wants candidates, its state, what came of it), and its buttons: the people
interested ("oca", candidates.py), vet ("ov" <id> <version>), match and send ("om", bot/offers'
broadcast side), change ("oe", desk_offer.py), close ("oc") and reopen ("oo").

Every button reads the offer again and checks it is of one of this volunteer's centres: a
forged id and another centre's offer get the same answer. Vetting carries the version that was
shown, so an offer changed meanwhile is shown again, never vetted unseen. Who vets: the
coordinators of the offer's centre (and admins), or any of its volunteers where the
configuration allows it ([offers] volunteers_vet).
"""

from __future__ import annotations

from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import Arg, build
from bot.desk.context import Call, Ctx
from bot.desk.router import Need, Router
from bot.offers.domain import SOURCE_LABELS, Offer
from bot.offers.wording import beneficiary_text
from bot.storage.offer_desk import OfferFunnel

router = Router("offer_screen")

T_NOT_FOUND = N_("Je ne trouve pas cette offre parmi celles de votre centre.")
T_HEAD = N_("💼 Offre n° {id} – {state}")
T_AS_SEEN = N_("Voici ce que les personnes liront :")
T_FOR_TEAM = N_("Pour l'équipe seulement :")
T_SOURCE = N_("Transmise par : {source}")
T_APPLY = N_("Candidatures : {how}")
T_APPLY_UNSAID = N_("Candidatures : pas encore précisé")
T_FUNNEL = N_(
    "Envoyée à {sent} · intéressées : {interested} · transmises à l'employeur : {to_employer}"
    " · embauchées : {hired}"
)
T_NOT_SENT = N_("Pas encore envoyée.")
T_TO_VET = N_("À valider par un coordinateur du centre avant de pouvoir l'envoyer.")
T_TO_VET_YOU = N_("Relisez-la, puis validez-la pour pouvoir l'envoyer.")
T_VETTED = N_("✅ Offre validée : elle peut être envoyée aux personnes qu'elle concerne.")
T_ALREADY_VETTED = N_("Cette offre est déjà validée.")
T_CHANGED_MEANWHILE = N_(
    "Cette offre a changé depuis que vous l'avez lue : relisez-la avant de la valider."
)
T_NOT_VETTER = N_("Seuls les coordinateurs du centre peuvent valider une offre.")
T_NOT_OPEN = N_("Cette offre n'est plus ouverte : {state}.")
T_CLOSED = N_("🔒 Offre fermée : elle n'est plus envoyée, et les réponses ne sont plus prises.")
T_ALREADY_CLOSED = N_("Cette offre est déjà fermée.")
T_ALREADY_OPEN = N_("Cette offre est déjà ouverte.")
T_REOPENED = N_("Offre rouverte. Elle doit être validée à nouveau avant d'être envoyée.")
T_REOPEN_PAST = N_(
    "La date limite de cette offre est passée : changez-la (✏️ Modifier) pour la rouvrir."
)
STATE_LABELS = {
    "draft": N_("brouillon, à valider"),
    "vetted": N_("validée"),
    "closed": N_("fermée"),
    "expired": N_("expirée"),
}
B_VET = N_("✅ Valider")
B_MATCH = N_("👥 Qui peut la recevoir ?")
B_EDIT = N_("✏️ Modifier")
B_CLOSE = N_("🔒 Fermer")
B_REOPEN = N_("↩ Rouvrir")
B_LIST = N_("💼 Les offres")
B_CANDIDATES = N_("🤝 Candidats ({n})")


def may_vet(ctx: Ctx, centre: str) -> bool:
    """Whether this volunteer may vet the offers of this centre."""
    if ctx.access.coordinates(centre):
        return True
    allowed = centre in ctx.config.offers.volunteers_vet
    return allowed and centre in ctx.access.centres(ctx.active)


async def read(ctx: Ctx, offer_id: int, refusal: str = T_NOT_FOUND) -> Offer | None:
    """The offer if it is of one of this volunteer's centres, else None after saying so
    (`refusal`: the same for an offer that does not exist and one of another centre)."""
    offer = await ctx.tx.offer(offer_id)
    if offer is None or offer.centre not in ctx.access.centres(ctx.active):
        ctx.say(refusal)
        return None
    return offer


def state_label(ctx: Ctx, offer: Offer) -> str:
    """The offer's state in words ("brouillon, à valider"); past its last day counts as
    expired even before the sweep marks it."""
    state = offer.state
    if state in ("draft", "vetted") and offer.details.expires_on < ctx.today:
        state = "expired"
    return ctx.t.gettext(STATE_LABELS[state])


def funnel_line(ctx: Ctx, funnel: OfferFunnel) -> str:
    """ "Envoyée à 40 · intéressées : 5 · …", or that it was not sent yet."""
    if not funnel.sent:
        return ctx.t.gettext(T_NOT_SENT)
    n = ctx.t.number
    return ctx.t.gettext(
        T_FUNNEL,
        sent=n(funnel.sent),
        interested=n(funnel.interested),
        to_employer=n(funnel.to_employer),
        hired=n(funnel.hired),
    )


def buttons(ctx: Ctx, offer: Offer, candidates: int = 0) -> tuple[tuple[Button, ...], ...]:
    """What can be done with the offer in its state; its `candidates` (people interested) when
    there are any (bot/offers/candidates.py)."""
    t = ctx.t
    rows: list[tuple[Button, ...]] = []
    if candidates:
        label = t.gettext(B_CANDIDATES, n=t.number(candidates))
        rows.append((Button(label, build("oca", offer.id, 0)),))
    past = offer.details.expires_on < ctx.today
    if offer.state == "draft" and not past and may_vet(ctx, offer.centre):
        rows.append((Button(t.gettext(B_VET), build("ov", offer.id, offer.version)),))
    if offer.open_on(ctx.today):
        rows.append((Button(t.gettext(B_MATCH), build("om", offer.id)),))
    edit = Button(t.gettext(B_EDIT), build("oe", offer.id))
    if offer.state in ("draft", "vetted"):
        rows.append((edit, Button(t.gettext(B_CLOSE), build("oc", offer.id))))
    elif offer.state == "closed":
        rows.append((edit, Button(t.gettext(B_REOPEN), build("oo", offer.id))))
    else:
        rows.append((edit,))
    rows.append((Button(t.gettext(B_LIST), build("ol", 0)),))
    return tuple(rows)


async def show_screen(ctx: Ctx, offer: Offer) -> None:
    """The offer as beneficiaries read it (in the volunteer's language: the fixed words are
    translated for each person the same way), then the team's lines and the buttons."""
    t = ctx.t
    details = offer.details
    lines = [t.gettext(T_HEAD, id=offer.id, state=state_label(ctx, offer)), ""]
    lines += [t.gettext(T_AS_SEEN), "", beneficiary_text(t, offer), ""]
    lines.append(t.gettext(T_FOR_TEAM))
    source = t.gettext(SOURCE_LABELS.get(details.source, details.source))
    lines.append(t.gettext(T_SOURCE, source=source))
    if details.how_to_apply:
        lines.append(t.gettext(T_APPLY, how=details.how_to_apply))
    else:
        lines.append(t.gettext(T_APPLY_UNSAID))
    lines.append(funnel_line(ctx, await ctx.tx.offer_funnel(offer.id)))
    if offer.state == "draft" and details.expires_on >= ctx.today:
        lines.append(t.gettext(T_TO_VET_YOU if may_vet(ctx, offer.centre) else T_TO_VET))
    # the people interested whom this volunteer sees (the list counts the same)
    _, candidates = await ctx.tx.offer_candidacies(offer.id, ctx.access.centres(ctx.active), 0, 0)
    ctx.show(Message("\n".join(lines), buttons(ctx, offer, candidates), rtl=t.rtl))


@router.button("of", Need.VOLUNTEER)
async def screen(ctx: Ctx, call: Call) -> None:
    """One offer and what can be done with it."""
    offer = await read(ctx, call.id(0))
    if offer is not None:
        await show_screen(ctx, offer)


@router.button("ov", Need.VOLUNTEER, args=(Arg.ID, Arg.ID))
async def vet(ctx: Ctx, call: Call) -> None:
    """ "Valider": the version that was shown becomes vetted (may then be sent)."""
    offer = await read(ctx, call.id(0))
    if offer is None:
        return
    if not may_vet(ctx, offer.centre):
        ctx.say(T_NOT_VETTER)
        return
    if offer.state == "vetted":
        ctx.say(T_ALREADY_VETTED)
    elif offer.state != "draft" or offer.details.expires_on < ctx.today:
        ctx.say(T_NOT_OPEN, state=state_label(ctx, offer))
    elif offer.version != call.id(1):
        ctx.say(T_CHANGED_MEANWHILE)
    elif await ctx.tx.vet_offer(offer.id, offer.version, ctx.access.person_id):
        ctx.say(T_VETTED)
    await show_screen(ctx, await ctx.tx.offer(offer.id) or offer)


@router.button("oc", Need.VOLUNTEER)
async def close(ctx: Ctx, call: Call) -> None:
    """ "Fermer": no longer sent nor answered (it can be reopened)."""
    offer = await read(ctx, call.id(0))
    if offer is None:
        return
    if offer.state == "closed":
        ctx.say(T_ALREADY_CLOSED)
    elif offer.state == "expired":
        ctx.say(T_NOT_OPEN, state=state_label(ctx, offer))
    elif await ctx.tx.set_offer_state(offer.id, "closed", ctx.access.person_id):
        ctx.say(T_CLOSED)
    await show_screen(ctx, await ctx.tx.offer(offer.id) or offer)


@router.button("oo", Need.VOLUNTEER)
async def reopen(ctx: Ctx, call: Call) -> None:
    """ "Rouvrir" a closed offer: back to a draft, to be vetted again (it may have been closed
    because it was wrong); past its last day, the date must be changed first."""
    offer = await read(ctx, call.id(0))
    if offer is None:
        return
    if offer.state == "expired":
        ctx.say(T_REOPEN_PAST)
    elif offer.state != "closed":
        ctx.say(T_ALREADY_OPEN)
    elif offer.details.expires_on < ctx.today:
        ctx.say(T_REOPEN_PAST)
    elif await ctx.tx.set_offer_state(offer.id, "draft", ctx.access.person_id):
        ctx.say(T_REOPENED)
    await show_screen(ctx, await ctx.tx.offer(offer.id) or offer)
