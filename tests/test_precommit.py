"""pre-commit: the hook nsp offers manuscript repositories (.pre-commit-hooks.yaml) and this repository's own
(.pre-commit-config.yaml). pre-commit itself is not installed: the hook is run as it runs one, its entry and args
followed by the staged files its `files` pattern selects, with the hook's environment (here the venv) on PATH."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import yaml

from conftest import NSP, REPO

BIN = str(Path(NSP).parent)
LANGUAGES = {"python", "system", "script", "docker", "node", "golang", "rust"}  # a few of pre-commit's


def hooks() -> list[dict[str, Any]]:
    data = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert isinstance(data, list)
    return data


def run_hook(root: Path, hook: dict[str, Any], staged: list[str], args: tuple[str, ...] = ()) -> \
        subprocess.CompletedProcess[str]:
    files = [f for f in staged if re.search(hook["files"], f)]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([*shlex.split(hook["entry"]), *args, *files], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_hook_is_well_formed() -> None:
    (hook,) = hooks()
    assert hook["id"] == "nsp-check" and hook["name"] and hook["language"] in LANGUAGES
    assert shlex.split(hook["entry"])[:2] == ["nsp", "check"]
    assert hook["require_serial"] is True
    chosen = ["alpha/01-first.md", "alpha/theme.yaml", "papers/small.yaml", "papers/references.bib", "x/y.yml"]
    assert all(re.search(hook["files"], f) for f in chosen)
    assert not any(re.search(hook["files"], f) for f in ["tools/nsp/cli.py", "alpha/figure.png", "Makefile"])


def test_the_hook_checks_the_staged_chapter_and_passes_over_the_rest(small_paper: Path) -> None:
    (hook,) = hooks()
    staged = ["alpha/02-second.md", "README.md", "tools/helper.py"]
    (small_paper / "README.md").write_text("A manuscript.\n")
    clean = run_hook(small_paper, hook, staged, ("--paper", "small"))
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "All clear: no findings in 1 file.\n", "")

    with (small_paper / "alpha/02-second.md").open("a", encoding="utf-8") as f:
        f.write("\nAs shown [@nosuchkey].\n")
    lines = (small_paper / "alpha/02-second.md").read_text("utf-8").splitlines()
    broken = run_hook(small_paper, hook, staged, ("--paper", "small"))
    assert broken.returncode == 1  # the commit is stopped
    assert f"alpha/02-second.md:{len(lines)}: C201 citation 'nosuchkey' is not in any bibliography" \
        in broken.stdout.splitlines()
    assert broken.stdout.splitlines()[-1].startswith("1 error, ")
    assert "README" not in broken.stdout + broken.stderr


def test_a_commit_of_no_paper_file_passes_the_hook(small_paper: Path) -> None:
    (hook,) = hooks()
    (small_paper / "README.md").write_text("A manuscript.\n")
    out = run_hook(small_paper, hook, ["README.md", "docs/notes.yaml"], ("--paper", "small"))
    assert (out.returncode, out.stdout) == (0, "Nothing to check: none of the files given is part of the paper.\n")


def test_without_the_flag_a_file_outside_the_paper_is_refused(small_paper: Path) -> None:
    # What --skip-others is for: `nsp check FILE` by hand still says plainly that FILE is not in the paper.
    (small_paper / "README.md").write_text("A manuscript.\n")
    out = subprocess.run([NSP, "check", "--paper", "small", "README.md"], cwd=small_paper, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == ("Error: README.md is not part of papers/small.yaml; use --paper to choose "
                                           "another paper")


def test_this_repository_runs_ruff_and_the_same_nsp_hook() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    (local,) = config["repos"]
    assert local["repo"] == "local"
    mine = {h["id"]: h for h in local["hooks"]}
    assert set(mine) == {"ruff", "nsp-check"}
    (offered,) = hooks()
    assert mine["nsp-check"]["entry"] == ".venv/bin/" + offered["entry"]
    assert mine["nsp-check"]["files"] == offered["files"]
    assert shlex.split(mine["ruff"]["entry"])[:2] == [".venv/bin/ruff", "check"]
    assert all((REPO / shlex.split(h["entry"])[0]).is_file() for h in mine.values())  # make paper installed them
