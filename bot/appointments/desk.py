"""Appointments on the volunteers' side: book one for a person of one's centre (`/rdv <n°>`, or
"📅 Rendez-vous" on their page: the desk flow `desk_appointment`), look at one ("ad"), change it
("am": the same flow, opened at its summary with the appointment's answers), cancel it ("ak",
then a confirming tap), say afterwards whether the person came ("aa") or not ("ax", a wrong
tap corrected the same way), and `/agenda`: the appointments to come of one's centres, and
those past their start still to be marked.

Booking, changing and ending go through bot.appointments.lifecycle, the one place that queues
and drops the person's confirmation and reminders. Every button checks again that the
appointment is of one of this volunteer's centres and that they still see the person (the
registry's `about`); a change or a cancellation carries the version it was made for, so a
second volunteer changing the same appointment meanwhile is told, never written over.

A person who stopped Relais or blocked it can still get an appointment: the volunteer may have
arranged it by phone, and it belongs in the agenda and the figures. Relais queues the
confirmation and reminders as for anyone and the delivery drops them while the person does not
want messages (delivered if they come back in time); the volunteer is told to let them know
another way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.appointments import lifecycle, reminders, shown
from bot.appointments.domain import PLACES, PURPOSES, Appointment, NewAppointment
from bot.core.answers import local_moment
from bot.core.domain import Button, Message
from bot.core.i18n import N_
from bot.desk.buttons import Arg, build
from bot.desk.context import Call, Ctx, Subject
from bot.desk.domain import person_name
from bot.desk.router import Need, Router, person

router = Router("appointments")

FLOW = "desk_appointment"
SUMMARY = "appt_summary"  # where a change opens: the appointment as it is, and what to change
PAGE_SIZE = 8
WEEK = timedelta(days=7)
# how far back appointments still to be marked (came or not) are listed in the agenda
TO_MARK_DAYS = 30
FAR = timedelta(days=3660)  # "every appointment to come"

T_RDV_USAGE = N_("Écrivez /rdv suivi du numéro de la personne, par exemple : /rdv 12")
T_UNREACHABLE = N_(
    "{name} ne reçoit plus de messages de Relais (la personne a écrit /stop ou a bloqué "
    "Relais) : ni confirmation ni rappel tant qu'elle ne revient pas. Prévenez-la autrement, "
    "par téléphone par exemple."
)
T_BOOKED = N_("📅 C'est réservé pour {name} : {when}.")
T_CHANGED = N_("📅 C'est changé pour {name} : {when}.")
T_TOLD_NOW = N_("{name} reçoit la confirmation maintenant.")
T_TOLD_CHANGE_NOW = N_("{name} reçoit les nouveaux détails maintenant.")
T_TOLD_LATER = N_("C'est le soir ou un jour de repos : Relais lui enverra la confirmation {at}.")
T_TOLD_CHANGE_LATER = N_(
    "C'est le soir ou un jour de repos : Relais lui enverra les nouveaux détails {at}."
)
T_TODAY_AT = N_("aujourd'hui à {time}")
T_TOMORROW_AT = N_("demain à {time}")
T_DAY_AT = N_("le {date} à {time}")
T_REMINDERS = N_("Rappels : {moments}.")
T_NO_REMINDER = N_("Pas de rappel : le rendez-vous est trop proche.")
T_LIST_SEPARATOR = N_(", ")
T_PASSED = N_(
    "Ce moment est passé pendant que vous écriviez : rien n'est réservé. "
    "Choisissez un autre jour ou une autre heure."
)
T_NOT_CHANGED = N_("Rien n'a changé : le rendez-vous reste comme il était.")
T_CHANGED_MEANWHILE = N_(
    "Quelqu'un a changé ce rendez-vous pendant que vous écriviez : vos changements ne sont pas "
    "enregistrés, les siens sont gardés. Le voici maintenant."
)
T_ENDED_MEANWHILE = N_("Ce rendez-vous n'est plus prévu : le voici.")
T_CHANGE_WHAT = N_("Changer ce rendez-vous : choisissez ce qui change.")
T_STARTED = N_(
    "Ce rendez-vous a déjà commencé : on ne peut plus le changer ni l'annuler. Notez si la "
    "personne est venue."
)
T_NOT_YET = N_(
    "Pas encore : vous pourrez noter si la personne est venue à partir de son heure, {at}."
)
T_CANCEL_ASK = N_("Annuler le rendez-vous avec {name}, {when} ? La personne sera prévenue.")
T_CANCELLED = N_("C'est annulé. {name} est prévenu(e) : plus de rappel pour ce rendez-vous.")
T_CANCELLED_UNTOLD = N_(
    "C'est annulé. {name} n'avait pas encore reçu ce rendez-vous (c'était le soir ou un jour "
    "de repos) : rien ne lui est envoyé."
)
T_ALREADY_CANCELLED = N_("Ce rendez-vous est déjà annulé.")
T_ATTENDED = N_("C'est noté : {name} est venu(e).")
T_MISSED = N_(
    "C'est noté : {name} n'est pas venu(e). Relais lui écrit gentiment pour proposer un autre "
    "rendez-vous."
)
T_ALREADY_MARKED = N_("C'est déjà noté : {state}.")
T_CORRECTED = N_("C'est corrigé : {state}.")
T_SCREEN_HEAD = N_("📅 Rendez-vous avec {name}")
T_NOTE = N_("📝 {note}")
T_WHO = N_("👤 {volunteer}")
T_NOBODY = N_("personne n'est choisi")
T_YOU = N_("vous")
T_STATE = N_("État : {state}")
T_ANSWER = N_("Réponse : {answer}")
T_AGENDA_HEAD = N_("📅 Agenda – {centres}")
T_AGENDA_WEEK = N_("Dans les 7 prochains jours : {n}")
T_TO_MARK = N_("À noter (venu ou pas) :")
T_UPCOMING = N_("À venir (page {page}) :")
T_AGENDA_EMPTY = N_("Pas de rendez-vous à venir.")
B_CONFIRM_CANCEL = N_("❌ Oui, annuler")
B_KEEP = N_("Non, le garder")
B_CHANGE = N_("✏️ Changer")
B_CANCEL = N_("❌ Annuler")
B_ATTENDED = N_("✅ Venu(e)")
B_MISSED = N_("🚫 Pas venu(e)")
B_NOW_ATTENDED = N_("🔁 Plutôt venu(e)")
B_NOW_MISSED = N_("🔁 Plutôt pas venu(e)")
B_PAGE = N_("↩ Fiche")
B_AGENDA = N_("📅 Agenda")
B_AGAIN = N_("📅 Recommencer")
B_SEE = N_("📅 Voir le rendez-vous")
B_PREV = N_("◀ Précédents")
B_NEXT = N_("Suivants ▶")
PER_ROW = 2


# -- booking ---------------------------------------------------------------------------------


@router.command("rdv", Need.VOLUNTEER, menu=N_("Prendre rendez-vous avec une personne"), order=22)
async def book_command(ctx: Ctx, call: Call) -> None:
    """`/rdv 12`: an appointment with person n° 12."""
    await ctx.press_for_number(call, "ab", T_RDV_USAGE)


@router.button("ab", Need.VOLUNTEER, about=person)
async def book(ctx: Ctx, call: Call) -> None:
    """ "📅 Rendez-vous" (a page, a request for an appointment): the desk flow asks when,
    where, what for and who will be there."""
    if _unreachable(call.who):
        ctx.say(T_UNREACHABLE, name=call.who.name)
    ctx.open_flow(FLOW, call.who)


@dataclass(frozen=True)
class Asked:
    """What the desk flow's answers say, read and checked."""

    new: NewAppointment
    appointment: int | None  # the appointment being changed (None: a new one)
    version: int


