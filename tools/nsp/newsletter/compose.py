"""One document for every edition: the secretariat's text, then the sections made from the data, then
the references it cites; read by pandoc, made safe (nsp.infra.sanitize) and its citations resolved once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nsp import ast as A
from nsp import network
from nsp.assemble.chapters import REFS_ID
from nsp.assemble.citeproc import resolve_citations
from nsp.ast import Doc, Node
from nsp.infra.pandoc import parse_documents
from nsp.infra.sanitize import sanitize
from nsp.model import Document, Project
from nsp.newsletter.sections import Sections, markdown, month_name

TEXT, DATA = "nsp-letter", "nsp-data"  # the classes of the two parts
BRIEF = "THE MONTH IN BRIEF"  # the data part's heading


@dataclass(frozen=True)
class Masthead:
    """What every edition prints above the text."""

    initiative: str  # the publisher: "National Initiative against Organized Crime (NIOC) Pakistan"
    number: int  # the number
    month: str  # "January 2020"
    date: dt.date  # the month's last day: the date
    headline: str  # the text's title
    byline: str  # its authors, as nsp.network names them
    summary: str
    address: str
    email: str


def compose(project: Project, text: Document, sections: Sections, masthead: Masthead) -> Doc:
    generated = Document(path=text.path.removesuffix(".md") + ".generated.md", title="", authors=(), summary="",
                         body=markdown(project, sections), body_line=1, sha256="", theme=None)
    asts = parse_documents(project, [text, generated])
    body = sanitize(A.clone(asts[text.path]["blocks"]), root=project.root, doc_path=text.path)
    made = sanitize(A.clone(asts[generated.path]["blocks"]), root=project.root, doc_path=generated.path)
    A.prefix_ids(body, "letter")  # the writer's {#ids}: never those of the references, the site or the masthead
    A.prefix_ids(made, "data")
    if A.collect(body, "Cite"):
        body += [A.header(2, A.text_inlines("References"), ident="references"), A.div([], ident=REFS_ID)]
    # The secretariat's letter, then the month in data: the PDF sets them apart (two columns, one).
    blocks: list[Node] = [A.div(body, classes=(TEXT,)), A.div(made, classes=(DATA,))]
    doc: Doc = {"pandoc-api-version": asts[text.path]["pandoc-api-version"], "blocks": blocks,
                "meta": {"lang": A.meta_string(project.paper.lang), "title": A.meta_inlines(masthead.headline)}}
    resolve_citations(doc, root=project.root, bibliography=project.bibliography.files, csl=project.paper.csl,
                      cache_dir=project.root / "build" / ".cache" / "cite")
    return doc


def masthead(project: Project, text: Document, number: int, start: dt.date, end: dt.date) -> Masthead:
    names = [network.named(project, a) for a in text.authors]
    return Masthead(initiative=project.paper.publisher or project.paper.title, number=number,
                    month=month_name(start), date=end, headline=text.title,
                    byline=", ".join(n for n in names if n), summary=" ".join(text.summary.split()),
                    address=project.paper.address, email=project.paper.email)
