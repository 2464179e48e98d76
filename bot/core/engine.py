"""The conversation engine: (state, inbound event) -> (new state, reply). No I/O, no platform."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.core import answers
from bot.core.domain import Button, Effect, EventKind, Frame, Inbound, Message, Reply, State
from bot.core.i18n import N_, Catalogs, Translator
from bot.core.render import (
    B_BACK,
    B_CANCEL,
    B_NO,
    B_SKIP,
    B_SKIPPED,
    B_YES,
    Renderer,
    answer_lookup,
    current_answer,
    current_item,
)
from bot.core.review import Reviewer, Screen, saved_items
from bot.core.world import World
from bot.flows.model import RELATIVE_DAY, Flow, FlowSet, Step

# Texts of the engine itself; flows carry their own.
T_STALE = N_("Ce bouton ne marche plus. Voici la question en cours.")
T_MEDIA = N_(
    "Je ne peux pas lire les photos, les sons ou les autocollants. "
    "Écrivez votre réponse avec le clavier, s'il vous plaît."
)
T_UNKNOWN_COMMAND = N_(
    "Je ne connais pas cette commande. Vous pouvez écrire /menu, /help, /language ou /stop."
)
T_CHOOSE = N_("Je n'ai pas compris. Choisissez une réponse avec les boutons, s'il vous plaît.")
T_FIRST = N_("Vous êtes déjà à la première question.")
T_MENU_HINT = N_("Choisissez dans le menu avec les boutons, s'il vous plaît.")
T_RESUME = N_("On reprend là où vous en étiez.")
T_HELP = N_(
    "Je suis Relais. Je vous aide à chercher du travail avec les bénévoles de votre centre.\n"
    "Répondez avec les boutons, ou en écrivant.\n"
    "/menu : voir le menu\n"
    "/help : de l'aide sur la question\n"
    "/language : changer de langue\n"
    "/stop : ne plus recevoir de messages"
)
T_STOPPED = N_("D'accord. Relais ne vous enverra plus de messages. Pour revenir, écrivez /start.")
T_SAVED = N_("C'est enregistré.")
T_NOT_CHANGED = N_("D'accord, rien n'a changé.")
T_DELETED = N_("C'est supprimé.")
T_LIST_FULL = N_(
    "Vous en avez déjà {n} : c'est le maximum. Supprimez-en un pour en ajouter un autre."
)
T_CV_PDF = N_("Voici votre CV, en français.")
T_CV_JSON = N_(
    "Voici les données de votre CV au format JSON Resume, pour d'autres sites ou logiciels."
)
T_MY_DATA_TXT = N_("Voici tout ce que Relais garde sur vous, dans un fichier à lire.")
T_MY_DATA_JSON = N_(
    "Et les mêmes données au format JSON, pour les donner à un autre service si vous le voulez."
)
T_NOTICE_CHANGED = N_(
    "Ce que je fais de vos informations a changé. Lisez, s'il vous plaît, puis dites-moi si vous "
    "êtes d'accord."
)
T_RECONSENTED = N_("Merci ! On continue.")
DOCUMENT_TEXTS = {
    "cv_pdf": T_CV_PDF,
    "cv_json": T_CV_JSON,
    "my_data_txt": T_MY_DATA_TXT,
    "my_data_json": T_MY_DATA_JSON,
}
MAX_INPUT = 4096  # longer text is cut before parsing: no answer type accepts more


@dataclass
class _Out:
    """The reply being built while handling one event."""

    messages: list[Message] = field(default_factory=list)
    echo: str | None = None
    edit: Message | None = None
    effects: list[Effect] = field(default_factory=list)


class Engine:
    """Runs people through flows. Holds only read-only configuration: what an event needs of
    the world (now, time zone, open centres, languages) comes with the event."""

    def __init__(self, flows: FlowSet, catalogs: Catalogs) -> None:
        self.flows = flows
        self.catalogs = catalogs

    def renderer(self, world: World) -> Renderer:
        """Questions, menus and answers as shown in this world."""
        return Renderer(self.flows, self.catalogs, world)

    def handle(self, state: State, event: Inbound, world: World) -> tuple[State, Reply]:
        """Answer one event; the given state is not modified, the new one is returned."""
        return _Turn(self.flows, self.renderer(world)).handle(state, event)

    def resume(self, state: State, world: World) -> tuple[State, Reply]:
        """The person's current question asked again, after something else spoke (a button
        on a message Relais started); the menu when no question is in progress."""
        return _Turn(self.flows, self.renderer(world)).resume(state)

    def start_desk_flow(
        self, state: State, flow_id: str, given: dict[str, Any], world: World
    ) -> tuple[State, Reply]:
        """Open a desk flow for a volunteer (the desk calls this after checking access)."""
        return _Turn(self.flows, self.renderer(world)).start_desk_flow(state, flow_id, given)


class _Turn:
    """One event's answer being worked out, with the world it happens in."""

    def __init__(self, flows: FlowSet, render: Renderer) -> None:
        self.flows = flows
        self.render = render
        self.review = Reviewer(flows, render)

    # -- entry point ---------------------------------------------------------------------

    def handle(self, state: State, event: Inbound) -> tuple[State, Reply]:
        """Answer one event; the given state is not modified, the new one is returned."""
        st = copy.deepcopy(state)
        self._repair(st)
        out = _Out()
        if self._notice_first(st, event, out):
            pass  # the changed notice comes before anything else
        elif event.kind == EventKind.COMMAND:
            self._command(st, event.command, out)
        elif event.kind == EventKind.BUTTON:
            self._button(st, event.data, out)
        elif event.kind == EventKind.MEDIA:
            self._say(st, out, T_MEDIA)
            self._prompt_again(st, out)
        else:
            self._text(st, event.text[:MAX_INPUT], out)
        return st, Reply(tuple(out.messages), out.echo, out.edit, tuple(out.effects))

    def resume(self, state: State) -> tuple[State, Reply]:
        """The current question asked again (the menu when none is in progress)."""
        st = copy.deepcopy(state)
        self._repair(st)
        out = _Out()
        if st.session.current is not None:
            self._prompt_again(st, out)
        else:
            self._after_flows(st, out)  # at the menu: the menu again, to go on from there
        return st, Reply(tuple(out.messages))

    def start_desk_flow(
        self, state: State, flow_id: str, given: dict[str, Any]
    ) -> tuple[State, Reply]:
        """Open a desk flow (role "desk") for a volunteer, with what the desk gives it (the
        person it is about). Only the desk calls this, after checking access: nothing a person
        sends opens one. What was in progress is left as /menu leaves it."""
        flow = self.flows.desk_flow(flow_id)
        if flow is None:
            raise LookupError(f"no desk flow {flow_id!r}")  # checked when the desk is built
        st = copy.deepcopy(state)
        self._repair(st)
        out = _Out()
        self._pause_all(st)
        frame = Frame(flow=flow.id, step=flow.start, answers=copy.deepcopy(given))
        st.session.stack.append(frame)
        self._advance(st, frame, flow.start, out)
        return st, Reply(tuple(out.messages), out.echo, out.edit, tuple(out.effects))

    # -- helpers -------------------------------------------------------------------------

    def tr(self, st: State) -> Translator:
        """The translator for this person's language."""
        return self.render.tr(st)

    def _say(self, st: State, out: _Out, msgid: str, **params: object) -> None:
        t = self.tr(st)
        out.messages.append(Message(t.gettext(msgid, **params), rtl=t.rtl))

    def _flow(self, frame: Frame) -> Flow:
        return self.flows.flows[frame.flow]

    def _step(self, frame: Frame) -> Step:
        return self.flows.flows[frame.flow].steps[frame.step]

    def _repair(self, st: State) -> None:
        """Drop positions that a changed flow file no longer has, keeping the answers."""
        for frame in list(st.session.stack):
            flow = self.flows.flows.get(frame.flow)
            if flow is None or (frame.edit and frame.step not in flow.steps):
                st.session.stack.remove(frame)
            elif frame.step not in flow.steps or not flow.steps[frame.step].is_question:
                frame.step, frame.history, frame.selected = flow.start, [], []
            elif any(h not in flow.steps for h in frame.history):
                frame.history = [h for h in frame.history if h in flow.steps]
        for key, frame in list(st.session.paused.items()):
            flow = self.flows.flows.get(frame.flow)
            if flow is None:
                del st.session.paused[key]
            elif frame.step not in flow.steps or not flow.steps[frame.step].is_question:
                frame.step, frame.history, frame.selected = flow.start, [], []

    # -- a changed notice ----------------------------------------------------------------

    def _notice_changed(self, st: State) -> bool:
        """The person agreed to an older version of the notice than the flow file's."""
        version = self.flows.consent_version
        return bool(st.person.consent and version and st.person.consent_version != version)

    def _notice_first(self, st: State, event: Inbound, out: _Out) -> bool:
        """Show a changed notice and its yes/no before anything else; True when it answered.

        /stop still works; while the question is open, /menu and /start only ask it again.
        """
        if not self._notice_changed(st) or (
            event.kind == EventKind.COMMAND and event.command == "stop"
        ):
            return False
        if event.kind == EventKind.COMMAND and event.command == "start":
            st.person.stopped = False
        frame = st.session.current
        if frame is not None and frame.reconsent:
            if event.kind == EventKind.COMMAND and event.command in ("menu", "start"):
                self._prompt_again(st, out)
                return True
            return False
        if any(f.reconsent for f in st.session.stack):
            return False  # e.g. choosing a language on top of it
        onboarding = self.flows.by_role("onboarding")
        # an onboarding left midway (agreed to the old notice) makes way for the new one
        st.session.stack = [f for f in st.session.stack if f.flow != onboarding.id]
        start = onboarding.notice or onboarding.start
        frame = Frame(flow=onboarding.id, step=start, reconsent=True)
        st.session.stack.append(frame)
        self._say(st, out, T_NOTICE_CHANGED)
        self._advance(st, frame, start, out)
        return True

    def _answered_notice(self, st: State, frame: Frame, agreed: bool, out: _Out) -> bool:
        """The changed notice was answered: yes goes back to what the person was doing (True);
        no withdraws consent as a refusal does, and the flow goes on to say so (False)."""
        if agreed:
            st.session.stack.remove(frame)
            self._say(st, out, T_RECONSENTED)
            self._prompt_again(st, out, changed=True)
            return True
        st.session.stack = [frame]  # nothing else goes on without consent
        self._erase(st, frame)
        # what was kept under the old notice goes; the person stays as one who said no
        out.effects.append(Effect("erased", {"refused": True}))
        return False

    # -- commands ------------------------------------------------------------------------

    def _command(self, st: State, command: str, out: _Out) -> None:
        session = st.session
        if command == "start":
            st.person.stopped = False
            if session.current:
                self._prompt_again(st, out)
            else:
                self._after_flows(st, out)
        elif command == "menu":
            if st.person.locale is None:
                self._prompt_again(st, out)  # no menu before a language is chosen
            else:
                self._pause_all(st)
                self._menu(st, out)
        elif command == "help":
            self._say(st, out, T_HELP)
            frame = session.current
            if frame and self._step(frame).help:
                self._say(st, out, self._step(frame).help)
            self._prompt_again(st, out)
        elif command == "language":
            language_flow = self.flows.by_role("language")
            if session.current and session.current.flow == language_flow.id:
                self._prompt_again(st, out)
            else:
                self._start_flow(st, language_flow, out)
        elif command == "stop":
            st.person.stopped = True
            self._pause_all(st)
            self._say(st, out, T_STOPPED)
        elif command == "back":
            self._back(st, out)
        else:
            self._say(st, out, T_UNKNOWN_COMMAND)
            self._prompt_again(st, out)

    def _pause_all(self, st: State) -> None:
        """Leave every flow in progress; its answers wait for the person to come back.

        A correction left midway is dropped: it changes nothing until it is finished.
        """
        for frame in st.session.stack:
            flow = self._flow(frame)
            if flow.role != "language" and flow.remember and not frame.edit and not frame.reconsent:
                st.session.paused[frame.flow] = frame
        st.session.stack = []

    # -- buttons -------------------------------------------------------------------------

    def _button(self, st: State, data: str, out: _Out) -> None:
        seq, _, token = data.partition(":")
        if seq != str(st.session.seq) or not token:
            self._say(st, out, T_STALE)
            self._prompt_again(st, out)
            return
        frame = st.session.current
        if frame is None:
            kind, _, flow_id = token.partition(":")
            flow = self.flows.flows.get(flow_id) if kind == "m" else None
            if flow is None or flow not in self._menu_flows(st):
                self._say(st, out, T_STALE)
                self._menu(st, out)
                return
            out.echo = self.tr(st).gettext(flow.title)
            self._start_flow(st, flow, out)
            return
        step = self._step(frame)
        t = self.tr(st)
        if step.type == "review":
            self._review_press(st, frame, step, token, out, pressed=True)
        elif token == "c" and frame.edit:
            out.echo = t.gettext(B_CANCEL)
            self._cancel_edit(st, frame, out)
        elif token == "b":
            out.echo = t.gettext(B_BACK)
            self._back(st, out)
        elif token == "s" and step.optional:
            out.echo = t.gettext(B_SKIPPED)
            self._accept(st, frame, step, None, out)
        elif token == "d" and step.type == "multi_choice":
            self._finish_multi(st, frame, step, out)
        elif token.startswith("v:"):
            value = token[2:]
            self._pressed_value(st, frame, step, value, out)
        else:
            self._say(st, out, T_STALE)
            self._prompt_again(st, out)

    def _pressed_value(self, st: State, frame: Frame, step: Step, value: str, out: _Out) -> None:
        options = dict(self.render.options(st, step))
        if step.type == "yes_no" and value in ("yes", "no"):
            label = B_YES if value == "yes" else B_NO
            out.echo = self.tr(st).gettext(label)
            self._accept(st, frame, step, value == "yes", out)
        elif step.type == "choice" and value in options:
            out.echo = options[value]
            self._accept(st, frame, step, value, out)
        elif step.type == "date" and value in options:
            out.echo = options[value]
            parsed = self._parse(st, frame, step, value, value, out)
            if parsed is None:
                self._prompt_again(st, out)
            else:
                self._accept(st, frame, step, parsed[0], out)
        elif step.type == "multi_choice" and value in options:
            chosen = frame.selected
            if value in chosen:
                chosen.remove(value)
            else:
                chosen.append(value)
            out.edit = self.render.question(st, frame, step)
        else:
            self._say(st, out, T_STALE)
            self._prompt_again(st, out)

    def _finish_multi(self, st: State, frame: Frame, step: Step, out: _Out) -> None:
        chosen = [v for v, _ in self.render.options(st, step) if v in frame.selected]
        if self._multi_count_ok(st, step, len(chosen), out):
            labels = dict(self.render.options(st, step))
            out.echo = ", ".join(labels[v] for v in chosen) or self.tr(st).gettext(B_SKIPPED)
            self._accept(st, frame, step, chosen, out)
        else:
            self._prompt_again(st, out)

    def _multi_count_ok(self, st: State, step: Step, count: int, out: _Out) -> bool:
        t = self.tr(st)
        if count < step.min_choices:
            text = t.ngettext(
                "Choisissez au moins {n} réponse.",
                "Choisissez au moins {n} réponses.",
                step.min_choices,
            )
        elif count > step.max_choices:
            text = t.ngettext(
                "Choisissez au plus {n} réponse.",
                "Choisissez au plus {n} réponses.",
                step.max_choices,
            )
        else:
            return True
        out.messages.append(Message(text, rtl=t.rtl))
        return False

    # -- typed text ----------------------------------------------------------------------

    def _text(self, st: State, raw: str, out: _Out) -> None:
        frame = st.session.current
        if st.person.locale is None and frame is None:
            self._after_flows(st, out)
            return
        t = self.tr(st)
        typed = answers.normalise_label(raw)
        if frame is None:
            for flow in self._menu_flows(st):
                if typed and typed == answers.normalise_label(t.gettext(flow.title)):
                    self._start_flow(st, flow, out)
                    return
            self._say(st, out, T_MENU_HINT)
            self._menu(st, out)
            return
        step = self._step(frame)
        if step.type == "review":
            screen = self.review.screen(st, frame, step)
            found = _match_options([(tok, label) for label, tok in screen.tokens().items()], typed)
            if len(found) == 1:
                self._review_press(st, frame, step, found[0], out)
            else:
                self._say(st, out, T_CHOOSE)
                self._prompt_again(st, out)
            return
        if frame.edit and typed and typed == answers.normalise_label(t.gettext(B_CANCEL)):
            self._cancel_edit(st, frame, out)
            return
        if typed and typed == answers.normalise_label(t.gettext(B_BACK)):
            self._back(st, out)
            return
        if step.optional and typed and typed == answers.normalise_label(t.gettext(B_SKIP)):
            self._accept(st, frame, step, None, out)
            return
        value = self._parse(st, frame, step, raw, typed, out)
        if value is None:
            self._prompt_again(st, out)
        else:
            self._accept(st, frame, step, value[0], out)

    def _parse(
        self, st: State, frame: Frame, step: Step, raw: str, typed: str, out: _Out
    ) -> tuple[Any] | None:
        """The typed answer as a 1-tuple, or None after saying what is wrong."""
        t = self.tr(st)
        if step.type in ("choice", "multi_choice"):
            options = self.render.options(st, step)
            if step.type == "choice":
                found = _match_options(options, typed)
                if len(found) == 1:
                    return (found[0],)
                self._say(st, out, T_CHOOSE)
                return None
            parts = [p for p in raw.replace(";", ",").split(",") if p.strip()]
            picked: list[str] = []
            for part in parts:
                found = _match_options(options, answers.normalise_label(part))
                if len(found) != 1:
                    self._say(st, out, T_CHOOSE)
                    return None
                if found[0] not in picked:
                    picked.append(found[0])
            if not picked:
                self._say(st, out, T_CHOOSE)
                return None
            if not self._multi_count_ok(st, step, len(picked), out):
                return None
            return ([v for v, _ in options if v in picked],)
        today = self.render.today()
        result: Any
        if step.type == "yes_no":
            # the buttons' words in the person's language, then common yes/no words
            if typed == answers.normalise_label(t.gettext(B_YES)):
                return (True,)
            if typed == answers.normalise_label(t.gettext(B_NO)):
                return (False,)
            result = answers.parse_yes_no(raw)
        elif step.type == "text":
            result = answers.parse_text(raw, step.min_length, step.max_length)
        elif step.type == "number":
            result = answers.parse_number(raw, step.min, step.max, step.integer)
        elif step.type == "date":
            lo, hi = _bound(step.not_before, today), _bound(step.not_after, today)
            # a button's word typed (e.g. "Hier" in Arabic) is the button pressed
            labels = {
                answers.normalise_label(label): v for v, label in self.render.options(st, step)
            }
            result = answers.parse_date(labels.get(typed, raw), today, lo, hi)
            if isinstance(result, date):
                result = result.isoformat()
        elif step.type == "month":
            item = current_item(frame, step)
            first = self._month_bound(step.not_before, today, item)
            last = self._month_bound(step.not_after, today, item)
            result = answers.parse_month(raw, today, first, last)
        elif step.type == "name":
            result = answers.parse_name(raw, step.max_length)
        elif step.type == "phone":
            result = answers.parse_phone(raw)
        elif step.type == "email":
            result = answers.parse_email(raw)
        else:
            result = answers.parse_postcode(raw)
        if isinstance(result, answers.Invalid):
            self._say(st, out, result.reason, **result.params)
            return None
        return (result,)

    def _month_bound(self, spec: str, today: date, item: dict[str, Any] | None) -> str | None:
        """A month bound: "today", a month written in the flow, or another field of the item."""
        if not spec:
            return None
        if spec == "today":
            return f"{today.year:04d}-{today.month:02d}"
        if spec[:1].isdigit():
            return spec
        value = (item or {}).get(spec)
        return value if isinstance(value, str) else None

    # -- moving through a flow -----------------------------------------------------------

    def _accept(self, st: State, frame: Frame, step: Step, value: Any, out: _Out) -> None:
        """Save an answer (None: skipped), then go on to the next step."""
        self._save(st, frame, step, value)
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

    def _save(self, st: State, frame: Frame, step: Step, value: Any) -> None:
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

    def _next(self, st: State, frame: Frame, step: Step) -> str | None:
        lookup = answer_lookup(st, frame, current_item(frame, step))
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

    def _advance(self, st: State, frame: Frame, target: str | None, out: _Out) -> None:
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
            elif step.action in ("request_help", "report_job") and st.person.consent:
                out.effects.append(Effect(step.action, copy.deepcopy(frame.answers)))
            target = self._next(st, frame, step)
        self._end_flow(st, frame, out)

    def _send_document(self, st: State, kind: str, out: _Out) -> None:
        t = self.tr(st)
        out.messages.append(Message(t.gettext(DOCUMENT_TEXTS[kind]), rtl=t.rtl, document=kind))

    def _erase(self, st: State, frame: Frame) -> None:
        st.profile.clear()
        st.person.consent = False
        st.person.consent_version = None
        st.person.consent_at = None
        st.person.centre = None
        st.session.paused.clear()
        for other in st.session.stack:
            other.answers.clear()
        frame.answers.clear()

    def _keep_answers(self, st: State, frame: Frame) -> None:
        """Write this run's answers to the profile (only with consent)."""
        if st.person.consent and self._flow(frame).remember:
            # a redone flow replaces its answers: a question skipped this time is forgotten
            for name in self._flow(frame).saved_fields() - set(frame.answers):
                st.profile.pop(name, None)
            st.profile.update(copy.deepcopy(frame.answers))

    def _end_flow(self, st: State, frame: Frame, out: _Out) -> None:
        """Keep the flow's answers in the profile and go back to what came before."""
        flow = self._flow(frame)
        self._keep_answers(st, frame)
        if st.person.consent and flow.role == "":
            out.effects.append(Effect("flow_done", {"flow": flow.id}))
        st.session.stack.remove(frame)
        st.session.paused.pop(flow.id, None)
        if flow.role == "desk":
            # the desk applies the answers and says what it did; no menu of the beneficiaries'
            answers_given = copy.deepcopy(frame.answers)
            out.effects.append(
                Effect("desk_flow_done", {"flow": flow.id, "answers": answers_given})
            )
            if st.session.current:
                self._prompt_again(st, out, changed=True)
            return
        if st.session.current:
            self._prompt_again(st, out, changed=True)
        else:
            self._after_flows(st, out)

    def _after_flows(self, st: State, out: _Out) -> None:
        """Nothing in progress: set up the language, then consent, then show the menu."""
        if any(e.name == "erased" and not e.data.get("refused") for e in out.effects):
            return  # the person is gone: a menu's buttons would speak for no one
        if st.person.locale is None:
            self._start_flow(st, self.flows.by_role("language"), out)
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

    def _start_flow(self, st: State, flow: Flow, out: _Out) -> None:
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

    def _back(self, st: State, out: _Out) -> None:
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

    def _prompt_again(self, st: State, out: _Out, changed: bool = False) -> None:
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

    # -- rendering -----------------------------------------------------------------------

    def _ask(self, st: State, frame: Frame, step: Step, out: _Out, bump: bool = True) -> None:
        if bump or st.session.seq == 0:
            st.session.seq += 1
        if step.type == "review":
            out.messages.append(self._review_message(st, frame, step))
        else:
            out.messages.append(self.render.question(st, frame, step))

    # -- review and corrections ----------------------------------------------------------

    def _review_message(self, st: State, frame: Frame, step: Step) -> Message:
        screen: Screen = self.review.screen(st, frame, step)
        seq = st.session.seq
        rows = tuple(tuple(Button(c.label, f"{seq}:{c.token}") for c in row) for row in screen.rows)
        return Message(screen.text, rows, rtl=self.tr(st).rtl)

    def _review_press(
        self, st: State, frame: Frame, step: Step, token: str, out: _Out, pressed: bool = False
    ) -> None:
        """Act on a review choice; anything not on the current screen is stale."""
        screen = self.review.screen(st, frame, step)
        labels = {tok: label for label, tok in screen.tokens().items()}
        if token not in labels:
            self._say(st, out, T_STALE)
            self._prompt_again(st, out)
            return
        if pressed:
            out.echo = labels[token]
        view = frame.view
        section = self.review.section(step, frame)
        item = self.review.item_index(st, step, frame)
        if token == "q":
            frame.view = {}
            self._advance(st, frame, self._next(st, frame, step), out)
            return
        if token in ("p", "j"):
            self._send_document(st, "cv_pdf" if token == "p" else "cv_json", out)
        elif token == "b":
            if "i" in view:
                frame.view = {"s": view["s"]}
            else:
                frame.view = {}
        elif token.startswith("g"):
            frame.view = {"s": int(token[1:])}
        elif token.startswith("o"):
            frame.view = {"s": view["s"], "i": int(token[1:])}
        elif token == "x":
            frame.view = {**view, "del": 1}
        elif token in ("v:yes", "v:no") and section is not None and item is not None:
            frame.view = {"s": view["s"]}
            if token == "v:yes":
                items = saved_items(st, section.list)
                del items[item]
                st.profile[section.list] = items
                out.effects.append(Effect("review_changed", {"flow": frame.flow}))
                self._say(st, out, T_DELETED)
        elif token == "a" and section is not None:
            spec = self.flows.list_spec(section.list)
            if spec is not None and len(saved_items(st, section.list)) >= spec.max:
                self._say(st, out, T_LIST_FULL, n=self.tr(st).number(spec.max))
            else:
                self._start_edit(st, frame, step, {"add": view["s"]}, out)
                return
        elif token.startswith("e") and section is not None:
            edit: dict[str, Any] = {"entry": [view["s"], int(token[1:])]}
            if section.list:
                if item is None:
                    self._say(st, out, T_STALE)
                else:
                    edit["item"] = item
            if not section.list or item is not None:
                self._start_edit(st, frame, step, edit, out)
                return
        self._ask(st, frame, step, out)

    def _edit_target(self, step: Step, edit: dict[str, Any]) -> tuple[Flow, Step, list[str]]:
        """Where a correction starts, and the fields it may change ([] when adding an item)."""
        if "add" in edit:
            section = step.sections[edit["add"]]
            flow = self.flows.list_flow(section.list)
            assert flow is not None  # checked when the flows were loaded
            first = next(s for s in flow.list_steps(section.list) if s.new_item)
            return flow, first, []
        s_index, e_index = edit["entry"]
        section = step.sections[s_index]
        entry = section.entries[e_index]
        for flow in self.flows.flows.values():
            for candidate in flow.steps.values():
                if (
                    candidate.saves
                    and candidate.save == entry.fields[0]
                    and candidate.item == section.list
                ):
                    start = flow.steps[entry.edit] if entry.edit else candidate
                    return flow, start, list(entry.fields)
        raise LookupError(f"no step saves {entry.fields[0]!r}")  # checked at load time

    def _start_edit(
        self, st: State, review: Frame, step: Step, edit: dict[str, Any], out: _Out
    ) -> None:
        """Open a correction run on top of the review."""
        flow, start, _ = self._edit_target(step, edit)
        frame = Frame(flow=flow.id, step=start.id, edit={**edit, "review": review.flow})
        if start.item:
            items = saved_items(st, start.item)
            chosen = [copy.deepcopy(items[edit["item"]])] if "item" in edit else []
            frame.answers[start.item] = chosen
        st.session.stack.append(frame)
        _preselect(st, frame, start)
        self._ask(st, frame, start, out)

    def _edit_fields(self, st: State, frame: Frame) -> tuple[Step, list[str]]:
        review_frame = next(f for f in st.session.stack if f.flow == frame.edit["review"])
        review_step = self._step(review_frame)
        _, _, fields = self._edit_target(review_step, frame.edit)
        return review_step, fields

    def _advance_edit(self, st: State, frame: Frame, target: str | None, out: _Out) -> None:
        """Go on through the steps of the entry (or the item being added), then save."""
        flow = self._flow(frame)
        _, fields = self._edit_fields(st, frame)
        first = flow.steps[frame.history[0]] if frame.history else None
        item_list = first.item if first else ""
        guard = 0
        while target is not None and guard <= len(flow.steps):
            guard += 1
            step = flow.steps[target]
            belongs = (
                step.saves and step.save in fields and step.item == item_list
                if fields
                else step.item == item_list and bool(item_list)
            )
            if not belongs:
                break
            if step.is_question:
                frame.step = step.id
                _preselect(st, frame, step)
                self._ask(st, frame, step, out)
                return
            target = self._next(st, frame, step)
        self._finish_edit(st, frame, fields, item_list, out)

    def _finish_edit(
        self, st: State, frame: Frame, fields: list[str], item_list: str, out: _Out
    ) -> None:
        """Write the correction to the saved answers and show the review again."""
        flow = self._flow(frame)
        visited = {flow.steps[h].save for h in frame.history if h in flow.steps}
        if item_list:
            items = saved_items(st, item_list)
            run = frame.answers.get(item_list) or [{}]
            item = run[-1]
            if fields:
                for name in set(fields) - visited:
                    # no longer on the path (e.g. an end date for a job one still has)
                    item.pop(name, None)
                index = frame.edit.get("item", -1)
                if 0 <= index < len(items):
                    items[index] = item
            elif item:
                items.append(item)
            st.profile[item_list] = items
        else:
            for name in fields:
                if name in frame.answers:
                    st.profile[name] = frame.answers[name]
                else:
                    st.profile.pop(name, None)
        out.effects.append(Effect("review_changed", {"flow": frame.edit["review"]}))
        st.session.stack.remove(frame)
        self._say(st, out, T_SAVED)
        self._prompt_again(st, out, changed=True)

    def _cancel_edit(self, st: State, frame: Frame, out: _Out) -> None:
        st.session.stack.remove(frame)
        self._say(st, out, T_NOT_CHANGED)
        self._prompt_again(st, out, changed=True)

    def _menu_flows(self, st: State) -> list[Flow]:
        lookup = answer_lookup(st, None)
        shown = []
        for flow in self.flows.menu_flows():
            if flow.requires_consent and not st.person.consent:
                continue
            if flow.menu_when and not flow.menu_when.holds(lookup):
                continue
            shown.append(flow)
        return shown

    def _menu(self, st: State, out: _Out) -> None:
        centre_flow = self._centre_flow()
        if st.person.consent and st.person.centre is None and centre_flow is not None:
            # the centre closed: its menu (talk to a volunteer, a job found) needs a new one
            self._start_flow(st, centre_flow, out)
            return
        st.session.seq += 1
        out.messages.append(self.render.menu(st, self._menu_flows(st)))


