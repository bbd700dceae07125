"""Limits: what would make a check or a build hang, crash or exhaust the machine.

The source limits (S111–S114) are found by `nsp.limits.scan` before pandoc reads
a chapter; a chapter that exceeds one is not parsed, so its index carries only
these problems and the other rules pass over it. Every limit can be changed in
the paper's manifest under `limits:` (see docs/reliability.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.infra.limits import image_size
from nsp.infra.resources import is_remote, resolve_local


def _problems(ctx: Context, code: str) -> Iterator[Finding]:
    for path, index in ctx.indexes.items():
        doc = ctx.project.documents.get(path)
        for p in index.problems:
            if doc is not None and p.code == code:
                yield path, doc.body_line + p.line if p.line >= 0 else 0, p.message


def nesting(ctx: Context) -> Iterator[Finding]:
    """S111: Lists, block quotes and divisions nested deeper than `limits: nesting_depth` (12)."""
    yield from _problems(ctx, "S111")


def brackets(ctx: Context) -> Iterator[Finding]:
    """S112: Square brackets nested, or left open, deeper than `limits: bracket_depth` (6) in one paragraph."""
    yield from _problems(ctx, "S112")


def paragraphs(ctx: Context) -> Iterator[Finding]:
    """S113: A paragraph (a run of non-blank lines) longer than `limits: paragraph_chars` (100,000)."""
    yield from _problems(ctx, "S113")


def citations(ctx: Context) -> Iterator[Finding]:
    """S114: More citations in one chapter than `limits: citations_per_chapter` (2,000)."""
    yield from _problems(ctx, "S114")


def tool_limits(ctx: Context) -> Iterator[Finding]:
    """E016: pandoc ran out of time or memory reading this chapter."""
    yield from _problems(ctx, "E016")


def image_pixels(ctx: Context) -> Iterator[Finding]:
    """A515: An image whose header claims more pixels than `limits: image_megapixels` (50 million)."""
    limit = ctx.project.paper.limits.image_megapixels
    for doc in ctx.documents():
        for url in dict.fromkeys(ctx.indexes[doc.path].images):
            if is_remote(url):
                continue
            full, _ = resolve_local(ctx.project.root, doc.path, url)
            size = image_size(full) if full is not None and full.is_file() else None
            if size and size[0] * size[1] > limit * 1_000_000:
                yield (
                    doc.path,
                    ctx.find_line(doc, url),
                    f"image '{url}' is {size[0]}×{size[1]} pixels, over the limit of {limit} million "
                    "(limits: image_megapixels); "
                    "scale it down to the size it is printed at",
                )
