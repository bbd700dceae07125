"""`nsp status --html`: the dashboard, one page with each theme's progress over time against the plan.

The charts are SVG written here from nsp.progress's timeline: no JavaScript, no network, no library
to load, so the page opens from a file, a mail attachment or a shared drive alike. The chart shows
the plan's window (from the first meeting or due date to a month after the last milestone); where
today lies beyond it, a last bar shows where things stand today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import jinja2

from nsp.diagnostics import UsageError
from nsp.infra.atomic import write_atomic
from nsp.model import Project, Theme
from nsp.plan.bylines import day
from nsp.progress import MILESTONE_WHAT, ChapterHistory, late_and_soon, timeline
from nsp.review.status import overdue

GENERATOR = "nsp status --html"
TEMPLATE = "dashboard.html.j2"  # in the repository's templates/html/: the secretariat may restyle it
BUCKETS = (("approved", "#0b4d2c", "Approved"), ("in review", "#5b9a74", "In review"),
           ("drafting", "#c9dfd1", "Drafting"))
Scale = Callable[[float], float]  # a count of chapters -> its y in the chart
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 220, 44, 96, 16, 40


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    today: dt.date

    def x(self, day_: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        inner = WIDTH - LEFT - RIGHT
        return LEFT + inner * min(max((day_ - self.start).days, 0), span) / span

    @property
    def beyond(self) -> bool:
        return self.today > self.end


def write_dashboard(project: Project, target: Path, today: dt.date | None = None) -> Path:
    """Write the dashboard to `target` (relative to the current folder); refuse to replace a file nsp did not
    write. `project`: the one `nsp status` loaded, so that the paper is read once."""
    if target.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"{target}: the dashboard is an HTML page; give a file name ending in .html")
    if target.exists() and GENERATOR not in target.read_text("utf-8", "replace")[:2000]:
        raise UsageError(f"{target} exists and nsp did not write it; choose another name, or move it away first")
    root = project.root
    try:
        html = dashboard_html(project, today or dt.date.today())
    except jinja2.TemplateError as exc:  # the repository's own template: name it, never a traceback
        where = f"templates/html/{TEMPLATE}" + (f":{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else "")
        problem = "it is missing" if isinstance(exc, jinja2.TemplateNotFound) else exc.message
        raise UsageError(f"{where}: {problem}; restore it from git, or fix it") from None
    if not target.parent.is_dir():
        # build/ is nsp's to make; any other folder that is not there is more likely a typo than a wish.
        if not target.resolve().is_relative_to((root / "build").resolve()):
            raise UsageError(f"{target}: the folder {target.parent} does not exist; make it first, or write into "
                             "build/")
        target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, html.encode())
    return target


def dashboard_html(project: Project, today: dt.date) -> str:
    histories = timeline(project, today)
    window = _window(project, histories, today)
    late, soon = late_and_soon(project, histories, today)
    themes = [_theme_view(t, [h for h in histories if h.theme == t.id], window, project) for t in project.themes]
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             loader=jinja2.FileSystemLoader(project.root / "templates" / "html"))
    return env.get_template(TEMPLATE).render(
        paper=project.paper, today=day(today), generator=GENERATOR, themes=themes,
        late=late, soon=soon,
        milestones=[{"what": MILESTONE_WHAT[n], "date": day(d)} for n, d in project.paper.milestones.items()],
        day=day, legend=BUCKETS)


def _theme_view(theme: Theme, histories: list[ChapterHistory], window: Window, project: Project) -> dict[str, Any]:
    today = window.today
    return {"title": theme.title, "id": theme.id, "chart": chart(histories, window, project),
            "now": {b: sum(1 for h in histories if h.bucket(today) == b) for b, _, _ in BUCKETS},
            "chapters": [{"title": h.title, "state": h.bucket(today), "due": day(h.due) if h.due else "—",
                          "late": overdue(h, today)} for h in histories]}


def _window(project: Project, histories: list[ChapterHistory], today: dt.date) -> Window:
    """From the first meeting, due date or start to a month after the last milestone (or due date)."""
    starts = [e.date for e in project.events] + [h.due for h in histories if h.due] + \
        [h.started for h in histories if h.started]
    ends = list(project.paper.milestones.values()) + [h.due for h in histories if h.due]
    start = min(starts, default=today)
    end = max(ends, default=today) + dt.timedelta(days=30)
    return Window(start, max(end, start + dt.timedelta(days=30)), today)


def _counts(histories: list[ChapterHistory], on: dt.date) -> dict[str, int]:
    buckets = [h.bucket(on) for h in histories]
    return {b: buckets.count(b) for b, _, _ in BUCKETS}


def chart(histories: list[ChapterHistory], window: Window, project: Project) -> str:
    """One theme's chapters by state, stacked, day by day over the window, with the plan drawn over it."""
    total = max(len(histories), 1)

    def y(count: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - count / total)

    days = sorted({window.start, window.end} | {d for h in histories for d in (h.started, h.in_review, h.approved)
                                                if d and window.start <= d <= window.end})
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="Chapters by state over time">', _axes(window, total, y)]
    # Widest first: each state's area is drawn over the one below it in the stack.
    for n, (_, colour, _) in reversed(list(enumerate(BUCKETS))):
        upto = [b for b, _, _ in BUCKETS[:n + 1]]
        parts.append(_area([(window.x(d), y(sum(_counts(histories, d)[b] for b in upto))) for d in days],
                           window, y(0), colour))
    parts.append(_plan_line(histories, window, y))
    parts += [_marker(window, when, what, HEIGHT - BOTTOM) for what, when in project.paper.milestones.items()
              if window.start <= when <= window.end]
    if window.beyond:
        parts.append(_today_bar(histories, window, y))
    parts.append("</svg>")
    return "\n".join(parts)


