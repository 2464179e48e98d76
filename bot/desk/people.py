"""Follow-up: the list of the people a volunteer follows, and a person's page with what can be
done for them. Marking "en recherche" and "premier contact" are the page's own actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.appointments import shown as appointment_words
from bot.appointments.domain import Appointment
from bot.core import answers
from bot.core.domain import Button, Frame, Message, State
from bot.core.i18n import N_, Translator
from bot.desk import about
from bot.desk.buttons import Arg, build, page_rows
from bot.desk.context import Call, Ctx
from bot.desk.domain import (
    Beneficiary,
    Filter,
    FollowUp,
    HelpRequest,
    Outcome,
    outcome_words,
    person_name,
)
from bot.desk.router import Need, Router, person
from bot.documents import not_french
from bot.storage.database import to_text
from bot.storage.interfaces import Reading
from bot.storage.long_reads import LongRead

router = Router("people")

PAGE_SIZE = 8
# the whole self-assessment and plan, which volunteers read in their own words (desk voice)
ASSESSMENT_FLOW = "my_assessment"

T_LIST_HEAD = N_("Personnes suivies ({filter}) – page {page} sur {pages}")
T_LIST_EMPTY = N_("Personne dans cette liste pour l'instant.")
F_LABELS = {
    Filter.ALL: N_("Toutes"),
    Filter.NEW: N_("Premier contact"),
    Filter.CV: N_("CV à vérifier"),
    Filter.SEARCHING: N_("En recherche"),
    Filter.WAITING: N_("En attente de contact"),
}
CV_STATUS = {
    "none": N_("pas de CV"),
    "to_check": N_("CV à vérifier"),
    "checked": N_("CV qualifié"),
    "to_fix": N_("CV à corriger"),
}
T_SEARCHING = N_("en recherche")
T_PROFILE_HEAD = N_("{name} (n° {id}) – {centre}")
# the page: status, contact and next step, one line each, then the buttons
T_STATUS = N_("Statut : {status}")
T_ASSESSED = N_("bilan fait")
T_NOT_ASSESSED = N_("pas de bilan")
T_CONTACT = N_("Contact : {contact}")
T_NO_PHONE = N_("pas de téléphone")
T_FIRST_CONTACT_ON = N_("premier contact le {date}")
T_NO_FIRST_CONTACT = N_("pas encore de premier contact")
T_NEXT = N_("À faire : {action}")
# the lines of the data a person downloads (bot/privacy/export.py) say the same things
T_PHONE = N_("Téléphone : {phone}")
T_CV_LINE = N_("CV : {status}")
T_NOTE_LINE = N_("À corriger : {note}")
T_SEARCH_YES = N_("Recherche active : oui")
T_SEARCH_NO = N_("Recherche active : non")
T_CONTACT_YES = N_("Premier contact : {date}")
T_CONTACT_NO = N_("Premier contact : pas encore")
T_OUTCOME_LINE = N_("Résultat : {outcome} ({date})")
T_WAITING = N_("Demande d'aide : en attente depuis le {date}")
T_LAST_MESSAGE = N_("dernier message le {date}")
T_NO_ASSESSMENT = N_("Bilan : pas encore fait.")
T_PLAN_OF = N_("Bilan et plan de {name} :")
T_PERSON_USAGE = N_("Écrivez /person suivi du numéro de la personne, par exemple : /person 12")
B_CV = N_("📄 Voir le CV")
B_JSON = N_("JSON Resume")
B_CORRECT = N_("📝 Corriger le CV")
B_CHECK = N_("✅ CV qualifié")
B_FIX = N_("✏️ CV à corriger")
B_PLAN = N_("📋 Bilan et plan")
B_SEARCH_ON = N_("🔎 En recherche")
B_SEARCH_OFF = N_("⏸ Ne cherche plus")
B_CONTACT = N_("📞 Contact fait")
B_OUTCOME = N_("🏁 Résultat")
B_JOB_CONFIRM = N_("✅ Confirmer le travail")
B_JOB_DECLINE = N_("❌ Pas confirmé")
B_PAGE = N_("↩ Fiche")
B_TAKE = N_("🙋 Je m'en occupe")
B_WRITE = N_("✍️ Écrire")
B_MESSAGES = N_("💬 Messages")
B_LIST = N_("↩ Liste")
B_APPOINTMENT = N_("📅 Rendez-vous")
B_SEE_APPOINTMENT = N_("📅 Voir le RDV")
T_NEXT_APPOINTMENT = N_("Prochain rendez-vous : {when} – {purpose}")
B_PREV = N_("◀ Précédents")
B_NEXT = N_("Suivants ▶")
PER_ROW = 2  # two short labels fit a phone's width
T_SEARCH_SET = N_("C'est noté : {name} est en recherche active.")
T_SEARCH_UNSET = N_("C'est noté : {name} n'est plus marqué(e) « en recherche ».")
T_CONTACT_SET = N_("C'est noté : premier contact avec {name}.")


@dataclass(frozen=True)
class Facts:
    """What a person's page says and offers, read once."""

    follow: FollowUp
    outcomes: list[Outcome]
    has_cv: bool
    assessed: bool
    waiting: HelpRequest | None = None  # a help request nobody took yet
    last_message_at: datetime | None = None  # the latest message with the centre
    appointment: Appointment | None = None  # the next planned appointment

    @property
    def job_to_confirm(self) -> Outcome | None:
        """A job the person reported that no volunteer confirmed or declined yet."""
        return next(
            (o for o in self.outcomes if o.kind == "job" and not o.confirmed and not o.declined),
            None,
        )

    @property
    def latest(self) -> Outcome | None:
        """The latest outcome that counts (confirmed)."""
        return next((o for o in self.outcomes if o.confirmed), None)


