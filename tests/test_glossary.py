"""Abbreviations: written out at their first use in each paper, listed after the contents, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import nsp, pdf_text, write
from test_crossrefs import words
from worddocx import docx_text


@pytest.fixture
def glossary_paper(small_paper: Path) -> Path:
    write(small_paper, "papers/glossary.yaml", """
        terms:
          FATF: Financial Action Task Force
          FIA: Federal Investigation Agency
          PEMRA: Pakistan Electronic Media Regulatory Authority
        ignore: [II]
        """)
    for name, text in (("01-first.md", "The FATF grey-listed Pakistan [@unodc2019]. TODO: a date."),
                       ("02-second.md", "The FATF met again, as @smith2010 argues. NACTA agreed.")):
        path = small_paper / "alpha" / name
        path.write_text(path.read_text().split("## Context")[0] + f"## Context\n\n{text}\n")
    return small_paper


def test_the_first_use_in_a_paper_is_written_out_and_listed_the_second_is_not(glossary_paper: Path) -> None:
    out = nsp(glossary_paper, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    pdf = words(pdf_text(glossary_paper / "build" / "small.pdf"))
    assert "The Financial Action Task Force (FATF) grey-listed Pakistan" in pdf
    assert "The FATF met again" in pdf
    assert pdf.count("Financial Action Task Force") == 2  # the first use, and the list of abbreviations
    assert "Abbreviations Abbreviation Meaning FATF Financial Action Task Force" in pdf
    assert pdf.index("Abbreviations Abbreviation") < pdf.index("1 First Chapter Ana Author")  # in front
    assert "Federal Investigation Agency" not in pdf  # used nowhere in this paper: not listed
    docx = docx_text(glossary_paper / "build" / "small.docx")
    assert "The Financial Action Task Force (FATF) grey-listed Pakistan" in docx and "The FATF met again" in docx


def test_capitals_missing_from_the_glossary_and_entries_used_nowhere_are_warned_of(glossary_paper: Path) -> None:
    out = nsp(glossary_paper, "check", "--paper", "small")
    lines = out.stdout.splitlines()
    assert ("alpha/02-second.md:7: S115 'NACTA' is not in papers/glossary.yaml: add what it stands for under terms: "
            "(NACTA: …), or list it under ignore: if it is no abbreviation") in lines, out.stdout
    assert "papers/glossary.yaml:3: S116 'FIA' is used in no chapter or page; remove it" in lines
    assert "papers/glossary.yaml:4: S116 'PEMRA' is used in no chapter or page; remove it" in lines
    assert not any("'TODO'" in line or "'FATF'" in line for line in lines)


def test_a_broken_glossary_is_a_finding_at_its_line(glossary_paper: Path) -> None:
    write(glossary_paper, "papers/glossary.yaml", "terms:\n  FATF: [not, text]\n")
    out = nsp(glossary_paper, "check", "--paper", "small")
    assert ("papers/glossary.yaml:2: E007 'FATF': expected what it stands for (FATF: Financial Action Task Force) "
            "or {expansion: …, urdu: …}") in out.stdout.splitlines(), out.stdout
    assert "Traceback" not in out.stderr
