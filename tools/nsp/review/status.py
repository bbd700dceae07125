"""`nsp status`: where every chapter stands, for the secretariat's weekly look."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from nsp.check.run import findings
from nsp.diagnostics import Diagnostic, Severity
from nsp.infra.pandoc import Index, index_documents
from nsp.load.project import load_project
from nsp.model import Document, Project
from nsp.review.state import display_name, waiting_names


@dataclass(frozen=True)
class ChapterStatus:
    theme: str
    chapter: str
    title: str
    authors: list[str]
    words: int
    sections: str  # "3/4": required sections present and not empty
    review: str
    waiting_for: list[str]
    errors: int
    warnings: int
    approvals: list[dict[str, str]]  # of the current text: reviewer, name, date, and on_behalf/recorded_by if so
    open_comments: int = 0  # comments in change requests no later approval by their reviewer has answered


def status(root: Path, paper: str, theme: str | None = None) -> tuple[list[ChapterStatus], list[str]]:
    """One row per chapter (of the paper, or of one theme), in paper order; plus the load problems
    that hid chapters from view."""
    from nsp.plan.plan import theme_by_id

    project, loaded = load_project(root, paper)
    if project is None:
        return [], [d.text() for d in loaded]
    chapters = project.chapters_of(theme_by_id(project, theme)) if theme else project.all_chapters()
    indexes = index_documents(project, chapters)
    found = findings(project, loaded, indexes)
    rows = [_row(project, doc, indexes[doc.path], [d for d in found if d.path == doc.path]) for doc in chapters]
    hidden = [d.text() for d in loaded if d.severity is Severity.ERROR]
    return rows, hidden


def _row(project: Project, doc: Document, index: Index, mine: list[Diagnostic]) -> ChapterStatus:
    own = project.theme_of(doc)
    review = project.review_of(doc)
    assert own is not None and review is not None
    filled = {t.lower() for t, ok in index.sections if ok}
    done = sum(1 for s in own.required_sections if s.lower() in filled)
    return ChapterStatus(
        theme=own.id, chapter=doc.path, title=doc.title,
        authors=[display_name(a, project.people) for a in doc.authors], words=index.words,
        sections=f"{done}/{len(own.required_sections)}", review=review.state.value,
        waiting_for=waiting_names(review, project.people, own.lead),
        errors=sum(d.severity is Severity.ERROR for d in mine),
        warnings=sum(d.severity is Severity.WARNING for d in mine),
        approvals=[{"reviewer": r.reviewer, "name": display_name(r.reviewer, project.people),
                    "date": r.date.isoformat(), "on_behalf": r.on_behalf, "recorded_by": r.recorded_by}
                   for r in sorted(review.current, key=lambda r: (r.date, r.reviewer))],
        open_comments=sum(len(r.comments) for r in review.open_requests))


def format_json(rows: list[ChapterStatus]) -> str:
    return json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False)


def format_table(rows: list[ChapterStatus]) -> str:
    """A plain-text table per theme; widths fitted to the content."""
    headers = ("Chapter", "Authors", "Words", "Sections", "Review", "Still to sign", "Findings")
    out: list[str] = []
    for theme in dict.fromkeys(r.theme for r in rows):
        mine = [r for r in rows if r.theme == theme]
        out += [theme, *_table(headers, mine)]
        # Sign-offs someone else recorded are named under the table, with how they were received.
        out += [
            f"  {Path(r.chapter).name}: approved by {a['name']} on {a['date']} on their behalf: “{a['on_behalf']}”, "
            f"recorded by {a['recorded_by']}"
            for r in mine
            for a in r.approvals
            if a["on_behalf"]
        ]
        out.append("")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.review] = counts.get(r.review, 0) + 1
    out.append(f"{len(rows)} chapters: " + ", ".join(f"{n} {state}" for state, n in counts.items()) + ".")
    return "\n".join(out)


def _table(headers: tuple[str, ...], rows: list[ChapterStatus]) -> list[str]:
    """One theme's rows as aligned columns under a rule; the word counts right-aligned."""
    table = [headers] + [(
        Path(r.chapter).name, ", ".join(r.authors), f"{r.words:,}", r.sections, _review(r),
        ", ".join(r.waiting_for) or "—", _findings(r)) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    out = []
    for n, row in enumerate(table):
        cells = [c.rjust(w) if i == 2 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        out.append("  " + "  ".join(cells).rstrip())
        if n == 0:
            out.append("  " + "  ".join("-" * w for w in widths))
    return out


def _review(r: ChapterStatus) -> str:
    n = r.open_comments
    return f"{r.review} ({n} open comment{'s' * (n != 1)})" if n else r.review


def _findings(r: ChapterStatus) -> str:
    parts = [f"{r.errors} error{'s' * (r.errors != 1)}"] if r.errors else []
    if r.warnings:
        parts.append(f"{r.warnings} warning{'s' * (r.warnings != 1)}")
    return ", ".join(parts) or "none"
