"""What the appointment reminder tests share: a Relais on a real SQLite file with a clock the
test moves, booking through bot.appointments.lifecycle, sweeps of bot.reach.delivery.take_due
at chosen moments, and the started_messages rows read back.

The messages of an appointment are rendered by their kinds (bot/appointments/messages.py,
registered in bot/reach/kinds.py). Where a kind is not registered yet, `stand_in_kinds`
registers a minimal one for the test (a plain text, no buttons; a reminder is still due only
if its appointment is planned, at the same version and not started): without a kind, a queued
row would stay leased and never be delivered. Once the real kinds are registered, the tests
run with them unchanged (they check rows and moments, not texts).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.appointments import lifecycle, reminders
from bot.appointments.domain import Appointment, NewAppointment
from bot.config import Settings, load_settings
from bot.core.domain import Centre, Message
from bot.core.i18n import Translator
from bot.reach.delivery import Outgoing, take_due
from bot.reach.kinds import KINDS, Kind
from bot.reach.started import Started
from bot.service import Relais, open_relais
from bot.storage.database import Storage, Tx
from bot.testing.moment import Hands

CENTRE = Centre("paris11", "Paris 11e", "12 rue des Lilas, 75011 Paris")
CHANNEL = "test"


def config(timezone: str = "Europe/Paris", quiet: str = "") -> str:
    """A deployment in `timezone`, with `quiet` as its [quiet_hours] table's lines."""
    text = f'[general]\ntimezone = "{timezone}"\n\n'
    text += '[[centres]]\nid = "paris11"\nname = "Paris 11e"\n'
    if quiet:
        text += f"\n[quiet_hours]\n{quiet}\n"
    return text


def settings_in(folder: Path, timezone: str = "Europe/Paris", quiet: str = "") -> Settings:
    """Settings of such a deployment, its database in `folder`."""
    path = folder / "relais.toml"
    path.write_text(config(timezone, quiet), encoding="utf-8")
    return load_settings(path, env={"RELAIS_DATABASE": str(folder / "relais.sqlite3")})


def stand_in_kinds(monkeypatch: pytest.MonkeyPatch, hands: Hands) -> list[str]:
    """Register, for this test only, a minimal kind for each kind of appointment message not
    registered yet; the names of those registered so."""
    added = []
    for name in lifecycle.KINDS:
        if name in KINDS:
            continue  # the real kind
        still_due = _reminder_still_due(hands) if name == lifecycle.REMINDER else None
        monkeypatch.setitem(KINDS, name, Kind(_render, still_due=still_due))
        added.append(name)
    return added


def _render(t: Translator, started: Started) -> Message:
    del t
    params = started.params
    return Message(
        f"{started.kind} #{params.get('appointment')} v{params.get('version')}"
        f" {params.get('offset', '')} {params.get('starts_at')}"
    )


def _reminder_still_due(hands: Hands) -> Any:
    async def still_due(tx: Tx, started: Started, now: datetime | None = None) -> bool:
        # the rule of issue 12: planned, at the same version, not started yet
        found = await tx.appointment(int(started.params["appointment"]))
        return (
            found is not None
            and found.version == int(started.params["version"])
            and found.ahead(now if now is not None else hands())
        )

    return still_due


