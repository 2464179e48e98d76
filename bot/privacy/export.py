"""A person's own data, on request: everything Relais keeps about them, as a text to read in
their language and as JSON for other services (rights of access and portability).

The export is made from sources, one per capability, listed in SOURCES: each reads its share in
the request's read (on the read-only connection) and writes it as parts of the text and keys
of the JSON. A capability added later (job offers) adds its source there. Nothing
is stored: both files are made when asked, from what is saved at that moment.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from bot.appointments.domain import PURPOSE_LABELS
from bot.appointments.shown import PLACE_LABELS as PLACE_WORDS
from bot.appointments.shown import T_AT as T_WHEN_AT
from bot.core.domain import State
from bot.core.i18n import N_, REFERENCE_LOCALE, Catalogs, Translator, fill, language_name
from bot.core.render import Renderer
from bot.desk import corrections
from bot.desk.domain import outcome_words
from bot.desk.people import (
    CV_STATUS,
    T_CONTACT_NO,
    T_CONTACT_YES,
    T_CV_LINE,
    T_NOTE_LINE,
    T_OUTCOME_LINE,
    T_SEARCH_NO,
    T_SEARCH_YES,
)
from bot.documents.cv import build_cv, to_json_resume
from bot.documents.maker import Document
from bot.flows.model import REPLY_ROLE, Flow, FlowSet, Step
from bot.storage.interfaces import Reading

KINDS = ("my_data_txt", "my_data_json")
FORMAT = "relais-my-data"
FORMAT_VERSION = 1

T_TITLE = N_("Relais : ce que Relais garde sur vous")
T_MADE = N_("Fait le {date}, à votre demande. Relais ne garde pas de copie de ce fichier.")
T_NOTHING = N_("Rien pour l'instant.")
H_ACCOUNT = N_("Votre compte et votre accord")
T_CONSENT = N_("Vous avez donné votre accord le {date} (version {version} de la notice).")
T_CONSENT_NO_VERSION = N_("Vous avez donné votre accord le {date}.")
T_NO_CONSENT = N_("Vous n'avez pas donné votre accord.")
T_LANGUAGE = N_("Langue : {language}")
T_CENTRE = N_("Centre : {centre}")
T_ACCOUNT = N_("Compte : {channel} n° {id}")
T_FIRST_MESSAGE = N_("Premier message : {date}")
T_LAST_MESSAGE = N_("Dernier message : {date}")
T_STOPPED = N_("Vous avez demandé à ne plus recevoir de messages (/stop).")
H_ABOUT_YOU = N_("Vous")
H_OTHER = N_("Autres réponses")
T_UNFINISHED = N_("{title} (pas fini)")
H_CV = N_("Votre CV")
T_CV_MADE = N_(
    "Votre CV est fait avec vos réponses ci-dessus. Vous pouvez le recevoir en PDF depuis "
    "« Mon CV »."
)
T_NO_CV = N_("Vous n'avez pas encore fait de CV.")
H_FOLLOWUP = N_("Votre suivi avec les bénévoles")
T_ASSESSMENT_DONE = N_("Bilan fait le {date}")
T_CV_DONE = N_("CV fait ou changé le {date}")
H_HELP = N_("Vos demandes pour parler à un bénévole")
T_HELP_TAKEN = N_("{date} : un bénévole s'en occupe.")
T_HELP_WAITING = N_("{date} : en attente d'un bénévole.")
T_APPOINTMENT_TAKEN = N_("{date} : rendez-vous demandé ; un bénévole s'en occupe.")
T_APPOINTMENT_WAITING = N_("{date} : rendez-vous demandé, en attente d'un bénévole.")
H_MESSAGES = N_("Vos messages avec le centre")
T_FROM_CENTRE = N_("{date} – {centre} : « {text} »")
T_FROM_YOU = N_("{date} – vous : « {text} »")
H_OUTCOMES = N_("Vos résultats")
H_ACCESS = N_("Qui a regardé vos données")
ACCESS_LINES = {
    "profile": N_("{date} : un bénévole de votre centre a ouvert votre fiche."),
    "cv": N_("{date} : un bénévole de votre centre a ouvert votre CV."),
    "cv_json": N_(
        "{date} : un bénévole de votre centre a téléchargé votre CV au format JSON Resume."
    ),
    "phone": N_("{date} : un bénévole de votre centre a vu votre numéro de téléphone."),
    "export": N_("{date} : vous avez demandé vos données."),
}
T_CORRECTED_LINE = N_("{date} : un bénévole de votre centre a corrigé votre CV : {what}.")
T_CORRECTING = N_("Un bénévole de votre centre est en train de corriger votre CV.")
H_APPOINTMENTS = N_("Vos rendez-vous avec le centre")
T_APPOINTMENT = N_("{when} : {purpose} – {place} – {state}")
T_APPOINTMENT_NOTE = N_("Information pratique : {note}")
# the person's words for what became of an appointment (and their answer while it is planned)
APPOINTMENT_STATES = {
    "": N_("prévu"),
    "coming": N_("prévu, vous avez dit que vous viendrez"),
    "cannot": N_("prévu, vous avez dit que vous ne pouvez pas venir"),
    "change": N_("prévu, vous avez demandé un autre jour"),
    "cancelled": N_("annulé"),
    "attended": N_("vous êtes venu(e)"),
    "missed": N_("vous n'êtes pas venu(e)"),
}
H_OFFERS = N_("Offres d'emploi")
T_OFFERS_ON = N_("Vous recevez les offres d'emploi qui vous correspondent.")
T_OFFERS_OFF = N_("Vous avez demandé à ne plus recevoir d'offres d'emploi.")
T_OFFER_LINE = N_("« {title} » ({employer}, {town}) : {what}")
OFFER_ANSWERS = {
    "": N_("pas de réponse"),
    "interested": N_("ça vous intéresse"),
    "declined": N_("pas pour vous"),
}
OFFER_REASONS = {
    "hours": N_("à cause des horaires"),
    "distance": N_("trop loin"),
    "job_type": N_("pas ce métier"),
}
T_OFFER_TO_EMPLOYER = N_("candidature envoyée à l'employeur le {date}")
OFFER_RESULTS = {
    "interview": N_("entretien"),
    "hired": N_("embauche"),
    "not_retained": N_("pas retenu(e)"),
}
CHANNEL_NAMES = {"telegram": "Telegram", "terminal": "Terminal"}


@dataclass(frozen=True)
class Part:
    """One part of the readable file: a title and its lines, in the person's language."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Context:
    """What every source needs to write its part: the person and their language."""

    state: State
    t: Translator
    render: Renderer
    flows: FlowSet
    catalogs: Catalogs
    now: datetime

    def date(self, moment: datetime | None) -> str:
        """A moment as a date in the person's language and the configured time zone."""
        if moment is None:
            return ""
        return self.t.date(moment.astimezone(self.catalogs.tz).date())


