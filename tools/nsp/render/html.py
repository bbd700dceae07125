"""The web edition, written by pandoc from the merged AST: parts named in their headings, Urdu marked right to
left (with its font embedded), images embedded."""

from __future__ import annotations

import json
from pathlib import Path

from nsp import ast as A
from nsp.assemble.xrefs import number_captions
from nsp.ast import Doc, Node
from nsp.infra.pandoc import run_pandoc
from nsp.infra.resources import data_uri
from nsp.render.rtl import mark_rtl
from nsp.render.stage import LOGO, Prepared, RenderJob, embed_image, lower_blocks, name_part, template_file, tool_env

URDU_FONT = "templates/fonts/NotoNastaliqUrdu-Regular.ttf"


def lower_for_html(job: RenderJob, prepared: Prepared) -> Doc:
    marked: list[bool] = []

    def lower_block(block: Node) -> list[Node]:
        named = name_part(block)
        lowered = mark_rtl(named)
        if lowered is not named:
            marked.append(True)
        return [lowered]

    blocks = lower_blocks(prepared, lower_block, lambda n: embed_image(job, n))
    # typst and Word number captions themselves; HTML does not
    doc = {**prepared.doc, "blocks": number_captions(blocks)}
    if marked:
        doc["meta"] = {**doc["meta"], **urdu_meta(job)}
    if "logo" in doc["meta"]:  # the staged SVG, inside the page: the web edition is one self-contained file
        doc["meta"] = {**doc["meta"], "nsp-logo": A.meta_string(data_uri(job.staging / LOGO))}
    return doc


def urdu_meta(job: RenderJob) -> dict[str, Node]:
    """The template's Urdu styles, only in a web edition that has Urdu (an English one keeps its bytes).

    The font travels inside the page as a data: URI: the web edition is one self-contained file. A reader
    whose browser cannot use it sees their own Arabic-script font.
    """
    meta = {"nsp-urdu": A.meta_bool(True)}
    font = template_file(job, URDU_FONT)
    if font.is_file():
        meta["nsp-urdu-font"] = A.meta_string(data_uri(font))
    return meta


def render_html(job: RenderJob, prepared: Prepared, target: Path) -> None:
    """The web edition: one self-contained page (styles inline, images and fonts as data: URIs, no scripts)."""
    template = template_file(job, "templates/html/paper.html")
    links = [f"--metadata={fmt}-file:{name}" for fmt, name in job.downloads]
    run_pandoc(
        ["-f", "json", "-t", "html5", "--standalone", "--sandbox", f"--template={template}", "--toc",
         "--toc-depth=2", *links, "-o", str(target)],
        stdin=json.dumps(lower_for_html(job, prepared)).encode(), what="the web edition", env=tool_env(job),
        cwd=job.root, limits=job.limits,
    )