def _preselect(st: State, frame: Frame, step: Step) -> None:
    """A multiple choice asked again starts with the earlier answer ticked."""
    if step.type == "multi_choice":
        earlier = current_answer(st, frame, step)
        frame.selected = list(earlier) if isinstance(earlier, list) else []


def _bound(spec: str, today: date) -> date | None:
    if not spec:
        return None
    days_before = RELATIVE_DAY.match(spec)
    if days_before:
        return today - timedelta(days=int(days_before.group(1)))
    return today if spec == "today" else date.fromisoformat(spec)


MIN_PARTIAL = 4  # letters typed before the start or a word of a label may stand for it


def _match_options(options: list[tuple[str, str]], typed: str) -> list[str]:
    """Values of the options a typed text designates: its number in the list, or its label."""
    if not typed:
        return []
    if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(options):
        return [options[int(typed) - 1][0]]
    labels = [(v, answers.normalise_label(label)) for v, label in options]
    exact = [v for v, label in labels if label == typed]
    if exact:
        return exact
    by_value = [v for v in dict(options) if v == typed]
    if by_value or len(typed) < MIN_PARTIAL:
        return by_value
    # people type the start of a label ("un pe") or its key word ("effacer"): accepted only
    # when it points at one option, never a guess between two
    for partial in (
        [v for v, label in labels if label.startswith(typed)],
        [v for v, label in labels if typed in label.split()],
    ):
        if len(partial) == 1:
            return partial
    return []
