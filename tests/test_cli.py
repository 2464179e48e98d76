"""The `relais` command: check, and one clear line when something is wrong."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.testing.moment import NOW
from tests.conftest import ROOT


def relais(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, "RELAIS_CLOCK": NOW.isoformat(), **(env or {})},
        timeout=60,
    )


def test_check_passes_on_the_project() -> None:
    done = relais("check")
    assert done.returncode == 0, done.stdout + done.stderr
    # 13 for beneficiaries (appointments: asked for, and "Mes rendez-vous"), 6 desk flows
    # (appointments: issue 12; job offers: issue 13), 1 for volunteers, 2 reply flows (answers
    # to the centre's messages)
    assert "22 flows" in done.stdout
    assert "languages: fr, en" in done.stdout


def test_check_names_the_broken_flow(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    for name in ("language", "onboarding"):
        (flows / f"{name}.toml").write_bytes((ROOT / "flows" / f"{name}.toml").read_bytes())
    (flows / "demo.toml").write_text(
        'id = "demo"\n[[steps]]\nid = "a"\ntype = "yes_no"\nprompt = "?"\nnext = "b"\n',
        encoding="utf-8",
    )
    done = relais("check", env={"RELAIS_FLOWS_DIR": str(flows)})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"relais: {flows / 'demo.toml'}: step 'a', field 'next': unknown step 'b'"
    ]


def test_check_names_a_desk_flow_the_volunteer_side_needs(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    for name in ("language", "onboarding", "desk_outcome"):
        (flows / f"{name}.toml").write_bytes((ROOT / "flows" / f"{name}.toml").read_bytes())
    done = relais("check", env={"RELAIS_FLOWS_DIR": str(flows)})
    assert done.returncode == 2
    assert "desk_note.toml" in done.stderr and 'role = "desk"' in done.stderr


def test_check_names_a_reply_flow_the_centre_s_messages_need(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", flows)
    (flows / "reply_to_centre.toml").unlink()
    done = relais("check", env={"RELAIS_FLOWS_DIR": str(flows)})
    assert done.returncode == 2
    assert "reply_to_centre.toml" in done.stderr and 'role = "reply"' in done.stderr


def test_a_bad_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    config = tmp_path / "relais.toml"
    config.write_text('[telegram]\npoll_timeout = "abc"\n', encoding="utf-8")
    done = relais("--config", str(config), "chat", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "[telegram] poll_timeout" in lines[0]


def test_run_without_a_token_says_what_is_missing(tmp_path: Path) -> None:
    done = relais("run", cwd=tmp_path)
    assert done.returncode == 2
    assert "RELAIS_TELEGRAM_TOKEN" in done.stderr
    assert not (tmp_path / "relais.sqlite3").exists()


def test_chat_runs_with_no_configuration_in_an_empty_folder(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="2\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
        | {"PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Do you agree?" in done.stdout
    assert (tmp_path / "relais.sqlite3").exists()


def test_the_bot_runs_on_uvloop_where_it_is_installed() -> None:
    # `relais run` only: a busy bot spends less CPU on each call and database trip there
    import asyncio

    from bot.cli import _serve

    seen: list[str] = []

    async def main() -> None:
        seen.append(type(asyncio.get_running_loop()).__module__)

    _serve(main())
    assert seen and seen[0].startswith("uvloop")


OFFERS_CONFIG = """
[[centres]]
id = "paris11"
name = "Paris 11e"
"""


def import_offers(tmp_path: Path, csv_text: str, *flags: str):
    """`relais offers import` of this CSV text for Paris 11e, on a database in tmp_path."""
    config = tmp_path / "relais.toml"
    config.write_text(OFFERS_CONFIG, encoding="utf-8")
    file = tmp_path / "offres.csv"
    file.write_text(csv_text, encoding="utf-8")
    env = {"RELAIS_DATABASE": str(tmp_path / "relais.sqlite3")}
    return relais("--config", str(config), "offers", "import", str(file), *flags, env=env)


def offer_states(tmp_path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(tmp_path / "relais.sqlite3") as db:
        return list(db.execute("SELECT centre, title, state FROM offers ORDER BY id"))


def test_offers_import_reads_the_example_as_drafts_or_vetted(tmp_path: Path) -> None:
    example = (ROOT / "docs" / "offres-exemple.csv").read_text(encoding="utf-8")
    done = import_offers(tmp_path, example, "--centre", "paris11")
    assert done.returncode == 0, done.stderr
    assert "3 offre(s) importée(s) pour paris11 (brouillons à valider)" in done.stdout
    assert [s for _, _, s in offer_states(tmp_path)] == ["draft"] * 3
    done = import_offers(tmp_path, example, "--centre", "paris11", "--vetted")
    assert done.returncode == 0, done.stderr
    assert [s for _, _, s in offer_states(tmp_path)] == ["draft"] * 3 + ["vetted"] * 3


def test_offers_import_names_each_bad_row_and_imports_nothing(tmp_path: Path) -> None:
    text = (
        "titre,employeur,type_employeur,source,ville,code_postal,contrat,temps,metier,"
        "date_limite\n"
        "Agent,Mairie,Mairie,Mairie,Paris,75011,CDI,full,cleaning,31/12/2026\n"
        "Agent,Mairie,Mairie,Mairie,Paris,96100,CDI,full,cleaning,31/12/2026\n"
        "Agent,Mairie,Mairie,Mairie,Paris,75011,CDI,full,cleaning,22/11/2026\n"
    )
    done = import_offers(tmp_path, text, "--centre", "paris11")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "offres.csv : ligne 3, colonne code_postal : code postal inconnu",
        "offres.csv : ligne 4, colonne date_limite : la date limite est déjà passée",
        "relais: rien n'est importé (corrigez le fichier, ou --skip-bad)",
    ]
    assert not (tmp_path / "relais.sqlite3").exists()  # checked before the database opens
    done = import_offers(tmp_path, text, "--centre", "paris11", "--skip-bad")
    assert done.returncode == 0, done.stderr
    assert offer_states(tmp_path) == [("paris11", "Agent", "draft")]


def test_offers_import_refuses_an_unknown_centre(tmp_path: Path) -> None:
    example = (ROOT / "docs" / "offres-exemple.csv").read_text(encoding="utf-8")
    done = import_offers(tmp_path, example, "--centre", "lyon")
    assert done.returncode == 2
    assert "no active centre 'lyon' (centres: paris11)" in done.stderr
    assert offer_states(tmp_path) == []
