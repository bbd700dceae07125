"""A month's newsletter in its editions, for `nsp newsletter` and for the site's archive.

`render` is pure (it writes no output; pandoc's caches aside): the site links what it returns.
`write` is the command's: the three files of a month, replaced together or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from nsp.ast import Doc
from nsp.diagnostics import Diagnostic, NspError, errors_in
from nsp.infra.atomic import atomic_paths, job_lock, remove_stale_temporaries
from nsp.load.project import load_project
from nsp.model import Project
from nsp.newsletter import source
from nsp.newsletter.check import check_text, refusing, withheld_names
from nsp.newsletter.compose import Masthead, compose, masthead
from nsp.newsletter.render_mail import mail_edition
from nsp.newsletter.render_pdf import render_pdf
from nsp.newsletter.render_text import text_edition
from nsp.newsletter.sections import gather

FOLDER = "newsletters"  # under build/


@dataclass(frozen=True)
class Edition:
    month: str  # "2020-01"
    number: int  # the issue's number: how many newsletters there are up to this month
    title: str  # the text's title
    date: dt.date  # the month's last day
    summary: str
    html: str  # the edition for mail clients (inline styles, no script, nothing remote)
    text: str  # plain text, 72 columns


def issues(root: Path) -> list[str]:
    """Months that have a newsletter (newsletters/YYYY-MM.md), oldest first."""
    return source.issues(root)


class NewsletterRefused(NspError):
    """The newsletter's text has errors: nothing was made."""

    def __init__(self, month: str, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        n = len(refusing(diagnostics))
        super().__init__(f"the newsletter for {month} was not made: {n} problem{'s' if n != 1 else ''} to fix "
                         "(above); previous outputs were kept")


@dataclass(frozen=True)
class Made:
    """What `nsp newsletter` wrote, and what the checks said about the text (warnings: it was made)."""

    paths: list[Path]
    diagnostics: list[Diagnostic]


def render(project: Project, month: str, loaded: list[Diagnostic] | None = None) -> Edition:
    """The month's editions; NewsletterRefused when its text has errors (`loaded`: what load_project reported)."""
    return _render(project, month, loaded or []).edition


def write(root: Path, paper: str, month: str) -> Made:
    """build/newsletters/MONTH.pdf, .html and .txt, replaced together, and only if all three were made."""
    source.bounds(month)  # a month that is none is a usage error before anything is read
    project, loaded = load_project(root, paper)
    if project is None:
        raise NspError("; ".join(d.text() for d in errors_in(loaded)) or f"papers/{paper}.yaml cannot be read")
    source.newsletter_text(project, month, loaded)  # none: say which file to write, before anything is made
    folder = root / "build" / FOLDER
    targets = [folder / f"{month}.{ext}" for ext in ("pdf", "html", "txt")]
    with job_lock(folder, ".nsp-newsletter.lock", busy="another nsp newsletter is running; try again when it "
                                                        "has finished"):
        remove_stale_temporaries(folder)  # a killed run's: outputs here are written only under this lock
        made = _render(project, month, loaded)
        with atomic_paths(targets) as (pdf, html, txt):
            render_pdf(project, made.doc, made.head, pdf)
            html.write_text(made.edition.html, "utf-8")
            txt.write_text(made.edition.text, "utf-8")
    return Made(targets, made.diagnostics)


@dataclass(frozen=True)
class _Rendered:
    edition: Edition
    doc: Doc
    head: Masthead
    diagnostics: list[Diagnostic]


def _render(project: Project, month: str, loaded: list[Diagnostic]) -> _Rendered:
    start, end = source.bounds(month)
    text = source.newsletter_text(project, month, loaded)
    sections = gather(project, month)
    found = check_text(project, text, loaded)
    if refusing(found):
        raise NewsletterRefused(month, found)
    head = masthead(project, text, source.number_of(project.root, month), start, end)
    doc = compose(project, text, sections, head)
    edition = Edition(month, head.number, text.title, end, head.summary, mail_edition(project, doc, head),
                      text_edition(project, doc, head))
    leaked = withheld_names(project, edition.text + edition.html)
    if leaked:  # a bug, not the text's fault (P406 passed): never let it out
        raise NspError(f"the newsletter for {month} would name {', '.join(leaked)}, who did not agree to be "
                       "named; nothing was written")
    return _Rendered(edition, doc, head, found)
