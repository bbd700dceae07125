"""Where a month's newsletter text lives, which months have one, and reading it with the project."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from nsp.diagnostics import Diagnostic, NspError, UsageError
from nsp.load.project import NEWSLETTERS
from nsp.model import Document, Project
from nsp.progress import month_bounds

FOLDER = NEWSLETTERS
MONTH_FILE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])\.md")


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
    return sorted(name.removesuffix(".md") for name in found if MONTH_FILE.fullmatch(name))


def number_of(root: Path, month: str) -> int:
    """The issue's number: how many newsletters there are up to and including this month."""
    return sum(1 for m in issues(root) if m <= month)


def newsletter_text(project: Project, month: str, loaded: list[Diagnostic]) -> Document:
    """The secretariat's text for `month`, as load_project read it; an error naming the fix when there is none."""
    rel = text_path(month)
    if not (project.root / rel).is_file():
        have = ", ".join(issues(project.root)) or "none yet"
        raise NspError(f"no newsletter for {month}: create {rel} with front matter (title:, authors:) and the "
                       f"secretariat's text, e.g. by copying the last issue's file (newsletters here: {have})")
    doc = project.documents.get(rel)
    if doc is None:  # it could not be read: load said why, with the line
        problems = [f"{d.path}:{d.line}: {d.code} {d.message}" for d in loaded if d.path == rel]
        raise NspError("; ".join(problems) or f"{rel} could not be read")
    return doc
