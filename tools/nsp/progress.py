"""Progress against the plan: where each chapter stood on any day, read from git and the review logs.

A chapter's history has three dates, each from a record nobody has to keep by hand:

- *started*: the first commit that added the file, or its first review record if that is earlier
  (a record proves the text existed); a file git does not know yet started today;
- *in review*: the date of its first review record (any verdict);
- *approved*: the first day on which the approvals of its current text satisfied the theme's
  confirmed signing rules, judged exactly as `nsp status` judges today (nsp.review.state).

Words on a day are counted in the text git held at the last commit on or before that day (the
working tree's text from today on), with a count made from the Markdown (count_words), so every
month is counted the same way. It is lower than the count `nsp status` shows (pandoc's, which counts
citations, headings and table rules as words too): compare months with months, not with it.

`nsp status --month`, the newsletter and the dashboard read `month_report` and `timeline`: one
source, so their numbers agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from nsp.infra.git import git
from nsp.model import MONTH, Document, Project, Theme
from nsp.review.records import APPROVED, Review, in_force
from nsp.review.state import chapter_review, display_name

MILESTONE_WHAT = {"drafts": "every chapter in review", "reviews": "every chapter approved",
                  "publication": "the paper published"}
SOON = 30  # days: a deadline this close is shown before it passes


@dataclass(frozen=True)
class ChapterHistory:
    chapter: str
    theme: str
    title: str
    started: dt.date | None  # None: no commit or record names it
    in_review: dt.date | None
    approved: dt.date | None
    due: dt.date | None
    commits: tuple[tuple[dt.date, str], ...] = field(default=(), compare=False)  # (date, commit), oldest first

    def bucket(self, on: dt.date) -> str:
        """Where it stood at the end of `on`: "not started", "drafting", "in review" or "approved"."""
        if self.approved and self.approved <= on:
            return "approved"
        if self.in_review and self.in_review <= on:
            return "in review"
        if self.started and self.started <= on:
            return "drafting"
        return "not started"


@dataclass(frozen=True)
class ThemeProgress:
    theme: str
    title: str
    chapters: int  # listed in theme.yaml
    started: int  # first appeared this month
    drafting: int  # at the month's end
    in_review: int
    approved: int
    words: int  # at the month's end
    words_written: int  # words at the month's end minus at its start (negative when text was cut)


@dataclass(frozen=True)
class SignOff:
    chapter: str
    theme: str
    title: str
    reviewer: str
    name: str
    date: dt.date


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    what: str
    theme: str  # "" for a paper's milestone
    done: bool


@dataclass(frozen=True)
class MonthReport:
    month: str
    start: dt.date
    end: dt.date
    themes: tuple[ThemeProgress, ...]
    signoffs: tuple[SignOff, ...]
    deadlines: tuple[Deadline, ...]  # of the month after

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        return _iso(data)  # type: ignore[no-any-return]


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_iso(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of "YYYY-MM"; ValueError for anything else."""
    m = MONTH.match(month)
    if not m:
        raise ValueError(f"'{month}' is not a month: write it as YYYY-MM (1900–2199), e.g. 2020-01")
    year, number = int(m.group(1)), int(m.group(2))
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


# ---------------------------------------------------------------- history


def timeline(project: Project, today: dt.date | None = None) -> list[ChapterHistory]:
    """Every listed chapter of the paper's themes, in paper order, with the dates of its progress."""
    today = today or dt.date.today()
    commits = _commits(project, [p for t in project.themes for p in t.chapters])
    return [_history(project, theme, path, commits.get(path, ()), today)
            for theme in project.themes for path in theme.chapters]


def _history(project: Project, theme: Theme, path: str, commits: tuple[tuple[dt.date, str], ...],
             today: dt.date) -> ChapterHistory:
    doc = project.documents.get(path)
    logged = sorted(r.date for r in project.reviews.get(theme.id, ()) if r.chapter == path)
    first_commit = commits[0][0] if commits else (today if doc else None)
    started = min((d for d in (first_commit, *logged[:1]) if d is not None), default=None)
    return ChapterHistory(path, theme.id, doc.title if doc else path, started, logged[0] if logged else None,
                          _approved_since(project, theme, doc) if doc else None, theme.due.get(path), commits)


def _approved_since(project: Project, theme: Theme, doc: Document) -> dt.date | None:
    """The first day the approvals of the chapter's current revision satisfied the rules then in force."""
    review = project.review_of(doc)
    if review is None or review.current == ():
        return None
    records = [r for r in project.records_that_count(theme) if r.chapter == doc.path]
    rules = project.rules_of(theme)
    revision = project.revision_of(doc)
    days = sorted({r.date for r in records if r.verdict == APPROVED} | {r.date for r in rules})
    for day in days:
        then = chapter_review(theme, doc, [r for r in records if r.date <= day], revision,
                              [r for r in rules if r.date <= day])
        if then.state.value == "approved" and in_force(rules, day) is not None:
            return day
    return None


def _commits(project: Project, paths: list[str]) -> dict[str, tuple[tuple[dt.date, str], ...]]:
    """Each path's commits (author date, hash), oldest first, from one `git log` (nothing when no git)."""
    if not paths:
        return {}
    done = git(project.root, "log", "--format=@%H %as", "--name-only", "--no-renames", "--", *paths)
    found: dict[str, list[tuple[dt.date, str]]] = {}
    current: tuple[dt.date, str] | None = None
    for line in done.out.splitlines() if done.ok else []:
        if line.startswith("@"):
            commit, _, day = line[1:].partition(" ")
            current = (dt.date.fromisoformat(day), commit)
        elif line and current:
            found.setdefault(line, []).append(current)
    return {p: tuple(sorted(c)) for p, c in found.items()}


# ---------------------------------------------------------------- words

