"""Abbreviations in one output paper: written out at their first use, listed after the contents.

"FATF" first appears as "Financial Action Task Force (FATF)", later as "FATF" alone, in each paper on its
own: the theme paper expands it where its own text first uses it. Headings, captions of the contents,
code and links' targets are not prose and are left as written; an author who already wrote the expansion
is not expanded twice.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from nsp import ast as A
from nsp.assemble.actiontables import table
from nsp.ast import Node
from nsp.infra.sanitize import sanitize
from nsp.model import Glossary

WORD = re.compile(r"^(\W*?)([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(\W.*|’s|'s)?$", re.S)
NOT_PROSE = {"Header", "Code", "CodeBlock", "RawInline", "RawBlock", "Cite", "Math"}
LIST_ID = "abbreviations"
HEADERS, WIDTHS = ("Abbreviation", "Meaning"), (0.2, 0.8)
URDU_HEADER = "اردو"  # "Urdu", heading the column of Urdu expansions
URDU_WIDTHS, URDU_ALIGNS = (0.2, 0.42, 0.38), ("AlignLeft", "AlignLeft", "AlignRight")


def expand_first_uses(blocks: list[Node], glossary: Glossary) -> list[str]:
    """Write out each glossary abbreviation at its first use in `blocks` (in place); the abbreviations used,
    in order of first use."""
    used: list[str] = []
    if glossary.terms:
        _walk(blocks, glossary, used)
    return used


def _walk(value: Any, glossary: Glossary, used: list[str]) -> None:
    if isinstance(value, dict):
        if value.get("t") in NOT_PROSE:
            return
        for v in value.values():
            if isinstance(v, (list, dict)):
                _walk(v, glossary, used)
        return
    if not isinstance(value, list):
        return
    out: list[Any] = []
    changed = False
    for item in value:
        expanded = _expanded(item, out, glossary, used) if isinstance(item, dict) and item.get("t") == "Str" else None
        if expanded is None:
            _walk(item, glossary, used)
            out.append(item)
        else:
            out += expanded
            changed = True
    if changed:
        value[:] = out


def _expanded(item: Node, before: list[Any], glossary: Glossary, used: list[str]) -> list[Node] | None:
    """The Str written out, if it is a glossary abbreviation's first use; else None (and noted if a use)."""
    m = WORD.match(item["c"])
    if not m or m.group(2) not in glossary.terms:
        return None
    lead, word, trail = m.group(1), m.group(2), m.group(3) or ""
    if word in used:
        return None
    used.append(word)
    expansion = glossary.terms[word].expansion
    if lead.endswith("(") and A.stringify(before[-12:]).rstrip().endswith(expansion):
        return None  # "Financial Action Task Force (FATF)": the author wrote it out already
    words = A.text_inlines(expansion)
    if lead:
        words[0] = {"t": "Str", "c": lead + words[0]["c"]}
    return [*words, {"t": "Space"}, {"t": "Str", "c": f"({word}){trail}"}]


def abbreviations_list(used: list[str], glossary: Glossary) -> list[Node]:
    """The List of Abbreviations: an unnumbered page of the front matter, sorted, for those used.

    A third column, "اردو", when a listed term has an Urdu expansion: each Urdu expansion a phrase marked
    lang=ur (the merged AST's contract: right to left, in Nastaliq, in every format) at the table's text
    size, in a column aligned right, where Urdu starts. A list with no Urdu keeps its two columns, byte for byte.
    """
    if not used:
        return []
    terms = [glossary.terms[term] for term in sorted(used)]
    head = A.header(1, A.text_inlines("Abbreviations"), ident=LIST_ID, classes=("unnumbered",))
    if not any(term.urdu for term in terms):
        return [head, table(HEADERS, [(t.abbreviation, t.expansion) for t in terms], WIDTHS)]
    rows = [(t.abbreviation, t.expansion, _urdu(t.urdu)) for t in terms]
    listed = table((*HEADERS, _urdu(URDU_HEADER)), rows, URDU_WIDTHS, aligns=URDU_ALIGNS)
    # The Urdu comes from YAML: plain text by construction, and through the one sanitizer all the same (A510).
    return [head, *sanitize([listed], root=Path("."), doc_path="", images=False)]


def _urdu(text: str) -> list[Node]:
    return [{"t": "Plain", "c": [A.span(A.text_inlines(text), attrs=(("lang", "ur"),))]}] if text else []
