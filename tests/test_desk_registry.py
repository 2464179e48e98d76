"""The desk's registry: every command and button is registered by one capability with the role
it needs; the app's menu comes from it; button data is built and read in one place; and each
capability stands alone (none imports another)."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.core.domain import EventKind, Inbound
from bot.desk import buttons
from bot.desk.buttons import Arg
from bot.desk.desk import CAPABILITIES, REGISTRY, TEAM_COMMANDS, team_command_names
from bot.desk.domain import Role
from bot.desk.router import Need, Registry, Router, person
from bot.flows.loader import load_flows
from bot.flows.model import FlowError
from bot.service import Relais
from tests.test_desk_ids import NOT_IDS
from tests.test_volunteers import join

ROOT = Path(__file__).resolve().parent.parent
CAPABILITY_MODULES = (
    "people",
    "cv_check",
    "exchanges",
    "help_requests",
    "outcomes",
    "statistics",
    "centres",
    "audit",
    "invitations",
    "team",
    "menu",
)
VOLUNTEER = (Role("paris11", "volunteer"),)
COORDINATOR = (Role("lyon", "volunteer"), Role("paris11", "coordinator"))


async def nothing(ctx, call) -> None:  # a handler for registrations that never run
    return None


def test_every_command_and_button_has_a_role_and_one_owner() -> None:
    routes = [*REGISTRY.commands.values(), *REGISTRY.buttons.values(), *REGISTRY.flows.values()]
    assert routes and all(isinstance(r.need, Need) for r in routes)
    owners = [c.name for router in CAPABILITIES for c in router.commands]
    assert sorted(owners) == sorted(REGISTRY.commands)
    assert set(REGISTRY.commands) == {
        "people",
        "requests",
        "person",
        "invite",
        "stats",
        "team",
        "audit",
        "centre",
        "cancel",
        "write",
        "rdv",
        "agenda",
        "offre",  # job offers (issue 13): enter one, list them
        "offres",
    }
    assert all(buttons.VERB.match(verb) for verb in REGISTRY.buttons)
    assert set(REGISTRY.flows) == {
        "desk_note",
        "desk_outcome",
        "desk_message",
        "desk_cv",
        "desk_appointment",
        "desk_offer",  # job offers (issue 13), about no person
    }
    REGISTRY.check_flows(load_flows(ROOT / "flows"))


def test_the_menu_lists_exactly_the_commands_a_role_may_use() -> None:
    assert team_command_names(()) == []
    # appointments (issue 12): the agenda, and /rdv <n°> to book one
    # job offers (issue 13): /offres, /offre
    assert team_command_names(VOLUNTEER) == [
        "people",
        "requests",
        "agenda",
        "offres",
        "offre",
        "person",
        "rdv",
    ]
    assert team_command_names(COORDINATOR) == [
        "people",
        "requests",
        "agenda",
        "offres",
        "offre",
        "person",
        "rdv",
        "invite",
        "stats",
        "team",
    ]
    for roles, need in ((VOLUNTEER, Need.VOLUNTEER), (COORDINATOR, Need.COORDINATOR)):
        may = [n for n, c in REGISTRY.commands.items() if c.need <= need and c.menu]
        assert sorted(team_command_names(roles)) == sorted(may)
    # the mapping the Telegram channel reads: every menu command and its line, nothing else
    assert list(TEAM_COMMANDS) == [
        "people",
        "requests",
        "agenda",
        "offres",
        "offre",
        "person",
        "rdv",
        "invite",
        "stats",
        "team",
    ]
    assert all(REGISTRY.commands[n].menu == text for n, text in TEAM_COMMANDS.items())


def test_registering_mistakes_are_refused_at_start() -> None:
    one, two = Router("one"), Router("two")
    one.button("p", Need.VOLUNTEER)(nothing)
    two.button("p", Need.ADMIN)(nothing)
    with pytest.raises(ValueError, match="'p' is registered twice"):
        Registry((one, two))
    with pytest.raises(ValueError, match="1 to 3 letters"):
        Router("bad").button("V:x", Need.VOLUNTEER)
    with pytest.raises(ValueError, match="first arg an id"):
        Router("bad").button("zz", Need.VOLUNTEER, args=(Arg.WORD,), about=person)
    missing = Router("housing")  # (desk_offer, the example until job offers, exists now)
    missing.flow("desk_housing", Need.VOLUNTEER)(nothing)
    with pytest.raises(FlowError, match=r"desk_housing\.toml"):
        Registry((missing,)).check_flows(load_flows(ROOT / "flows"))
    beneficiaries = Router("wrong")
    beneficiaries.flow("found_job", Need.VOLUNTEER)(nothing)  # not a desk flow
    with pytest.raises(FlowError, match='role = "desk"'):
        Registry((beneficiaries,)).check_flows(load_flows(ROOT / "flows"))


def test_button_data_is_built_and_read_in_one_place() -> None:
    data = buttons.build("sc", date(2026, 1, 1), date(2026, 1, 1))
    assert data == "V:sc:2026-01-01:2026-01-01"
    assert buttons.split(data) == ("sc", ("2026-01-01", "2026-01-01"))
    assert buttons.read((Arg.WORD, Arg.ID), ("all", "0042")) == ("all", 42)
    for text in NOT_IDS:
        assert buttons.read((Arg.ID,), (text,)) is None, text
    assert buttons.read((Arg.ID,), ("1", "2")) is None  # one argument too many
    assert buttons.read((Arg.WORD,), ("Paris",)) is None
    assert buttons.read((Arg.DAY,), ("2026-02-30",)) is None
    with pytest.raises(ValueError, match="64 bytes"):
        buttons.build("iv", "a" * 32, "b" * 32)
    with pytest.raises(ValueError):
        buttons.build("p", "1:2")
    assert buttons.is_desk("V") and buttons.is_desk("V:p:1") and not buttons.is_desk("3:v:yes")


async def test_an_unregistered_verb_or_a_missing_role_is_refused_kindly(relais: Relais) -> None:
    marie = await join(relais, "marie", "paris11")
    for data in ("V:zz:1", "V:ok:1:job", "V:od:today", "V", "V:"):
        await marie.send(Inbound(EventKind.BUTTON, data=data))
        assert marie.text == "Ce bouton ne marche plus. Voici la question en cours.", data
    # a coordinator's button pressed by a volunteer: as a stale button; a command: said so
    for data in ("V:sc:2026-01-01:2026-06-30", "V:iv:paris11:volunteer", "V:ty:1"):
        await marie.send(Inbound(EventKind.BUTTON, data=data))
        assert "Ce bouton ne marche plus" in marie.text, data
    # a command: which role it needs is said (a beneficiary gets "unknown command" instead)
    for command in ("stats", "invite", "team"):
        await marie.send(Inbound(EventKind.COMMAND, command=command))
        assert marie.text == "Cette commande est réservée aux coordinateurs de centre.", command
    for command in ("audit", "centre"):
        await marie.send(Inbound(EventKind.COMMAND, command=command))
        assert marie.text == "Cette commande est réservée aux administrateurs.", command


def _desk_imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / "bot" / "desk" / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found |= {n.split(".")[2] for n in names if n.startswith("bot.desk.")}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("bot.desk.")}
    return found


@pytest.mark.parametrize("module", CAPABILITY_MODULES)
def test_each_capability_stands_alone(module: str) -> None:
    others = set(CAPABILITY_MODULES) - {module}
    assert _desk_imports(module) & others == set()
    # imported on its own, it brings no other capability with it, and registers its routes
    probe = (
        f"import sys, bot.desk.{module} as m; "
        f"loaded = {{n.rsplit('.', 1)[-1] for n in sys.modules if n.startswith('bot.desk.')}}; "
        f"print(sorted(loaded & set({sorted(others)!r}))); "
        "r = m.router; print(len(r.commands) + len(r.buttons) + len(r.flows))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    assert out[0] == "[]" and int(out[1]) > 0, out
