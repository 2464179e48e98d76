"""Moving through flows: saving an answer, the next step, back, starting and ending flows."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from bot.core.domain import DESK_MENU, Effect, Frame, Message, State
from bot.core.render import answer_lookup, current_answer, current_item, kept_answer
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.texts import DOCUMENT_TEXTS, T_FIRST, T_RESUME
from bot.flows.model import REPLY_ROLE, Flow, Step

if TYPE_CHECKING:
    from bot.core.turn.turn import Turn


class Steps(TurnBase):
    """Moving through flows."""

    def _skip(self: Turn, st: State, frame: Frame, step: Step, out: Out) -> None:
        """Skip ("Passer"): no answer; in a correction, what the CV says stays as it is."""
        self._accept(st, frame, step, kept_answer(st, frame, step), out)

    def _accept(self: Turn, st: State, frame: Frame, step: Step, value: Any, out: Out) -> None:
        """Save an answer (None: skipped), then go on to the next step."""
        self._save(st, frame, step, value)
        if frame.edit:
            self._commit_each(st, frame, step, out)  # a task is saved as soon as it is written
        frame.history.append(step.id)
        frame.selected = []
        answered_notice = frame.reconsent and step.save == "person.consent"
        if answered_notice and self._answered_notice(st, frame, bool(value), out):
            return
        target = self._next(st, frame, step)
        if frame.edit:
            self._advance_edit(st, frame, target, out)
        else:
            self._advance(st, frame, target, out)

    def _save(self: Turn, st: State, frame: Frame, step: Step, value: Any) -> None:
        person = st.person
        if step.save == "person.locale":
            person.locale = value
        elif step.save == "person.centre":
            person.centre = value
        elif step.save == "person.consent":
            person.consent = bool(value)
            # what was agreed to, and when; a refusal keeps neither
            person.consent_version = (step.version or None) if value else None
            person.consent_at = self.render.world.now if value else None
        elif step.item:
            items = frame.answers.get(step.item)
            if items is None:
                # a loop run starts a fresh list: a redone flow replaces the old items
                items = frame.answers[step.item] = []
            # a correction fills its one item; only adding one starts a new item
            if (step.new_item and not frame.edit.get("entry")) or not items:
                items.append({})
            if value is None:
                items[-1].pop(step.save, None)
            else:
                items[-1][step.save] = value
        elif value is None:
            frame.answers.pop(step.save, None)
        else:
            frame.answers[step.save] = value

    def _next(self: Turn, st: State, frame: Frame, step: Step) -> str | None:
        lookup = answer_lookup(st, frame, current_item(frame, step), self.render.world)
        flow = self._flow(frame)
        for branch in step.next:
            if branch.when and not branch.when.holds(lookup):
                continue
            target = flow.steps[branch.goto]
            if target.new_item:
                spec = flow.lists[target.item]
                if len(frame.answers.get(target.item) or []) >= spec.max:
                    continue  # the loop is full: fall through to the next branch
            return branch.goto
        return None

    def _advance(self: Turn, st: State, frame: Frame, target: str | None, out: Out) -> None:
        """Play message and action steps from `target` until a question or the end."""
        flow = self._flow(frame)
        guard = 0
        while target is not None:
            guard += 1
            if guard > len(flow.steps) + 1:
                target = None  # a cycle of messages only: the loader cannot see it; end the flow
                break
            step = flow.steps[target]
            known = answer_lookup(st, frame)(step.save) if step.reuse else None
            if step.reuse and known not in (None, "", []):
                frame.answers[step.save] = known  # already answered elsewhere: not asked twice
            elif step.is_question:
                frame.step = step.id
                self._ask(st, frame, step, out)
                return
            elif step.type == "message":
                text = self.render.message_text(st, frame, step)
                if text:
                    out.messages.append(Message(text, rtl=self.tr(st).rtl))
            elif step.action == "erase_data":
                self._erase(st, frame)
                out.effects.append(Effect("erased"))
            elif step.action == "send_cv":
                self._keep_answers(st, frame)  # the document is made from the saved answers
                self._send_document(st, "cv_pdf", out)
            elif step.action == "send_my_data":
                self._send_document(st, "my_data_txt", out)
                self._send_document(st, "my_data_json", out)
            elif (
                step.action in ("request_help", "report_job", "request_appointment")
                and st.person.consent
            ):
                out.effects.append(Effect(step.action, copy.deepcopy(frame.answers)))
            elif (
                step.action in ("show_appointments", "show_offers", "offers_on", "offers_off")
                and st.person.consent
            ):
                # the service writes them from the database, at this place among the messages
                out.effects.append(Effect(step.action, {"at": len(out.messages)}))
            target = self._next(st, frame, step)
        self._end_flow(st, frame, out)

    def _send_document(self: Turn, st: State, kind: str, out: Out) -> None:
        t = self.tr(st)
        out.messages.append(Message(t.gettext(DOCUMENT_TEXTS[kind]), rtl=t.rtl, document=kind))

    def _erase(self: Turn, st: State, frame: Frame) -> None:
        st.profile.clear()
        st.person.consent = False
        st.person.consent_version = None
        st.person.consent_at = None
        st.person.centre = None
        st.session.paused.clear()
        for other in st.session.stack:
            other.answers.clear()
        frame.answers.clear()

    def _keep_answers(self: Turn, st: State, frame: Frame) -> None:
        """Write this run's answers to the profile (only with consent; a team member's own
        name for their team, given in the flow of role "team", needs none)."""
        flow = self._flow(frame)
        if (st.person.consent or (st.team and flow.role == "team")) and flow.remember:
            # a redone flow replaces its answers: a question skipped this time is forgotten
            for name in self._flow(frame).saved_fields() - set(frame.answers):
                st.profile.pop(name, None)
            st.profile.update(copy.deepcopy(frame.answers))

    def _end_flow(self: Turn, st: State, frame: Frame, out: Out) -> None:
        """Keep the flow's answers in the profile and go back to what came before."""
        flow = self._flow(frame)
        self._keep_answers(st, frame)
        if st.person.consent and flow.role == "":
            out.effects.append(Effect("flow_done", {"flow": flow.id}))
        st.session.stack.remove(frame)
        st.session.paused.pop(flow.id, None)
        if flow.role == REPLY_ROLE:
            self._reply_done(frame, out)  # then the question it came over, or the menu
        if flow.role == "desk":
            # the desk applies the answers and says what it did; no menu of the beneficiaries'
            answers_given = copy.deepcopy(frame.answers)
            out.effects.append(
                Effect("desk_flow_done", {"flow": flow.id, "answers": answers_given})
            )
            if st.session.current:
                self._prompt_again(st, out, changed=True)
            return
        current = st.session.current
        if current is not None and flow.role == REPLY_ROLE and self._given_meanwhile(st, current):
            # the reply gave what the question under it asks ("Donner mon numéro" over the
            # CV's phone question): not asked twice, the flow goes on
            self._advance(st, current, current.step, out)
        elif current is not None:
            self._prompt_again(st, out, changed=True)
        else:
            self._after_flows(st, out)

    def _given_meanwhile(self: Turn, st: State, frame: Frame) -> bool:
        """The question in progress reuses an answer that is now known."""
        step = self._step(frame)
        if not (step.is_question and step.reuse):
            return False
        return answer_lookup(st, frame)(step.save) not in (None, "", [])

    def _after_flows(self: Turn, st: State, out: Out) -> None:
        """Nothing in progress: set up the language, then consent, then show the menu."""
        if any(e.name == "erased" and not e.data.get("refused") for e in out.effects):
            return  # the person is gone: a menu's buttons would speak for no one
        if st.person.locale is None:
            self._start_flow(st, self.flows.by_role("language"), out)
        elif st.team:
            # volunteers: no onboarding; their first name once (role "team"), then their menu
            welcome = self.flows.optional_role("team")
            if welcome is not None and welcome.saved_fields() - set(st.profile):
                self._start_flow(st, welcome, out)
            else:
                out.effects.append(Effect(DESK_MENU))
        elif st.person.consent is None:
            self._start_flow(st, self.flows.by_role("onboarding"), out)
        elif st.person.consent and st.person.centre is None and self._centre_flow() is not None:
            # the centre was closed (or never chosen): choose one before going on
            flow = self._centre_flow()
            assert flow is not None
            self._start_flow(st, flow, out)
        else:
            self._menu(st, out)

    def _centre_flow(self) -> Flow | None:
        flow = self.flows.optional_role("centre")
        return flow if flow is not None and self.render.centres else None

    def _start_flow(self: Turn, st: State, flow: Flow, out: Out) -> None:
        """Open a flow, or resume it where it was left."""
        if any(frame.flow == flow.id for frame in st.session.stack):
            self._prompt_again(st, out)  # already open: one run of a flow at a time
            return
        paused = st.session.paused.pop(flow.id, None)
        if paused is not None and flow.remember:
            st.session.stack.append(paused)
            self._say(st, out, T_RESUME)
            self._prompt_again(st, out, changed=True)
            return
        frame = Frame(flow=flow.id, step=flow.start)
        st.session.stack.append(frame)
        self._advance(st, frame, flow.start, out)

    def _back(self: Turn, st: State, out: Out) -> None:
        frame = st.session.current
        if frame is None:
            self._menu(st, out)
            return
        if not frame.history:
            if frame.edit:
                self._cancel_edit(st, frame, out)
                return
            self._say(st, out, T_FIRST)
            self._prompt_again(st, out)
            return
        previous = self._flow(frame).steps[frame.history.pop()]
        if previous.new_item and frame.answers.get(previous.item):
            frame.answers[previous.item].pop()  # answering it again starts the item again
        frame.step = previous.id
        _preselect(st, frame, previous)
        self._ask(st, frame, previous, out)

    def _prompt_again(self: Turn, st: State, out: Out, changed: bool = False) -> None:
        """Show the current question again (or the menu when nothing is in progress)."""
        frame = st.session.current
        if frame is None:
            self._after_flows(st, out)
            return
        step = self._step(frame)
        if not step.is_question:  # repaired position: replay the flow's opening messages
            self._advance(st, frame, step.id, out)
            return
        self._ask(st, frame, step, out, bump=changed)

    def _ask(self: Turn, st: State, frame: Frame, step: Step, out: Out, bump: bool = True) -> None:
        if bump or st.session.seq == 0:
            st.session.seq += 1
        if step.type == "review":
            out.messages.append(self._review_message(st, frame, step))
        else:
            out.messages.append(self.render.question(st, frame, step))


def _preselect(st: State, frame: Frame, step: Step) -> None:
    """A multiple choice asked again starts with the earlier answer ticked."""
    if step.type == "multi_choice":
        earlier = current_answer(st, frame, step)
        frame.selected = list(earlier) if isinstance(earlier, list) else []
