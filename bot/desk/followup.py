"""What a beneficiary's actions mean for their centre's team: the engine reports effects
(a self-assessment or a CV finished, a CV changed, a help request, a job found)
and this module records them and tells the volunteers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.appointments import requests
from bot.core.domain import Effect, State
from bot.core.i18n import N_, Catalogs
from bot.desk.buttons import build
from bot.desk.domain import CONTRACT_LABELS, profile_name
from bot.desk.notices import Msgid, notify
from bot.storage.database import Tx, to_text

T_HELP_NOTICE = N_("{name} ({centre}) voudrait parler à un bénévole.")
B_TAKE = N_("🙋 Je m'en occupe")
T_JOB_NOTICE = N_("{name} ({centre}) dit avoir trouvé un travail : {contract}. Vous confirmez ?")
B_CONFIRM = N_("✅ Confirmer")
B_DECLINE = N_("❌ Pas confirmé")
T_CORRECTED_NOTICE = N_("{name} ({centre}) a corrigé son CV. Il est à relire.")
B_OPEN = N_("Voir la fiche")


class FollowUpRecorder:
    """Applies the engine's effects inside the event's transaction."""

    def __init__(self, catalogs: Catalogs, admins: tuple[str, ...]) -> None:
        self.catalogs = catalogs
        self.admins = admins

    async def apply(
        self,
        tx: Tx,
        st: State,
        effects: tuple[Effect, ...],
        centre_name: str,
        moment: datetime,
        today: date,
    ) -> None:
        """Record each effect; notify the centre's team where someone must act."""
        person_id = st.person.id
        if person_id is None:
            return
        now = to_text(moment)
        for effect in effects:
            flow = effect.data.get("flow")
            # "erased" needs nothing here: the service erases the person with everything
            if effect.name == "flow_done" and flow == "self_assessment":
                await tx.update_followup(person_id, assessment_done_at=now)
            elif (effect.name == "flow_done" and flow == "cv") or (
                effect.name == "review_changed" and flow == "my_cv"
            ):
                # a new or changed CV must be checked (again) before it goes to employers
                before = await tx.followup_of(person_id)
                await tx.update_followup(person_id, cv_status="to_check", cv_done_at=now)
                if before.cv_status == "to_fix":
                    await self._corrected(tx, st, before.cv_sent_back_by, centre_name)
            elif effect.name == "request_help" and st.person.centre:
                request = await tx.open_help_request(person_id, st.person.centre)
                # one still waiting at a centre that closed since: this centre takes it
                request = request or await tx.move_waiting_help(person_id, st.person.centre)
                if request is not None:
                    await self._tell_team(tx, st, T_HELP_NOTICE, _take(request), centre_name)
            elif effect.name == "request_appointment" and st.person.centre:
                await requests.ask(tx, self.catalogs, self.admins, st.person, st.profile, moment)
            elif effect.name == "report_job" and st.person.centre:
                contract = str(effect.data.get("job_contract") or "unknown")
                if contract not in CONTRACT_LABELS:
                    contract = "unknown"
                started = _date(effect.data.get("job_start")) or today
                outcome = await self._report_job(tx, person_id, st.person.centre, contract, started)
                if outcome is None:
                    continue  # told again: the team already has it to confirm
                await self._tell_team(
                    tx,
                    st,
                    T_JOB_NOTICE,
                    _confirm(outcome),
                    centre_name,
                    contract=CONTRACT_LABELS[contract],
                )

    async def _corrected(
        self, tx: Tx, st: State, sent_back_by: int | None, centre_name: str
    ) -> None:
        """The person corrected the CV a volunteer sent back: that volunteer is told, with a
        button to the person's page; the centre's team when they can no longer see the person
        (left the team, or the person changed centre)."""
        assert st.person.id is not None and st.person.centre is not None
        team = await tx.team_of(st.person.centre)
        sender = await tx.person_by_id(sent_back_by) if sent_back_by is not None else None
        sees = sender is not None and (
            any(m.id == sender.id for m in team) or sender.external_id in self.admins
        )
        if sender is None or not sees:
            await self._tell_team(tx, st, T_CORRECTED_NOTICE, (_open(st.person.id),), centre_name)
            return
        t = self.catalogs.get(sender.locale)
        await notify(
            tx,
            sender,
            T_CORRECTED_NOTICE,
            ((_open(st.person.id),),),
            subject_id=st.person.id,
            name=profile_name(st.profile, st.person.id, t),
            centre=centre_name,
        )

    async def moved(self, tx: Tx, st: State, centre_name: str) -> None:
        """The person chose a new centre (theirs closed): what they asked and did not get yet
        (a help request, a job to confirm) goes to the new centre's team, told once."""
        person_id, centre = st.person.id, st.person.centre
        if person_id is None or centre is None or not st.person.consent:
            return
        request = await tx.move_waiting_help(person_id, centre)
        if request is not None:
            waiting = await tx.help_request(request)
            if waiting is not None and waiting.about == "appointment":
                await requests.tell_team(
                    tx, self.catalogs, self.admins, st.person, st.profile, request
                )
            else:
                await self._tell_team(tx, st, T_HELP_NOTICE, _take(request), centre_name)
        job = await tx.reported_job_to_confirm(person_id)
        if job is not None and job.centre != centre:
            contract = job.contract if job.contract in CONTRACT_LABELS else "unknown"
            await tx.update_reported_job(job.id, centre, contract, job.happened_on)
            await self._tell_team(
                tx,
                st,
                T_JOB_NOTICE,
                _confirm(job.id),
                centre_name,
                contract=CONTRACT_LABELS[contract],
            )

    async def _report_job(
        self, tx: Tx, person_id: int, centre: str, contract: str, started: date
    ) -> int | None:
        """Record a job the person reports; None when it only updates one still to confirm
        (the same report sent again makes one outcome and one notice, not one each time)."""
        pending = await tx.reported_job_to_confirm(person_id)
        if pending is None:
            return await tx.add_outcome(person_id, centre, "job", contract, started, None, False)
        await tx.update_reported_job(pending.id, centre, contract, started)
        # a person who moved since is confirmed by their new centre: tell that team once
        return pending.id if pending.centre != centre else None

    async def _tell_team(
        self,
        tx: Tx,
        st: State,
        msgid: str,
        row: tuple[tuple[str, str], ...],
        centre_name: str,
        **params: object,
    ) -> None:
        """Notify the centre's volunteers; the admins when the centre has none yet."""
        assert st.person.centre is not None
        team = await tx.team_of(st.person.centre)
        if not team:
            team = await tx.persons_by_external_ids(self.admins)
        for member in team:
            if member.id == st.person.id:
                continue  # a volunteer who is also helped is not asked to handle their own case
            t = self.catalogs.get(member.locale)
            name = profile_name(st.profile, st.person.id or 0, t)
            contract = params.get("contract")
            # the contract's label is translated at delivery, in the member's language then
            extra: dict[str, Any] = {"contract": Msgid(str(contract))} if contract else {}
            await notify(
                tx,
                member,
                msgid,
                (row,),
                subject_id=st.person.id,
                name=name,
                centre=centre_name,
                **extra,
            )


def _open(person_id: int) -> tuple[str, str]:
    """A button to a person's page (label msgid, data)."""
    return (B_OPEN, build("p", person_id))


def _take(request: int) -> tuple[tuple[str, str], ...]:
    """The button of a help request's notice (label msgid, data)."""
    return ((B_TAKE, build("h", request)),)


def _confirm(outcome: int) -> tuple[tuple[str, str], ...]:
    """The buttons of a reported job's notice: confirm it, or not."""
    return ((B_CONFIRM, build("cf", outcome)), (B_DECLINE, build("cn", outcome)))


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
