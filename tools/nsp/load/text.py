"""Reading one file people wrote: inside the repository, within its size limit, UTF-8, newlines normalised.

Every file nsp reads passes here, so no file may lead out of the repository, by '..' or a symbolic link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from nsp.diagnostics import Diagnostic
from nsp.infra.resources import contained, outside_reason
from nsp.rules import finding

MAX_CHAPTER_BYTES = 5 * 1024 * 1024  # a chapter is text; anything bigger is a paste gone wrong


@dataclass
class Text:
    """A file's text as nsp sees it: UTF-8 (a BOM allowed), newlines normalised."""

    text: str
    sha256: str


def read_text(root: Path, rel: str, limit: int = MAX_CHAPTER_BYTES) -> tuple[Text | None, list[Diagnostic]]:
    # Every file nsp reads passes here: none may lead out of the repository, by '..' or a symbolic link.
    path, why = contained(root, rel)
    if path is None:
        return None, [finding(rel, 0, "E014", outside_reason(rel, why))]
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [
                finding(
                    rel,
                    0,
                    "E005",
                    f"file is {size / 1e6:.1f} MB, over the {limit // 2**20} MiB limit; split it or remove pasted data",
                )
            ]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [finding(rel, 0, "E001", "file not found")]
    except OSError as exc:
        return None, [finding(rel, 0, "E001", f"cannot read the file: {exc.strerror}")]
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        return None, [finding(rel, line, "E002", "file contains a NUL byte; it is not a text file, or it is damaged")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            finding(
                rel,
                line,
                "E002",
                f"byte 0x{data[exc.start]:02x} at column {column} is not UTF-8; save the file as UTF-8",
            )
        ]
    return Text(text.replace("\r\n", "\n").replace("\r", "\n"), digest), []
