"""Checks: pure functions from the loaded model (and parsed ASTs) to diagnostics.

One module per rule family; `run_checks` runs them all.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model import Project
from . import citations

Asts = dict[str, dict]


def run_checks(project: Project, asts: Asts) -> list[Diagnostic]:
    return [*citations.check(project, asts)]
