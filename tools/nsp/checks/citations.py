"""C2xx: citations that resolve, and a bibliography without dead weight."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Severity
from ..resources import contained
from ..rules import Finding, declare, rule
from ..schema import did_you_mean
from .context import Context

E, W = Severity.ERROR, Severity.WARNING

declare("C203", "duplicate-bib-key", E, """
    One citation key defined twice with different content (in one .bib file, or in two).

    Why: pandoc keeps the last one silently; a citation could point at the wrong work.
    Example: `@report{unodc2019, …}` in papers/references.bib and a different one in drug_trafficking/references.bib.""")
declare("C204", "bib-entry-incomplete", W, """
    A bibliography entry lacks a field its type needs (author, title, year, journal…).

    Why: the reference list would print an entry a reader cannot find again.
    Example: `@article{x, title={…}}` with no journal or year.""")
declare("C205", "bib-unparseable", E, """
    A .bib block that cannot be parsed: an unclosed brace, a missing comma, a field given twice.

    Why: the entry would be lost, and every citation of it with it.
    Example: `title = {Opium Survey,` with no closing brace.""")


def _key_pattern(key: str) -> re.Pattern[str]:
    return re.compile(r"@\{?" + re.escape(key) + r"(?![\w:.#$%&+?<>~/-]*\w)")


@rule("C201", "unknown-citation", E)
def unknown_citations(ctx: Context) -> Iterator[Finding]:
    """A citation key that is in no bibliography.

    Why: pandoc prints such a citation as a bold `key?` and carries on; the paper
    would go out with a hole where the evidence should be.
    Example: `[@fatf2019x]` when the .bib has `fatf2019`.
    """
    known = set(ctx.project.bibliography.entries)
    for doc in ctx.documents():
        for key in dict.fromkeys(ctx.indexes[doc.path].cites):
            if key not in known:
                lines = ctx.find_regex(doc, _key_pattern(key))
                yield doc.path, lines[0][0] if lines else 0, f"citation '{key}' is not in any bibliography{did_you_mean(key, known)}"


@rule("C202", "unused-bib-entry", W)
def unused_entries(ctx: Context) -> Iterator[Finding]:
    """A bibliography entry that no Markdown file in the repository cites.

    Why: dead entries hide real ones and drift out of date; the other papers may use it, so
    the whole repository is searched, not only this paper.
    Example: `@book{old2001, …}` left behind after a chapter was rewritten.
    """
    bib = ctx.project.bibliography
    if not bib.entries:
        return
    text = "\n".join(_all_markdown(ctx))
    mentioned = set(re.findall(r"@\{?([\w][\w:.#$%&+?<>~/-]*)", text))
    mentioned |= {k.rstrip(".:;,?!-") for k in mentioned}
    for entry in bib.entries.values():
        if entry.key not in mentioned:
            yield entry.path, entry.line, f"entry '{entry.key}' is cited nowhere; cite it or remove it"


def _all_markdown(ctx: Context) -> list[str]:
    out = []
    for path in sorted(ctx.project.root.glob("*/**/*.md")):
        if path.parts[len(ctx.project.root.parts)] in ("build", "tests", "tools", ".venv", "templates", "bench"):
            continue
        if contained(ctx.project.root, path.relative_to(ctx.project.root).as_posix())[0] is None:
            continue  # a symbolic link out of the repository is read by nothing (E014 where it is used)
        try:
            out.append(path.read_text("utf-8", errors="replace"))
        except OSError:
            continue
    return out
