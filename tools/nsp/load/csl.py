"""Bibliographies as the paper prints them: CSL items.

citeproc prints a reference from pandoc's reading of it, not from the .bib's field names: pandoc applies
biblatex's names (`journaltitle`, `date`, `location`), inherits through `crossref` and `xdata`, and expands
`@string` macros. So nsp reads each .bib the same way (`pandoc -f biblatex -t csljson`, the reader pandoc
uses for a .bib bibliography) and judges entries on that reading (check/references.py). Bibliographies
written as CSL JSON or CSL YAML (Zotero's own exports) are read as they are, with the line of each entry.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from nsp import ast as A
from nsp.diagnostics import Diagnostic
from nsp.load.bib import BibEntry
from nsp.load.yamlfile import LineDict, parse_yaml
from nsp.rules import finding

CSL_SUFFIXES = (".json", ".yaml", ".yml")  # what pandoc reads as CSL JSON / CSL YAML bibliographies
BIBLIOGRAPHY_SUFFIXES = (".bib", *CSL_SUFFIXES)
PANDOC_ERROR = re.compile(r'\(line (\d+), column \d+\):\s*(.*?)(?:\n|$)', re.S)

CslItem = dict[str, Any]


def is_csl(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in CSL_SUFFIXES


def read_bibtex_as_csl(text: str, path: str, failed: list[range],
                       cache: Path | None = None) -> tuple[dict[str, CslItem], list[Diagnostic]]:
    """pandoc's CSL reading of a .bib, by key. `failed`: the lines of the blocks bibtexparser could not parse
    (reported as C205); pandoc refuses the whole file for one of them, so it reads the file without them, and
    reports nothing twice.
    `cache`: a folder where readings are kept by the text's content, as chapters' are (every `nsp check`,
    `status` and save under `nsp watch` loads the bibliography; an unchanged one costs no pandoc run)."""
    from nsp.infra import cachefile
    from nsp.infra.pandoc import PandocError, pandoc_identity, run_pandoc

    source = _without(text, failed)
    key = hashlib.sha256(f"{pandoc_identity()}\0biblatex-csljson-1\0{source}".encode()).hexdigest()
    items = cachefile.read_json(cache / f"{key}.json", list) if cache else None
    try:
        if items is None:
            out = run_pandoc(["-f", "biblatex", "-t", "csljson", "--sandbox"], stdin=source.encode("utf-8"),
                             what=path)
            items = json.loads(out)
            if cache:
                cachefile.write(cache / f"{key}.json", out)
    except (PandocError, ValueError) as err:
        if failed:
            return {}, []
        found = PANDOC_ERROR.search(str(err))
        line, why = (int(found.group(1)), found.group(2).strip()) if found else (1, str(err))
        return {}, [finding(path, line, "C205", f"pandoc cannot read this bibliography here ({why}); its "
                                                "references would be lost: check the entry's braces and commas")]
    return {str(i.get("id")): i for i in items if isinstance(i, dict)}, []


def _without(text: str, failed: list[range]) -> str:
    """The .bib with the given lines blanked out, the others' numbers kept."""
    if not failed:
        return text
    lines = text.split("\n")
    for n in (n for span in failed for n in span if n < len(lines)):
        lines[n] = ""
    return "\n".join(lines)


def parse_csl(text: str, path: str) -> tuple[list[BibEntry], list[Diagnostic]]:
    """The entries of a CSL JSON or CSL YAML bibliography, each with its line; what pandoc could not read
    is a C205 at its line."""
    if PurePosixPath(path).suffix.lower() == ".json":
        items, lines, diags = _json_items(text, path)
    else:
        items, lines, diags = _yaml_items(text, path)
    entries: list[BibEntry] = []
    seen: dict[str, int] = {}
    for item, line in zip(items, lines):
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)) or str(item.get("id")) == "":
            diags.append(finding(path, line, "C205", "this CSL entry has no \"id\": give it the key chapters cite"))
            continue
        key = str(item["id"])
        if not isinstance(item.get("type", ""), str):
            diags.append(finding(path, line, "C205", f"the \"type\" of {key} is not a CSL type name such as "
                                                     "\"report\" or \"article-journal\""))
            continue
        if key in seen:
            diags.append(finding(path, line, "C203", f"key '{key}' is defined twice in this file (line {seen[key]}); "
                                                     "rename or remove one"))
            continue
        seen[key] = line
        entries.append(BibEntry(key, item.get("type", ""), _flat(item), path, line, csl=dict(item)))
    return entries, diags


