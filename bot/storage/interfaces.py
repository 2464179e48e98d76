"""The storage's interfaces, one per aggregate: what the rest of Relais may ask of a database.

`Tx` (bot/storage/database.py) implements them all on SQLite; a PostgreSQL backend would
implement `Transaction` the same way. mypy checks that `Tx` conforms (see database.py) and a test
checks that every public method of `Tx` belongs to one aggregate here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.storage.journal import DEFAULT_CHANNEL

if TYPE_CHECKING:
    from bot.appointments.domain import Appointment, NewAppointment
    from bot.core.domain import Centre, Person, State
    from bot.desk.domain import (
        AuditEntry,
        Beneficiary,
        Exchange,
        ExchangeMessage,
        Filter,
        FollowUp,
        HelpRequest,
        Outcome,
        Role,
        TeamMember,
    )
    from bot.offers.domain import Broadcast, Offer, OfferDetails, OfferSend
    from bot.offers.matching import Candidate
    from bot.reach.started import NewStarted, Started
    from bot.storage.corrections import Draft
    from bot.storage.erasure import Gone
    from bot.storage.export import Access, HelpAsked, PersonDates
    from bot.storage.journal import DroppedUpdates, PendingUpdate
    from bot.storage.offer_broadcast import BroadcastCounts, RunningBroadcast
    from bot.storage.offer_desk import OfferFunnel, OfferLine
    from bot.storage.offers import MatchCounts
    from bot.storage.outbox import OutboxItem
    from bot.storage.reach import Silent
    from bot.storage.stats import PeopleCounts


class PeopleReads(Protocol):
    """What is read of people: their state as saved, their answers, their dates."""

    async def state_of(self, channel: str, external_id: str) -> State | None:
        """The person's state as saved (None: they never wrote, or were erased); unlike
        `load_state`, records nothing."""
        ...

    async def persons_by_external_ids(self, external_ids: Iterable[str]) -> list[Person]:
        """The persons with these external ids (admins), on any channel."""
        ...

    async def person_by_id(self, person_id: int) -> Person | None:
        """A person by id, or None."""
        ...

    async def profile_of(self, person_id: int) -> dict[str, Any]:
        """A person's saved answers."""
        ...

    async def person_dates(self, person_id: int) -> PersonDates:
        """When the person first and last wrote."""
        ...


class People(PeopleReads, Protocol):
    """Who talks to Relais: their state (settings, answers, session) and platform ids."""

    async def load_state(self, channel: str, external_id: str) -> State:
        """The person (created if new), their session and profile; records last_seen_at."""
        ...

    async def save_state(self, state: State) -> None:
        """Write the person, session and profile; profile keys no longer present are deleted."""
        ...

    async def find_person(self, channel: str, external_id: str) -> Person | None:
        """The person, or None if they never wrote; does not touch last_seen_at."""
        ...

    async def set_blocked(self, channel: str, external_id: str, blocked: bool) -> None:
        """Record that the person blocked (or unblocked) the bot; unknown persons are ignored."""
        ...


class CorrectionReads(Protocol):
    """What is read of the corrections in progress."""

    async def corrections_about(self, person_id: int) -> int:
        """How many volunteers are in the middle of correcting this person's answers."""
        ...


class Corrections(CorrectionReads, Protocol):
    """A volunteer's corrections of someone's answers (their CV), and the one in progress."""

    async def set_answers(self, person_id: int, values: Mapping[str, Any]) -> None:
        """Write some of a person's saved answers (None: the answer is removed), the others
        left as they are."""
        ...

    async def correction_draft(self, volunteer_id: int) -> Draft | None:
        """The correction this volunteer is in the middle of, if any."""
        ...

    async def keep_correction_draft(
        self, volunteer_id: int, subject_id: int, data: Mapping[str, Any]
    ) -> None:
        """Keep the correction in progress until the volunteer's next message (one per
        volunteer: a new one replaces the last)."""
        ...

    async def drop_correction_draft(self, volunteer_id: int) -> None:
        """The correction is over (saved, cancelled or left)."""
        ...

    async def purge_correction_drafts(self, before: datetime) -> int:
        """Drop corrections left midway before `before` (the volunteer went away)."""
        ...


