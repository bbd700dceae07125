"""Merge the chapters' ASTs into one document: parts, numbered chapters, bylines, annexes.

The result is format-neutral: parts and bylines are marked with classes, and
`render` lowers them for typst or Word.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from nsp import ast as A
from nsp.assemble.acronyms import abbreviations_list, expand_first_uses
from nsp.assemble.actiontables import action_table
from nsp.assemble.xrefs import NUMBER, lists_of, number_references, placeholder
from nsp.ast import Doc, Node
from nsp.infra import cachefile
from nsp.infra.progress import Tick, no_tick
from nsp.infra.resources import resolve_local
from nsp.infra.sanitize import sanitize
from nsp.model import Agency, Document, Glossary, Paper, Person, Theme

PART = "nsp-part"
CHAPTER = "nsp-chapter"
BYLINE = "nsp-byline"
SUMMARY = "nsp-summary"
UNNUMBERED = "unnumbered"
REFS_ID = "refs"
SOURCE = "nsp-source"  # on each document's heading: which file the following blocks came from
NO_GLOSSARY = Glossary()


@dataclass(frozen=True)
class Outline:
    """What goes into one output, in reading order."""

    paper: Paper
    title: str
    subtitle: str
    front: tuple[Document, ...]
    parts: tuple[tuple[Theme, tuple[Document, ...]], ...]
    back: tuple[Document, ...]
    show_parts: bool
    draft: bool = True
    bylines: dict[str, str] = field(default_factory=dict)  # chapter path -> review line
    version: str = ""  # set for a release: shown on the title page
    colophon: Document | None = None  # a release's last page


def roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + digits, n - value
    return out


@dataclass(frozen=True)
class _Context:
    root: Path
    targets: dict[str, str]  # document path -> its anchor prefix, for links between chapters
    known_keys: frozenset[str]
    cache: BodyCache | None
    agencies: dict[str, Agency] = field(default_factory=dict)  # names for the action tables


class BodyCache:
    """Each document's processed body, kept until anything it depends on changes.

    The key covers the document's parsed text (`ast_key`), where it stands in the
    paper, the link targets, the bibliography's keys and the state of its images,
    so after an edit only the edited chapter is processed again.
    """

    # 2: bidi overrides dropped by sanitize; 3: cross-references as placeholders; 4: action tables;
    # 5: lang and dir values checked by sanitize
    VERSION = "5"

    def __init__(
        self, folder: Path, ast_key: Callable[[Document], str], images: Callable[[Document], list[str]]
    ) -> None:
        self.folder, self.ast_key, self.images = folder, ast_key, images

    def key(self, doc: Document, ctx: _Context, *parts: object) -> str:
        digest = hashlib.sha256(f"{self.VERSION}\0{self.ast_key(doc)}\0{doc.path}\0{parts}".encode())
        digest.update(json.dumps(ctx.targets, sort_keys=True).encode())
        digest.update("\0".join(sorted(ctx.known_keys)).encode())
        digest.update(json.dumps({k: a.name for k, a in ctx.agencies.items()}, sort_keys=True).encode())
        for url in self.images(doc):  # an image that appears, vanishes or changes kind changes the body
            full, _ = resolve_local(ctx.root, doc.path, url)
            with contextlib.suppress(OSError, ValueError):
                st = full.stat() if full else None
                digest.update(f"{url}\0{st.st_size if st else -1}\0{st.st_mtime_ns if st else -1}".encode())
        return digest.hexdigest()

    def get(self, key: str) -> list[Node] | None:
        return cachefile.read_json(self.folder / f"{key}.json", list)

    def put(self, key: str, blocks: list[Node]) -> None:
        cachefile.write_json(self.folder / f"{key}.json", blocks)


def assemble(outline: Outline, asts: Mapping[str, Doc], people: dict[str, Person], known_keys: set[str], *,
             root: Path, cache: BodyCache | None = None, glossary: Glossary = NO_GLOSSARY,
             agencies: Mapping[str, Agency] | None = None, on_document: Tick = no_tick) -> Doc:
    """Build the merged document from each document's AST (keyed by its path).

    Citations of keys in no bibliography (possible only in a forced draft) are
    printed as a visible marker: left alone, they would link to a reference
    that does not exist, which typst refuses to compile. `on_document` counts the documents as they are done.
    """
    ctx = _Context(root, {doc.path: doc.slug for doc in _all_documents(outline)}, frozenset(known_keys), cache,
                   dict(agencies or {}))
    own_raw = frozenset(outline.paper.allow_raw)  # the secretariat's own pages only, never chapters
    blocks: list[Node] = []
    chapter_level = 2 if outline.show_parts else 1
    for doc in outline.front:
        blocks += _page(doc, asts, ctx, number=None, allow_raw=own_raw)
        on_document(1)
    after_front = len(blocks)
    chapter_no = 0
    for part_no, (theme, chapters) in enumerate(outline.parts, start=1):
        if outline.show_parts:
            blocks.append(A.header(1, _plain(theme.title), ident=theme.id.replace("_", "-"),
                                   classes=(PART, UNNUMBERED), attrs=(("number", roman(part_no)),)))
        for doc in chapters:
            chapter_no += 1
            blocks += _chapter(doc, asts, ctx, people, level=chapter_level, number=chapter_no,
                               review=outline.bylines.get(doc.path, ""))
            on_document(1)
    blocks.append(A.header(1, A.text_inlines("References"), ident="references", classes=(UNNUMBERED,)))
    blocks.append(A.div([], ident=REFS_ID))
    for letter, doc in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", outline.back):
        generated = doc.path.endswith(".generated.md")  # built from data: no raw, whatever the manifest says
        blocks += _page(doc, asts, ctx, number=f"Annex {letter}", allow_raw=frozenset() if generated else own_raw)
        on_document(1)
    if outline.colophon:
        blocks += _page(outline.colophon, asts, ctx, number=None, allow_raw=frozenset())
        on_document(1)
    number_references(blocks)
    used = expand_first_uses(blocks, glossary)
    blocks[after_front:after_front] = lists_of(blocks, outline.paper.lists) + abbreviations_list(used, glossary)
    _mark_broken_links(blocks)
    meta = _meta(outline)
    sanitize(list(meta.values()), root=root, doc_path="", images=False)  # see _plain
    return {"pandoc-api-version": _api_version(asts), "meta": meta, "blocks": blocks}


def _mark_unknown_citations(node: Node, known: frozenset[str]) -> Node | None:
    if node["t"] != "Cite":
        return None
    missing = [c["citationId"] for c in node["c"][0] if c["citationId"] not in known]
    if not missing:
        return None
    return {"t": "Strong", "c": A.text_inlines(f"[missing reference: {', '.join(missing)}]")}


def _mark_broken_links(blocks: list[Node]) -> None:
    """A link to an anchor that is nowhere in the merged document (possible only in a forced draft, X601)
    becomes its text and a visible marker, like a missing reference: typst refuses a link to no label."""
    ids = _collect_ids(blocks)

    def unlink(node: Node) -> list[Node] | None:
        if node["t"] != "Link" or not node["c"][2][0].startswith("#") or node["c"][2][0][1:] in ids:
            return None
        anchor = node["c"][2][0].split("--", 1)[-1].lstrip("#")
        return [*node["c"][1], {"t": "Space"}, {"t": "Strong", "c": A.text_inlines(f"[broken link: #{anchor}]")}]

    A.walk(blocks, unlink)


def _all_documents(outline: Outline) -> list[Document]:
    return [*outline.front, *(d for _, ch in outline.parts for d in ch), *outline.back,
            *([outline.colophon] if outline.colophon else [])]


def _api_version(asts: Mapping[str, Doc]) -> list[int]:
    for path in asts:  # the first document is enough (and with a lazy mapping, the only one loaded)
        return list(asts[path]["pandoc-api-version"])
    return [1, 23, 1]


def _meta(outline: Outline) -> dict[str, Node]:
    paper = outline.paper
    meta = {
        "title": A.meta_inlines(outline.title),
        "subtitle": A.meta_inlines(outline.subtitle),
        "short-title": A.meta_inlines(paper.short_title),
        "publisher": A.meta_inlines(paper.publisher),
        "edition": A.meta_inlines(paper.edition),
        "lang": A.meta_string(paper.lang),
        "draft": A.meta_bool(outline.draft),
        "parts": A.meta_bool(outline.show_parts),
        "link-citations": A.meta_bool(True),
        "author": {"t": "MetaList", "c": [A.meta_inlines(paper.publisher)]}
        if paper.publisher
        else {"t": "MetaList", "c": []},
    }
    if paper.date:
        meta["date"] = A.meta_inlines(f"{paper.date.day} {paper.date:%B %Y}")
        meta["date-iso"] = A.meta_string(paper.date.isoformat())
    if outline.version:
        meta["version"] = A.meta_inlines(outline.version)
    if paper.logo:
        meta["logo"] = A.meta_string(paper.logo)
    return {**meta, **_imprint_meta(paper)}


def _imprint_meta(paper: Paper) -> dict[str, Node]:
    """The imprint's lines as metadata (plain text: each format's writer escapes it), only those given."""
    imprint = paper.imprint
    if imprint is None:
        return {}
    lines = {
        "notice": imprint.notice, "permissions": imprint.permissions,
        "secretariat": f"Secretariat: {paper.secretariat}" if paper.secretariat else "",
        "address": paper.address, "website": imprint.website, "credit": imprint.credit,
        "isbn": f"ISBN {imprint.isbn}" if imprint.isbn else "",
    }
    return {"imprint": A.meta_bool(True),
            **{f"imprint-{key}": A.meta_inlines(text) for key, text in lines.items() if text}}


def _page(doc: Document, asts: Mapping[str, Doc], ctx: _Context, *, number: str | None,
          allow_raw: frozenset[str]) -> list[Node]:
    """A paper's own page (foreword, annex): a level-1 heading, unnumbered."""
    title = _plain(f"{number}: {doc.title}" if number else doc.title)
    head = A.header(1, title, ident=doc.slug, classes=(UNNUMBERED,), attrs=((SOURCE, doc.path), *_lang(doc)))
    return [head, *_in_language(doc, _body(doc, asts, ctx, level=1, number=None, allow_raw=allow_raw))]