@dataclass
class Desk:
    """Relais with a movable clock: books, changes and ends appointments as the desk will, and
    delivers what is due as the runtime's sweep does."""

    relais: Relais
    hands: Hands

    @property
    def zone(self) -> ZoneInfo:
        return self.relais.catalogs.tz

    async def people(self, count: int, prefix: str = "p") -> list[int]:
        """`count` people who wrote to Relais once (users prefix0, prefix1…); their ids."""
        ids = []
        async with self.relais.storage.transaction() as tx:
            for n in range(count):
                person = (await tx.load_state(CHANNEL, f"{prefix}{n}")).person
                assert person.id is not None
                ids.append(person.id)
        return ids

    async def book(self, person_id: int, starts_at: datetime) -> Appointment:
        """Book an appointment now (the hands' moment), its messages queued."""
        async with self.relais.storage.transaction() as tx:
            appointment = await self.book_in(tx, person_id, starts_at)
        return appointment

    async def book_in(self, tx: Tx, person_id: int, starts_at: datetime) -> Appointment:
        new = NewAppointment(person_id, CENTRE.id, starts_at, "centre", "cv_workshop")
        appointment = await tx.book_appointment(new, None)
        settings = self.relais.settings
        await lifecycle.booked(
            tx,
            appointment,
            CENTRE,
            settings.appointments,
            settings.quiet_hours,
            self.zone,
            self.hands(),
        )
        return appointment

    async def move(self, appointment: Appointment, starts_at: datetime) -> Appointment:
        """A volunteer moves it to `starts_at` now."""
        async with self.relais.storage.transaction() as tx:
            new = NewAppointment(
                appointment.person_id, CENTRE.id, starts_at, "centre", appointment.purpose
            )
            after = await tx.change_appointment(appointment.id, appointment.version, new)
            assert after is not None
            settings = self.relais.settings
            await lifecycle.changed(
                tx,
                appointment,
                after,
                CENTRE,
                settings.appointments,
                settings.quiet_hours,
                self.zone,
                self.hands(),
            )
        return after

    async def end(self, appointment: Appointment, state: str = "cancelled") -> Appointment:
        """It is cancelled (the person told), or marked attended or missed, now."""
        async with self.relais.storage.transaction() as tx:
            ended = await tx.end_appointment(appointment.id, state)
            assert ended is not None
            await lifecycle.ended(tx, ended, CENTRE, tell=True)
        return ended

    async def deliver(
        self, at: datetime | None = None, storage: Storage | None = None
    ) -> list[Outgoing]:
        """Everything due at `at` (default: the hands' moment; the hands are set there), as
        the runtime's sweeps take it, batch after batch."""
        if at is not None:
            self.hands.now = at
        taken: list[Outgoing] = []
        while True:
            async with (storage or self.relais.storage).transaction() as tx:
                due = await take_due(
                    tx,
                    self.relais.catalogs,
                    CHANNEL,
                    self.hands(),
                    quiet=self.relais.settings.quiet_hours,
                )
            if not due:
                return taken
            taken += due


@dataclass(frozen=True)
class Row:
    """A started_messages row of an appointment, as stored."""

    kind: str
    key: str
    not_before: str
    state: str
    sent_at: str | None
    person_id: int


async def rows(relais: Relais, kind: str | None = None) -> list[Row]:
    """The rows of messages about appointments (of `kind`), in the order they were queued."""
    async with relais.storage.reading() as reads:
        found = await reads._fetchall(  # the raw rows are what is checked
            "SELECT kind, dedupe_key, not_before, state, sent_at, person_id FROM started_messages"
            " WHERE dedupe_key LIKE 'appointment:%' AND (? IS NULL OR kind = ?) ORDER BY id",
            (kind, kind),
        )
    return [
        Row(r["kind"], r["dedupe_key"], r["not_before"], r["state"], r["sent_at"], r["person_id"])
        for r in found
    ]


def utc(moment: datetime) -> str:
    """A moment as the database writes it."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def reminder_at(minute: datetime, appointment: Appointment | int) -> datetime:
    """When the reminder planned at `minute` (a whole minute) for `appointment` (or its id)
    goes, in UTC: the second of that minute its id gives (bot.appointments.reminders.spread)."""
    assert minute.second == minute.microsecond == 0, f"{minute} is not a whole minute"
    number = appointment if isinstance(appointment, int) else appointment.id
    return reminders.spread(minute.astimezone(UTC), number)


def local(moment: datetime | str, zone: ZoneInfo) -> str:
    """A moment as local text with its weekday and zone abbreviation (summer or winter)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(zone).strftime("%a %d %b %Y %H:%M %Z")


def last_sunday(year: int, month: int) -> datetime:
    """The last Sunday of a month (midnight, naive): when Europe changes its clocks."""
    day = datetime(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


@contextlib.asynccontextmanager
async def open_desk(settings: Settings, hands: Hands) -> AsyncIterator[Desk]:
    """A Desk on a real SQLite file, closed when the block ends."""
    relais = await open_relais(settings, clock=hands)
    try:
        yield Desk(relais, hands)
    finally:
        await relais.close()