def _asked(ctx: Ctx, call: Call, centre: str) -> Asked | None:
    """The appointment the answers describe (None: answers a changed flow file left
    incomplete: nothing half-booked)."""
    given = call.answers
    try:
        day = date.fromisoformat(str(given.get("appt_date")))
        clock = time.fromisoformat(str(given.get("appt_time")))
    except ValueError:
        return None
    starts_at = local_moment(day, clock, ctx.world.tz)
    where, purpose = given.get("appt_place"), given.get("appt_purpose")
    if starts_at is None or where not in PLACES or purpose not in PURPOSES:
        return None
    address = str(given.get("appt_address") or "") if where == "address" else ""
    volunteer = given.get("appt_volunteer")
    number = given.get("appointment")
    version = given.get("version")
    new = NewAppointment(
        person_id=call.who.id,
        centre=centre,
        starts_at=starts_at,
        place=str(where),
        purpose=str(purpose),
        address=address,
        note=str(given.get("appt_note") or ""),
        volunteer_id=int(volunteer) if isinstance(volunteer, str) and volunteer.isdigit() else None,
        minutes=ctx.config.appointments.minutes,
    )
    if number is not None and not (isinstance(number, int) and isinstance(version, int)):
        return None
    return Asked(new, number, version if isinstance(version, int) else 0)


