"""Urdu in Word and the web edition (issue 16): right-to-left paragraphs and runs Word shows and spell-checks
as Urdu, lang="ur" dir="rtl" and the Nastaliq font in the web page; English outputs untouched."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import nsp, write

URDU_PAGE = """---
title: "خلاصہ"
authors: [ana]
lang: ur
---

یہ مقالہ منظم جرائم کے خلاف ایک قومی حکمتِ عملی پیش کرتا ہے (financial intelligence) 2024۔

| موضوع | ابواب |
|---|---|
| دہشت گردی | 2 |
"""


def paragraphs(xml: str) -> list[str]:
    return [str(p) for p in re.findall(r"<w:p>.*?</w:p>", xml, re.S)]


def containing(xml: str, text: str) -> str:
    """The one paragraph of document.xml that holds `text`."""
    found: list[str] = [p for p in paragraphs(xml) if text in p]
    assert len(found) == 1, found
    return found[0]


def run_of(paragraph: str, text: str) -> str:
    runs: list[str] = [r for r in re.findall(r"<w:r>.*?</w:r>", paragraph, re.S) if text in r]
    assert len(runs) == 1, runs
    return runs[0]


@pytest.fixture
def urdu_build(small_paper: Path) -> Path:
    """The small paper with an Urdu page (lang: ur) in its front matter and an Urdu phrase in a chapter."""
    write(small_paper, "papers/small/summary-ur.md", URDU_PAGE)
    manifest = small_paper / "papers" / "small.yaml"
    extra = "front_matter: [small/summary-ur.md]\noutputs: [docx, html]\n"
    manifest.write_text(manifest.read_text("utf-8") + extra, "utf-8")
    first = small_paper / "alpha" / "01-first.md"
    first.write_text(first.read_text("utf-8").replace(
        "Opium moves west", "Opium moves west along [منظم جرائم]{lang=ur} routes"), "utf-8")
    out = nsp(small_paper, "build", "--paper", "small", "--force")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return small_paper


def test_word_marks_urdu_paragraphs_and_runs_and_not_english_ones(urdu_build: Path) -> None:
    with zipfile.ZipFile(urdu_build / "build" / "small.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    para = containing(xml, "یہ مقالہ")
    assert "<w:bidi />" in para
    run = run_of(para, "یہ مقالہ")
    for prop in ("<w:rtl />", "<w:cs />", '<w:rFonts w:cs="Noto Nastaliq Urdu" />', '<w:lang w:bidi="ur-PK" />'):
        assert prop in run
    # The Urdu heading too.
    heading = [p for p in paragraphs(xml) if "خلاصہ" in p and 'w:val="Heading1"' in p]
    assert len(heading) == 1 and "<w:bidi />" in heading[0]
    # Its entry in the contents (written by nsp, not Word) is an Urdu run as well, in an English paragraph.
    entry = [p for p in paragraphs(xml) if "خلاصہ" in p and 'w:val="TOC1"' in p]
    assert len(entry) == 1 and '<w:lang w:bidi="ur-PK" />' in run_of(entry[0], "خلاصہ")
    # The table inside the Urdu page is mirrored: its first column on the right.
    table = next(t for t in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S) if "موضوع" in t)
    assert "<w:bidiVisual />" in table
    # A phrase inside an English paragraph: its run is Urdu, the paragraph and the English around it are not.
    mixed = containing(xml, "Opium moves west along")
    assert "<w:bidi />" not in mixed
    assert '<w:lang w:bidi="ur-PK" />' in run_of(mixed, "منظم جرائم")
    assert "<w:rtl />" not in run_of(mixed, "Opium moves west along")
    english = containing(xml, "Trust matters")
    assert "<w:bidi />" not in english and "<w:rtl />" not in english and "ur-PK" not in english


def test_the_web_edition_marks_urdu_and_embeds_its_font(urdu_build: Path) -> None:
    html = (urdu_build / "build" / "small.html").read_text("utf-8")
    assert re.search(r'<(?:div|section)[^>]*\slang="ur"\sdir="rtl"[^>]*>\s*<p>یہ مقالہ', html), html[-3000:]
    assert '<span lang="ur" dir="rtl">منظم جرائم</span>' in html
    assert re.search(r'<h1[^>]*\slang="ur"\sdir="rtl"[^>]*>خلاصہ</h1>', html)
    assert '@font-face { font-family: "Noto Nastaliq Urdu"; src: url("data:font/ttf;base64,' in html
    # English paragraphs carry no direction.
    assert re.search(r"<p>Trust matters", html)


def test_english_only_outputs_carry_nothing_of_urdu(small_paper: Path) -> None:
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "outputs: [docx, html]\n", "utf-8")
    out = nsp(small_paper, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    with zipfile.ZipFile(small_paper / "build" / "small.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "<w:rtl />" not in xml and "<w:bidi />" not in xml and "Nastaliq" not in xml
    html = (small_paper / "build" / "small.html").read_text("utf-8")
    assert "Nastaliq" not in html and 'dir="rtl"' not in html and "@font-face" not in html