class Journal(Protocol):
    """Platform updates written before they are acknowledged, handled in fair rounds."""

    async def journal_update(
        self,
        update_id: int,
        payload: dict[str, Any],
        sender: str | None = None,
        *,
        channel: str = DEFAULT_CHANNEL,
    ) -> bool:
        """Record an incoming update and who sent it; False if it was already recorded."""
        ...

    async def next_update_id(self, channel: str) -> int:
        """An id for a channel that numbers nothing itself (the terminal): one above its last."""
        ...

    async def fair_pending_updates(
        self, per_sender: int = 2, limit: int = 64, *, channel: str = DEFAULT_CHANNEL
    ) -> list[PendingUpdate]:
        """One round of updates to handle: each sender's oldest `per_sender` at most, in turns
        (everyone's first, then everyone's second…), oldest first within a turn."""
        ...

    async def drop_pending_updates(
        self, sender: str, *, channel: str = DEFAULT_CHANNEL
    ) -> DroppedUpdates:
        """Mark every pending message and button press of `sender` handled, unread (they sent too
        much at once); chat membership changes are kept, they cost nothing."""
        ...

    async def mark_update_handled(self, update_id: int, *, channel: str = DEFAULT_CHANNEL) -> None:
        """Never handle this update again; its payload (names, text) and sender are dropped."""
        ...

    async def record_update_failure(
        self, update_id: int, max_attempts: int, *, channel: str = DEFAULT_CHANNEL
    ) -> bool:
        """Count a failed try at an update; True once it is set aside (kept, flagged, never tried
        again)."""
        ...

    async def purge_set_aside_updates(self, before: datetime, limit: int | None = None) -> int:
        """Forget updates set aside before `before` (at most `limit`; their payload holds what
        people wrote)."""
        ...

    async def last_update_id(self, *, channel: str = DEFAULT_CHANNEL) -> int | None:
        """The highest update_id ever recorded on `channel` (the next polling offset is this +
        1)."""
        ...

    async def purge_handled_updates(self, before: datetime, limit: int | None = None) -> int:
        """Forget updates handled before `before` (at most `limit`); each channel's latest is
        kept for last_update_id."""
        ...


class Outbox(Protocol):
    """Planned platform calls, sent chat by chat under a lease, by priority."""

    async def enqueue(
        self,
        chat_id: str,
        method: str,
        payload: dict[str, Any],
        not_before: datetime | None = None,
        *,
        subject_id: int | None = None,
        sensitive: bool = False,
        shows: Collection[int] = (),
        channel: str = DEFAULT_CHANNEL,
        priority: int = 0,
    ) -> int:
        """Queue one platform call (due now, or at `not_before`); its outbox id."""
        ...

    async def due_outbox_turns(
        self,
        now: datetime,
        per_chat: int,
        chats: int,
        busy: Collection[str] = (),
        *,
        channel: str = DEFAULT_CHANNEL,
        chat: str | None = None,
        owner: str | None = None,
        horizon: datetime | None = None,
    ) -> list[OutboxItem]:
        """The next turn of up to `chats` chats of `channel` (or only `chat`) not in `busy`: each
        chat's first `per_chat` due items; chats by their best priority, then their oldest due
        item; each chat's items in order."""
        ...

    async def lease_outbox(
        self,
        ids: Collection[int],
        owner: str,
        now: datetime,
        until: datetime,
        horizon: datetime | None = None,
    ) -> list[int]:
        """Take these queued rows for `owner` until `until`, unless another sender holds them."""
        ...

    async def release_outbox(self, owner: str, ids: Collection[int] | None = None) -> int:
        """Give back the leases `owner` holds (on these rows, or all); how many."""
        ...

    async def outbox_lease_owners(self, now: datetime) -> list[str]:
        """The senders holding leases not ended yet (to find those that died)."""
        ...

    async def mark_sent(self, id: int, result: dict[str, Any] | None = None) -> None:
        """The call succeeded; `result` (ids only, never text) is kept, the payload dropped."""
        ...

    async def mark_sent_many(self, sent: Collection[tuple[int, dict[str, Any] | None]]) -> None:
        """Several calls succeeded, each with its result (as `mark_sent`), in few statements."""
        ...

    async def mark_retry(self, id: int, next_at: datetime, error: str) -> None:
        """The call failed for now: try again at `next_at` (only if still queued)."""
        ...

    async def hold_outbox(self, id: int, until: datetime) -> None:
        """Not now (quiet hours): send it from `until` on; not a failure."""
        ...

    async def mark_failed(self, id: int, error: str) -> None:
        """The call failed for good; `error` is an error class or code, never message text."""
        ...

    async def mark_blocked_chat(self, chat_id: str, *, channel: str = DEFAULT_CHANNEL) -> int:
        """Every queued item of this chat becomes 'blocked' (the recipient blocked the bot)."""
        ...

    async def outbox_counts(self) -> dict[str, int]:
        """Number of outbox items in each state (every state present, zeros included)."""
        ...

    async def queued_outbox(self, channel: str, priority: int) -> int:
        """How many calls of this priority wait in a channel's outbox."""
        ...

    async def purge_outbox(self, before: datetime, limit: int | None = None) -> int:
        """Delete items that left the queue (sent, failed, blocked) before `before` (at most
        `limit`, oldest first)."""
        ...


