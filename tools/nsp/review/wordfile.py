"""Reading a Word file a reviewer annotated: its original text, their comments and tracked changes.

pandoc's docx reader with --track-changes=all gives comments and changes as spans; this module walks
that AST into one plain text (what the file said before the reviewer's changes: their deletions in,
their insertions out) and a list of marks with offsets into it. review.wordimport places the marks on
the chapter's Markdown. Footnotes come after the body, in order, as the chapters write them.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from nsp import ast as A
from nsp.diagnostics import NspError
from nsp.infra.pandoc import run_pandoc
from nsp.infra.resources import BIDI_CONTROLS

# The custom document properties nsp writes into its Word files (a chapter preview, a redline), so
# that a file coming back from a reviewer says which chapter, and which text of it, it shows.
CHAPTER_PROPERTY, TEXT_PROPERTY = "nsp-chapter", "nsp-text"
# In a redline, the changes nsp itself tracked (the chapter's authors, at one time): part of the text under review.
OURS_AUTHOR, OURS_DATE = "nsp-tracked-author", "nsp-tracked-date"
MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_PROPERTIES_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Mark:
    kind: str  # "comment", "insert" or "delete"
    start: int  # offsets in WordFile.text; an insertion has start == end
    end: int
    text: str  # the comment's words, or the inserted or deleted text
    author: str
    date: str


@dataclass
class WordFile:
    text: str = ""  # what the file said before the reviewer's changes
    marks: list[Mark] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)


def read_word_file(path: Path) -> WordFile:
    """The reviewer's marks in the Word file at `path`; NspError when it is not a Word file nsp can read."""
    if not path.is_file():
        raise NspError(f"{path} does not exist")
    data = path.read_bytes()
    if len(data) > MAX_DOCX_BYTES or not zipfile.is_zipfile(path):
        raise NspError(f"{path} is not a Word file (.docx): save it from Word or LibreOffice as .docx and try again")
    properties = _properties(path)
    out = run_pandoc(["-f", "docx", "-t", "json", "--track-changes=all", "--sandbox"], stdin=data,
                     what=f"the Word file {path.name}")
    walker = _Walker((properties.get(OURS_AUTHOR, ""), properties.get(OURS_DATE, "")))
    doc = json.loads(out)
    walker.blocks(doc.get("blocks", []))
    walker.finish()
    return WordFile("".join(walker.parts), walker.marks, properties)


def _properties(path: Path) -> dict[str, str]:
    """The file's custom properties (docProps/custom.xml): name -> text."""
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/custom.xml")
            if info.file_size > MAX_PROPERTIES_BYTES:
                return {}
            xml = z.read(info)
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # no entity expansion from a file someone sent
        return {}
    try:
        tree = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return {}
    return {p.get("name", ""): _clean("".join(p.itertext()).strip()) for p in tree if p.get("name")}


