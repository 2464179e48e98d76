"""Reminders are database rows, dispatched by the runtime's sweep (bot.reach.delivery.take_due)
on a real SQLite file, with a clock the test moves:

- the bot was down when a reminder was due: at restart it goes if the appointment is still
  ahead (after the quiet hours if it comes back at night), never once it has started;
- a cancelled or moved appointment: nothing of the old version is delivered after, the person
  gets the cancellation or the new details and the new reminders;
- 1,000 appointments booked, some cancelled or moved midway, the bot down for a morning and
  two senders sharing the database: every reminder delivered exactly once, at its moment (none
  a second early), in due order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.appointments import lifecycle
from bot.appointments.domain import NewAppointment
from bot.reach.delivery import Outgoing, take_due
from bot.service import Relais
from bot.storage.database import Storage
from bot.testing.moment import NOW, Hands
from tests.appointment_kit import (
    CENTRE,
    CHANNEL,
    Desk,
    Row,
    local,
    open_desk,
    reminder_at,
    rows,
    settings_in,
    stand_in_kinds,
    utc,
)

PARIS = ZoneInfo("Europe/Paris")
SECOND = timedelta(seconds=1)


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Paris (Monday 23 is the tests' day)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


def keys(found: list[Row], state: str | None = None) -> list[str]:
    """Their dedupe keys without the appointment's id ("1:1440m", "2:changed"…)."""
    return [r.key.split(":", 2)[2] for r in found if state is None or r.state == state]


@pytest.fixture
def hands(monkeypatch: pytest.MonkeyPatch) -> Hands:
    """The test's clock, from the tests' moment (Monday 23 November 2026, 11:00 in Paris);
    the appointment kinds a test needs are registered."""
    clock = Hands(NOW)
    stand_in_kinds(monkeypatch, clock)
    return clock


# -- downtime ------------------------------------------------------------------------------


async def test_a_reminder_due_while_the_bot_was_down_goes_at_restart_if_still_ahead(
    tmp_path: Path, hands: Hands
) -> None:
    settings = settings_in(tmp_path)
    async with open_desk(settings, hands) as desk:
        [amina, fatou] = await desk.people(2)
        # Tuesday 14:30: reminded on Monday at 14:30 and on Tuesday at 12:30
        tuesday = await desk.book(amina, paris(24, 14, 30))
        # Monday 16:00: booked too late for the day before; reminded at 14:00
        monday = await desk.book(fatou, paris(23, 16))
        assert len(await desk.deliver()) == 2  # the confirmations, at once
    # down from Monday 11:00 to Monday 18:00: both reminders fell due meanwhile
    hands.now = paris(23, 18)
    async with open_desk(settings, hands) as desk:
        delivered = await desk.deliver()
        # Amina's appointment is tomorrow: told now, late; Fatou's started at 16:00: nothing
        assert [d.person.id for d in delivered] == [amina]
        assert keys(await rows(desk.relais)) == ["1:confirm", "1:1440m", "1:120m", "1:confirm"]
        assert [(r.key, r.sent_at) for r in await rows(desk.relais, lifecycle.REMINDER)] == [
            (f"appointment:{tuesday.id}:1:1440m", utc(paris(23, 18))),
            (f"appointment:{tuesday.id}:1:120m", None),  # still to come
        ]
        assert [(r.key, r.state) for r in await rows(desk.relais) if r.person_id == fatou] == [
            (f"appointment:{monday.id}:1:confirm", "sent")  # its reminder dropped, not sent
        ]
        # the next one at its time (the second of 12:30 her appointment's id gives)
        next_one = reminder_at(paris(24, 12, 30), tuesday)
        assert await desk.deliver(next_one - SECOND) == []
        assert [d.person.id for d in await desk.deliver(next_one)] == [amina]


