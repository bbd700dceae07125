"""The HTML edition for mail clients: pandoc's HTML of the composed document with every element styled
inline (mail clients drop stylesheets), inside a table layout; images inlined as data: URIs, since a
remote image is a tracker and is blocked anyway. Nothing in it is fetched; there is no script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2

from nsp import ast as A
from nsp.ast import Doc, Node
from nsp.infra.pandoc import run_pandoc
from nsp.infra.resources import data_uri, image_kind
from nsp.model import Project
from nsp.newsletter.compose import BRIEF, DATA, Masthead
from nsp.render.rtl import mark_rtl

ACCENT, LIGHT, MUTED = "#0b4d2c", "#e3eee7", "#5a5a5a"  # templates/typst/nsp.typ's accent, accent-light, muted
STYLES = {
    "h1": f"font-size:24px;line-height:1.25;color:{ACCENT};margin:28px 0 8px 0;",
    "h2": f"font-size:21px;line-height:1.3;color:{ACCENT};margin:30px 0 8px 0;padding-top:14px;"
          f"border-top:2px solid {LIGHT};",
    "h3": "font-size:17px;line-height:1.3;color:#1f1f1f;margin:20px 0 4px 0;",
    "h4": "font-size:16px;color:#1f1f1f;margin:16px 0 4px 0;",
    "p": "margin:0 0 14px 0;",
    "ul": "margin:0 0 14px 0;padding-left:22px;",
    "ol": "margin:0 0 14px 0;padding-left:22px;",
    "li": "margin:0 0 6px 0;",
    "a": f"color:{ACCENT};",
    "blockquote": f"margin:0 0 14px 0;padding-left:14px;border-left:3px solid {LIGHT};color:#3a3a3a;",
    "table": "border-collapse:collapse;width:100%;margin:6px 0 16px 0;font-family:Arial,Helvetica,sans-serif;"
             "font-size:13px;",
    "th": f"background-color:{LIGHT};color:{ACCENT};padding:6px 6px;border-bottom:1px solid {ACCENT};",
    "td": "padding:6px 6px;border-bottom:1px solid #dde3df;",
    "code": "font-family:Consolas,'Courier New',monospace;font-size:14px;",
    "pre": "white-space:pre-wrap;font-family:Consolas,'Courier New',monospace;font-size:13px;",
    "em": "",
    "img": "max-width:100%;height:auto;",
    "figcaption": f"font-size:13px;color:{MUTED};",
}
TAG = re.compile(r"<(" + "|".join(k for k, v in STYLES.items() if v) + r")(\s[^<>]*?)?(\s*/)?>")
ENTRY = re.compile(r'<div ([^<>]*class="csl-entry"[^<>]*)>')


def mail_edition(project: Project, doc: Doc, head: Masthead) -> str:
    lowered = A.clone(doc)
    lowered["blocks"] = [mark_rtl(b) for b in lowered["blocks"]]  # Urdu reads right to left, as in the paper
    A.walk(lowered["blocks"], lambda node: _inline_image(project.root, node))
    body = run_pandoc(["-f", "json", "-t", "html5", "--wrap=none"], stdin=json.dumps(lowered).encode(),
                      what="the newsletter's mail edition", cwd=project.root,
                      limits=project.paper.limits).decode("utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(project.root / "templates" / "newsletter"),
                             autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template("mail.html.j2").render(
        lang=project.paper.lang, initiative=head.initiative, number=head.number, month=head.month,
        headline=head.headline, byline=head.byline, summary=head.summary, address=head.address,
        email=head.email, body=styled(body))


def styled(html: str) -> str:
    """Each element pandoc writes, given its style inline (kept in front of any alignment pandoc set)."""

    def one(m: re.Match[str]) -> str:
        name, attrs, close = m.group(1), m.group(2) or "", m.group(3) or ""
        style = STYLES[name]
        if ' style="' in attrs:
            attrs = attrs.replace(' style="', f' style="{style}', 1)
        else:
            attrs += f' style="{style}"'
        return f"<{name}{attrs}{close}>"

    html = TAG.sub(one, html)
    # A table wider than a phone scrolls on its own, where the client allows it, instead of widening the page.
    html = html.replace("<table", '<div style="overflow-x:auto;"><table').replace("</table>", "</table></div>")
    html = ENTRY.sub(r'<div \1 style="margin:0 0 8px 0;padding-left:22px;text-indent:-22px;font-size:14px;">', html)
    band = (f'<div style="margin:34px 0 0 0;padding:8px 12px;background-color:{ACCENT};color:#ffffff;'
            f'font-family:Arial,Helvetica,sans-serif;font-size:13px;font-weight:bold;letter-spacing:1.5px;">'
            f'{BRIEF}</div>')
    return html.replace(f'<div class="{DATA}">', f'<div class="{DATA}">\n{band}', 1)


def _inline_image(root: Path, node: Node) -> Node | None:
    """An image becomes a data: URI (it was checked to be a file of the repository); a figure source, which
    only typst can draw, becomes its description."""
    if node["t"] != "Image":
        return None
    path = root / node["c"][2][0]
    if image_kind(path) in (None, "typst figure"):
        return {"t": "Emph", "c": node["c"][1]}
    node["c"][2][0] = data_uri(path)
    return node