class _Walker:
    """The AST in reading order, into one text with the marks' offsets; footnotes after the body."""

    def __init__(self, ours: tuple[str, str]) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.marks: list[Mark] = []
        self.open: dict[str, tuple[int, str, str, str]] = {}  # comment id -> start, words, author, date
        self.notes: list[list[Any]] = []
        self.ours = ours if all(ours) else None

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def finish(self) -> None:
        while self.notes:
            notes, self.notes = self.notes, []
            for blocks in notes:
                self.blocks(blocks)
        for start, words, author, date in self.open.values():  # a comment whose end was lost covers nothing
            self.mark("comment", start, start, words, author, date)
        self.marks.sort(key=lambda m: (m.start, m.end))

    def mark(self, kind: str, start: int, end: int, text: str, author: str, date: str) -> None:
        # What a file someone sent says is printed to a terminal and written into the chapter: no control
        # characters (a terminal escape, a NUL) and no bidirectional overrides.
        self.marks.append(Mark(kind, start, end, _clean(text), _clean(author), _clean(date)))

    def blocks(self, blocks: list[Any]) -> None:
        for block in blocks:
            self.block(block)

    def block(self, b: Any) -> None:
        t, c = b.get("t"), b.get("c")
        if t in ("Para", "Plain", "Header"):
            self.inlines(c[2] if t == "Header" else c)
            self.emit("\n\n")
        elif t == "LineBlock":
            for line in c:
                self.inlines(line)
                self.emit("\n")
            self.emit("\n")
        elif t == "CodeBlock":
            self.emit(c[1] + "\n\n")
        elif t == "DefinitionList":
            for term, definitions in c:
                self.inlines(term)
                self.emit("\n\n")
                for d in definitions:
                    self.blocks(d)
        elif t == "Table":
            self.table(c)
        else:
            for blocks in _children(t, c):
                self.blocks(blocks)

    def table(self, c: list[Any]) -> None:
        _, caption, _, head, bodies, foot = c
        rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3])), *foot[1]]
        for row in rows:
            for cell in row[1]:
                self.blocks(cell[4])
        self.blocks(caption[1])

    def inlines(self, inlines: list[Any]) -> None:
        for i in inlines:
            self.inline(i)

    def inline(self, i: Any) -> None:
        t, c = i.get("t"), i.get("c")
        if t == "Str":
            self.emit(c)
        elif t in ("Space", "SoftBreak"):
            self.emit(" ")
        elif t == "LineBreak":
            self.emit("\n")
        elif t in ("Code", "Math", "RawInline"):
            self.emit(c[1] if t != "RawInline" else "")
        elif t == "Note":
            self.notes.append(c)
        elif t == "Span":
            self.span(c[0], c[1])
        elif t in ("Quoted", "Cite", "Link", "Image"):
            quote = ("“", "”") if t == "Quoted" and c[0].get("t") == "DoubleQuote" else ("‘", "’")
            self.emit(quote[0] if t == "Quoted" else "")
            self.inlines(c[1])
            self.emit(quote[1] if t == "Quoted" else "")
        elif isinstance(c, list):  # Emph, Strong, Underline, Strikeout, Superscript, Subscript, SmallCaps
            self.inlines(c)

    def span(self, attr: list[Any], content: list[Any]) -> None:
        ident, classes, pairs = attr
        kv = dict(pairs)
        author, date = kv.get("author", ""), kv.get("date", "")
        ours = self.ours is not None and (author, date) == self.ours
        if "insertion" in classes:
            if ours:  # nsp's own insertion is text the reviewer read
                self.inlines(content)
            else:
                self.mark("insert", self.pos, self.pos, _plain(content), author, date)
        elif "deletion" in classes:
            if not ours:
                start, first = self.pos, len(self.parts)
                self.inlines(content)
                self.mark("delete", start, self.pos, "".join(self.parts[first:]), author, date)
        elif "comment-start" in classes:
            self.open[kv.get("id", ident)] = (self.pos, _plain(content), author, date)
        elif "comment-end" in classes:
            opened = self.open.pop(kv.get("id", ident), None)
            if opened is not None:
                start, words, who, when = opened
                self.mark("comment", start, self.pos, words, who, when)
        elif "paragraph-insertion" not in classes and "paragraph-deletion" not in classes:
            self.inlines(content)


def _children(t: str, c: Any) -> list[list[Any]]:
    """The lists of blocks inside a container block (a quote, a list's items, a div, a figure)."""
    if t == "BlockQuote":
        return [c]
    if t == "BulletList":
        return list(c)
    if t == "OrderedList":
        return list(c[1])
    if t in ("Div", "Figure"):
        return [c[-1]]
    return []


UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def _clean(text: str) -> str:
    return UNSAFE.sub("", text)


def _plain(inlines: list[Any]) -> str:
    """Inlines as one line of text (a comment's words, an insertion)."""
    return re.sub(r"[ \t]+", " ", A.stringify(inlines)).strip(" ") if inlines else ""