async def test_back_at_night_the_missed_reminder_waits_for_the_morning_if_still_useful(
    tmp_path: Path, hands: Hands
) -> None:
    settings = settings_in(tmp_path)
    async with open_desk(settings, hands) as desk:
        [early, later] = await desk.people(2)
        # Tuesday at 08:00 and at 09:00: both reminded "2 hours before" on Monday at 19:59
        # (the morning is quiet until 08:30); the day before was already past when booked
        eight = await desk.book(early, paris(24, 8))
        nine = await desk.book(later, paris(24, 9))
        reminders = await rows(desk.relais, lifecycle.REMINDER)
        assert [(r.person_id, r.not_before) for r in reminders] == [
            (early, utc(reminder_at(paris(23, 19, 59), eight))),
            (later, utc(reminder_at(paris(23, 19, 59), nine))),
        ]
        await desk.deliver()
    # down from 11:00 to 21:00 (the evening is quiet), then the night
    hands.now = paris(23, 21)
    async with open_desk(settings, hands) as desk:
        assert await desk.deliver() == []
        assert await desk.deliver(paris(24, 8, 29)) == []
        # 08:30: the 09:00 appointment is still ahead; the 08:00 one has started
        assert [d.person.id for d in await desk.deliver(paris(24, 8, 30))] == [later]
        found = await rows(desk.relais, lifecycle.REMINDER)
        assert [(r.key, r.state, r.sent_at) for r in found] == [
            (f"appointment:{nine.id}:1:120m", "sent", utc(paris(24, 8, 30)))
        ]
        assert eight.id != nine.id


# -- cancellation and change ---------------------------------------------------------------


async def test_a_cancelled_appointment_sends_the_cancellation_and_no_reminder(
    tmp_path: Path, hands: Hands
) -> None:
    async with open_desk(settings_in(tmp_path), hands) as desk:
        [amina] = await desk.people(1)
        appointment = await desk.book(amina, paris(24, 14, 30))
        await desk.deliver()
        hands.now = paris(23, 12)
        await desk.end(appointment)
        assert [d.person.id for d in await desk.deliver()] == [amina]  # the cancellation
        # through its reminders' moments and after: nothing more
        for moment in (paris(23, 14, 30), paris(24, 12, 30), paris(25, 12)):
            assert await desk.deliver(moment) == []
        assert keys(await rows(desk.relais)) == ["1:confirm", "1:cancelled"]


async def test_a_moved_appointment_keeps_nothing_of_its_old_date(
    tmp_path: Path, hands: Hands
) -> None:
    async with open_desk(settings_in(tmp_path), hands) as desk:
        [amina] = await desk.people(1)
        first = await desk.book(amina, paris(24, 14, 30))
        await desk.deliver()
        # Monday 12:00: moved to Thursday 10:00; then at 13:00 to Thursday 16:00
        hands.now = paris(23, 12)
        second = await desk.move(first, paris(26, 10))
        assert [d.person.id for d in await desk.deliver()] == [amina]  # the new details
        hands.now = paris(23, 13)
        third = await desk.move(second, paris(26, 16))
        assert [d.person.id for d in await desk.deliver()] == [amina]
        assert third.version == 3
        # the old dates' moments pass with nothing; the new date's bring its reminders (each
        # at the second of its minute the appointment's id gives, the same for every version)
        for minute, expected in (
            (paris(23, 14, 30), []),  # the first date's day before
            (paris(24, 12, 30), []),  # its 2 hours before
            (paris(25, 10), []),  # the second date's day before
            (paris(25, 16), [amina]),  # the third's
            (paris(26, 8, 30), []),  # the second's 2 hours before (08:00 is quiet)
            (paris(26, 14), [amina]),  # the third's
        ):
            moment = reminder_at(minute, third)
            assert await desk.deliver(moment - SECOND) == [], local(moment, PARIS)
            delivered = await desk.deliver(moment)
            assert [d.person.id for d in delivered] == expected, local(moment, PARIS)
        assert keys(await rows(desk.relais), "sent") == [
            "1:confirm",
            "2:changed",
            "3:changed",
            "3:1440m",
            "3:120m",
        ]


