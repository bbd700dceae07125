"""Limits: what would make a check or a build hang, crash or exhaust the machine.

The source limits (S111–S114) are found by `nsp.limits.scan` before pandoc reads
a chapter; a chapter that exceeds one is not parsed, so its index carries only
these problems and the other rules pass over it. Every limit can be changed in
the paper's manifest under `limits:` (see docs/reliability.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from nsp.check.context import Context
from nsp.diagnostics import Severity
from nsp.infra.limits import image_size
from nsp.infra.resources import is_remote, resolve_local
from nsp.rules import Finding, declare, rule

E = Severity.ERROR

declare("E015", "yaml-alias", E, """
    A YAML anchor or alias (`&name`, `*name`) in any file nsp reads: manifest, people, theme, reviews, front matter.

    Why: nsp's files never need them, and aliases of aliases multiply: a 3 KB "billion
    laughs" block expands to billions of values and hung every command that read it.
    Example: `authors: &a [ana]` then `summary: *a`; write each value out in full.""")


def _problems(ctx: Context, code: str) -> Iterator[Finding]:
    for path, index in ctx.indexes.items():
        doc = ctx.project.documents.get(path)
        for p in index.problems:
            if doc is not None and p.code == code:
                yield path, doc.body_line + p.line if p.line >= 0 else 0, p.message


@rule("S111", "nesting-too-deep", E)
def nesting(ctx: Context) -> Iterator[Finding]:
    """Lists, block quotes and divisions (`:::`, `<div>`, `<span>`) nested deeper than `limits: nesting_depth` (12).

    Why: typst refuses 17 nested quotes, and past a few hundred levels nsp's own reading of
    pandoc's output crashed the build with a Python traceback. Real writing stops at four or five.
    Example: a line of 600 `> ` before the text, or a list indented 2 more spaces on each of 600 lines.
    """
    yield from _problems(ctx, "S111")


@rule("S112", "bracket-run", E)
def brackets(ctx: Context) -> Iterator[Finding]:
    """Square brackets nested, or left open, deeper than `limits: bracket_depth` (6) in one paragraph.

    Why: pandoc's reader tries every way of pairing them: eight nested pairs take a second,
    twelve over a minute, forty unclosed ones hours. The chapter is not given to pandoc at all.
    Example: `[[[[[[[[[[[[a` or a pasted run of `[`; escape literal brackets as `\\[`.
    """
    yield from _problems(ctx, "S112")


@rule("S113", "paragraph-too-large", E)
def paragraphs(ctx: Context) -> Iterator[Finding]:
    """A paragraph (a run of non-blank lines) longer than `limits: paragraph_chars` (100,000).

    Why: typst lays out a paragraph as a whole; a 4.8 MB one ran for six minutes and then failed.
    Example: a data dump pasted without blank lines; split it, or leave the data out.
    """
    yield from _problems(ctx, "S113")


@rule("S114", "too-many-citations", E)
def citations(ctx: Context) -> Iterator[Finding]:
    """More citations in one chapter than `limits: citations_per_chapter` (2,000).

    Why: every citation is formatted and typeset; one key cited 100,000 times kept typst
    busy past ten minutes at 5.6 GB. A heavily referenced chapter has a few hundred.
    Example: `[@unodc2019]` pasted after every sentence of a generated text.
    """
    yield from _problems(ctx, "S114")


@rule("E016", "tool-limit", E)
def tool_limits(ctx: Context) -> Iterator[Finding]:
    """pandoc ran out of time or memory reading this chapter (the limits `seconds`, `seconds_per_mb`, `memory_mb`).

    Why: one chapter must not hang everyone's check. The other chapters are still checked;
    this one is reported, with what usually causes it.
    Example: a construct the source limits do not catch, such as a table of 100,000 cells.
    """
    yield from _problems(ctx, "E016")


@rule("A515", "image-too-large", E)
def image_pixels(ctx: Context) -> Iterator[Finding]:
    """An image whose header claims more pixels than `limits: image_megapixels` (50 million).

    Why: typst decodes the whole bitmap, 4 bytes a pixel: a 74-byte PNG claiming 100000×100000
    pixels, or a small decompression bomb, asks for 40 GB. The size is read from the file's header.
    Example: a 30000×20000 scan; scale it down to the size it is printed at (3000 pixels wide is plenty).
    """
    limit = ctx.project.paper.limits.image_megapixels
    for doc in ctx.documents():
        for url in dict.fromkeys(ctx.indexes[doc.path].images):
            if is_remote(url):
                continue
            full, _ = resolve_local(ctx.project.root, doc.path, url)
            size = image_size(full) if full is not None and full.is_file() else None
            if size and size[0] * size[1] > limit * 1_000_000:
                yield (doc.path, ctx.find_line(doc, url),
                       f"image '{url}' is {size[0]}×{size[1]} pixels, over the limit of {limit} million (limits: image_megapixels); "
                       "scale it down to the size it is printed at")
