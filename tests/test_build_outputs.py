"""The shipped manuscript, built: what a reader sees in the PDF and the DOCX."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from conftest import REPO

PARTS = ["Terror Financing", "Drug Trafficking", "Human Trafficking", "Cyber Crime"]


def style(paragraph: Paragraph) -> str:
    """The paragraph's style name ("" for none)."""
    return paragraph.style.name if paragraph.style is not None else ""


def chapter_titles() -> list[str]:
    titles = []
    for theme in ("terror_financing", "drug_trafficking", "human_trafficking", "cyber_crime"):
        spec = yaml.safe_load((REPO / theme / "theme.yaml").read_text())
        for name in spec["chapters"]:
            text = (REPO / theme / name).read_text()
            titles.append(yaml.safe_load(text.split("---")[1])["title"])
    return titles


@pytest.fixture(scope="module")
def manuscript_pages(manuscript_build: Path) -> list[str]:
    reader = PdfReader(manuscript_build / "build" / "national-strategy.pdf")
    # Collapse line breaks, and re-join words a line break split after a hyphen.
    return [re.sub(r"(\w)- (\w)", r"\1-\2", re.sub(r"\s+", " ", page.extract_text())) for page in reader.pages]


@pytest.fixture(scope="module")
def manuscript_text(manuscript_pages: list[str]) -> str:
    return " ".join(manuscript_pages)


def first_page_with(pages: list[str], needle: str, start: int = 0) -> int:
    for i in range(start, len(pages)):
        if needle in pages[i]:
            return i
    raise AssertionError(f"{needle!r} is on no page after page {start + 1}")


def test_cover_has_title_publisher_and_draft_mark(manuscript_pages: list[str]) -> None:
    cover = manuscript_pages[0]
    assert "National Strategy Paper" in cover
    assert "Countering Organized Crime in Pakistan" in cover
    assert "NATIONAL INITIATIVE AGAINST ORGANIZED CRIME" in cover
    assert "DRAFT" in cover


def test_every_page_is_marked_draft(manuscript_pages: list[str]) -> None:
    assert all("DRAFT" in page for page in manuscript_pages)


def test_parts_come_in_manifest_order_after_the_contents(manuscript_pages: list[str]) -> None:
    contents = first_page_with(manuscript_pages, "Contents")
    part_pages = [first_page_with(manuscript_pages, f"PART {n} {title}", contents + 1)
                  for n, title in zip(["I", "II", "III", "IV"], PARTS)]
    assert part_pages == sorted(part_pages)


def test_every_chapter_title_is_in_the_body_in_theme_order(manuscript_pages: list[str]) -> None:
    body_start = first_page_with(manuscript_pages, "PART I")
    pages = [
        first_page_with(manuscript_pages, f"{n} {title}", body_start) for n, title in enumerate(chapter_titles(), 1)
    ]
    assert pages == sorted(pages)


def test_citations_are_formatted_and_none_is_left_raw(manuscript_text: str) -> None:
    assert "(Asia/Pacific Group on Money Laundering 2019, 7–12)" in manuscript_text
    assert "(Anti-Terrorism Act 1997)" in manuscript_text
    assert "[@" not in manuscript_text and "???" not in manuscript_text
    assert not re.search(r"\b[a-z]+\d{4}[a-z]*\?", manuscript_text), "an unresolved citation key is printed"


def test_bibliography_lists_each_cited_work(manuscript_pages: list[str]) -> None:
    refs = first_page_with(manuscript_pages, "References", first_page_with(manuscript_pages, "PART IV"))
    bibliography = " ".join(manuscript_pages[refs:refs + 3])
    for work in ["World Drug Report 2019", "Drug Use in Pakistan 2013", "Prevention of Electronic Crimes Act",
                 "Global Report on Trafficking in Persons 2018", "Annual Report 2019"]:
        assert work in bibliography


def test_running_header_and_page_numbers_on_body_pages(manuscript_pages: list[str]) -> None:
    page = manuscript_pages[first_page_with(manuscript_pages, "1.2 Gaps")]
    assert "National Strategy Paper on Organized Crime" in page
    assert re.search(r"\b\d{1,3}$", page.strip())


def test_contributors_annex_is_generated_from_people(manuscript_text: str) -> None:
    annex = manuscript_text[manuscript_text.rindex("Annex D: Contributors"):]
    for name in ["Tariq Parvez", "Tariq Khosa", "Fasih Zaka", "Umer Riaz", "Farhan Zahid"]:
        assert name in annex


def test_docx_headings_in_order(manuscript_build: Path) -> None:
    d = docx.Document(str(manuscript_build / "build" / "national-strategy.docx"))
    headings = [(style(p), p.text) for p in d.paragraphs if style(p).startswith("Heading")]
    level1 = [text for style, text in headings if style == "Heading 1"]
    # The front matter (the Urdu summary after the English one), then the lists the manifest asks for.
    assert level1[:7] == ["Foreword", "Executive Summary", "ایگزیکٹو خلاصہ",
                          "Introduction: the Initiative and its Method", "Figures", "Tables", "Abbreviations"]
    assert [t for t in level1 if t.startswith("Part")] == [
        f"Part {n}: {p}" for n, p in zip(["I", "II", "III", "IV"], PARTS)
    ]
    assert level1[-5:] == [
        "References",
        "Annex A: Stakeholders Consulted",
        "Annex B: Implementation Matrix",
        "Annex C: Review Status",
        "Annex D: Contributors",
    ]
    chapters = [text for style, text in headings if style == "Heading 2" and text[0].isdigit()]
    assert chapters == [f"{n} {t}" for n, t in enumerate(chapter_titles(), 1)]
    assert ("Heading 2", "Method") in headings  # a section of the introduction, one level under its page
    assert ("Heading 3", "1.1 Context") in headings


def test_docx_has_bibliography_bylines_and_properties(manuscript_build: Path) -> None:
    d = docx.Document(str(manuscript_build / "build" / "national-strategy.docx"))
    bib = [p.text for p in d.paragraphs if style(p) == "Bibliography"]
    assert any("World Drug Report 2019" in p for p in bib)
    assert any(style(p) == "Byline" and p.text == "Umer Riaz and Farhan Zahid" for p in d.paragraphs)
    assert d.core_properties.title == "National Strategy Paper"
    assert d.core_properties.author == "National Initiative against Organized Crime (NIOC) Pakistan"
    body = d.element.body.xml
    assert 'w:instrText' in body and "TOC" in body  # a table of contents Word fills in


def test_docx_is_marked_draft_and_dated_by_the_paper(manuscript_build: Path) -> None:
    d = docx.Document(str(manuscript_build / "build" / "national-strategy.docx"))
    notices = [p.text for p in d.paragraphs if style(p) == "Draft Notice"]
    assert notices == ["DRAFT — for consultation; not for citation or circulation"]
    assert d.core_properties.created.date().isoformat() == "2020-04-30"


def test_rebuilding_unchanged_sources_gives_identical_files(manuscript_build: Path) -> None:
    from conftest import run_in

    out = manuscript_build / "build"
    before = {p.name: p.read_bytes() for p in out.glob("national-strategy.*")}
    shutil.rmtree(out / ".cache")  # render again from scratch, not "up to date"
    result = run_in(manuscript_build, ["build"])
    assert result.exit_code == 0 and "wrote build/national-strategy.pdf" in result.output
    assert {p.name: p.read_bytes() for p in out.glob("national-strategy.*")} == before
