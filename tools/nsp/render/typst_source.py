"""The typst source of the paper: the merged AST lowered for typst, written chapter by chapter through
pandoc's typst writer, each chapter's markup cached, and set into the template."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from nsp import ast as A
from nsp.assemble.chapters import BYLINE, CHAPTER, PART, SOURCE
from nsp.assemble.xrefs import LIST, counted
from nsp.ast import Doc, Node
from nsp.infra import cachefile
from nsp.infra.pandoc import pandoc_identity, run_pandoc
from nsp.render.stage import Prepared, RenderJob, lower_blocks, opens_page, template_file

LangArgs = Callable[[str], str]  # a language tag -> the arguments of nsp.typ's language functions


def typst_string(text: str) -> str:
    """A typst string literal: the only way generated text reaches typst code, never as markup."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def lower_for_typst(prepared: Prepared, typefaces: Mapping[str, str] | None = None) -> tuple[Doc, list[str]]:
    """The typst form of the document, and its source files in order.

    Each document starts with a `// nsp-source: N` comment in the typst source,
    so that a compile error can be traced back to the file it came from.
    `typefaces`: a language's typeface other than its first (the manifest's urdu_typeface), as {"ur": "naskh"}.
    """
    sources: list[str] = []
    lang_args: LangArgs = functools.partial(_lang_args, typefaces or {})
    opened: list[bool] = []

    def lower_block(node: Node) -> list[Node]:
        if opens_page(node) and not opened:  # the first part or chapter: pages numbered from 1 in arabic
            opened.append(True)
            return [A.raw_block("typst", "#show: nsp-main-matter"), *lower_block(node)]
        if node["t"] == "Div" and _lang_of(node):  # a document in its own language: its blocks lowered as any
            inner = [b for child in node["c"][1] for b in lower_block(child)]
            return [A.raw_block("typst", f"#nsp-lang({lang_args(_lang_of(node))})["), *inner,
                    A.raw_block("typst", "]")]
        node = _lower_languages(node, lang_args)
        replaced = _lower_for_typst(node, lang_args)
        blocks = replaced if isinstance(replaced, list) else [replaced or node]
        source = dict(node["c"][1][2]).get(SOURCE) if node["t"] == "Header" else None
        if not source:
            return blocks
        sources.append(source)
        return [A.raw_block("typst", f"// nsp-source: {len(sources) - 1}"), *blocks]

    return {**prepared.doc, "blocks": lower_blocks(prepared, lower_block, _typst_image)}, sources


def _lang_args(typefaces: Mapping[str, str], lang: str) -> str:
    """The arguments of nsp.typ's language functions: the language as a typst string, and its typeface if the
    paper chose one (a name from the manifest's closed list, passed as a string all the same)."""
    face = typefaces.get(lang.split("-")[0].lower())
    return typst_string(lang) + (f", face: {typst_string(face)}" if face else "")


def _lang_of(node: Node) -> str:
    """The language a Div, Span or Header is marked with (sanitize let only language tags through)."""
    a = A.attr(node)
    return str(dict(a[2]).get("lang", "")) if a is not None and node["t"] in ("Div", "Span", "Header") else ""


def _has_lang(value: object) -> bool:
    if isinstance(value, dict):
        if value.get("t") in ("Div", "Span") and _lang_of(value):
            return True
        return any(_has_lang(v) for v in value.values() if isinstance(v, list))
    return isinstance(value, list) and any(_has_lang(v) for v in value if isinstance(v, (list, dict)))


def _lower_languages(node: Node, lang_args: LangArgs) -> Node:
    """Divs and Spans in another language set in its font and direction (nsp.typ: nsp-lang). pandoc's
    typst writer would copy a Div's lang into code itself; only a typst string reaches typst here.
    The shared block is copied only when it holds one: the other formats are written from it too."""
    if not _has_lang(node.get("c")):  # a HorizontalRule has no content at all
        return node

    copy: Node = A.clone(node)
    for cell in (c for table in A.collect([copy], "Table") for c in _cells(table)):
        A.walk(cell, lambda n: _lower_language(n, lang_args, CELL_EDGES))
    copy["c"] = A.walk(copy["c"], lambda n: _lower_language(n, lang_args, ""))
    return copy


