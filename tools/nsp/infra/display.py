"""Which progress display a run shows: none with --quiet, plain lines in CI or a pipe, rich's on a terminal."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TextIO

from nsp.infra.progress import QUIET, PlainProgress, Progress


def wanted(quiet: bool, stream: TextIO | None = None) -> Progress:
    """The display for a run whose progress goes to `stream` (stderr)."""
    stream = stream or sys.stderr
    if quiet:
        return QUIET
    ci = any(os.environ.get(v, "").lower() not in ("", "0", "false") for v in ("CI", "GITHUB_ACTIONS"))
    try:
        terminal = stream.isatty() and os.environ.get("TERM") != "dumb"
    except (OSError, ValueError):  # stderr closed
        terminal = False
    if ci or not terminal:
        return PlainProgress(stream)
    from nsp.infra.live import LiveProgress  # rich costs ~0.1 s to import: only for a terminal

    return LiveProgress(stream)


@contextlib.contextmanager
def showing(quiet: bool) -> Iterator[Progress]:
    """The display for this run, stopped on the way out however the work ends."""
    progress = wanted(quiet)
    try:
        yield progress
    finally:
        progress.close()
