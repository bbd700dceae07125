"""Urdu in the PDF (issue 16): the Urdu executive summary set in Nastaliq, phrases inside English text,
characters no font draws refused, a page marked Urdu but written in English named."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from conftest import REPO, nsp, pdf_pages, pdf_text, refused, write

TITLE = "ایگزیکٹو خلاصہ"


def fonts_of(pdf: Path) -> set[str]:
    """The base names of the fonts the PDF's pages use (the subset prefix ABCDEF+ dropped)."""
    names = set()
    for page in PdfReader(pdf).pages:
        resources: Any = page["/Resources"]  # a dictionary: pypdf's types do not say so
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def outline_titles(pdf: Path) -> list[str]:
    def flat(items: list) -> list[str]:  # type: ignore[type-arg]
        return [t for i in items for t in (flat(i) if isinstance(i, list) else [i.title])]

    return flat(PdfReader(pdf).outline)


def page(root: Path, body: str, *, lang: str = "") -> None:
    """A page of the small paper's own, after its contents, with `body` as its text."""
    write(root, "papers/small/note.md", f'---\ntitle: "Note"\nauthors: [ana]\n{lang}---\n\n{body}\n')
    manifest = root / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "front_matter: [small/note.md]\n", "utf-8")


def test_the_urdu_summary_is_set_in_nastaliq_after_the_english_one(manuscript_build: Path) -> None:
    pdf = manuscript_build / "build" / "national-strategy.pdf"
    assert "NotoNastaliqUrdu-Regular" in fonts_of(pdf)
    titles = outline_titles(pdf)
    # The bookmarks carry the Urdu heading as written: in logical order, letter by letter.
    assert titles[titles.index("Executive Summary") + 1] == TITLE
    text = pdf_text(pdf)
    # English terms kept inside the Urdu text come out whole, their words in order (the parentheses around
    # them are mirrored glyphs in a right-to-left line, and come out as ")term(").
    for term in ("financial intelligence", "national referral mechanism", "action plans"):
        assert term in text


