"""C2xx: citations that resolve to the bibliography."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import ast as A
from ..diagnostics import Diagnostic, error
from ..model import Document, Project
from ..schema import did_you_mean


def cited_keys(ast: dict) -> list[str]:
    keys: list[str] = []

    def visit(node: A.Node) -> None:
        if node["t"] == "Cite":
            keys.extend(c["citationId"] for c in node["c"][0])

    A.walk(ast["blocks"], visit)
    return keys


def key_line(doc: Document, key: str) -> int:
    """The file line where `@key` first appears; pandoc gives no positions, so we search."""
    pattern = re.compile(r"@\{?" + re.escape(key) + r"(?![\w:.#$%&+?<>~/-]*\w)")
    for i, line in enumerate(doc.body.split("\n")):
        if pattern.search(line):
            return doc.body_line + i
    return 0


def check(project: Project, asts: dict[str, dict]) -> Iterator[Diagnostic]:
    """C201 — a citation key that is in no bibliography.

    Why: pandoc prints such a citation as a bold `key?` and carries on; the
    paper would go out with a hole where the evidence should be.
    Example: `[@fatf2019x]` when the .bib has `fatf2019`.
    """
    known = set(project.bibliography.entries)
    for path, ast in asts.items():
        doc = project.documents.get(path)
        if doc is None:
            continue
        for key in dict.fromkeys(cited_keys(ast)):
            if key not in known:
                yield error(path, key_line(doc, key), "C201",
                            f"citation '{key}' is not in any bibliography{did_you_mean(key, known)}")