class StartedMessages(Protocol):
    """Messages Relais starts: kind and parameters, priority, dedupe key, lease."""

    async def queue_started(self, new: NewStarted, token: str) -> int | None:
        """Queue a message; its id, or None when one with the same dedupe key exists."""
        ...

    async def lease_due_started(
        self,
        channel: str,
        now: datetime,
        owner: str,
        until: datetime,
        external_id: str | None = None,
        limit: int = 100,
        bulk_backlog: int | None = None,
    ) -> list[Started]:
        """Take up to `limit` due messages for a channel's persons (or one of them), in delivery
        order, for `owner` until `until`: nobody else takes them meanwhile; bulk ones only while
        fewer than `bulk_backlog` bulk calls wait in the channel's outbox."""
        ...

    async def finish_started(self, kept: Collection[int], done: Collection[int]) -> None:
        """Delivered: `kept` (with buttons) wait for a press; `done` go, but one with a dedupe key
        stays as an empty row, so that queueing it again does nothing."""
        ...

    async def drop_started(self, ids: Collection[int]) -> int:
        """Forget messages that will not be delivered (the recipient stopped or blocked)."""
        ...

    async def started_message(self, started_id: int) -> Started | None:
        """A message Relais started, with its recipient (None: no such message any more)."""
        ...

    async def answer_started(self, started_id: int) -> bool:
        """Record the answer to a delivered message; False if it was already answered (or is not
        delivered): a message is answered once."""
        ...

    async def drop_pending_notices(self, person_id: int) -> int:
        """Forget the notices not yet delivered to a person (one just removed from a team must not
        learn more about the people they followed); how many."""
        ...

    async def purge_started(self, before: datetime, now: datetime, limit: int | None = None) -> int:
        """Delete messages queued before `before`, delivered or not (nobody read them in time), and
        answered or expired ones whose buttons no longer work (at most `limit`)."""
        ...

    async def silent_since(
        self, until: datetime, after: datetime, unless_sent: str | None = None
    ) -> list[Silent]:
        """People who can be written to (not stopped, not blocked) whose last message is from
        `after` to `until` (both included); with `unless_sent`, not those who were queued a
        message of that kind since their last message."""
        ...


class Keyboards(Protocol):
    """The numbered choices a chat was last shown, so a typed number presses one."""

    async def store_keyboard(self, channel: str, chat: str, data: Sequence[str]) -> None:
        """Keep the button data a typed number presses in this chat, replacing any earlier; nothing
        is kept for a chat whose person is gone (erased by this very reply)."""
        ...

    async def clear_keyboard(self, channel: str, chat: str) -> None:
        """Forget the chat's numbered keyboard: a newer message showed no numbered choices."""
        ...

    async def stored_keyboard(self, channel: str, chat: str) -> tuple[str, ...]:
        """The button data of the chat's last numbered choices, in order (empty: none)."""
        ...


class CentreReads(Protocol):
    """What is read of the centres."""

    async def active_centres(self) -> tuple[Centre, ...]:
        """The centres people can choose, in the order they were added."""
        ...

    async def open_centres(self) -> tuple[tuple[Centre, ...], frozenset[str]]:
        """`active_centres`, and those of them where nobody has a role, in one read."""
        ...

    async def centre_names(self) -> dict[str, str]:
        """Every centre ever known, removed ones included (their outcomes still count)."""
        ...


