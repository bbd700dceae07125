"""Every `nsp …` command README.md shows runs on a copy of the manuscript without a usage error or a traceback.

The README is what a newcomer types first: a command it shows must never exit 2 ('called wrongly') or crash.
Commands come from its ```sh blocks and from the `.venv/bin/nsp …` / `nsp …` cells of its tables, with the
placeholders (CHAPTER, ID, T) filled in with real names from the manuscript.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import MANUSCRIPT, NSP, REPO, git

PLACEHOLDERS = {"CHAPTER": "terror_financing/01-channels.md", "ID": "tariq-parvez", "T": "cyber_crime"}


def readme_commands() -> list[list[str]]:
    text = (REPO / "README.md").read_text("utf-8")
    found: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        found += [line for line in block.splitlines() if re.match(r"\s*(\.venv/bin/)?nsp ", line)]
    for row in (line for line in text.splitlines() if line.startswith("|")):
        shown = re.findall(r"`((?:\.venv/bin/)?nsp [^`]*)`", row)
        found += shown
        # `--docx`, `--theme T`, `--paper drug-trafficking` beside a command: that command with the option.
        found += [f"{shown[0]} {option}" for option in re.findall(r"`(--[^`]*)`", row) if shown]
    commands = []
    for line in found:
        line = re.sub(r"\[(--[^\]]*)\]", r"\1", line)  # an optional part, shown in brackets: use it
        words = shlex.split(line, comments=True)
        words = [PLACEHOLDERS.get(w, w) for w in words[1:]]
        commands.append(words)
    return commands


COMMANDS = readme_commands()


def test_readme_shows_commands() -> None:
    # Guards the parser: the README's tables and examples give well over a dozen.
    assert len(COMMANDS) >= 12 and ["check", "--select", "C2", "--ignore", "C202"] in COMMANDS


@pytest.fixture(scope="module")
def manuscript(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the manuscript in a git repository of its own (nsp diff reads history)."""
    root = tmp_path_factory.mktemp("readme") / "repo"
    for name in MANUSCRIPT:
        shutil.copytree(REPO / name, root / name)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "manuscript")
    return root


def _run(root: Path, args: list[str]) -> tuple[int, str]:
    if args[0] != "watch" and "--serve" not in args:
        out = subprocess.run([NSP, *args], cwd=root, capture_output=True, text=True, timeout=600)
        return out.returncode, out.stdout + out.stderr
    # watch and site --serve run until Ctrl-C: wait for the first build, then interrupt them as a user would.
    proc = subprocess.Popen([NSP, *args], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    assert proc.stdout is not None and proc.stderr is not None
    seen = []
    try:
        for line in proc.stdout:
            seen.append(line)
            if "Ctrl-C stops" in line:
                break
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, "".join(seen) + proc.stderr.read()


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_readme_command_runs(manuscript: Path, args: list[str]) -> None:
    code, output = _run(manuscript, args)
    assert "Traceback" not in output, output
    assert code != 2, f"nsp {' '.join(args)} was called wrongly:\n{output}"