async def test_moved_after_its_first_reminder_the_new_date_is_reminded_in_full(
    tmp_path: Path, hands: Hands
) -> None:
    async with open_desk(settings_in(tmp_path), hands) as desk:
        [amina] = await desk.people(1)
        appointment = await desk.book(amina, paris(24, 14, 30))
        await desk.deliver()
        day_before = reminder_at(paris(23, 14, 30), appointment)
        assert len(await desk.deliver(day_before)) == 1  # the day before
        # she cannot come: moved, on Monday at 15:00, to Tuesday 17:00
        hands.now = paris(23, 15)
        await desk.move(appointment, paris(24, 17))
        assert len(await desk.deliver()) == 1  # the new details
        # the old "2 hours before" (12:30) goes with its version; the new one at 15:00; the new
        # "day before" (Monday 17:00) still comes
        assert await desk.deliver(reminder_at(paris(23, 17), appointment) - SECOND) == []
        assert len(await desk.deliver(reminder_at(paris(23, 17), appointment))) == 1
        assert await desk.deliver(reminder_at(paris(24, 12, 30), appointment)) == []
        assert await desk.deliver(reminder_at(paris(24, 15), appointment) - SECOND) == []
        assert len(await desk.deliver(reminder_at(paris(24, 15), appointment))) == 1
        assert keys(await rows(desk.relais), "sent") == [
            "1:confirm",
            "1:1440m",
            "2:changed",
            "2:1440m",
            "2:120m",
        ]


async def test_a_reminder_of_an_older_version_still_queued_is_not_delivered(
    tmp_path: Path, hands: Hands
) -> None:
    # a writer that changed or ended an appointment without lifecycle (a bug, a script): the
    # delivery itself checks the version and the state
    async with open_desk(settings_in(tmp_path), hands) as desk:
        [amina, fatou] = await desk.people(2)
        moved = await desk.book(amina, paris(24, 14, 30))
        ended = await desk.book(fatou, paris(24, 14, 30))
        await desk.deliver()
        async with desk.relais.storage.transaction() as tx:
            new = NewAppointment(amina, CENTRE.id, paris(24, 15, 30), "centre", "cv_workshop")
            assert await tx.change_appointment(moved.id, moved.version, new) is not None
            assert await tx.end_appointment(ended.id, "attended") is not None
        # each reminder's moment: the second of its minute its appointment's id gives
        for minute in (paris(23, 14, 30), paris(24, 12, 30)):
            for moment in sorted(reminder_at(minute, a) for a in (moved, ended)):
                assert await desk.deliver(moment) == []
        # dropped at their moment, not sent
        assert await rows(desk.relais, lifecycle.REMINDER) == []


async def test_an_ended_appointment_has_no_reminder_left_and_a_missed_one_a_kind_word(
    tmp_path: Path, hands: Hands
) -> None:
    async with open_desk(settings_in(tmp_path), hands) as desk:
        [amina, fatou] = await desk.people(2)
        # booked a week ahead; marked missed (Amina) or attended (Fatou) early by mistake
        missed = await desk.book(amina, paris(30, 14, 30))
        attended = await desk.book(fatou, paris(30, 14, 30))
        await desk.deliver()
        await desk.end(missed, "missed")
        await desk.end(attended, "attended")
        assert [d.person.id for d in await desk.deliver()] == [amina]
        assert await desk.deliver(paris(30, 20)) == []
        assert keys(await rows(desk.relais)) == ["1:confirm", "1:confirm", "1:missed"]


# -- 1,000 appointments ----------------------------------------------------------------------

PEOPLE = 1000
CANCELLED = 100  # cancelled on Tuesday at 12:00
MOVED = 100  # moved on Tuesday at 12:00 to a date of the second week
CHANGES_AT = paris(24, 12)
DOWN = (paris(25, 9), paris(25, 13))  # the bot is down on Wednesday morning


def _slot(rng: random.Random, first_day: int, days: int) -> datetime:
    """A quarter hour from 09:00 to 19:45 on one of `days` days from November `first_day`
    (Sundays too: a centre may open then, Relais stays silent)."""
    day = datetime(2026, 11, first_day) + timedelta(days=rng.randrange(days))
    minute = rng.randrange(4 * 11) * 15
    return (datetime.combine(day.date(), time(9)) + timedelta(minutes=minute)).replace(tzinfo=PARIS)


async def _queued(relais: Relais) -> list[tuple[str, int, int, str]]:
    """(not_before, person, row id, kind) of every queued row about an appointment."""
    async with relais.storage.reading() as reads:
        found = await reads._fetchall(  # the raw rows are what is checked
            "SELECT not_before, person_id, id, kind FROM started_messages"
            " WHERE state = 'queued' AND dedupe_key LIKE 'appointment:%'"
            " ORDER BY priority, not_before, id"
        )
    return [(r["not_before"], r["person_id"], r["id"], r["kind"]) for r in found]


