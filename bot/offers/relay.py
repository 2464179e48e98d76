"""What follows "Ça m'intéresse": the relay task for the volunteer who entered the offer (else
the centre's team, else the admins), then "sent to the employer" and the result.

The relay task is a message Relais starts (kind "offer_relay", a notice's priority), written
when delivered from what is true then: the candidate's name and number, their phone if they
gave it, whether their CV is checked (then the PDF comes with it, made at that moment and
checked again against the volunteer's access), still to check, or not made yet, the offer and
how the employer wants candidates (for volunteers only). The candidate's screen of the offer
(bot/offers/candidates.py) shows the same, written by the same functions (`candidate_params`,
`candidate_lines`), for when the interview comes a week later.

The task's buttons are desk buttons: "oz" <offer> <person> (sent to the employer), then "oy"
<offer> <person> <result> (interview, hired, not retained); a hire records a confirmed job
outcome (the offer's contract), so it counts in the statistics, and the person is no longer
searching.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core import answers
from bot.core.domain import Button, Message, Person
from bot.core.i18n import N_, Catalogs, Translator
from bot.desk.buttons import Arg, build
from bot.desk.context import Call, Ctx, Subject
from bot.desk.domain import FollowUp, profile_name
from bot.desk.notices import notify
from bot.desk.router import Need, Router
from bot.offers import offer_screen
from bot.offers.domain import Offer, OfferSend
from bot.reach.centre_message import recipients_for
from bot.reach.queue import queue
from bot.reach.started import NOTICE, NewStarted, ReadNow, Started
from bot.storage.database import Tx

KIND = "offer_relay"
router = Router("offer_relay")
RESULTS = ("interview", "hired", "not_retained")
# the contract an offer's hire is counted under (bot.desk.domain.CONTRACTS): a seasonal job
# is a fixed-term contract
OUTCOME_CONTRACT = {"cdi": "cdi", "cdd": "cdd", "interim": "interim", "iae": "iae"}
SEASONAL_CONTRACT = "cdd"

T_RELAY = N_(
    "🤝 {name} (n° {number}) est intéressé·e par l'offre « {title} » ({employer}, {town})."
)
T_PHONE = N_("Téléphone : {phone}")
T_NO_PHONE = N_("Pas de téléphone donné : écrivez-lui depuis sa fiche.")
T_CV_CHECKED = N_("Son CV est vérifié : le voici, à envoyer à l'employeur.")
T_CV_NOT_CHECKED = N_(
    "Son CV n'est pas encore vérifié : voyez-le avec la personne avant de l'envoyer."
)
T_NO_CV = N_("Pas encore de CV : aidez-la/le à le faire avant de l'envoyer.")
T_HOW = N_("Comment postuler : {how}")
T_THEN = N_(
    "Quand la candidature est envoyée à l'employeur, appuyez sur « Envoyée à l'employeur »."
)
B_SENT = N_("📨 Envoyée à l'employeur")
B_PAGE = N_("Voir la fiche")
T_WITHDRAWN = N_("{name} ({centre}) n'est finalement plus intéressé·e par l'offre « {title} ».")

T_SENT = N_("C'est noté : la candidature de {name} est envoyée à l'employeur. Le résultat ?")
T_ALREADY_SENT = N_("La candidature de {name} est déjà notée comme envoyée. Le résultat ?")
B_RESULTS = {
    "interview": N_("🗓 Entretien"),
    "hired": N_("🎉 Embauché·e"),
    "not_retained": N_("Pas retenu·e"),
}
T_RESULT = {
    "interview": N_("C'est noté : {name} a un entretien pour « {title} »."),
    "hired": N_("Bravo ! {name} est embauché·e pour « {title} ». C'est compté dans les résultats."),
    "not_retained": N_("C'est noté : {name} n'est pas retenu·e pour « {title} »."),
}
T_ALREADY_RESULT = N_("Ce résultat est déjà noté.")
T_NO_OFFER = N_("Cette offre n'existe pas ou n'est pas de votre centre.")
T_NOT_INTERESTED = N_("Cette personne n'a pas dit que cette offre l'intéresse.")


# -- the relay task -----------------------------------------------------------------------------


async def relay(
    tx: Tx, catalogs: Catalogs, admins: tuple[str, ...], offer: Offer, person: Person
) -> list[Person]:
    """Queue the relay task for whoever should send the candidate on; who was told."""
    assert person.id is not None
    del catalogs  # written in each volunteer's language when delivered
    told = await recipients_for(tx, admins, offer.created_by, person)
    for member in told:
        if member.id is None or member.stopped or member.blocked:
            continue
        params = {"offer": offer.id, "person": person.id}
        await queue(tx, NewStarted(member.id, KIND, params, priority=NOTICE, subject_id=person.id))
    await tx.relay_offer(offer.id, person.id, told[0].id if told else None)
    return told


async def withdrawn(
    tx: Tx,
    catalogs: Catalogs,
    admins: tuple[str, ...],
    offer: Offer,
    person: Person,
    send: OfferSend,
) -> None:
    """The person said "not for me" after "interested": whoever was given the task is told."""
    assert person.id is not None
    told = await recipients_for(tx, admins, send.relayed_to or offer.created_by, person)
    profile = await tx.profile_of(person.id)
    names = await tx.centre_names()
    centre = names.get(person.centre or offer.centre, offer.centre)
    for member in told:
        name = profile_name(profile, person.id, catalogs.get(member.locale))
        await notify(
            tx,
            member,
            T_WITHDRAWN,
            (((B_PAGE, build("p", person.id)),),),
            subject_id=person.id,
            name=name,
            centre=centre,
            title=offer.details.title,
        )


def lacks_cv(followup: FollowUp, profile: Mapping[str, Any]) -> bool:
    """No CV made yet (rather than one to check or to correct): the CV flow never ended, or
    its answers are gone; the person's menu then offers « Faire mon CV »."""
    if followup.cv_status == "checked":
        return False
    return followup.cv_status == "none" or not profile.get("last_name")