FENCED = re.compile(r"^(`{3,}|~{3,})(.*?)\n.*?^\1[ \t]*$", re.M | re.S)
NOT_WORDS = re.compile(r"\]\([^)\n]*\)|\{[^}\n]*\}|\[@[^\]\n]*\]|<!--.*?-->|@[\w:.-]+", re.S)
WORD = re.compile(r"\w")


def count_words(markdown: str) -> int:
    """Words a reader sees in a chapter file: front matter, code, link targets, attributes and citation
    keys left out (an ```actions block is prose set as a table: its words count)."""
    return count_body_words(re.sub(r"\A---\n.*?\n(---|\.\.\.)[ \t]*\n", "", markdown.replace("\r\n", "\n"), flags=re.S))


def count_body_words(body: str) -> int:
    """count_words of a text without its front matter (a loaded Document's body)."""
    body = FENCED.sub(lambda m: m.group(0) if m.group(2).strip().startswith("actions") else " ", body)
    body = NOT_WORDS.sub(" ", body)
    return sum(1 for token in body.split() if WORD.search(token))


class _Words:
    """Words of chapters on given days; each blob is read from git once."""

    def __init__(self, project: Project, today: dt.date) -> None:
        self.project, self.today = project, today
        self._blobs: dict[tuple[str, str], int] = {}

    def on(self, history: ChapterHistory, day: dt.date) -> int:
        if day >= self.today:
            doc = self.project.documents.get(history.chapter)
            return count_body_words(doc.body) if doc else 0
        before = [c for d, c in history.commits if d <= day]
        if not before:
            return 0
        key = (before[-1], history.chapter)
        if key not in self._blobs:
            done = git(self.project.root, "show", f"{before[-1]}:{history.chapter}")
            self._blobs[key] = count_words(done.out) if done.ok else 0
        return self._blobs[key]


# ---------------------------------------------------------------- the month


def month_report(project: Project, month: str, today: dt.date | None = None) -> MonthReport:
    """Progress of each theme in `month`, its sign-offs, and the deadlines of the month after."""
    today = today or dt.date.today()
    start, end = month_bounds(month)
    histories = timeline(project, today)
    words = _Words(project, today)
    themes = tuple(_theme_month(theme, [h for h in histories if h.theme == theme.id], start, end, words)
                   for theme in project.themes)
    after_start, after_end = month_bounds(f"{end + dt.timedelta(days=1):%Y-%m}")
    return MonthReport(month, start, end, themes, _signoffs(project, start, end),
                       tuple(deadlines(project, histories, after_start, after_end, today)))


def _theme_month(theme: Theme, histories: list[ChapterHistory], start: dt.date, end: dt.date,
                 words: _Words) -> ThemeProgress:
    at_end = [h.bucket(end) for h in histories]
    before = start - dt.timedelta(days=1)
    total_end = sum(words.on(h, end) for h in histories)
    return ThemeProgress(
        theme=theme.id, title=theme.title, chapters=len(histories),
        started=sum(1 for h in histories if h.started and start <= h.started <= end),
        drafting=at_end.count("drafting"), in_review=at_end.count("in review"), approved=at_end.count("approved"),
        words=total_end, words_written=total_end - sum(words.on(h, before) for h in histories))


def _signoffs(project: Project, start: dt.date, end: dt.date) -> tuple[SignOff, ...]:
    """Approvals dated in the month, from the records that count (a record committed by someone else is none)."""
    found: list[tuple[Review, Theme]] = [(r, t) for t in project.themes for r in project.records_that_count(t)
                                         if r.verdict == APPROVED and start <= r.date <= end]
    return tuple(SignOff(r.chapter, t.id, _title(project, r.chapter), r.reviewer,
                         display_name(r.reviewer, project.people), r.date)
                 for r, t in sorted(found, key=lambda f: (f[0].date, f[0].chapter, f[0].reviewer)))


def _title(project: Project, path: str) -> str:
    doc = project.documents.get(path)
    return doc.title if doc else path


def deadlines(project: Project, histories: list[ChapterHistory], start: dt.date, end: dt.date,
              today: dt.date) -> list[Deadline]:
    """Chapters' due dates and the paper's milestones from `start` to `end`, by date; `done` as of today."""
    titles = {t.id: t.title for t in project.themes}
    out = [Deadline(h.due, f"Draft of “{h.title}” ({titles[h.theme]}) due for review", h.theme,
                    h.bucket(today) in ("in review", "approved"))
           for h in histories if h.due and start <= h.due <= end]
    out += [Deadline(day, f"Milestone: {MILESTONE_WHAT[name]}", "", milestone_met(project, name, histories, today))
            for name, day in project.paper.milestones.items() if start <= day <= end]
    return sorted(out, key=lambda d: (d.date, d.theme, d.what))


def late_and_soon(project: Project, histories: list[ChapterHistory], today: dt.date,
                  theme: str | None = None) -> tuple[list[Deadline], list[Deadline]]:
    """The plan's deadlines that passed unmet, and those of the next SOON days (of one theme and the paper's
    milestones, when `theme` is given)."""
    plan = [d for d in deadlines(project, histories, dt.date.min, dt.date.max, today) if d.theme in (theme, "")
            or not theme]
    return ([d for d in plan if d.date < today and not d.done],
            [d for d in plan if today <= d.date <= today + dt.timedelta(days=SOON)])


def milestone_met(project: Project, name: str, histories: list[ChapterHistory], today: dt.date) -> bool:
    if name == "publication":
        return any((project.root / "build" / "releases").glob(f"{project.paper.id}-*/manifest.json"))
    wanted = ("in review", "approved") if name == "drafts" else ("approved",)
    return bool(histories) and all(h.bucket(today) in wanted for h in histories)
