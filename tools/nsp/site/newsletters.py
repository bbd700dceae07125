"""The newsletter's issues, as nsp.newsletter renders them, for the archive and the feed.

The site embeds the body of each issue's mail edition in one of its own pages rather than linking
the mail document as is: the reader keeps the site's header, navigation and footer around it, and
the mail edition's inline styles and table layout need nothing from site.css.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from nsp.diagnostics import Diagnostic, NspError, Severity
from nsp.model import Project


class Edition(Protocol):
    """What nsp.newsletter.render returns, as far as the site reads it."""

    month: str
    number: int
    title: str
    date: dt.date
    summary: str
    html: str  # the mail edition: a whole HTML document
    text: str


@dataclass(frozen=True)
class Issue:
    month: str  # "2020-01"
    number: int
    title: str
    date: dt.date
    summary: str
    body: str  # the mail edition's <body> contents
    text: str

    @property
    def page(self) -> str:
        return f"newsletters/{self.month}.html"


NEWSLETTER = "nsp.newsletter.edition"  # issues(root) and render(project, month)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_HEADING = re.compile(r"<(/?)h([1-5])\b", re.I)


def body_of(document: str) -> str:
    """What lies between <body> and </body> of a whole HTML document (all of it, if it has no body), its
    headings one level down: the page that embeds it has its own <h1>."""
    found = _BODY.search(document)
    body = (found.group(1) if found else document).strip()
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", body)


def _refused(project: Project, month: str, exc: NspError, warn: Callable[[str], None]) -> None:
    """An issue that cannot be made: left out while it was never on the site (next month's draft), but an
    issue the site shows is never taken off it silently: the site is refused, and keeps it."""
    found: list[Diagnostic] = getattr(exc, "diagnostics", [])
    problems = [d for d in found if d.severity is Severity.ERROR or d.code == "S106"]
    detail = "\n".join(d.text() for d in problems) or str(exc)
    if (project.root / "build" / "site" / "newsletters" / f"{month}.html").is_file():
        raise NspError(f"{detail}\nnewsletters/{month}.md: the site shows this issue, and it can no longer be made: "
                       "fix the problems above, or take it off the site by deleting the file")
    warn(f"newsletters/{month}.md: left out of the site until it can be made: {detail}")


def issues(project: Project, warn: Callable[[str], None]) -> list[Issue]:
    """Every issue with a text in newsletters/ that renders, oldest first; one that is refused (a TODO left in
    it, an error, a name without consent) is left out with a warning: next month's draft never stops the site."""
    # Imported here, by name: the newsletter is its own stage, and the site only reads what it renders.
    try:
        newsletter = importlib.import_module(NEWSLETTER)
    except ModuleNotFoundError as exc:
        if exc.name not in (NEWSLETTER, NEWSLETTER.rpartition(".")[0]):
            raise
        return []  # an nsp without the newsletter stage: the site has no archive to show
    out = []
    for month in newsletter.issues(project.root):
        try:
            edition: Edition = newsletter.render(project, month)
        except NspError as exc:
            _refused(project, month, exc, warn)
            continue
        out.append(Issue(edition.month, edition.number, edition.title, edition.date, edition.summary,
                         body_of(edition.html), edition.text))
    return out
