"""Random and hostile input thrown at every flow: the engine never crashes or loses its place."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.core.domain import EventKind, Inbound, Person, Session, State
from bot.core.world import World
from bot.service import build_engine
from tests.conftest import ROOT, fixed_clock

SETTINGS = load_settings(None, env={"RELAIS_DATABASE": ":memory:"})
FLOWS, CATALOGS, ENGINE = build_engine(SETTINGS)
WORLD = World(fixed_clock(), CATALOGS.tz, SETTINGS.centres, tuple(CATALOGS.languages))

hostile_text = st.one_of(
    st.text(max_size=50),
    st.sampled_from(
        [
            "",
            " ",
            "1",
            "99",
            "oui",
            "non",
            "Retour",
            "Passer",
            "0",
            "-1",
            "٣",
            "{x}",
            "%s",
            "\u202e\u202d",
            "\x00",
            "A" * 10_000,
            "🇫🇷👍",
            "مرحبا",
            "31/02/2024",
            "/",
            "//x",
            # words people type for an answer
            "valider",
            "ok",
            "aucun",
            "rien",
            "jsp",
            "pas encor",
            "un peux",
            "deux",
            "так",
            "ні",
            "نعم",
            "j'ai pas d'email",
            "1er décembre",
            "29 février",
        ]
    ),
)
commands = st.sampled_from(["start", "menu", "help", "language", "stop", "back", "x", "START"])


@st.composite
def events(draw: st.DrawFn) -> tuple[str, object]:
    """('press', index into the buttons on screen) or an event built from nothing."""
    kind = draw(st.sampled_from(["press", "press", "press", "text", "command", "media", "forged"]))
    if kind == "press":
        return ("press", draw(st.integers(min_value=0, max_value=12)))
    if kind == "text":
        return ("event", Inbound(EventKind.TEXT, text=draw(hostile_text)))
    if kind == "command":
        return ("event", Inbound(EventKind.COMMAND, command=draw(commands)))
    if kind == "media":
        return ("event", Inbound(EventKind.MEDIA, media="sticker"))
    return ("event", Inbound(EventKind.BUTTON, data=draw(st.text(max_size=70))))


def check_invariants(state: State) -> None:
    flows_in_progress = [f.flow for f in state.session.stack]
    assert len(flows_in_progress) == len(set(flows_in_progress)), flows_in_progress
    for frame in state.session.stack + list(state.session.paused.values()):
        flow = FLOWS.flows[frame.flow]
        assert flow.steps[frame.step].is_question
        assert all(h in flow.steps for h in frame.history)
    # the state must survive the database's JSON round trip
    assert Session.from_json(json.loads(json.dumps(state.session.to_json()))) == state.session
    json.dumps(state.profile)
    if not state.person.consent:
        assert state.profile == {}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events(), min_size=1, max_size=60))
def test_any_sequence_of_events_keeps_a_valid_state(script: list[tuple[str, object]]) -> None:
    state = State(Person(channel="test", external_id="p"))
    buttons: list = []
    for kind, payload in script:
        if kind == "press":
            if not buttons:
                continue
            event = Inbound(EventKind.BUTTON, data=buttons[payload % len(buttons)].data)
        else:
            event = payload
        before = json.dumps(state.session.to_json())
        state, reply = ENGINE.handle(state, event, WORLD)
        assert reply.messages or reply.edit, f"no answer to {event}"
        for message in reply.messages:
            assert message.text.strip()
            assert all(len(b.data.encode()) <= 64 for row in message.buttons for b in row)
        shown = ((reply.edit,) if reply.edit else ()) + reply.messages
        with_buttons = [m for m in shown if m.buttons]
        if with_buttons:
            buttons = [b for row in with_buttons[-1].buttons for b in row]
        check_invariants(state)
        assert before is not None


def test_the_engine_does_not_modify_the_state_it_is_given() -> None:
    state = State(Person(channel="test", external_id="p"))
    copy_before = json.dumps(state.session.to_json())
    ENGINE.handle(state, Inbound(EventKind.COMMAND, command="start"), WORLD)
    assert json.dumps(state.session.to_json()) == copy_before
    assert state.person.locale is None


def test_project_root_is_where_the_flows_are() -> None:
    assert (ROOT / "flows" / "self_assessment.toml").exists()
