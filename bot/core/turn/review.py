"""Review screens ("Mon CV") and the correction of one saved answer or item."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from bot.core.domain import Button, Effect, Frame, Message, State
from bot.core.review import Screen, entry_now, saved_items
from bot.core.turn.base import Out, TurnBase
from bot.core.turn.steps import _preselect
from bot.core.turn.texts import (
    T_CHANGED_MEANWHILE,
    T_DELETED,
    T_KEPT_SO_FAR,
    T_LIST_FULL,
    T_NOT_CHANGED,
    T_SAVED,
    T_STALE,
)
from bot.flows.model import Entry, Flow, Step

if TYPE_CHECKING:
    from bot.core.turn.turn import Turn


class Reviews(TurnBase):
    """Review screens ("Mon CV") and the correction of one saved answer or item.."""

    def _review_message(self: Turn, st: State, frame: Frame, step: Step) -> Message:
        screen: Screen = self.review.screen(st, frame, step)
        seq = st.session.seq
        rows = tuple(tuple(Button(c.label, f"{seq}:{c.token}") for c in row) for row in screen.rows)
        return Message(screen.text, rows, rtl=self.tr(st).rtl)

    def _review_press(
        self: Turn, st: State, frame: Frame, step: Step, token: str, out: Out, pressed: bool = False
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
        if token == "p":
            self._send_document(st, "cv_pdf", out)
        elif token == "b":
            if "i" in view:
                frame.view = {"s": view["s"]}
            else:
                frame.view = {}
        elif token.startswith("g"):
            frame.view = {"s": int(token[1:])}
        elif token.startswith("o"):
            frame.view = {"s": view["s"], "i": int(token[1:])}
        elif token == "x" and section is not None:
            # how many there are: one deleted or added meanwhile (by the person or their
            # volunteer) would make this number point at another item
            frame.view = {**view, "del": 1, "n": len(saved_items(st, section.list))}
        elif token in ("v:yes", "v:no") and section is not None and item is not None:
            frame.view = {"s": view["s"]}
            items = saved_items(st, section.list)
            if token == "v:yes" and view.get("n", len(items)) != len(items):
                self._say(st, out, T_CHANGED_MEANWHILE)
            elif token == "v:yes":
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

    def _edit_target(self: Turn, step: Step, edit: dict[str, Any]) -> tuple[Flow, Step, list[str]]:
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
        self: Turn, st: State, review: Frame, step: Step, edit: dict[str, Any], out: Out
    ) -> None:
        """Open a correction run on top of the review."""
        flow, start, _ = self._edit_target(step, edit)
        frame = Frame(flow=flow.id, step=start.id, edit={**edit, "review": review.flow})
        if "entry" in edit:
            frame.edit["was"] = entry_now(st, step, edit)  # compared at each answer
        if start.item:
            items = saved_items(st, start.item)
            chosen = [copy.deepcopy(items[edit["item"]])] if "item" in edit else []
            frame.answers[start.item] = chosen
        st.session.stack.append(frame)
        _preselect(st, frame, start)
        self._ask(st, frame, start, out)

    def _edit_fields(self: Turn, st: State, frame: Frame) -> tuple[Step, list[str]]:
        review_frame = next(f for f in st.session.stack if f.flow == frame.edit["review"])
        review_step = self._step(review_frame)
        _, _, fields = self._edit_target(review_step, frame.edit)
        return review_step, fields

    def _advance_edit(self: Turn, st: State, frame: Frame, target: str | None, out: Out) -> None:
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

    def _edited_meanwhile(self: Turn, st: State, out: Out) -> bool:
        """The answers a correction is changing were changed by someone else since it began
        (a volunteer, or the person): it is dropped, never written over theirs."""
        frame = st.session.current
        if frame is None or "was" not in frame.edit:
            return False
        review = next((f for f in st.session.stack if f.flow == frame.edit["review"]), None)
        if review is None or entry_now(st, self._step(review), frame.edit) == frame.edit["was"]:
            return False
        st.session.stack = [f for f in st.session.stack if not f.edit]
        self._say(st, out, T_CHANGED_MEANWHILE)
        self._prompt_again(st, out, changed=True)
        return True

    def _edit_entry(self: Turn, st: State, frame: Frame) -> Entry | None:
        """The review entry a correction changes (None when it adds an item)."""
        review_frame = next((f for f in st.session.stack if f.flow == frame.edit["review"]), None)
        if review_frame is None or "entry" not in frame.edit:
            return None
        s_index, e_index = frame.edit["entry"]
        return self._step(review_frame).sections[s_index].entries[e_index]

    def _changed(self: Turn, frame: Frame, out: Out) -> None:
        """The saved answers changed: the review's flow says so (once per event)."""
        effect = Effect("review_changed", {"flow": frame.edit["review"]})
        if effect not in out.effects:
            out.effects.append(effect)

    def _commit_each(self: Turn, st: State, frame: Frame, step: Step, out: Out) -> None:
        """In an entry whose fields are changes of their own (`each`), save this answer now."""
        entry = self._edit_entry(st, frame)
        if entry is None or not entry.each or step.save not in entry.fields:
            return
        if step.item:
            items = saved_items(st, step.item)
            index = frame.edit.get("item", -1)
            if not 0 <= index < len(items):
                return
            saved = items[index]
            before = copy.deepcopy(saved)
            run = (frame.answers.get(step.item) or [{}])[-1]
            if step.save in run:
                saved[step.save] = copy.deepcopy(run[step.save])
            else:
                saved.pop(step.save, None)
            st.profile[step.item] = items
            changed = saved != before
        else:
            before = st.profile.get(step.save)
            if step.save in frame.answers:
                st.profile[step.save] = copy.deepcopy(frame.answers[step.save])
            else:
                st.profile.pop(step.save, None)
            changed = st.profile.get(step.save) != before
        if changed:
            frame.edit["changed"] = 1
            self._changed(frame, out)
        review = next(f for f in st.session.stack if f.flow == frame.edit["review"])
        frame.edit["was"] = entry_now(st, self._step(review), frame.edit)  # ours, now

    def _finish_edit(
        self: Turn, st: State, frame: Frame, fields: list[str], item_list: str, out: Out
    ) -> None:
        """Write the correction to the saved answers and show the review again."""
        flow = self._flow(frame)
        visited = {flow.steps[h].save for h in frame.history if h in flow.steps}
        entry = self._edit_entry(st, frame)
        each = entry is not None and entry.each  # saved one by one already
        keys = [item_list] if item_list else fields
        before = copy.deepcopy({name: st.profile.get(name) for name in keys})
        if item_list:
            items = saved_items(st, item_list)
            run = frame.answers.get(item_list) or [{}]
            item = run[-1]
            if fields and not each:
                for name in set(fields) - visited:
                    # no longer on the path (e.g. an end date for a job one still has)
                    item.pop(name, None)
                index = frame.edit.get("item", -1)
                if 0 <= index < len(items):
                    items[index] = item
            elif not fields and item:
                items.append(item)
            st.profile[item_list] = items
        elif not each:
            for name in fields:
                if name in frame.answers:
                    st.profile[name] = frame.answers[name]
                else:
                    st.profile.pop(name, None)
        after = {name: st.profile.get(name) for name in before}
        changed = after != before or bool(frame.edit.get("changed"))
        if changed:
            self._changed(frame, out)
        st.session.stack.remove(frame)
        self._say(st, out, T_SAVED if changed else T_NOT_CHANGED)
        self._prompt_again(st, out, changed=True)

    def _cancel_edit(self: Turn, st: State, frame: Frame, out: Out) -> None:
        """Cancel ("Annuler"): the change being asked is dropped (what an `each` entry saved
        stays)."""
        st.session.stack.remove(frame)
        self._say(st, out, T_KEPT_SO_FAR if frame.edit.get("changed") else T_NOT_CHANGED)
        self._prompt_again(st, out, changed=True)
