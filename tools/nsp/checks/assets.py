"""A5xx: images that exist inside the repository, nothing remote, no raw typesetter code."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import Severity
from ..model import Document
from ..rules import Finding, rule
from .context import Context

E = Severity.ERROR

# Formats typst (PDF) and Word can both show, recognised by their first bytes.
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}


def images(ctx: Context, doc: Document) -> list[str]:
    return ctx.indexes[doc.path].images


def is_remote(url: str) -> bool:
    scheme = urlsplit(url).scheme
    return len(scheme) > 1  # 'C:' is a Windows drive, not a scheme


def resolve_image(root: Path, doc: Document, url: str) -> tuple[Path | None, str]:
    """The file an image path names, the way pandoc and typst would find it; or why it is refused."""
    path = unquote(urlsplit(url).path) if not is_remote(url) else url
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        return None, "is an absolute path; give it relative to the chapter, e.g. figures/x.png"
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), path))
    if rel == ".." or rel.startswith("../"):
        return None, "climbs out of the repository; keep figures inside it"
    full = root / rel
    try:
        real = full.resolve()
        real.relative_to(root.resolve())
    except (ValueError, OSError):
        return None, "leads outside the repository (through a symbolic link)"
    return full, ""


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
                full, why = resolve_image(ctx.project.root, doc, url)
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
                full, _ = resolve_image(ctx.project.root, doc, url)
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
            full, _ = resolve_image(ctx.project.root, doc, url)
            if full is None or not full.is_file():
                continue
            if image_kind(full) is None:
                yield doc.path, ctx.find_line(doc, url), f"'{url}' is not a PNG, JPEG, GIF or SVG image"


def image_kind(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            head = f.read(512)
    except OSError:
        return None
    for magic, kind in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in head):
        return "SVG"
    return None


RAW_FORMATS = {"typst", "latex", "tex", "html", "html5", "openxml", "context", "ms", "rtf", "icml", "docbook", "jats"}


@rule("A505", "raw-output", E)
def no_raw_output(ctx: Context) -> Iterator[Finding]:
    """Raw typst, LaTeX, HTML or OpenXML in a chapter: a `{=typst}` block or inline, or HTML tags.

    Why: raw code goes straight into the typesetter or the Word file, past every check;
    `#read("/etc/passwd")` in typst would print a file from the build machine.
    Example: a ```` ```{=typst} ```` block, or `<span style="…">` pasted from a web page.
    """
    for doc in ctx.documents():
        for fmt, text in ctx.indexes[doc.path].raws:
            line = (ctx.find_line(doc, text.strip().split("\n")[0][:80], in_code=True)
                    or ctx.find_line(doc, "{=" + fmt + "}", in_code=True))
            yield doc.path, line, f"raw {fmt} content '{_excerpt(text)}' is not allowed; write it in Markdown"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."
