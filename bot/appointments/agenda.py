"""The morning agenda: each day at `[appointments] agenda_at` (local time), every volunteer with
appointments that day receives one notice listing them; the appointments nobody of the team
will be at (none chosen, or the one chosen left the team) go to the centre's coordinators.

Not on days off, and never inside quiet hours: an `agenda_at` inside them waits for the first
allowed minute of the same morning (on a day off there is no agenda, and the next allowed
morning lists its own day). A sweep (bot/schedule/sweeps.py) queues, from a few minutes before
it to late morning, one message Relais starts per volunteer and day (dedupe key "appointment_agenda:
<volunteer>:<day>"): run again, after a restart or by a second process, it queues nothing more,
and an appointment booked before the agenda goes out is in it.

The queued row holds only the day: the list, with the people's names, is read when it is
delivered (`read`), so that erasing one of them before then leaves no copy of their name, and
the message handed to the outbox names them as what it shows (erased with any of them while it
waits there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.appointments import shown
from bot.appointments.domain import Appointment
from bot.core.domain import Button, Message
from bot.core.i18n import N_, Translator
from bot.desk.buttons import build
from bot.desk.domain import person_name
from bot.reach.queue import queue
from bot.reach.started import NOTICE, NewStarted, ReadNow, Started
from bot.schedule.quiet_hours import QuietHours
from bot.storage.database import Tx

if TYPE_CHECKING:
    from bot.service import Relais

KIND = "appointment_agenda"
# queued this long before it goes (the sweep runs every 2 minutes), so that it goes on time
EARLY = timedelta(minutes=10)
# after this, a day's agenda is not worth sending any more (Relais was down all morning)
LATE = timedelta(hours=4)
MAX_LINES = 30  # a notice fits a phone; the agenda (/agenda) has the rest

T_HEAD = N_("📅 Vos rendez-vous du {date} :")
T_UNASSIGNED = N_("Sans bénévole choisi, à {centre} :")
T_MORE = N_("… et d'autres : voir /agenda.")
B_AGENDA = N_("📅 Agenda")


@dataclass(frozen=True)
class Listed:
    """One appointment of a recipient's agenda (to whom, and why: theirs, or unassigned)."""

    appointment: Appointment
    unassigned: bool


def morning(day: date, agenda_at: time, quiet: QuietHours, zone: ZoneInfo) -> datetime | None:
    """When the agenda of `day` goes (UTC): `agenda_at` that day, or the first allowed minute
    after it that same day; None on a day off (or when quiet hours leave nothing that day)."""
    if day.weekday() in quiet.days_off:
        return None
    nominal = datetime.combine(day, agenda_at, tzinfo=zone).astimezone(UTC)
    allowed = quiet.next_allowed(nominal, zone)
    return allowed if allowed.astimezone(zone).date() == day else None


