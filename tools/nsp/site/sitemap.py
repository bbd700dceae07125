"""sitemap.xml: every page of the site.

The sitemap protocol wants absolute addresses, which only the site's publisher knows: with
--base-url they are absolute; without, each <loc> is relative to the sitemap, which lists the
pages faithfully for a person or a local tool but is not yet what a search engine accepts.
No <lastmod>: the site has no date of its own, and a build's time would make each build differ.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(paths: list[str], base_url: str = "") -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}urlset")
    for path in paths:
        url = ET.SubElement(root, f"{{{NS}}}url")
        ET.SubElement(url, f"{{{NS}}}loc").text = base_url + path
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