async def _starts(relais: Relais) -> dict[int, datetime]:
    """Each person's appointment start (one appointment each), as it is now."""
    async with relais.storage.reading() as reads:
        found = await reads._fetchall("SELECT person_id, starts_at FROM appointments")
    return {
        int(r["person_id"]): datetime.fromisoformat(r["starts_at"]).astimezone(UTC) for r in found
    }


@dataclass
class Senders:
    """Two processes sharing the database: each takes a batch in turn."""

    desk: Desk
    storages: list[Storage]
    turn: int = 0

    async def take(self, at: datetime) -> list[int]:
        """Deliver what is due at `at`, batch after batch; the persons, in the order taken."""
        self.desk.hands.now = at
        taken: list[Outgoing] = []
        while True:
            storage = self.storages[self.turn % len(self.storages)]
            self.turn += 1
            async with storage.transaction() as tx:
                batch = await take_due(
                    tx,
                    self.desk.relais.catalogs,
                    CHANNEL,
                    at,
                    quiet=self.desk.relais.settings.quiet_hours,
                )
            if not batch:
                return [d.person.id for d in taken if d.person.id is not None]
            taken += batch


async def test_a_thousand_appointments_each_reminder_delivered_once_at_its_moment_in_order(
    tmp_path: Path, hands: Hands
) -> None:
    rng = random.Random(12)
    settings = settings_in(tmp_path)
    quiet = settings.quiet_hours
    async with open_desk(settings, hands) as desk:
        people = await desk.people(PEOPLE)
        async with desk.relais.storage.transaction() as tx:
            booked = [await desk.book_in(tx, person, _slot(rng, 24, 14)) for person in people]
        assert len(await _queued(desk.relais)) > 2.5 * PEOPLE  # confirmations and reminders
        later = [a for a in booked if a.starts_at > CHANGES_AT + timedelta(days=1)]
        chosen = rng.sample(later, CANCELLED + MOVED)
        other = await Storage.open(settings.database, clock=hands)
        senders = Senders(desk, [desk.relais.storage, other])
        delivered: list[tuple[datetime, int]] = []
        changed = False
        try:
            while queued := await _queued(desk.relais):
                due = min(not_before for not_before, *_ in queued)
                at = max(datetime.fromisoformat(due), hands()) if due else hands()
                if not changed and at >= CHANGES_AT:
                    hands.now = CHANGES_AT
                    for appointment in chosen[:CANCELLED]:
                        await desk.end(appointment)
                    for appointment in chosen[CANCELLED:]:
                        await desk.move(appointment, _slot(rng, 30, 6))
                    changed = True
                    continue
                if DOWN[0] <= at < DOWN[1]:
                    # no sweep all morning: at 13:00, what fell due meanwhile goes, in due
                    # order, but the reminders of appointments that started meanwhile
                    at = DOWN[1]
                    starts = await _starts(desk.relais)
                    expected = [
                        person
                        for not_before, person, _, kind in queued
                        if not_before <= utc(at)
                        and (kind != lifecycle.REMINDER or starts[person] > at)
                    ]
                else:
                    if at - SECOND > hands():
                        assert await senders.take(at - SECOND) == []  # not a second early
                    expected = [
                        person for not_before, person, *_ in queued if not_before <= utc(at)
                    ]
                got = await senders.take(at)
                assert got == expected, local(at, PARIS)  # each once, in due order
                assert quiet.allows(at, PARIS) or not got
                delivered += [(at, person) for person in got]
        finally:
            await other.close()
        found = await rows(desk.relais)
    reminders = [r for r in found if r.kind == lifecycle.REMINDER]
    assert {r.state for r in reminders} == {"sent"}  # none left behind
    assert len(reminders) > 1.5 * PEOPLE
    # each at its planned moment, but those due while the bot was down: at 13:00
    late = [r for r in reminders if r.sent_at != r.not_before]
    assert late
    assert all(utc(DOWN[0]) <= r.not_before < r.sent_at == utc(DOWN[1]) for r in late)
    # every row delivered once, and nothing else
    assert len(delivered) == len([r for r in found if r.state == "sent"])
    assert [at for at, _ in delivered] == sorted(at for at, _ in delivered)
