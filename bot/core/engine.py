"""The conversation engine: (state, inbound event, world) -> (new state, reply). No I/O, no
platform. Each event is answered by a Turn (bot/core/turn/), with the world it happens in."""

from __future__ import annotations

from typing import Any

from bot.core.domain import EventKind, Inbound, Reply, State
from bot.core.i18n import Catalogs
from bot.core.render import Renderer
from bot.core.turn.turn import Turn
from bot.core.world import World
from bot.flows.model import FlowSet


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
        return Turn(self.flows, self.renderer(world)).handle(state, event)

    def resume(self, state: State, world: World) -> tuple[State, Reply]:
        """The person's current question asked again, after something else spoke (a button
        on a message Relais started); the menu when no question is in progress."""
        return Turn(self.flows, self.renderer(world)).resume(state)

    def start_reply_flow(
        self, state: State, flow_id: str, given: dict[str, Any], world: World
    ) -> tuple[State, Reply]:
        """Open a reply flow over the question in progress (for a button of a message Relais
        started, or text typed at the menu that answers it); `given` comes back when it ends."""
        return Turn(self.flows, self.renderer(world)).start_reply_flow(state, flow_id, given)

    def at_menu_with_free_text(self, state: State, event: Inbound, world: World) -> bool:
        """Whether this event is text typed at the menu (no question in progress) that names
        none of its choices."""
        if event.kind != EventKind.TEXT or state.session.current is not None:
            return False
        if state.person.locale is None:
            return False
        return Turn(self.flows, self.renderer(world)).menu_choice(state, event.text) is None

    def start_desk_flow(
        self, state: State, flow_id: str, given: dict[str, Any], world: World, at: str = ""
    ) -> tuple[State, Reply]:
        """Open a desk flow for a volunteer (the desk calls this after checking access), at
        its start or at the step `at`."""
        turn = Turn(self.flows, self.renderer(world))
        return turn.start_desk_flow(state, flow_id, given, at)
