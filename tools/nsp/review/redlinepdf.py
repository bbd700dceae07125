"""`nsp diff --pdf`: the redline as a PDF for readers without Word: insertions green and underlined,
deletions red and struck through, citations formatted as in the paper.

pandoc writes the tracked Markdown (review.diff) as typst, a Lua filter turning the tracked spans into
two functions this preamble defines; typst sets it in its sandboxed child process (render.pdf).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nsp.infra.atomic import atomic_path
from nsp.infra.pandoc import run_pandoc
from nsp.render.pdf import compile_typst
from nsp.render.typst_source import typst_string
from nsp.review.diff import FILTER, READ_CHAPTER, ChapterDiff, citeproc_args, figure_bytes, redline

INSERTED, DELETED = "#1a7f37", "#b42318"  # green and red that stay apart for most colour-blind readers too


def preamble(title: str, legend: str) -> str:
    """Page, type and the two marks; the title and legend come in as typst strings, never as markup."""
    return f"""#set document(title: {typst_string(title)})
#set page(paper: "a4", margin: (x: 2.4cm, y: 2.2cm), numbering: "1")
#set text(font: "Libertinus Serif", size: 11pt, lang: "en")
#set par(justify: false, leading: 0.65em)
#show heading: set block(above: 1.2em, below: 0.7em)
#let nsp-ins(body) = text(fill: rgb("{INSERTED}"), underline(offset: 2pt, body))
#let nsp-del(body) = text(fill: rgb("{DELETED}"), strike(body)) + h(0.25em, weak: true)
#let horizontalrule = line(length: 100%, stroke: 0.5pt)
#block(fill: luma(245), inset: 8pt, radius: 3pt, width: 100%, text(size: 9pt, {typst_string(legend)}))

"""


def write_pdf(root: Path, diff: ChapterDiff, target: Path) -> None:
    r = redline(root, diff)
    staging = root / "build" / ".staging" / ("redline-" + target.stem)
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "media").mkdir(parents=True)
    staged: dict[str, str] = {}

    def stage(rel: str) -> str:  # typst reads only inside the staging folder: each image gets a copy there
        if rel not in staged:
            data, suffix = figure_bytes(root, rel)
            staged[rel] = f"media/{len(staged) + 1}{suffix}"
            (staging / staged[rel]).write_bytes(data)
        return staged[rel]

    markdown = r.with_images(stage)
    body = run_pandoc(["-f", READ_CHAPTER, "-t", "typst", "--sandbox", f"--lua-filter={FILTER}", *citeproc_args(r)],
                      stdin=markdown.encode(), what=f"the redline of {diff.chapter}").decode("utf-8")
    legend = f"Changes by {r.author}: inserted text green and underlined, deleted text red and struck through."
    source = staging / "redline.typ"
    source.write_text(preamble(f"{r.title} — changes", legend) + body, "utf-8")
    with atomic_path(target) as tmp:
        compile_typst(root, source, tmp)
