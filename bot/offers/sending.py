"""Sending an offer, on the volunteers' side: the match preview ("om" <offer>, a button of the
offer's screen) with how many people the offer fits, of whom how many may be proposed to the
employer, the near misses, and a few examples each with why; then the send itself, confirmed
from the preview: "ob" <offer> to the proposable people (checked CV, actively searching), "obu"
<offer> to everyone it fits (the others are told to show their CV to a volunteer first).

The send queues one message per person in one transaction (storage.offers.queue_broadcast):
a double tap, or the preview confirmed twice, never sends anyone the offer twice; the second
tap is told to how many it went already. Only a vetted offer whose last day has not passed can
be sent. Its progress is bot.offers.progress's.

Every press reads the offer again and checks that it is of one of this volunteer's centres: a
forged or foreign offer id gets the same answer as an unknown one.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.appointments import desk_view
from bot.core.domain import Button, Message
from bot.core.i18n import N_, Translator
from bot.desk import about
from bot.desk.buttons import build
from bot.desk.context import Call, Ctx
from bot.desk.router import Need, Router
from bot.documents.wording import first_name
from bot.offers import matching, offer_screen, relay
from bot.offers.domain import Offer

router = Router("offer_sending")

EXAMPLES = 3  # people shown with their reasons, among the matches and among the near misses

T_HEAD = N_("Qui reçoit « {title} » ({employer}, {town}) ?")
T_PROPOSABLE = N_("Proposables à l'employeur : {n}.")
T_PROPOSABLE_IS = N_("(Proposable : CV vérifié et en recherche active.)")
T_NEAR = N_("Presque : {n} (un seul critère ne va pas).")
T_EXAMPLES = N_("Exemples :")
T_NEAR_EXAMPLES = N_("Presque :")
T_PERSON = N_("n° {id} {name}")
T_PERSON_NO_NAME = N_("n° {id}")
T_IS_PROPOSABLE = N_("proposable")
T_NOT_PROPOSABLE = N_("CV à vérifier d'abord")
T_NO_CV = N_("pas encore de CV")
T_NOT_VETTED = N_("Cette offre n'est pas encore validée : elle pourra être envoyée ensuite.")
T_CLOSED = N_("Cette offre est fermée : elle ne peut plus être envoyée.")
T_EXPIRED = N_("Cette offre a expiré : elle ne peut plus être envoyée.")
T_NOBODY = N_("Personne de plus à qui l'envoyer pour l'instant.")
T_LATER = N_("C'est le soir ou un jour de repos : les messages partiront {at}.")
B_BACK = N_("↩ Retour à l'offre")
B_AGAIN = N_("🔄 Actualiser")


def _refusal(ctx: Ctx, offer: Offer) -> str | None:
    """Why this offer cannot be sent now (a msgid), or None."""
    if offer.open_on(ctx.today):
        return None
    if offer.state == "draft":
        return T_NOT_VETTED
    if offer.state == "closed":
        return T_CLOSED
    return T_EXPIRED


async def _who(ctx: Ctx, candidate: matching.Candidate) -> str:
    """ "n° 12 Amina": the number, and the first name only (names are personal data)."""
    about.shown(candidate.person_id)  # the answer names them: erased with any of them
    profile = await ctx.tx.profile_of(candidate.person_id)
    typed = profile.get("first_name")
    name = first_name(typed) if isinstance(typed, str) and typed.strip() else ""
    if not name:
        return ctx.t.gettext(T_PERSON_NO_NAME, id=candidate.person_id)
    return ctx.t.gettext(T_PERSON, id=candidate.person_id, name=name)


async def _status(ctx: Ctx, candidate: matching.Candidate) -> str:
    """ "proposable", else whether the CV is to check first or not made yet (a msgid)."""
    if candidate.proposable:
        return T_IS_PROPOSABLE
    return T_NO_CV if await relay.has_no_cv(ctx.tx, candidate.person_id) else T_NOT_PROPOSABLE


def _reasons(t: Translator, offer: Offer, candidate: matching.Candidate, met: bool) -> str:
    """The criteria met (a match) or the one missed (a near miss), in the volunteer's words."""
    words = []
    for reason in matching.reasons(offer.details, candidate):
        if reason.met == met:
            text = t.gettext(reason.msgid)
            if reason.avoided:
                text += " " + t.gettext(matching.AVOIDED)
            words.append(text)
    return ", ".join(words)


def _matches(t: Translator, n: int) -> str:
    return t.ngettext("{n} personne correspond.", "{n} personnes correspondent.", n)


def _already(t: Translator, n: int) -> str:
    return t.ngettext("Déjà envoyée à {n} personne.", "Déjà envoyée à {n} personnes.", n)


