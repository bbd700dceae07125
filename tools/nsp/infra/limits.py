"""Limits nsp enforces itself, so that no chapter can hang or crash a check or a build.

Each limit is generous for real writing and far below where a tool gives out;
a paper's manifest may change any of them under `limits:`. The source scans
here are cheap (one pass over the text, no pandoc): they run before pandoc
sees a chapter, so a pathological one is refused in well under a second with
its file and line, instead of being parsed for minutes. Time and memory caps on
every child process (pandoc, typst) are the backstop for whatever the scans miss.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, fields
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True)
class Limits:
    # pandoc's reader backtracks on nested brackets: 8 nested pairs take 1 s, 10 take 11 s, 12 over a
    # minute; unclosed ones grow ×2 per bracket. Real text nests two or three ([@a, see [fig]]).
    bracket_depth: int = 6
    # Lists, quotes and divisions nested this deep: real writing stops at four or five. typst refuses 17
    # nested quotes (its show-rule depth) and about 35 nested lists; nsp's own reading of pandoc's output
    # fails past ~450 levels with a RecursionError, so at most MAX_NESTING may be configured.
    nesting_depth: int = 12
    # One paragraph (a run of non-blank lines): the longest in the manuscript is about 2,000 characters,
    # a big pipe table perhaps 50,000. typst lays a paragraph out as a whole: 4.8 MB took over 6 minutes.
    paragraph_chars: int = 100_000
    # Citations in one chapter: a heavily referenced chapter has a few hundred; typst formats each one,
    # and 100,000 took over 10 minutes and 5.6 GB.
    citations_per_chapter: int = 2_000
    # Pixels in one image, in millions: a 24-megapixel camera photo is 6000×4000. typst decodes the whole
    # bitmap (4 bytes a pixel), so a 74-byte PNG claiming 100000×100000 asks for 40 GB.
    image_megapixels: int = 50
    # Time for one pandoc or typst run: this many seconds, plus seconds_per_mb for each MB of its input.
    # A cold parse of the whole manuscript takes about 2 s, a cold typst compile about 15 s.
    seconds: int = 120
    seconds_per_mb: int = 60
    # Memory for one child: pandoc's heap, typst's address space.
    memory_mb: int = 4096

    def time_for(self, nbytes: int) -> float:
        """Seconds one child may run on an input of `nbytes` bytes."""
        return self.seconds + self.seconds_per_mb * nbytes / 1e6


MAX_NESTING = 100
LIMIT_NAMES = tuple(f.name for f in fields(Limits))


def limit_range(key: str) -> tuple[int, int | None]:
    """The lowest and highest value (None: no highest) a manifest may give the limit `key`."""
    return (0 if key == "seconds_per_mb" else 1), (MAX_NESTING if key == "nesting_depth" else None)


def check_values(values: dict[str, int]) -> list[tuple[str, str]]:
    """(key, problem) for each configured value out of range."""
    out = []
    for key, value in values.items():
        low, high = limit_range(key)
        if value < low:
            out.append((key, f"must be at least {low}"))
        elif high is not None and value > high:
            out.append((key, f"may be at most {high}: deeper nesting crashes the build"))
    return out


@dataclass(frozen=True)
class Problem:
    """A limit a text exceeds: the 0-based line in the text, the rule code, the message."""

    line: int
    code: str
    message: str


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
BRACKET = re.compile(r"\\.|[\[\]]")  # an escaped character, or a bracket
QUOTE_OR_ITEM = re.compile(r" {0,3}(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))[ \t]?")
LIST_ITEM = re.compile(r"( *)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
DIV_FENCE = re.compile(r" {0,3}:{3,}[ \t]*(\S)?")  # with something after the colons it opens, else closes
HTML_DIV, SPAN = re.compile(r"<(/?)div\b", re.I), re.compile(r"<(/?)span\b", re.I)
# A citation as pandoc reads one: @key, not part of a word or an e-mail address.
CITATION = re.compile(r"(?<![\w@.])@[A-Za-z0-9_{][\w:.#$%&\-+?<>~/}]*")


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(index, line) of the lines outside fenced code blocks."""
    out, fence = [], ""
    for i, line in enumerate(text.split("\n")):
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
        elif m:
            fence = m.group(1)
        else:
            out.append((i, line))
    return out


def scan(text: str, limits: Limits) -> list[Problem]:
    """Every limit the Markdown `text` exceeds (at most one finding per limit), found without pandoc."""
    prose = _prose_lines(text)
    found = [_brackets(prose, limits), _nesting(prose, limits), _paragraphs(text, limits),
             _citations(prose, limits)]
    return [p for p in found if p is not None]


