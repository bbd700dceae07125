"""A5xx: images that exist inside the repository, nothing remote, no raw typesetter code."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Severity
from ..model import Document
from ..resources import SAFE_LINK_SCHEMES, image_kind, is_remote, resolve_local, safe_link
from ..rules import Finding, rule
from .context import Context

E, W = Severity.ERROR, Severity.WARNING

def images(ctx: Context, doc: Document) -> list[str]:
    return ctx.indexes[doc.path].images


@rule("A502", "image-outside-repository", E)
def images_inside(ctx: Context) -> Iterator[Finding]:
    """An image path that is absolute or leads out of the repository.

    Why: a chapter must not make the build read files outside the manuscript
    (`/etc/passwd`, someone's home folder), and such a path breaks on every other machine.
    Example: `![](../../secret.png)` or `![](/home/umer/chart.png)`.
    """
    for doc in ctx.documents():
        for url in images(ctx, doc):
            if not is_remote(url):
                full, why = resolve_local(ctx.project.root, doc.path, url)
                if full is None:
                    yield doc.path, ctx.find_line(doc, url), f"image '{url}' {why}"


@rule("A501", "image-missing", E)
def images_exist(ctx: Context) -> Iterator[Finding]:
    """An image file that does not exist.

    Why: the figure would be missing from the paper, and typst stops on it.
    Example: `![](figures/routes.png)` when the file is `figures/Routes.png`.
    """
    for doc in ctx.documents():
        for url in images(ctx, doc):
            if not is_remote(url):
                full, _ = resolve_local(ctx.project.root, doc.path, url)
                if full is not None and not full.is_file():
                    yield doc.path, ctx.find_line(doc, url), f"image '{url}' does not exist ({full.relative_to(ctx.project.root).as_posix()})"


@rule("A503", "remote-resource", E)
def no_remote_images(ctx: Context) -> Iterator[Finding]:
    """An image given by URL (http, https, data…) instead of a file in the repository.

    Why: the build must not reach the network: the picture could change or vanish, and
    fetching it tells a third party who is building the paper.
    Example: `![](https://example.org/map.png)`; download it into figures/ instead.
    """
    for doc in ctx.documents():
        for url in images(ctx, doc):
            if is_remote(url):
                yield doc.path, ctx.find_line(doc, url[:60]), f"image '{url[:60]}' is remote; save it in the theme's figures/ folder and link to the file"


@rule("A504", "not-an-image", E)
def images_are_images(ctx: Context) -> Iterator[Finding]:
    """A file used as an image that is not a PNG, JPEG, GIF or SVG, judged by its bytes.

    Why: the extension can lie; typst or Word would fail on it, or worse, read it.
    Example: `figures/chart.png` that is really a Word document.
    """
    for doc in ctx.documents():
        for url in images(ctx, doc):
            if is_remote(url):
                continue
            full, _ = resolve_local(ctx.project.root, doc.path, url)
            if full is None or not full.is_file():
                continue
            if image_kind(full) is None:
                yield doc.path, ctx.find_line(doc, url), f"'{url}' is not a PNG, JPEG, GIF or SVG image"


RAW_FORMATS = {"typst", "latex", "tex", "html", "html5", "openxml", "context", "ms", "rtf", "icml", "docbook", "jats"}


@rule("A505", "raw-output", E)
def no_raw_output(ctx: Context) -> Iterator[Finding]:
    """Raw typst, LaTeX, HTML or OpenXML in a chapter: a `{=typst}` block or inline, or HTML tags.
    (A manifest's `allow_raw:` admits named formats on the paper's own pages, never in chapters.)

    Why: raw code goes straight into the typesetter or the Word file, past every check;
    `#read("/etc/passwd")` in typst would print a file from the build machine.
    Example: a ```` ```{=typst} ```` block, or `<span style="…">` pasted from a web page.
    """
    own_pages = {*ctx.project.paper.front_matter, *ctx.project.paper.back_matter}
    allowed = set(ctx.project.paper.allow_raw)
    for doc in ctx.documents():
        for fmt, text in ctx.indexes[doc.path].raws:
            if doc.path in own_pages and fmt in allowed:
                continue  # the manifest lets the secretariat's own pages use this format
            line = (ctx.find_line(doc, text.strip().split("\n")[0][:80], in_code=True)
                    or ctx.find_line(doc, "{=" + fmt + "}", in_code=True))
            yield doc.path, line, f"raw {fmt} content '{_excerpt(text)}' is not allowed; write it in Markdown"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


@rule("A506", "unsafe-attribute", E)
def no_passthrough_attributes(ctx: Context) -> Iterator[Finding]:
    """An attribute other than width, height, lang or dir on an element, e.g. `{typst:text:fill="red"}`.

    Why: pandoc's typst writer copies `typst:` attributes into the typesetter as code, and the
    web edition would copy others (`onclick`, `style`) into the page; both bypass every check.
    Example: `[Warning]{typst:text:fill="red"}`; use plain emphasis instead.
    """
    for doc in ctx.documents():
        for key, value in ctx.indexes[doc.path].attrs:
            line = ctx.find_line(doc, key + "=") or ctx.find_line(doc, key)
            yield doc.path, line, f"attribute '{key}={_excerpt(value)}' is not allowed; only width, height, lang and dir are"


@rule("A507", "unsafe-link", E)
def no_unsafe_links(ctx: Context) -> Iterator[Finding]:
    """A link whose scheme is not http, https or mailto (javascript:, file:, data: …).

    Why: such a link runs code or opens a file on the reader's machine when clicked.
    Example: `[click](javascript:alert(1))` or `[report](file:///C:/secret.docx)`.
    """
    allowed = ", ".join(sorted(SAFE_LINK_SCHEMES))
    for doc in ctx.documents():
        for url in ctx.indexes[doc.path].links:
            if not safe_link(url):
                yield doc.path, ctx.find_line(doc, url[:60]), f"link '{_excerpt(url)}' is not allowed; links may use {allowed}"


@rule("A508", "image-without-alt", W)
def images_have_alt_text(ctx: Context) -> Iterator[Finding]:
    """An image with no description: `![](figures/map.png)`.

    Why: a reader who cannot see the figure hears nothing of it; the released PDF is tagged
    for accessibility (PDF/UA-1), which requires alt text on every image.
    Example: write `![Map of the western routes to Iran and Turkey.](figures/map.png)`.
    """
    for doc in ctx.documents():
        seen: dict[str, int] = {}
        for url in ctx.indexes[doc.path].noalt:
            # The line of this image with empty brackets, not of the file's first use (which may be described).
            empty = ctx.find_regex(doc, re.compile(r"!\[\s*\]\(\s*<?" + re.escape(url)))
            n = seen[url] = seen.get(url, -1) + 1
            line = empty[n][0] if n < len(empty) else ctx.find_line(doc, url)
            yield doc.path, line, f"image '{url}' has no description; put one between the brackets: ![…]({url})"
