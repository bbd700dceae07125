"""The published releases the site shows: those `nsp verify` accepts, and nothing else.

A release whose outputs no longer match its manifest was changed after it was published: the
site leaves it out, with a warning, rather than offer files that are not what was released.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nsp.diagnostics import NspError
from nsp.publish import MANIFEST, verify


@dataclass(frozen=True)
class Published:
    paper: str  # the paper's id
    title: str
    version: str
    date: dt.date
    folder: Path  # build/releases/PAPER-VERSION
    outputs: tuple[tuple[str, str], ...]  # (file name, "sha256:…"), as the manifest lists them

    @property
    def name(self) -> str:
        return self.folder.name

    def output(self, suffix: str) -> str:
        """The release's file ending in `suffix` ('.pdf', '.docx', '.html'), or '' when it has none."""
        return next((name for name, _ in self.outputs if name.endswith(suffix)), "")


def published(root: Path, warn: Callable[[str], None]) -> list[Published]:
    """Every verified release in build/releases/, newest first within each paper."""
    base = root / "build" / "releases"
    found = []
    for folder in sorted(base.iterdir()) if base.is_dir() else []:
        if folder.name.startswith(".") or not folder.is_dir():
            continue  # a publish under way, or its lock
        release = _verified(root, folder, warn)
        if release is not None:
            found.append(release)
    return sorted(found, key=lambda r: (r.paper, _newest_first(r)))


def _newest_first(r: Published) -> tuple[int, str]:
    return (-r.date.toordinal(), r.version)


def _verified(root: Path, folder: Path, warn: Callable[[str], None]) -> Published | None:
    where = folder.relative_to(root).as_posix()
    try:
        tampered = verify(root, folder).tampered
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        release = Published(str(manifest["paper"]), str(manifest["title"]), str(manifest["version"]),
                            dt.date.fromisoformat(manifest["date"]), folder,
                            tuple(sorted((str(k), str(v)) for k, v in manifest["outputs"].items())))
    except NspError as exc:
        warn(f"{where}: left out of the site: {exc}")
        return None
    except (ValueError, KeyError, TypeError, AttributeError):
        warn(f"{where}: left out of the site: its {MANIFEST} lacks a paper, title, version, date or outputs")
        return None
    if tampered:
        warn(f"{where}: left out of the site: {tampered[0]} (`nsp verify {where}` lists every difference)")
        return None
    return release
