"""The newsletter's Atom feed (RFC 4287), dated from the issues themselves so that it is the same on every build.

Entry ids are UUIDs derived from the publisher and the month: they do not change when the site moves
or gains an address, as Atom asks of an id. Links are relative to the feed unless a base URL is given.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from nsp.model import Paper
from nsp.site.newsletters import Issue

ATOM = "http://www.w3.org/2005/Atom"
FEED = "feed.xml"


def _stamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _id(paper: Paper, what: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'nsp:{paper.publisher or paper.id}:{what}')}"


def _add(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text:
        child.text = text
    return child


def feed(paper: Paper, issues: list[Issue], base_url: str = "") -> bytes:
    """The feed, newest issue first; `updated` is the latest issue's date (the paper's date when there is none)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": paper.lang})
    _add(root, "id", _id(paper, "newsletter"))
    _add(root, "title", f"{paper.publisher or paper.title}: newsletter")
    latest = max((i.date for i in issues), default=paper.date or dt.date(1970, 1, 1))
    _add(root, "updated", _stamp(latest))
    _add(_add(root, "author"), "name", paper.publisher or paper.title)
    _add(root, "link", rel="self", href=base_url + FEED)
    _add(root, "link", rel="alternate", type="text/html", href=base_url + "newsletters/index.html")
    for issue in sorted(issues, key=lambda i: (i.date, i.month), reverse=True):
        entry = _add(root, "entry")
        _add(entry, "id", _id(paper, f"newsletter/{issue.month}"))
        _add(entry, "title", issue.title)
        _add(entry, "updated", _stamp(issue.date))
        _add(entry, "link", rel="alternate", type="text/html", href=base_url + issue.page)
        _add(entry, "summary", issue.summary or issue.title)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