def test_an_urdu_phrase_keeps_the_english_around_it(small_paper: Path) -> None:
    page(small_paper, "Opium moves west along [منظم جرائم]{lang=ur} routes to the coast.")
    out = nsp(small_paper, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    pdf = small_paper / "build" / "small.pdf"
    assert "NotoNastaliqUrdu-Regular" in fonts_of(pdf)
    text = pdf_text(pdf)
    assert "Opium moves west along" in text and "routes to the coast." in text
    assert text.index("Opium moves west along") < text.index("routes to the coast.")


def test_a_character_no_font_draws_is_an_error_and_refuses_the_build(small_paper: Path) -> None:
    page(small_paper, "The character 中 prints as an empty box.")
    check = nsp(small_paper, "check", "--paper", "small")
    line = ("papers/small/note.md:6: A516 '中' (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D) cannot be drawn by any font nsp "
            "uses: the PDF would show an empty box; write it differently, or add a font that has it to templates/fonts")
    assert line in check.stdout.splitlines(), check.stdout + check.stderr
    assert check.returncode == 1
    refused(small_paper, line)
    # A forced draft skips the checks: the PDF stage itself refuses, naming the page.
    forced = nsp(small_paper, "build", "--paper", "small", "--force")
    assert forced.returncode != 0
    assert ("papers/small/note.md: '中' (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D) cannot be drawn by any font nsp uses "
            "(A516)") in forced.stderr
    assert "Traceback" not in forced.stderr
    assert not (small_paper / "build" / "small.pdf").exists()


def test_a_page_marked_urdu_but_written_in_english_is_a_warning(small_paper: Path) -> None:
    page(small_paper, "This page is in English although it says Urdu.", lang="lang: ur\n")
    check = nsp(small_paper, "check", "--paper", "small")
    assert ("papers/small/note.md:4: S121 marked 'lang: ur' but 100% of its letters are Latin: it would be set right "
            "to left in the Urdu fonts; translate it, or remove 'lang' (mark Urdu phrases with [...]{lang=ur})"
            ) in check.stdout.splitlines(), check.stdout
    assert check.returncode == 0


def test_a_forged_language_never_reaches_typst(small_paper: Path) -> None:
    page(small_paper, '::: {lang="ur); #panic()"}\nText.\n:::')
    check = nsp(small_paper, "check", "--paper", "small")
    assert "papers/small/note.md:6: A506 attribute 'lang=ur); #panic()' is not allowed" in check.stdout
    forced = nsp(small_paper, "build", "--paper", "small", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Text." in pdf_text(small_paper / "build" / "small.pdf")


def test_the_coverage_of_typsts_fonts_is_that_of_the_installed_typst() -> None:
    first = (REPO / "tools" / "nsp" / "infra" / "typst_fonts.txt").read_text("utf-8").splitlines()[0]
    assert first.startswith(f"# typst {version('typst')}:"), "run tools/scripts/typst_font_coverage.py"


def glyph_positions(pdf: Path, page_number: int) -> list[tuple[str, str, float, float]]:
    """(font, text, x, y) of each piece of text typst drew on a page."""
    pieces: list[tuple[str, str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip() and font is not None:
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((str(font["/BaseFont"]).split("+", 1)[-1], text, x, y))

    PdfReader(pdf).pages[page_number].extract_text(visitor_text=visit)
    return pieces


ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


def test_the_contents_list_the_urdu_summary_with_its_page_number_on_the_right(manuscript_build: Path) -> None:
    pdf = manuscript_build / "build" / "national-strategy.pdf"
    contents = next(i for i, text in enumerate(pdf_pages(pdf)) if "Contents" in text.split()[:3])
    pieces = glyph_positions(pdf, contents)
    urdu = [(x, y) for font, _, x, y in pieces if font.startswith("NotoNastaliq")]
    assert urdu, "the Urdu entry is not set in Nastaliq"
    line = min(y for _, y in urdu), max(y for _, y in urdu)
    # The front matter's pages are numbered in roman (iv), the parts' and chapters' in arabic.
    numbers = [x for font, text, x, y in pieces
               if (text.strip().isdigit() or text.strip() in ROMAN) and line[0] - 6 <= y <= line[1] + 6]
    # Without the left-to-right mark after the title, the bidi rules carried the number into the Urdu's
    # direction: "3 ..... title", the number at the left margin.
    assert numbers and min(numbers) > max(x for x, _ in urdu), (numbers, urdu)


def test_a_paper_may_set_urdu_in_naskh_whose_text_extracts_letter_for_letter(small_paper: Path) -> None:
    summary = (REPO / "papers" / "national-strategy" / "executive-summary-ur.md").read_text("utf-8")
    paragraph = summary.split("---", 2)[2].strip().split("\n\n")[0]
    page(small_paper, paragraph, lang="lang: ur\n")
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "urdu_typeface: naskh\n", "utf-8")
    out = nsp(small_paper, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    pdf = small_paper / "build" / "small.pdf"
    assert "NotoNaskhArabic-Regular" in fonts_of(pdf) and "NotoNastaliqUrdu-Regular" not in fonts_of(pdf)
    marks = "۔:،()"  # the sentence's punctuation, on either side of a word in a right to left line
    words = {w.strip(marks) for w in pdf_text(pdf).split()}
    urdu = [w.strip(marks) for w in paragraph.split() if not w.isascii()]
    found = [w for w in urdu if w in words]
    # Every word of the summary's first paragraph comes out as written (pypdf gives the words of a right to left
    # line in visual order, each word's letters in logical order), but the one whose zer (U+0650) typst's
    # text layer moves: "حکمتِ".
    assert [w for w in urdu if w not in found] == ["حکمتِ"], [w for w in urdu if w not in found]
    assert len(found) >= 40


def test_an_unknown_urdu_typeface_is_named_at_its_line(small_paper: Path) -> None:
    manifest = small_paper / "papers" / "small.yaml"
    lines = len(manifest.read_text("utf-8").splitlines())
    manifest.write_text(manifest.read_text("utf-8") + "urdu_typeface: kufi\n", "utf-8")
    check = nsp(small_paper, "check", "--paper", "small")
    assert (f"papers/small.yaml:{lines + 1}: E007 unknown urdu_typeface 'kufi'; choose from nastaliq, naskh"
            in check.stdout.splitlines()), check.stdout
    assert check.returncode == 1
