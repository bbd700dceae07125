"""A newsletter's text is checked as a chapter is, by the same rules (nsp.check), scoped to its one file."""

from __future__ import annotations

from nsp.check.network import data_mentions
from nsp.check.run import findings
from nsp.diagnostics import Diagnostic, errors_in
from nsp.infra.pandoc import index_documents
from nsp.model import Document, Event, Project
from nsp.network import mentions
from nsp.rules import finding


def check_text(project: Project, doc: Document, loaded: list[Diagnostic], events: tuple[Event, ...] = ()
               ) -> list[Diagnostic]:
    """Every finding about the newsletter's file: what loading it reported, and each rule's (citations,
    links, raw code, TODO markers, P406 for names of people who did not agree to be named); and P406 for
    the text of `events`, the month's meetings, which the newsletter prints."""
    mine = [d for d in loaded if d.path == doc.path]
    return findings(project, mine, index_documents(project, [doc]), scope={doc.path}) + event_names(project, events)


def event_names(project: Project, events: tuple[Event, ...]) -> list[Diagnostic]:
    """P406 where a meeting's summary or decisions name someone who has not agreed to be named (`nsp check`
    reports the same of every event; a newsletter checks those it prints)."""
    return [finding(path, line, "P406", message) for path, line, message in data_mentions(project, events)]


# Besides errors: a TODO marker is a warning in a chapter, which review still stands between and the reader,
# but making a newsletter is publishing it.
REFUSING = frozenset({"S106"})


def refusing(found: list[Diagnostic]) -> list[Diagnostic]:
    """The findings that keep a newsletter from being made."""
    return [d for d in found if d in errors_in(found) or d.code in REFUSING]


def withheld_names(project: Project, text: str) -> list[str]:
    """Names of people who did not agree to be named that appear in a finished edition: none ever should
    (generated sections name people through nsp.network; the text is checked by P406); a last guard."""
    return sorted({person.name for _, person in mentions(text, project.people.values())})
