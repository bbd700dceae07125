"""A5xx: images that exist inside the repository, nothing remote, no raw typesetter code."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from nsp.check.context import Context
from nsp.diagnostics import Severity
from nsp.infra.resources import BIDI_CONTROLS, SAFE_LINK_SCHEMES, image_kind, is_remote, resolve_local, safe_link
from nsp.model import ID_RULE, Document
from nsp.rules import Finding, declare, rule

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


@rule("A509", "bibliography-command", E)
def plain_bibliographies(ctx: Context) -> Iterator[Finding]:
    """A LaTeX command in a .bib file that would bring a picture, file or link into the paper,
    or that pandoc would pass on as code; a `url` that is not http, https or mailto.

    Why: pandoc reads .bib fields as LaTeX, so `\\includegraphics{/etc/…}` in a title
    would print a file of the build machine, and `\\href{javascript:…}` would be a live link
    in every output. Accents (`\\'e`), escapes (`\\&`) and type styles (`\\emph`) are fine.
    (The build removes all of these even from a forced draft.)
    Example: `title = {Report \\includegraphics{/home/x/id.png}}` or `url = {javascript:alert(1)}`.
    """
    from nsp.load.project import read_text

    allowed = ", ".join(sorted(SAFE_LINK_SCHEMES))
    for bib in ctx.project.bibliography.files:
        text, _ = read_text(ctx.project.root, bib)
        if text is None:
            continue
        field = "entry"
        for n, line in enumerate(text.text.split("\n"), start=1):
            m = BIB_FIELD.match(line)
            field = m.group(1).lower() if m else field
            url = BIB_URL.match(line)
            if url and not safe_link(url.group(2)):
                yield bib, n, f"{url.group(1).lower()} '{_excerpt(url.group(2))}' is not allowed; links may use {allowed}"
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
                    yield bib, n, f"\\{name} is a LaTeX command pandoc would not print as text; write the {field} as plain text"


@rule("A510", "bidi-control", E)
def no_bidi_controls(ctx: Context) -> Iterator[Finding]:
    """A right-to-left override or another bidirectional control character (U+202A–U+202E,
    U+2066–U+2069) in a chapter, its front matter, a YAML file or a .bib.

    Why: they reorder what the reader sees without changing the text that was reviewed:
    `\u202eevil` is shown as "live". Compilers report them in source code for the same reason.
    The direction marks U+200E and U+200F, which Urdu text needs, are allowed.
    Example: a sentence pasted from a chat message that carried an invisible U+202E.
    """
    from nsp.load.project import read_text

    for rel in dict.fromkeys(ctx.project.files):
        text, _ = read_text(ctx.project.root, rel)
        if text is None or BIDI_CONTROLS.isdisjoint(text.text):
            continue
        for n, line in enumerate(text.text.split("\n"), start=1):
            for col, ch in enumerate(line, start=1):
                if ch in BIDI_CONTROLS:
                    yield rel, n, (f"column {col}: U+{ord(ch):04X} {unicodedata.name(ch)} changes the order in which "
                                   "the text is shown; delete it (U+200E/U+200F marks are allowed)")


declare("A511", "unsafe-id", E, f"""
    A theme listed in a paper's manifest whose folder name is not an id: {ID_RULE}.

    Why: the name becomes a typst label, an HTML id and an output's file name; a folder named
    `x> #read("nsp.typ") <y` would run as typst code. The theme is left out.
    Example: `themes: ["Cyber Crime"]`; rename the folder `cyber_crime`.""")
