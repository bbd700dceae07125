"""The plain-text edition: wrapped at 72 columns, every link's address written out after its text."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from nsp import ast as A
from nsp.ast import Doc, Node
from nsp.infra.pandoc import run_pandoc
from nsp.model import Project
from nsp.newsletter.compose import BRIEF, DATA, Masthead

WIDTH = 72


def text_edition(project: Project, doc: Doc, head: Masthead) -> str:
    lowered = A.clone(doc)
    A.walk(lowered["blocks"], _for_text)
    body = run_pandoc(["-f", "json", "-t", "plain", f"--columns={WIDTH}", "--wrap=auto"],
                      stdin=json.dumps(lowered).encode(), what="the newsletter's plain text",
                      cwd=project.root, limits=project.paper.limits).decode("utf-8")
    rule = "=" * WIDTH
    top = [*_wrap(head.initiative.upper()), *_wrap(f"Newsletter · No. {head.number} · {head.month}"), rule, ""]
    title = [*_wrap(head.headline.upper()), *(_wrap(f"By {head.byline}") if head.byline else []), ""]
    foot = ["", "-" * WIDTH, *_wrap(head.address), *([head.email] if head.email else [])]
    return "\n".join([*top, *title, body.strip("\n"), *foot]).rstrip() + "\n"


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, break_long_words=False, break_on_hyphens=False) if text else []


def _for_text(node: Node) -> Node | list[Node] | None:
    if node["t"] == "Link":
        return _spelled_out(node)
    if node["t"] == "Table":
        return _rows(node)
    if node["t"] == "Div" and DATA in node["c"][0][1]:
        node["c"][1][:0] = [{"t": "HorizontalRule"}, A.para(A.text_inlines(BRIEF))]
    if node["t"] == "Header" and node["c"][0] <= 2:  # a section stands out in capitals
        A.visit(node["c"][2], lambda n: n.update(c=n["c"].upper()) if n["t"] == "Str" else None)
    return None


def _spelled_out(node: Node) -> list[Node]:
    """A link becomes its text and, in angle brackets, its address (unless the text already is it, or it
    leads inside the newsletter, as a citation does)."""
    inlines, (url, _) = node["c"][1], node["c"][2]
    shown = url.removeprefix("mailto:")
    if url.startswith("#"):
        return list(inlines)
    if A.stringify(inlines) in (url, shown):
        return [{"t": "Str", "c": shown}]
    return [*inlines, {"t": "Space"}, {"t": "Str", "c": f"<{shown}>"}]


def _rows(table: Node) -> Node:
    """A table, which 72 columns cannot hold, as a list: each row's first cell, then 'Heading: value' for the
    others ("Terror Financing: Chapters 2, Started 0, …")."""
    head = [_cells(row) for row in table["c"][3][1]]
    names = head[0] if head else []
    items = []
    for body in table["c"][4]:
        for row in body[3]:
            cells = _cells(row)
            pairs = [f"{name} {value}".strip() for name, value in zip(names[1:], cells[1:])]
            line = f"{cells[0]}: {', '.join(pairs)}" if cells else ""
            items.append([{"t": "Plain", "c": A.text_inlines(line)}])
    return {"t": "BulletList", "c": items}


def _cells(row: list[Any]) -> list[str]:
    # pandoc's JSON Row: [attr, cells]; a Cell: [attr, alignment, rowspan, colspan, blocks]
    return [A.stringify(cell[4]) for cell in row[1]]