def _chapter(doc: Document, asts: Mapping[str, Doc], ctx: _Context, people: dict[str, Person], *,
             level: int, number: int, review: str) -> list[Node]:
    head = A.header(level, [{"t": "Str", "c": str(number)}, {"t": "Space"}, *_plain(doc.title)],
                    ident=doc.slug, classes=(CHAPTER,),
                    attrs=(("number", str(number)), (SOURCE, doc.path), *_lang(doc)))
    return [head, _byline(doc, people, review), *_in_language(doc, _body(doc, asts, ctx, level=level, number=number))]


# The contract with every writer: a document written in another language (`lang: ur`) has its heading
# marked with the key-value lang=ur and its body wrapped in one Div with that key-value only; a phrase is
# a Span with lang=ur (the writer's own). The byline stays in the paper's language: names, review dates.
def _lang(doc: Document) -> tuple[tuple[str, str], ...]:
    return (("lang", doc.lang),) if doc.lang else ()


def _in_language(doc: Document, blocks: list[Node]) -> list[Node]:
    return [A.div(blocks, attrs=_lang(doc))] if doc.lang else blocks


def _byline(doc: Document, people: dict[str, Person], review: str) -> Node:
    names = [people[a].name if a in people else a for a in doc.authors]
    lines = [A.para(_plain(_join_names(names)))]
    if review:
        lines.append(A.para(_plain(review)))
    if doc.summary:
        lines.append(A.div([A.para([{"t": "Emph", "c": _plain(doc.summary)}])], classes=(SUMMARY,)))
    return A.div(lines, classes=(BYLINE,))


