"""A5xx: images that exist inside the repository, nothing remote, no raw typesetter code."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.infra.resources import (
    BIDI_CONTROLS,
    FIGURE_SOURCE,
    SAFE_LINK_SCHEMES,
    figure_source_problem,
    image_kind,
    is_remote,
    resolve_local,
    safe_link,
)
from nsp.model import Document


def images(ctx: Context, doc: Document) -> list[str]:
    return ctx.indexes[doc.path].images


def images_inside(ctx: Context) -> Iterator[Finding]:
    """A502: An image path that is absolute or leads out of the repository."""
    for doc in ctx.documents():
        for url in images(ctx, doc):
            if not is_remote(url):
                full, why = resolve_local(ctx.project.root, doc.path, url)
                if full is None:
                    yield doc.path, ctx.find_line(doc, url), f"image '{url}' {why}"


def images_exist(ctx: Context) -> Iterator[Finding]:
    """A501: An image file that does not exist."""
    for doc in ctx.documents():
        for url in images(ctx, doc):
            if not is_remote(url):
                full, _ = resolve_local(ctx.project.root, doc.path, url)
                if full is not None and not full.is_file():
                    yield (
                        doc.path,
                        ctx.find_line(doc, url),
                        f"image '{url}' does not exist ({full.relative_to(ctx.project.root).as_posix()})",
                    )


def no_remote_images(ctx: Context) -> Iterator[Finding]:
    """A503: An image given by URL (http, https, data…) instead of a file in the repository."""
    for doc in ctx.documents():
        for url in images(ctx, doc):
            if is_remote(url):
                yield (
                    doc.path,
                    ctx.find_line(doc, url[:60]),
                    f"image '{url[:60]}' is remote; save it in the theme's figures/ folder and link to the file",
                )


def images_are_images(ctx: Context) -> Iterator[Finding]:
    """A504: A file used as an image that is not a PNG, JPEG, GIF or SVG, judged by its bytes."""
    for doc in ctx.documents():
        for url in images(ctx, doc):
            if is_remote(url):
                continue
            full, _ = resolve_local(ctx.project.root, doc.path, url)
            if full is None or not full.is_file():
                continue
            if full.suffix.lower() == FIGURE_SOURCE and figure_source_problem(full):
                yield doc.path, ctx.find_line(doc, url), f"the figure source '{url}' {figure_source_problem(full)}"
            elif image_kind(full) is None:
                yield doc.path, ctx.find_line(doc, url), (f"'{url}' is not a PNG, JPEG, GIF or SVG image, nor a "
                                                          "typst figure source (.typ)")




def no_raw_output(ctx: Context) -> Iterator[Finding]:
    """A505: Raw typst, LaTeX, HTML or OpenXML in a chapter: a `{=typst}` block or inline, or HTML tags."""
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


def no_passthrough_attributes(ctx: Context) -> Iterator[Finding]:
    """A506: An attribute other than width, height, lang (a language tag) or dir (rtl, ltr) on an element,
    e.g. `{typst:text:fill="red"}`."""
    for doc in ctx.documents():
        for key, value in ctx.indexes[doc.path].attrs:
            line = ctx.find_line(doc, key + "=") or ctx.find_line(doc, key)
            yield (
                doc.path,
                line,
                f"attribute '{key}={_excerpt(value)}' is not allowed; only width, height, lang (a language tag such "
                "as ur) and dir (rtl or ltr) are",
            )


def no_unsafe_links(ctx: Context) -> Iterator[Finding]:
    """A507: A link whose scheme is not http, https or mailto (javascript:, file:, data: …)."""
    allowed = ", ".join(sorted(SAFE_LINK_SCHEMES))
    for doc in ctx.documents():
        for url in ctx.indexes[doc.path].links:
            if not safe_link(url):
                yield (
                    doc.path,
                    ctx.find_line(doc, url[:60]),
                    f"link '{_excerpt(url)}' is not allowed; links may use {allowed}",
                )


def images_have_alt_text(ctx: Context) -> Iterator[Finding]:
    """A508: An image with no description: `![](figures/map.png)`."""
    for doc in ctx.documents():
        seen: dict[str, int] = {}
        for url in ctx.indexes[doc.path].noalt:
            # The line of this image with empty brackets, not of the file's first use (which may be described).
            empty = ctx.find_regex(doc, re.compile(r"!\[\s*\]\(\s*<?" + re.escape(url)))
            n = seen[url] = seen.get(url, -1) + 1
            line = empty[n][0] if n < len(empty) else ctx.find_line(doc, url)
            yield doc.path, line, f"image '{url}' has no description; put one between the brackets: ![…]({url})"


# LaTeX that pandoc's BibTeX reader turns into something other than text.
BIB_FILE_COMMANDS = {"includegraphics", "input", "include", "includepdf", "includeonly", "import", "subimport",
                     "inputminted", "lstinputlisting", "verbatiminput", "epsfig", "psfig", "epsfbox", "bibliography"}
BIB_LINK_COMMANDS = {"href", "url", "nolinkurl", "hyperref", "hyperlink", "hypertarget"}
# Accents, escapes and type styles: they become letters and emphasis, nothing more.
BIB_TEXT_COMMANDS = {
    "'", '"', "`", "^", "~", "=", ".", "u", "v", "H", "c", "d", "b", "k", "r", "t", "&", "%", "$", "#", "_", "{", "}",
    " ", "-", "/", ",", ";", "!", "\\", "i", "j", "l", "L", "o", "O", "ae", "AE", "oe", "OE", "aa", "AA", "ss",
    "textit", "emph", "textbf", "textsc", "textup", "textsl", "textrm", "textsf", "texttt", "textnormal",
    "textsuperscript", "textsubscript", "mkbibquote", "enquote", "nocase", "ldots", "dots", "textendash",
    "textemdash", "textquoteleft", "textquoteright", "textquotedblleft", "textquotedblright", "S", "P", "pounds",
    "euro", "textregistered", "texttrademark", "copyright", "textcopyright", "bf", "it", "em", "sc", "mbox", "relax",
}
BIB_COMMAND = re.compile(r"\\([A-Za-z]+|[^A-Za-z])\s*(?:\{([^{}]*)\})?")
BIB_FIELD = re.compile(r"^\s*([A-Za-z][\w-]*)\s*=")
BIB_URL = re.compile(r"^\s*(url|doi|eprint)\s*=\s*[{\"]\s*([^{}\"]*?)\s*[}\"]", re.IGNORECASE)


def _csl_links(ctx: Context, allowed: str) -> Iterator[Finding]:
    """A CSL file's fields are text, not LaTeX: only its link can do harm."""
    from nsp.load.csl import is_csl

    for entry in (e for e in ctx.project.bibliography.entries.values() if is_csl(e.path)):
        url = entry.csl.get("URL")
        if isinstance(url, str) and not safe_link(url):
            yield entry.path, entry.line, (f"URL '{_excerpt(url)}' of {entry.key} is not allowed; "
                                           f"links may use {allowed}")


