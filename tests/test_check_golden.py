"""Golden tests: one small paper per rule family with seeded faults, and the exact report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_in

GOLDEN = Path(__file__).parent / "golden"
FAMILIES = ["files", "structure", "citations", "people", "assets", "xref", "review"]


@pytest.fixture
def tree(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    name: str = request.param
    root = tmp_path / name
    shutil.copytree(GOLDEN / name, root)
    return root


@pytest.mark.parametrize("tree", FAMILIES, indirect=True)
def test_report_matches_golden(tree: Path) -> None:
    result = run_in(tree, ["check", "--paper", "golden"])
    assert result.output == (GOLDEN / f"{tree.name}.expected").read_text()
    assert result.exit_code == 1


def test_every_rule_is_exercised_by_a_golden_file() -> None:
    from nsp.rules import RULES, catalogue_text

    catalogue_text()  # loads every rule
    seen = {line.split()[1] for f in GOLDEN.glob("*.expected") for line in f.read_text().splitlines() if ": " in line}
    untested = set(RULES) - seen - {"E001", "E005"}  # these two have tests of their own in test_check.py
    assert not untested, f"rules without a golden case: {sorted(untested)}"


@pytest.mark.parametrize("tree", ["citations"], indirect=True)
def test_json_format(tree: Path) -> None:
    result = run_in(tree, ["check", "--paper", "golden", "--format", "json"])
    rows = json.loads(result.output)
    assert rows[0] == {"path": "alpha/01-cites.md", "line": 10, "code": "C201", "severity": "error",
                       "message": "citation 'jonse2015' is not in any bibliography (did you mean 'jones2015'?)"}
    assert len(rows) == 13
    assert result.exit_code == 1


@pytest.mark.parametrize("tree", ["people"], indirect=True)
def test_github_format(tree: Path) -> None:
    result = run_in(tree, ["check", "--paper", "golden", "--format", "github"])
    assert result.output.splitlines()[0] == (
        "::error file=alpha/01-authors.md,line=3,title=P401::author 'anna' is not in papers/people.yaml (did "
        "you mean 'ana'?)"
    )
    assert "::warning file=beta/01-alone.md,line=3,title=R301::" in result.output