async def _volunteer_of(ctx: Ctx, new: NewAppointment) -> NewAppointment:
    """Who will be there, if still of the centre's team (or the volunteer booking); someone
    who left meanwhile is nobody: the centre's coordinators then see it in their agenda."""
    chosen = new.volunteer_id
    if chosen is None or chosen == ctx.access.person_id:
        return new
    team = {m.person_id for m in await ctx.tx.team_members((new.centre,))}
    if chosen in team:
        return new
    return replace(new, volunteer_id=None)


@router.flow(FLOW, Need.VOLUNTEER)
async def answered(ctx: Ctx, call: Call) -> None:
    """The desk flow ended: book the appointment, or change the one it was opened for."""
    who = call.who
    centre = who.person.centre
    assert centre is not None  # someone this volunteer sees is at one of their centres
    asked = _asked(ctx, call, centre)
    if asked is None:
        ctx.stale()
        return
    if asked.new.starts_at <= ctx.now:
        rows = ((Button(ctx.t.gettext(B_AGAIN), build("ab", who.id)),),)
        ctx.show(Message(ctx.t.gettext(T_PASSED), rows, rtl=ctx.t.rtl))
        return
    new = await _volunteer_of(ctx, asked.new)
    if asked.appointment is None:
        await _book(ctx, who, new)
    else:
        await _change(ctx, who, asked.appointment, asked.version, new)


async def _book(ctx: Ctx, who: Subject, new: NewAppointment) -> None:
    appointment = await ctx.tx.book_appointment(new, ctx.access.person_id)
    settings = ctx.config.appointments
    centre = ctx.world.centre(appointment.centre)
    await lifecycle.booked(
        ctx.tx, appointment, centre, settings, ctx.config.quiet, ctx.world.tz, ctx.now
    )
    t = ctx.t
    lines = [t.gettext(T_BOOKED, name=who.name, when=shown.when(t, new.starts_at, ctx.world.tz))]
    lines += _what_they_get(ctx, who, appointment, T_TOLD_NOW, T_TOLD_LATER)
    ctx.show(Message("\n".join(lines), _after_rows(ctx, appointment), rtl=t.rtl))


async def _change(ctx: Ctx, who: Subject, number: int, version: int, new: NewAppointment) -> None:
    before = await ctx.tx.appointment(number)
    if before is None or before.person_id != who.id:
        ctx.stale()
        return
    if before.state != "planned" or before.version != version:
        ctx.say(T_CHANGED_MEANWHILE if before.state == "planned" else T_ENDED_MEANWHILE)
        await _screen(ctx, before, who)
        return
    new = replace(new, centre=before.centre, minutes=before.minutes)
    if _same(before, new):
        ctx.say(T_NOT_CHANGED)
        await _screen(ctx, before, who)
        return
    after = await ctx.tx.change_appointment(number, version, new)
    if after is None:  # changed or ended between the read and the write
        current = await ctx.tx.appointment(number)
        ctx.say(
            T_CHANGED_MEANWHILE if current and current.state == "planned" else T_ENDED_MEANWHILE
        )
        if current is not None:
            await _screen(ctx, current, who)
        return
    centre = ctx.world.centre(after.centre)
    await lifecycle.changed(
        ctx.tx,
        before,
        after,
        centre,
        ctx.config.appointments,
        ctx.config.quiet,
        ctx.world.tz,
        ctx.now,
    )
    t = ctx.t
    lines = [t.gettext(T_CHANGED, name=who.name, when=shown.when(t, after.starts_at, ctx.world.tz))]
    lines += _what_they_get(ctx, who, after, T_TOLD_CHANGE_NOW, T_TOLD_CHANGE_LATER)
    ctx.show(Message("\n".join(lines), _after_rows(ctx, after), rtl=t.rtl))


