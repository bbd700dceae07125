"""The texts reviewers approved, kept by nsp itself: THEME/approved/HEX.md, named by the sha256 of their bytes.

`nsp review approve` writes the exact approved file here, next to the review log and committed with it, so
`nsp diff` can always show what changed since an approval, whether or not anyone committed the chapter at
that moment. A stored text is used only if its bytes still hash to its name: an edited copy is ignored.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from nsp.infra.atomic import write_atomic
from nsp.infra.resources import contained

FOLDER = "approved"


def stored_path(theme_id: str, digest: str) -> str:
    """Where the text whose sha256 is `digest` ("sha256:…") is kept, relative to the root."""
    return f"{theme_id}/{FOLDER}/{digest.removeprefix('sha256:')}.md"


def keep(root: Path, theme_id: str, data: bytes) -> str:
    """Store `data` (a chapter's bytes) once; the path it is kept at, relative to the root."""
    rel = stored_path(theme_id, "sha256:" + hashlib.sha256(data).hexdigest())
    if not (root / rel).is_file():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(root / rel, data)
    return rel


def approved_text(root: Path, theme_id: str, digest: str) -> str | None:
    """The stored text whose sha256 is `digest`, as nsp reads chapters; None if absent or not what it claims."""
    full, _ = contained(root, stored_path(theme_id, digest))
    if full is None or not full.is_file():
        return None
    data = full.read_bytes()
    if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
        return None
    return data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