def plain_bibliographies(ctx: Context) -> Iterator[Finding]:
    """A509: A LaTeX command in a .bib file that would bring a picture, file or link into the paper,"""
    from nsp.load.csl import is_csl
    from nsp.load.text import read_text

    allowed = ", ".join(sorted(SAFE_LINK_SCHEMES))
    yield from _csl_links(ctx, allowed)
    for bib in ctx.project.bibliography.files:
        if is_csl(bib):
            continue
        text, _ = read_text(ctx.project.root, bib)
        if text is None:
            continue
        field = "entry"
        for n, line in enumerate(text.text.split("\n"), start=1):
            m = BIB_FIELD.match(line)
            field = m.group(1).lower() if m else field
            url = BIB_URL.match(line)
            if url and not safe_link(url.group(2)):
                yield (
                    bib,
                    n,
                    f"{url.group(1).lower()} '{_excerpt(url.group(2))}' is not allowed; links may use {allowed}",
                )
            for cmd in BIB_COMMAND.finditer(line):
                name, arg = cmd.group(1), cmd.group(2)
                if name in BIB_TEXT_COMMANDS:
                    continue
                if name in BIB_LINK_COMMANDS:
                    if arg is None or not safe_link(arg):
                        yield bib, n, f"\\{name}{{{_excerpt(arg or '')}}} is not allowed; links may use {allowed}"
                elif name in BIB_FILE_COMMANDS:
                    yield bib, n, (f"\\{name} in the bibliography would put a picture or file into the paper; "
                                   f"write the {field} as plain text")
                else:
                    yield (
                        bib,
                        n,
                        f"\\{name} is a LaTeX command pandoc would not print as text; write the {field} as plain text",
                    )


def no_bidi_controls(ctx: Context) -> Iterator[Finding]:
    """A510: A right-to-left override or another bidirectional control character (U+202A–U+202E,"""
    from nsp.load.text import read_text

    for rel in dict.fromkeys(ctx.project.files):
        text, _ = read_text(ctx.project.root, rel)
        if text is None or BIDI_CONTROLS.isdisjoint(text.text):
            continue
        for n, line in enumerate(text.text.split("\n"), start=1):
            for col, ch in enumerate(line, start=1):
                if ch in BIDI_CONTROLS:
                    yield rel, n, (f"column {col}: U+{ord(ch):04X} {unicodedata.name(ch)} changes the order in which "
                                   "the text is shown; delete it (U+200E/U+200F marks are allowed)")


