"""Progress on long work: stages with counts and times, on stderr.

On a terminal, rich's live display: a line per stage ("read and check 12/33 files  0.4 s") updated as the
counts move, left on screen as the build's summary. In a pipe or a CI log (CI, GITHUB_ACTIONS), one plain
line per finished stage ("nsp: read and check 33 files 1.1 s"), no control characters. `--quiet`: nothing.

The loops that do the work take a `Tick` ("n more done") and know nothing of the display: counting costs a
call per file. A display never fails the work: a closed or broken terminal only silences it.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

Tick = Callable[[int], None]  # n more items of the current stage are done; may be called from worker threads


def no_tick(_n: int) -> None:
    """The Tick of work nobody watches."""


class Progress:
    """Shows no progress: the display of --quiet, and of library calls (watch, site, tests)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.out = SafeStream(stream or sys.stderr)  # where notes (and a display's lines) go

    @contextlib.contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = "") -> Iterator[Tick]:
        """A stage of `total` `unit`s (or of no count); the Tick it yields counts them as they are done."""
        yield no_tick

    def note(self, text: str) -> None:
        """A line for the user (e.g. that the build waits for another one), above the display if there is one."""
        self.out.write(text + "\n")
        self.out.flush()

    def close(self) -> None:
        """Stop the display; what it leaves on the screen stays."""




class SafeStream:
    """stderr as the display writes it: a write that fails (terminal closed, pipe broken) silences the display
    instead of raising, in the main thread or in rich's refresh thread."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.broken = stream, False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self.stream.write(text)
            except (OSError, ValueError):  # ValueError: the stream was closed
                self.broken = True
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except (OSError, ValueError):
                self.broken = True

    def isatty(self) -> bool:
        return not self.broken and self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


class PlainProgress(Progress):
    """One line per finished stage, with its count and time: for logs, where a live display is noise."""

    @contextlib.contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = "") -> Iterator[Tick]:
        done = [0]
        lock = threading.Lock()

        def tick(n: int) -> None:
            with lock:
                done[0] += n

        start = time.perf_counter()
        yield tick  # a stage that raises prints nothing: the error says what happened
        elapsed = time.perf_counter() - start
        self.out.write(f"nsp: {label}{count_text(done[0], total, unit, live=False)} {elapsed:.1f} s\n")
        self.out.flush()


def count_text(done: int, total: int | None, unit: str, *, live: bool) -> str:
    """' 12/33 files' while counting, ' 33 files' once all are done; '' for a stage without a count."""
    if total is None:
        return ""
    shown = f"{done}/{total}" if live or done != total else str(total)
    return f" {shown} {unit}".rstrip()


QUIET = Progress()  # after SafeStream, which a Progress writes its notes through
