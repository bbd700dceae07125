"""A Word file pandoc wrote, finished in place: contents that show without updating fields, fields updated
on opening, its creation date, and Urdu marked as Word's complex script.
Used for the paper (render/docx.py) and for tracked changes (review/diff.py)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from nsp.infra.docxlayout import Layout, finish_layout

DOCUMENT = "word/document.xml"
HEADER = "word/header1.xml"  # the reference document's one header: every section's
LAID_OUT = (DOCUMENT, HEADER)


def finish_docx(path: Path, when: dt.datetime | None, layout: Layout | None = None) -> None:
    """What pandoc's Word file lacks: contents that show without updating fields, and its creation date;
    with a `layout`, the paper's cover, imprint, sections, page breaks and running header (nsp.infra.docxlayout)."""
    with zipfile.ZipFile(path) as old:
        entries = [(info, old.read(info.filename)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        texts = {info.filename: data.decode("utf-8") for info, data in entries if info.filename in LAID_OUT}
        if layout is not None and len(texts) == len(LAID_OUT):
            texts[DOCUMENT], texts[HEADER] = finish_layout(texts[DOCUMENT], texts[HEADER], layout)
        for info, data in entries:
            if info.filename == HEADER and layout is not None:
                data = texts[HEADER].encode("utf-8")
            if info.filename == DOCUMENT:
                data = complete_rtl(fill_toc(texts[DOCUMENT])).encode("utf-8")
            elif info.filename == "word/footnotes.xml":
                data = complete_rtl(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "word/settings.xml":
                data = update_fields_on_open(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "docProps/core.xml" and when is not None:
                # A sandboxed pandoc knows no clock and writes 1970.
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            if when is not None:
                info.date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
            new.writestr(info, data)


TOC_FIELD = re.compile(
    r'(<w:instrText xml:space="preserve">TOC [^<]*</w:instrText><w:fldChar w:fldCharType="separate" />)'
    r'(<w:fldChar w:fldCharType="end" />)(</w:r></w:p>)'
)
HEADING = re.compile(r'(?:<w:bookmarkStart w:id="\d+" w:name="(?P<anchor>[^"]+)" />\s*)?'
                     r'<w:p><w:pPr><w:pStyle w:val="Heading(?P<level>[12])" />.*?</w:p>', re.S)
TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def fill_toc(xml: str) -> str:
    """Write the contents' entries into the TOC field's result.

    pandoc leaves the result empty for Word to fill when fields are updated; LibreOffice and
    viewers that update nothing show the heading alone. The entries carry no page numbers (only a
    layout engine knows them); Word replaces them with its own when it updates fields on opening.
    """
    match = TOC_FIELD.search(xml)
    if not match:
        return xml
    entries = []
    depth = re.search(r'\\o &quot;1-(\d)&quot;', match.group(1))
    for h in HEADING.finditer(xml, match.end()):
        if depth and int(h["level"]) > int(depth.group(1)):
            continue  # a level the contents leave out (--toc-depth)
        text = "".join(TEXT.findall(h.group(0)))
        # An Urdu heading's entry is an Urdu run too (complete_rtl gives it its font and language).
        lang = URDU_LANG.search(h.group(0)) if "<w:rtl />" in h.group(0) else None
        props = f"<w:rPr><w:rtl />{lang.group(0)}</w:rPr>" if lang else ""
        run = f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'
        if h["anchor"]:
            run = f'<w:hyperlink w:anchor="{h["anchor"]}">{run}</w:hyperlink>'
        entries.append((f'<w:pPr><w:pStyle w:val="TOC{h["level"]}" /></w:pPr>', run))
    if not entries:
        return xml
    # One field across several paragraphs: it opens in the first entry's paragraph and closes in the last's.
    first_style, first_run = entries[0]
    out = [match.group(1) + "</w:r>" + first_run + "</w:p>"]
    out += [f"<w:p>{style}{run}</w:p>" for style, run in entries[1:]]
    out[-1] = out[-1].removesuffix("</w:p>") + "<w:r>" + match.group(2) + "</w:r></w:p>"
    head = xml[:match.start()]
    # The field's own paragraph gets the first entry's style.
    para = head.rfind("<w:p>")
    head = head[:para] + "<w:p>" + first_style + head[para + len("<w:p>"):]
    return head + "".join(out) + xml[match.end():]


# Elements that must follow w:updateFields in settings.xml (the schema fixes their order).
AFTER_UPDATE_FIELDS = ("<w:hdrShapeDefaults", "<w:footnotePr", "<w:endnotePr", "<w:compat", "<w:docVars", "<w:rsids",
                       "<m:mathPr", "<w:attachedSchema", "<w:themeFontLang", "<w:clrSchemeMapping", "</w:settings>")


def update_fields_on_open(xml: str) -> str:
    """Ask Word to update fields (page numbers in the contents, caption numbers) when the file is opened."""
    if "<w:updateFields" in xml:
        return xml
    at = min((i for i in (xml.find(tag) for tag in AFTER_UPDATE_FIELDS) if i >= 0), default=-1)
    return xml if at < 0 else xml[:at] + '<w:updateFields w:val="true" />' + xml[at:]



# Urdu's font in Word: the one the PDF uses (templates/fonts); Word falls back to its own Arabic-script
# font where it is not installed. Not embedded: Word embeds only fonts the file's author has installed.
URDU_FONT = "Noto Nastaliq Urdu"
URDU_REGION = "ur-PK"
# A run pandoc wrote for a Span or Div with lang=ur dir=rtl (render/rtl.py adds the dir).
RTL_RUN = re.compile(r'<w:rPr>(?P<props>(?:(?!</w:rPr>).)*?<w:rtl />(?:(?!</w:rPr>).)*?)</w:rPr>', re.S)
URDU_LANG = re.compile(r'<w:lang w:val="(?P<tag>ur(?:-[A-Za-z0-9]+)*)" />')
RUN_STYLE = re.compile(r"^<w:rStyle [^>]*/>")
TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
PARA_PROPS = re.compile(r"<w:p>(?:<w:pPr>(.*?)</w:pPr>)?")


def complete_rtl(xml: str) -> str:
    """What pandoc's Word file lacks for Urdu, so Word shows and spell-checks it as Urdu.

    pandoc writes w:bidi paragraphs and w:rtl runs for text marked dir=rtl, but names the language
    as if it were Latin text (w:lang w:val) and no complex-script font; and it never mirrors a table.
    Runs become complex script (w:cs) in Noto Nastaliq Urdu with the language in w:bidi; a table
    whose paragraphs are all right to left gets w:bidiVisual (its first column on the right).
    """
    if "<w:rtl />" not in xml:
        return xml
    return TABLE.sub(mirror_table, RTL_RUN.sub(urdu_run, xml))


def urdu_run(match: re.Match[str]) -> str:
    props = match["props"]
    lang = URDU_LANG.search(props)
    if lang is None:
        return match.group(0)
    tag = lang["tag"] if "-" in lang["tag"] else URDU_REGION
    # The schema fixes the order: rStyle, rFonts, ..., rtl, cs, em, lang.
    props = props.replace(lang.group(0), f'<w:lang w:bidi="{tag}" />').replace("<w:rtl />", "<w:rtl /><w:cs />")
    if "<w:rFonts " in props:
        props = props.replace("<w:rFonts ", f'<w:rFonts w:cs="{URDU_FONT}" ', 1)
        return f"<w:rPr>{props}</w:rPr>"
    style = RUN_STYLE.match(props)
    at = style.end() if style else 0
    return f'<w:rPr>{props[:at]}<w:rFonts w:cs="{URDU_FONT}" />{props[at:]}</w:rPr>'


def mirror_table(match: re.Match[str]) -> str:
    table = match.group(0)
    paragraphs = PARA_PROPS.findall(table)
    if not paragraphs or not all("<w:bidi />" in props for props in paragraphs) or "<w:bidiVisual" in table:
        return table
    # bidiVisual follows tblStyle (and tblpPr/tblOverlap, which pandoc never writes).
    head = re.match(r'<w:tbl>\s*<w:tblPr>(?:\s*<w:tblStyle [^>]*/>)?', table)
    if head is None:
        return table
    return table[:head.end()] + "<w:bidiVisual />" + table[head.end():]
