"""Shell completion through the installed nsp, as bash asks for it (click's protocol: _NSP_COMPLETE=bash_complete,
COMP_WORDS and COMP_CWORD; one "type,value" line per candidate)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MANUSCRIPT, NSP, REPO, write

THEMES = ["cyber_crime", "drug_trafficking", "human_trafficking", "terror_financing"]


@pytest.fixture(scope="module")
def manuscript(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped manuscript's files (not its templates: completion never reads them)."""
    root = tmp_path_factory.mktemp("completion")
    for name in MANUSCRIPT:
        if name != "templates":
            shutil.copytree(REPO / name, root / name)
    return root


def complete(cwd: Path, line: str, shell: str = "bash") -> list[str]:
    """What nsp offers for the last word of `line` (empty if the line ends with a space)."""
    words = line.split(" ")
    env = {**os.environ, "_NSP_COMPLETE": f"{shell}_complete", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    out = subprocess.run([NSP], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0 and out.stderr == "", out.stderr
    rows = [row.split(",", 1) for row in out.stdout.splitlines() if row]  # no candidates: one empty line
    assert all(kind == "plain" for kind, _ in rows), out.stdout
    return [value for _, value in rows]


def test_paper_ids_for_paper_options(manuscript: Path) -> None:
    papers = ["cyber-crime", "drug-trafficking", "human-trafficking", "national-strategy", "terror-financing"]
    assert complete(manuscript, "nsp build --paper ") == papers  # people.yaml, events.yaml … are no papers
    assert complete(manuscript, "nsp publish 1.0 --paper n") == ["national-strategy"]


def test_theme_ids_for_theme_options_and_arguments(manuscript: Path) -> None:
    assert complete(manuscript, "nsp build --theme ") == THEMES
    assert complete(manuscript, "nsp new chapter d") == ["drug_trafficking"]
    assert complete(manuscript, "nsp review confirm-rules t") == ["terror_financing"]


def test_chapter_paths_for_chapter_arguments(manuscript: Path) -> None:
    assert complete(manuscript, "nsp review approve cyber_crime/") == [
        "cyber_crime/01-teledensity-and-threats.md", "cyber_crime/02-data-and-investigation.md"]
    # nsp build takes a chapter or a theme's folder
    assert complete(manuscript, "nsp build t") == [
        "terror_financing/", "terror_financing/01-channels.md", "terror_financing/02-fatf-compliance.md"]
    # from inside a theme's folder, as typed from there
    assert complete(manuscript / "cyber_crime", "nsp diff 02") == ["02-data-and-investigation.md"]


def test_person_ids_for_options_that_take_a_person(manuscript: Path) -> None:
    assert complete(manuscript, "nsp review approve cyber_crime/01-teledensity-and-threats.md --by ta") == [
        "tariq-khosa", "tariq-parvez"]
    assert complete(manuscript, "nsp review confirm-rules cyber_crime --by saf") == ["safdar-sial"]
    assert complete(manuscript, "nsp new chapter cyber_crime Title --author kh") == ["khalid-aziz"]
    everyone = complete(manuscript, "nsp new theme port_crime --lead ")
    assert "umer-riaz" in everyone and "organizations" not in everyone and len(everyone) == 15


def test_newsletter_months(manuscript: Path) -> None:
    assert complete(manuscript, "nsp newsletter ") == ["2019-12", "2020-01"]
    assert complete(manuscript, "nsp new newsletter ") == ["2020-02"]  # the month after the last one


def test_zsh_and_fish_get_the_same_ids(manuscript: Path) -> None:
    env = {**os.environ, "_NSP_COMPLETE": "zsh_complete", "COMP_WORDS": "nsp build --theme c", "COMP_CWORD": "3"}
    zsh = subprocess.run([NSP], cwd=manuscript, capture_output=True, text=True, env=env, timeout=60)
    assert zsh.stdout.splitlines() == ["plain", "cyber_crime", "_"]  # type, value, help ("_": none)
    env = {**os.environ, "_NSP_COMPLETE": "fish_complete", "COMP_WORDS": "nsp build --theme c", "COMP_CWORD": "c"}
    fish = subprocess.run([NSP], cwd=manuscript, capture_output=True, text=True, env=env, timeout=60)
    assert fish.stdout.splitlines() == ["plain,cyber_crime"]


def test_outside_a_repository_or_in_a_broken_one_nothing_and_no_traceback(tmp_path: Path) -> None:
    assert complete(tmp_path, "nsp build --paper ") == []
    assert complete(tmp_path, "nsp review approve x --by ") == []
    write(tmp_path, "papers/people.yaml", "ana: [unclosed\n")  # a half-written repository
    (tmp_path / "newsletters").write_text("not a folder")
    assert complete(tmp_path, "nsp review approve x --by ") == []
    assert complete(tmp_path, "nsp newsletter ") == []
    assert complete(tmp_path, "nsp build --paper ") == []  # people.yaml is no paper


def test_the_shell_scripts_are_click_s(manuscript: Path) -> None:
    """The one line the README gives for each shell prints a script that calls nsp back."""
    for shell in ("bash", "zsh", "fish"):
        env = {**os.environ, "_NSP_COMPLETE": f"{shell}_source"}
        out = subprocess.run([NSP], cwd=manuscript, capture_output=True, text=True, env=env, timeout=60)
        assert out.returncode == 0 and f"_NSP_COMPLETE={shell}_complete" in out.stdout, out.stdout
