"""The paper's Word file laid out as its PDF: a cover and an imprint page, each a section of its own (no
header, no page number), the front matter numbered in roman, the parts and chapters from arabic 1, each
part and chapter on a new page, a running header with the short title, table rows kept whole.

pandoc's docx writer knows none of these: render/docx.py marks where they go (an XML comment before a
heading, written as a raw openxml block), and finish_layout rewrites the file pandoc wrote.
Every text comes from the manifest: it is escaped here, never taken as XML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

# The comments render/docx.py writes before a heading.
NEW_PAGE = "<!-- nsp:new-page -->"  # a part or a chapter: it opens a page
PART_PAGE = "<!-- nsp:part-page -->"  # a part: it opens a page, its title set low and centred, as in the PDF
MAIN_MATTER = "<!-- nsp:main-matter -->"  # the first part or chapter: the page numbers restart in arabic

ACCENT = "0B4D2C"  # nsp.typ's accent, a deep green
MUTED = "5A5A5A"
DRAFT_RED = "B22222"
TEXT_WIDTH = 9072  # twips: A4 less the reference document's margins (2.5 cm each side)


@dataclass(frozen=True)
class Layout:
    """What the cover, the imprint and the running header say (plain text, from the manifest)."""

    publisher: str
    title: str
    subtitle: str
    edition: str  # "Draft for consultation · 30 April 2020"
    version: str  # "Version 1.0", or ""
    draft_notice: str  # "" once the paper is no longer a draft
    short_title: str
    imprint: tuple[str, ...] = ()  # its lines, in order: copyright first


def finish_layout(document: str, header: str, layout: Layout) -> tuple[str, str]:
    """The document and the running header (word/header1.xml) laid out as the PDF."""
    document = keep_rows_whole(new_pages(cover(document, layout)))
    return number_pages(document), running_header(header, layout)


TITLE_BLOCK = re.compile(r'(?:<w:p>\s*<w:pPr>\s*<w:pStyle w:val="(?:Title|Subtitle|Author|Date|Abstract)" />'
                         r"(?:(?!</w:p>).)*</w:p>\s*)+", re.S)
SECTION = re.compile(r"<w:sectPr>(?:(?!<w:sectPr>).)*</w:sectPr>\s*</w:body>", re.S)
REFERENCE = re.compile(r"<w:(?:header|footer)Reference [^>]*/>\s*")


def cover(document: str, layout: Layout) -> str:
    """pandoc's title block (four centred lines) replaced by the PDF's cover, then the imprint page, each a
    section of its own: no header or footer (the first sections inherit none), the imprint at the page's foot."""
    block = TITLE_BLOCK.search(document, document.find("<w:body>"))
    last = SECTION.search(document)
    if block is None or last is None:
        return document
    bare = REFERENCE.sub("", last.group(0).removesuffix("</w:body>").rstrip())
    # The cover's green band near the top edge, as in the PDF.
    bare = re.sub(r'(<w:pgMar [^>]*w:top=")\d+"', r'\g<1>567"', bare)
    # A section ends with the paragraph that carries its properties.
    paragraphs = _ending(cover_paragraphs(layout), bare)
    imprint = imprint_paragraphs(layout.imprint)
    if imprint:
        at = VALIGN_BEFORE.search(bare)
        assert at is not None  # every sectPr ends with </w:sectPr>
        paragraphs += _ending(imprint, bare[:at.start()] + '<w:vAlign w:val="bottom" />' + bare[at.start():])
    return document[:block.start()] + "".join(paragraphs) + document[block.end():]


VALIGN_BEFORE = re.compile(r"<w:(?:noEndnote|titlePg|textDirection|bidi|rtlGutter|docGrid|printerSettings|"
                           r"sectPrChange)\b|</w:sectPr>")


def _ending(paragraphs: list[str], section: str) -> list[str]:
    """The paragraphs, the last carrying the properties of the section they end (last in w:pPr)."""
    last = paragraphs[-1]
    at = last.index("</w:pPr>")
    return [*paragraphs[:-1], last[:at] + section + last[at:]]


