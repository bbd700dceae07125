"""Word: the merged AST lowered for Word (bylines as a custom style, parts named in their headings, a mark
before each part and chapter, Urdu marked right to left, images embedded), written by pandoc and finished in
place: the cover, imprint, sections and running header as the PDF's (nsp.infra.docxlayout)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from nsp import ast as A
from nsp.assemble.chapters import BYLINE, PART
from nsp.ast import Doc, Node
from nsp.infra.docxfile import finish_docx
from nsp.infra.docxlayout import MAIN_MATTER, NEW_PAGE, PART_PAGE, Layout
from nsp.infra.pandoc import run_pandoc
from nsp.render.rtl import mark_rtl
from nsp.render.stage import (
    Prepared,
    RenderJob,
    embed_image,
    lower_blocks,
    name_part,
    opens_page,
    template_file,
    tool_env,
)

DRAFT_NOTICE = "DRAFT — for consultation; not for citation or circulation"
IMPRINT_LINES = ("notice", "permissions", "secretariat", "address", "website", "credit", "isbn")


def lower_for_docx(job: RenderJob, prepared: Prepared) -> Doc:
    opened: list[bool] = []

    def lower_block(node: Node) -> list[Node]:
        if node["t"] == "Div" and BYLINE in node["c"][0][1]:
            return [A.div([b], attrs=(("custom-style", "Byline"),)) for b in node["c"][1]]
        return [*page_marks(node, opened), mark_rtl(name_part(node))]

    blocks = lower_blocks(prepared, lower_block, lambda n: embed_image(job, n))
    # The contents are titled as in the PDF (the cover and the draft notice: nsp.infra.docxlayout).
    return {**prepared.doc, "meta": {**prepared.doc["meta"], "toc-title": A.meta_inlines("Contents")},
            "blocks": blocks}


def page_marks(node: Node, opened: list[bool]) -> list[Node]:
    """Before a part or chapter heading, the marks finish_layout turns into a new page (and, before the first,
    a section break: the page numbers restart in arabic)."""
    if not opens_page(node):
        return []
    marks = [] if opened else [A.raw_block("openxml", MAIN_MATTER)]
    opened.append(True)
    return [*marks, A.raw_block("openxml", PART_PAGE if PART in node["c"][1][1] else NEW_PAGE)]


def layout_of(meta: dict[str, Node]) -> Layout:
    """The cover, imprint and header texts, from the metadata every format gets (assemble.chapters)."""
    def text(key: str) -> str:
        return A.stringify(meta.get(key, []))

    edition = " · ".join(t for t in (text("edition"), text("date")) if t)
    return Layout(publisher=text("publisher"), title=text("title"), subtitle=text("subtitle"), edition=edition,
                  version=f"Version {text('version')}" if text("version") else "",
                  draft_notice=DRAFT_NOTICE if meta.get("draft", {}).get("c") else "",
                  short_title=text("short-title") or text("title"),
                  imprint=tuple(text(f"imprint-{k}") for k in IMPRINT_LINES if text(f"imprint-{k}")))


def render_docx(job: RenderJob, prepared: Prepared, target: Path) -> None:
    reference = template_file(job, "templates/reference.docx")
    # --sandbox: pandoc reads only the files named here; the images travel inside the AST as data: URIs.
    run_pandoc(
        [
            "-f",
            "json",
            "-t",
            "docx+native_numbering",
            "--sandbox",
            f"--reference-doc={reference}",
            "--toc",
            # The contents go as deep as the PDF's: parts and their chapters; a paper without parts, its chapters.
            f"--toc-depth={2 if prepared.doc['meta'].get('parts', {}).get('c') else 1}",
            "-o",
            str(target),
        ],
        stdin=json.dumps(lower_for_docx(job, prepared)).encode(),
        what="the Word document",
        env=tool_env(job),
        cwd=job.root,
        limits=job.limits,
    )
    when = dt.datetime.fromtimestamp(job.epoch, dt.UTC) if job.epoch is not None else None
    finish_docx(target, when, layout_of(prepared.doc["meta"]))
