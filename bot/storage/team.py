"""SQL of the volunteer side: centres, roles, invitations, follow-up, help, outcomes, audit.

Mixed into `storage.Tx`; the methods run inside its transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from bot.core.domain import Centre, Person
from bot.desk.domain import (
    AuditEntry,
    Beneficiary,
    Filter,
    FollowUp,
    HelpRequest,
    Outcome,
    Role,
    TeamMember,
)
from bot.storage.queries import Queries, maybe_from_text


def _followup(row: sqlite3.Row | None, person_id: int) -> FollowUp:
    if row is None or row["f_person"] is None:
        return FollowUp(person_id)
    return FollowUp(
        person_id=person_id,
        cv_status=row["cv_status"],
        cv_note=row["cv_note"],
        searching=bool(row["searching"]),
        first_contact_at=maybe_from_text(row["first_contact_at"]),
        assessment_done_at=maybe_from_text(row["assessment_done_at"]),
        cv_done_at=maybe_from_text(row["cv_done_at"]),
        cv_sent_back_by=row["cv_sent_back_by"],
    )


_FOLLOWUP_COLUMNS = (
    "f.person_id AS f_person, f.cv_status, f.cv_note, f.searching, f.first_contact_at,"
    " f.assessment_done_at, f.cv_done_at, f.cv_sent_back_by"
)
# a person's first and last names (fn, ln: JSON or NULL) beside the row of p, for lists
_NAME_COLUMNS = (
    "(SELECT value FROM profile WHERE person_id = p.id AND key = 'first_name') AS fn,"
    " (SELECT value FROM profile WHERE person_id = p.id AND key = 'last_name') AS ln"
)


def _name_part(value: str | None) -> str:
    return str(json.loads(value)) if value else ""


_FILTERS = {
    Filter.ALL: "",
    Filter.NEW: " AND f.first_contact_at IS NULL",
    Filter.CV: " AND f.cv_status = 'to_check'",
    Filter.SEARCHING: " AND f.searching = 1",
    Filter.WAITING: (
        " AND EXISTS (SELECT 1 FROM help_requests h WHERE h.person_id = p.id"
        " AND h.taken_at IS NULL)"
    ),
}


_HELP_COLUMNS = "h.id, h.person_id, h.centre, h.created_at, h.taken_by, h.about"
# what a help request asks for: to talk to a volunteer, or an appointment (migration 015)
HELP_ABOUT = ("talk", "appointment")
# a request waiting for a volunteer: not taken, by someone who still agrees to be followed and is
# not of a team (one who joined a team since is no longer a beneficiary)
_WAITING = (
    " FROM help_requests h JOIN persons p ON p.id = h.person_id"
    " WHERE h.taken_at IS NULL AND p.consent = 1"
    " AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.person_id = p.id AND r.revoked_at IS NULL)"
)


def _help_request(row: sqlite3.Row) -> HelpRequest:
    return HelpRequest(
        row["id"],
        row["person_id"],
        row["centre"],
        datetime.fromisoformat(row["created_at"]),
        row["taken_by"],
        row["about"],
    )


class TeamReadQueries(Queries):
    """The reads of the volunteer side that are also made on the read-only connection
    (storage.ReadTx): who may see what, the lists, a person's data."""

    async def active_centres(self) -> tuple[Centre, ...]:
        """The centres people can choose, in the order they were added."""
        rows = await self._fetchall(
            "SELECT id, name, address, hours FROM centres WHERE removed_at IS NULL ORDER BY rowid"
        )
        return tuple(Centre(r["id"], r["name"], r["address"], r["hours"]) for r in rows)

    async def open_centres(self) -> tuple[tuple[Centre, ...], frozenset[str]]:
        """`active_centres`, and those of them where nobody has a role (no volunteer, no
        coordinator), in one read (every event needs both)."""
        rows = await self._fetchall(
            "SELECT c.id, c.name, c.address, c.hours, NOT EXISTS"
            " (SELECT 1 FROM roles r WHERE r.centre = c.id AND r.revoked_at IS NULL) AS alone"
            " FROM centres c WHERE c.removed_at IS NULL ORDER BY c.rowid"
        )
        centres = tuple(Centre(r["id"], r["name"], r["address"], r["hours"]) for r in rows)
        return centres, frozenset(str(r["id"]) for r in rows if r["alone"])

    async def roles_of(self, person_id: int) -> tuple[Role, ...]:
        """The roles of a person in active centres (revoked ones are gone)."""
        rows = await self._fetchall(
            "SELECT r.centre, r.role FROM roles r JOIN centres c ON c.id = r.centre"
            " WHERE r.person_id = ? AND r.revoked_at IS NULL AND c.removed_at IS NULL"
            " ORDER BY c.rowid",
            (person_id,),
        )
        return tuple(Role(r["centre"], r["role"]) for r in rows)

    async def persons_by_external_ids(self, external_ids: Iterable[str]) -> list[Person]:
        """The persons with these external ids (admins), on any channel."""
        ids = list(external_ids)
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = await self._fetchall(
            "SELECT id, channel, external_id, locale, consent, centre, stopped, blocked"
            f" FROM persons WHERE external_id IN ({marks}) ORDER BY id",
            tuple(ids),
        )
        return [person_from_row(r) for r in rows]

    async def person_by_id(self, person_id: int) -> Person | None:
        """A person by id, or None."""
        row = await self._fetchone(
            "SELECT id, channel, external_id, locale, consent, centre, stopped, blocked"
            " FROM persons WHERE id = ?",
            (person_id,),
        )
        return person_from_row(row) if row is not None else None

    async def profile_of(self, person_id: int) -> dict[str, Any]:
        """A person's saved answers."""
        rows = await self._fetchall(
            "SELECT key, value FROM profile WHERE person_id = ?", (person_id,)
        )
        return {r["key"]: json.loads(r["value"]) for r in rows}

    async def list_beneficiaries(
        self,
        centres: tuple[str, ...],
        which: Filter,
        offset: int,
        limit: int,
        exclude: int | None = None,
    ) -> tuple[list[Beneficiary], int]:
        """People of these centres who agreed, newest activity first; and how many in all."""
        if not centres:
            return [], 0
        marks = ", ".join("?" for _ in centres)
        where = (
            f" FROM persons p LEFT JOIN followup f ON f.person_id = p.id"
            f" WHERE p.centre IN ({marks}) AND p.consent = 1 AND p.id != ?"
            f" AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.person_id = p.id"
            f" AND r.revoked_at IS NULL)" + _FILTERS[which]
        )
        params = (*centres, -1 if exclude is None else exclude)
        total_row = await self._fetchone("SELECT COUNT(*) AS n" + where, params)
        rows = await self._fetchall(
            "SELECT p.id, p.centre, p.last_seen_at, "
            + _FOLLOWUP_COLUMNS
            + ", "
            + _NAME_COLUMNS
            + where
            + " ORDER BY p.last_seen_at DESC, p.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        people = [
            Beneficiary(
                id=r["id"],
                first_name=_name_part(r["fn"]),
                last_name=_name_part(r["ln"]),
                centre=r["centre"],
                last_seen_at=datetime.fromisoformat(r["last_seen_at"]),
                followup=_followup(r, r["id"]),
            )
            for r in rows
        ]
        return people, int(total_row["n"]) if total_row else 0

    async def followup_of(self, person_id: int) -> FollowUp:
        """A person's follow-up (defaults when nothing was recorded yet)."""
        row = await self._fetchone(
            "SELECT " + _FOLLOWUP_COLUMNS + " FROM followup f WHERE f.person_id = ?",
            (person_id,),
        )
        return _followup(row, person_id)

    async def waiting_help_requests(
        self, centres: tuple[str, ...], limit: int
    ) -> list[HelpRequest]:
        """The requests no volunteer took yet at these centres, oldest first."""
        if not centres:
            return []
        marks = ", ".join("?" for _ in centres)
        rows = await self._fetchall(
            f"SELECT {_HELP_COLUMNS}{_WAITING} AND h.centre IN ({marks})"
            " ORDER BY h.created_at, h.id LIMIT ?",
            (*centres, limit),
        )
        return [_help_request(r) for r in rows]

    async def outcomes_of(self, person_id: int) -> list[Outcome]:
        """A person's outcomes, latest first."""
        rows = await self._fetchall(
            "SELECT " + _OUTCOME_COLUMNS + " FROM outcomes WHERE person_id = ?"
            " ORDER BY happened_on DESC, id DESC",
            (person_id,),
        )
        return [_outcome(r) for r in rows]