def _same(before: Appointment, new: NewAppointment) -> bool:
    """Whether the answers say what the appointment already says."""
    return (
        before.starts_at == new.starts_at
        and before.place == new.place
        and before.address == new.address
        and before.purpose == new.purpose
        and before.note == new.note
        and before.volunteer_id == new.volunteer_id
    )


def _unreachable(who: Subject) -> bool:
    return who.person.stopped or who.person.blocked


def _what_they_get(
    ctx: Ctx, who: Subject, appointment: Appointment, now_text: str, later_text: str
) -> list[str]:
    """What the person will receive, and when: now or after quiet hours, then the reminders
    (or that Relais cannot reach them)."""
    t, zone = ctx.t, ctx.world.tz
    if _unreachable(who):
        return [t.gettext(T_UNREACHABLE, name=who.name)]
    due = ctx.config.quiet.next_allowed(ctx.now, zone)
    if due > ctx.now:
        lines = [t.gettext(later_text, at=_at(ctx, due))]
    else:
        lines = [t.gettext(now_text, name=who.name)]
    planned = reminders.plan(
        appointment.starts_at,
        ctx.config.appointments.reminders,
        ctx.config.quiet,
        zone,
        ctx.now,
    )
    if planned:
        moments = t.gettext(T_LIST_SEPARATOR).join(_at(ctx, r.at) for r in planned)
        lines.append(t.gettext(T_REMINDERS, moments=moments))
    elif ctx.config.appointments.reminders:
        lines.append(t.gettext(T_NO_REMINDER))
    return lines


def _at(ctx: Ctx, moment: datetime) -> str:
    """ "aujourd'hui à 14:30", "demain à 08:30", "le mardi 24 novembre 2026 à 12:30"."""
    t = ctx.t
    at = moment.astimezone(ctx.world.tz)
    clock = t.time(at.time())
    if at.date() == ctx.today:
        return t.gettext(T_TODAY_AT, time=clock)
    if at.date() == ctx.today + timedelta(days=1):
        return t.gettext(T_TOMORROW_AT, time=clock)
    return t.gettext(T_DAY_AT, date=t.day(at.date()), time=clock)


def _after_rows(ctx: Ctx, appointment: Appointment) -> tuple[tuple[Button, ...], ...]:
    t = ctx.t
    return (
        (
            Button(t.gettext(B_SEE), build("ad", appointment.id)),
            Button(t.gettext(B_PAGE), build("p", appointment.person_id)),
        ),
    )


# -- one appointment -------------------------------------------------------------------------


async def _appointment_person(ctx: Ctx, appointment_id: int) -> int | None:
    """Whom an appointment is with, if it is one of this volunteer's centres (the router then
    checks they still see the person)."""
    appointment = await ctx.tx.appointment(appointment_id)
    if appointment is None or appointment.centre not in ctx.access.centres(ctx.active):
        return None
    return appointment.person_id


async def _read(ctx: Ctx, call: Call) -> Appointment | None:
    """The appointment a button is about, read now (the router found its person)."""
    appointment = await ctx.tx.appointment(call.id(0))
    if appointment is None or appointment.person_id != call.who.id:
        ctx.stale()
        return None
    return appointment


async def _volunteer_name(ctx: Ctx, volunteer_id: int | None) -> str:
    t = ctx.t
    if volunteer_id is None:
        return t.gettext(T_NOBODY)
    if volunteer_id == ctx.access.person_id:
        return t.gettext(T_YOU)
    profile = await ctx.tx.profile_of(volunteer_id)
    first, last = profile.get("first_name"), profile.get("last_name")
    return person_name(
        first if isinstance(first, str) else "",
        last if isinstance(last, str) else "",
        volunteer_id,
        t,
    )


