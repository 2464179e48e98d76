"""Follow-up of CVs: a volunteer reads a person's CV, says it is good enough to send to
employers, or sends it back with a note (the desk flow `desk_note`); when the person corrects
it, the CV is "to check" again and the volunteer who sent it back is told."""

from __future__ import annotations

from bot.core.domain import Message
from bot.core.i18n import N_
from bot.desk.context import Call, Ctx
from bot.desk.notices import notify
from bot.desk.router import Need, Router, person
from bot.storage.database import to_text

router = Router("cv_check")

T_CV_OF = N_("Le CV de {name} :")
T_NO_CV = N_("{name} n'a pas encore de CV.")
T_CHECKED = N_("C'est noté : le CV de {name} est qualifié.")
T_CHECKED_NOTICE = N_(
    "Bonne nouvelle : un bénévole a vérifié votre CV. "
    "Il peut maintenant être envoyé aux employeurs."
)
T_NOTE_SENT = N_("C'est envoyé à {name}.")
T_FIX_NOTICE = N_(
    "Un bénévole a relu votre CV. Voici ce qu'il faut corriger :\n« {note} »\n"
    "Vous pouvez le corriger dans « Mon CV », depuis le menu."
)
NOTE_FLOW = "desk_note"


def _has_cv(call: Call) -> bool:
    return bool(call.who.profile.get("last_name"))


@router.button("cv", Need.VOLUNTEER, about=person)
async def read_cv(ctx: Ctx, call: Call) -> None:
    """The person's CV as a PDF (made when sent; the read is audited)."""
    who = call.who
    if not _has_cv(call):
        ctx.say(T_NO_CV, name=who.name)
        return
    await ctx.tx.audit(ctx.access.person_id, who.id, "cv")
    text = ctx.t.gettext(T_CV_OF, name=who.name)
    ctx.show(Message(text, rtl=ctx.t.rtl, document=f"cv_pdf:{who.id}"))


@router.button("ck", Need.VOLUNTEER, about=person)
async def check(ctx: Ctx, call: Call) -> None:
    """The CV is good: the person is told, the page shown again."""
    who = call.who
    if not _has_cv(call):
        ctx.say(T_NO_CV, name=who.name)
        return
    await ctx.tx.update_followup(
        who.id,
        cv_status="checked",
        cv_note=None,
        cv_checked_by=ctx.access.person_id,
        cv_checked_at=to_text(ctx.now),
    )
    await notify(ctx.tx, who.person, T_CHECKED_NOTICE)
    ctx.say(T_CHECKED, name=who.name)
    await ctx.then_press("p", who.id)


@router.button("fx", Need.VOLUNTEER, about=person)
async def send_back(ctx: Ctx, call: Call) -> None:
    """Ask what to correct: the desk flow `desk_note` about this person."""
    if not _has_cv(call):
        ctx.say(T_NO_CV, name=call.who.name)
        return
    ctx.open_flow(NOTE_FLOW, call.who)


@router.flow(NOTE_FLOW, Need.VOLUNTEER)
async def note_written(ctx: Ctx, call: Call) -> None:
    """The note is written: the CV is "à corriger" and the person gets the note as it is; this
    volunteer will be told when the corrected CV comes back (bot/desk/followup.py)."""
    who, note = call.who, str(call.answers.get("note", ""))
    await ctx.tx.update_followup(
        who.id, cv_status="to_fix", cv_note=note, cv_sent_back_by=ctx.access.person_id
    )
    await notify(ctx.tx, who.person, T_FIX_NOTICE, note=note)
    ctx.say(T_NOTE_SENT, name=who.name)
