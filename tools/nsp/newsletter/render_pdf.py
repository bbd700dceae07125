"""The PDF edition: the composed document through the paper's render machinery (staging, pandoc's typst
writer, typst in a child process) with the newsletter's own template and look."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nsp import ast as A
from nsp.ast import Doc, Node
from nsp.model import Project
from nsp.newsletter.compose import DATA, TEXT, Masthead
from nsp.render.pdf import compile_typst
from nsp.render.stage import RenderJob, stage, tool_env
from nsp.render.typst_source import typst_source

FRAME = "templates/newsletter/frame.typ"


def render_pdf(project: Project, doc: Doc, head: Masthead, target: Path) -> None:
    """Write the PDF to `target` (a temporary path: the caller moves it into place)."""
    # Its timestamps are the date: the same month made twice gives the same bytes.
    epoch = int(dt.datetime(head.date.year, head.date.month, head.date.day, tzinfo=dt.UTC).timestamp())
    job = RenderJob(project.root, project.root / "build" / ".staging" / f"newsletter-{head.date:%Y-%m}",
                    project.bibliography.files, project.paper.csl, epoch=epoch, limits=project.paper.limits)
    lowered = A.clone(doc)
    A.walk(lowered["blocks"], _parts)
    meta = {"initiative": head.initiative, "number": str(head.number), "month": head.month,
            "byline": head.byline, "summary": head.summary, "address": head.address, "email": head.email}
    lowered["meta"] = {**lowered["meta"], **{k: A.meta_inlines(v) for k, v in meta.items()}}
    prepared = stage(job, lowered)
    text, sources = typst_source(job, prepared, template=FRAME)
    source = job.staging / "issue.typ"
    source.write_text(text, "utf-8")
    compile_typst(job.root, source, target, tool_env(job), sources, (), job.limits)


def _parts(node: Node) -> list[Node] | None:
    """The letter is set in two columns, the month's data across the page (templates/typst/newsletter.typ)."""
    if node["t"] != "Div" or not {TEXT, DATA} & set(node["c"][0][1]):
        return None
    call = "nsp-letter" if TEXT in node["c"][0][1] else "nsp-data"
    return [A.raw_block("typst", f"#{call}["), *node["c"][1], A.raw_block("typst", "]")]
