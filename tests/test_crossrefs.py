"""Cross-references in Quarto's syntax, numbered by nsp in each output paper, read back from the PDF and Word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import nsp, pdf_pages, pdf_text, write
from worddocx import docx_text

FIRST = """---
title: "First Chapter"
authors: [ana]
---

## Context {#sec-context}

Opium moves west [@unodc2019], as @fig-map shows.

![Routes west.](map.png){#fig-map}

| Route | Share |
|-------|-------|
| Balkan | 40% |

: Shares by route {#tbl-routes}
"""

BETA = """---
title: "Beta Chapter"
authors: [ana]
---

## Context

Seizures rose (@tbl-seizures); compare [-@tbl-seizures] with Tables @tbl-routes and @tbl-seizures,
@sec-context and @ch-01-first.

| Year | Seizures |
|------|----------|
| 2018 | 12 |

: Seizures by year {#tbl-seizures}
"""

PNG = Path(__file__).parent / "golden" / "assets" / "alpha" / "figures" / "ok.png"


@pytest.fixture
def two_themes(small_paper: Path) -> Path:
    paper = small_paper / "papers" / "small.yaml"
    paper.write_text(paper.read_text().replace("[alpha]", "[alpha, beta]"))
    write(small_paper, "beta/theme.yaml", 'title: "Beta Theme"\nlead: lee\nresearchers: [ana]\nchapters: [01-b.md]\n')
    write(small_paper, "beta/01-b.md", BETA)
    write(small_paper, "alpha/01-first.md", FIRST)
    (small_paper / "alpha" / "map.png").write_bytes(PNG.read_bytes())
    return small_paper


def words(text: str) -> str:
    return " ".join(text.split())


def test_references_are_numbered_per_paper_in_pdf_and_word(two_themes: Path) -> None:
    """The same table is Table 2 in the whole paper and Table 1 in its theme's own paper; prose says so."""
    out = nsp(two_themes, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    pdf = words(pdf_text(two_themes / "build" / "small.pdf"))
    assert "Opium moves west (United Nations Office on Drugs and Crime 2019), as Figure 1 shows." in pdf
    assert ("Seizures rose (Table 2); compare 2 with Tables 1 and 2, Section 1.1 and Chapter 1." in pdf), pdf
    assert "Table 2: Seizures by year" in pdf
    docx = docx_text(two_themes / "build" / "small.docx")
    assert "Seizures rose (Table 2); compare 2 with Tables 1 and 2, Section 1.1 and Chapter 1." in docx

    theme = nsp(two_themes, "build", "--paper", "small", "--theme", "beta")
    assert theme.returncode == 0, theme.stderr
    alone = words(pdf_text(two_themes / "build" / "theme-beta.pdf"))
    assert "Seizures rose (Table 1)" in alone and "Table 1: Seizures by year" in alone


def test_a_reference_to_nothing_is_x604_with_did_you_mean_and_never_c201(two_themes: Path) -> None:
    chapter = two_themes / "beta" / "01-b.md"
    chapter.write_text(chapter.read_text().replace("Seizures rose (@tbl-seizures)", "Seizures rose (@tbl-seizure)"))
    out = nsp(two_themes, "check", "--paper", "small")
    assert out.returncode == 1
    assert ("beta/01-b.md:8: X604 cross-reference '@tbl-seizure': there is no table with the id 'tbl-seizure' in "
            "the paper (did you mean 'tbl-seizures'?); give the table that id ({#tbl-seizure} after it)"
            in out.stdout.splitlines()), out.stdout
    assert "C201" not in out.stdout


def test_the_web_edition_numbers_captions_as_its_prose_does(two_themes: Path) -> None:
    paper = two_themes / "papers" / "small.yaml"
    paper.write_text(paper.read_text() + "outputs: [pdf, html]\n")
    out = nsp(two_themes, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    html = (two_themes / "build" / "small.html").read_text()
    text = words(re.sub(r"<[^>]+>", "", html))
    assert "Seizures rose (Table 2); compare 2 with Tables 1 and 2, Section 1.1 and Chapter 1." in text
    assert "Figure 1: Routes west." in text and "Table 2: Seizures by year" in text
    assert 'href="#beta-01-b--tbl-seizures"' in html or re.search(r'href="#[^"]*tbl-seizures"', html)


def test_lists_of_figures_and_tables_follow_the_contents_when_the_manifest_asks(two_themes: Path) -> None:
    paper = two_themes / "papers" / "small.yaml"
    paper.write_text(paper.read_text() + "lists: [figures, tables]\n")
    out = nsp(two_themes, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    pdf = words(pdf_text(two_themes / "build" / "small.pdf"))
    figures, tables, chapter = (pdf.index("Figures Figure 1 Routes west."), pdf.index("Tables Table 1 Shares by"),
                                pdf.index("1 First Chapter Ana Author"))
    assert pdf.index("Contents") < figures < tables < chapter
    # With its page number: the one printed at the foot of the page the table is on (the chapters count from 1).
    pages = [words(page) for page in pdf_pages(two_themes / "build" / "small.pdf")]
    printed = next(page for page in pages if "Table 2: Seizures by year" in page).split()[-1]
    assert re.search(rf"Table 2 Seizures by year[ .]*{printed} ", pdf)
    assert "Table 3" not in pdf  # the review annex's table has no caption: neither numbered nor listed
    docx = docx_text(two_themes / "build" / "small.docx")
    assert "Figures Figure 1: Routes west. Tables Table 1: Shares by route Table 2: Seizures by year" in docx


def test_an_unknown_list_is_named(two_themes: Path) -> None:
    paper = two_themes / "papers" / "small.yaml"
    paper.write_text(paper.read_text() + "lists: [figures, maps]\n")
    out = nsp(two_themes, "check", "--paper", "small")
    assert "papers/small.yaml:8: E007 unknown list 'maps'; choose from figures, tables" in out.stdout.splitlines(), \
        out.stdout