def day_range(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day as [start, end) in UTC (23 or 25 hours on the nights clocks change)."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


async def queue_agendas(
    tx: Tx,
    now: datetime,
    agenda_at: time,
    quiet: QuietHours,
    zone: ZoneInfo,
    admins: tuple[str, ...] = (),
) -> int:
    """Queue today's agenda for whoever has appointments today and none queued yet; how many
    were queued now."""
    day = now.astimezone(zone).date()
    at = morning(day, agenda_at, quiet, zone)
    if at is None or not at - EARLY <= now < at + LATE:
        return 0
    centres = tuple(c.id for c in await tx.active_centres())
    start, end = day_range(day, zone)
    found = await tx.agenda(centres, start, end)
    if not found:
        return 0
    admin_ids = {p.id for p in await tx.persons_by_external_ids(admins) if p.id is not None}
    recipients = _recipients(found, await _teams(tx, centres), admin_ids)
    queued = 0
    for person_id in sorted(recipients):
        params: dict[str, Any] = {"day": day.isoformat(), "zone": zone.key}
        if person_id in admin_ids:
            params["admin"] = True  # sees every centre's appointments they will be at
        new = NewStarted(
            person_id,
            KIND,
            params,
            not_before=at,
            priority=NOTICE,
            dedupe_key=f"{KIND}:{person_id}:{day.isoformat()}",
            expires_at=end,
        )
        if await queue(tx, new) is not None:
            queued += 1
    return queued


@dataclass(frozen=True)
class Teams:
    """Who is of each centre's team, and who coordinates it."""

    members: dict[str, set[int]]
    coordinators: dict[str, set[int]]


async def _teams(tx: Tx, centres: tuple[str, ...]) -> Teams:
    members: dict[str, set[int]] = {c: set() for c in centres}
    coordinators: dict[str, set[int]] = {c: set() for c in centres}
    for member in await tx.team_members(centres):
        members.setdefault(member.centre, set()).add(member.person_id)
        if member.role == "coordinator":
            coordinators.setdefault(member.centre, set()).add(member.person_id)
    return Teams(members, coordinators)


def _assigned(appointment: Appointment, teams: Teams, admins: set[int]) -> bool:
    """Whether someone who will be there receives it: of the centre's team, or an admin."""
    volunteer = appointment.volunteer_id
    return volunteer is not None and (
        volunteer in teams.members.get(appointment.centre, set()) or volunteer in admins
    )


def _recipients(found: list[Appointment], teams: Teams, admins: set[int]) -> set[int]:
    """The volunteers who will be at these appointments, and the coordinators of the centres
    of those nobody of the team will be at."""
    recipients: set[int] = set()
    for appointment in found:
        if _assigned(appointment, teams, admins):
            assert appointment.volunteer_id is not None
            recipients.add(appointment.volunteer_id)
        else:
            recipients |= teams.coordinators.get(appointment.centre, set())
    return recipients


async def sweep(relais: Relais, now: datetime) -> int:
    """The scheduler's entry: queue today's agendas that are not queued yet."""
    settings = relais.settings
    async with relais.storage.transaction() as tx:
        return await queue_agendas(
            tx,
            now,
            settings.appointments.agenda_at,
            settings.quiet_hours,
            relais.catalogs.tz,
            settings.admins,
        )


# -- at delivery -----------------------------------------------------------------------------


async def read(tx: Tx, started: Started) -> ReadNow | None:
    """The recipient's agenda of the day, read now: their appointments (at a centre where they
    still are of the team, or anywhere for an admin) and, at the centres they coordinate, those
    nobody of the team will be at, with the people's names; None when nothing is left (all
    cancelled since): the message is dropped."""
    recipient = started.person.id
    try:
        day = date.fromisoformat(str(started.params.get("day")))
    except ValueError:
        return None
    if recipient is None:
        return None
    zone = _zone(started)
    centres = await tx.active_centres()
    active = tuple(c.id for c in centres)
    roles = [r for r in await tx.roles_of(recipient) if r.centre in active]
    mine_at = set(active) if started.params.get("admin") else {r.centre for r in roles}
    coordinated = {r.centre for r in roles if r.role == "coordinator"}
    if not mine_at and not coordinated:
        return None
    start, end = day_range(day, zone)
    teams = await _teams(tx, active)
    listed: list[Listed] = []
    for appointment in await tx.agenda(active, start, end):
        if appointment.volunteer_id == recipient and appointment.centre in mine_at:
            listed.append(Listed(appointment, False))
        elif (
            appointment.centre in coordinated
            and appointment.volunteer_id != recipient
            and not _assigned(appointment, teams, set())
        ):
            listed.append(Listed(appointment, True))
    if not listed:
        return None
    names: dict[int, list[str]] = {}
    items = []
    for one in listed[:MAX_LINES]:
        a = one.appointment
        if a.person_id not in names:
            profile = await tx.profile_of(a.person_id)
            names[a.person_id] = [
                str(profile.get("first_name") or ""),
                str(profile.get("last_name") or ""),
            ]
        items.append(
            {
                "id": a.id,
                "person": a.person_id,
                "name": names[a.person_id],
                "starts_at": a.starts_at.isoformat(),
                "purpose": a.purpose,
                "place": a.place,
                "answer": a.answer,
                "centre": a.centre,
                "unassigned": one.unassigned,
            }
        )
    params = {
        **started.params,
        "items": items,
        "more": len(listed) > MAX_LINES,
        "centres": {c.id: c.name for c in centres},
    }
    return ReadNow(params, tuple(sorted(names)))


def _zone(started: Started) -> ZoneInfo:
    """The deployment's time zone when the agenda was queued (its day is a day there)."""
    zone = started.params.get("zone")
    try:
        return ZoneInfo(zone) if isinstance(zone, str) and zone else ZoneInfo("UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def render(t: Translator, started: Started) -> Message:
    """The agenda in the recipient's language: their appointments, then those without a
    volunteer by centre, each with a button to open it."""
    params = started.params
    day = date.fromisoformat(str(params["day"]))
    zone = t.tz
    lines = [t.gettext(T_HEAD, date=t.day(day))]
    rows: list[tuple[Button, ...]] = []
    items = [i for i in params.get("items", []) if isinstance(i, dict)]
    centre_shown = ""
    for item in sorted(items, key=lambda i: (bool(i.get("unassigned")), str(i.get("centre")))):
        appointment = _appointment(item)
        first, last = [*list(item.get("name") or []), "", ""][:2]
        name = person_name(str(first), str(last), appointment.person_id, t)
        if item.get("unassigned") and centre_shown != appointment.centre:
            centre_shown = appointment.centre
            centre = str(params.get("centres", {}).get(appointment.centre, appointment.centre))
            lines += ["", t.gettext(T_UNASSIGNED, centre=centre)]
        clock = t.time(appointment.starts_at.astimezone(zone).time())
        parts = [
            clock,
            name,
            shown.purpose(t, appointment),
            shown.place_word(t, appointment),
            shown.answer(t, appointment),
        ]
        lines.append(" · ".join(parts))
        rows.append((Button(f"{clock} · {name}"[:60], build("ad", appointment.id)),))
    if params.get("more"):
        lines.append(t.gettext(T_MORE))
    rows.append((Button(t.gettext(B_AGENDA), build("ag", 0)),))
    return Message("\n".join(lines), tuple(rows), rtl=t.rtl)


def _appointment(item: dict[str, Any]) -> Appointment:
    """An agenda line as an appointment (what the words of bot.appointments.shown read)."""
    return Appointment(
        id=int(item.get("id", 0)),
        person_id=int(item.get("person", 0)),
        centre=str(item.get("centre", "")),
        starts_at=datetime.fromisoformat(str(item.get("starts_at"))),
        place=str(item.get("place", "centre")),
        address="",
        purpose=str(item.get("purpose", "")),
        note="",
        volunteer_id=None,
        booked_by=None,
        state="planned",
        answer=str(item.get("answer", "")),
        version=0,
    )
