"""BibTeX files read with bibtexparser v2, merged, with every problem located (each entry's completeness is
judged on pandoc's reading of it: load/csl.py, check/references.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from nsp.diagnostics import Diagnostic
from nsp.rules import finding


@dataclass(frozen=True)
class BibEntry:
    key: str
    entry_type: str
    fields: dict[str, str] = field(compare=False)
    path: str = field(compare=False)
    line: int = field(compare=False)
    # How citeproc reads the entry (load/csl.py): pandoc's CSL JSON of a .bib entry, or the CSL file's own item.
    csl: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Bibliography:
    entries: dict[str, BibEntry]
    files: tuple[str, ...]  # paths relative to the root, in merge order


def parse_bibtex(text: str, path: str) -> tuple[list[BibEntry], list[Diagnostic]]:
    entries, diags, _ = read_bibtex(text, path)
    return entries, diags


def read_bibtex(text: str, path: str) -> tuple[list[BibEntry], list[Diagnostic], list[range]]:
    """The entries and findings of a .bib, and the lines (0-based) of each block that could not be parsed."""
    import bibtexparser  # slow to import; only when a .bib is really read
    from bibtexparser import model as bm

    # bibtexparser logs its own account of failed blocks; we report them as diagnostics instead.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    entries = [
        BibEntry(
            e.key, e.entry_type.lower(), {f.key.lower(): str(f.value) for f in e.fields}, path, (e.start_line or 0) + 1
        )
        for e in library.entries
    ]
    diags: list[Diagnostic] = []
    for entry in entries:
        for name, value in entry.fields.items():
            if not value.strip():
                diags.append(
                    finding(
                        path,
                        entry.line,
                        "C205",
                        f"field '{name}' of {entry.key} has no value; give it one or remove it",
                    )
                )
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bm.DuplicateBlockKeyBlock):
            diags.append(
                finding(path, line, "C203", f"key '{block.key}' is defined twice in this file; rename or remove one")
            )
        elif isinstance(block, bm.DuplicateFieldKeyBlock):
            dup = ", ".join(sorted(block.duplicate_keys))
            diags.append(finding(path, line, "C205", f"entry has the field {dup} twice; keep one"))
        else:
            diags.append(
                finding(
                    path, line, "C205", "this entry cannot be parsed: check for an unclosed brace or a missing comma"
                )
            )
    failed = [range(b.start_line or 0, (b.start_line or 0) + (b.raw or "").count("\n") + 1)
              for b in library.failed_blocks]
    return entries, diags, failed


def merge_bibliographies(
    parsed: list[tuple[list[BibEntry], list[Diagnostic]]], files: tuple[str, ...]
) -> tuple[Bibliography, list[Diagnostic]]:
    """Merge entries file by file; a key given twice with different content is an error."""
    entries: dict[str, BibEntry] = {}
    diags: list[Diagnostic] = []
    for file_entries, file_diags in parsed:
        diags.extend(file_diags)
        for entry in file_entries:
            first = entries.get(entry.key)
            if first is None:
                entries[entry.key] = entry
            elif (first.entry_type, first.fields) != (entry.entry_type, entry.fields) and first.path != entry.path:
                diags.append(
                    finding(
                        entry.path,
                        entry.line,
                        "C203",
                        f"key '{entry.key}' is also in {first.path}:{first.line} with different content; rename one",
                    )
                )
    return Bibliography(entries, files), diags