# In a table cell, a language's lines are as tall as its letters: typst sizes a row by the Latin line box, and
# Nastaliq rises and falls far beyond it, so the rules between rows would cross the letters.
CELL_EDGES = '#set text(top-edge: "bounds", bottom-edge: "bounds");'


def _lower_language(n: Node, lang_args: LangArgs, prelude: str) -> Node | list[Node] | None:
    lang = _lang_of(n) if n["t"] in ("Div", "Span") else ""
    if not lang:
        return None
    if n["t"] == "Span":
        return [{"t": "RawInline", "c": ["typst", f"#nsp-lang-span({lang_args(lang)})[{prelude}"]}, *n["c"][1],
                {"t": "RawInline", "c": ["typst", "]"]}]
    return [A.raw_block("typst", f"#nsp-lang({lang_args(lang)})[{prelude}"), *n["c"][1],
            A.raw_block("typst", "]")]


def _cells(table: Node) -> list[list[Node]]:
    """The blocks of every cell of a pandoc Table: head, bodies (their head rows too) and foot."""
    _, _, _, head, bodies, foot = table["c"]
    rows = [*head[1], *(r for body in bodies for r in (*body[2], *body[3])), *foot[1]]
    return [cell[4] for row in rows for cell in row[1]]


def _lang_heading(node: Node, lang: str, supplement: str, lang_args: LangArgs) -> Node:
    """A heading in another language: set in its direction on the page, and in its font in the contents."""
    level, (label, classes, _), inlines = node["c"]
    outlined = "" if "unlisted" not in classes else ", outlined: false"
    title = f"nsp-lang-title({lang_args(lang)}, {typst_string(A.stringify(inlines))})"
    return A.raw_block("typst", f"#nsp-lang-heading({typst_string(lang)})[#heading(level: {int(level)}{supplement}, "
                                f"numbering: none{outlined}, {title}){_typst_label(label)}]")


def _lower_for_typst(node: Node, lang_args: LangArgs) -> Node | list[Node] | None:
    if node["t"] == "Header" and _lang_of(node) and PART not in node["c"][1][1]:
        supplement = ", supplement: [Chapter]" if CHAPTER in node["c"][1][1] else ""
        return _lang_heading(node, _lang_of(node), supplement, lang_args)
    return _lower_structure(node)


def _lower_structure(node: Node) -> Node | list[Node] | None:
    if node["t"] in ("Figure", "Table") and not counted(node):
        # pandoc makes every table and figure a typst figure, and typst numbers them all; Word numbers only
        # those with a caption, and so do nsp's cross-references: one without is neither numbered nor listed.
        return [A.raw_block("typst", "#[#set figure(numbering: none, outlined: false)"), node,
                A.raw_block("typst", "]")]
    if node["t"] == "Header" and CHAPTER in node["c"][1][1]:
        level, (label, _, _), inlines = node["c"]
        # The supplement marks a chapter for the template: it opens a page and is listed in the contents.
        return A.raw_block("typst", f"#heading(level: {int(level)}, supplement: [Chapter], numbering: none, "
                                    f"{typst_string(A.stringify(inlines))}){_typst_label(label)}")
    if node["t"] == "Header" and PART in node["c"][1][1]:
        number = dict(node["c"][1][2]).get("number", "")
        title = A.stringify(node["c"][2])
        label = node["c"][1][0]
        return A.raw_block("typst", f"#nsp-part({typst_string(number)}, {typst_string(title)}){_typst_label(label)}")
    if node["t"] == "Div" and LIST in node["c"][0][1]:  # typst's own list, with page numbers
        kind = "image" if dict(node["c"][0][2]).get("kind") == "fig" else "table"
        # Entries in the text's weight and spacing: the contents' bold first level is for parts and chapters.
        return A.raw_block("typst", "#[#show outline.entry: set text(weight: \"regular\")\n"
                                    "#show outline.entry: set block(above: 0.6em)\n"
                                    f"#outline(title: none, target: figure.where(kind: {kind}))]")
    if node["t"] == "Div" and BYLINE in node["c"][0][1]:
        return [A.raw_block("typst", "#nsp-byline["), *node["c"][1], A.raw_block("typst", "]")]
    return None