def cover_paragraphs(layout: Layout) -> list[str]:
    out = [
        # The green band of the PDF's cover: the publisher in capitals, white on the accent.
        _para(layout.publisher.upper(), size=22, colour="FFFFFF", spacing=(0, 0),
              props=f'<w:pBdr>{_box(ACCENT, 48, 12)}</w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}" />'),
        _para(layout.title, size=60, colour=ACCENT, bold=True, spacing=(4200, 120)),
    ]
    if layout.subtitle:
        out.append(_para(layout.subtitle, size=32, colour=MUTED, spacing=(0, 240)))
    # The short rule under the title: a bottom border on an empty paragraph indented to a third of the width.
    out.append(f'<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="16" w:space="1" w:color="{ACCENT}" /></w:pBdr>'
               f'<w:spacing w:before="0" w:after="200" /><w:ind w:right="{TEXT_WIDTH * 7 // 10}" /></w:pPr></w:p>')
    if layout.edition:
        out.append(_para(layout.edition, size=24, spacing=(0, 80)))
    if layout.version:
        out.append(_para(layout.version, size=24, bold=True, spacing=(0, 80)))
    if layout.draft_notice:
        box = f"<w:pBdr>{_box(DRAFT_RED, 12, 6)}</w:pBdr>"
        out.append(_para(layout.draft_notice, style="DraftNotice", colour=DRAFT_RED, bold=True, spacing=(3600, 0),
                         props=box, right=TEXT_WIDTH // 4))
    return out


def imprint_paragraphs(lines: tuple[str, ...]) -> list[str]:
    """The imprint page: small grey lines, the copyright first in bold. Word sets them at the page's foot (the
    section's vAlign); LibreOffice ignores that, so space before the first line keeps them low there too."""
    return [_para(line, size=18, colour="1A1A1A" if i == 0 else MUTED, bold=i == 0, spacing=(0 if i else 8500, 120))
            for i, line in enumerate(lines)]


def _box(colour: str, size: int, space: int) -> str:
    return "".join(f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{colour}" />'
                   for side in ("top", "left", "bottom", "right"))


def _para(text: str, *, size: int = 0, colour: str = "", bold: bool = False, spacing: tuple[int, int] = (0, 0),
          props: str = "", style: str = "", right: int = 0) -> str:
    """One paragraph of plain text; its properties in the order the schema fixes."""
    ppr = f'<w:pStyle w:val="{style}" />' if style else ""
    ppr += "<w:keepNext />"  # the cover's lines and the imprint's stay together
    ppr += f'{props}<w:spacing w:before="{spacing[0]}" w:after="{spacing[1]}" />'
    ppr += f'<w:ind w:right="{right}" />' if right else ""
    ppr += '<w:jc w:val="left" />'
    rpr = ("<w:b />" if bold else "") + (f'<w:color w:val="{colour}" />' if colour else "")
    rpr += f'<w:sz w:val="{size}" /><w:szCs w:val="{size}" />' if size else ""
    run = f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{_text(text)}</w:t></w:r>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>"


# Characters XML 1.0 forbids: a manifest's double-quoted YAML could hold them.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(text: str) -> str:
    return escape(FORBIDDEN.sub("", text), {'"': "&quot;"})


# A marker, the bookmarks pandoc closes and opens between sections, and the heading's paragraph properties.
MARKED = re.compile(r"(?P<mark><!-- nsp:(?:new-page|part-page) -->)"
                    r"(?P<between>(?:\s*<w:bookmark(?:Start|End) [^>]*/>)*\s*)"
                    r'<w:p><w:pPr><w:pStyle w:val="(?P<style>[^"]+)" />(?P<rest>(?:(?!</w:pPr>).)*)</w:pPr>', re.S)


def new_pages(document: str) -> str:
    """Each marked heading opens a page (w:pageBreakBefore: no empty paragraph left behind); a part's title is
    set low on its page and centred."""
    def opened(match: re.Match[str]) -> str:
        rest = match["rest"]
        if match["mark"] == PART_PAGE and "<w:jc " not in rest:
            rest += '<w:spacing w:before="3600" w:after="240" /><w:jc w:val="center" />'
        return (f'{match["between"]}<w:p><w:pPr><w:pStyle w:val="{match["style"]}" /><w:pageBreakBefore />'
                f"{rest}</w:pPr>")

    return MARKED.sub(opened, document)


def number_pages(document: str) -> str:
    """Roman page numbers from the contents to the first part or chapter, arabic from 1 there: the front
    matter ends with a section break, which carries the running header and the page number."""
    last = SECTION.search(document)
    if last is None:
        return document.replace(MAIN_MATTER, "")
    props = last.group(0).removesuffix("</w:body>").rstrip()
    front = _page_numbers(props, "lowerRoman")
    if MAIN_MATTER not in document:  # no part or chapter: the whole paper is front matter, numbered in roman
        return document[:last.start()] + front + document[last.start() + len(props):]
    body = _page_numbers(props, "decimal")
    document = document[:last.start()] + body + document[last.start() + len(props):]
    return document.replace(MAIN_MATTER, f"<w:p><w:pPr>{front}</w:pPr></w:p>", 1).replace(MAIN_MATTER, "")


PAGE_NUMBERS_BEFORE = re.compile(r"<w:(?:cols|formProt|vAlign|noEndnote|titlePg|textDirection|bidi|rtlGutter|"
                                 r"docGrid|printerSettings|sectPrChange)\b|</w:sectPr>")


def _page_numbers(props: str, fmt: str) -> str:
    """A section's properties with its page numbers in `fmt` from 1 (w:pgNumType where the schema puts it)."""
    props = re.sub(r"<w:pgNumType [^>]*/>", "", props)
    at = PAGE_NUMBERS_BEFORE.search(props)
    assert at is not None  # every sectPr ends with </w:sectPr>
    return props[:at.start()] + f'<w:pgNumType w:fmt="{fmt}" w:start="1" />' + props[at.start():]


ROW = re.compile(r"<w:tr>(?:<w:trPr>(?P<props>(?:(?!</w:trPr>).)*)</w:trPr>)?")


def keep_rows_whole(document: str) -> str:
    """No table row splits across pages (w:cantSplit); pandoc already repeats header rows (w:tblHeader)."""
    def whole(match: re.Match[str]) -> str:
        props = match["props"] or ""
        return match.group(0) if "<w:cantSplit" in props else f"<w:tr><w:trPr><w:cantSplit />{props}</w:trPr>"

    return ROW.sub(whole, document)


HEADER_PARAGRAPH = re.compile(r"<w:p>.*</w:p>", re.S)


def running_header(header: str, layout: Layout) -> str:
    """The short title on the left, DRAFT on the right while a draft, over a thin rule (as the PDF's)."""
    draft = (f'<w:r><w:tab /></w:r><w:r><w:rPr><w:b /><w:color w:val="{DRAFT_RED}" /><w:sz w:val="18" /></w:rPr>'
             f'<w:t xml:space="preserve">DRAFT</w:t></w:r>') if layout.draft_notice else ""
    paragraph = (f'<w:p><w:pPr><w:pStyle w:val="Header" /><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" '
                 f'w:color="B4B4B4" /></w:pBdr><w:tabs><w:tab w:val="clear" w:pos="4513" /><w:tab w:val="clear" '
                 f'w:pos="9026" /><w:tab w:val="right" w:pos="{TEXT_WIDTH}" /></w:tabs></w:pPr>'
                 f'<w:r><w:rPr><w:color w:val="{MUTED}" /><w:sz w:val="18" /></w:rPr>'
                 f'<w:t xml:space="preserve">{_text(layout.short_title)}</w:t></w:r>{draft}</w:p>')
    return HEADER_PARAGRAPH.sub(lambda _: paragraph, header, count=1)
