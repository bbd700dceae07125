"""What a reviewer does to a Word file in Word (a comment on some words, a tracked insertion or deletion), and
the words of a Word file as a reader sees them.

Written straight into the file's XML, as Word writes it (w:commentRangeStart/End and a comments part,
w:ins and w:del runs), so the tests need no Word and no LibreOffice.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
RUN = re.compile(r'<w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t xml:space="preserve">([^<]*)</w:t></w:r>', re.S)
DATE = "2026-11-20T10:00:00Z"


def docx_from_markdown(markdown: str, target: Path) -> Path:
    """A Word file nsp did not make: pandoc's, from Markdown (whose spans may be tracked changes and comments)."""
    from nsp.infra.pandoc import run_pandoc

    run_pandoc(["-f", "markdown", "-t", "docx", "-o", str(target)], stdin=markdown.encode(), what="a test file")
    return target


def _run(props: str, text: str) -> str:
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""


class Reviewer:
    """Edits of one Word file, saved to another; each edit finds the first run whose text holds `words`."""

    def __init__(self, source: Path, author: str = "Lee Lead") -> None:
        self.source, self.author = source, author
        with zipfile.ZipFile(source) as z:
            self.parts = {name: z.read(name) for name in z.namelist()}
        self.part = "word/document.xml"
        self.comments: list[str] = []
        self.next_id = 900

    def in_footnotes(self) -> Reviewer:
        self.part = "word/footnotes.xml"
        return self

    def in_body(self) -> Reviewer:
        self.part = "word/document.xml"
        return self

    def _split(self, words: str, build: str) -> None:
        """Replace the run holding `words` with: the text before, `build` around the words, the text after."""
        xml = self.parts[self.part].decode()
        for m in RUN.finditer(xml):
            text = m.group(2)
            at = text.find(escape(words))
            if at < 0:
                continue
            props = m.group(1) or ""
            middle = build.replace("{RUN}", _run(props, escape(words))).replace("{PROPS}", props)
            new = _run(props, text[:at]) + middle + _run(props, text[at + len(escape(words)):])
            self.parts[self.part] = (xml[:m.start()] + new + xml[m.end():]).encode()
            return
        raise AssertionError(f"no run in {self.part} holds {words!r}")

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def comment(self, words: str, text: str) -> Reviewer:
        n = self._id()
        self._split(words, f'<w:commentRangeStart w:id="{n}"/>{{RUN}}<w:commentRangeEnd w:id="{n}"/>'
                           f'<w:r><w:commentReference w:id="{n}"/></w:r>')
        self.comments.append(f'<w:comment w:id="{n}" w:author="{escape(self.author)}" w:date="{DATE}">'
                             f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:comment>')
        return self

    def insert_after(self, words: str, inserted: str) -> Reviewer:
        n = self._id()
        ins = (f'<w:ins w:id="{n}" w:author="{escape(self.author)}" w:date="{DATE}"><w:r>{{PROPS}}'
               f'<w:t xml:space="preserve">{escape(inserted)}</w:t></w:r></w:ins>')
        self._split(words, "{RUN}" + ins)
        return self

    def delete(self, words: str) -> Reviewer:
        n = self._id()
        self._split(words, f'<w:del w:id="{n}" w:author="{escape(self.author)}" w:date="{DATE}"><w:r>{{PROPS}}'
                           f'<w:delText xml:space="preserve">{escape(words)}</w:delText></w:r></w:del>')
        return self

    def save(self, target: Path) -> Path:
        parts = dict(self.parts)
        if self.comments:
            parts["word/comments.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                          f'<w:comments xmlns:w="{W_NS}">{"".join(self.comments)}</w:comments>'
                                          ).encode()
            rels = parts["word/_rels/document.xml.rels"].decode()
            rels = rels.replace("</Relationships>", f'<Relationship Id="rIdNspComments" Type="{COMMENTS_TYPE}" '
                                                    'Target="comments.xml"/></Relationships>')
            parts["word/_rels/document.xml.rels"] = rels.encode()
            types = parts["[Content_Types].xml"].decode()
            types = types.replace("</Types>", f'<Override PartName="/word/comments.xml" '
                                              f'ContentType="{COMMENTS_CONTENT}"/></Types>')
            parts["[Content_Types].xml"] = types.encode()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
        return target


def docx_text(path: Path) -> str:
    """The words of a Word file's body, paragraphs separated by a space."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    pieces = re.findall(r"<w:t[^>]*>([^<]*)</w:t>|(<w:p[ >])", xml)  # a paragraph starts: a space
    return " ".join("".join(text or " " for text, _ in pieces).split())
