"""SQL of appointments, and of the reminders queued for them (started_messages rows whose
dedupe key begins "appointment:<id>:").

Mixed into `storage.Tx`; the methods run inside its transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import datetime

from bot.appointments.domain import Appointment, NewAppointment
from bot.storage.queries import Queries, dump_json, from_text, maybe_from_text, to_text

_COLUMNS = (
    "id, person_id, centre, starts_at, minutes, place, address, purpose, note, volunteer_id,"
    " booked_by, state, answer, version, created_at, updated_at"
)
_SELECT = f"SELECT {_COLUMNS} FROM appointments"


def messages_key(appointment_id: int) -> str:
    """The start of the dedupe key of every message queued about one appointment."""
    return f"appointment:{appointment_id}:"


def _past(prefix: str) -> str:
    """The first key after every key that starts with `prefix` (which ends with ":"): the
    range [prefix, _past(prefix)) is a range of the dedupe key's unique index."""
    return prefix[:-1] + chr(ord(":") + 1)


def _details(new: NewAppointment) -> tuple[object, ...]:
    """starts_at, minutes, place, address, purpose, note, volunteer_id: what booking writes and
    a change rewrites, in that order."""
    return (
        to_text(new.starts_at),
        new.minutes,
        new.place,
        new.address,
        new.purpose,
        new.note,
        new.volunteer_id,
    )


def _appointment(row: sqlite3.Row) -> Appointment:
    return Appointment(
        id=int(row["id"]),
        person_id=int(row["person_id"]),
        centre=str(row["centre"]),
        starts_at=from_text(row["starts_at"]),
        place=str(row["place"]),
        address=str(row["address"]),
        purpose=str(row["purpose"]),
        note=str(row["note"]),
        volunteer_id=None if row["volunteer_id"] is None else int(row["volunteer_id"]),
        booked_by=None if row["booked_by"] is None else int(row["booked_by"]),
        state=str(row["state"]),
        answer=str(row["answer"]),
        version=int(row["version"]),
        minutes=int(row["minutes"]),
        created_at=maybe_from_text(row["created_at"]),
        updated_at=maybe_from_text(row["updated_at"]),
    )


class AppointmentReadQueries(Queries):
    """The reads of appointments, also made on the read-only connection (storage.ReadTx)."""

    async def appointment(self, appointment_id: int) -> Appointment | None:
        """An appointment by id."""
        row = await self._fetchone(_SELECT + " WHERE id = ?", (appointment_id,))
        return _appointment(row) if row is not None else None

    async def appointments_of(
        self, person_id: int, since: datetime | None = None
    ) -> list[Appointment]:
        """A person's appointments (those starting from `since`, if given), soonest first."""
        rows = await self._fetchall(
            _SELECT + " WHERE person_id = ? AND starts_at >= ? ORDER BY starts_at, id",
            (person_id, to_text(since) if since is not None else ""),
        )
        return [_appointment(r) for r in rows]

    async def agenda(
        self,
        centres: Collection[str],
        start: datetime,
        end: datetime,
        states: Collection[str] = ("planned",),
        limit: int | None = None,
    ) -> list[Appointment]:
        """The appointments of these centres starting in [start, end) in these states, soonest
        first (at most `limit`)."""
        rows = await self._fetchall(
            _SELECT + " WHERE centre IN (SELECT value FROM json_each(?))"
            " AND starts_at >= ? AND starts_at < ?"
            " AND state IN (SELECT value FROM json_each(?))"
            " ORDER BY starts_at, id LIMIT ?",
            (
                dump_json(sorted(centres)),
                to_text(start),
                to_text(end),
                dump_json(sorted(states)),
                -1 if limit is None else limit,
            ),
        )
        return [_appointment(r) for r in rows]

    async def appointment_counts(
        self, centres: Collection[str], start: datetime, end: datetime
    ) -> dict[str, int]:
        """How the appointments of these centres starting in [start, end) went: "booked",
        "confirmed" (the person said they would come), "attended", "missed", "cancelled"."""
        row = await self._fetchone(
            "SELECT count(*) AS booked,"
            " coalesce(sum(answer = 'coming'), 0) AS confirmed,"
            " coalesce(sum(state = 'attended'), 0) AS attended,"
            " coalesce(sum(state = 'missed'), 0) AS missed,"
            " coalesce(sum(state = 'cancelled'), 0) AS cancelled"
            " FROM appointments WHERE centre IN (SELECT value FROM json_each(?))"
            " AND starts_at >= ? AND starts_at < ?",
            (dump_json(sorted(centres)), to_text(start), to_text(end)),
        )
        assert row is not None
        return {key: int(row[key]) for key in row.keys()}  # noqa: SIM118 (sqlite3.Row)