def _json_items(text: str, path: str) -> tuple[list[Any], list[int], list[Diagnostic]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return [], [], [finding(path, err.lineno, "C205", f"this CSL JSON cannot be read ({err.msg}); its "
                                                          "references would be lost")]
    except RecursionError:  # a file of nothing but brackets: no bibliography is nested so deep
        return [], [], [finding(path, 1, "C205", "this CSL JSON is nested too deeply to be a bibliography")]
    if not isinstance(data, list):
        return [], [], [finding(path, 1, "C205", "a CSL JSON bibliography is a list of entries: [{\"id\": …}, …]")]
    return data, _json_lines(text, data), []


def _json_lines(text: str, items: list[Any]) -> list[int]:
    """The line of each item's "id" (JSON keeps no positions; the ids are found in order)."""
    lines, pos = [], 0
    for item in items:
        key = item.get("id") if isinstance(item, dict) else None
        found = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(key))).search(text, pos) if key is not None else None
        if found:
            pos = found.end()
        lines.append(text.count("\n", 0, found.start() if found else pos) + 1)
    return lines


def _yaml_items(text: str, path: str) -> tuple[list[Any], list[int], list[Diagnostic]]:
    # pandoc's CSL YAML: a mapping with `references:`, as a file of its own or as a Markdown front matter.
    body = text.strip()
    offset = 0
    if body.startswith("---"):
        body, _, _ = body[3:].partition("\n---")
        offset = text[:text.index("---")].count("\n")
    data, diags = parse_yaml(body, path, offset)
    if diags:
        return [], [], diags
    if not isinstance(data, LineDict) or not isinstance(data.get("references"), list):
        return [], [], [finding(path, getattr(data, "line", 1) or 1, "C205",
                                "a CSL YAML bibliography is a mapping with a `references:` list; pandoc reads "
                                "nothing else")]
    refs = data["references"]
    return list(refs), list(getattr(refs, "item_lines", [data.line_of("references")] * len(refs))), []


def _flat(item: CslItem) -> dict[str, str]:
    """The entry's fields as text, for what compares entries (a review covers the reference it cites)."""
    return {k: v if isinstance(v, str) else json.dumps(v, sort_keys=True, default=str, ensure_ascii=False)
            for k, v in item.items() if k != "id"}


def printed_references(root: Path, csl: str | None, items: list[CslItem]) -> dict[str, str]:
    """How the paper's citation style prints each item in its reference list, as plain text, by key (citeproc
    run on the items alone; pandoc's own Chicago style where the paper names none). Empty if pandoc fails."""
    from nsp.infra.pandoc import PandocError, run_pandoc

    front = json.dumps({"references": items, "nocite": "@*"}, default=str)  # JSON is YAML
    args = ["-f", "markdown", "-t", "json", "--citeproc", "--sandbox", *([f"--csl={csl}"] if csl else [])]
    try:
        doc = json.loads(run_pandoc(args, stdin=f"---\n{front}\n---\n".encode(), what="the reference list",
                                    cwd=root))
    except (PandocError, ValueError):
        return {}
    return {str(div["c"][0][0])[4:]: " ".join(A.stringify(div["c"][1]).split())
            for div in A.collect(doc.get("blocks", []), "Div") if str(div["c"][0][0]).startswith("ref-")}