class Source(Protocol):
    """One capability's share of a person's data."""

    async def gather(self, tx: Reading, st: State) -> Any:
        """Read what the database holds (inside the request's transaction)."""

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        """The readable parts, in the person's language."""

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        """The keys this source adds to the JSON file (plain values, stored forms)."""


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# -- the sources -----------------------------------------------------------------------------


class AccountSource:
    """The person's settings: language, centre, agreement, first and last message."""

    async def gather(self, tx: Reading, st: State) -> Any:
        return await tx.person_dates(st.person.id or 0)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        t, person = ctx.t, ctx.state.person
        lines = [_consent_line(ctx)]
        if person.locale:
            lines.append(t.gettext(T_LANGUAGE, language=language_name(person.locale)))
        centre = ctx.render.display(ctx.state, "person.centre", person.centre)
        if centre:
            lines.append(t.gettext(T_CENTRE, centre=centre))
        channel = CHANNEL_NAMES.get(person.channel, person.channel)
        lines.append(t.gettext(T_ACCOUNT, channel=channel, id=person.external_id))
        if data.created_at:
            lines.append(t.gettext(T_FIRST_MESSAGE, date=ctx.date(data.created_at)))
        if data.last_seen_at:
            lines.append(t.gettext(T_LAST_MESSAGE, date=ctx.date(data.last_seen_at)))
        if person.stopped:
            lines.append(t.gettext(T_STOPPED))
        return [Part(t.gettext(H_ACCOUNT), tuple(lines))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        person = ctx.state.person
        return {
            "person": {
                "channel": person.channel,
                "external_id": person.external_id,
                "locale": person.locale,
                "centre": person.centre,
                "consent": {
                    "given": bool(person.consent),
                    "version": person.consent_version if person.consent else None,
                    "at": _iso(person.consent_at) if person.consent else None,
                },
                "stopped": person.stopped,
                "created_at": _iso(data.created_at),
                "last_seen_at": _iso(data.last_seen_at),
            }
        }


def _consent_line(ctx: Context) -> str:
    values = ctx.render.consent_values(ctx.state)
    if not ctx.state.person.consent or not values["person.consent_at"]:
        return ctx.t.gettext(T_NO_CONSENT)
    if not values["person.consent_version"]:
        return ctx.t.gettext(T_CONSENT_NO_VERSION, date=values["person.consent_at"])
    return ctx.t.gettext(
        T_CONSENT, date=values["person.consent_at"], version=values["person.consent_version"]
    )


@dataclass(frozen=True)
class _Answer:
    """One answer with its question, as the flow words it."""

    flow: str
    field: str
    question: str
    answer: str
    value: Any
    list: str = ""
    item: int | None = None
    heading: str = ""  # an item's line in a summary, e.g. "Couturière (Plus de 2 ans)"


class AnswersSource:
    """Every saved answer, with its question as the flows word it, flow by flow; and the
    answers of flows left midway."""

    async def gather(self, tx: Reading, st: State) -> Any:
        return None  # the answers are in the state

    def _flows(self, ctx: Context) -> list[Flow]:
        # the settings' flows first (language, first name), the answers to the centre last
        order = {"": 1, REPLY_ROLE: 2}
        return sorted(ctx.flows.flows.values(), key=lambda f: (order.get(f.role, 0), f.order, f.id))

    def answers(self, ctx: Context, values: Mapping[str, Any]) -> dict[str, list[_Answer]]:
        """The answers of `values` by flow id ("" for those no flow asks any more)."""
        found: dict[str, list[_Answer]] = {}
        seen: set[str] = set()
        for flow in self._flows(ctx):
            if not flow.remember:
                # choices that only steered a flow, kept by earlier versions: not the person's data
                seen |= flow.saved_fields()
                continue
            for step in flow.steps.values():
                name = step.item or step.save
                if not step.saves or name.startswith("person.") or name in seen:
                    continue
                if name not in values or values[name] in (None, "", []):
                    continue
                seen.add(name)
                if step.item:
                    found.setdefault(flow.id, []).extend(
                        self._items(ctx, flow, step.item, values[name])
                    )
                else:
                    found.setdefault(flow.id, []).append(
                        self._answer(ctx, flow, step, values[name])
                    )
        for name in sorted(set(values) - seen):
            value = values[name]
            shown = ctx.render.display(ctx.state, name, value)
            if shown:
                found.setdefault("", []).append(_Answer("", name, name, shown, value))
        return found

    def _answer(
        self, ctx: Context, flow: Flow, step: Step, value: Any, in_list: str = "", item: int = 0
    ) -> _Answer:
        shown = ctx.render.display(ctx.state, step.save, value, in_list=in_list) or ""
        return _Answer(
            flow.id,
            step.save,
            _question(ctx, step),
            shown,
            value,
            in_list,
            item if in_list else None,
        )

    def _items(self, ctx: Context, flow: Flow, name: str, items: Any) -> list[_Answer]:
        found = []
        steps = flow.list_steps(name)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            heading = ctx.render.display(ctx.state, name, [item]) or ""
            for step in steps:
                if item.get(step.save) not in (None, "", []):
                    answer = self._answer(ctx, flow, step, item[step.save], name, index)
                    found.append(replace(answer, heading=heading))
            for key in sorted(set(item) - {s.save for s in steps}):
                value = item[key]
                found.append(_Answer(flow.id, key, key, str(value), value, name, index, heading))
        return found

    def _title(self, ctx: Context, flow_id: str, unfinished: bool = False) -> str:
        flow = ctx.flows.flows.get(flow_id)
        if flow is None:
            return ctx.t.gettext(H_OTHER)
        titled = flow.title and flow.role in ("", REPLY_ROLE)
        title = ctx.t.gettext(flow.title) if titled else ""
        title = title or ctx.t.gettext(H_ABOUT_YOU)
        return ctx.t.gettext(T_UNFINISHED, title=title) if unfinished else title

    def _part(self, ctx: Context, title: str, answers: list[_Answer]) -> Part:
        lines: list[str] = []
        item_key: tuple[str, int | None] = ("", None)
        for a in answers:
            if a.list and (a.list, a.item) != item_key:
                item_key = (a.list, a.item)
                lines.append(f"{(a.item or 0) + 1}. {a.heading}".rstrip())
            indent = "   " if a.list else ""
            lines.append(f"{indent}• {a.question}")
            lines += [f"{indent}  {line}" for line in a.answer.splitlines()]
        return Part(title, tuple(lines))

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        found = self.answers(ctx, ctx.state.profile)
        parts = [self._part(ctx, self._title(ctx, fid), found[fid]) for fid in found if fid]
        if "" in found:
            parts.append(self._part(ctx, self._title(ctx, ""), found[""]))
        for flow_id, answers in self._unfinished(ctx).items():
            by_flow = self.answers(ctx, answers)
            flat = [a for group in by_flow.values() for a in group]
            if flat:
                parts.append(self._part(ctx, self._title(ctx, flow_id, unfinished=True), flat))
        return parts

    def _unfinished(self, ctx: Context) -> dict[str, dict[str, Any]]:
        """Answers of flows left midway (or in progress), not yet kept in the profile."""
        session = ctx.state.session
        profile = ctx.state.profile
        found = {}
        for frame in [*session.paused.values(), *session.stack]:
            if frame.edit:
                continue  # a correction in progress holds a copy of saved answers
            # answers reused from the profile are copies, already in the export
            own = {k: v for k, v in frame.answers.items() if profile.get(k) != v}
            if own:
                found[frame.flow] = own
        return found

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        found = self.answers(ctx, ctx.state.profile)
        questions = [
            {
                "flow": a.flow or None,
                "field": a.field,
                **({"list": a.list, "item": a.item} if a.list else {}),
                "question": a.question,
                "answer": a.answer,
                "value": a.value,
            }
            for group in found.values()
            for a in group
        ]
        return {
            "answers": copy.deepcopy(ctx.state.profile),
            "questions": questions,
            "in_progress": copy.deepcopy(self._unfinished(ctx)),
        }


def _question(ctx: Context, step: Step) -> str:
    """The question of a step in the person's language: the line that asks it."""
    values = ctx.render.display_values(ctx.state, None)
    text = fill(ctx.t.gettext(step.prompt), values)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    asking = [line for line in lines if line.endswith(("?", "؟"))]
    return (asking or lines or [step.save])[0]


class CvSource:
    """The CV made from the answers; in the JSON, also as JSON Resume."""

    async def gather(self, tx: Reading, st: State) -> Any:
        return None

    def _resume(self, ctx: Context) -> dict[str, Any] | None:
        if not ctx.state.profile.get("last_name"):
            return None
        cv = build_cv(ctx.state.profile, ctx.flows, ctx.catalogs.get(REFERENCE_LOCALE))
        return to_json_resume(cv, REFERENCE_LOCALE)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        has_cv = bool(ctx.state.profile.get("last_name"))
        return [Part(ctx.t.gettext(H_CV), (ctx.t.gettext(T_CV_MADE if has_cv else T_NO_CV),))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        return {"cv_json_resume": self._resume(ctx)}


class FollowUpSource:
    """Where the person stands with their centre: CV checked or to fix (with the note), active
    search, first contact."""

    async def gather(self, tx: Reading, st: State) -> Any:
        return await tx.followup_of(st.person.id or 0)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        t = ctx.t
        lines = [t.gettext(T_CV_LINE, status=t.gettext(CV_STATUS[data.cv_status]))]
        if data.cv_status == "to_fix" and data.cv_note:
            lines.append(t.gettext(T_NOTE_LINE, note=data.cv_note))
        lines.append(t.gettext(T_SEARCH_YES if data.searching else T_SEARCH_NO))
        if data.first_contact_at:
            lines.append(t.gettext(T_CONTACT_YES, date=ctx.date(data.first_contact_at)))
        else:
            lines.append(t.gettext(T_CONTACT_NO))
        if data.assessment_done_at:
            lines.append(t.gettext(T_ASSESSMENT_DONE, date=ctx.date(data.assessment_done_at)))
        if data.cv_done_at:
            lines.append(t.gettext(T_CV_DONE, date=ctx.date(data.cv_done_at)))
        return [Part(t.gettext(H_FOLLOWUP), tuple(lines))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        return {
            "followup": {
                "cv_status": data.cv_status,
                "cv_note": data.cv_note,
                "searching": data.searching,
                "first_contact_at": _iso(data.first_contact_at),
                "assessment_done_at": _iso(data.assessment_done_at),
                "cv_done_at": _iso(data.cv_done_at),
            }
        }


class HelpSource:
    """The person's requests to talk to a volunteer, or for an appointment."""

    async def gather(self, tx: Reading, st: State) -> Any:
        return await tx.help_requests_of(st.person.id or 0)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        t = ctx.t
        lines = []
        for r in data:
            if r.about == "appointment":
                said = T_APPOINTMENT_TAKEN if r.taken_at else T_APPOINTMENT_WAITING
            else:
                said = T_HELP_TAKEN if r.taken_at else T_HELP_WAITING
            lines.append(t.gettext(said, date=ctx.date(r.created_at)))
        return [Part(t.gettext(H_HELP), tuple(lines))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        return {
            "help_requests": [
                {"created_at": _iso(r.created_at), "taken_at": _iso(r.taken_at), "about": r.about}
                for r in data
            ]
        }


class MessagesSource:
    """The messages between the person and their centre (a volunteer wrote for the centre:
    never named here)."""

    async def gather(self, tx: Reading, st: State) -> Any:
        return await tx.exchange_messages_of(st.person.id or 0)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        t = ctx.t
        lines = []
        for message in data:
            when = ctx.date(message.at)
            if message.from_person:
                lines.append(t.gettext(T_FROM_YOU, date=when, text=message.text))
            else:
                centre = _centre_name(ctx, message.centre)
                lines.append(t.gettext(T_FROM_CENTRE, date=when, centre=centre, text=message.text))
        return [Part(t.gettext(H_MESSAGES), tuple(lines))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        return {
            "messages": [
                {
                    "at": _iso(m.at),
                    "from": "you" if m.from_person else "centre",
                    "centre": m.centre,
                    "text": m.text,
                }
                for m in data
            ]
        }


def _centre_name(ctx: Context, centre: str) -> str:
    return next((c.name for c in ctx.render.centres if c.id == centre), centre)


class OutcomeSource:
    """What became of the person: jobs, trainings, French classes, as recorded."""

    async def gather(self, tx: Reading, st: State) -> Any:
        return await tx.outcomes_of(st.person.id or 0)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        t = ctx.t
        lines = []
        for outcome in data:
            what = " – ".join(word for word in outcome_words(t, outcome) if word)
            lines.append(t.gettext(T_OUTCOME_LINE, outcome=what, date=t.date(outcome.happened_on)))
        return [Part(t.gettext(H_OUTCOMES), tuple(lines))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        return {
            "outcomes": [
                {
                    "kind": o.kind,
                    "contract": o.contract,
                    "date": o.happened_on.isoformat(),
                    "confirmed": o.confirmed,
                    "declined": o.declined,
                    "centre": o.centre,
                }
                for o in data
            ]
        }


class AppointmentsSource:
    """The person's appointments with their centre: when, what for, where, and what became of
    them (who booked them and who was to be there is not said: the centre, never a volunteer)."""

    async def gather(self, tx: Reading, st: State) -> Any:
        return await tx.appointments_of(st.person.id or 0)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        t = ctx.t
        lines = []
        for a in data:
            at = a.starts_at.astimezone(ctx.catalogs.tz)
            when = t.gettext(T_WHEN_AT, date=t.date(at.date()), time=t.time(at.time()))
            label = PURPOSE_LABELS.get(a.purpose)
            purpose = t.gettext(label) if label else a.purpose
            place = t.gettext(PLACE_WORDS.get(a.place, PLACE_WORDS["centre"]))
            address = a.address if a.place == "address" else ""
            if a.place == "centre":
                centre = next((c for c in ctx.render.centres if c.id == a.centre), None)
                address = centre.address if centre is not None else ""
            if address:
                place = f"{place} ({address})"
            state = APPOINTMENT_STATES[a.answer if a.state == "planned" else a.state]
            lines.append(
                t.gettext(
                    T_APPOINTMENT, when=when, purpose=purpose, place=place, state=t.gettext(state)
                )
            )
            if a.note:
                lines.append("  " + t.gettext(T_APPOINTMENT_NOTE, note=a.note))
        return [Part(t.gettext(H_APPOINTMENTS), tuple(lines))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        return {
            "appointments": [
                {
                    "starts_at": _iso(a.starts_at),
                    "minutes": a.minutes,
                    "centre": a.centre,
                    "place": a.place,
                    "address": a.address,
                    "purpose": a.purpose,
                    "note": a.note,
                    "state": a.state,
                    "answer": a.answer or None,
                    "booked_at": _iso(a.created_at),
                }
                for a in data
            ]
        }


class AccessSource:
    """When volunteers opened the person's page, CV or phone, or corrected the CV (and a
    correction in progress), and earlier exports."""

    async def gather(self, tx: Reading, st: State) -> Any:
        person = st.person.id or 0
        return await tx.audit_about(person), await tx.corrections_about(person)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        t = ctx.t
        log, in_progress = data
        lines = []
        for a in log:
            if a.action in ACCESS_LINES:
                lines.append(t.gettext(ACCESS_LINES[a.action], date=ctx.date(a.at)))
            elif corrections.ACTION.match(a.action):
                what = corrections.describe(ctx.flows, a.action, t)
                lines.append(t.gettext(T_CORRECTED_LINE, date=ctx.date(a.at), what=what))
        if in_progress:
            lines.append(t.gettext(T_CORRECTING))
        return [Part(t.gettext(H_ACCESS), tuple(lines))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        log, in_progress = data
        return {
            "access_log": [
                {"action": a.action, "at": _iso(a.at), "by": "you" if a.by_self else "volunteer"}
                for a in log
            ],
            "cv_corrections_in_progress": in_progress,
        }


class OffersSource:
    """The job offers sent to the person, what they answered (and why not), and what
    followed: sent to the employer, the result; and whether they receive offers."""

    async def gather(self, tx: Reading, st: State) -> Any:
        person = st.person.id or 0
        sends = await tx.offer_sends_of(person)
        offers = {s.offer_id: await tx.offer(s.offer_id) for s in sends}
        return sends, offers, await tx.wants_offers(person)

    def parts(self, ctx: Context, data: Any) -> list[Part]:
        t = ctx.t
        sends, offers, wants = data
        lines = [t.gettext(T_OFFERS_ON if wants else T_OFFERS_OFF)]
        for send in sends:
            offer = offers.get(send.offer_id)
            if offer is None:
                continue
            said = [t.gettext(OFFER_ANSWERS.get(send.answer, OFFER_ANSWERS[""]))]
            if send.reason:
                said.append(t.gettext(OFFER_REASONS[send.reason]))
            if send.sent_to_employer_at:
                said.append(t.gettext(T_OFFER_TO_EMPLOYER, date=ctx.date(send.sent_to_employer_at)))
            if send.result:
                said.append(t.gettext(OFFER_RESULTS[send.result]))
            d = offer.details
            lines.append(
                t.gettext(
                    T_OFFER_LINE,
                    title=d.title,
                    employer=d.employer,
                    town=d.town,
                    what=" – ".join(said),
                )
            )
        return [Part(t.gettext(H_OFFERS), tuple(lines))]

    def json(self, ctx: Context, data: Any) -> dict[str, Any]:
        sends, offers, wants = data
        return {
            "job_offers": {
                "receive": wants,
                "sent": [
                    {
                        "offer": s.offer_id,
                        "title": offers[s.offer_id].details.title
                        if offers.get(s.offer_id)
                        else None,
                        "answer": s.answer or None,
                        "reason": s.reason or None,
                        "answered_at": _iso(s.answered_at),
                        "sent_to_employer_at": _iso(s.sent_to_employer_at),
                        "result": s.result or None,
                        "result_at": _iso(s.result_at),
                    }
                    for s in sends
                ],
            }
        }


# In file order. A capability that keeps data about a person adds its source here.
SOURCES: tuple[Source, ...] = (
    AccountSource(),
    AnswersSource(),
    CvSource(),
    FollowUpSource(),
    HelpSource(),
    MessagesSource(),
    OutcomeSource(),
    AppointmentsSource(),
    OffersSource(),
    AccessSource(),
)


# -- making the files ------------------------------------------------------------------------


@dataclass(frozen=True)
class Gathered:
    """What the sources read for one person, in one transaction."""

    state: State
    data: tuple[Any, ...]


async def gather(tx: Reading, state: State, sources: tuple[Source, ...] = SOURCES) -> Gathered:
    """Read every source's share of the person's data (inside the caller's transaction)."""
    return Gathered(state, tuple([await source.gather(tx, state) for source in sources]))


class DataExport:
    """Writes a person's data as a text in their language and as JSON."""

    def __init__(
        self,
        flows: FlowSet,
        catalogs: Catalogs,
        render: Renderer,
        now: datetime,
        sources: tuple[Source, ...] = SOURCES,
    ) -> None:
        self.flows = flows
        self.catalogs = catalogs
        self.render = render
        self.now = now
        self.sources = sources

    def context(self, state: State) -> Context:
        """The context the sources write in: the person's language."""
        t = self.catalogs.get(state.person.locale)
        return Context(state, t, self.render, self.flows, self.catalogs, self.now)

    def text(self, gathered: Gathered) -> str:
        """The readable file: a title, then each part with its lines."""
        ctx = self.context(gathered.state)
        t = ctx.t
        out = [t.gettext(T_TITLE), t.gettext(T_MADE, date=ctx.date(self.now))]
        for source, data in zip(self.sources, gathered.data, strict=True):
            for part in source.parts(ctx, data):
                out += ["", f"■ {part.title}"]
                out += list(part.lines) or [t.gettext(T_NOTHING)]
        return "\n".join(out) + "\n"

    def json(self, gathered: Gathered) -> dict[str, Any]:
        """The machine-readable file: stored values, with the questions and labels shown."""
        ctx = self.context(gathered.state)
        document: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "made_at": self.now.isoformat(),
            "language": ctx.t.locale,
        }
        for source, data in zip(self.sources, gathered.data, strict=True):
            document.update(source.json(ctx, data))
        return document

    def make(self, kind: str, gathered: Gathered) -> Document:
        """One of the two files, made now."""
        day = self.now.astimezone(self.catalogs.tz).date().isoformat()
        if kind == "my_data_txt":
            data = self.text(gathered).encode("utf-8")
            return Document(f"relais-mes-donnees-{day}.txt", "text/plain", data)
        if kind == "my_data_json":
            text = json.dumps(self.json(gathered), ensure_ascii=False, indent=2)
            return Document(f"relais-mes-donnees-{day}.json", "application/json", text.encode())
        raise ValueError(f"unknown document kind {kind!r}")
