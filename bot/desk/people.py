"""Follow-up: the list of the people a volunteer follows, and a person's page with what can be
done for them. Marking "en recherche" and "premier contact" are the page's own actions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core import answers
from bot.core.domain import Button, Frame, Message, State
from bot.core.i18n import N_, Translator
from bot.core.ids import parse_id
from bot.desk import about
from bot.desk.buttons import Arg, build
from bot.desk.context import Call, Ctx
from bot.desk.domain import CONTRACT_LABELS, OUTCOME_LABELS, Beneficiary, Filter, person_name
from bot.desk.router import Need, Router, person
from bot.storage.database import to_text

router = Router("people")

PAGE_SIZE = 8
SUMMARY_STEPS = ("summary", "plan_now", "plan_later", "next_actions")

T_LIST_HEAD = N_("Personnes suivies ({filter}) – page {page} sur {pages}")
T_LIST_EMPTY = N_("Personne dans cette liste pour l'instant.")
F_LABELS = {
    Filter.ALL: N_("Toutes"),
    Filter.NEW: N_("Premier contact"),
    Filter.CV: N_("CV à vérifier"),
    Filter.SEARCHING: N_("En recherche"),
}
CV_STATUS = {
    "none": N_("pas de CV"),
    "to_check": N_("CV à vérifier"),
    "checked": N_("CV qualifié"),
    "to_fix": N_("CV à corriger"),
}
T_SEARCHING = N_("en recherche")
T_PROFILE_HEAD = N_("{name} (n° {id}) – {centre}")
T_PHONE = N_("Téléphone : {phone}")
T_CV_LINE = N_("CV : {status}")
T_NOTE_LINE = N_("À corriger : {note}")
T_SEARCH_YES = N_("Recherche active : oui")
T_SEARCH_NO = N_("Recherche active : non")
T_CONTACT_YES = N_("Premier contact : {date}")
T_CONTACT_NO = N_("Premier contact : pas encore")
T_OUTCOME_LINE = N_("Résultat : {outcome} ({date})")
T_TO_CONFIRM = N_("à confirmer")
T_NO_ASSESSMENT = N_("Bilan : pas encore fait.")
T_PROPOSABLE = N_("Peut être proposé(e) aux employeurs : CV qualifié et recherche active.")
T_ACTIONS = N_("Que faire pour {name} ?")
T_PERSON_USAGE = N_("Écrivez /person suivi du numéro de la personne, par exemple : /person 12")
B_CV = N_("📄 Voir le CV")
B_JSON = N_("JSON Resume")
B_CORRECT = N_("📝 Corriger le CV")
B_CHECK = N_("✅ CV qualifié")
B_FIX = N_("✏️ CV à corriger")
B_SEARCH_ON = N_("🔎 Marquer « en recherche »")
B_SEARCH_OFF = N_("Ne plus marquer « en recherche »")
B_CONTACT = N_("📞 Premier contact fait")
B_OUTCOME = N_("🏁 Noter un résultat")
B_LIST = N_("↩ Liste")
B_PREV = N_("◀ Précédents")
B_NEXT = N_("Suivants ▶")
T_SEARCH_SET = N_("C'est noté : {name} est en recherche active.")
T_SEARCH_UNSET = N_("C'est noté : {name} n'est plus marqué(e) « en recherche ».")
T_CONTACT_SET = N_("C'est noté : premier contact avec {name}.")


# -- the list --------------------------------------------------------------------------------


@router.command("people", Need.VOLUNTEER, menu=N_("Les personnes suivies"), order=10)
async def people(ctx: Ctx, call: Call) -> None:
    """`/people`: everyone the volunteer follows, first page."""
    await show_list(ctx, Filter.ALL, 0)


@router.button("l", Need.VOLUNTEER, args=(Arg.WORD, Arg.ID))
async def list_page(ctx: Ctx, call: Call) -> None:
    """A filter or a page of the list."""
    if call.word(0) not in set(Filter):
        ctx.stale()  # a forged filter: as any unknown button
        return
    await show_list(ctx, Filter(call.word(0)), call.id(1))


async def show_list(ctx: Ctx, which: Filter, page: int) -> None:
    """One page of a list, with its filters and the pages around."""
    t, access = ctx.t, ctx.access
    centres = access.centres(ctx.active)
    people, total = await ctx.tx.list_beneficiaries(
        centres, which, page * PAGE_SIZE, PAGE_SIZE, exclude=access.person_id
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages and total:
        page = pages - 1
        people, total = await ctx.tx.list_beneficiaries(
            centres, which, page * PAGE_SIZE, PAGE_SIZE, exclude=access.person_id
        )
    head = t.gettext(T_LIST_HEAD, filter=t.gettext(F_LABELS[which]), page=page + 1, pages=pages)
    lines = [head, t.ngettext("{n} personne", "{n} personnes", total)]
    if not people:
        lines.append(t.gettext(T_LIST_EMPTY))
    filters = [
        Button(("• " if f == which else "") + t.gettext(F_LABELS[f]), build("l", f.value, 0))
        for f in Filter
    ]
    rows: list[tuple[Button, ...]] = [tuple(filters[:2]), tuple(filters[2:])]
    for one in people:
        about.shown(one.id)  # the list names them: erased with any of them
        rows.append((Button(_row_label(one, t), build("p", one.id)),))
    nav = []
    if page > 0:
        nav.append(Button(t.gettext(B_PREV), build("l", which.value, page - 1)))
    if page + 1 < pages:
        nav.append(Button(t.gettext(B_NEXT), build("l", which.value, page + 1)))
    if nav:
        rows.append(tuple(nav))
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl))


def _row_label(one: Beneficiary, t: Translator) -> str:
    name = person_name(one.first_name, one.last_name, one.id, t)
    parts = [name, t.gettext(CV_STATUS[one.followup.cv_status])]
    if one.followup.searching:
        parts.append(t.gettext(T_SEARCHING))
    return " · ".join(parts)[:60]


# -- a person's page ---------------------------------------------------------------------------


@router.command("person", Need.VOLUNTEER, menu=N_("Ouvrir une fiche par son numéro"), order=20)
async def person_by_number(ctx: Ctx, call: Call) -> None:
    """`/person 12`: the page of person n° 12."""
    words = call.words
    number = parse_id(words[0].lstrip("n°#")) if len(words) == 1 else None
    if number is None:
        ctx.say(T_PERSON_USAGE)
        return
    await ctx.then_press("p", number)


@router.button("p", Need.VOLUNTEER, about=person)
async def page(ctx: Ctx, call: Call) -> None:
    """A person's page: status, self-assessment summary and plan, and what can be done."""
    t, who = ctx.t, call.who
    await ctx.tx.audit(ctx.access.person_id, who.id, "profile")  # every view, after any action
    follow = await ctx.tx.followup_of(who.id)
    centre = ctx.centre_name(who.person.centre)
    lines = [t.gettext(T_PROFILE_HEAD, name=who.name, id=who.id, centre=centre)]
    if who.profile.get("phone"):
        lines.append(t.gettext(T_PHONE, phone=answers.format_phone(who.profile["phone"])))
    lines.append(t.gettext(T_CV_LINE, status=t.gettext(CV_STATUS[follow.cv_status])))
    if follow.cv_status == "to_fix" and follow.cv_note:
        lines.append(t.gettext(T_NOTE_LINE, note=follow.cv_note))
    lines.append(t.gettext(T_SEARCH_YES if follow.searching else T_SEARCH_NO))
    if follow.first_contact_at:
        lines.append(t.gettext(T_CONTACT_YES, date=t.date(follow.first_contact_at.date())))
    else:
        lines.append(t.gettext(T_CONTACT_NO))
    for outcome in (await ctx.tx.outcomes_of(who.id))[:3]:
        what = t.gettext(OUTCOME_LABELS[outcome.kind])
        if outcome.contract:
            what += f" ({t.gettext(CONTRACT_LABELS[outcome.contract])})"
        if not outcome.confirmed:
            what += f" – {t.gettext(T_TO_CONFIRM)}"
        lines.append(t.gettext(T_OUTCOME_LINE, outcome=what, date=t.date(outcome.happened_on)))
    if follow.can_be_proposed:
        lines.append(t.gettext(T_PROPOSABLE))
    ctx.show(Message("\n".join(lines), rtl=t.rtl))
    summary = _assessment(ctx, who.profile)
    ctx.show(Message(summary or t.gettext(T_NO_ASSESSMENT), rtl=t.rtl))
    rows: list[tuple[Button, ...]] = []
    if who.profile.get("last_name"):
        # the CV as a PDF, and as JSON Resume for other tools (a volunteer's, not the person's)
        rows.append(
            (
                Button(t.gettext(B_CV), build("cv", who.id)),
                Button(t.gettext(B_JSON), build("cj", who.id)),
            )
        )
        rows.append((Button(t.gettext(B_CORRECT), build("cc", who.id)),))
        if follow.cv_status != "checked":
            rows.append((Button(t.gettext(B_CHECK), build("ck", who.id)),))
        rows.append((Button(t.gettext(B_FIX), build("fx", who.id)),))
    search = B_SEARCH_OFF if follow.searching else B_SEARCH_ON
    rows.append((Button(t.gettext(search), build("sr", who.id)),))
    if not follow.first_contact_at:
        rows.append((Button(t.gettext(B_CONTACT), build("fc", who.id)),))
    rows.append((Button(t.gettext(B_OUTCOME), build("o", who.id)),))
    rows.append((Button(t.gettext(B_LIST), build("l", Filter.ALL.value, 0)),))
    ctx.show(Message(t.gettext(T_ACTIONS, name=who.name), tuple(rows), rtl=t.rtl))


