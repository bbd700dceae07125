"""The web edition, written by pandoc from the merged AST: parts named in their headings, images embedded."""

from __future__ import annotations

import json
from pathlib import Path

from nsp.assemble.xrefs import number_captions
from nsp.ast import Doc
from nsp.infra.pandoc import run_pandoc
from nsp.render.stage import Prepared, RenderJob, embed_image, lower_blocks, name_part, template_file, tool_env


def lower_for_html(job: RenderJob, prepared: Prepared) -> Doc:
    blocks = lower_blocks(prepared, lambda b: [name_part(b)], lambda n: embed_image(job, n))
    # typst and Word number captions themselves; HTML does not
    return {**prepared.doc, "blocks": number_captions(blocks)}


def render_html(job: RenderJob, prepared: Prepared, target: Path) -> None:
    """The web edition: one self-contained page (styles inline, images as data: URIs, no scripts)."""
    template = template_file(job, "templates/html/paper.html")
    links = [f"--metadata={fmt}-file:{name}" for fmt, name in job.downloads]
    run_pandoc(
        ["-f", "json", "-t", "html5", "--standalone", "--sandbox", f"--template={template}", "--toc",
         "--toc-depth=2", *links, "-o", str(target)],
        stdin=json.dumps(lower_for_html(job, prepared)).encode(), what="the web edition", env=tool_env(job),
        cwd=job.root, limits=job.limits,
    )
