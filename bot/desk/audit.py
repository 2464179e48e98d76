"""The audit log for admins (`/audit`): who opened whose page or CV, saw a phone, removed
someone from a team, asked for their own data; erasures, with ids only."""

from __future__ import annotations

from bot.core.domain import Message
from bot.core.i18n import N_
from bot.desk import about, corrections
from bot.desk.context import Call, Ctx
from bot.desk.domain import person_name
from bot.desk.router import Need, Router
from bot.privacy.erasure import AUDIT_LINES as ERASURE_LINES

router = Router("audit")

T_AUDIT_HEAD = N_("Journal des accès, du plus récent au plus ancien :")
T_AUDIT_LINE = N_("{at} – {actor} a ouvert {what} de la personne n° {subject}")
AUDIT_WHAT = {
    "profile": N_("la fiche"),
    "cv": N_("le CV"),
    "cv_json": N_("le CV (JSON Resume)"),
}
# actions that are not the opening of a page or a CV: their whole line
AUDIT_LINES = {
    "phone": N_("{at} – {actor} a vu le téléphone de la personne n° {subject}"),
    "team_removed": N_("{at} – {actor} a retiré la personne n° {subject} de l'équipe"),
    "export": N_("{at} – {actor} a demandé ses propres données"),
}
T_AUDIT_OTHER = N_("{at} – {actor} : {action}, personne n° {subject}")
# a volunteer's correction of a CV: which part, never what it says
T_AUDIT_CORRECTED = N_("{at} – {actor} a corrigé le CV de la personne n° {subject} : {what}")
T_AUDIT_EMPTY = N_("Aucune consultation pour l'instant.")


@router.command("audit", Need.ADMIN, order=70, button=N_("🔍 Journal"))
async def audit_log(ctx: Ctx, call: Call) -> None:
    """The last 30 lines of the log, most recent first."""
    t = ctx.t
    entries = await ctx.tx.audit_entries(limit=30)
    if not entries:
        ctx.say(T_AUDIT_EMPTY)
        return
    lines = [t.gettext(T_AUDIT_HEAD)]
    for e in entries:
        if e.action in ERASURE_LINES:  # an erasure: ids only, maybe no actor
            line = ERASURE_LINES[e.action]
            lines.append(t.gettext(line, at=t.datetime(e.at), subject=e.subject_id))
            continue
        actor_profile = await ctx.tx.profile_of(e.actor_id)
        about.shown(e.actor_id)  # the line names the volunteer
        actor = person_name(str(actor_profile.get("first_name", "")), "", e.actor_id, t)
        # "Personne n° 2" already says the number: no "(n° 2)" after it
        if actor_profile.get("first_name"):
            actor = f"{actor} (n° {e.actor_id})"
        who = {"at": t.datetime(e.at), "actor": actor}
        if corrections.ACTION.match(e.action):
            what = corrections.describe(ctx.render.flows, e.action, t)
            lines.append(t.gettext(T_AUDIT_CORRECTED, what=what, subject=e.subject_id, **who))
        elif e.action in AUDIT_WHAT:
            what = t.gettext(AUDIT_WHAT[e.action])
            lines.append(t.gettext(T_AUDIT_LINE, what=what, subject=e.subject_id, **who))
        else:
            line = AUDIT_LINES.get(e.action, T_AUDIT_OTHER)
            lines.append(t.gettext(line, subject=e.subject_id, action=e.action, **who))
    ctx.show(Message("\n".join(lines), rtl=t.rtl))
