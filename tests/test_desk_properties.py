"""Random and hostile desk events from a volunteer of Lyon, with a person of Paris in the
database: nothing crashes, and nothing about the Paris person ever reaches the volunteer."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.core.domain import EventKind, Inbound
from bot.service import open_relais
from bot.testing.conversation import Conversation
from tests.conftest import CONFIG_TWO_CENTRES, fixed_clock
from tests.test_flow_cv import CV_FR
from tests.test_volunteers import AMINA_IN_PARIS, join

VERBS = [
    "p",
    "cv",
    "cj",
    "cc",
    "ck",
    "ckf",
    "fx",
    "sr",
    "fc",
    "o",
    "ok",
    "oc",
    "od",
    "h",
    "cf",
    "iv",
]
VERBS += ["sc", "l"]
verbs = st.sampled_from([*VERBS, "tr", "ty", "tn", "x", ""])
argument = st.one_of(
    st.integers(min_value=-2, max_value=12).map(str),
    st.sampled_from(["job", "cdi", "today", "all", "cv", "paris11", "lyon", "coordinator", ""]),
    st.text(max_size=8),
)
desk_events = st.one_of(
    st.builds(
        lambda verb, args: Inbound(EventKind.BUTTON, data=":".join(["V", verb, *args])),
        verbs,
        st.lists(argument, max_size=3),
    ),
    st.builds(
        lambda command, args: Inbound(EventKind.COMMAND, command=command, text=args),
        st.sampled_from(["people", "person", "invite", "stats", "audit", "centre", "join", "team"]),
        st.one_of(st.text(max_size=12), st.integers(0, 12).map(str)),
    ),
    st.builds(lambda text: Inbound(EventKind.TEXT, text=text), st.text(max_size=30)),
)


_SEEDED: dict[str, Path] = {}


def seeded(tmp_path_factory) -> tuple[Path, Path]:
    """(config, database) where Amina (Paris) has a CV and Léo volunteers in Lyon; made once,
    the database copied for each example."""
    if "db" not in _SEEDED:
        folder: Path = tmp_path_factory.mktemp("desk-seed")
        _SEEDED["config"] = folder / "relais.toml"
        _SEEDED["config"].write_text(CONFIG_TWO_CENTRES, encoding="utf-8")
        database = str(folder / "db.sqlite3")
        app_settings = load_settings(_SEEDED["config"], env={"RELAIS_DATABASE": database})

        async def seed() -> None:
            relais = await open_relais(app_settings, clock=fixed_clock)
            try:
                await Conversation(relais, user="amina").play(AMINA_IN_PARIS + CV_FR)
                await join(relais, "leo", "lyon")
            finally:
                await relais.close()

        asyncio.run(seed())
        _SEEDED["db"] = folder / "db.sqlite3"
    return _SEEDED["config"], _SEEDED["db"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(desk_events, min_size=1, max_size=12))
def test_hostile_desk_events_never_crash_nor_leak(tmp_path_factory, events: list[Inbound]) -> None:
    folder: Path = tmp_path_factory.mktemp("desk")
    config, database = seeded(tmp_path_factory)
    shutil.copyfile(database, folder / "db.sqlite3")
    app_settings = load_settings(config, env={"RELAIS_DATABASE": str(folder / "db.sqlite3")})

    async def play() -> None:
        relais = await open_relais(app_settings, clock=fixed_clock)
        try:
            leo = Conversation(relais, user="leo")
            for event in events:
                await leo.send(event)
                for secret in ("Amina", "Benali", "06 12 34 56 78"):
                    assert secret not in leo.text, (event, leo.text)
                for message in (m for r in leo.replies for m in r.messages):
                    if message.document.startswith(("cv_pdf:", "cv_json:")):
                        kind = message.document
                        assert await relais.document("test", "leo", kind) is None
            async with relais.storage.transaction() as tx:
                assert await tx.audit_entries() == []
        finally:
            await relais.close()

    asyncio.run(play())
