"""The project's own documents stay true to the code, and refer to nothing outside the repository."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Notes the project was planned from live outside the repository: a user of it has no such files.
OUTSIDE = re.compile(r"\b(DESIGN|RELIABILITY|STYLE)\.md\b|\.\./shared\b")
TEXT_SUFFIXES = {".md", ".py", ".yaml", ".yml", ".toml", ".lua", ".j2", ".typ", ".html", ".cfg", ".txt", ""}


def tracked_text_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    names = [n for n in out.decode().split("\0") if n]
    return [REPO / n for n in names if Path(n).suffix in TEXT_SUFFIXES and (REPO / n).is_file()]


def test_nothing_refers_to_files_outside_the_repository() -> None:
    found = []
    for path in tracked_text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line) and path.name != "test_docs.py":
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, "these lines point at notes that are not in the repository:\n" + "\n".join(found)


def test_architecture_lists_every_module_as_it_is() -> None:
    tree = subprocess.run([sys.executable, str(REPO / "tools/scripts/module_tree.py")], capture_output=True,
                          text=True, check=True).stdout.strip()
    doc = (REPO / "docs/architecture.md").read_text(encoding="utf-8")
    assert tree in doc, ("docs/architecture.md's module tree is out of date: replace it with the output of "
                         "`.venv/bin/python tools/scripts/module_tree.py`")


def test_reliability_names_only_tests_that_exist() -> None:
    """docs/reliability.md says which test proves each promise: every test it names must be there."""
    doc = (REPO / "docs/reliability.md").read_text(encoding="utf-8")
    named = re.findall(r"`tests/([\w/]+\.py)(?:::(\w+))?`", doc)
    assert len(named) > 50
    missing = []
    for file, test in named:
        path = REPO / "tests" / file
        if not path.is_file() or (test and not re.search(rf"^def {test}\(", path.read_text(encoding="utf-8"), re.M)):
            missing.append(f"tests/{file}::{test}")
    assert not missing, f"docs/reliability.md names tests that do not exist: {missing}"