async def _screen(ctx: Ctx, appointment: Appointment, who: Subject) -> None:
    """One appointment: when, where, what for, who, its state and the person's answer, and
    what can be done now."""
    t, zone = ctx.t, ctx.world.tz
    centre = ctx.world.centre(appointment.centre)
    address = centre.address if centre is not None else ""
    lines = [
        t.gettext(T_SCREEN_HEAD, name=who.name),
        shown.when(t, appointment.starts_at, zone),
        "📍 " + shown.place(t, appointment, address),
        "🎯 " + shown.purpose(t, appointment),
    ]
    if appointment.note:
        lines.append(t.gettext(T_NOTE, note=appointment.note))
    volunteer = await _volunteer_name(ctx, appointment.volunteer_id)
    lines.append(t.gettext(T_WHO, volunteer=volunteer))
    lines.append(t.gettext(T_STATE, state=shown.state(t, appointment)))
    if appointment.state == "planned":
        lines.append(t.gettext(T_ANSWER, answer=shown.answer(t, appointment)))
    found: list[tuple[str, str]] = []
    if appointment.ahead(ctx.now):
        found += [(B_CHANGE, build("am", appointment.id)), (B_CANCEL, build("ak", appointment.id))]
    elif appointment.state == "planned":
        found += [
            (B_ATTENDED, build("aa", appointment.id)),
            (B_MISSED, build("ax", appointment.id)),
        ]
    elif appointment.state == "attended":
        found.append((B_NOW_MISSED, build("ax", appointment.id)))
    elif appointment.state == "missed":
        found.append((B_NOW_ATTENDED, build("aa", appointment.id)))
    found += [(B_PAGE, build("p", who.id)), (B_AGENDA, build("ag", 0))]
    buttons = [Button(t.gettext(label), data) for label, data in found]
    rows = tuple(tuple(buttons[i : i + PER_ROW]) for i in range(0, len(buttons), PER_ROW))
    ctx.show(Message("\n".join(lines), rows, rtl=t.rtl))


@router.button("ad", Need.VOLUNTEER, about=_appointment_person)
async def screen(ctx: Ctx, call: Call) -> None:
    """One appointment and what can be done with it."""
    appointment = await _read(ctx, call)
    if appointment is not None:
        await _screen(ctx, appointment, call.who)


def _given(appointment: Appointment, ctx: Ctx) -> dict[str, Any]:
    """The desk flow's answers for an appointment as it is (ids and choices: never a name)."""
    at = appointment.starts_at.astimezone(ctx.world.tz)
    given: dict[str, Any] = {
        "appointment": appointment.id,
        "version": appointment.version,
        "appt_date": at.date().isoformat(),
        "appt_time": at.strftime("%H:%M"),
        "appt_place": appointment.place,
        "appt_purpose": appointment.purpose,
        "appt_confirm": "book",  # each change goes back to the summary
    }
    if appointment.address:
        given["appt_address"] = appointment.address
    if appointment.note:
        given["appt_note"] = appointment.note
    if appointment.volunteer_id is not None:
        given["appt_volunteer"] = str(appointment.volunteer_id)
    return given


@router.button("am", Need.VOLUNTEER, about=_appointment_person)
async def change(ctx: Ctx, call: Call) -> None:
    """ "Changer" (the screen, or a notice that the person cannot come or asks for another
    day): the desk flow at its summary, with this version of the appointment."""
    appointment = await _read(ctx, call)
    if appointment is None:
        return
    if not await _still_open(ctx, appointment, call.who):
        return
    ctx.say(T_CHANGE_WHAT)
    ctx.open_flow(FLOW, call.who, _given(appointment, ctx), at=SUMMARY)


