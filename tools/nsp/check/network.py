"""P406–P407, S120: consent to be named, the network's ids (events, organizations), and the plan's due dates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from nsp.check.context import Context, Finding
from nsp.diagnostics import Diagnostic, errors_in
from nsp.load.network import EVENTS, PEOPLE
from nsp.load.schema import did_you_mean
from nsp.model import Event, Person, Project, valid_id
from nsp.network import mentions
from nsp.rules import finding


def named_without_consent(ctx: Context) -> Iterator[Finding]:
    """P406: A published page names someone who has not agreed to be named (public: false)."""
    people = ctx.project.people
    for doc in ctx.documents():
        for author in doc.authors:
            person = people.get(author)
            if person is not None and not person.public:
                yield (doc.path, doc.key_lines.get("authors", 0),
                       f"author '{author}' has not agreed to be named ({_consent(person)}): ask them, "
                       "or take them off authors:")
        texts = [(doc.key_lines.get(key, 1), text) for key, text in (("title", doc.title), ("summary", doc.summary))]
        for first, text in [*texts, (doc.body_line, doc.body)]:
            for line, person in mentions(text, people.values()):
                yield (doc.path, first + line - 1,
                       f"names {person.name}, who has not agreed to be named ({_consent(person)}): write their "
                       "role instead ('an FIA official'), or record their consent with public: true")
    if not ctx.whole_paper:
        return
    for theme in ctx.project.themes:
        for key, ids in (("lead", (theme.lead,)), ("reviewers", theme.reviewers)):
            for pid in ids:
                person = people.get(pid)
                if person is not None and not person.public:
                    yield (theme.path, theme.key_lines.get(key, 0),
                           f"{key}: '{pid}' signs the paper, which names them, but has not agreed to be named "
                           f"({_consent(person)})")
    yield from data_mentions(ctx.project, ctx.project.events)


def data_mentions(project: Project, events: tuple[Event, ...]) -> Iterator[Finding]:
    """P406 in data pages print as written: an event's title, place, summary or decisions, an organization's
    name, a named person's name, role and affiliation. The check, the newsletter (for the month's events) and
    the site (for all) ask here."""
    people = project.people.values()
    texts = [(EVENTS, e.line, f"event '{e.id}'", t) for e in events for t in (e.title, e.place, e.summary,
                                                                               *e.decisions)]
    texts += [(PEOPLE, o.line, f"organization '{o.id}'", o.name) for o in project.organizations.values()]
    # The name, role and affiliation of whoever is named are printed beside their name: none may name another.
    texts += [(PEOPLE, p.line, f"person '{p.id}'", t) for p in project.people.values() if p.public
              for t in (p.name, p.role, p.affiliation)]
    for path, line, what, text in texts:
        for _, person in mentions(text, people):
            yield (path, line, f"{what} names {person.name}, who has not agreed to be named "
                               f"({_consent(person)}): write their role instead")


def _consent(person: Person) -> str:
    """Why nsp holds them back: what people.yaml says, or does not say, of their consent."""
    return f"public: false in {PEOPLE}" if person.consent is False else f"no public: true in {PEOPLE}"


def network_ids(ctx: Context) -> Iterator[Finding]:
    """P407: An event or organization names a person, organization or theme nsp does not know."""
    if ctx.whole_paper:
        yield from _unknown_ids(ctx.project)


def _unknown_ids(project: Project) -> Iterator[Finding]:
    known = set(project.people) | set(project.organizations)
    for event in project.events:
        lines = event.key_lines
        for key, ids, choices in (("chair", (event.chair,) if event.chair else (), set(project.people)),
                                  ("attendance", event.attendance, known)):
            for pid in ids:
                if pid not in choices:
                    yield (EVENTS, lines.get(key, event.line),
                           f"event '{event.id}': {key} '{pid}' is neither a person nor an organization in "
                           f"{PEOPLE}{did_you_mean(pid, choices)}")
        for theme in event.themes:
            if not valid_id(theme) or not (project.root / theme / "theme.yaml").is_file():
                yield (EVENTS, lines.get("themes", event.line),
                       f"event '{event.id}': theme '{theme}' has no folder with a theme.yaml")
    for org in project.organizations.values():
        if org.id in project.people:  # attendance: [id] would name both
            yield (PEOPLE, org.line, f"organization '{org.id}' has the id of a person; give it another")
        for pid in org.people:
            if pid not in project.people:
                yield (PEOPLE, org.line, f"organization '{org.id}': person '{pid}' is not in {PEOPLE}"
                                         f"{did_you_mean(pid, set(project.people))}")


def data_errors(project: Project, loaded: list[Diagnostic]) -> list[Diagnostic]:
    """What keeps a page made from the data (the newsletter, the site, a month's progress) from being made:
    an error in a file it prints from (the manifests, people, events, themes), an id that names nobody
    (P407), a name without consent in the data (P406). A mistake in a chapter is `nsp build`'s to refuse."""
    return ([d for d in errors_in(loaded) if is_data_file(d.path)]
            + [finding(path, line, "P407", message) for path, line, message in _unknown_ids(project)]
            + [finding(path, line, "P406", message) for path, line, message in data_mentions(project, project.events)])


def is_data_file(path: str) -> bool:
    return (path.startswith("papers/") and path.endswith(".yaml")) or path.endswith("/theme.yaml")


def due_dates_of_listed_chapters(ctx: Context) -> Iterator[Finding]:
    """S120: A theme's `due:` names a chapter its `chapters:` does not list."""
    if not ctx.whole_paper:
        return
    for theme in ctx.project.themes:
        listed = {Path(c).name for c in theme.chapters}
        for chapter in theme.due:
            name = Path(chapter).name
            if chapter not in theme.chapters:
                yield (theme.path, theme.key_lines.get("due", 0),
                       f"due: '{name}' is not among the theme's chapters{did_you_mean(name, listed)}")
