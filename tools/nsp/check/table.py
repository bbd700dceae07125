"""Checks: pure functions from the loaded model (and parsed ASTs) to diagnostics.

One module per rule family, reading each document's `Index` (never the
full AST, so a check with nothing changed parses nothing); each rule is one function registered in the
catalogue (`nsp.rules`) with its code, severity and documentation.
"""

from __future__ import annotations

from nsp.check import (  # noqa: F401  (registers the rules)
    assets,
    citations,
    files,
    limits,
    people,
    review,
    signers,  # noqa: F401  (who signs: emails and the provenance of review records)
    structure,
    xref,
)
from nsp.check.context import Context
from nsp.diagnostics import Diagnostic
from nsp.infra.pandoc import Index
from nsp.model import Project
from nsp.rules import RULES


def run_checks(project: Project, indexes: dict[str, Index], *, whole_paper: bool = True) -> list[Diagnostic]:
    ctx = Context(project, indexes, whole_paper=whole_paper)
    out: list[Diagnostic] = []
    for rule in sorted(RULES.values(), key=lambda r: r.code):
        if rule.check is None:
            continue
        for path, line, message in rule.check(ctx):
            out.append(Diagnostic(path, line, rule.code, rule.severity, message))
    return out