# The next step a volunteer can take for someone: the first rule that holds.
NEXT_STEPS: tuple[tuple[Callable[[Facts], bool], str], ...] = (
    (lambda f: f.job_to_confirm is not None, N_("confirmer le travail trouvé, ou pas")),
    (
        lambda f: not f.follow.searching and f.latest is not None and f.latest.kind == "job",
        N_("prendre des nouvelles de son travail"),
    ),
    (
        lambda f: not f.follow.searching and f.latest is not None and f.latest.kind != "job",
        N_("rien pour l'instant"),
    ),
    (lambda f: f.waiting is not None, N_("répondre à sa demande d'aide : « Je m'en occupe »")),
    (lambda f: f.follow.first_contact_at is None, N_("prendre un premier contact")),
    (lambda f: f.follow.cv_status == "to_check" and f.has_cv, N_("relire le CV")),
    (lambda f: f.follow.cv_status == "to_fix", N_("attendre la correction du CV")),
    (lambda f: not f.has_cv, N_("faire le CV ensemble")),
    (lambda f: not f.follow.searching, N_("marquer « en recherche » quand la personne cherche")),
    (lambda f: f.follow.can_be_proposed, N_("proposer des offres : CV qualifié et en recherche")),
    (lambda f: True, N_("vérifier le CV pour le proposer aux employeurs")),
)


def next_step(facts: Facts) -> str:
    """The msgid of the next step for this person."""
    return next(action for holds, action in NEXT_STEPS if holds(facts))


# -- the list --------------------------------------------------------------------------------


@router.command(
    "people", Need.VOLUNTEER, menu=N_("Les personnes suivies"), order=10, button=N_("👥 Personnes")
)
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


