"""Where a month's newsletter text lives, which months have one, and reading it with the project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nsp.diagnostics import Diagnostic, NspError, UsageError
from nsp.load.project import NEWSLETTERS
from nsp.model import MONTH, Document, Project
from nsp.progress import month_bounds

FOLDER = NEWSLETTERS



def text_path(month: str) -> str:
    return f"{FOLDER}/{month}.md"


def bounds(month: str) -> tuple[dt.date, dt.date]:
    """The month's first and last day; a usage error for anything but YYYY-MM."""
    try:
        return month_bounds(month)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def issues(root: Path) -> list[str]:
    """Months that have a newsletter text (newsletters/YYYY-MM.md), oldest first."""
    folder = root / FOLDER
    found = (p.name for p in folder.glob("*.md") if p.is_file()) if folder.is_dir() else ()
    return sorted(m for m in (name.removesuffix(".md") for name in found) if MONTH.fullmatch(m))


def number_of(root: Path, month: str) -> int:
    """The issue's number: how many newsletters there are up to and including this month."""
    return sum(1 for m in issues(root) if m <= month)


def newsletter_text(project: Project, month: str, loaded: list[Diagnostic]) -> Document:
    """The secretariat's text for `month`, as load_project read it; an error naming the fix when there is none."""
    rel = text_path(month)
    if not (project.root / rel).is_file():
        have = ", ".join(issues(project.root)) or "none yet"
        raise NspError(f"no newsletter for {month}: write {rel} first (`nsp new newsletter {month} --author ID` "
                       f"starts it; newsletters here: {have})")
    doc = project.documents.get(rel)
    if doc is None:  # it could not be read: load said why, with the line
        problems = [f"{d.path}:{d.line}: {d.code} {d.message}" for d in loaded if d.path == rel]
        raise NspError("; ".join(problems) or f"{rel} could not be read")
    return doc
