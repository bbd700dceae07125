"""Citations resolved once per build, on a small document, and cached.

pandoc's --citeproc only needs the citations, in order (and whether each sits
in a footnote), and the place for the bibliography. So instead of running it in
every writer over the whole paper, nsp builds a reduced document of just those,
runs citeproc on it once (cached by its content and the bibliography's), and
copies the formatted citations and the reference list back into the paper.
Every writer then runs without --citeproc, and PDF, DOCX and HTML cite alike.
The chapters were sanitised before this runs, so its output is sanitised here.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from nsp.assemble.chapters import REFS_ID
from nsp.ast import Doc, Node
from nsp.infra import cachefile
from nsp.infra.pandoc import pandoc_identity, run_pandoc
from nsp.infra.sanitize import sanitize


def _collect(value: Any, in_note: bool, found: list[tuple[Node, bool]], refs: list[Node]) -> None:
    if isinstance(value, list):
        for item in value:
            _collect(item, in_note, found, refs)
    elif isinstance(value, dict):
        t = value.get("t")
        if t == "Cite":
            found.append((value, in_note))
            return  # a citation's own text holds no further citations
        if t == "Div" and value["c"][0][0] == REFS_ID:
            refs.append(value)
        for v in value.values():
            if isinstance(v, (list, dict)):
                _collect(v, in_note or t == "Note", found, refs)


def resolve_citations(doc: Doc, *, root: Path, bibliography: tuple[str, ...], csl: str | None, cache_dir: Path) -> None:
    """Format every citation of `doc` and fill its reference list, in place."""
    cites: list[tuple[Node, bool]] = []
    refs: list[Node] = []
    _collect(doc["blocks"], False, cites, refs)
    blocks: list[Node] = []
    for cite, in_note in cites:
        bare = {"t": "Cite", "c": [cite["c"][0], []]}
        blocks.append({"t": "Para", "c": [{"t": "Note", "c": [{"t": "Para", "c": [bare]}]} if in_note else bare]})
    blocks.append({"t": "Div", "c": [[REFS_ID, [], []], []]})
    meta = {
        "link-citations": {"t": "MetaBool", "c": True},
        "lang": doc["meta"].get("lang", {"t": "MetaString", "c": "en"}),
    }
    reduced = json.dumps({"pandoc-api-version": doc["pandoc-api-version"], "meta": meta, "blocks": blocks})
    sources = [root / b for b in bibliography] + ([root / csl] if csl else [])
    digest = hashlib.sha256(f"{pandoc_identity()}\0{reduced}".encode())
    for path in sources:
        digest.update(path.read_bytes())
    cached = cache_dir / f"{digest.hexdigest()}.json"
    result = cachefile.read_json(cached, dict)
    if result is None or not isinstance(result.get("blocks"), list):
        args = ["-f", "json", "-t", "json", "--citeproc", *(f"--bibliography={b}" for b in bibliography)]
        if csl:
            args.append(f"--csl={csl}")
        out = run_pandoc(args, stdin=reduced.encode(), what="the citations", cwd=root)
        result = json.loads(out)
        cachefile.write(cached, out)
    # The citations are text from .bib files, which pandoc reads as LaTeX: they obey the chapters' rules
    # (no raw code, no unsafe links, no images at all), whether just made or read from the cache.
    result["blocks"] = sanitize(result["blocks"], root=root, doc_path="", images=False)
    filled: list[Node] = []
    found: list[tuple[Node, bool]] = []
    _collect(result["blocks"], False, found, filled)
    if len(found) != len(cites):
        raise RuntimeError("citeproc returned a different number of citations")  # a bug, not a user mistake
    for (original, _), (done, _) in zip(cites, found):
        original["c"] = done["c"]
    for div in refs:
        div["c"] = [div["c"][0], filled[0]["c"][1] if filled else []]
        div["c"][0][1] = filled[0]["c"][0][1] if filled else div["c"][0][1]
