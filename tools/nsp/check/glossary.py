"""S115–S116: abbreviations and papers/glossary.yaml (checked only where the repository keeps a glossary)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.model import Document

# Two or more capitals (digits may follow the first letter: G20), as a word of its own; "NAP's" counts as NAP.
CAPITALS = re.compile(r"(?<![\w@#/.-])([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(?![\w/-]|\.\w)")
# Markers of unfinished text (S-rules of their own), never abbreviations.
MARKERS = frozenset({"TODO", "FIXME", "XXX", "TBD"})
# Where capitals are no prose: citations, links' targets, attributes, inline code.
NOT_PROSE = re.compile(r"\[@[^\]\n]*\]|@[\w:.#$%&+?<>~/-]+|\]\([^)\n]*\)|\{[^}\n]*\}|`[^`\n]*`|<[^>\n]+>")


def unknown_abbreviations(ctx: Context) -> Iterator[Finding]:
    """S115: An abbreviation (two or more capitals) that papers/glossary.yaml neither explains nor ignores."""
    glossary = ctx.project.glossary
    if not glossary.path:
        return
    known = set(glossary.terms) | glossary.ignore | MARKERS
    for doc in ctx.documents():
        seen: set[str] = set()
        for line, word in _capitals(ctx, doc):
            if word in known or word in seen:
                continue
            seen.add(word)
            yield (doc.path, line, f"'{word}' is not in {glossary.path}: add what it stands for under terms: "
                                   f"({word}: …), or list it under ignore: if it is no abbreviation")


def unused_terms(ctx: Context) -> Iterator[Finding]:
    """S116: A glossary entry that no Markdown file in the repository uses."""
    glossary = ctx.project.glossary
    if not glossary.path or not ctx.whole_paper:
        return
    used = {w.group(1) for text in ctx.all_markdown() for w in CAPITALS.finditer(NOT_PROSE.sub(" ", text))}
    for abbreviation, term in glossary.terms.items():
        if abbreviation not in used:
            yield (glossary.path, term.line, f"'{abbreviation}' is used in no chapter or page; remove it")


LINE = re.compile(r"^.*$")


def _capitals(ctx: Context, doc: Document) -> list[tuple[int, str]]:
    found = []
    for line, m in ctx.find_regex(doc, LINE):
        prose = NOT_PROSE.sub(" ", m.group(0))
        found += [(line, w.group(1)) for w in CAPITALS.finditer(prose)]
    return found
