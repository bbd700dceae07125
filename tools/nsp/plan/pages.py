"""Pages nsp writes from data through jinja2 partials: the review annex, contributors and a release's colophon."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2

from nsp import network
from nsp.actions import matrix
from nsp.model import Document, Person, Project, Theme
from nsp.plan.bylines import day, how_signed
from nsp.review.state import display_name, waiting_names

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~^@$&=:\"'])")


def md_escape(text: str) -> str:
    """Data is text, never Markdown: a name cannot become a raw block or a link."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "templates" / "partials"),
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined, autoescape=False,
    )
    env.filters["md"] = md_escape
    return env


GROUPS = (("board", "Advisory board"), ("secretariat", "Secretariat"), ("lead", "Theme leads"),
          ("reviewer", "Reviewers"), ("researcher", "Researchers"), ("stakeholder", "Stakeholders consulted"))


def contributors_page(root: Path, people: dict[str, Person]) -> str:
    # Only those who agreed to be named (nsp.network): a stakeholder is listed with `public: true` alone.
    groups = [(title, sorted((p for p in people.values() if p.group == key and p.public), key=lambda p: p.name))
              for key, title in GROUPS]
    return environment(root).get_template("contributors.md.j2").render(groups=[g for g in groups if g[1]])


def review_status_page(root: Path, rows: list[dict[str, str]]) -> str:
    return environment(root).get_template("review-status.md.j2").render(rows=rows)


def colophon_page(root: Path, **fields: object) -> str:
    return environment(root).get_template("colophon.md.j2").render(**fields)


def review_annex(project: Project, chapters: list[Document]) -> Document:
    """A draft's last pages: where each chapter's review stands."""
    rows = []
    for number, doc in enumerate(chapters, start=1):
        review = project.review_of(doc)
        assert review is not None
        rows.append({"number": str(number), "title": doc.title, "state": review.state.value,
                     "approved": ", ".join(f"{display_name(r.reviewer, project.people)} ({day(r.date)}{how_signed(r)})"
                                           for r in sorted(review.current, key=lambda r: r.date)) or "—",
                     "waiting": ", ".join(waiting_names(review, project.people, _theme(project, doc).lead)) or "—"})
    return _generated(project, "review-status", "Review Status", review_status_page(project.root, rows))


def implementation_matrix(project: Project, chapters: list[Document]) -> Document | None:
    """Every action of the paper's chapters, by agency and deadline (None when they plan none)."""
    rows = matrix(chapters, project.agencies)
    if not rows:
        return None
    body = environment(project.root).get_template("implementation-matrix.md.j2").render(rows=rows)
    return _generated(project, "implementation-matrix", "Implementation Matrix", body)


def stakeholders_annex(project: Project) -> Document | None:
    """The meetings of the initiative and the institutions at them (None when papers/events.yaml lists none)."""
    if not project.events:
        return None
    titles = {t.id: t.title for t in project.themes}
    meetings = [{"date": day(e.date), "title": e.title, "place": e.place,
                 "themes": ", ".join(titles[t] for t in e.themes if t in titles) or "—",
                 "organizations": ", ".join(o.name for o in network.attendance(project, e).organizations) or "—"}
                for e in project.events]
    orgs = [{"name": o.name, "kind": o.kind,
             "meetings": str(len(network.events_of(project, o.id))),
             "people": ", ".join(p.name for p in network.members(project, o)) or "—"}
            for o in sorted(project.organizations.values(), key=lambda o: o.name)]
    body = environment(project.root).get_template("stakeholders.md.j2").render(meetings=meetings, organizations=orgs)
    return _generated(project, "stakeholders", "Stakeholders Consulted", body)


def contributors(project: Project) -> Document:
    return _generated(project, "contributors", "Contributors", contributors_page(project.root, project.people))


def colophon(project: Project, *, version: str, date: dt.date) -> Document:
    """A release's last page: who approved each theme and when, and every sign-off recorded on someone's behalf."""
    leads = []
    for theme in project.themes:
        approvals = [r for doc in project.chapters_of(theme) for r in project.review_of(doc).current  # type: ignore[union-attr]
                     if r.reviewer == theme.lead]
        last = max((r.date for r in approvals), default=None)
        leads.append({"theme": theme.title, "lead": display_name(theme.lead, project.people),
                      "date": day(last) if last else "—"})
    on_behalf = [f"{display_name(r.reviewer, project.people)}, {doc.title}, {day(r.date)}:{how_signed(r)}"
                 for doc in project.all_chapters() for r in project.review_of(doc).current if r.on_behalf]  # type: ignore[union-attr]
    body = colophon_page(project.root, title=project.paper.title, version=version,
                         publisher=project.paper.publisher or "the secretariat", date=day(date), leads=leads,
                         on_behalf=on_behalf)
    return _generated(project, "colophon", "Colophon", body)


def _generated(project: Project, name: str, title: str, body: str) -> Document:
    """A page of ours: no authors, never checked (its path ends in .generated.md, which a release leaves out)."""
    return Document(path=f"papers/{project.paper.id}/{name}.generated.md", title=title, authors=(), summary="",
                    body=body, body_line=1, sha256="", theme=None)


def _theme(project: Project, doc: Document) -> Theme:
    theme = project.theme_of(doc)
    assert theme is not None, "chapters in an outline belong to a loaded theme"
    return theme
