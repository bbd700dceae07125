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
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fetched = LOADS | ({"href"} if tag == "link" else set())
        if tag == "script":
            self.scripts.append("<script>")
        for name, value in attrs:
            url = (value or "").strip()
            if name == "id" and value:
                self.ids.add(value)
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


def _target(folder: Path, page: Path, url: str) -> Path | None:
    """The file of the site an internal link leads to (the page itself for "#id"), or None."""
    path = unquote(urlsplit(url).path)
    target = (page.parent / path).resolve() if path else page.resolve()
    return target if target.is_relative_to(folder.resolve()) and target.is_file() else None


def problems(folder: Path) -> list[str]:
    """What must never be published: a link to nothing, a script, a resource fetched from the network."""
    pages = {p.resolve(): read_page(p.read_text("utf-8")) for p in sorted(folder.rglob("*.html"))}
    out = []
    for page, found in pages.items():
        rel = page.relative_to(folder.resolve()).as_posix()
        for url in filter(is_internal, found.links):
            target = _target(folder, page, url)
            anchor = urlsplit(url).fragment
            if target is None:
                out.append(f"{rel}: the link {url} leads to no file of the site")
            elif anchor and target in pages and unquote(anchor) not in pages[target].ids:
                out.append(f"{rel}: the link {url} leads to no place in its page")
        out += [f"{rel}: a script ({what})" for what in found.scripts]
        out += [f"{rel}: {url} would be fetched from the network" for url in found.remote]
    for css in sorted(folder.rglob("*.css")):
        if re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text("utf-8"), re.I):
            out.append(f"{css.relative_to(folder).as_posix()}: a url() from the network")
    return out
