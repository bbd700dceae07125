"""The rule catalogue is the one source of codes and severities, complete however nsp was started."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from nsp.check.table import CHECKS
from nsp.diagnostics import Severity
from nsp.rules import CATALOGUE, FAMILIES, RULES, finding

PACKAGE = Path(__file__).resolve().parents[2] / "tools" / "nsp"
CODE = re.compile(r"""["']([ESCRPAX]\d{3})["']""")


def test_every_check_reports_a_catalogued_rule_once() -> None:
    codes = [code for code, _ in CHECKS]
    assert len(codes) == len(set(codes))
    assert not set(codes) - set(RULES)


def test_every_code_written_in_the_code_is_in_the_catalogue() -> None:
    used = {m for path in PACKAGE.rglob("*.py") for m in CODE.findall(path.read_text(encoding="utf-8"))}
    assert used, "the pattern finds the codes the loaders report"
    assert not used - set(RULES), f"codes reported but not in the catalogue: {sorted(used - set(RULES))}"


def test_every_rule_is_reported_somewhere() -> None:
    """A catalogue entry no loader and no check reports would be documentation of nothing."""
    checked = {code for code, _ in CHECKS}
    written = {m for path in PACKAGE.rglob("*.py") if path.name != "rules.py"
               for m in CODE.findall(path.read_text(encoding="utf-8"))}
    assert not set(RULES) - checked - written


def test_entries_are_complete_and_in_order() -> None:
    assert len(RULES) == len(CATALOGUE)
    order = list(FAMILIES)
    assert [r.code for r in CATALOGUE] == sorted((r.code for r in CATALOGUE), key=lambda c: (order.index(c[:2]), c))
    for r in CATALOGUE:
        assert re.fullmatch(r"[a-z0-9-]+", r.name), r.code
        assert isinstance(r.severity, Severity)
        assert "Why:" in r.doc and "Example" in r.doc, f"{r.code} documents what it finds, why, and an example"


def test_a_finding_takes_its_severity_from_the_catalogue() -> None:
    assert finding("a.md", 3, "S106", "TODO left").severity is RULES["S106"].severity is Severity.WARNING
    assert finding("a.md", 3, "E001", "gone").text() == "a.md:3: E001 gone"


def test_reading_the_catalogue_imports_no_check() -> None:
    """`nsp check --select C2` validates codes first: the catalogue must be whole without the checks."""
    out = subprocess.run([sys.executable, "-c", "import sys, nsp.rules; print(len(nsp.rules.RULES)); "
                          "print(any(m.startswith('nsp.check') for m in sys.modules))"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(CATALOGUE)), "False"]
