"""nsp watch: a save reaches the PDF, a broken save keeps the last good PDF."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from nsp.build import BuildResult
from nsp.plan.plan import Selection
from nsp.watch import watch


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_save_rebuilds_and_a_failed_build_keeps_the_good_pdf(small_paper: Path) -> None:
    results: list[tuple[BuildResult, list[str]]] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(small_paper, Selection(paper="small")),
                              kwargs={"report": lambda r, c: results.append((r, c)), "stop": stop}, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(results) == 1)
        pdf = small_paper / "build" / "small.pdf"
        chapter = small_paper / "alpha" / "02-second.md"
        chapter.write_text(chapter.read_text() + "\nA sentence saved while watching.\n")
        wait_for(lambda: len(results) >= 2)
        assert results[-1][1] == ["alpha/02-second.md"]
        assert "A sentence saved while watching." in " ".join(p.extract_text() for p in PdfReader(pdf).pages)

        good = pdf.read_bytes()
        theme = small_paper / "alpha" / "theme.yaml"
        theme.write_text("title: [broken\n")
        wait_for(lambda: len(results) >= 3)
        assert results[-1][0].refused and pdf.read_bytes() == good
    finally:
        stop.set()
        thread.join(timeout=30)
