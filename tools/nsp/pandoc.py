"""Running pandoc: where it is, which version, and reading Markdown to ASTs in bulk.

Every run is bounded: a wall-clock timeout and a Haskell heap cap, so a
pathological chapter cannot hang or swamp the machine.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Document, Project

# The Markdown dialect chapters are written in. A YAML block in the middle of a
# chapter must not become metadata (a route around our front-matter checks).
READER = "markdown-yaml_metadata_block"
HEAP_CAP = "-M2g"
TIMEOUT_S = 300

Ast = dict[str, Any]


class PandocError(Exception):
    """pandoc failed; the message says on what."""


@functools.cache
def pandoc_path() -> str:
    import pypandoc  # heavy-ish import, only once we really run pandoc

    return str(pypandoc.get_pandoc_path())


@functools.cache
def pandoc_version() -> str:
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True).stdout
    return out.split("\n", 1)[0].split()[-1]


def run_pandoc(args: Sequence[str], *, stdin: bytes | None = None, timeout: float = TIMEOUT_S, what: str) -> bytes:
    """Run pandoc with `args`; raise PandocError naming `what` on failure, timeout or heap exhaustion."""
    cmd = [pandoc_path(), "+RTS", HEAP_CAP, "-RTS", *args]
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout,
                              env={**os.environ, "LC_ALL": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        raise PandocError(f"pandoc took longer than {timeout:.0f} s on {what}; look for a runaway construct "
                          "(deeply nested lists or brackets, a huge table)") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        if "Heap exhausted" in msg:
            msg = "ran out of memory (heap cap reached)"
        raise PandocError(f"pandoc failed on {what}: {msg}")
    return proc.stdout


def read_markdown(texts: Sequence[str], *, cache_dir: Path | None) -> list[Ast]:
    """Parse each Markdown text to a pandoc AST; one pandoc process for all uncached texts.

    ASTs are cached by the hash of (pandoc version, reader, text), so an
    unchanged chapter is never parsed twice.
    """
    salt = f"{pandoc_version()}\0{READER}\0".encode()
    keys = [hashlib.sha256(salt + t.encode()).hexdigest() for t in texts]
    results: list[Ast | None] = [None] * len(texts)
    if cache_dir:
        for i, key in enumerate(keys):
            results[i] = _cache_get(cache_dir, key)
    todo = [i for i, r in enumerate(results) if r is None]
    if todo:
        script = Path(__file__).with_name("read_many.lua")
        payload = json.dumps([texts[i] for i in todo]).encode()
        out = run_pandoc(["lua", str(script), READER], stdin=payload, what=f"{len(todo)} Markdown file(s)")
        for i, ast in zip(todo, json.loads(out)):
            if "error" in ast:
                raise PandocError(str(ast["error"]))
            results[i] = ast
            if cache_dir:
                _cache_put(cache_dir, keys[i], ast)
    return [r for r in results if r is not None]


def _cache_get(cache_dir: Path, key: str) -> Ast | None:
    try:
        data = json.loads((cache_dir / key[:2] / f"{key}.json").read_bytes())
    except (OSError, ValueError):
        return None  # missing or corrupt: parse again
    return data if isinstance(data, dict) and "blocks" in data else None


def _cache_put(cache_dir: Path, key: str, ast: Ast) -> None:
    from .atomic import write_atomic

    try:
        write_atomic(cache_dir / key[:2] / f"{key}.json", json.dumps(ast).encode())
    except OSError:
        pass  # a cache that cannot be written only costs time


def parse_documents(project: Project, documents: Sequence[Document]) -> dict[str, Ast]:
    """The AST of each document, by path; parsed in one pandoc run, cached under build/.cache."""
    cache = project.root / "build" / ".cache" / "ast"
    return dict(zip((d.path for d in documents), read_markdown([d.body for d in documents], cache_dir=cache)))
