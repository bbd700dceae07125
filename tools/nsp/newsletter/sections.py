"""The sections nsp adds to the secretariat's text, from the data: the month's meetings (people named only
through nsp.network), each theme's progress and the month's sign-offs and the next month's deadlines (all
from nsp.progress.month_report, the numbers `nsp status --month` prints), and the releases published."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from nsp import network
from nsp.model import Event, Project
from nsp.plan.bylines import day
from nsp.plan.pages import environment
from nsp.progress import MonthReport, SignOff, month_report


@dataclass(frozen=True)
class Release:
    title: str
    version: str
    date: dt.date


@dataclass(frozen=True)
class Sections:
    month: str
    events: tuple[Event, ...]
    report: MonthReport
    releases: tuple[Release, ...]


def gather(project: Project, month: str) -> Sections:
    report = month_report(project, month)
    events = tuple(e for e in project.events if report.start <= e.date <= report.end)
    releases = tuple(r for r in published(project.root) if report.start <= r.date <= report.end)
    return Sections(month, events, report, releases)


def published(root: Path) -> list[Release]:
    """Every release under build/releases/ (its manifest.json), by date; a damaged manifest is no release."""
    found = []
    for manifest in sorted((root / "build" / "releases").glob("*/manifest.json")):
        try:
            data = json.loads(manifest.read_text("utf-8"))
            found.append(Release(str(data["title"]), str(data["version"]), dt.date.fromisoformat(data["date"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(found, key=lambda r: (r.date, r.title, r.version))


def month_name(date: dt.date) -> str:
    return f"{date:%B %Y}"


def markdown(project: Project, sections: Sections) -> str:
    """The generated sections as Markdown (every value escaped: data never becomes markup)."""
    report = sections.report
    titles = {t.id: t.title for t in project.themes}
    themes = [{"title": t.title, "chapters": t.chapters, "started": t.started, "drafting": t.drafting,
               "in_review": t.in_review, "approved": t.approved, "words": f"{t.words:,}",
               "written": f"{t.words_written:+,}" if t.words_written else "0"} for t in report.themes]
    next_month = month_name(report.end + dt.timedelta(days=1))
    return environment(project.root).get_template("newsletter.md.j2").render(
        month=month_name(report.start), next_month=next_month, paper=project.paper.title,
        events=[_event(project, e, titles) for e in sections.events], themes=themes,
        signoffs=[_signoff(project, s) for s in report.signoffs],
        deadlines=[{"date": day(d.date), "what": d.what} for d in report.deadlines],
        releases=[f"{r.title}, version {r.version}, published {day(r.date)}" for r in sections.releases])


def _event(project: Project, event: Event, titles: dict[str, str]) -> dict[str, object]:
    """An event as the newsletter shows it: people only by nsp.network (those who agreed), the rest counted."""
    who = network.attendance(project, event)
    chair = network.named(project, event.chair)
    when = ", ".join(x for x in (day(event.date), event.place, f"chaired by {chair}" if chair else "") if x)
    themes = [titles[t] for t in event.themes if t in titles]
    if themes:
        when += f" ({', '.join(themes)})"
    parts = [o.name for o in who.organizations] + [p.name for p in who.people if p.id != event.chair]
    if who.unnamed:
        parts.append(f"{who.unnamed} other participant{'s' if who.unnamed != 1 else ''}")
    return {"title": event.title, "when": when, "summary": event.summary.strip(),
            "taking_part": "; ".join(parts), "decisions": list(event.decisions)}


def _signoff(project: Project, s: SignOff) -> str:
    # SignOff.name is display_name(): a reviewer who withdrew consent is shown by role, never by name.
    who = network.named(project, s.reviewer) or "A reviewer"
    return f"{who} approved “{s.title}” ({_theme_title(project, s.theme)}) on {day(s.date)}"


def _theme_title(project: Project, theme: str) -> str:
    return next((t.title for t in project.themes if t.id == theme), theme)