@dataclass(frozen=True)
class ListPage(LongRead[tuple[int, list[Beneficiary], int]]):
    """A page of a list (the last one when `page` is past it), its number and how many people
    the list has: a long read when a centre has thousands of people."""

    centres: tuple[str, ...]
    which: Filter
    page: int
    exclude: int  # the volunteer, never listed

    async def run(self, reads: Reading) -> tuple[int, list[Beneficiary], int]:
        page, offset = self.page, self.page * PAGE_SIZE
        listed = reads.list_beneficiaries
        people, total = await listed(self.centres, self.which, offset, PAGE_SIZE, self.exclude)
        pages = max(1, -(-total // PAGE_SIZE))
        if page >= pages and total:
            page = pages - 1
            people, total = await listed(
                self.centres, self.which, page * PAGE_SIZE, PAGE_SIZE, self.exclude
            )
        return page, people, total


async def show_list(ctx: Ctx, which: Filter, page: int) -> None:
    """One page of a list, with its filters and the pages around."""
    t, access = ctx.t, ctx.access
    centres = access.centres(ctx.active)
    page, people, total = await ctx.long_read(ListPage(centres, which, page, access.person_id))
    # read beside the writer a moment ago: whoever this volunteer no longer sees (erased since,
    # moved to another centre) is left out
    people = [one for one in people if await ctx.subject(one.id) is not None]
    pages = max(1, -(-total // PAGE_SIZE))
    head = t.gettext(T_LIST_HEAD, filter=t.gettext(F_LABELS[which]), page=page + 1, pages=pages)
    lines = [head, t.ngettext("{n} personne", "{n} personnes", total)]
    if not people:
        lines.append(t.gettext(T_LIST_EMPTY))
    filters = [
        Button(("• " if f == which else "") + t.gettext(F_LABELS[f]), build("l", f.value, 0))
        for f in Filter
    ]
    rows: list[tuple[Button, ...]] = [tuple(filters[i : i + 2]) for i in range(0, len(filters), 2)]
    for one in people:
        about.shown(one.id)  # the list names them: erased with any of them
        rows.append((Button(_row_label(one, t), build("p", one.id)),))
    rows += page_rows(
        (t.gettext(B_PREV), t.gettext(B_NEXT)), page, page + 1 < pages, "l", which.value
    )
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
    await ctx.press_for_number(call, "p", T_PERSON_USAGE)


@router.button("p", Need.VOLUNTEER, about=person)
async def page(ctx: Ctx, call: Call) -> None:
    """A person's page, short enough for a phone: status, contact and next step, one line
    each, and what can be done (the self-assessment and plan behind "Bilan et plan")."""
    t, who = ctx.t, call.who
    await ctx.tx.audit(ctx.access.person_id, who.id, "profile")  # every view, after any action
    last = await ctx.tx.exchange_messages_of(who.id, limit=1)
    facts = Facts(
        follow=await ctx.tx.followup_of(who.id),
        outcomes=await ctx.tx.outcomes_of(who.id),
        has_cv=bool(who.profile.get("last_name")),
        assessed="income_urgency" in who.profile,
        waiting=await ctx.tx.waiting_help_request(who.id),
        last_message_at=last[0].at if last else None,
        appointment=next(
            (a for a in await ctx.tx.appointments_of(who.id, ctx.now) if a.state == "planned"),
            None,
        ),
    )
    follow = facts.follow
    centre = ctx.centre_name(who.person.centre)
    lines = [
        t.gettext(T_PROFILE_HEAD, name=who.name, id=who.id, centre=centre),
        t.gettext(T_STATUS, status=" · ".join(_status(facts, t))),
    ]
    if follow.cv_status == "to_fix" and follow.cv_note:
        lines.append(t.gettext(T_NOTE_LINE, note=follow.cv_note))
    if facts.has_cv:
        # answers the CV shows that are not in French yet: listed with "Voir le CV"
        foreign = not_french.foreign_answers(who.profile, ctx.render.flows)
        lines += [line for line in (not_french.summary(foreign, t),) if line]
    phone = who.profile.get("phone")
    contact = [answers.format_phone(phone) if phone else t.gettext(T_NO_PHONE)]
    if follow.first_contact_at:
        day = t.date(follow.first_contact_at.astimezone(t.tz).date())
        contact.append(t.gettext(T_FIRST_CONTACT_ON, date=day))
    else:
        contact.append(t.gettext(T_NO_FIRST_CONTACT))
    if facts.last_message_at is not None:
        day = t.date(facts.last_message_at.astimezone(t.tz).date())
        contact.append(t.gettext(T_LAST_MESSAGE, date=day))
    lines.append(t.gettext(T_CONTACT, contact=" · ".join(contact)))
    if facts.waiting is not None:
        since = facts.waiting.created_at.astimezone(t.tz).date()
        lines.append(t.gettext(T_WAITING, date=t.date(since)))
    if facts.appointment is not None:
        coming = facts.appointment
        when = appointment_words.when(t, coming.starts_at, ctx.world.tz)
        purpose = appointment_words.purpose(t, coming)
        lines.append(t.gettext(T_NEXT_APPOINTMENT, when=when, purpose=purpose))
    lines.append(t.gettext(T_NEXT, action=t.gettext(next_step(facts))))
    ctx.show(Message("\n".join(lines), _page_buttons(who.id, facts, t), rtl=t.rtl))


def _status(facts: Facts, t: Translator) -> list[str]:
    """The words of the status line: CV, search, self-assessment, latest outcome."""
    follow = facts.follow
    parts = [t.gettext(CV_STATUS[follow.cv_status if facts.has_cv else "none"])]
    if follow.searching:
        parts.append(t.gettext(T_SEARCHING))
    parts.append(t.gettext(T_ASSESSED if facts.assessed else T_NOT_ASSESSED))
    shown = facts.job_to_confirm or (facts.outcomes[0] if facts.outcomes else None)
    if shown is not None:
        kind, contract, state = outcome_words(t, shown)
        what = f"{kind} ({contract})" if contract else kind
        parts.append(f"{what}, {state}" if state else what)
    return parts


def _page_buttons(person_id: int, facts: Facts, t: Translator) -> tuple[tuple[Button, ...], ...]:
    """The page's buttons, most urgent first, two to a row."""
    found: list[tuple[str, str]] = []
    if facts.waiting is not None:
        found.append((B_TAKE, build("h", facts.waiting.id)))
    found.append((B_WRITE, build("w", person_id)))
    if facts.last_message_at is not None:
        found.append((B_MESSAGES, build("wm", person_id)))
    job = facts.job_to_confirm
    if job is not None:
        found += [(B_JOB_CONFIRM, build("cf", job.id)), (B_JOB_DECLINE, build("cn", job.id))]
    if facts.has_cv:
        found.append((B_CV, build("cv", person_id)))
        found.append((B_CORRECT, build("cc", person_id)))
        if facts.follow.cv_status != "checked":
            found.append((B_CHECK, build("ck", person_id)))
        found.append((B_FIX, build("fx", person_id)))
    found.append((B_PLAN, build("bp", person_id)))
    found.append((B_SEARCH_OFF if facts.follow.searching else B_SEARCH_ON, build("sr", person_id)))
    if not facts.follow.first_contact_at:
        found.append((B_CONTACT, build("fc", person_id)))
    found.append((B_OUTCOME, build("o", person_id)))
    if facts.appointment is not None:
        found.append((B_SEE_APPOINTMENT, build("ad", facts.appointment.id)))
    found.append((B_APPOINTMENT, build("ab", person_id)))
    if facts.has_cv:
        # the CV as JSON Resume, for job sites and other tools (a volunteer's, not the person's)
        found.append((B_JSON, build("cj", person_id)))
    found.append((B_LIST, build("l", Filter.ALL.value, 0)))
    shown = [Button(t.gettext(label), data) for label, data in found]
    return tuple(tuple(shown[i : i + PER_ROW]) for i in range(0, len(shown), PER_ROW))


@router.button("bp", Need.VOLUNTEER, about=person)
async def assessment(ctx: Ctx, call: Call) -> None:
    """ "Bilan et plan": the self-assessment summary and plan, in the volunteer's words."""
    t, who = ctx.t, call.who
    await ctx.tx.audit(ctx.access.person_id, who.id, "profile")
    summary = _assessment(ctx, who.profile) or t.gettext(T_NO_ASSESSMENT)
    text = t.gettext(T_PLAN_OF, name=who.name) + "\n\n" + summary
    rows = ((Button(t.gettext(B_PAGE), build("p", who.id)),),)
    ctx.show(Message(text, rows, rtl=t.rtl))


def _assessment(ctx: Ctx, profile: dict[str, Any]) -> str:
    """The person's self-assessment and plan, in the volunteer's language and words ("CV :
    fait", not "Faire votre CV"); "" when the bilan is not done."""
    render = ctx.render
    flow = render.flows.flows.get(ASSESSMENT_FLOW)
    if flow is None or "income_urgency" not in profile:
        return ""
    reader = State(replace(ctx.state.person, centre=None), profile=profile)
    frame = Frame(flow=flow.id, step=flow.start)
    texts = [
        render.message_text(reader, frame, step, voice="desk")
        for step in flow.steps.values()
        if step.type == "message"
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
