"""Word: the merged AST lowered for Word (bylines and the draft notice as custom styles, parts named in
their headings, Urdu marked right to left, images embedded), written by pandoc and finished in place."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from nsp import ast as A
from nsp.assemble.chapters import BYLINE
from nsp.ast import Doc, Node
from nsp.infra.docxfile import finish_docx
from nsp.infra.pandoc import run_pandoc
from nsp.render.rtl import mark_rtl
from nsp.render.stage import Prepared, RenderJob, embed_image, lower_blocks, name_part, template_file, tool_env

DRAFT_NOTICE = "DRAFT — for consultation; not for citation or circulation"


def lower_for_docx(job: RenderJob, prepared: Prepared) -> Doc:
    def lower_block(node: Node) -> list[Node]:
        if node["t"] == "Div" and BYLINE in node["c"][0][1]:
            return [A.div([b], attrs=(("custom-style", "Byline"),)) for b in node["c"][1]]
        return [mark_rtl(name_part(node))]

    blocks = lower_blocks(prepared, lower_block, lambda n: embed_image(job, n))
    meta = prepared.doc["meta"]
    if meta.get("draft", {}).get("c"):
        # Word has no page background we can set from pandoc: the notice opens the document instead.
        blocks.insert(0, A.div([A.para(A.text_inlines(DRAFT_NOTICE))], attrs=(("custom-style", "Draft Notice"),)))
    # pandoc's Word cover has one line under the author: it says what the PDF cover says.
    edition = [A.stringify(meta[k]) for k in ("version", "edition", "date") if A.stringify(meta.get(k, []))]
    if meta.get("version"):
        edition[0] = f"Version {edition[0]}"
    cover = {"date": A.meta_inlines(" · ".join(edition))} if edition else {}
    return {**prepared.doc, "meta": {**meta, **cover}, "blocks": blocks}


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
            "--toc-depth=2",
            "-o",
            str(target),
        ],
        stdin=json.dumps(lower_for_docx(job, prepared)).encode(),
        what="the Word document",
        env=tool_env(job),
        cwd=job.root,
        limits=job.limits,
    )
    finish_docx(target, dt.datetime.fromtimestamp(job.epoch, dt.UTC) if job.epoch is not None else None)
