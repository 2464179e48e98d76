"""Follow-up of CVs: a volunteer reads a person's CV (as a PDF, or as JSON Resume for other
tools), says it is good enough to send to employers, sends it back with a note (the desk flow
`desk_note`; when the person corrects it, the CV is "to check" again and the volunteer who sent
it back is told), or corrects it themselves with the screens of "Mon CV" (the desk flow
`desk_cv`: each change audited, the person told what changed when the volunteer has finished)."""

from __future__ import annotations

from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk import corrections
from bot.desk.buttons import build
from bot.desk.context import Call, Ctx
from bot.desk.notices import notify, tell_corrected
from bot.desk.router import Need, Router, person
from bot.documents import not_french
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
CORRECT_FLOW = "desk_cv"
T_JSON_OF = N_(
    "Le CV de {name} au format JSON Resume (un format ouvert, pour un site d'emploi ou un "
    "autre logiciel) :"
)
T_CORRECTED = N_("C'est enregistré. {name} sera prévenu(e) de ce qui a changé : {parts}.")
T_NOTHING_CORRECTED = N_("Rien n'a changé dans ce CV.")
T_QUALIFY = N_("Le CV est-il prêt pour les employeurs ? Si oui : « CV qualifié ».")
B_QUALIFY = N_("✅ CV qualifié")
T_QUALIFY_ANYWAY = N_(
    "Les employeurs lisent le CV en français. Corrigez d'abord ces réponses avec {name}, ou "
    "qualifiez le CV quand même si elles peuvent rester ainsi (un nom d'entreprise, par exemple)."
)
B_CORRECT = N_("📝 Corriger le CV")
B_QUALIFY_ANYWAY = N_("✅ Qualifier quand même")
B_SEE_CV = N_("📄 Voir le CV")
B_PAGE = N_("↩ Retour à la fiche")


def _without_cv(ctx: Ctx, call: Call) -> bool:
    """True, after saying so, when the person has no CV yet."""
    if call.who.profile.get("last_name"):
        return False
    ctx.say(T_NO_CV, name=call.who.name)
    return True


@router.button("cv", Need.VOLUNTEER, about=person)
async def read_cv(ctx: Ctx, call: Call) -> None:
    """The person's CV as a PDF (made when sent; the read is audited)."""
    who = call.who
    if _without_cv(ctx, call):
        return
    await ctx.tx.audit(ctx.access.person_id, who.id, "cv")
    lines = [ctx.t.gettext(T_CV_OF, name=who.name)]
    # what is not in French yet: to put in French with the person before "CV qualifié"
    flows = ctx.render.flows
    lines += not_french.describe(not_french.foreign_answers(who.profile, flows), flows, ctx.t)
    ctx.show(Message("\n".join(lines), rtl=ctx.t.rtl, document=f"cv_pdf:{who.id}"))


@router.button("ck", Need.VOLUNTEER, about=person)
async def check(ctx: Ctx, call: Call) -> None:
    """ "CV qualifié": asked again first when answers of the CV are not in French (an employer
    reads it in French), else the CV is checked."""
    who, t = call.who, ctx.t
    if _without_cv(ctx, call):
        return
    foreign = not_french.foreign_answers(who.profile, ctx.render.flows)
    if foreign:
        text = not_french.summary(foreign, t) + "\n" + t.gettext(T_QUALIFY_ANYWAY, name=who.name)
        rows = (
            (Button(t.gettext(B_CORRECT), build("cc", who.id)),),
            (Button(t.gettext(B_QUALIFY_ANYWAY), build("ckf", who.id)),),
            (Button(t.gettext(B_PAGE), build("p", who.id)),),
        )
        ctx.show(Message(text, rows, rtl=t.rtl))
        return
    await _qualify(ctx, call)


@router.button("ckf", Need.VOLUNTEER, about=person)
async def check_anyway(ctx: Ctx, call: Call) -> None:
    """ "Qualifier quand même": the volunteer checked the answers not in French."""
    if _without_cv(ctx, call):
        return
    await _qualify(ctx, call)


async def _qualify(ctx: Ctx, call: Call) -> None:
    """The CV is good: the person is told, the page shown again."""
    who = call.who
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
    if _without_cv(ctx, call):
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


@router.button("cj", Need.VOLUNTEER, about=person)
async def read_json(ctx: Ctx, call: Call) -> None:
    """The person's CV as JSON Resume (made when sent; the read is audited like the PDF's)."""
    who = call.who
    if _without_cv(ctx, call):
        return
    await ctx.tx.audit(ctx.access.person_id, who.id, "cv_json")
    text = ctx.t.gettext(T_JSON_OF, name=who.name)
    ctx.show(Message(text, rtl=ctx.t.rtl, document=f"cv_json:{who.id}"))


@router.button("cc", Need.VOLUNTEER, about=person)
async def correct(ctx: Ctx, call: Call) -> None:
    """Correct the CV oneself: the review screens of "Mon CV" on the person's answers (the
    desk flow `desk_cv`); opening it reads the CV, audited as such."""
    who = call.who
    if _without_cv(ctx, call):
        return
    await ctx.tx.audit(ctx.access.person_id, who.id, "cv")
    ctx.open_flow(CORRECT_FLOW, who)


@router.flow(CORRECT_FLOW, Need.VOLUNTEER)
async def corrected(ctx: Ctx, call: Call) -> None:
    """The volunteer has finished (or left) the correction: the CV is to check again, the
    person told what changed in their language, and the volunteer offered "CV qualifié"."""
    who = call.who
    flow = ctx.render.flows.desk_flow(CORRECT_FLOW)
    sections = next((s.sections for s in flow.steps.values() if s.sections), ()) if flow else ()
    changed = call.answers.get(corrections.CHANGED)
    named = corrections.parts(sections, changed if isinstance(changed, list) else [])
    rows: list[tuple[Button, ...]] = []
    t = ctx.t
    if named:
        await ctx.tx.update_followup(
            who.id, cv_status="to_check", cv_note=None, cv_done_at=to_text(ctx.now)
        )
        await tell_corrected(ctx.tx, who.person, named)
        ctx.say(T_CORRECTED, name=who.name, parts=corrections.say_parts(t, named))
        rows.append((Button(t.gettext(B_QUALIFY), build("ck", who.id)),))
        text = t.gettext(T_QUALIFY)
    else:
        text = t.gettext(T_NOTHING_CORRECTED)
    rows.append((Button(t.gettext(B_SEE_CV), build("cv", who.id)),))
    rows.append((Button(t.gettext(B_PAGE), build("p", who.id)),))
    ctx.show(Message(text, tuple(rows), rtl=t.rtl))
