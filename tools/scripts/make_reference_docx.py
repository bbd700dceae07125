"""Regenerate templates/reference.docx: pandoc's default reference, restyled for nsp.

Run after changing the styles below: .venv/bin/python tools/scripts/make_reference_docx.py
The result is committed; builds only read it.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from nsp.infra.pandoc import pandoc_path

ACCENT = RGBColor(0x0B, 0x4D, 0x2C)
MUTED = RGBColor(0x5A, 0x5A, 0x5A)
BODY_FONT = "Cambria"
HEADING_FONT = "Calibri"


def field(paragraph: docx.text.paragraph.Paragraph, instruction: str) -> None:
    """A Word field (PAGE, TITLE) that Word fills in when the file is opened."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


TABLE_STYLE = f"""<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  w:type="table" w:default="1" w:styleId="Table">
  <w:name w:val="Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>
  <w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr>
  <w:rPr><w:sz w:val="19"/></w:rPr>
  <w:tblPr>
    <w:tblInd w:w="0" w:type="dxa"/>
    <w:tblBorders>
      <w:top w:val="single" w:sz="6" w:color="{ACCENT}"/>
      <w:bottom w:val="single" w:sz="6" w:color="{ACCENT}"/>
      <w:insideH w:val="single" w:sz="2" w:color="C8C8C8"/>
    </w:tblBorders>
    <w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/></w:rPr>
    <w:tcPr>
      <w:tcBorders><w:bottom w:val="single" w:sz="6" w:color="{ACCENT}"/></w:tcBorders>
      <w:shd w:val="clear" w:color="auto" w:fill="E3EEE7"/>
      <w:vAlign w:val="bottom"/>
    </w:tcPr>
  </w:tblStylePr>
</w:style>"""


def style_tables(style: docx.styles.style.BaseStyle) -> None:
    """pandoc gives every table the style "Table": rules above and below, a tinted header row, as in the PDF."""
    from docx.oxml import parse_xml

    style.element.getparent().replace(style.element, parse_xml(TABLE_STYLE))


def main() -> None:
    data = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True).stdout
    d = docx.Document(io.BytesIO(data))
    styles = d.styles

    normal = styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(11)
    for name in ("Body Text", "First Paragraph", "Compact"):
        if name in [s.name for s in styles]:
            styles[name].font.name = BODY_FONT
            styles[name].paragraph_format.space_after = Pt(6)
    styles["Body Text"].paragraph_format.line_spacing = 1.15

    for level, size in ((1, 20), (2, 16), (3, 13), (4, 11)):
        h = styles[f"Heading {level}"]
        h.font.name, h.font.size, h.font.bold, h.font.color.rgb = HEADING_FONT, Pt(size), True, ACCENT
        h.paragraph_format.space_before = Pt(18 if level <= 2 else 12)
        h.paragraph_format.space_after = Pt(6)
        h.paragraph_format.keep_with_next = True
    # Parts, front matter and annexes open a page, as in the PDF.
    styles["Heading 1"].paragraph_format.page_break_before = True

    title = styles["Title"]
    title.font.name, title.font.size, title.font.color.rgb, title.font.bold = HEADING_FONT, Pt(30), ACCENT, True
    styles["Subtitle"].font.color.rgb = MUTED
    styles["Subtitle"].font.name = HEADING_FONT

    byline = styles.add_style("Byline", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    byline.base_style = normal
    byline.font.size, byline.font.italic, byline.font.color.rgb = Pt(9.5), True, MUTED
    byline.paragraph_format.space_after = Pt(2)
    byline.paragraph_format.left_indent = Cm(0.4)

    notice = styles.add_style("Draft Notice", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = normal
    notice.font.bold, notice.font.color.rgb, notice.font.size = True, RGBColor(0xB2, 0x22, 0x22), Pt(10)
    notice.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    notice.paragraph_format.space_after = Pt(12)

    # The contents' entries nsp writes into the TOC field (Word's built-in "toc N" styles, ids TOC1, TOC2).
    for level in (1, 2):
        toc = styles.add_style(f"toc {level}", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
        toc.element.set(qn("w:styleId"), f"TOC{level}")
        toc.element.attrib.pop(qn("w:customStyle"), None)  # built in: Word replaces its entries with the same style
        toc.base_style = normal
        toc.font.bold = level == 1
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_before = Pt(6 if level == 1 else 0)
        toc.paragraph_format.space_after = Pt(2)

    for name in ("Table Caption", "Image Caption"):
        cap = styles[name]
        cap.font.size, cap.font.bold, cap.font.italic, cap.font.color.rgb = Pt(9.5), True, False, ACCENT
    styles["Bibliography"].paragraph_format.left_indent = Cm(1)
    styles["Bibliography"].paragraph_format.first_line_indent = Cm(-1)
    styles["Footnote Text"].font.size = Pt(9)

    style_tables(styles["Table"])

    section = d.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as the PDF
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.5)
    header = section.header.paragraphs[0]
    field(header, "TITLE")
    header.runs[0].font.size = Pt(9)
    header.runs[0].font.color.rgb = MUTED
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(footer, "PAGE")

    out = Path(__file__).resolve().parents[2] / "templates" / "reference.docx"
    d.save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
