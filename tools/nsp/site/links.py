"""Relative links between the site's pages, and the check of what a built site may contain.

The site has no known address and must work from any folder and from file://: every link is
relative, and a link to a folder names its index.html (file:// shows no index by itself).
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINKS = frozenset({"href", "src", "srcset", "poster", "data", "action"})
LOADS = frozenset({"src", "srcset", "poster", "data"})  # what a browser fetches without a click


def relative(page: str, target: str) -> str:
    """The link from the page at `page` to the file at `target` (both relative to the site's root)."""
    start = posixpath.dirname(page) or "."
    return posixpath.relpath(target, start)


class _Page(HTMLParser):
    """The links of one page, what it would fetch from elsewhere, and any script in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.remote: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fetched = LOADS | ({"href"} if tag == "link" else set())
        if tag == "script":
            self.scripts.append("<script>")
        for name, value in attrs:
            url = (value or "").strip()
            if name.startswith("on"):
                self.scripts.append(f"{name}= on <{tag}>")
            if name in LINKS and url:
                self.links.append(url)
                if url.lower().startswith("javascript:"):
                    self.scripts.append(url[:30])
                if name in fetched and urlsplit(url).netloc:
                    self.remote.append(url)


def read_page(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    parser.close()
    return parser


def links_of(html: str) -> list[str]:
    """Every URL an HTML page links to or loads (href, src and their like)."""
    return read_page(html).links


def is_internal(url: str) -> bool:
    """A link into the site itself: no scheme (http:, mailto:, data:) and no host."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _resolves(folder: Path, page: Path, url: str) -> bool:
    path = unquote(urlsplit(url).path)
    if not path:  # "#top": the page itself
        return True
    target = (page.parent / path).resolve()
    return target.is_relative_to(folder.resolve()) and target.is_file()


def problems(folder: Path) -> list[str]:
    """What must never be published: a link to nothing, a script, a resource fetched from the network."""
    out = []
    for page in sorted(folder.rglob("*.html")):
        rel = page.relative_to(folder).as_posix()
        found = read_page(page.read_text("utf-8"))
        out += [f"{rel}: the link {url} leads to no file of the site" for url in found.links
                if is_internal(url) and not _resolves(folder, page, url)]
        out += [f"{rel}: a script ({what})" for what in found.scripts]
        out += [f"{rel}: {url} would be fetched from the network" for url in found.remote]
    for css in sorted(folder.rglob("*.css")):
        if re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text("utf-8"), re.I):
            out.append(f"{css.relative_to(folder).as_posix()}: a url() from the network")
    return out