class Centres(CentreReads, Protocol):
    """The charity's local sites, configured or added by an admin."""

    async def sync_centres(self, configured: Iterable[Centre]) -> list[str]:
        """Make the configured centres active; remove config centres no longer listed."""
        ...

    async def add_centre(self, centre: Centre) -> bool:
        """Add a centre (or bring a removed one back); False if it is already active."""
        ...

    async def remove_centre(self, centre: str, by: str = "admin") -> int | None:
        """Close a centre (`by` an admin or the configuration): its people keep their answers and
        will choose another centre; its volunteers' roles are revoked (the rows stay, so they can
        be told why, and re-opening the centre does not bring them back). Returns how many people
        it had, None if unknown."""
        ...


class TeamReads(Protocol):
    """What is read of the teams: who has a role where."""

    async def roles_of(self, person_id: int) -> tuple[Role, ...]:
        """The roles of a person in active centres (revoked ones are gone)."""
        ...


class Team(TeamReads, Protocol):
    """Volunteers, coordinators and their invitations."""

    async def had_role(self, person_id: int) -> bool:
        """True when the person was a volunteer of a centre that has since closed (not when they
        were
        removed from a team: they are answered like anyone else)."""
        ...

    async def grant_role(self, person_id: int, centre: str, role: str) -> None:
        """Make a person volunteer or coordinator of a centre (a coordinator stays one); a new
        invitation gives back a role that was taken back, as this invitation says."""
        ...

    async def create_invite(
        self, code_hash: str, centre: str, role: str, created_by: int | None, expires_at: str
    ) -> int:
        """Record a new invitation; returns its id."""
        ...

    async def redeem_invite(self, code_hash: str, person_id: int) -> tuple[str, str] | str:
        """Use an invitation once: (centre, role), or why not: unknown, used, expired."""
        ...

    async def team_of(self, centre: str) -> list[Person]:
        """The volunteers and coordinators of a centre."""
        ...

    async def team_members(self, centres: Iterable[str]) -> list[TeamMember]:
        """The volunteers and coordinators of these centres (roles not taken back), by centre."""
        ...

    async def revoke_roles(self, person_id: int, centres: Iterable[str]) -> int:
        """Take back a person's roles in these centres (removed from the team); how many."""
        ...

    async def drop_queued_about_unseen(self, person_id: int) -> int:
        """Forget the messages still waiting to be sent to this person's chat about people they no
        longer see (one just removed from a team: a help request queued behind a slowed-down chat
        names its author); how many."""
        ...


class FollowUpReads(Protocol):
    """What is read of the follow-up: the lists, a person's."""

    async def list_beneficiaries(
        self,
        centres: tuple[str, ...],
        which: Filter,
        offset: int,
        limit: int,
        exclude: int | None = None,
    ) -> tuple[list[Beneficiary], int]:
        """People of these centres who agreed, newest activity first; and how many in all."""
        ...

    async def followup_of(self, person_id: int) -> FollowUp:
        """A person's follow-up (defaults when nothing was recorded yet)."""
        ...


class FollowUps(FollowUpReads, Protocol):
    """A centre's beneficiaries and how their follow-up goes."""

    async def update_followup(self, person_id: int, **changes: Any) -> None:
        """Change some follow-up columns (cv_status, cv_note, cv_checked_by, cv_checked_at,
        searching, first_contact_at, assessment_done_at, cv_done_at, cv_sent_back_by)."""
        ...

    async def proposable(self, centre: str) -> list[int]:
        """Ids of the people volunteers may propose to employers: CV checked, searching."""
        ...


class HelpRequestReads(Protocol):
    """What is read of help requests: those waiting, a person's."""

    async def waiting_help_requests(
        self, centres: tuple[str, ...], limit: int
    ) -> list[HelpRequest]:
        """The requests no volunteer took yet at these centres, oldest first."""
        ...

    async def help_requests_of(self, person_id: int) -> list[HelpAsked]:
        """The person's requests to talk to a volunteer or for an appointment, oldest first."""
        ...


