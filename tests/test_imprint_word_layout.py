"""The paper as the initiative prints it (issue 19): an imprint page after the cover in the PDF, Word and the web
edition's footer, from the manifest's imprint:; and a Word file laid out as the PDF (the cover in a section of its
own, each part and chapter on a new page, roman page numbers in the front matter then arabic from 1, the
running header with the short title, table rows kept whole and header rows repeated)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import nsp, pdf_pages, write

NOTICE = "© 2019 National Initiative Against Organized Crime. All rights reserved."
SHORT_TITLE = "National Strategy Paper on Organized Crime"
PARTS = ["Terror Financing", "Drug Trafficking", "Human Trafficking", "Cyber Crime"]


def xml_of(docx: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read(part).decode("utf-8")


def text_of(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def headings(xml: str) -> list[tuple[str, str, str]]:
    """(style, properties, text) of every Heading1 and Heading2 paragraph."""
    found = re.finditer(r'<w:p><w:pPr>(<w:pStyle w:val="(Heading[12])" />.*?)</w:pPr>(.*?)</w:p>', xml, re.S)
    return [(m[2], m[1], text_of(m[3])) for m in found]


@pytest.fixture(scope="module")
def word(manuscript_build: Path) -> str:
    return xml_of(manuscript_build / "build" / "national-strategy.docx")


def test_every_part_and_chapter_heading_opens_a_page_in_word(word: str) -> None:
    opening = [(text, "<w:pageBreakBefore />" in props) for _, props, text in headings(word)
               if re.match(r"Part [IVX]+: |\d+ ", text)]
    assert [text for text, _ in opening if text.startswith("Part")] == [
        f"Part {n}: {p}" for n, p in zip(["I", "II", "III", "IV"], PARTS)]
    assert len(opening) == 4 + 8  # four parts, eight chapters
    assert [text for text, breaks in opening if not breaks] == []


def test_word_numbers_the_front_matter_in_roman_and_the_parts_from_1(word: str) -> None:
    sections = re.findall(r"<w:sectPr>.*?</w:sectPr>", word, re.S)
    assert len(sections) == 4
    cover, imprint, front, body = sections
    # The cover and the imprint: no header, no footer, no page number; the imprint at the page's foot.
    assert all("Reference" not in s and "pgNumType" not in s for s in (cover, imprint))
    assert '<w:vAlign w:val="bottom" />' in imprint and "vAlign" not in cover
    assert '<w:pgNumType w:fmt="lowerRoman" w:start="1" />' in front
    assert '<w:pgNumType w:fmt="decimal" w:start="1" />' in body
    for section in (front, body):
        assert 'w:type="default"' in section and "<w:headerReference" in section and "<w:footerReference" in section
    # The front matter's section ends right before Part I: nothing printed between them.
    between = word[word.index(front) + len(front):word.index("Part I: Terror Financing")]
    assert text_of(between) == ""
    # The contents and the front matter come before it; the chapters after.
    before = text_of(word[:word.index(front)])
    assert "Foreword" in before and "Abbreviations" in before and "Channels of Terror Financing" in before  # contents
    assert before.count("Context") == 0  # no chapter's section before the break


def test_word_footer_prints_the_page_number(manuscript_build: Path) -> None:
    footer = xml_of(manuscript_build / "build" / "national-strategy.docx", "word/footer1.xml")
    assert re.search(r'<w:instrText xml:space="preserve"> PAGE </w:instrText>', footer)


def test_word_running_header_is_the_short_title_and_the_draft_mark(manuscript_build: Path) -> None:
    header = xml_of(manuscript_build / "build" / "national-strategy.docx", "word/header1.xml")
    assert text_of(header) == SHORT_TITLE + "DRAFT"
    assert "TITLE" not in header  # no longer the document's title field


def test_word_table_rows_never_split_and_header_rows_repeat(word: str) -> None:
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", word, re.S)
    assert len(tables) >= 10
    rows = [row for table in tables for row in re.findall(r"<w:tr>.*?</w:tr>", table, re.S)]
    assert [row[:80] for row in rows if "<w:cantSplit />" not in row] == []
    firsts = [re.search(r"<w:tr>.*?</w:tr>", table, re.S) for table in tables]
    assert all(first and '<w:tblHeader w:val="on" />' in first.group(0) for first in firsts)


def test_word_cover_and_imprint_before_the_contents(word: str) -> None:
    # Each ends its own section (its own page): the cover with the draft notice, then the imprint.
    # (A section's properties sit in its last paragraph's: the section ends with that paragraph.)
    ends = [word.index("</w:p>", m.end()) for m in list(re.finditer(r"</w:sectPr>", word))[:2]]
    cover, imprint = text_of(word[:ends[0]]), text_of(word[ends[0]:ends[1]])
    assert cover == ("NATIONAL INITIATIVE AGAINST ORGANIZED CRIME (NIOC) PAKISTAN" "National Strategy Paper"
                     "Countering Organized Crime in Pakistan" "Draft for consultation · 30 April 2020"
                     "DRAFT — for consultation; not for citation or circulation")
    assert imprint.startswith(NOTICE + "No part of this publication may be reproduced")
    for line in ("Secretariat: Pak Institute for Peace Studies (PIPS), Islamabad", "https://www.nioc.example.pk",
                 "Cover design: Pak Institute for Peace Studies (PIPS)"):
        assert line in imprint


def test_pdf_imprint_page_follows_the_cover(manuscript_build: Path) -> None:
    pages = [re.sub(r"\s+", " ", page) for page in pdf_pages(manuscript_build / "build" / "national-strategy.pdf")]
    assert NOTICE not in pages[0]
    imprint = pages[1]
    for line in (NOTICE, "No part of this publication may be reproduced",
                 "Secretariat: Pak Institute for Peace Studies (PIPS), Islamabad",
                 "c/o Pak Institute for Peace Studies (PIPS), Islamabad, Pakistan", "https://www.nioc.example.pk",
                 "Cover design: Pak Institute for Peace Studies (PIPS)"):
        assert line in imprint
    assert "Contents" in pages[2]
    # Roman numbers in the front matter: the contents page is i, the foreword's ii; Part I restarts at 1.
    assert pages[2].rstrip().endswith(" i") and pages[3].rstrip().endswith(" ii")
    part_one = next(i for i, page in enumerate(pages) if "PART I " in page.upper() and "Terror Financing" in page
                    and "Contents" not in page)
    assert pages[part_one].rstrip().endswith(" 1")


IMPRINT = """
secretariat: "Alpha Institute"
address: "1 Street, Islamabad"
logo: templates/logo.svg
outputs: [pdf, docx, html]
imprint:
  copyright: "Test Initiative <b>bold</b>"
  year: 2019
  permissions: "Quote freely #set text(red) $x$ *not emphasis* <script>alert(1)</script>"
  website: "https://test.example.pk/about"
  credit: "Cover: a photograph"
  isbn: "978-3-16-148410-0"
