"""Shared fixtures: real settings, a real SQLite file, a fixed clock, a conversation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.service import Relais, open_relais
from bot.testing.conversation import Conversation
from bot.testing.moment import NOW, Hands, fixed_clock  # noqa: F401  (NOW, fixed_clock: for the tests that import them from here)

ROOT = Path(__file__).resolve().parent.parent
# The flows every deployment has, whatever else it offers: language, onboarding, the team's
# first steps, the desk's (a CV correction shows the screens of "Mon CV" on the CV flow's
# answers) and the replies to the centre's messages.
DEPLOYMENT_FLOWS = (
    "language",
    "onboarding",
    "team_welcome",
    "desk_note",
    "desk_outcome",
    "desk_message",
    "desk_cv",
    "desk_appointment",
    "desk_offer",  # job offers (issue 13)
    "my_cv",
    "cv",
    "self_assessment",  # the CV reads its answers (no e-mail question after "no e-mail")
    "reply_to_centre",
    "share_phone",
)


def deployment_flows(folder: Path) -> Path:
    """A flows folder with the flows every deployment has (a test adds its own flow)."""
    folder.mkdir(exist_ok=True)
    for name in DEPLOYMENT_FLOWS:
        (folder / f"{name}.toml").write_bytes((ROOT / "flows" / f"{name}.toml").read_bytes())
    return folder


CONFIG_TWO_CENTRES = """
[general]
languages = ["fr", "en", "ar"]

[[centres]]
id = "paris11"
name = "Paris 11e"

[[centres]]
id = "lyon"
name = "Lyon Part-Dieu"
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with two centres and a database file in the test's folder."""
    config = tmp_path / "relais.toml"
    config.write_text(CONFIG_TWO_CENTRES, encoding="utf-8")
    return load_settings(config, env={"RELAIS_DATABASE": str(tmp_path / "relais.sqlite3")})


@pytest.fixture
def hands() -> Hands:
    """The tests' clock, at the tests' moment until a test moves it (`hands.now = …`)."""
    return Hands()


@pytest.fixture
async def relais(settings: Settings, hands: Hands) -> AsyncIterator[Relais]:
    """Relais without a channel, on a real SQLite file, on the tests' clock (`hands`)."""
    app = await open_relais(settings, clock=hands)
    yield app
    await app.close()


@pytest.fixture
def chat(relais: Relais) -> Conversation:
    """A new person talking to Relais."""
    return Conversation(relais)


from tests.e2e_fixtures import emulator, relais_factory  # noqa: E402, F401  (pytest fixtures)