class HelpRequests(HelpRequestReads, Protocol):
    """Requests to talk to a volunteer, or for an appointment."""

    async def open_help_request(
        self, person_id: int, centre: str, about: str = "talk"
    ) -> int | None:
        """Open a help request, to talk to a volunteer or for an appointment (`about`); None
        when one is already waiting (an appointment asked while a request to talk waits makes
        it one for an appointment: its id)."""
        ...

    async def move_waiting_help(self, person_id: int, centre: str) -> int | None:
        """Give a waiting help request made to another centre to this one (the person's centre
        closed and they chose this one); its id, None when there was none to move."""
        ...

    async def help_request(self, request_id: int) -> HelpRequest | None:
        """A help request by id."""
        ...

    async def waiting_help_request(self, person_id: int) -> HelpRequest | None:
        """The person's help request nobody took yet, if any."""
        ...

    async def waiting_help_count(self, centres: tuple[str, ...]) -> int:
        """How many requests no volunteer took yet at these centres."""
        ...

    async def take_help_request(self, request_id: int, volunteer_id: int) -> bool:
        """Take a request; False when someone took it first."""
        ...


class ExchangeReads(Protocol):
    """What is read of the messages with a centre."""

    async def exchange_messages_of(
        self, person_id: int, limit: int | None = None
    ) -> list[ExchangeMessage]:
        """The messages between a person and their centre, oldest first (the last `limit`)."""
        ...


class Exchanges(ExchangeReads, Protocol):
    """Messages between a volunteer and a person, through Relais."""

    async def open_exchange(self, person_id: int, centre: str, volunteer_id: int) -> Exchange:
        """The exchange in progress between this volunteer and this person, or a new one."""
        ...

    async def latest_open_exchange(self, person_id: int) -> Exchange | None:
        """The person's latest exchange with their centre that neither side ended."""
        ...

    async def exchange(self, exchange_id: int) -> Exchange | None:
        """An exchange by id."""
        ...

    async def add_exchange_message(
        self, exchange: Exchange, from_person: bool, author_id: int | None, text: str
    ) -> None:
        """Keep one message of an exchange, as written."""
        ...

    async def end_exchange(self, exchange_id: int, by: str) -> bool:
        """End an exchange (`by` "person" or "volunteer"); False if it had already ended."""
        ...


class OutcomeReads(Protocol):
    """What is read of outcomes."""

    async def outcomes_of(self, person_id: int) -> list[Outcome]:
        """A person's outcomes, latest first."""
        ...


class Outcomes(OutcomeReads, Protocol):
    """What became of people: a job, a training, a French class…"""

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
        ...

    async def outcome(self, outcome_id: int) -> Outcome | None:
        """An outcome by id."""
        ...

    async def confirm_outcome(self, outcome_id: int, volunteer_id: int) -> bool:
        """Confirm an outcome the person reported; False if it already was, or was declined."""
        ...

    async def decline_outcome(self, outcome_id: int, volunteer_id: int) -> bool:
        """Say an outcome the person reported is not confirmed: it never counts and no longer
        waits for a volunteer; False if it was already confirmed or declined."""
        ...

    async def reported_job_to_confirm(self, person_id: int) -> Outcome | None:
        """The job the person reported that no volunteer confirmed yet, if any."""
        ...

    async def update_reported_job(
        self, outcome_id: int, centre: str, contract: str, happened_on: date
    ) -> None:
        """Replace what an unconfirmed reported job says (the person told it again)."""
        ...


class AuditReads(Protocol):
    """What is read of the audit log about a person."""

    async def audit_about(self, person_id: int) -> list[Access]:
        """Every audit line about the person, oldest first (who did it is left out)."""
        ...


class Audit(AuditReads, Protocol):
    """Who read or changed whose data."""

    async def audit(self, actor_id: int, subject_id: int, action: str) -> None:
        """Log a read of a profile or a CV."""
        ...

    async def audit_entries(self, limit: int = 20, offset: int = 0) -> list[AuditEntry]:
        """The latest reads, newest first."""
        ...

    async def purge_audit(self, before: datetime, limit: int | None = None) -> int:
        """Delete audit lines older than `before` (at most `limit`): the log is kept as long as
        the data."""
        ...


class Stats(Protocol):
    """A centre's figures over a period."""

    async def stats_people(self, centres: tuple[str, ...], start: date, end: date) -> PeopleCounts:
        """People followed by these centres in [start, end], each counted once."""
        ...

    async def stats_people_by_centre(
        self, centres: tuple[str, ...], start: date, end: date
    ) -> dict[str, PeopleCounts]:
        """`stats_people` of each of these centres (zeros included), in one pass over the
        people rather than one per centre."""
        ...

    async def stats_outcomes(
        self, centres: tuple[str, ...], start: date, end: date
    ) -> list[tuple[str, str | None, int]]:
        """(kind, contract, count) of the confirmed outcomes of these centres in [start, end]."""
        ...

    async def stats_back_to_work(self, centres: tuple[str, ...], start: date, end: date) -> int:
        """How many distinct people had a confirmed job outcome of these centres in [start, end]."""
        ...