class TeamQueries(TeamReadQueries):
    """Repository methods of the volunteer side (see storage.Tx for the helpers)."""

    # -- centres ---------------------------------------------------------------------------

    async def sync_centres(self, configured: Iterable[Centre]) -> list[str]:
        """Make the configured centres active; remove config centres no longer listed.

        Returns the ids removed now (their people are asked to choose another centre).
        """
        configured = list(configured)
        for c in configured:
            await self._execute(
                "INSERT INTO centres (id, name, address, hours, source)"
                " VALUES (?, ?, ?, ?, 'config')"
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address,"
                " hours = excluded.hours, source = 'config',"
                # a centre an admin closed stays closed until an admin adds it again
                " removed_at = CASE WHEN centres.removed_by = 'admin' THEN centres.removed_at END,"
                " removed_by = CASE WHEN centres.removed_by = 'admin' THEN 'admin' END",
                (c.id, c.name, c.address, c.hours),
            )
        ids = {c.id for c in configured}
        gone = [
            r["id"]
            for r in await self._fetchall(
                "SELECT id FROM centres WHERE source = 'config' AND removed_at IS NULL"
            )
            if r["id"] not in ids
        ]
        for centre in gone:
            await self.remove_centre(centre, by="config")
        return gone

    async def add_centre(self, centre: Centre) -> bool:
        """Add a centre (or bring a removed one back); False if it is already active."""
        row = await self._fetchone("SELECT removed_at FROM centres WHERE id = ?", (centre.id,))
        if row is not None and row["removed_at"] is None:
            return False
        await self._execute(
            "INSERT INTO centres (id, name, address, hours, source) VALUES (?, ?, ?, ?, 'admin')"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address,"
            " hours = excluded.hours, removed_at = NULL, removed_by = NULL",
            (centre.id, centre.name, centre.address, centre.hours),
        )
        return True

    async def remove_centre(self, centre: str, by: str = "admin") -> int | None:
        """Close a centre (`by` an admin or the configuration): its people keep their answers
        and will choose another centre; its volunteers' roles are revoked (the rows stay, so
        they can be told why, and re-opening the centre does not bring them back). Returns
        how many people it had, None if unknown."""
        row = await self._fetchone(
            "SELECT 1 FROM centres WHERE id = ? AND removed_at IS NULL", (centre,)
        )
        if row is None:
            return None
        await self._execute(
            "UPDATE centres SET removed_at = ?, removed_by = ? WHERE id = ?",
            (self._now(), by, centre),
        )
        team = [
            int(r["person_id"])
            for r in await self._fetchall(
                "SELECT person_id FROM roles WHERE centre = ? AND revoked_at IS NULL", (centre,)
            )
        ]
        await self._execute(
            "UPDATE roles SET revoked_at = ?, revoked_reason = 'centre_closed'"
            " WHERE centre = ? AND revoked_at IS NULL",
            (self._now(), centre),
        )
        await self._execute(
            "UPDATE invites SET expires_at = ? WHERE centre = ? AND used_at IS NULL",
            (self._now(), centre),
        )
        people = await self._execute("UPDATE persons SET centre = NULL WHERE centre = ?", (centre,))
        for person_id in team:
            # requests of the closed centre's people still queued for its former volunteers
            await self.drop_queued_about_unseen(person_id)
        return people

    # -- roles and invitations -------------------------------------------------------------

    async def had_role(self, person_id: int) -> bool:
        """True when the person was a volunteer of a centre that has since closed (not when
        they were removed from a team: they are answered like anyone else)."""
        row = await self._fetchone(
            "SELECT 1 FROM roles WHERE person_id = ? AND revoked_reason = 'centre_closed'",
            (person_id,),
        )
        return row is not None

    async def grant_role(self, person_id: int, centre: str, role: str) -> None:
        """Make a person volunteer or coordinator of a centre (a coordinator stays one); a
        new invitation gives back a role that was taken back, as this invitation says."""
        await self._execute(
            "INSERT INTO roles (person_id, centre, role, granted_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (person_id, centre) DO UPDATE SET role = CASE"
            " WHEN roles.role = 'coordinator' AND roles.revoked_at IS NULL THEN 'coordinator'"
            " ELSE excluded.role END,"
            " granted_at = CASE WHEN roles.revoked_at IS NULL THEN roles.granted_at"
            " ELSE excluded.granted_at END, revoked_at = NULL, revoked_reason = NULL",
            (person_id, centre, role, self._now()),
        )

    async def create_invite(
        self, code_hash: str, centre: str, role: str, created_by: int | None, expires_at: str
    ) -> int:
        """Record a new invitation; returns its id."""
        row = await self._fetchone(
            "INSERT INTO invites (code_hash, centre, role, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (code_hash, centre, role, created_by, self._now(), expires_at),
        )
        assert row is not None
        return int(row["id"])

    async def redeem_invite(self, code_hash: str, person_id: int) -> tuple[str, str] | str:
        """Use an invitation once: (centre, role), or why not: unknown, used, expired."""
        row = await self._fetchone(
            "SELECT i.id, i.centre, i.role, i.expires_at, i.used_at, c.removed_at"
            " FROM invites i JOIN centres c ON c.id = i.centre WHERE i.code_hash = ?",
            (code_hash,),
        )
        if row is None:
            return "unknown"
        if row["used_at"] is not None:
            return "used"
        if row["expires_at"] <= self._now() or row["removed_at"] is not None:
            return "expired"
        await self._execute(
            "UPDATE invites SET used_at = ?, used_by = ? WHERE id = ?",
            (self._now(), person_id, row["id"]),
        )
        await self.grant_role(person_id, row["centre"], row["role"])
        return row["centre"], row["role"]

    async def team_of(self, centre: str) -> list[Person]:
        """The volunteers and coordinators of a centre."""
        rows = await self._fetchall(
            "SELECT p.id, p.channel, p.external_id, p.locale, p.consent, p.centre, p.stopped,"
            " p.blocked FROM roles r JOIN persons p ON p.id = r.person_id WHERE r.centre = ?"
            " AND r.revoked_at IS NULL ORDER BY p.id",
            (centre,),
        )
        return [person_from_row(r) for r in rows]

    async def team_members(self, centres: Iterable[str]) -> list[TeamMember]:
        """The volunteers and coordinators of these centres (roles not taken back), by centre."""
        ids = list(centres)
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = await self._fetchall(
            "SELECT r.person_id, r.centre, r.role, p.external_id, "
            + _NAME_COLUMNS
            + " FROM roles r JOIN persons p ON p.id = r.person_id JOIN centres c ON c.id = r.centre"
            f" WHERE r.centre IN ({marks}) AND r.revoked_at IS NULL"
            " ORDER BY c.rowid, r.role, p.id",
            tuple(ids),
        )
        return [
            TeamMember(
                person_id=int(r["person_id"]),
                centre=r["centre"],
                role=r["role"],
                external_id=r["external_id"],
                first_name=_name_part(r["fn"]),
                last_name=_name_part(r["ln"]),
            )
            for r in rows
        ]

    async def revoke_roles(self, person_id: int, centres: Iterable[str]) -> int:
        """Take back a person's roles in these centres (removed from the team); how many."""
        ids = list(centres)
        if not ids:
            return 0
        marks = ", ".join("?" for _ in ids)
        return await self._execute(
            "UPDATE roles SET revoked_at = ?, revoked_reason = 'removed'"
            f" WHERE person_id = ? AND centre IN ({marks}) AND revoked_at IS NULL",
            (self._now(), person_id, *ids),
        )

    async def drop_queued_about_unseen(self, person_id: int) -> int:
        """Forget the messages still waiting to be sent to this person's chat about
        people they no longer see (one just removed from a team: a help request queued behind
        a slowed-down chat names its author); how many."""
        row = await self._fetchone(
            "SELECT channel, external_id FROM persons WHERE id = ?", (person_id,)
        )
        if row is None:
            return 0
        return await self._execute(
            "WITH seen AS (SELECT p.id FROM persons p JOIN roles r ON r.centre = p.centre"
            "  WHERE r.person_id = ? AND r.revoked_at IS NULL UNION SELECT ?)"
            " DELETE FROM outbox WHERE channel = ? AND chat_id = ? AND state = 'queued' AND ("
            "  (subject_id IS NOT NULL AND subject_id NOT IN seen)"
            "  OR id IN (SELECT outbox_id FROM outbox_about WHERE person_id NOT IN seen))",
            (person_id, person_id, str(row["channel"]), str(row["external_id"])),
        )

    # -- beneficiaries ---------------------------------------------------------------------

    async def update_followup(self, person_id: int, **changes: Any) -> None:
        """Change some follow-up columns (cv_status, cv_note, cv_checked_by, cv_checked_at,
        searching, first_contact_at, assessment_done_at, cv_done_at, cv_sent_back_by)."""
        allowed = {
            "cv_status",
            "cv_note",
            "cv_sent_back_by",
            "cv_checked_by",
            "cv_checked_at",
            "searching",
            "first_contact_at",
            "assessment_done_at",
            "cv_done_at",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"unknown follow-up columns {sorted(unknown)}")
        await self._execute(
            "INSERT INTO followup (person_id, updated_at) VALUES (?, ?)"
            " ON CONFLICT (person_id) DO NOTHING",
            (person_id, self._now()),
        )
        sets = ", ".join(f"{name} = ?" for name in changes)
        await self._execute(
            f"UPDATE followup SET {sets}, updated_at = ? WHERE person_id = ?",
            (*changes.values(), self._now(), person_id),
        )

    async def proposable(self, centre: str) -> list[int]:
        """Ids of the people volunteers may propose to employers: CV checked, searching."""
        rows = await self._fetchall(
            "SELECT p.id FROM persons p JOIN followup f ON f.person_id = p.id"
            " WHERE p.centre = ? AND p.consent = 1 AND f.cv_status = 'checked'"
            " AND f.searching = 1 ORDER BY p.id",
            (centre,),
        )
        return [int(r["id"]) for r in rows]

    # -- help requests ---------------------------------------------------------------------

    async def open_help_request(
        self, person_id: int, centre: str, about: str = "talk"
    ) -> int | None:
        """Open a help request, to talk to a volunteer or for an appointment (`about`); None
        when one is already waiting. An appointment asked while a request to talk waits makes
        that request one for an appointment (its id: the team is told what changed); a request
        to talk while one for an appointment waits is already answered by it."""
        if about not in HELP_ABOUT:
            raise ValueError(f"not what a help request is about: {about!r}")
        row = await self._fetchone(
            "SELECT id, about FROM help_requests WHERE person_id = ? AND taken_at IS NULL",
            (person_id,),
        )
        if row is not None:
            if about == "appointment" and row["about"] == "talk":
                await self._execute(
                    "UPDATE help_requests SET about = 'appointment' WHERE id = ?", (row["id"],)
                )
                return int(row["id"])
            return None
        created = await self._fetchone(
            "INSERT INTO help_requests (person_id, centre, created_at, about) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (person_id, centre, self._now(), about),
        )
        assert created is not None
        return int(created["id"])

    async def move_waiting_help(self, person_id: int, centre: str) -> int | None:
        """Give a waiting help request made to another centre to this one (the person's
        centre closed and they chose this one); its id, None when there was none to move."""
        row = await self._fetchone(
            "UPDATE help_requests SET centre = ?"
            " WHERE person_id = ? AND taken_at IS NULL AND centre != ? RETURNING id",
            (centre, person_id, centre),
        )
        return int(row["id"]) if row is not None else None

    async def help_request(self, request_id: int) -> HelpRequest | None:
        """A help request by id."""
        row = await self._fetchone(
            f"SELECT {_HELP_COLUMNS} FROM help_requests h WHERE h.id = ?", (request_id,)
        )
        return _help_request(row) if row is not None else None

    async def waiting_help_request(self, person_id: int) -> HelpRequest | None:
        """The person's help request nobody took yet, if any."""
        row = await self._fetchone(
            f"SELECT {_HELP_COLUMNS} FROM help_requests h"
            " WHERE h.person_id = ? AND h.taken_at IS NULL ORDER BY h.id LIMIT 1",
            (person_id,),
        )
        return _help_request(row) if row is not None else None

    async def waiting_help_count(self, centres: tuple[str, ...]) -> int:
        """How many requests no volunteer took yet at these centres."""
        if not centres:
            return 0
        marks = ", ".join("?" for _ in centres)
        row = await self._fetchone(
            f"SELECT COUNT(*) AS n{_WAITING} AND h.centre IN ({marks})", centres
        )
        return int(row["n"]) if row is not None else 0

    async def take_help_request(self, request_id: int, volunteer_id: int) -> bool:
        """Take a request; False when someone took it first."""
        changed = await self._execute(
            "UPDATE help_requests SET taken_by = ?, taken_at = ? WHERE id = ? AND taken_at IS NULL",
            (volunteer_id, self._now(), request_id),
        )
        return changed == 1

    # -- outcomes --------------------------------------------------------------------------

    async def add_outcome(
        self,
        person_id: int,
        centre: str,
        kind: str,
        contract: str | None,
        happened_on: date,
        recorded_by: int | None,
        confirmed: bool,
    ) -> int:
        """Record an outcome; returns its id."""
        row = await self._fetchone(
            "INSERT INTO outcomes (person_id, centre, kind, contract, happened_on, recorded_by,"
            " confirmed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                person_id,
                centre,
                kind,
                contract,
                happened_on.isoformat(),
                recorded_by,
                int(confirmed),
                self._now(),
            ),
        )
        assert row is not None
        return int(row["id"])

    async def outcome(self, outcome_id: int) -> Outcome | None:
        """An outcome by id."""
        row = await self._fetchone(
            "SELECT " + _OUTCOME_COLUMNS + " FROM outcomes WHERE id = ?",
            (outcome_id,),
        )
        return _outcome(row) if row is not None else None

    async def confirm_outcome(self, outcome_id: int, volunteer_id: int) -> bool:
        """Confirm an outcome the person reported; False if it already was, or was declined."""
        changed = await self._execute(
            "UPDATE outcomes SET confirmed = 1, recorded_by = ?"
            " WHERE id = ? AND confirmed = 0 AND declined_at IS NULL",
            (volunteer_id, outcome_id),
        )
        return changed == 1

    async def decline_outcome(self, outcome_id: int, volunteer_id: int) -> bool:
        """Say an outcome the person reported is not confirmed: it never counts and no longer
        waits for a volunteer; False if it was already confirmed or declined."""
        changed = await self._execute(
            "UPDATE outcomes SET declined_at = ?, recorded_by = ?"
            " WHERE id = ? AND confirmed = 0 AND declined_at IS NULL",
            (self._now(), volunteer_id, outcome_id),
        )
        return changed == 1

    async def reported_job_to_confirm(self, person_id: int) -> Outcome | None:
        """The job the person reported that no volunteer confirmed yet, if any."""
        row = await self._fetchone(
            "SELECT " + _OUTCOME_COLUMNS + " FROM outcomes"
            " WHERE person_id = ? AND kind = 'job' AND confirmed = 0 AND recorded_by IS NULL"
            " AND declined_at IS NULL"
            " ORDER BY id DESC LIMIT 1",
            (person_id,),
        )
        return _outcome(row) if row is not None else None

    async def update_reported_job(
        self, outcome_id: int, centre: str, contract: str, happened_on: date
    ) -> None:
        """Replace what an unconfirmed reported job says (the person told it again)."""
        await self._execute(
            "UPDATE outcomes SET centre = ?, contract = ?, happened_on = ?"
            " WHERE id = ? AND confirmed = 0",
            (centre, contract, happened_on.isoformat(), outcome_id),
        )

    # -- audit -----------------------------------------------------------------------------

    async def audit(self, actor_id: int, subject_id: int, action: str) -> None:
        """Log a read of a profile or a CV."""
        await self._execute(
            "INSERT INTO audit_log (actor_id, subject_id, action, at) VALUES (?, ?, ?, ?)",
            (actor_id, subject_id, action, self._now()),
        )

    async def audit_entries(self, limit: int = 20, offset: int = 0) -> list[AuditEntry]:
        """The latest reads, newest first."""
        rows = await self._fetchall(
            "SELECT actor_id, subject_id, action, at FROM audit_log ORDER BY id DESC"
            " LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            AuditEntry(r["actor_id"], r["subject_id"], r["action"], datetime.fromisoformat(r["at"]))
            for r in rows
        ]


def person_from_row(row: sqlite3.Row) -> Person:
    """A Person from a row of the persons table."""
    columns = set(row.keys())  # a Row's `in` looks at values, not column names
    return Person(
        channel=row["channel"],
        external_id=row["external_id"],
        id=int(row["id"]),
        locale=row["locale"],
        consent=None if row["consent"] is None else bool(row["consent"]),
        centre=row["centre"],
        stopped=bool(row["stopped"]),
        blocked=bool(row["blocked"]),
        # only the queries that load a person's own state read the consent's version and date
        consent_version=row["consent_version"] if "consent_version" in columns else None,
        consent_at=maybe_from_text(row["consent_at"]) if "consent_at" in columns else None,
    )


_OUTCOME_COLUMNS = "id, person_id, centre, kind, contract, happened_on, confirmed, declined_at"


def _outcome(row: sqlite3.Row) -> Outcome:
    return Outcome(
        row["id"],
        row["person_id"],
        row["centre"],
        row["kind"],
        row["contract"],
        date.fromisoformat(row["happened_on"]),
        bool(row["confirmed"]),
        declined=row["declined_at"] is not None,
    )
