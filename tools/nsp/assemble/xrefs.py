"""Cross-references (`@fig-…`, `@tbl-…`, `@sec-…`, `@ch-…`, see nsp.crossref) numbered per output paper.

Each chapter's citations of cross-reference ids become placeholders when the chapter is processed (its body
is cached on its own); once the paper is merged, figures, tables, sections and chapters are counted in
reading order, as typst and Word number them, and each placeholder becomes a link reading "Figure 3".
The same table is Table 3 in the national paper and Table 1 in its theme's paper: no typed number is
right in both.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable
from typing import Any

from nsp import ast as A
from nsp.ast import Node
from nsp.crossref import KIND_WORDS, KINDS, is_crossref, kind_of, label

XREF = "nsp-xref"
NUMBER = "number"  # the attribute on chapter and section headings that holds their number ("4", "4.2")
SOURCE = "nsp-source"


def placeholder(cite: Node, known_keys: frozenset[str], prefix: str) -> list[Node] | None:
    """A citation of cross-reference ids as a placeholder span (None when it cites bibliography keys only).

    Citations mixing both keep the bibliography keys as a citation after the references.
    """
    citations = cite["c"][0]
    refs = [c for c in citations if is_crossref(c["citationId"], known_keys)]
    if not refs:
        return None
    keys = " ".join(c["citationId"] for c in refs)
    bare = refs[0]["citationMode"]["t"] == "SuppressAuthor"
    pre, post = refs[0].get("citationPrefix", []), refs[-1].get("citationSuffix", [])
    span = A.span([A.span(pre, classes=("pre",)), A.span(post, classes=("post",))], classes=(XREF,),
                  attrs=(("keys", keys), ("doc", prefix), ("mode", "bare" if bare else "normal")))
    rest = [c for c in citations if c not in refs]
    return [span] if not rest else [span, {"t": "Space"}, {"t": "Cite", "c": [rest, cite["c"][1]]}]


def number_references(blocks: list[Node]) -> None:
    """Number figures, tables, sections and chapters in reading order, and turn every placeholder into a
    link with its number; one to nothing (a forced draft only: X604) becomes a visible marker."""
    numbers = _numbers(blocks)
    chapters = _chapter_ids(blocks)
    _resolve_lists(blocks, lambda span, bare: _reference(span, bare, numbers, chapters))


def _numbers(blocks: list[Node]) -> dict[str, str]:
    """id -> its number: figures and captioned tables counted through the paper, headings as numbered."""
    out: dict[str, str] = {}
    count = Counter[str]()

    def visit(node: Node) -> None:
        t, a, kind = node["t"], A.attr(node), counted(node)
        if kind:
            count[kind] += 1
            if a and a[0]:
                out[a[0]] = str(count[kind])
        elif t == "Header" and a and a[0]:
            number = dict(a[2]).get(NUMBER)
            if number:
                out[a[0]] = number

    A.visit(blocks, visit)
    return out


def counted(node: Node) -> str:
    """'fig' or 'tbl' for a figure or table with a caption, else '': Word numbers those, and the typst
    lowering keeps typst from counting the others (render.typst_source)."""
    if node["t"] not in ("Figure", "Table") or not node["c"][1][1]:
        return ""
    return "fig" if node["t"] == "Figure" else "tbl"


def number_captions(blocks: list[Node]) -> list[Node]:
    """Captions numbered as the references to them are ("Figure 3: …"), for a format that numbers none.

    The blocks are shared with the formats being written at the same time: a block with a caption to
    number is copied first, the rest returned as they are.
    """
    count = Counter[str]()

    def visit(node: Node) -> None:
        kind = counted(node)
        if not kind:
            return
        count[kind] += 1
        long = node["c"][1][1]
        mark = [{"t": "Strong", "c": A.text_inlines(f"{KINDS[kind]} {count[kind]}:")}, {"t": "Space"}]
        if long and long[0]["t"] in ("Plain", "Para"):
            long[0]["c"] = [*mark, *long[0]["c"]]
        else:
            long.insert(0, {"t": "Plain", "c": mark[:1]})

    out = []
    for block in blocks:
        if any(counted(n) for n in A.collect([block], "Figure", "Table")):
            block = A.clone(block)
            A.visit([block], visit)
        out.append(block)
    return out


def _chapter_ids(blocks: list[Node]) -> dict[str, str]:
    """'ch-ANCHOR' and, where no other chapter has the same file name, 'ch-NAME' -> the chapter's anchor."""
    found: list[tuple[str, str]] = []  # (anchor, file name without .md)
    for b in blocks:
        a = A.attr(b)
        if b["t"] == "Header" and a and a[0] and NUMBER in dict(a[2]) and SOURCE in dict(a[2]):
            found.append((a[0], posixpath.splitext(posixpath.basename(dict(a[2])[SOURCE]))[0]))
    stems = Counter(stem for _, stem in found)
    out = {f"ch-{anchor}": anchor for anchor, _ in found}
    out |= {f"ch-{stem}": anchor for anchor, stem in found if stems[stem] == 1}
    return out


def _target(key: str, doc: str, numbers: dict[str, str], chapters: dict[str, str]) -> str | None:
    """The anchor `key` names: in its own document first, else the one document of the paper that has it."""
    if kind_of(key) == "ch":
        return chapters.get(key)
    if f"{doc}--{key}" in numbers:
        return f"{doc}--{key}"
    elsewhere = [i for i in numbers if i.endswith(f"--{key}")]
    return elsewhere[0] if len(elsewhere) == 1 else None


