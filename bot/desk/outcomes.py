"""Outcomes: what became of a person. A volunteer records one (the desk flow `desk_outcome`:
what, the contract for a job, when), or confirms a job the person reported themselves, or
says it is not confirmed ("pas confirmé": it never counts, the person is told kindly). Both
decisions are audited."""

from __future__ import annotations

from datetime import date

from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import build
from bot.desk.context import Call, Ctx
from bot.desk.domain import CONTRACT_LABELS, OUTCOME_KINDS, OUTCOME_LABELS
from bot.desk.notices import notify
from bot.desk.router import Need, Router, person

router = Router("outcomes")

OUTCOME_FLOW = "desk_outcome"
T_OUTCOME_SAVED = N_("C'est noté pour {name} : {outcome}, le {date}.")
T_CONFIRMED = N_("Confirmé. Bravo à {name} !")
T_ALREADY_CONFIRMED = N_("Ce résultat est déjà confirmé.")
T_CONFIRMED_NOTICE = N_("Un bénévole a confirmé votre nouveau travail. Bravo !")
T_DECLINED = N_("C'est noté : le travail de {name} n'est pas confirmé. Il ne compte pas.")
T_ALREADY_DECLINED = N_("Ce travail est déjà noté « pas confirmé ».")
T_DECLINED_NOTICE = N_(
    "Merci de nous avoir parlé de votre travail. Un bénévole de votre centre n'a pas pu le "
    "confirmer pour l'instant. Ce n'est pas grave : vous pouvez en parler avec un bénévole, "
    "avec « Parler à un bénévole » dans le menu."
)
B_PAGE = N_("Voir la fiche")
ENDS_SEARCH = ("job", "stopped", "moved")  # after these the person is no longer searching


@router.button("o", Need.VOLUNTEER, about=person)
async def record(ctx: Ctx, call: Call) -> None:
    """Record an outcome: the desk flow asks what, the contract and when."""
    ctx.open_flow(OUTCOME_FLOW, call.who)


@router.flow(OUTCOME_FLOW, Need.VOLUNTEER)
async def recorded(ctx: Ctx, call: Call) -> None:
    """The outcome is complete: record it, confirmed, by this volunteer."""
    who, given = call.who, call.answers
    kind, contract = given.get("outcome_kind"), given.get("outcome_contract")
    try:
        day = date.fromisoformat(str(given.get("outcome_date")))
    except ValueError:
        day = None
    if kind not in OUTCOME_KINDS or contract not in (None, *CONTRACT_LABELS) or day is None:
        ctx.stale()  # a flow file changed under a run: nothing half-recorded
        return
    assert isinstance(kind, str) and who.person.centre is not None
    contract = contract if kind == "job" else None
    await ctx.tx.add_outcome(
        who.id, who.person.centre, kind, contract, day, ctx.access.person_id, True
    )
    if kind in ENDS_SEARCH:
        await ctx.tx.update_followup(who.id, searching=0)
    t = ctx.t
    what = t.gettext(OUTCOME_LABELS[kind])
    if contract:
        what += f" ({t.gettext(CONTRACT_LABELS[contract])})"
    ctx.say(T_OUTCOME_SAVED, name=who.name, outcome=what, date=t.date(day))


async def _outcome_person(ctx: Ctx, outcome_id: int) -> int | None:
    """Whom an outcome is about, if it is one of this volunteer's centres (the person may have
    moved to a centre this volunteer sees: the outcome's centre counts too)."""
    outcome = await ctx.tx.outcome(outcome_id)
    if outcome is None or outcome.centre not in ctx.access.centres(ctx.active):
        return None
    return outcome.person_id


@router.button("cf", Need.VOLUNTEER, about=_outcome_person)
async def confirm(ctx: Ctx, call: Call) -> None:
    """Confirm a job the person reported: it counts from now on, and they are told."""
    who = call.who
    if not await ctx.tx.confirm_outcome(call.id(0), ctx.access.person_id):
        await _already(ctx, call.id(0))
        return
    await ctx.tx.audit(ctx.access.person_id, who.id, "job_confirmed")
    await ctx.tx.update_followup(who.id, searching=0)
    await notify(ctx.tx, who.person, T_CONFIRMED_NOTICE)
    _with_page(ctx, ctx.t.gettext(T_CONFIRMED, name=who.name), who.id)


@router.button("cn", Need.VOLUNTEER, about=_outcome_person)
async def decline(ctx: Ctx, call: Call) -> None:
    """ "Pas confirmé": the job the person reported does not count, and they are told
    kindly; their search goes on as it was."""
    who = call.who
    if not await ctx.tx.decline_outcome(call.id(0), ctx.access.person_id):
        await _already(ctx, call.id(0))
        return
    await ctx.tx.audit(ctx.access.person_id, who.id, "job_declined")
    await notify(ctx.tx, who.person, T_DECLINED_NOTICE)
    _with_page(ctx, ctx.t.gettext(T_DECLINED, name=who.name), who.id)


def _with_page(ctx: Ctx, text: str, person_id: int) -> None:
    """What was done, with a button to the person's page (a notice has nothing else)."""
    rows = ((Button(ctx.t.gettext(B_PAGE), build("p", person_id)),),)
    ctx.show(Message(text, rows, rtl=ctx.t.rtl))


async def _already(ctx: Ctx, outcome_id: int) -> None:
    """A second decision on the same job: say which one was taken."""
    outcome = await ctx.tx.outcome(outcome_id)
    ctx.say(T_ALREADY_DECLINED if outcome is not None and outcome.declined else T_ALREADY_CONFIRMED)
