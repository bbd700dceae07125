"""A chapter's ```actions block (nsp.actions) as the table a reader sees: Action, Lead, With, By."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nsp import ast as A
from nsp.actions import parse_block, shown_deadline
from nsp.ast import Node
from nsp.model import Agency

ACTIONS = "actions"
HEADERS = ("Action", "Lead", "With", "By")
WIDTHS = (0.42, 0.22, 0.22, 0.14)


def action_table(node: Node, agencies: dict[str, Agency], path: str) -> Node | None:
    """The table for an actions code block (None for any other node). Agencies are shown by name."""
    if node["t"] != "CodeBlock" or ACTIONS not in node["c"][0][1]:
        return None
    block, _ = parse_block(node["c"][1], path, 1)  # its problems are S117's, reported with lines by nsp check

    def name(agency_id: str) -> str:
        return agencies[agency_id].name if agency_id in agencies else agency_id

    rows = [(a.what, name(a.lead), ", ".join(name(p) for p in a.partners), shown_deadline(a.deadline))
            for a in block.actions]
    return table(HEADERS, rows, WIDTHS, caption=block.caption, ident=node["c"][0][0])


Cell = str | list[Node]  # plain text, or blocks the caller built from plain text (Urdu in a lang=ur Span)


def table(headers: tuple[Cell, ...], rows: Sequence[tuple[Cell, ...]], widths: tuple[float, ...], *,
          caption: str = "", ident: str = "", aligns: tuple[str, ...] = ()) -> Node:
    """A plain table in pandoc's AST, every cell plain text (data is never read as Markdown). `aligns`: pandoc's
    alignment of each column (AlignLeft unless given)."""
    def cell(value: Cell) -> list[Any]:
        blocks = [{"t": "Plain", "c": A.text_inlines(value)}] if isinstance(value, str) else value
        return [["", [], []], {"t": "AlignDefault"}, 1, 1, blocks]

    def row(values: tuple[Cell, ...]) -> list[Any]:
        return [["", [], []], [cell(v) for v in values]]

    specs = [[{"t": aligns[i] if i < len(aligns) else "AlignLeft"}, {"t": "ColWidth", "c": w}]
             for i, w in enumerate(widths)]
    long = [{"t": "Plain", "c": A.text_inlines(caption)}] if caption else []
    return {"t": "Table", "c": [[ident, [], []], [None, long], specs, [["", [], []], [row(headers)]],
                                [[["", [], []], 0, [], [row(r) for r in rows]]], [["", [], []], []]]}
