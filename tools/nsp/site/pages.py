"""Which pages the site has, and what each shows, decided from the data alone.

Names of people come only through nsp.network, which names nobody who has not agreed; every value
here is plain text, escaped when the templates render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nsp import network
from nsp.model import Event, Organization, Paper, Project
from nsp.plan.bylines import day
from nsp.site.drafts import Draft
from nsp.site.newsletters import Issue
from nsp.site.releases import Published

MILESTONES = (("drafts", "Every chapter drafted and in review"), ("reviews", "Every chapter approved"),
              ("publication", "The paper published"))
DOWNLOADS = ((".html", "Web edition"), (".pdf", "PDF"), (".docx", "Word"))


@dataclass(frozen=True)
class PaperEntry:
    paper: Paper
    releases: tuple[Published, ...]
    draft: Draft | None = None


@dataclass(frozen=True)
class SiteData:
    project: Project  # the national paper's: the initiative, its themes, people and meetings
    papers: tuple[PaperEntry, ...]
    issues: tuple[Issue, ...]  # oldest first


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site's root
    template: str  # in templates/site/
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    draft: bool = False


def release_page(release: Published) -> str:
    return f"releases/{release.name}/index.html"


def draft_page(draft: Draft) -> str:
    return f"drafts/{draft.paper}/index.html"


def pages(data: SiteData) -> list[Page]:
    """Every page of the site, in the order the sitemap lists them."""
    paper = data.project.paper
    out = [Page("index.html", "home.html.j2", paper.title, home(data)),
           Page("papers.html", "papers.html.j2", "Papers", {"papers": [paper_entry(e) for e in data.papers]}),
           Page("newsletters/index.html", "newsletters.html.j2", "Newsletter",
                {"issues": [issue_entry(i) for i in reversed(data.issues)]}),
           Page("network.html", "network.html.j2", "Network", stakeholders(data.project)),
           Page("contact.html", "contact.html.j2", "Contact",
                {"publisher": paper.publisher, "address": paper.address, "email": paper.email})]
    out += [Page(i.page, "issue.html.j2", i.title, {"issue": issue_entry(i), "body": i.body}) for i in data.issues]
    for entry in data.papers:
        out += [Page(release_page(r), "release.html.j2", f"{r.title}, version {r.version}",
                     {"release": release_entry(r), "paper": entry.paper}) for r in entry.releases]
        if entry.draft:
            out.append(Page(draft_page(entry.draft), "draft.html.j2", entry.paper.title,
                            {"paper": entry.paper, "edition": f"drafts/{entry.draft.paper}/{entry.draft.html.name}"},
                            draft=True))
    return out


def home(data: SiteData) -> dict[str, Any]:
    project = data.project
    paper = project.paper
    events = project.events
    themes = [{"title": t.title, "lead": network.named(project, t.lead)} for t in project.themes]
    return {
        "paper": paper, "themes": themes,
        "first_meeting": event_entry(project, events[0]) if events else None,
        "meetings": len(events), "organizations": len(project.organizations),
        "plan": [{"what": what, "date": day(paper.milestones[key]), "iso": paper.milestones[key].isoformat()}
                 for key, what in MILESTONES if key in paper.milestones],
        "latest": issue_entry(data.issues[-1]) if data.issues else None,
        "papers": [paper_entry(e) for e in data.papers],
    }


def paper_entry(entry: PaperEntry) -> dict[str, Any]:
    return {"id": entry.paper.id, "title": entry.paper.title, "subtitle": entry.paper.subtitle,
            "releases": [release_entry(r) for r in entry.releases],
            "draft": draft_page(entry.draft) if entry.draft else ""}


def release_entry(release: Published) -> dict[str, Any]:
    folder = f"releases/{release.name}"
    downloads = [{"label": label, "file": f"{folder}/{name}", "name": name,
                  "size": _size((release.folder / name).stat().st_size)}
                 for suffix, label in DOWNLOADS if (name := release.output(suffix))]
    return {"title": release.title, "version": release.version, "date": day(release.date),
            "iso": release.date.isoformat(), "page": release_page(release), "downloads": downloads,
            "checksums": [{"name": n, "sha256": s.removeprefix("sha256:")} for n, s in release.outputs]}


def issue_entry(issue: Issue) -> dict[str, Any]:
    return {"title": issue.title, "number": issue.number, "month": issue.month, "date": day(issue.date),
            "iso": issue.date.isoformat(), "summary": issue.summary, "page": issue.page,
            "text": f"newsletters/{issue.month}.txt"}


def stakeholders(project: Project) -> dict[str, Any]:
    """The network page: organizations, the people who agreed to be named, and the meetings."""
    orgs = [{"name": o.name, "kind": o.kind, "anchor": f"org-{o.id}",
             "members": [{"name": p.name, "role": p.role} for p in network.members(project, o)],
             "meetings": [_meeting_link(e) for e in network.events_of(project, o.id)],
             "themes": _in_order(project, network.themes_of(project, o.id))}
            for o in _by_name(project.organizations.values())]
    people = [{"name": p.name, "role": p.role, "affiliation": p.affiliation,
               "meetings": [_meeting_link(e) for e in network.events_of(project, p.id)],
               "themes": _in_order(project, network.themes_of(project, p.id))}
              for p in network.public_people(project)]
    return {"organizations": orgs, "people": people,
            "meetings": [event_entry(project, e) for e in sorted(project.events, key=lambda e: (e.date, e.id))]}


def event_entry(project: Project, event: Event) -> dict[str, Any]:
    present = network.attendance(project, event)
    titles = {t.id: t.title for t in project.themes}
    return {"anchor": f"meeting-{event.id}", "title": event.title, "kind": event.kind, "date": day(event.date),
            "iso": event.date.isoformat(), "place": event.place, "chair": network.named(project, event.chair),
            "organizations": [o.name for o in present.organizations], "people": [p.name for p in present.people],
            "unnamed": present.unnamed, "themes": [titles[t] for t in event.themes if t in titles],
            "summary": event.summary, "decisions": list(event.decisions)}


def _in_order(project: Project, themes: list[str]) -> list[str]:
    """Theme titles in the paper's order, whatever order the roles and meetings named them in."""
    return [t.title for t in project.themes if t.id in themes]


def _meeting_link(event: Event) -> dict[str, str]:
    return {"title": event.title, "date": day(event.date), "anchor": f"meeting-{event.id}"}


def _by_name(orgs: Any) -> list[Organization]:
    return sorted(orgs, key=lambda o: o.name)


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"