def _brackets(prose: list[tuple[int, str]], limits: Limits) -> Problem | None:
    depth, last = 0, -1
    for i, line in prose:
        if not line.strip() or i != last + 1:  # a paragraph ends: brackets cannot pair across it
            depth = 0
        last = i
        for m in BRACKET.finditer(CODE_SPAN.sub("", line)):
            if m.group() == "[":
                depth += 1
                if depth > limits.bracket_depth:
                    return Problem(i, "S112", f"brackets nested or left open more than {limits.bracket_depth} "
                                              "deep in one paragraph (limits: bracket_depth); pandoc would take "
                                              "minutes on it: close or remove them, or write a literal one as \\[")
            elif m.group() == "]" and depth:
                depth -= 1
    return None


def _nesting(prose: list[tuple[int, str]], limits: Limits) -> Problem | None:
    """Containers open around each line: list items (by indentation), quotes and list markers on the line
    itself, fenced divs (`:::`), HTML `<div>`s, and `<span>`s open in the paragraph."""
    stack: list[int] = []  # columns of the list items open around the current line
    blank, divs, spans = False, 0, 0
    for i, line in prose:
        if not line.strip():
            blank, spans = True, 0
            continue
        fence = DIV_FENCE.match(line)
        if fence:
            divs = divs + 1 if fence.group(1) else max(0, divs - 1)
        divs, div_peak = _tags(HTML_DIV, line, divs)
        spans, span_peak = _tags(SPAN, line, spans)
        expanded = line.expandtabs(4)
        item = LIST_ITEM.match(expanded)
        indent = len(expanded) - len(expanded.lstrip(" "))
        if item or blank:
            while stack and stack[-1] >= indent:
                stack.pop()
        if item:
            stack.append(indent)
        blank = False
        # Quotes and list markers opened on the line itself: "> > - > text".
        inline, pos = 0, indent if item else 0
        while m := QUOTE_OR_ITEM.match(expanded, pos):
            inline, pos = inline + 1, m.end()
        depth = len(stack) + inline - (1 if item else 0) + div_peak + span_peak
        if depth > limits.nesting_depth:
            return Problem(i, "S111", f"lists, quotes and divisions nested more than {limits.nesting_depth} deep "
                                      "(limits: nesting_depth); flatten them: typst and nsp give out on deep nesting")
    return None


def _tags(tag: re.Pattern[str], line: str, depth: int) -> tuple[int, int]:
    """The depth of `tag` elements after `line`, and the deepest it reached on it."""
    peak = depth
    for m in tag.finditer(line):
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        peak = max(peak, depth)
    return depth, peak


def _paragraphs(text: str, limits: Limits) -> Problem | None:
    start, size = 0, 0
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            start, size = i + 1, 0
            continue
        size += len(line) + 1
        if size > limits.paragraph_chars:
            return Problem(
                start,
                "S113",
                f"a paragraph of over {limits.paragraph_chars:,} characters (limits: "
                "paragraph_chars); typst lays out a paragraph whole: split it with blank lines",
            )
    return None


def _citations(prose: list[tuple[int, str]], limits: Limits) -> Problem | None:
    count, first_over = 0, -1
    for i, line in prose:
        n = len(CITATION.findall(CODE_SPAN.sub("", line)))
        count += n
        if count > limits.citations_per_chapter and first_over < 0:
            first_over = i
    if first_over < 0:
        return None
    return Problem(first_over, "S114", f"{count:,} citations in one chapter, over the limit of "
                                       f"{limits.citations_per_chapter:,} (limits: citations_per_chapter), passed "
                                       "on this line; cite each source once per passage")


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from a PNG, GIF or JPEG header, without decoding the image; None if not found."""
    try:
        with path.open("rb") as f:
            head = f.read(32)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                w, h = struct.unpack(">II", head[16:24])
                return w, h
            if head[:6] in (b"GIF87a", b"GIF89a"):
                w, h = struct.unpack("<HH", head[6:10])
                return w, h
            if head.startswith(b"\xff\xd8"):
                return _jpeg_size(f)
    except OSError:
        return None
    return None


def _jpeg_size(stream: BinaryIO) -> tuple[int, int] | None:
    """Walk the JPEG's segments to the frame header (SOFn), which holds its size."""
    stream.seek(2)
    for _ in range(10_000):  # segments before the frame: a handful, however large each is
        marker = stream.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        kind = marker[1]
        if kind == 0xFF:  # padding
            stream.seek(-1, 1)
            continue
        length_bytes = stream.read(2)
        if len(length_bytes) < 2:
            return None
        length = struct.unpack(">H", length_bytes)[0]
        if 0xC0 <= kind <= 0xCF and kind not in (0xC4, 0xC8, 0xCC):
            data = stream.read(5)
            if len(data) < 5:
                return None
            h, w = struct.unpack(">HH", data[1:5])
            return w, h
        stream.seek(length - 2, 1)
    return None