def _send_label(t: Translator, n: int) -> str:
    return t.ngettext("📤 Envoyer à {n} personne proposable", "📤 Envoyer aux {n} proposables", n)


def _send_all_label(t: Translator, n: int) -> str:
    return t.ngettext(
        "📤 Envoyer à {n} personne (CV à vérifier compris)",
        "📤 Envoyer aux {n} (CV à vérifier compris)",
        n,
    )


def _sending(t: Translator, n: int) -> str:
    return t.ngettext(
        "C'est parti : l'offre part à {n} personne, au rythme que Telegram permet. "
        "L'avancement s'affiche dans le message suivant.",
        "C'est parti : l'offre part à {n} personnes, au rythme que Telegram permet. "
        "L'avancement s'affiche dans le message suivant.",
        n,
    )


@router.button("om", Need.VOLUNTEER)
async def preview(ctx: Ctx, call: Call) -> None:
    """Whom the offer fits now, of whom proposable, the near misses, a few examples with why;
    the send buttons when it may be sent."""
    offer = await offer_screen.read(ctx, call.id())
    if offer is None:
        return
    t, tx = ctx.t, ctx.tx
    counts = await tx.offer_match_counts(offer)
    already = await tx.offer_sent_count(offer.id)
    d = offer.details
    lines = [
        t.gettext(T_HEAD, title=d.title, employer=d.employer, town=d.town),
        _matches(t, counts.matches),
        t.gettext(T_PROPOSABLE, n=counts.proposable),
        t.gettext(T_PROPOSABLE_IS),
        t.gettext(T_NEAR, n=counts.near),
    ]
    if already:
        lines.append(_already(t, already))
    matches = await tx.offer_candidates(offer, limit=EXAMPLES)
    if matches:
        lines += ["", t.gettext(T_EXAMPLES)]
    for one in matches:
        status = t.gettext(await _status(ctx, one))
        why = _reasons(t, offer, one, met=True)
        lines.append(f"✅ {await _who(ctx, one)} ({status}) : {why}")
    near = await tx.offer_near_misses(offer, EXAMPLES)
    if near:
        lines += ["", t.gettext(T_NEAR_EXAMPLES)]
    for one in near:
        lines.append(f"➖ {await _who(ctx, one)} : {_reasons(t, offer, one, met=False)}")
    refusal = _refusal(ctx, offer)
    rows: list[tuple[Button, ...]] = []
    if refusal is not None:
        lines += ["", t.gettext(refusal)]
    else:
        if counts.proposable:
            label = _send_label(t, counts.proposable)
            rows.append((Button(label, build("ob", offer.id)),))
        if counts.matches > counts.proposable:
            label = _send_all_label(t, counts.matches)
            rows.append((Button(label, build("obu", offer.id)),))
    rows.append(
        (
            Button(t.gettext(B_AGAIN), build("om", offer.id)),
            Button(t.gettext(B_BACK), build("of", offer.id)),
        )
    )
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl))


async def _send(ctx: Ctx, call: Call, everyone: bool) -> None:
    """Queue the offer for the people it fits now (proposable ones, or `everyone`); a second
    tap finds nobody new and says to how many it went."""
    offer = await offer_screen.read(ctx, call.id())
    if offer is None:
        return
    refusal = _refusal(ctx, offer)
    if refusal is not None:
        ctx.say(refusal)
        return
    tx = ctx.tx
    counts = await tx.offer_match_counts(offer)
    if not (counts.matches if everyone else counts.proposable):
        already = await tx.offer_sent_count(offer.id)
        if already:
            ctx.show(Message(_already(ctx.t, already), rtl=ctx.t.rtl))
        ctx.say(T_NOBODY)
        return
    # its buttons work until the end of its last day, in the deployment's time zone
    last = datetime.combine(offer.details.expires_on + timedelta(days=1), time(), ctx.world.tz)
    sent = await tx.queue_broadcast(offer, ctx.access.person_id, everyone, ctx.now, last)
    ctx.show(Message(_sending(ctx.t, sent.total), rtl=ctx.t.rtl))
    due = ctx.config.quiet.next_allowed(ctx.now, ctx.world.tz)
    if due > ctx.now:
        ctx.say(T_LATER, at=desk_view.at(ctx, due))  # "demain à 08:30"


@router.button("ob", Need.VOLUNTEER)
async def send(ctx: Ctx, call: Call) -> None:
    """ "Envoyer aux proposables": checked CV and actively searching."""
    await _send(ctx, call, everyone=False)


@router.button("obu", Need.VOLUNTEER)
async def send_all(ctx: Ctx, call: Call) -> None:
    """ "Envoyer à tous": also to the people whose CV is not checked yet."""
    await _send(ctx, call, everyone=True)
