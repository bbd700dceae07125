"""What every format starts from: the render job, the staging folder (templates and images copied in),
and the lowering the formats share (the merged AST, copied only where a format changes it)."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from nsp import ast as A
from nsp.assemble.chapters import CHAPTER, PART
from nsp.ast import Doc, Node
from nsp.diagnostics import NspError
from nsp.infra.limits import Limits
from nsp.infra.resources import FIGURE_SOURCE, contained, data_uri


class RenderError(NspError):
    """An output could not be produced; the message says which and why."""


class Compiler(Protocol):
    """A typst compiler kept running between builds (pdf.WarmCompiler; nsp watch keeps one)."""

    def compile(self, source: Path, output: Path, epoch: int | None, sources: list[str],
                limits: Limits = Limits()) -> None: ...


@dataclass(frozen=True)
class RenderJob:
    root: Path
    staging: Path  # this output's own folder: the only place typst may read, and where pandoc finds images
    bibliography: tuple[str, ...]  # paths relative to the root
    csl: str | None
    epoch: int | None = None  # SOURCE_DATE_EPOCH for both tools: same sources, same bytes
    pdf_standards: tuple[str, ...] = ()  # e.g. ("a-2a", "ua-1") for a release
    compiler: Compiler | None = None  # nsp watch keeps one running
    downloads: tuple[tuple[str, str], ...] = ()  # (format, file name) the web edition links to
    limits: Limits = Limits()  # time and memory for each pandoc and typst run
    compile_figure: Callable[[Path], bytes] | None = None  # a .typ figure's PNG (render.figures.compiled_figure)
    typefaces: tuple[tuple[str, str], ...] = ()  # (language, typeface) the paper chose: ("ur", "naskh")


@dataclass(frozen=True)
class Prepared:
    """The merged document after staging, shared read-only by the renderers running side by side."""

    doc: Doc
    image_blocks: frozenset[int]  # indices of the top-level blocks that contain an image


def tool_env(job: RenderJob) -> dict[str, str]:
    """The environment of pandoc and typst: the job's timestamp, so the same sources give the same bytes."""
    return {**os.environ, "SOURCE_DATE_EPOCH": str(job.epoch)} if job.epoch is not None else dict(os.environ)


def template_file(job: RenderJob, rel: str) -> Path:
    """A template file, if it is inside the repository (load reports E014 for one that is not)."""
    full, _ = contained(job.root, rel)
    if full is None:
        raise RenderError(f"{rel} is a symbolic link out of the repository; previous outputs were kept")
    return full


LOGO = "logo.svg"  # the logo's name in the staging folder (templates/typst/paper.typ names it too)


def stage(job: RenderJob, doc: Doc) -> Prepared:
    """Fill the staging folder: the typst style, and a copy of every image under media/.

    Image paths (already validated, relative to the root) are rewritten to the
    copies, so neither pandoc nor typst needs to read anything outside the folder.
    """
    if job.staging.exists():
        shutil.rmtree(job.staging)
    (job.staging / "media").mkdir(parents=True)
    for style in (job.root / "templates" / "typst").glob("*.typ"):
        if style.name != "paper.typ":
            shutil.copyfile(template_file(job, f"templates/typst/{style.name}"), job.staging / style.name)
    copied: dict[str, str] = {}
    holders: set[int] = set()

    def copy_image(node: Node) -> None:
        src = node["c"][2][0]
        if src not in copied:
            full, _ = contained(job.root, src)
            if full is None:  # sanitize lets no such path through; never read one, whatever happens upstream
                raise RenderError(f"the image {src[:60]} is outside the repository; previous outputs were kept")
            data = full.read_bytes()
            suffix = Path(src).suffix.lower()
            if suffix == FIGURE_SOURCE:  # a figure drawn in typst: the PNG it compiles to (render.figures)
                if job.compile_figure is None:
                    raise RenderError(f"the figure {src} is typst source, and this output cannot compile it")
                data, suffix = job.compile_figure(full), ".png"
            name = f"media/{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
            (job.staging / name).write_bytes(data)
            copied[src] = name
        node["c"][2][0] = copied[src]

    if "logo" in doc["meta"]:  # the paper's logo (an SVG the manifest names): typst reads it from the folder
        full, _ = contained(job.root, str(doc["meta"]["logo"].get("c", "")))
        if full is None or not full.is_file():
            raise RenderError("the logo is no file inside the repository; previous outputs were kept")
        shutil.copyfile(full, job.staging / LOGO)
        doc["meta"]["logo"] = A.meta_string(LOGO)
    for i, block in enumerate(doc["blocks"]):  # the merged document is ours: staged in place
        images = A.collect([block], "Image")
        if images:
            holders.add(i)
        for image in images:
            copy_image(image)
    return Prepared(doc, frozenset(holders))


def lower_blocks(prepared: Prepared, lower_block: Callable[[Node], list[Node]],
                 lower_image: Callable[[Node], Node | None]) -> list[Node]:
    """The top-level blocks, lowered for one format, without copying the whole tree.

    Parts, chapter headings and bylines are always top-level blocks; images can sit anywhere,
    so only the blocks holding one are copied and walked. Shared blocks are never mutated:
    the other formats are being written from them at the same time.
    """
    out: list[Node] = []
    for i, block in enumerate(prepared.doc["blocks"]):
        if i in prepared.image_blocks:
            block = A.walk([A.clone(block)], lambda n: lower_image(n) if n["t"] == "Image" else None)[0]
        out.extend(lower_block(block))
    return out


def opens_page(node: Node) -> bool:
    """A part's or chapter's heading: it opens a page in the PDF and in Word; the first one ends the front matter."""
    return node["t"] == "Header" and not {PART, CHAPTER}.isdisjoint(node["c"][1][1])


def name_part(node: Node) -> Node:
    """'Terror Financing' becomes 'Part I: Terror Financing' where the format has no part pages."""
    if node["t"] != "Header" or PART not in node["c"][1][1]:
        return node
    level, attr, inlines = node["c"]
    number = dict(attr[2]).get("number", "")
    return {"t": "Header", "c": [level, attr, [*A.text_inlines(f"Part {number}:"), {"t": "Space"}, *inlines]]}




def embed_image(job: RenderJob, node: Node) -> Node:
    """An image whose staged file travels inside the AST as a data: URI, so pandoc needs no file access."""
    src = node["c"][2][0]
    if src.startswith("media/"):
        node["c"][2][0] = data_uri(job.staging / src)
    return node
