"""Figures drawn in typst (figures/x.typ): compiled by nsp for every output, cached, and kept in their folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import nsp, snapshot, write

FIGURE = "#set page(width: 5cm, height: auto, margin: 4pt)\n#rect(fill: rgb(\"#e3eee7\"))[Routes west]\n"


@pytest.fixture
def drawn(small_paper: Path) -> Path:
    write(small_paper, "alpha/figures/routes.typ", FIGURE)
    path = small_paper / "alpha" / "01-first.md"
    path.write_text(path.read_text() + "\n![Routes west.](figures/routes.typ){#fig-routes}\n")
    return small_paper


def test_a_typst_figure_is_compiled_for_pdf_and_word_and_cached(drawn: Path) -> None:
    out = nsp(drawn, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    pages = [p for p in PdfReader(drawn / "build" / "small.pdf").pages
             if "Figure 1: Routes west." in " ".join(p.extract_text().split())]
    assert len(pages) == 1 and len(pages[0].images) == 1
    with zipfile.ZipFile(drawn / "build" / "small.docx") as z:
        assert [n for n in z.namelist() if n.startswith("word/media/")][0].endswith(".png")
    cached = list((drawn / "build" / ".cache" / "figures").glob("*.png"))
    assert len(cached) == 1 and cached[0].read_bytes().startswith(b"\x89PNG")
    stamp = cached[0].stat().st_mtime_ns
    (drawn / "alpha" / "02-second.md").write_text((drawn / "alpha" / "02-second.md").read_text() + "\nMore.\n")
    assert nsp(drawn, "build", "--paper", "small").returncode == 0
    assert cached[0].stat().st_mtime_ns == stamp  # compiled once, for as long as its source is unchanged


def test_a_figure_that_imports_a_package_is_refused_before_anything_is_fetched(drawn: Path) -> None:
    write(drawn, "alpha/figures/routes.typ", '#import "@preview/cetz:0.2.2": canvas\n' + FIGURE)
    out = nsp(drawn, "check", "--paper", "small")
    assert ("alpha/01-first.md:9: A504 the figure source 'figures/routes.typ' imports a typst package "
            "(@preview/…), which would be fetched from the network: draw it without one") in out.stdout.splitlines()


def test_a_figure_reads_nothing_outside_its_folder_and_a_failure_keeps_the_old_outputs(drawn: Path) -> None:
    assert nsp(drawn, "build", "--paper", "small").returncode == 0
    before = snapshot(drawn)
    write(drawn, "alpha/figures/routes.typ", '#read("../01-first.md")\n' + FIGURE)
    out = nsp(drawn, "build", "--paper", "small", "--quiet")  # no progress lines before the error
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith("nsp: typst could not compile the figure alpha/figures/routes.typ: path "
                                 '`"../01-first.md"` would escape the project root'), out.stderr
    assert "a figure may read only the files of its own folder" in out.stderr
    assert snapshot(drawn) == before


def test_a_file_a_figure_reads_is_part_of_what_an_approval_signs(drawn: Path) -> None:
    """A typst figure may read the files of its folder: changing one changes the figure, so the approval goes
    stale like for a replaced image; no figure can change under a signature."""
    from conftest import git

    write(drawn, "alpha/figures/share.txt", "40%")
    write(drawn, "alpha/figures/routes.typ", FIGURE + '#read("share.txt")\n')
    git(drawn, "add", "-A")
    git(drawn, "commit", "-qm", "figure")
    git(drawn, "config", "user.email", "lee@alpha.example")
    assert nsp(drawn, "review", "approve", "alpha/01-first.md", "--by", "lee").returncode == 0

    def stale() -> list[str]:
        out = nsp(drawn, "check", "--paper", "small").stdout.splitlines()
        return [line for line in out if line.startswith("alpha/01-first.md:") and " R302 " in line]

    assert stale() == []
    (drawn / "alpha" / "figures" / "share.txt").write_text("45%")
    assert len(stale()) == 1 and stale()[0].endswith("since then image alpha/figures/routes.typ changed")