class Erasure(Protocol):
    """Erasing a person and everything about them; retention."""

    async def erase_person(self, person_id: int, action: str, actor_id: int | None) -> bool:
        """Delete a person and everything about them; keep one id-only audit line saying that it
        happened (`action`: "erased" or "purged"). False if there was no such person."""
        ...

    async def erase_persons(
        self, person_ids: Collection[int], action: str, actor_id: int | None
    ) -> list[int]:
        """`erase_person` for several people at once (the retention purge), with one statement
        a table for all of them; the ids of those who were there."""
        ...

    async def inactive_persons(self, before: datetime, limit: int | None = None) -> list[Gone]:
        """Everyone whose last message is older than `before`, longest silent first (only the
        first `limit`: the purge erases a few at a time)."""
        ...

    def checkpoint_after_commit(self) -> None:
        """Empty the WAL into the database (TRUNCATE) as soon as this transaction commits, before
        any
        other transaction, so that no reply leaves before the copies are gone."""
        ...


class AppointmentReads(Protocol):
    """What is read of appointments."""

    async def appointment(self, appointment_id: int) -> Appointment | None:
        """An appointment by id."""
        ...

    async def appointments_of(
        self, person_id: int, since: datetime | None = None
    ) -> list[Appointment]:
        """A person's appointments (those starting from `since`, if given), soonest first."""
        ...

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
        ...

    async def appointment_counts(
        self, centres: Collection[str], start: datetime, end: datetime
    ) -> dict[str, int]:
        """How the appointments of these centres starting in [start, end) went: "booked",
        "confirmed", "attended", "missed", "cancelled"."""
        ...


class Appointments(AppointmentReads, Protocol):
    """Appointments between a beneficiary and a volunteer, and the reminders queued for them."""

    async def book_appointment(self, new: NewAppointment, booked_by: int | None) -> Appointment:
        """Store a new planned appointment."""
        ...

    async def change_appointment(
        self, appointment_id: int, version: int, new: NewAppointment
    ) -> Appointment | None:
        """New details for a planned appointment still at `version`; None when someone changed
        or ended it meanwhile."""
        ...

    async def end_appointment(
        self, appointment_id: int, state: str, version: int | None = None
    ) -> Appointment | None:
        """A planned appointment becomes cancelled, attended or missed; None when it was no
        longer planned (or changed meanwhile)."""
        ...

    async def correct_attendance(self, appointment_id: int, state: str) -> Appointment | None:
        """Attended ↔ missed, when a volunteer pressed the wrong one; None otherwise."""
        ...

    async def answer_appointment(self, appointment_id: int, version: int, answer: str) -> bool:
        """The person's answer to the planned appointment at `version`; False when it was
        changed or ended meanwhile."""
        ...

    async def later_reminder_due(
        self, started_id: int, appointment_id: int, version: int, now: datetime
    ) -> bool:
        """Whether another reminder of this appointment's version, due after message
        `started_id`, is due by `now` too."""
        ...

    async def latest_answerable(
        self, person_id: int, kinds: Collection[str], since: datetime
    ) -> int | None:
        """The id of the latest message of these kinds delivered to the person since `since`
        whose buttons still wait for an answer."""
        ...

    async def answerable_message(self, appointment_id: int, version: int) -> int | None:
        """The id of the latest message delivered about this version of the appointment whose
        buttons answer it, if any."""
        ...

    async def appointment_told(self, appointment_id: int) -> bool:
        """Whether a message about the appointment (any version) has reached the person."""
        ...

    async def drop_appointment_messages(self, appointment_id: int) -> int:
        """Drop what is still queued about an appointment (its reminders); how many."""
        ...


