"""Right-to-left languages for Word and the web edition: text marked `lang=ur` (the merged AST's contract:
a Div, Header or Span with that key-value) also gets `dir=rtl`, from which pandoc writes Word's w:bidi/w:rtl
and HTML's dir="rtl". typst reads the language itself (render/typst_source.py)."""

from __future__ import annotations

from nsp import ast as A
from nsp.ast import Node

# Primary subtags of the right-to-left languages nsp has fonts for (templates/fonts).
RTL_LANGUAGES = frozenset({"ur"})


def is_rtl(lang: str) -> bool:
    """`ur`, `ur-PK`: a tag whose primary language is written right to left."""
    return lang.split("-", 1)[0].lower() in RTL_LANGUAGES


def rtl_lang(node: Node) -> str | None:
    """The right-to-left language a Div, Header or Span is marked with, if any."""
    attr = A.attr(node)
    if attr is None or node["t"] not in ("Div", "Header", "Span"):
        return None
    lang = dict(attr[2]).get("lang", "")
    return lang if is_rtl(lang) else None


def has_rtl(value: object) -> bool:
    """Whether any element of the tree is marked with a right-to-left language."""
    found: list[Node] = []
    A.visit(value, lambda n: found.append(n) if not found and rtl_lang(n) else None)
    return bool(found)


def mark_rtl(block: Node) -> Node:
    """The block, with `dir=rtl` on every element marked with a right-to-left language.

    The block itself when it holds none; otherwise a copy (the other formats are written from the
    shared block at the same time). A `dir` the writer set is kept.
    """
    if not has_rtl([block]):
        return block

    def add_dir(node: Node) -> None:
        attr = A.attr(node)
        if rtl_lang(node) and attr is not None and "dir" not in dict(attr[2]):
            attr[2].append(["dir", "rtl"])

    copy: Node = A.clone(block)
    A.visit([copy], add_dir)
    return copy