async def has_no_cv(tx: Tx, person_id: int) -> bool:
    """lacks_cv, read now from the person's follow-up and answers."""
    followup = await tx.followup_of(person_id)
    if followup.cv_status == "checked":
        return False  # (their answers need not be read)
    return lacks_cv(followup, await tx.profile_of(person_id))


async def candidate_params(
    tx: Tx, volunteer_id: int, offer: Offer, person_id: int, profile: Mapping[str, Any]
) -> dict[str, Any]:
    """What the relay task and the candidate's screen (bot/offers/candidates.py) show of a
    candidate, read now: their name, phone, where their CV stands, the offer and how to
    apply. The volunteer's view of the phone, and of the CV when it comes with it, is
    audited."""
    followup = await tx.followup_of(person_id)
    phone = str(profile.get("phone") or "")
    if phone:
        await tx.audit(volunteer_id, person_id, "phone")
    checked = followup.cv_status == "checked"
    if checked:
        await tx.audit(volunteer_id, person_id, "cv")
    return {
        "offer": offer.id,
        "person": person_id,
        "first": str(profile.get("first_name") or ""),
        "last": str(profile.get("last_name") or ""),
        "phone": answers.format_phone(phone) if phone else "",
        "checked": checked,
        "no_cv": lacks_cv(followup, profile),
        "title": offer.details.title,
        "employer": offer.details.employer,
        "town": offer.details.town,
        "how": offer.details.how_to_apply,
    }


def candidate_lines(t: Translator, params: Mapping[str, Any]) -> list[str]:
    """The candidate in the volunteer's language, from `candidate_params`: who is interested
    in which offer, their phone, their CV, how to apply."""
    p = params
    who = int(p.get("person", 0))
    profile = {"first_name": p.get("first", ""), "last_name": p.get("last", "")}
    lines = [
        t.gettext(
            T_RELAY,
            name=profile_name(profile, who, t),
            number=who,
            title=str(p.get("title", "")),
            employer=str(p.get("employer", "")),
            town=str(p.get("town", "")),
        )
    ]
    phone = str(p.get("phone") or "")
    lines.append(t.gettext(T_PHONE, phone=phone) if phone else t.gettext(T_NO_PHONE))
    if p.get("checked"):
        lines.append(t.gettext(T_CV_CHECKED))
    else:
        # a task queued before "no_cv" was read says "not checked yet", as it did
        lines.append(t.gettext(T_NO_CV if p.get("no_cv") else T_CV_NOT_CHECKED))
    if p.get("how"):
        lines.append(t.gettext(T_HOW, how=str(p["how"])))
    return lines


def cv_document(params: Mapping[str, Any]) -> str:
    """The checked CV's PDF that comes with the candidate ("" when not checked)."""
    return f"cv_pdf:{int(params.get('person', 0))}" if params.get("checked") else ""


