"""Remembering a check's findings until any input changes.

The key is a fingerprint of every file a check can read (size and
modification time of everything in the repository but outputs, tools and
tests), nsp's version and the options. A hit costs a directory walk; a miss,
a corrupt entry or a deleted cache just means checking again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, Severity

SKIP_DIRS = {".git", ".venv", "build", "tools", "tests", "bench", "__pycache__", ".pytest_cache", ".hypothesis"}


def fingerprint(root: Path, *parts: str) -> str:
    digest = hashlib.sha256("\0".join((__version__, *parts)).encode())
    # nsp's own code is an input too: a changed rule must not replay old findings.
    for own in sorted(Path(__file__).parent.rglob("*.*")):
        if own.suffix in (".py", ".lua"):
            st = own.stat()
            digest.update(f"{own.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            rel = os.path.relpath(os.path.join(folder, name), root)
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_mode}\n".encode())
    return digest.hexdigest()


def _path(root: Path, key: str) -> Path:
    return root / "build" / ".cache" / "check" / f"{key}.json"


def load(root: Path, key: str) -> tuple[list[Diagnostic], int] | None:
    try:
        data = json.loads(_path(root, key).read_bytes())
        diags = [Diagnostic(d["path"], d["line"], d["code"], Severity(d["severity"]), d["message"]) for d in data["diagnostics"]]
        return diags, int(data["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(root: Path, key: str, diagnostics: list[Diagnostic], files: int) -> None:
    from .atomic import write_atomic

    rows = [{"path": d.path, "line": d.line, "code": d.code, "severity": d.severity.value, "message": d.message}
            for d in diagnostics]
    folder = _path(root, key).parent
    try:
        for old in folder.glob("*.json"):  # keep one entry per paper and options: the cache stays small
            old.unlink()
        write_atomic(_path(root, key), json.dumps({"diagnostics": rows, "files": files}).encode())
    except OSError:
        pass
