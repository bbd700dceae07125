"""`nsp status`: where every chapter stands, for the secretariat's weekly look."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nsp.check.run import findings
from nsp.diagnostics import Diagnostic, Severity
from nsp.infra.pandoc import Index, index_documents
from nsp.load.project import load_project
from nsp.model import Document, Project
from nsp.plan.bylines import day
from nsp.plan.pages import md_escape
from nsp.progress import ChapterHistory, Deadline, late_and_soon, timeline
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
    due: str | None = None  # when its draft is due for review (theme.yaml due:), ISO date
    overdue: bool = False  # the due date has passed and it is not in review yet


@dataclass(frozen=True)
class Status:
    rows: list[ChapterStatus]
    hidden: list[str]  # load problems that hid chapters from view
    today: dt.date = dt.date.min
    late: list[Deadline] = field(default_factory=list)  # passed and not met
    soon: list[Deadline] = field(default_factory=list)  # in the next days (nsp.progress.SOON)
    project: Project | None = None  # as loaded (None: the manifest could not be read), for the dashboard


def status(root: Path, paper: str, theme: str | None = None, today: dt.date | None = None) -> Status:
    """One row per chapter (of the paper, or of one theme), in paper order; the load problems that hid
    chapters from view; and the plan's deadlines that passed unmet or come soon."""
    from nsp.plan.plan import theme_by_id

    today = today or dt.date.today()
    project, loaded = load_project(root, paper)
    if project is None:
        return Status([], [d.text() for d in loaded], today)
    chapters = project.chapters_of(theme_by_id(project, theme)) if theme else project.all_chapters()
    indexes = index_documents(project, chapters)
    found = findings(project, loaded, indexes)
    histories = {h.chapter: h for h in timeline(project, today) if not theme or h.theme == theme}
    rows = [_row(project, doc, indexes[doc.path], [d for d in found if d.path == doc.path],
                 histories.get(doc.path), today) for doc in chapters]
    hidden = [d.text() for d in loaded if d.severity is Severity.ERROR]
    return Status(rows, hidden, today, *late_and_soon(project, list(histories.values()), today, theme), project)


def _row(project: Project, doc: Document, index: Index, mine: list[Diagnostic], history: ChapterHistory | None,
         today: dt.date) -> ChapterStatus:
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
        open_comments=sum(len(r.comments) for r in review.open_requests),
        due=history.due.isoformat() if history and history.due else None, overdue=overdue(history, today))


def overdue(history: ChapterHistory | None, today: dt.date) -> bool:
    """Its draft was due for review before today, and it is not in review yet."""
    return bool(history and history.due and history.due < today and history.bucket(today) == "drafting")


def format_json(rows: list[ChapterStatus]) -> str:
    return json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False)


def format_plan(report: Status) -> str:
    """The plan's deadlines that passed unmet, then those of the next days ("" when there are none)."""
    lines = [f"  overdue since {day(d.date)}: {d.what}" for d in report.late]
    lines += [f"  due {day(d.date)}: {d.what}" for d in report.soon]
    return "\n".join([f"Plan, as of {day(report.today)}:", *lines]) if lines else ""


HEADERS = ("Chapter", "Authors", "Words", "Sections", "Review", "Still to sign", "Due", "Findings")


def format_table(rows: list[ChapterStatus]) -> str:
    """A plain-text table per theme; widths fitted to the content."""
    out: list[str] = []
    for theme in dict.fromkeys(r.theme for r in rows):
        mine = [r for r in rows if r.theme == theme]
        out += [theme, *_table(mine), *(f"  {line}" for line in _on_behalf(mine)), ""]
    out.append(_counts(rows))
    return "\n".join(out)


def format_markdown(report: Status) -> str:
    """The same tables in GitHub Markdown, for a pull request's job summary: a heading per theme, then the
    plan's deadlines. Every cell is data, escaped: a name with `|` or `*` in it cannot break the table."""
    title = report.project.paper.title if report.project else ""
    out = [f"## {md_escape(title)}: where every chapter stands" if title else "## Where every chapter stands", ""]
    titles = {t.id: f"{t.title} ({t.id})" for t in report.project.themes} if report.project else {}
    for theme in dict.fromkeys(r.theme for r in report.rows):
        out += _markdown_theme(titles.get(theme, theme), [r for r in report.rows if r.theme == theme])
    out.append(md_escape(_counts(report.rows)))
    if report.late or report.soon:
        out += ["", f"### Plan, as of {day(report.today)}", ""]
        out += [f"- overdue since {day(d.date)}: {md_escape(d.what)}" for d in report.late]
        out += [f"- due {day(d.date)}: {md_escape(d.what)}" for d in report.soon]
    return "\n".join(out)


def _markdown_theme(heading: str, rows: list[ChapterStatus]) -> list[str]:
    out = [f"### {md_escape(heading)}", "", "| " + " | ".join(HEADERS) + " |",
           "|" + "|".join("--:" if h == "Words" else "---" for h in HEADERS) + "|"]
    out += ["| " + " | ".join(md_escape(c) for c in _cells(r)) + " |" for r in rows]
    notes = [f"- {md_escape(line)}" for line in _on_behalf(rows)]
    return out + (["", *notes, ""] if notes else [""])


def _cells(r: ChapterStatus) -> tuple[str, ...]:
    """One chapter's row, in the order of HEADERS."""
    return (Path(r.chapter).name, ", ".join(r.authors), f"{r.words:,}", r.sections, _review(r),
            ", ".join(r.waiting_for) or "—", _due(r), _findings(r))


def _on_behalf(rows: list[ChapterStatus]) -> list[str]:
    """Sign-offs someone else recorded, named under the table with how they were received."""
    return [
        f"{Path(r.chapter).name}: approved by {a['name']} on {a['date']} on their behalf: “{a['on_behalf']}”, "
        f"recorded by {a['recorded_by']}"
        for r in rows
        for a in r.approvals
        if a["on_behalf"]
    ]


def _counts(rows: list[ChapterStatus]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.review] = counts.get(r.review, 0) + 1
    return f"{len(rows)} chapters: " + ", ".join(f"{n} {state}" for state, n in counts.items()) + "."


def _table(rows: list[ChapterStatus]) -> list[str]:
    """One theme's rows as aligned columns under a rule; the word counts right-aligned."""
    table = [HEADERS, *(_cells(r) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADERS))]
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


def _due(r: ChapterStatus) -> str:
    if not r.due:
        return "—"
    return day(dt.date.fromisoformat(r.due)) + (" (overdue)" if r.overdue else "")


def _findings(r: ChapterStatus) -> str:
    parts = [f"{r.errors} error{'s' * (r.errors != 1)}"] if r.errors else []
    if r.warnings:
        parts.append(f"{r.warnings} warning{'s' * (r.warnings != 1)}")
    return ", ".join(parts) or "none"
