"""X6xx: links inside the paper that lead somewhere, anchors that are unique."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from nsp.check.context import Context, Finding
from nsp.crossref import KINDS, is_crossref, kind_of
from nsp.load.schema import did_you_mean


def internal_links(ctx: Context) -> Iterator[Finding]:
    """X601: A link to an anchor or chapter of the paper that does not exist."""
    by_path = {p: set(ix.anchors) for p, ix in ctx.indexes.items()}
    for doc in ctx.documents():
        for url in ctx.indexes[doc.path].links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not (parts.path.endswith(".md") or (not parts.path and parts.fragment)):
                continue
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), parts.path)) if parts.path else doc.path
            )
            if parts.path and not (ctx.project.root / target).is_file():
                yield doc.path, ctx.find_line(doc, url), f"link '{url}' leads to {target}, which does not exist"
            elif parts.fragment and target in by_path and parts.fragment not in by_path[target]:
                yield (
                    doc.path,
                    ctx.find_line(doc, url),
                    f"link '{url}': there is no anchor '#{parts.fragment}' in {target}",
                )


def unique_anchors(ctx: Context) -> Iterator[Finding]:
    """X602: The same anchor id given twice in one document."""
    for doc in ctx.documents():
        counts = Counter(ctx.indexes[doc.path].anchors)
        for ident, n in counts.items():
            if n > 1:
                lines = [line for line, _ in ctx.find_regex(doc, _id_pattern(ident))]
                yield (
                    doc.path,
                    lines[1] if len(lines) > 1 else 0,
                    f"anchor '#{ident}' is used {n} times; give each its own id",
                )


def _id_pattern(ident: str) -> re.Pattern[str]:
    return re.compile(r"\{[^}]*#" + re.escape(ident) + r"(?=[\s}])")


def unique_anchor_prefixes(ctx: Context) -> Iterator[Finding]:
    """X603: Two files of the paper whose names give the same anchor prefix (and preview file name)."""
    project = ctx.project
    listed: list[tuple[str, str, int]] = []  # document path, the file that lists it, the line
    for key in ("front_matter", "back_matter"):
        listed += [(p, project.paper.path, project.paper.key_lines.get(key, 0)) for p in getattr(project.paper, key)]
    for theme in project.themes:
        listed += [(p, theme.path, line) for p, line in zip(theme.chapters, theme.chapter_lines)]
    seen: dict[str, str] = {}
    for path, where, line in listed:
        doc = project.documents.get(path)
        if doc is None:
            continue
        first = seen.setdefault(doc.slug, path)
        if first != path:
            yield where, line, f"files '{first}' and '{path}' would share the anchor '{doc.slug}'; rename one of them"


def cross_references(ctx: Context) -> Iterator[Finding]:
    """X604: A cross-reference (`@fig-…`, `@tbl-…`, `@sec-…`, `@ch-…`) to nothing in the paper."""
    known_keys = ctx.project.bibliography.entries
    targets = crossref_targets(ctx)
    for doc in ctx.documents():
        for key in dict.fromkeys(ctx.indexes[doc.path].cites):
            kind = kind_of(key)
            if not is_crossref(key, known_keys) or key in targets.get(kind, set()):
                continue
            if not ctx.whole_paper:
                continue  # the figure may be in a chapter this check does not read
            same_kind = targets.get(kind, set())
            yield (doc.path, ctx.find_line(doc, "@" + key),
                   f"cross-reference '@{key}': there is no {KINDS[kind].lower()} with the id '{key}' in the paper"
                   f"{did_you_mean(key, same_kind)}; give the {KINDS[kind].lower()} that id "
                   + ("(a chapter's id is its anchor, e.g. @ch-terror-financing-01-channels)" if kind == "ch"
                      else "({#" + key + "} after it)"))


def crossref_targets(ctx: Context) -> dict[str, set[str]]:
    """The ids a cross-reference may name, by kind: anchors with the kind's prefix, and the chapters."""
    out: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for ix in ctx.indexes.values():
        for anchor in ix.anchors:
            if kind_of(anchor) in ("fig", "tbl", "sec"):
                out[kind_of(anchor)].add(anchor)
    stems = Counter(Path(d.path).stem for d in ctx.project.all_chapters())
    for doc in ctx.project.all_chapters():
        out["ch"].add(f"ch-{doc.slug}")
        if stems[Path(doc.path).stem] == 1:
            out["ch"].add(f"ch-{Path(doc.path).stem}")
    return out