async def read(tx: Tx, started: Started) -> ReadNow | None:
    """What the task shows, read when it goes (the candidate's name, phone and CV as they are
    then); None, dropped, when the offer or the person is gone or the volunteer no longer
    sees the person."""
    params = started.params
    number, who = params.get("offer"), params.get("person")
    if not isinstance(number, int) or not isinstance(who, int):
        return None
    offer = await tx.offer(number)
    person = await tx.person_by_id(who)
    volunteer = started.person
    if offer is None or person is None or person.id is None or volunteer.id is None:
        return None
    roles = await tx.roles_of(volunteer.id)
    # the admins told for a centre without team have no role there: they may see everyone
    if roles and not any(r.centre == person.centre for r in roles):
        return None
    profile = await tx.profile_of(person.id)
    fresh = await candidate_params(tx, volunteer.id, offer, person.id, profile)
    return ReadNow(fresh, shows=(person.id,))


def render(t: Translator, started: Started) -> Message:
    """The relay task in the volunteer's language."""
    p = started.params
    who = int(p.get("person", 0))
    lines = candidate_lines(t, p)
    lines.append(t.gettext(T_THEN))
    offer = int(p.get("offer", 0))
    rows = (
        (Button(t.gettext(B_SENT), build("oz", offer, who)),),
        (Button(t.gettext(B_PAGE), build("p", who)),),
    )
    return Message("\n".join(lines), rows, rtl=t.rtl, document=cv_document(p))


# -- the volunteer's buttons ----------------------------------------------------------------------


async def candidacy(ctx: Ctx, call: Call) -> tuple[Offer, Subject, OfferSend] | None:
    """The offer, the person and what they answered, if this volunteer sees both and the
    person said "interested" (else None, after saying why)."""
    offer = await offer_screen.read(ctx, call.id(0), T_NO_OFFER)
    if offer is None:
        return None
    who = await ctx.subject(call.id(1))
    if who is None:
        ctx.stale()
        return None
    send = await ctx.tx.offer_send(offer.id, who.id)
    if send is None or send.answer != "interested":
        ctx.say(T_NOT_INTERESTED)
        return None
    return offer, who, send


def result_buttons(ctx: Ctx, offer_id: int, person_id: int) -> tuple[tuple[Button, ...], ...]:
    """The results a candidacy may get ("oy"), and the person's page."""
    t = ctx.t
    return (
        tuple(
            Button(t.gettext(B_RESULTS[r]), build("oy", offer_id, person_id, r)) for r in RESULTS
        ),
        (Button(t.gettext(B_PAGE), build("p", person_id)),),
    )


@router.button("oz", Need.VOLUNTEER, args=(Arg.ID, Arg.ID))
async def sent_to_employer(ctx: Ctx, call: Call) -> None:
    """ "Envoyée à l'employeur": recorded once; then the result's buttons."""
    found = await candidacy(ctx, call)
    if found is None:
        return
    offer, who, _ = found
    done = await ctx.tx.offer_sent_to_employer(offer.id, who.id)
    text = ctx.t.gettext(T_SENT if done else T_ALREADY_SENT, name=who.name)
    ctx.show(Message(text, result_buttons(ctx, offer.id, who.id), rtl=ctx.t.rtl))


@router.button("oy", Need.VOLUNTEER, args=(Arg.ID, Arg.ID, Arg.WORD))
async def result(ctx: Ctx, call: Call) -> None:
    """The result of the candidacy; a hire is a confirmed job outcome of the person's centre."""
    word = call.word(2)
    if word not in RESULTS:
        ctx.stale()
        return
    found = await candidacy(ctx, call)
    if found is None:
        return
    offer, who, _ = found
    if not await ctx.tx.offer_result(offer.id, who.id, word):
        ctx.say(T_ALREADY_RESULT)
        return
    if word == "hired":
        contract = OUTCOME_CONTRACT.get(offer.details.contract, SEASONAL_CONTRACT)
        centre = who.person.centre or offer.centre
        await ctx.tx.add_outcome(
            who.id, centre, "job", contract, ctx.today, ctx.access.person_id, True
        )
        await ctx.tx.update_followup(who.id, searching=0)
    text = ctx.t.gettext(T_RESULT[word], name=who.name, title=offer.details.title)
    rows = ((Button(ctx.t.gettext(B_PAGE), build("p", who.id)),),)
    ctx.show(Message(text, rows, rtl=ctx.t.rtl))