class AppointmentQueries(AppointmentReadQueries):
    """Repository methods of appointments (see storage.Tx for the helpers)."""

    async def book_appointment(self, new: NewAppointment, booked_by: int | None) -> Appointment:
        """Store a new planned appointment."""
        now = self._now()
        row = await self._fetchone(
            "INSERT INTO appointments (person_id, centre, starts_at, minutes, place, address,"
            " purpose, note, volunteer_id, booked_by, created_at, updated_at)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
            (new.person_id, new.centre, *_details(new), booked_by, now, now),
        )
        assert row is not None
        return _appointment(row)

    async def change_appointment(
        self, appointment_id: int, version: int, new: NewAppointment
    ) -> Appointment | None:
        """New details for a planned appointment still at `version` (its version grows, its
        answer is asked again); None when someone changed or ended it meanwhile."""
        row = await self._fetchone(
            "UPDATE appointments SET starts_at = ?, minutes = ?, place = ?, address = ?,"
            " purpose = ?, note = ?, volunteer_id = ?, answer = '', version = version + 1,"
            " updated_at = ?"
            " WHERE id = ? AND version = ? AND state = 'planned'"
            f" RETURNING {_COLUMNS}",
            (*_details(new), self._now(), appointment_id, version),
        )
        return _appointment(row) if row is not None else None

    async def end_appointment(
        self, appointment_id: int, state: str, version: int | None = None
    ) -> Appointment | None:
        """A planned appointment becomes `state` ("cancelled", "attended", "missed"), if still
        at `version` when given; None when it was no longer planned (or changed meanwhile)."""
        if state not in ("cancelled", "attended", "missed"):
            raise ValueError(f"not how an appointment ends: {state!r}")
        row = await self._fetchone(
            "UPDATE appointments SET state = ?, updated_at = ?"
            " WHERE id = ? AND state = 'planned' AND (? IS NULL OR version = ?)"
            f" RETURNING {_COLUMNS}",
            (state, self._now(), appointment_id, version, version),
        )
        return _appointment(row) if row is not None else None

    async def correct_attendance(self, appointment_id: int, state: str) -> Appointment | None:
        """Attended ↔ missed, when a volunteer pressed the wrong one; None otherwise."""
        if state not in ("attended", "missed"):
            raise ValueError(f"not an attendance: {state!r}")
        row = await self._fetchone(
            "UPDATE appointments SET state = ?, updated_at = ?"
            " WHERE id = ? AND state IN ('attended', 'missed') RETURNING " + _COLUMNS,
            (state, self._now(), appointment_id),
        )
        return _appointment(row) if row is not None else None

    async def answer_appointment(self, appointment_id: int, version: int, answer: str) -> bool:
        """The person's answer ("coming", "cannot", "change") to the planned appointment at
        `version`; False when it was changed or ended meanwhile."""
        if answer not in ("coming", "cannot", "change"):
            raise ValueError(f"not an answer: {answer!r}")
        changed = await self._execute(
            "UPDATE appointments SET answer = ?, updated_at = ?"
            " WHERE id = ? AND version = ? AND state = 'planned'",
            (answer, self._now(), appointment_id, version),
        )
        return changed == 1

    async def latest_answerable(
        self, person_id: int, kinds: Collection[str], since: datetime
    ) -> int | None:
        """The id of the latest message of these kinds delivered to the person since `since`
        whose buttons still wait for an answer (a typed answer may be meant for it)."""
        row = await self._fetchone(
            "SELECT id FROM started_messages WHERE person_id = ? AND state = 'sent'"
            " AND kind IN (SELECT value FROM json_each(?)) AND sent_at >= ?"
            " ORDER BY sent_at DESC, id DESC LIMIT 1",
            (person_id, dump_json(sorted(kinds)), to_text(since)),
        )
        return int(row["id"]) if row is not None else None

    async def answerable_message(self, appointment_id: int, version: int) -> int | None:
        """The id of the latest message delivered about this version of the appointment whose
        buttons answer it (a confirmation, change or reminder), if any."""
        start = f"{messages_key(appointment_id)}{version}:"
        row = await self._fetchone(
            "SELECT id FROM started_messages WHERE dedupe_key >= ? AND dedupe_key < ?"
            " AND state = 'sent' AND kind IN"
            " ('appointment_confirmed', 'appointment_changed', 'appointment_reminder')"
            " ORDER BY sent_at DESC, id DESC LIMIT 1",
            (start, _past(start)),
        )
        return int(row["id"]) if row is not None else None

    async def appointment_told(self, appointment_id: int) -> bool:
        """Whether a message about the appointment (any version) has reached the person."""
        start = messages_key(appointment_id)
        row = await self._fetchone(
            "SELECT 1 FROM started_messages WHERE dedupe_key >= ? AND dedupe_key < ?"
            " AND state <> 'queued' LIMIT 1",
            (start, _past(start)),
        )
        return row is not None

    async def later_reminder_due(
        self, started_id: int, appointment_id: int, version: int, now: datetime
    ) -> bool:
        """Whether another reminder of this appointment's version, due after message
        `started_id`, is due by `now` too (after a downtime only the latest goes: two
        reminders in a row would say the same thing twice)."""
        start = f"{messages_key(appointment_id)}{version}:"
        row = await self._fetchone(
            "SELECT 1 FROM started_messages WHERE dedupe_key >= ? AND dedupe_key < ?"
            " AND state = 'queued' AND id <> ? AND not_before <= ?"
            " AND kind = (SELECT kind FROM started_messages WHERE id = ?)"
            " AND not_before > (SELECT not_before FROM started_messages WHERE id = ?) LIMIT 1",
            (start, _past(start), started_id, to_text(now), started_id, started_id),
        )
        return row is not None

    async def drop_appointment_messages(self, appointment_id: int) -> int:
        """Drop what is still queued about an appointment (its reminders); how many. A range of
        the dedupe key's unique index."""
        start = messages_key(appointment_id)
        return await self._execute(
            "DELETE FROM started_messages WHERE dedupe_key >= ? AND dedupe_key < ?"
            " AND state = 'queued'",
            (start, _past(start)),
        )
