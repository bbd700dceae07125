"""Remembering a check's findings until any input changes.

The key is a fingerprint of every file a check can read (size and
modification time of everything in the repository but outputs, tools and
tests), nsp's version and the options. A hit costs a directory walk; a miss,
a corrupt entry or a deleted cache just means checking again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from nsp import __version__
from nsp.diagnostics import Diagnostic, Severity
from nsp.infra import cachefile

SKIP_DIRS = {".git", ".venv", "build", "tools", "tests", "bench", "__pycache__", ".pytest_cache", ".hypothesis"}


def fingerprint(root: Path, *parts: str) -> str:
    from nsp.review.provenance import history_key

    # Review records are judged by the commits that added them: a new commit can change the findings.
    digest = hashlib.sha256("\0".join((__version__, history_key(root), *parts)).encode())
    # nsp's own code is an input too: a changed rule must not replay old findings.
    package = Path(__file__).parents[1]
    for own in sorted(package.rglob("*.*")):
        if own.suffix in (".py", ".lua"):
            st = own.stat()
            digest.update(f"{own.relative_to(package).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
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


def _path(root: Path, name: str) -> Path:
    return root / "build" / ".cache" / "results" / f"{name}.json"


def name_for(*parts: str) -> str:
    """A file name for one kind of job (a paper's check, one build selection)."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def load(root: Path, name: str, key: str) -> dict[str, Any] | None:
    """The payload stored under `name`, if it was stored for this same fingerprint `key`."""
    data = cachefile.read_json(_path(root, name), dict)
    return data if data is not None and data.get("key") == key else None


def store(root: Path, name: str, key: str, payload: dict[str, Any]) -> None:
    cachefile.write_json(_path(root, name), {**payload, "key": key})


def diagnostics_to_json(diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    return [{"path": d.path, "line": d.line, "code": d.code, "severity": d.severity.value, "message": d.message}
            for d in diagnostics]


def diagnostics_from_json(rows: Any) -> list[Diagnostic] | None:
    try:
        return [Diagnostic(d["path"], d["line"], d["code"], Severity(d["severity"]), d["message"]) for d in rows]
    except (KeyError, TypeError, ValueError):
        return None