async def _still_open(ctx: Ctx, appointment: Appointment, who: Subject) -> bool:
    """Whether the appointment can still be changed or cancelled; if not, say why and show it."""
    if appointment.state == "cancelled":
        ctx.say(T_ALREADY_CANCELLED)
    elif appointment.state != "planned":
        ctx.say(T_ENDED_MEANWHILE)
    elif not appointment.ahead(ctx.now):
        ctx.say(T_STARTED)
    else:
        return True
    await _screen(ctx, appointment, who)
    return False


@router.button("ak", Need.VOLUNTEER, about=_appointment_person)
async def cancel(ctx: Ctx, call: Call) -> None:
    """ "Annuler": asked once more, with the version being cancelled."""
    appointment = await _read(ctx, call)
    if appointment is None or not await _still_open(ctx, appointment, call.who):
        return
    t = ctx.t
    text = t.gettext(
        T_CANCEL_ASK,
        name=call.who.name,
        when=shown.when(t, appointment.starts_at, ctx.world.tz),
    )
    rows = (
        (
            Button(t.gettext(B_CONFIRM_CANCEL), build("aky", appointment.id, appointment.version)),
            Button(t.gettext(B_KEEP), build("ad", appointment.id)),
        ),
    )
    ctx.show(Message(text, rows, rtl=t.rtl))


@router.button("aky", Need.VOLUNTEER, args=(Arg.ID, Arg.ID), about=_appointment_person)
async def cancelled(ctx: Ctx, call: Call) -> None:
    """ "Oui, annuler": cancelled if still as it was shown; the person is told (quiet hours
    hold it) and its reminders go."""
    appointment = await _read(ctx, call)
    if appointment is None:
        return
    ended = None
    if appointment.ahead(ctx.now):
        ended = await ctx.tx.end_appointment(appointment.id, "cancelled", call.id(1))
    if ended is None:
        current = await ctx.tx.appointment(appointment.id) or appointment
        if current.state == "planned" and current.version != call.id(1):
            ctx.say(T_CHANGED_MEANWHILE)
            await _screen(ctx, current, call.who)
        else:
            await _still_open(ctx, current, call.who)
        return
    told = await lifecycle.ended(ctx.tx, ended, ctx.world.centre(ended.centre), tell=True)
    t = ctx.t
    lines = [t.gettext(T_CANCELLED if told else T_CANCELLED_UNTOLD, name=call.who.name)]
    if told and _unreachable(call.who):
        lines.append(t.gettext(T_UNREACHABLE, name=call.who.name))
    elif told:
        due = ctx.config.quiet.next_allowed(ctx.now, ctx.world.tz)
        if due > ctx.now:
            lines.append(t.gettext(T_TOLD_CHANGE_LATER, at=_at(ctx, due)))
    ctx.show(Message("\n".join(lines), _after_rows(ctx, ended), rtl=t.rtl))


async def _attendance(ctx: Ctx, call: Call, state: str) -> None:
    """Came ("attended") or not ("missed"), from its start on; the other one pressed after
    a first tap corrects it."""
    appointment = await _read(ctx, call)
    if appointment is None:
        return
    t, who = ctx.t, call.who
    if appointment.state == "cancelled":
        ctx.say(T_ALREADY_CANCELLED)
        await _screen(ctx, appointment, who)
        return
    if appointment.state == state:
        ctx.say(T_ALREADY_MARKED, state=shown.state(t, appointment))
        await _screen(ctx, appointment, who)
        return
    if appointment.ahead(ctx.now):
        at = appointment.starts_at.astimezone(ctx.world.tz)
        ctx.say(T_NOT_YET, at=_at(ctx, at))
        await _screen(ctx, appointment, who)
        return
    if appointment.state == "planned":
        ended = await ctx.tx.end_appointment(appointment.id, state)
        said = T_ATTENDED if state == "attended" else T_MISSED
    else:
        ended = await ctx.tx.correct_attendance(appointment.id, state)
        said = T_CORRECTED
    if ended is None:  # marked by someone else between the read and the write
        current = await ctx.tx.appointment(appointment.id) or appointment
        ctx.say(T_ALREADY_MARKED, state=shown.state(t, current))
        await _screen(ctx, current, who)
        return
    # the missed message (and only it) follows what is marked now
    await lifecycle.ended(ctx.tx, ended, ctx.world.centre(ended.centre), tell=False)
    ctx.say(said, name=who.name, state=shown.state(t, ended))
    await _screen(ctx, ended, who)