def _assessment(ctx: Ctx, profile: dict[str, Any]) -> str:
    """The person's self-assessment summary and plan, in the volunteer's language."""
    render = ctx.render
    flow = render.flows.flows.get("self_assessment")
    if flow is None or "income_urgency" not in profile:
        return ""
    reader = State(replace(ctx.state.person, centre=None), profile=profile)
    frame = Frame(flow=flow.id, step=flow.start)
    texts = [
        render.message_text(reader, frame, flow.steps[sid])
        for sid in SUMMARY_STEPS
        if sid in flow.steps
    ]
    return "\n\n".join(text for text in texts if text)


# -- the page's marks ----------------------------------------------------------------------------


@router.button("sr", Need.VOLUNTEER, about=person)
async def searching(ctx: Ctx, call: Call) -> None:
    """Mark or unmark "en recherche", then the page again."""
    who = call.who
    now_searching = not (await ctx.tx.followup_of(who.id)).searching
    await ctx.tx.update_followup(who.id, searching=int(now_searching))
    ctx.say(T_SEARCH_SET if now_searching else T_SEARCH_UNSET, name=who.name)
    await ctx.then_press("p", who.id)


@router.button("fc", Need.VOLUNTEER, about=person)
async def first_contact(ctx: Ctx, call: Call) -> None:
    """Note the first contact, then the page again."""
    await ctx.tx.update_followup(call.who.id, first_contact_at=to_text(ctx.now))
    ctx.say(T_CONTACT_SET, name=call.who.name)
    await ctx.then_press("p", call.who.id)