def _axes(window: Window, total: int, y: Scale) -> str:
    base = HEIGHT - BOTTOM
    ticks: list[str] = []
    month = dt.date(window.start.year, window.start.month, 1)
    while month <= window.end:
        if month >= window.start:
            x = window.x(month)
            ticks.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" stroke="#555"/>'
                         f'<text x="{x:.1f}" y="{base + 16}" font-size="11" text-anchor="middle" fill="#333">'
                         f'{month:%b}</text>' + (f'<text x="{x:.1f}" y="{base + 29}" font-size="10" '
                                                 f'text-anchor="middle" fill="#555">{month:%Y}</text>'
                                                 if month.month == 1 or not ticks else ""))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    right = WIDTH - RIGHT
    return (f'<line x1="{LEFT}" y1="{base}" x2="{right}" y2="{base}" stroke="#555"/>'
            f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#555"/>'
            f'<text x="{LEFT - 6}" y="{TOP + 4}" font-size="11" text-anchor="end" fill="#333">{total}</text>'
            f'<text x="{LEFT - 6}" y="{base}" font-size="11" text-anchor="end" fill="#333">0</text>' + "".join(ticks))


def _area(points: list[tuple[float, float]], window: Window, base: float, colour: str) -> str:
    """A step area: the count holds until the next change."""
    path = [f"M{points[0][0]:.1f},{base:.1f}"]
    previous = None
    for x, y in points:
        if previous is not None:
            path.append(f"L{x:.1f},{previous:.1f}")
        path.append(f"L{x:.1f},{y:.1f}")
        previous = y
    path.append(f"L{points[-1][0]:.1f},{base:.1f}Z")
    return f'<path d="{" ".join(path)}" fill="{colour}" stroke="none"/>'


def _plan_line(histories: list[ChapterHistory], window: Window, y: Scale) -> str:
    """The plan: how many chapters should be in review by each day (their due dates), as a dashed step line."""
    dues = sorted(h.due for h in histories if h.due and h.due <= window.end)
    if not dues:
        return ""
    points: list[tuple[float, float]] = [(window.x(window.start), 0)]
    for n, due in enumerate(dues, start=1):
        points += [(window.x(due), n - 1), (window.x(due), n)]
    points.append((window.x(window.end), len(dues)))
    coords = " ".join(f"{x:.1f},{y(count):.1f}" for x, count in points)
    return (f'<polyline points="{coords}" fill="none" stroke="#b22222" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{window.x(window.end) + 4:.1f}" y="{y(len(dues)) + 4:.1f}" font-size="11" '
            f'fill="#b22222">planned</text>')


def _marker(window: Window, when: dt.date, name: str, base: float) -> str:
    x = window.x(when)
    return (f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{base}" stroke="#333" stroke-dasharray="2 3"/>'
            f'<text x="{x + 3:.1f}" y="{TOP + 10}" font-size="10" fill="#333">{escape(name)}</text>')


def _today_bar(histories: list[ChapterHistory], window: Window, y: Scale) -> str:
    """Where the theme stands today, beyond the plan's window: one stacked bar at the right."""
    x = WIDTH - 30  # in the right margin, past the "planned" label
    counts = _counts(histories, window.today)
    out, below = [], 0
    for bucket, colour, _ in BUCKETS:
        n = counts[bucket]
        top, bottom = y(below + n), y(below)
        if n:
            out.append(f'<rect x="{x}" y="{top:.1f}" width="18" height="{bottom - top:.1f}" fill="{colour}"/>')
        below += n
    out.append(f'<text x="{x + 9}" y="{HEIGHT - BOTTOM + 16}" font-size="10" text-anchor="middle" fill="#333">'
               f'today</text>')
    return "".join(out)