def _plain(text: str) -> list[Node]:
    """Data from YAML (titles, names, summaries) as inlines: plain text by construction, and through
    the one sanitizer all the same, like everything shown (it drops bidi overrides, A510)."""
    return sanitize(A.text_inlines(text), root=Path("."), doc_path="", images=False)


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _body(doc: Document, asts: Mapping[str, Doc], ctx: _Context, *, level: int, number: int | None,
          allow_raw: frozenset[str] = frozenset()) -> list[Node]:
    """The document's blocks, made safe, with headings shifted under `level` and ids made unique."""
    key = ctx.cache.key(doc, ctx, level, number, sorted(allow_raw)) if ctx.cache else ""
    cached = ctx.cache.get(key) if ctx.cache else None
    if cached is not None:
        return cached
    blocks = _process(doc, asts[doc.path], ctx, level=level, number=number, allow_raw=allow_raw)
    if ctx.cache:
        ctx.cache.put(key, blocks)
    return blocks


def _process(doc: Document, ast: Doc, ctx: _Context, *, level: int, number: int | None,
             allow_raw: frozenset[str]) -> list[Node]:
    blocks = sanitize(ast["blocks"], root=ctx.root, doc_path=doc.path, allow_raw=allow_raw)
    targets = ctx.targets
    ids = _collect_ids(blocks)
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    shift = level + 1 - min(levels) if levels else 0
    counters = [0] * 7
    prefix = doc.slug
    base = posixpath.dirname(doc.path)

    def rewrite(node: Node) -> Node | list[Node] | None:
        t = node["t"]
        a = A.attr(node)
        if a is not None and a[0]:
            a[0] = f"{prefix}--{a[0]}"
        if t == "Header":
            new_level = min(node["c"][0] + shift, 6)
            node["c"][0] = new_level
            if number is not None and UNNUMBERED not in node["c"][1][1]:
                depth = new_level - level
                counters[depth] += 1
                counters[depth + 1:] = [0] * (len(counters) - depth - 1)
                label = ".".join(str(n) for n in [number, *counters[1:depth + 1]])
                node["c"][2] = [{"t": "Str", "c": label}, {"t": "Space"}, *node["c"][2]]
                node["c"][1][2] = [*node["c"][1][2], [NUMBER, label]]  # what @sec-… prints
            else:
                node["c"][1][1] = [*node["c"][1][1], UNNUMBERED]
        elif t == "Link":
            node["c"][2][0] = _link_target(node["c"][2][0], base, prefix, ids, targets)
        elif t == "Cite":
            return placeholder(node, ctx.known_keys, prefix) or _mark_unknown_citations(node, ctx.known_keys)
        elif t == "CodeBlock":
            return action_table(node, ctx.agencies, doc.path)
        return None

    rewritten: list[Node] = A.walk(blocks, rewrite)
    return rewritten


def _collect_ids(blocks: list[Node]) -> set[str]:
    ids: set[str] = set()

    def visit(node: Node) -> None:
        a = A.attr(node)
        if a is not None and a[0]:
            ids.add(a[0])

    A.visit(blocks, visit)
    return ids


def _link_target(url: str, base: str, prefix: str, ids: set[str], targets: dict[str, str]) -> str:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return url
    if not parts.path:
        return f"#{prefix}--{parts.fragment}" if parts.fragment in ids else url
    other = posixpath.normpath(posixpath.join(base, parts.path))
    if other in targets:
        slug = targets[other]
        return f"#{slug}--{parts.fragment}" if parts.fragment else f"#{slug}"
    return url
