"""Faults around a build: a review beside it, a damaged cache, a publish killed midway (issue 10, items 13-15).

Each runs the installed `nsp` as a user does; outputs are compared with a clean build's.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import NSP, nsp, pdf_pages, pdf_text
from nsp.diagnostics import NspError
from nsp.infra import atomic

# 13: only the build lock's holder sweeps build temporaries


def test_review_beside_a_running_build_leaves_its_temporaries_alone(built: Path) -> None:
    build = built / "build"
    with open(build / ".nsp.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build is rendering now…
        partial = build / f"{atomic.TMP_PREFIX}render.pdf"
        partial.write_bytes(b"%PDF- half written")  # …and this is its output in the making
        out = nsp(
            built, "review", "request-changes", "alpha/01-first.md", "--by", "lee", "--note", "Cite the 2020 figures."
        )
        assert out.returncode == 0, out.stderr
        assert partial.read_bytes() == b"%PDF- half written", "nsp review swept a running build's temporary file"
    # The next build holds the lock itself: now the file is a killed build's leftover, and goes.
    assert nsp(built, "build", "--paper", "small", "--force").returncode == 0
    assert not partial.exists()


def test_outputs_change_together_even_if_a_temporary_vanishes(tmp_path: Path) -> None:
    pdf, docx = tmp_path / "paper.pdf", tmp_path / "paper.docx"
    pdf.write_bytes(b"old pdf")
    docx.write_bytes(b"old docx")
    with pytest.raises(NspError, match="disappeared before it was moved into place; nothing was replaced"):
        with atomic.atomic_paths([pdf, docx]) as (new_pdf, new_docx):
            new_pdf.write_bytes(b"new pdf")
            new_docx.unlink()  # as a sweep by another process would
    assert (pdf.read_bytes(), docx.read_bytes()) == (b"old pdf", b"old docx")
    assert not list(tmp_path.glob(f"{atomic.TMP_PREFIX}*"))


def test_reviews_during_builds_never_split_the_outputs(built: Path) -> None:
    """Not deterministic, but it must hold whatever the timing: a build beside reviews succeeds whole."""
    (built / "alpha/02-second.md").write_text((built / "alpha/02-second.md").read_text() + "\nMore.\n")
    build = subprocess.Popen([NSP, "build", "--paper", "small"], cwd=built, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    while build.poll() is None:
        nsp(built, "review", "request-changes", "alpha/01-first.md", "--by", "lee", "--note", "Again.")
    _, err = build.communicate()
    assert build.returncode == 0, err
    assert "Traceback" not in err
    assert "More." in pdf_text(built / "build" / "small.pdf")


# 14: every cache entry is verified; a bad one is discarded and rebuilt


def _write(data: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(data)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _directory(path: Path) -> None:
    path.unlink()
    (path / "inside").mkdir(parents=True)


DAMAGE = {
    "an empty list": _write(b"[]"),
    "half of itself": _truncate,
    "garbage bytes": _write(os.urandom(64) + b"\xff\xfe\x00"),
    "JSON of another shape": _write(b'{"blocks": {"not": "a list"}, "v": "4", "key": 1}'),
    "a directory": _directory,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_is_rebuilt(built: Path, damage: str) -> None:
    pages = pdf_pages(built / "build" / "small.pdf")
    entries = [p for p in (built / "build" / ".cache").rglob("*") if p.is_file() and ".nsp-tmp-" not in p.name]
    kinds = {p.relative_to(built / "build" / ".cache").parts[0] for p in entries}
    assert {"ast", "index", "body", "typst", "cite", "results"} <= kinds, kinds
    for entry in entries:
        DAMAGE[damage](entry)
    for output in (built / "build").glob("small.*"):
        output.unlink()  # so the build cannot answer "up to date" and must use its caches

    check = nsp(built, "check", "--paper", "small")
    assert check.returncode == 0 and "Traceback" not in check.stdout + check.stderr, check.stdout + check.stderr
    out = nsp(built, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert pdf_pages(built / "build" / "small.pdf") == pages
    # A second build reads the rebuilt entries: still the same paper.
    for output in (built / "build").glob("small.*"):
        output.unlink()
    assert nsp(built, "build", "--paper", "small").returncode == 0
    assert pdf_pages(built / "build" / "small.pdf") == pages


# 15: a publish killed midway leaves nothing that lasts


def test_publish_killed_midway_is_cleaned_by_the_next(small_paper: Path) -> None:
    releases = small_paper / "build" / "releases"
    proc = subprocess.Popen([NSP, "publish", "1.0", "--paper", "small", "--date", "2020-02-01"], cwd=small_paper,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(any(tmp.iterdir()) for tmp in releases.glob(".tmp-*")):  # partial files are being written
            break
        time.sleep(0.01)
    assert proc.poll() is None, "publish finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(releases.glob(".tmp-*")), "the kill left no partial release to clean"

    out = nsp(small_paper, "publish", "1.0", "--paper", "small", "--date", "2020-02-01")
    assert out.returncode == 0, out.stderr
    assert not list(releases.glob(".tmp-*"))
    assert sorted(p.name for p in (releases / "small-1.0").iterdir()) == [
        "manifest.json", "small.docx", "small.html", "small.pdf"]
    assert nsp(small_paper, "verify", "build/releases/small-1.0").returncode == 0

