"""Closing every route by which a chapter could speak to the typesetter, Word or a browser directly.

Runs on each document's AST before it is merged, and on the citations and
reference list citeproc makes from the .bib files. Checks report the same
things (A502–A507, A509, A510) with lines; this pass makes sure that even a forced draft
carries none of them: raw blocks and inlines go, attributes outside a small
safe set go, images the build may not read become a visible placeholder,
links with unsafe schemes become plain text, and bidirectional overrides and
isolates are dropped, so text is shown in the order it was written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from nsp import ast as A
from nsp.ast import Node
from nsp.infra.resources import BIDI_CONTROLS, safe_link, usable_image

SAFE_ATTRS = {"width", "height", "lang", "dir"}
# A language tag (ur, en-GB) and a direction: values every writer can pass on as they are (A506 names others).
LANG_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
DIRECTIONS = {"rtl", "ltr"}


def safe_attr(key: str, value: str) -> bool:
    if key == "lang":
        return LANG_TAG.fullmatch(value) is not None
    if key == "dir":
        return value in DIRECTIONS
    return key in SAFE_ATTRS


def _is_attr(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], list) and isinstance(value[2], list)
            and all(isinstance(kv, list) and len(kv) == 2 for kv in value[2]))


def _strip_attributes(value: Any) -> None:
    """Every [id, classes, key-values] triple anywhere (cells and rows too) keeps only safe keys."""
    if isinstance(value, dict):
        for v in value.values():
            _strip_attributes(v)
    elif isinstance(value, list):
        if _is_attr(value):
            value[2] = [kv for kv in value[2] if isinstance(kv[1], str) and safe_attr(kv[0], kv[1])]
        for v in value:
            _strip_attributes(v)


def sanitize(blocks: list[Node], *, root: Path, doc_path: str, allow_raw: frozenset[str] = frozenset(),
             images: bool = True) -> list[Node]:
    """`blocks`, made safe to hand to any writer (in place). Image paths come back relative to the root.

    `images=False` for text that may not show pictures at all: the reference list, whose
    .bib fields pandoc reads as LaTeX (`\\includegraphics{/etc/…}` would become an image).
    """

    def rewrite(node: Node) -> Node | list[Node] | None:
        t = node["t"]
        if t in ("RawBlock", "RawInline"):
            return None if node["c"][0] in allow_raw else []
        if t == "Image":
            path, why = (
                usable_image(root, doc_path, node["c"][2][0]) if images else (None, "cannot come from a bibliography")
            )
            if path is None:
                return {"t": "Emph", "c": A.text_inlines(f"[figure not available: {node['c'][2][0][:60]} {why}]")}
            node["c"][2][0] = path
        elif t == "Link" and not safe_link(node["c"][2][0]):
            return {"t": "Span", "c": [["", [], []], node["c"][1]]}
        elif t == "Str" and not BIDI_CONTROLS.isdisjoint(node["c"]):  # shown as written, not reordered (A510)
            return {"t": "Str", "c": "".join(ch for ch in node["c"] if ch not in BIDI_CONTROLS)}
        elif t in ("Code", "CodeBlock") and not BIDI_CONTROLS.isdisjoint(node["c"][1]):
            return {"t": t, "c": [node["c"][0], "".join(ch for ch in node["c"][1] if ch not in BIDI_CONTROLS)]}
        return None

    out: list[Node] = A.walk(blocks, rewrite)
    _strip_attributes(out)
    return out
