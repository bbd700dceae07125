"""`nsp watch`: rebuild the PDF on every save, with the findings for what changed.

typst stays warm in a child process between builds, so a small edit reaches
the PDF in a second or two. A build that fails leaves the last good PDF.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from nsp.build import BuildResult, build
from nsp.diagnostics import Diagnostic
from nsp.plan.plan import Selection
from nsp.render.pdf import WarmCompiler

IGNORED_DIRS = {"build", ".git", ".venv", "__pycache__", ".pytest_cache", "tests", "tools", "bench"}


def _relevant(root: Path) -> Callable[[object, str], bool]:
    def accept(_change: object, path: str) -> bool:
        try:
            parts = Path(path).resolve().relative_to(root.resolve()).parts
        except ValueError:
            return False
        return (
            bool(parts)
            and parts[0] not in IGNORED_DIRS
            and not parts[-1].startswith((".", "~"))
            and Path(path).suffix
            in {".md", ".yaml", ".yml", ".bib", ".json", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".typ", ".csl", ".j2"}
        )

    return accept


class News:
    """What changed in the findings since the last build, so each save says only what is new."""

    def __init__(self) -> None:
        self.seen: set[Diagnostic] | None = None

    def update(self, diagnostics: list[Diagnostic]) -> tuple[list[Diagnostic], int]:
        """The findings not reported before, and how many reported before are gone."""
        now = set(diagnostics)
        before, self.seen = self.seen, now
        if before is None:
            return sorted(now), 0
        return sorted(now - before), len(before - now)


def watch(root: Path, selection: Selection, *, report: Callable[[BuildResult, list[str]], None],
          stop: threading.Event | None = None) -> None:
    """Build once, then again after each batch of saves, until `stop` is set (or Ctrl-C)."""
    import watchfiles

    compiler = WarmCompiler(root)
    try:
        report(build(root, selection, formats=("pdf",), compiler=compiler), [])
        for changes in watchfiles.watch(root, watch_filter=_relevant(root), stop_event=stop, debounce=200,
                                        raise_interrupt=True):  # Ctrl-C: nsp says "interrupted", exit 130
            changed = sorted({Path(p).resolve().relative_to(root.resolve()).as_posix() for _, p in changes})
            report(build(root, selection, formats=("pdf",), compiler=compiler), changed)
    finally:
        compiler.close()