class OfferReads(Protocol):
    """What is read of job offers, and whom they fit."""

    async def offer(self, offer_id: int) -> Offer | None:
        """An offer by id."""
        ...

    async def offers_of(self, centre: str, states: tuple[str, ...] = ()) -> list[Offer]:
        """A centre's offers (in these states, if given), newest first."""
        ...

    async def offer_match_counts(self, offer: Offer) -> MatchCounts:
        """How many people of its centre the offer fits now, not counting those it was sent to."""
        ...

    async def offer_candidates(
        self, offer: Offer, near: bool = False, limit: int | None = None
    ) -> list[Candidate]:
        """The people the offer fits (near: and those who miss one criterion)."""
        ...

    async def broadcast(self, broadcast_id: int) -> Broadcast | None:
        """A broadcast by id."""
        ...


class OfferDeskReads(Protocol):
    """What volunteers read of their centre's offers: the list and each one's funnel."""

    async def offer_funnel(self, offer_id: int) -> OfferFunnel:
        """What came of one offer: sent, interested, sent to the employer, hired."""
        ...

    async def offer_lines(
        self, centres: Sequence[str], limit: int, offset: int = 0
    ) -> list[OfferLine]:
        """These centres' offers, open ones first, newest first, with their funnel."""
        ...


class OfferDesk(OfferDeskReads, Protocol):
    """What volunteers do to their centre's offers besides the foundation's writes."""

    async def vet_offer(self, offer_id: int, version: int, by: int | None) -> bool:
        """Vet a draft still at `version`; False if it changed meanwhile."""
        ...


class Offers(OfferReads, Protocol):
    """Job offers: entered, vetted, edited, closed, expired; broadcast to whom they fit."""

    async def add_offer(self, centre: str, details: OfferDetails, created_by: int | None) -> Offer:
        """Record a new offer (a draft until vetted)."""
        ...

    async def edit_offer(
        self, offer_id: int, details: OfferDetails, version: int, state: str
    ) -> Offer | None:
        """Rewrite an offer still at `version` (else None); its version grows."""
        ...

    async def set_offer_state(self, offer_id: int, state: str, by: int | None) -> bool:
        """Vet, close or reopen an offer; False if it was already in that state."""
        ...

    async def expire_offers(self, today: date) -> list[int]:
        """Mark expired every open offer whose last day is before `today`."""
        ...

    async def queue_broadcast(
        self,
        offer: Offer,
        volunteer_id: int | None,
        include_unchecked: bool,
        not_before: datetime,
        expires_at: datetime,
    ) -> Broadcast:
        """Queue the offer once for everyone it fits now, at the lowest priority."""
        ...

    async def index_waiting_profiles(self, limit: int) -> int:
        """Index up to `limit` people who answered before offers existed; how many."""
        ...

    async def refresh_offer_profile(self, person_id: int, profile: Mapping[str, Any]) -> None:
        """Rewrite what matching reads of a person from their answers."""
        ...


class OfferSendReads(Protocol):
    """What is read of the offers sent to people and what followed."""

    async def offer_send(self, offer_id: int, person_id: int) -> OfferSend | None:
        """What became of one offer sent to one person (None: never sent to them)."""
        ...

    async def offer_sends_of(self, person_id: int) -> list[OfferSend]:
        """Every offer sent to a person, newest first."""
        ...

    async def offer_candidacies(
        self, offer_id: int, centres: Collection[str], offset: int, limit: int
    ) -> tuple[list[OfferSend], int]:
        """The people still interested in an offer whom a volunteer of `centres` sees, in
        the order they said so: `limit` from `offset`, and how many in all."""
        ...

    async def wants_offers(self, person_id: int) -> bool:
        """Whether a person receives offers (no "Stop offers" in force)."""
        ...

    async def offer_messages_since(self, person_id: int, since: datetime) -> list[datetime]:
        """When each offer message left for a person since `since`, oldest first."""
        ...

    async def offer_message_id(self, offer_id: int, person_id: int) -> int | None:
        """The delivered message that carried an offer to a person."""
        ...

    async def unanswered_offers(self, person_id: int, today: date) -> list[int]:
        """The open offers sent to a person and not answered, newest first."""
        ...

    async def digest_waiting(
        self, today: date, sent_before: datetime, after: int, limit: int
    ) -> tuple[dict[int, list[int]], int | None]:
        """People above `after` with open offers sent and not answered: their offer ids, and
        the last id looked at (None: nobody left)."""
        ...

    async def followups_due(self, before: datetime, limit: int) -> list[tuple[int, int]]:
        """(offer, person) of "interested" answers older than `before`, not asked for news."""
        ...

    async def offers_stats(
        self, centres: Collection[str], start: date, end: date
    ) -> tuple[dict[str, int], dict[str, int]]:
        """The offers' funnel of these centres in [start, end], and offers by source."""
        ...


