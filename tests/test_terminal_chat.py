"""`relais chat` as a real process with piped input: a scripted conversation, then a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from bot.testing.moment import NOW
from bot.testing.terminal_process import run_chat
from tests.conftest import ROOT

SELF_ASSESSMENT = [
    "1",  # consent: yes
    "1",  # centre
    "Amina",
    "1",  # menu: self-assessment
    "2",
    "1",
    "1",  # French: a little / not yet / not yet
    "2",
    "2",
    "1",  # smartphone: a little; no email; no job sites
    "2",
    "2",
    "2",  # primary school; no training; never worked
    "1, 4",  # a job now, typed
    "1, 4",  # the job wanted later, typed
    "2",  # 26 or older
    "2",  # no children to look after
    "1,3",  # transport, typed
    "2",
    "1",
    "1",  # 30 minutes; no licence; every day
    "2,3",  # hours, typed
    "75011",
    "1",
    "1",
    "1",
    "2",  # start now; very urgent; registered at France Travail; no CV
    "2",  # menu: the details of the bilan
]


def chat(tmp_path: Path, lines: list[str], user: str = "amina") -> str:
    """Run `relais chat` on the test's database with these lines piped in; return its output."""
    return run_chat(tmp_path, lines, user).stdout


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("1", ["Voici votre bilan", "À faire d'abord", "Étape 1", "Étape 2", "Prochaines actions"]),
        ("2", ["Here is your assessment", "To do first", "Step 1", "Step 2", "Next steps"]),
    ],
)
def test_a_scripted_self_assessment_reaches_the_summary(
    tmp_path: Path, language: str, expected: list[str]
) -> None:
    output = chat(tmp_path, [language, *SELF_ASSESSMENT])
    for text in expected:
        assert text in output, output[-3000:]
    assert "Traceback" not in output


def test_a_restart_resumes_at_the_same_question(tmp_path: Path) -> None:
    first = chat(tmp_path, ["1", *SELF_ASSESSMENT[:5]])  # ends after "speaks a little"
    assert first.split("Relais:")[-1].lstrip().startswith("Vous lisez le français ?")
    second = chat(tmp_path, [])
    opening = second.split("Relais:")[1]
    assert "Vous lisez le français ?" in opening
    third = chat(tmp_path, ["1"])  # answers "Pas encore" to the reading question
    assert "Vous écrivez le français ?" in third


def test_two_users_on_the_same_database_are_separate(tmp_path: Path) -> None:
    chat(tmp_path, ["1", "1", "1", "Amina"], user="amina")
    other = chat(tmp_path, [], user="marie")
    assert "Choisissez votre langue." in other


CV_TYPED = [
    "1",  # French
    "1",  # consent
    "1",  # centre
    "Amina",
    "Faire mon CV",  # a menu entry can be typed
    "Benali",
    "Oui",  # "Amina BENALI" is how the CV writes the name
    "0612345678",
    "Passer",
    "Lyon",
    "Passer",
    "Plongeur",
    "Passer",
    "Non",  # never worked
    "Non, pas de diplôme",
    "Lycée",  # the last school
    "En France",
    "Français",
    "Langue maternelle",
    "Non",
    "Un autre métier",
    "Passer",
    "8",  # qualities: "Valider" without ticking any
    "Non",  # no driving licence
    "4",  # no vehicle: "Valider"
    "8",  # no certificate: "Valider"
    "Passer",
    "Tous les jours",
    "Le matin",
    "Passer",
]


def test_the_cv_is_written_to_a_file_whose_path_is_shown(tmp_path: Path) -> None:
    output = chat(tmp_path, CV_TYPED)
    assert "Voici votre CV, en français." in output, output[-3000:]
    shown = [line.split("📄", 1)[1].strip() for line in output.splitlines() if "📄" in line]
    path = Path(shown[-1])
    # each user has their own folder, which erasing their data removes
    assert path.parent.parent == tmp_path / "documents"
    assert path.parent.name.startswith("amina-") and path.name == "CV-Amina-BENALI.pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert "Amina BENALI" in text and "Plongeur" in text and "06 12 34 56 78" in text


def test_relais_invite_and_two_terminals_play_both_sides(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "RELAIS_DATABASE": str(tmp_path / "relais.sqlite3"),
        "PYTHONUNBUFFERED": "1",
        # the process's clock starts at the tests' moment, never at today's date
        "RELAIS_CLOCK": NOW.isoformat(),
    }
    env.pop("RELAIS_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "invite", "--centre", "default"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    code = done.stdout.strip()
    assert code.startswith("RELAIS-") and "Valid once" in done.stderr
    volunteer = chat(tmp_path, ["1", code], user="marie")
    assert "Bienvenue dans l'équipe de Centre Relais" in volunteer
    beneficiary = chat(tmp_path, ["1", "1", "1", "Amina", "Parler à un bénévole", "Oui"])
    assert "Un bénévole de Centre Relais va vous écrire ici" in beneficiary
    later = chat(tmp_path, ["1", "/people"], user="marie")  # "1": the request's button
    assert "Amina (Centre Relais) voudrait parler à un bénévole." in later
    assert "Merci ! Vous vous occupez d'Amina." in later
    assert "Amina · pas de CV" in later
    wrong = subprocess.run(
        [sys.executable, "-m", "bot", "invite", "--centre", "nowhere"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert wrong.returncode == 2 and "no active centre 'nowhere'" in wrong.stderr


def test_the_same_cv_asked_again_at_once_is_written_once(tmp_path: Path) -> None:
    output = chat(tmp_path, [*CV_TYPED, "Mon CV", "10", "10"])
    assert output.count("Voici votre CV, en français.") == 3, output[-3000:]
    written = [line for line in output.splitlines() if line.startswith("  📄 ")]
    assert len(written) == 1  # made at the end of the CV, not again a moment later
    assert "Traceback" not in output


def test_my_data_files_are_shown_under_the_messages_that_announce_them(tmp_path: Path) -> None:
    output = chat(tmp_path, ["1", "1", "1", "Amina", "Mes données", "1"])
    after = output[output.index("Voici tout ce que Relais garde sur vous") :]
    lines = [line for line in after.splitlines() if line.strip()]
    # the text file's path comes right under its message, before the JSON one and the menu
    assert lines[1].startswith("  📄 ") and lines[1].endswith(".txt"), lines[:6]
    assert lines[2].startswith("Relais: Et les mêmes données au format JSON")
    assert lines[3].startswith("  📄 ") and lines[3].endswith(".json"), lines[:6]
    text = Path(lines[1].split("📄", 1)[1].strip()).read_text(encoding="utf-8")
    assert text.startswith("Relais : ce que Relais garde sur vous") and "Amina" in text