def _reference(span: Node, bare: bool, numbers: dict[str, str], chapters: dict[str, str]) -> list[Node]:
    """The placeholder as the reader sees it: "Figure 3" (or "3" when bare), linked to what it names."""
    kv = dict(span["c"][0][2])
    keys, doc = kv["keys"].split(), kv["doc"]
    pre, post = span["c"][1][0]["c"][1], span["c"][1][1]["c"][1]
    targets = [_target(k, doc, numbers, chapters) for k in keys]
    missing = [k for k, t in zip(keys, targets) if t is None]
    if missing:
        return [{"t": "Strong", "c": A.text_inlines(f"[missing cross-reference: {', '.join(missing)}]")}]
    found = [(t, numbers.get(t, "")) for t in targets if t is not None]
    body = _shown(keys, found, bare or kv["mode"] == "bare")
    return [*pre, *([{"t": "Space"}] if pre else []), *body, *post]


def _shown(keys: list[str], found: list[tuple[str, str]], bare: bool) -> list[Node]:
    """"3 and 4" (bare), "Figures 3 and 4" (one kind: the word once, each number its own link), or
    "Figure 3; Table 2"."""
    links = [_link(t, n) for t, n in found]
    kinds = {kind_of(k) for k in keys}
    if bare:
        return _joined(links)
    if len(kinds) == 1:
        word = label(kinds.pop(), [n for _, n in found]).split(" ", 1)[0]
        return [{"t": "Str", "c": word}, {"t": "Space"}, *_joined(links)]
    return _joined([_link(t, label(kind_of(k), [n])) for k, (t, n) in zip(keys, found)], sep=";")


def _link(target: str, text: str) -> list[Node]:
    return [{"t": "Link", "c": [["", [], []], A.text_inlines(text), [f"#{target}", ""]]}]


def _joined(links: list[list[Node]], sep: str = ",") -> list[Node]:
    """Links as "1, 2 and 3"."""
    out: list[Node] = []
    for i, link in enumerate(links):
        if i and i == len(links) - 1:
            out += [{"t": "Space"}, {"t": "Str", "c": "and"}, {"t": "Space"}]
        elif i:
            out += [{"t": "Str", "c": sep}, {"t": "Space"}]
        out += link
    return out


def _resolve_lists(value: Any, render: Callable[[Node, bool], list[Node]]) -> None:
    """Replace placeholders in every list of inlines, innermost first."""
    if isinstance(value, dict):
        for v in value.values():
            if isinstance(v, (list, dict)):
                _resolve_lists(v, render)
    elif isinstance(value, list):
        for item in value:
            _resolve_lists(item, render)
        if any(_is_placeholder(i) for i in value):
            value[:] = _resolved(value, render)


def _is_placeholder(item: Any) -> bool:
    return isinstance(item, dict) and item.get("t") == "Span" and XREF in item["c"][0][1]


def _resolved(inlines: list[Node], render: Callable[[Node, bool], list[Node]]) -> list[Node]:
    """The inlines with each placeholder rendered, knowing the words before it: after "Figures" or "Tables"
    (and the "and"s and commas between references) a reference of that kind prints its number alone."""
    out: list[Node] = []
    named = ""  # the kind the words before have named ("tbl" after "Tables"), while only references follow
    for item in inlines:
        if _is_placeholder(item):
            keys = dict(item["c"][0][2])["keys"].split()
            out += render(item, bool(named) and all(kind_of(k) == named for k in keys))
            continue
        out.append(item)
        if item.get("t") == "Str":
            word = item["c"].lower()
            named = KIND_WORDS.get(word, named if word in {"and", "or", ",", "&", "to", "–"} else "")
    return out


LIST = "nsp-list"  # a list of figures or tables: the typst lowering swaps it for typst's own outline
LIST_TITLES = {"figures": ("fig", "Figures"), "tables": ("tbl", "Tables")}


def lists_of(blocks: list[Node], wanted: tuple[str, ...]) -> list[Node]:
    """"Figures" and "Tables" pages for the front matter: each captioned one by its number and caption,
    linked. The PDF shows typst's outline in their place, with page numbers."""
    entries: dict[str, list[Node]] = {"fig": [], "tbl": []}
    count = Counter[str]()

    def visit(node: Node) -> None:
        kind = counted(node)
        if kind:
            count[kind] += 1
            text = f"{KINDS[kind]} {count[kind]}: {' '.join(A.stringify(node['c'][1][1]).split())}"
            ident = A.attr(node)[0]  # type: ignore[index]
            inlines = _link(ident, text) if ident else A.text_inlines(text)
            entries[kind].append({"t": "Plain", "c": inlines})

    A.visit(blocks, visit)
    out: list[Node] = []
    for name in wanted:
        kind, title = LIST_TITLES[name]
        if entries[kind]:
            out += [A.header(1, A.text_inlines(title), ident=f"list-of-{name}", classes=("unnumbered",)),
                    A.div([{"t": "BulletList", "c": [[e] for e in entries[kind]]}], classes=(LIST,),
                          attrs=(("kind", kind),))]
    return out
