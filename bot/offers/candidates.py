"""The candidates of one job offer, on the volunteers' side: the people who said "Ça
m'intéresse" ("oca" <offer> <page>, from the offer's screen's "🤝 Candidats (N)"), each with
how far their candidacy went, and one candidate's screen ("ocp" <offer> <person>).

The relay task (bot/offers/relay.py) scrolls away, and the interview may come a week later:
the candidate's screen shows what it showed (name, phone, CV, how to apply; written by the
same functions, read now and audited alike, the checked CV's PDF with it), with the button
the candidacy's state calls for: "📨 Envoyée à l'employeur" ("oz") until it went, then the
results ("oy"); both are relay.py's, which record and answer.

Only volunteers of the offer's centre see its candidates; an offer id of another centre
gets the answer of an unknown one, and a person this volunteer does not see the answer of a
stale button. Someone who said "Pas pour moi" after "interested" is no longer a candidate.
"""

from __future__ import annotations

from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk import about
from bot.desk.buttons import Arg, build, page_rows
from bot.desk.context import Call, Ctx
from bot.desk.router import Need, Router
from bot.documents.wording import first_name
from bot.offers import offer_screen, relay, sending
from bot.offers.domain import OfferSend

router = Router("offer_candidates")

PAGE_SIZE = 8
MAX_PAGE = 10_000  # a forged page number costs nothing

T_HEAD = N_("🤝 Candidats de l'offre n° {id} « {title} » (page {page})")
T_NOBODY = N_("Personne n'a encore dit que cette offre l'intéresse.")
T_LINE = N_("n° {id} {name} — {state}")
T_LINE_NO_NAME = N_("n° {id} — {state}")
T_STATE = N_("Où en est la candidature : {state}")
B_PREV = N_("◀ Précédents")
B_NEXT = N_("Suivants ▶")
B_LIST = N_("↩ Les candidats")
B_OFFER = N_("↩ Retour à l'offre")  # also bot/offers/sending.py's

# the furthest step of a candidacy, in words
STATES = {
    "interested": N_("intéressé·e"),
    "sent": N_("envoyée à l'employeur"),
    "interview": N_("entretien"),
    "hired": N_("embauché·e"),
    "not_retained": N_("pas retenu·e"),
}


def state_of(send: OfferSend) -> str:
    """How far a candidacy went (a key of STATES): its result, else whether it was sent to
    the employer, else "interested"."""
    if send.result in STATES:
        return send.result
    return "sent" if send.sent_to_employer_at is not None else "interested"


async def _name(ctx: Ctx, person_id: int) -> str:
    """The candidate's first name ("" when not given): names are personal data."""
    about.shown(person_id)  # the answer names them: erased with any of them
    typed = (await ctx.tx.profile_of(person_id)).get("first_name")
    return first_name(typed) if isinstance(typed, str) and typed.strip() else ""


@router.button("oca", Need.VOLUNTEER, args=(Arg.ID, Arg.ID))
async def candidates(ctx: Ctx, call: Call) -> None:
    """A page of the offer's candidates, each with how far they went and a button to them."""
    offer = await offer_screen.read(ctx, call.id(0))
    if offer is None:
        return
    t = ctx.t
    page = min(call.id(1), MAX_PAGE)
    centres = ctx.access.centres(ctx.active)
    sends, total = await ctx.tx.offer_candidacies(offer.id, centres, page * PAGE_SIZE, PAGE_SIZE)
    lines = [t.gettext(T_HEAD, id=offer.id, title=offer.details.title, page=page + 1), ""]
    rows: list[tuple[Button, ...]] = []
    if not sends:
        lines.append(t.gettext(T_NOBODY))
    for send in sends:
        who = send.person_id
        name = await _name(ctx, who)
        state = t.gettext(STATES[state_of(send)])
        if name:
            lines.append(t.gettext(T_LINE, id=who, name=name, state=state))
        else:
            lines.append(t.gettext(T_LINE_NO_NAME, id=who, state=state))
        if name:
            label = t.gettext(sending.T_PERSON, id=who, name=name)
        else:
            label = t.gettext(sending.T_PERSON_NO_NAME, id=who)
        rows.append((Button(label, build("ocp", offer.id, who)),))
    rows += page_rows(
        (t.gettext(B_PREV), t.gettext(B_NEXT)),
        page,
        (page + 1) * PAGE_SIZE < total,
        "oca",
        offer.id,
    )
    rows.append((Button(t.gettext(B_OFFER), build("of", offer.id)),))
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl))


@router.button("ocp", Need.VOLUNTEER, args=(Arg.ID, Arg.ID))
async def candidate(ctx: Ctx, call: Call) -> None:
    """One candidate: the relay task's content read now, where the candidacy stands, and the
    button of its next step."""
    found = await relay.candidacy(ctx, call)
    if found is None:
        return
    offer, who, send = found
    t = ctx.t
    params = await relay.candidate_params(ctx.tx, ctx.access.person_id, offer, who.id, who.profile)
    lines = relay.candidate_lines(t, params)
    lines.append(t.gettext(T_STATE, state=t.gettext(STATES[state_of(send)])))
    rows: list[tuple[Button, ...]]
    if state_of(send) == "interested":
        rows = [
            (Button(t.gettext(relay.B_SENT), build("oz", offer.id, who.id)),),
            (Button(t.gettext(relay.B_PAGE), build("p", who.id)),),
        ]
    else:
        rows = list(relay.result_buttons(ctx, offer.id, who.id))
    rows.append(
        (
            Button(t.gettext(B_LIST), build("oca", offer.id, 0)),
            Button(t.gettext(B_OFFER), build("of", offer.id)),
        )
    )
    document = relay.cv_document(params)
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl, document=document))