TYPST_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _typst_label(label: str) -> str:
    """` <label>` for an id made of safe characters only; none for anything else, which would be code."""
    return f" <{label}>" if TYPST_LABEL.fullmatch(label) else ""


TYPST_LENGTH = re.compile(r"^\d+(\.\d+)?(%|cm|mm|in|pt|em)$")


def _typst_image(node: Node) -> Node:
    """An image with its alt text (pandoc's typst writer drops it; PDF/UA and PDF/A need it)."""
    (_, _, attrs), alt, (src, _) = node["c"]
    args = [typst_string(src), f"alt: {typst_string(A.stringify(alt))}"]
    for key, value in attrs:
        if key in ("width", "height") and TYPST_LENGTH.match(value):
            args.append(f"{key}: {value}")
    return {"t": "RawInline", "c": ["typst", f"#box(image({', '.join(args)}))"]}


BODY_MARKER = "/* nsp: the body goes here */"


def typst_source(job: RenderJob, prepared: Prepared,
                 template: str = "templates/typst/paper.typ") -> tuple[str, list[str]]:
    """The whole typst document, written chapter by chapter with each chapter's markup cached.

    `template`: the pandoc template around the body (the newsletter has its own).

    After an edit only the changed chapter goes through pandoc's typst writer again.
    """
    lowered, sources = lower_for_typst(prepared, dict(job.typefaces))
    chunks: list[list[Node]] = [[]]
    for block in lowered["blocks"]:
        if block["t"] == "RawBlock" and block["c"][1].startswith("// nsp-source: "):
            chunks.append([])
        chunks[-1].append(block)
    api = lowered["pandoc-api-version"]
    body = "\n".join(_markup(job, [json.dumps({"pandoc-api-version": api, "meta": {}, "blocks": c}) for c in chunks]))
    # The template around the body: pandoc fills in the metadata, nsp the body.
    paper = template_file(job, template)
    shell = {**lowered, "blocks": [A.raw_block("typst", BODY_MARKER)]}
    frame = run_pandoc(
        ["-f", "json", "-t", "typst", "--sandbox", f"--template={paper}"],
        stdin=json.dumps(shell).encode(),
        what="the typst template",
        cwd=job.root,
        limits=job.limits,
    ).decode("utf-8")
    return frame.replace(BODY_MARKER, body, 1), sources


def _markup(job: RenderJob, texts: list[str]) -> list[str]:
    """The typst markup of each chunk (a pandoc JSON document): from the cache, or from one pandoc run for all
    the chunks not in it."""
    salt = f"{pandoc_identity()}\0typst-chunk-2\0".encode()
    keys = [hashlib.sha256(salt + t.encode()).hexdigest() for t in texts]
    cache = job.root / "build" / ".cache" / "typst"
    written: dict[int, str] = {}
    for i, key in enumerate(keys):
        data = cachefile.read(cache / f"{key}.typ")  # verified: a truncated chunk would drop a chapter
        if data is not None:
            with contextlib.suppress(UnicodeDecodeError):
                written[i] = data.decode("utf-8")
    todo = [i for i in range(len(texts)) if i not in written]
    if todo:
        script = Path(__file__).with_name("typst_chunks.lua")
        out = run_pandoc(["lua", str(script)], stdin=json.dumps([texts[i] for i in todo]).encode(),
                         what="the typst source", cwd=job.root, limits=job.limits)
        for i, text in zip(todo, json.loads(out)):
            written[i] = text
            cachefile.write(cache / f"{keys[i]}.typ", text.encode("utf-8"))
    return [written[i] for i in range(len(texts))]
