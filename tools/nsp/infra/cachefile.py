"""Cache entries that prove their own integrity: every cache under build/.cache reads and writes here.

An entry is one line of header — a magic word and a digest of the content —
then the content. Reading checks the digest: an entry that was truncated by a
full disk, overwritten by hand, replaced by a directory or left by an older nsp
is discarded and reported as a miss, so the caller rebuilds it. A cache can
cost time, never correctness; nothing here raises.

read_many.lua writes the AST entries itself, with the same header (pandoc's Lua
has SHA-1 but not SHA-256, hence two digest names).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

MAGIC = b"nsp-cache-1 "
_DIGESTS = {b"sha256": hashlib.sha256, b"sha1": hashlib.sha1}


def seal(data: bytes) -> bytes:
    """`data` with the header that `read` verifies."""
    return MAGIC + b"sha256:" + hashlib.sha256(data).hexdigest().encode() + b"\n" + data


def write(path: Path, data: bytes) -> None:
    """Store an entry atomically; a cache that cannot be written only costs time."""
    from nsp.diagnostics import NspError
    from nsp.infra.atomic import write_atomic

    if not path.is_file():
        discard(path)  # e.g. a directory where the entry should be
    with contextlib.suppress(OSError, NspError):
        write_atomic(path, seal(data))


def read(path: Path) -> bytes | None:
    """The entry's content if it is intact; None (and the entry gone) otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:  # a directory, unreadable, …
        discard(path)
        return None
    head, newline, data = raw.partition(b"\n")
    name, _, digest = head.removeprefix(MAGIC).partition(b":")
    algorithm = _DIGESTS.get(name)
    if not newline or not head.startswith(MAGIC) or algorithm is None or algorithm(data).hexdigest().encode() != digest:
        discard(path)
        return None
    return data


def read_json(path: Path, shape: type) -> Any | None:
    """An intact entry holding JSON of the given top-level type (dict, list, …); None otherwise."""
    data = read(path)
    if data is None:
        return None
    try:
        value = json.loads(data)
    except ValueError:
        value = None
    if not isinstance(value, shape):
        discard(path)
        return None
    return value


def write_json(path: Path, value: Any) -> None:
    write(path, json.dumps(value).encode())


def discard(path: Path) -> None:
    """Remove whatever is at `path` (file, link or directory); never raises."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
