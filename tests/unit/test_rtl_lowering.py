"""The Urdu lowering shared by Word and the web edition, on hand-made trees and XML: dir=rtl added to what is
marked lang=ur without touching the shared block, and the Word finishing pass on pandoc's runs and tables."""

from __future__ import annotations

from nsp import ast as A
from nsp.infra.docxfile import complete_rtl
from nsp.render.rtl import has_rtl, is_rtl, mark_rtl


def test_only_urdu_tags_are_right_to_left() -> None:
    assert is_rtl("ur") and is_rtl("ur-PK") and is_rtl("UR")
    assert not is_rtl("en-GB") and not is_rtl("") and not is_rtl("urd-x")


def test_mark_rtl_copies_a_block_with_urdu_and_keeps_a_writers_dir() -> None:
    phrase = A.span(A.text_inlines("منظم"), attrs=(("lang", "ur"),))
    ltr = A.span(A.text_inlines("NACTA"), attrs=(("lang", "ur"), ("dir", "ltr")))
    block = A.para([*A.text_inlines("Opium"), phrase, ltr])
    shared = A.clone(block)
    marked = mark_rtl(block)
    assert block == shared  # the block the other formats read is untouched
    spans = A.collect(marked, "Span")
    assert spans[0]["c"][0][2] == [["lang", "ur"], ["dir", "rtl"]]
    assert spans[1]["c"][0][2] == [["lang", "ur"], ["dir", "ltr"]]
    english = A.para(A.text_inlines("Trust matters"))
    assert mark_rtl(english) is english and not has_rtl([english])


RUN = '<w:r><w:rPr>{}<w:rtl /><w:lang w:val="ur" /></w:rPr><w:t>منظم</w:t></w:r>'
DONE = '<w:rtl /><w:cs /><w:lang w:bidi="ur-PK" />'


def test_urdu_runs_become_complex_script_in_nastaliq() -> None:
    assert complete_rtl(RUN.format("")) == (
        f'<w:r><w:rPr><w:rFonts w:cs="Noto Nastaliq Urdu" />{DONE}</w:rPr><w:t>منظم</w:t></w:r>')
    # The font follows a run style, as the schema orders them.
    styled = complete_rtl(RUN.format('<w:rStyle w:val="Hyperlink" />'))
    assert '<w:rPr><w:rStyle w:val="Hyperlink" /><w:rFonts w:cs="Noto Nastaliq Urdu" />' in styled
    # An explicit region is kept; a right-to-left run of another language is left alone.
    assert 'w:bidi="ur-IN"' in complete_rtl(RUN.format("").replace('w:val="ur"', 'w:val="ur-IN"'))
    hebrew = RUN.format("").replace('w:val="ur"', 'w:val="he"')
    assert complete_rtl(hebrew) == hebrew


def test_a_table_is_mirrored_only_when_all_its_paragraphs_are_right_to_left() -> None:
    cell = '<w:tc><w:p><w:pPr><w:bidi /></w:pPr><w:r><w:rPr><w:rtl /></w:rPr><w:t>ج</w:t></w:r></w:p></w:tc>'
    english = '<w:tc><w:p><w:pPr /><w:r><w:t>a</w:t></w:r></w:p></w:tc>'
    table = '<w:tbl><w:tblPr><w:tblStyle w:val="Table" /><w:tblW w:w="0" /></w:tblPr><w:tr>{}</w:tr></w:tbl>'
    assert '<w:tblStyle w:val="Table" /><w:bidiVisual /><w:tblW' in complete_rtl(table.format(cell + cell))
    assert "bidiVisual" not in complete_rtl(table.format(cell + english))


def test_english_xml_is_returned_as_it_is() -> None:
    xml = '<w:p><w:pPr /><w:r><w:rPr><w:lang w:val="ur" /></w:rPr><w:t>a</w:t></w:r></w:p>'
    assert complete_rtl(xml) is xml


def test_the_typst_lowering_passes_blocks_without_content() -> None:
    from nsp.render.typst_source import _lower_languages

    rule = {"t": "HorizontalRule"}  # a bare `---` in a chapter: no "c" at all (the fuzz test found it)
    assert _lower_languages(rule, str) is rule


def test_the_typst_lowering_passes_the_papers_typeface_to_every_language_call() -> None:
    from nsp.render.stage import Prepared
    from nsp.render.typst_source import lower_for_typst

    span = {"t": "Span", "c": [["", [], [["lang", "ur-PK"]]], [{"t": "Str", "c": "منظم"}]]}
    div = {"t": "Div", "c": [["", [], [["lang", "ur"]]], [{"t": "Para", "c": [span]}]]}
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [div]}

    def raw(typefaces: dict[str, str] | None) -> str:
        lowered, _ = lower_for_typst(Prepared(doc, frozenset()), typefaces)
        return str(lowered["blocks"])

    assert '#nsp-lang(\"ur\", face: \"naskh\")[' in raw({"ur": "naskh"}).replace("'", "")
    assert '#nsp-lang-span(\"ur-PK\", face: \"naskh\")[' in raw({"ur": "naskh"}).replace("'", "")
    assert "face:" not in raw(None) and "face:" not in raw({"ar": "naskh"})