"""


@pytest.fixture
def small_imprint(small_paper: Path) -> Path:
    """The small paper with an imprint whose texts look like markup in each format, and the logo."""
    root = small_paper
    manifest = root / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text("utf-8") + IMPRINT, "utf-8")
    out = nsp(root, "build", "--paper", "small", "--force")
    assert out.returncode == 0, out.stderr
    return root


def test_imprint_text_is_printed_as_written_in_every_format(small_imprint: Path) -> None:
    permissions = "Quote freely #set text(red) $x$ *not emphasis* <script>alert(1)</script>"
    page = re.sub(r"\s+", " ", pdf_pages(small_imprint / "build" / "small.pdf")[1])
    assert "© 2019 Test Initiative <b>bold</b>. All rights reserved." in page
    assert permissions in page and "ISBN 978-3-16-148410-0" in page
    word = xml_of(small_imprint / "build" / "small.docx")
    assert "Quote freely #set text(red) $x$ *not emphasis* &lt;script&gt;alert(1)&lt;/script&gt;" in word
    assert permissions in text_of(word).replace("&lt;", "<").replace("&gt;", ">")
    html = (small_imprint / "build" / "small.html").read_text("utf-8")
    footer = re.sub(r"\s+", " ", html[html.index('<footer class="colophon">'):])  # pandoc wraps long lines
    # The website as text, not a link: the site's pages link only inside the site (test_site).
    assert "<script>" not in html and 'href="https://test.example.pk' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in footer
    assert "© 2019 Test Initiative &lt;b&gt;bold&lt;/b&gt;. All rights reserved." in footer
    for line in ("Secretariat: Alpha Institute", "1 Street, Islamabad", "Cover: a photograph",
                 "ISBN 978-3-16-148410-0", "https://test.example.pk/about<br>"):
        assert line in footer
    # The logo: embedded in the masthead, drawn on the PDF's cover.
    assert re.search(r'<header class="masthead">\s*<img class="logo" src="data:image/svg\+xml;base64,', html)
    assert "NIOC" in pdf_pages(small_imprint / "build" / "small.pdf")[0]


def test_wrong_imprint_entries_and_logo_are_named_at_their_lines(small_paper: Path) -> None:
    write(small_paper, "templates/logo.png", "not an image")
    manifest = small_paper / "papers" / "small.yaml"
    head = manifest.read_text("utf-8").rstrip("\n").split("\n")
    at = len(head) + 1  # the line of imprint:
    manifest.write_text("\n".join([*head, "imprint:", '  copyright: "Test Initiative"', '  isbn: "978-3-16-148410-1"',
                                   '  website: "javascript:alert(1)"', "  year: 19", "  licence: CC-BY",
                                   "logo: templates/logo.png"]) + "\n", "utf-8")
    out = nsp(small_paper, "check", "--paper", "small")
    lines = out.stdout.splitlines()
    for message in (
        f"papers/small.yaml:{at + 2}: E007 imprint: 'isbn': '978-3-16-148410-1' ends in 1 but its check digit is 0: "
        "copy it again from the ISBN agency",
        f"papers/small.yaml:{at + 3}: E007 imprint: 'website': 'javascript:alert(1)' is not a web address; write it "
        "whole, as https://www.example.org.pk",
        f"papers/small.yaml:{at + 4}: E007 imprint: 'year': 19 is not a year; write it as 2019",
        f"papers/small.yaml:{at + 5}: E006 unknown key 'licence' in imprint",
        f"papers/small.yaml:{at + 6}: E007 'logo': templates/logo.png is not an SVG; give the logo as an .svg file",
    ):
        assert message in lines, out.stdout
    assert out.returncode == 1 and "Traceback" not in out.stderr


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: the Word "
                    "file's pages cannot be laid out here")
def test_libreoffice_lays_out_each_part_and_chapter_on_a_new_page(manuscript_build: Path, tmp_path: Path) -> None:
    docx = manuscript_build / "build" / "national-strategy.docx"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    pages = [page.extract_text() for page in PdfReader(tmp_path / "national-strategy.pdf").pages]
    lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    # Each page but the cover and imprint opens with the running header; a part or chapter's title comes next.
    assert lines[1][0] == NOTICE and lines[2][:2] == [SHORT_TITLE + " DRAFT", "Contents"]
    openers = [page[1] for page in lines[2:] if re.match(r"(Part [IVX]+: |\d+ [A-Z])", page[1])]
    assert "2 FATF Grey-List Compliance" in openers
    assert len(openers) == 4 + 8
    # The contents page is numbered i; Part I's page 1.
    assert lines[2][-1] == "i"
    assert next(page for page in lines if page[1] == "Part I: Terror Financing")[-1] == "1"
    assert len(pages) >= 2 + 1 + 4 + 8
