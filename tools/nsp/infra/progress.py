"""A quiet progress display: stages and their times on a terminal, nothing in CI or pipes."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator


class Progress:
    """Prints 'stage … 1.2 s' lines to stderr when it is a terminal (or NSP_PROGRESS=1), else nothing."""

    def __init__(self, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = os.environ.get("NSP_PROGRESS") == "1" or (sys.stderr.isatty() and not os.environ.get("CI"))
        self.enabled = enabled

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        if self.enabled:
            print(f"  {name} …", end="", file=sys.stderr, flush=True)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            if self.enabled:
                print(f" {elapsed:.1f} s", file=sys.stderr, flush=True)


QUIET = Progress(enabled=False)
