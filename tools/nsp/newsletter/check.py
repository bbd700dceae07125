"""A newsletter's text is checked as a chapter is, by the same rules (nsp.check), scoped to its one file."""

from __future__ import annotations

from nsp.check.network import data_errors
from nsp.check.run import findings
from nsp.diagnostics import Diagnostic, errors_in
from nsp.infra.pandoc import index_documents
from nsp.model import Document, Project
from nsp.network import mentions


def check_text(project: Project, doc: Document, loaded: list[Diagnostic]) -> list[Diagnostic]:
    """Every finding about the newsletter's file: what loading it reported, and each rule's (citations,
    links, raw code, TODO markers, P406 for names of people who did not agree to be named); and what keeps
    any page made from the data from being made (nsp.check.network.data_errors): errors in the data files,
    P407, and P406 in the events' text and the people's roles, which the newsletter prints."""
    mine = [d for d in loaded if d.path == doc.path]
    # The data it prints from must be sound too: a broken events.yaml would print "no meeting this month".
    return findings(project, mine, index_documents(project, [doc]), scope={doc.path}) + data_errors(project, loaded)


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