class OfferSends(OfferSendReads, Protocol):
    """What follows an offer sent: answers, "Stop offers", relay, employer, result."""

    async def answer_offer(self, offer_id: int, person_id: int, answer: str) -> bool:
        """Record "interested" or "declined"; False if it already was the answer."""
        ...

    async def set_offer_reason(self, offer_id: int, person_id: int, reason: str) -> bool:
        """Why "not for me"; False if not declined or already this reason."""
        ...

    async def avoid_in_offers(
        self, person_id: int, sectors: int = 0, slots: int = 0, reach_cut: int | None = None
    ) -> None:
        """Remember what a "not for me" said, for later matching."""
        ...

    async def set_wants_offers(self, person_id: int, receive: bool) -> bool:
        """ "Stop offers" or offers again; False if it was already so."""
        ...

    async def relay_offer(self, offer_id: int, person_id: int, volunteer_id: int | None) -> None:
        """Record the volunteer given an interested candidate."""
        ...

    async def offer_sent_to_employer(self, offer_id: int, person_id: int) -> bool:
        """The candidate was sent to the employer; False if already recorded."""
        ...

    async def offer_result(self, offer_id: int, person_id: int, result: str) -> bool:
        """The result of a candidacy; False if it already was this result."""
        ...

    async def offer_followed_up(self, offer_id: int, person_id: int) -> None:
        """The "any news?" was queued."""
        ...

    async def count_offer_message(self, started_id: int) -> None:
        """Count a message leaving now in its person's weekly cap at once."""
        ...

    async def hold_started(self, started_id: int, until: datetime) -> None:
        """Put a message taken for delivery back in the queue until `until`."""
        ...


class OfferBroadcastReads(Protocol):
    """What the match preview and a broadcast's progress read."""

    async def offer_sent_count(self, offer_id: int) -> int:
        """How many people an offer was queued for so far."""
        ...

    async def offer_near_misses(self, offer: Offer, limit: int) -> list[Candidate]:
        """Up to `limit` people the offer nearly fits (one criterion missed)."""
        ...

    async def broadcast_counts(
        self, broadcast_id: int, now: datetime | None = None
    ) -> BroadcastCounts:
        """Where the people of a broadcast are now: delivered, blocked, not, on their way."""
        ...


class OfferBroadcasts(OfferBroadcastReads, Protocol):
    """A broadcast's progress message and its end."""

    async def running_broadcasts(self) -> list[RunningBroadcast]:
        """The broadcasts not finished yet, with their progress message."""
        ...

    async def set_broadcast_progress(self, broadcast_id: int, outbox_id: int) -> None:
        """Record the outbox row of a broadcast's progress message."""
        ...

    async def finish_broadcast(self, broadcast_id: int) -> bool:
        """Mark a broadcast finished; False if it already was."""
        ...

    async def edit_waiting(self, channel: str, chat: str, message_id: int) -> bool:
        """Whether an edit of this message is still queued."""
        ...

    async def note_offers_in_flight(self, owner: str) -> int:
        """Count the offers a dead sender was holding, with their broadcasts."""
        ...


class Transaction(
    People,
    Corrections,
    Journal,
    Outbox,
    StartedMessages,
    Keyboards,
    Centres,
    Team,
    FollowUps,
    HelpRequests,
    Exchanges,
    Appointments,
    Offers,
    OfferSends,
    OfferBroadcasts,
    OfferDesk,
    Outcomes,
    Audit,
    Stats,
    Erasure,
    Protocol,
):
    """Everything a unit of work may do, inside one transaction."""


class Reading(
    PeopleReads,
    CorrectionReads,
    CentreReads,
    TeamReads,
    FollowUpReads,
    HelpRequestReads,
    ExchangeReads,
    AppointmentReads,
    OfferReads,
    OfferSendReads,
    OfferBroadcastReads,
    OfferDeskReads,
    OutcomeReads,
    AuditReads,
    Stats,
    Protocol,
):
    """Everything a read on the read-only connection may ask (`Storage.reading()`): no method
    of it writes. A transaction can read the same (`Transaction` includes every one)."""