@router.button("aa", Need.VOLUNTEER, about=_appointment_person)
async def attended(ctx: Ctx, call: Call) -> None:
    """ "Venu(e)"."""
    await _attendance(ctx, call, "attended")


@router.button("ax", Need.VOLUNTEER, about=_appointment_person)
async def missed(ctx: Ctx, call: Call) -> None:
    """ "Pas venu(e)": the person gets a kind message offering another appointment."""
    await _attendance(ctx, call, "missed")


# -- the agenda ------------------------------------------------------------------------------


@router.command(
    "agenda",
    Need.VOLUNTEER,
    menu=N_("Les rendez-vous à venir"),
    order=15,
    button=N_("📅 Agenda"),
)
async def agenda(ctx: Ctx, call: Call) -> None:
    """`/agenda`: the appointments to come at one's centres, and those to mark."""
    await show_agenda(ctx, 0)


@router.button("ag", Need.VOLUNTEER, args=(Arg.ID,))
async def agenda_page(ctx: Ctx, call: Call) -> None:
    """A page of the agenda."""
    await show_agenda(ctx, call.id(0))


async def _named(ctx: Ctx, found: list[Appointment]) -> list[tuple[Appointment, Subject]]:
    """The appointments whose person this volunteer sees now, with them (moved away or erased
    since: left out)."""
    named = []
    for appointment in found:
        who = await ctx.subject(appointment.person_id)
        if who is not None:
            named.append((appointment, who))
    return named


async def show_agenda(ctx: Ctx, page: int) -> None:
    """The agenda: how many in the next 7 days, those past their start still to mark (first
    page), then a page of those to come, soonest first, each with a button to open it."""
    t, zone, now = ctx.t, ctx.world.tz, ctx.now
    centres = ctx.access.centres(ctx.active)
    page = min(page, 10_000)  # a forged page number costs nothing
    week = await ctx.tx.agenda(centres, now, now + WEEK)
    upcoming = await ctx.tx.agenda(centres, now, now + FAR, limit=(page + 1) * PAGE_SIZE + 1)
    more = len(upcoming) > (page + 1) * PAGE_SIZE
    shown_now = await _named(ctx, upcoming[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    names = ", ".join(c.name for c in ctx.centres if c.id in centres)
    lines = [
        t.gettext(T_AGENDA_HEAD, centres=names),
        t.gettext(T_AGENDA_WEEK, n=t.number(len(week))),
    ]
    rows: list[tuple[Button, ...]] = []
    if page == 0:
        since = now - timedelta(days=TO_MARK_DAYS)
        to_mark = await _named(ctx, await ctx.tx.agenda(centres, since, now, limit=PAGE_SIZE))
        if to_mark:
            lines += ["", t.gettext(T_TO_MARK)]
            for appointment, who in to_mark:
                lines.append(shown.line(t, appointment, who.name, zone))
                rows.append((_open_button(ctx, appointment, who),))
    lines += ["", t.gettext(T_UPCOMING, page=page + 1)]
    if not shown_now:
        lines.append(t.gettext(T_AGENDA_EMPTY))
    for appointment, who in shown_now:
        lines.append(shown.line(t, appointment, who.name, zone))
        rows.append((_open_button(ctx, appointment, who),))
    nav = []
    if page > 0:
        nav.append(Button(t.gettext(B_PREV), build("ag", page - 1)))
    if more:
        nav.append(Button(t.gettext(B_NEXT), build("ag", page + 1)))
    if nav:
        rows.append(tuple(nav))
    ctx.show(Message("\n".join(lines), tuple(rows), rtl=t.rtl))


def _open_button(ctx: Ctx, appointment: Appointment, who: Subject) -> Button:
    label = f"{shown.short_when(ctx.t, appointment.starts_at, ctx.world.tz)} · {who.name}"
    return Button(label[:60], build("ad", appointment.id))
