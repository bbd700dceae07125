"""Small helpers for pandoc's JSON AST: build nodes, walk and rewrite trees."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

Node = dict[str, Any]
Doc = dict[str, Any]  # a whole pandoc document: {"pandoc-api-version", "meta", "blocks"}
# A rewrite returns None to keep the node, a node to replace it, a list to splice (empty: delete).
Rewrite = Callable[[Node], "Node | list[Node] | None"]

# Where each element type keeps its [id, classes, attributes] triple inside "c".
ATTR_INDEX = {"Header": 1, "Div": 0, "Span": 0, "Figure": 0, "Table": 0, "CodeBlock": 0,
              "Code": 0, "Image": 0, "Link": 0}


def walk(value: Any, fn: Rewrite) -> Any:
    """Rewrite a tree bottom-up, in place; `fn` sees every element that sits in a list.

    In place because chapters run to hundreds of thousands of nodes: copy a tree
    first (`clone`) where the original is still needed.
    """
    if isinstance(value, list):
        out: list[Any] = []
        changed = False
        for item in value:
            walk(item, fn)
            if isinstance(item, dict) and "t" in item:
                result = fn(item)
                if result is None:
                    out.append(item)
                    continue
                changed = True
                if isinstance(result, list):
                    out.extend(result)
                else:
                    out.append(result)
            else:
                out.append(item)
        if changed:
            value[:] = out
        return value
    if isinstance(value, dict):
        for v in value.values():
            if isinstance(v, (list, dict)):
                walk(v, fn)
    return value


def clone(value: Any) -> Any:
    """A deep copy of a JSON tree; through the json module, which is many times faster than copy.deepcopy."""
    return json.loads(json.dumps(value))


def visit(value: Any, fn: Callable[[Node], None]) -> None:
    """Call `fn` on every element, in document order, without copying anything."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and "t" in item:
                fn(item)
            visit(item, fn)
    elif isinstance(value, dict):
        for v in value.values():
            if isinstance(v, (list, dict)):
                visit(v, fn)


def collect(value: Any, *kinds: str) -> list[Node]:
    """Every element of the given types, in document order."""
    found: list[Node] = []
    visit(value, lambda n: found.append(n) if n["t"] in kinds else None)
    return found


def attr(node: Node) -> list[Any] | None:
    i = ATTR_INDEX.get(node["t"])
    return node["c"][i] if i is not None else None


def prefix_ids(blocks: list[Node], prefix: str) -> None:
    """Give every identifier the text set `prefix--`, and point its own links (#id) at the new names: what a
    writer calls {#main} or {#ref-x} can then never meet the ids of the page or the references around it."""
    ids: set[str] = set()

    def rename(node: Node) -> None:
        a = attr(node)
        if a is not None and a[0]:
            ids.add(a[0])
            a[0] = f"{prefix}--{a[0]}"

    def relink(node: Node) -> None:
        if node["t"] == "Link" and node["c"][2][0].startswith("#") and node["c"][2][0][1:] in ids:
            node["c"][2][0] = f"#{prefix}--{node['c'][2][0][1:]}"

    visit(blocks, rename)
    visit(blocks, relink)


def text_inlines(text: str) -> list[Node]:
    """Plain text as inlines, never interpreted as Markdown (titles and names come from YAML)."""
    out: list[Node] = []
    for i, word in enumerate(text.split()):
        if i:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


BLOCKS = {"Para", "Plain", "Header", "CodeBlock", "RawBlock", "LineBlock", "Div", "BlockQuote", "Figure",
          "BulletList", "OrderedList", "DefinitionList", "Table", "HorizontalRule"}


def stringify(value: Any) -> str:
    parts: list[str] = []

    def visit(v: Any) -> None:
        if isinstance(v, dict):
            t = v.get("t")
            if t in ("Str", "Code", "Math"):
                parts.append(v["c"] if t == "Str" else v["c"][1])
                return
            if t in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
                return
            if t == "Note":
                return
            visit(v.get("c"))
            if t in BLOCKS:
                parts.append(" ")  # blocks never run into each other
        elif isinstance(v, list):
            for x in v:
                visit(x)

    visit(value)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def header(level: int, inlines: list[Node], ident: str = "", classes: tuple[str, ...] = (),
           attrs: tuple[tuple[str, str], ...] = ()) -> Node:
    return {"t": "Header", "c": [level, [ident, list(classes), [list(a) for a in attrs]], inlines]}


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def div(blocks: list[Node], ident: str = "", classes: tuple[str, ...] = (),
        attrs: tuple[tuple[str, str], ...] = ()) -> Node:
    return {"t": "Div", "c": [[ident, list(classes), [list(a) for a in attrs]], blocks]}


def span(inlines: list[Node], ident: str = "", classes: tuple[str, ...] = (),
         attrs: tuple[tuple[str, str], ...] = ()) -> Node:
    return {"t": "Span", "c": [[ident, list(classes), [list(a) for a in attrs]], inlines]}


def raw_block(fmt: str, text: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, text]}


def meta_string(text: str) -> Node:
    return {"t": "MetaString", "c": text}


def meta_bool(value: bool) -> Node:
    return {"t": "MetaBool", "c": value}


def meta_inlines(text: str) -> Node:
    return {"t": "MetaInlines", "c": text_inlines(text)}
