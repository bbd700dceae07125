"""What every check sees: the project, the parsed ASTs, and positions in the source.

pandoc's Markdown reader gives no source positions, so lines are found in the
text: headings pair up in order with the source's heading lines, and other
constructs are found by searching for their text outside code blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from nsp.infra.pandoc import Index
from nsp.infra.resources import contained
from nsp.model import Document, Project

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

Finding = tuple[str, int, str]  # path, line, message: a check finds these; the catalogue adds code and severity


@dataclass(frozen=True)
class SourceHeading:
    line: int  # file line
    level: int
    text: str


@dataclass
class Context:
    project: Project
    indexes: dict[str, Index]  # by document path: the documents being checked
    whole_paper: bool = True  # False when only some chapters are checked: skip paper-wide rules
    _cache: dict[tuple[str, str], object] = field(default_factory=dict)

    def documents(self) -> list[Document]:
        """The documents being checked that pandoc read (one over a limit has only its limit findings)."""
        return [self.project.documents[p] for p, ix in self.indexes.items()
                if p in self.project.documents and not ix.problems]

    def chapters(self) -> list[Document]:
        return [d for d in self.documents() if d.theme is not None]

    def code_mask(self, doc: Document) -> list[bool]:
        """True for body lines inside fenced code blocks, where nothing is Markdown."""
        key = (doc.path, "mask")
        if key not in self._cache:
            mask, fence = [], ""
            for line in doc.body.split("\n"):
                m = FENCE.match(line)
                if fence:
                    mask.append(True)
                    if (
                        m
                        and m.group(1)[0] == fence[0]
                        and len(m.group(1)) >= len(fence)
                        and not line.strip()[len(m.group(1)) :].strip()
                    ):
                        fence = ""
                elif m:
                    mask.append(True)
                    fence = m.group(1)
                else:
                    mask.append(False)
            self._cache[key] = mask
        return self._cache[key]  # type: ignore[return-value]

    def source_headings(self, doc: Document) -> list[SourceHeading]:
        key = (doc.path, "headings")
        if key not in self._cache:
            lines = doc.body.split("\n")
            mask = self.code_mask(doc)
            found = []
            for i, line in enumerate(lines):
                if mask[i]:
                    continue
                m = ATX.match(line)
                if m:
                    text = line[m.end():].rstrip().rstrip("#").strip()
                    found.append(SourceHeading(doc.body_line + i, len(m.group(1)), text))
                elif (i > 0 and re.fullmatch(r" {0,3}(=+|-+)\s*", line) and lines[i - 1].strip()
                      and not mask[i - 1] and not ATX.match(lines[i - 1])
                      and not re.match(r"\s*([-*+]|\d+[.)]|\||:|>)", lines[i - 1])):
                    found.append(SourceHeading(doc.body_line + i - 1, 1 if line.strip()[0] == "=" else 2,
                                               lines[i - 1].strip()))
            self._cache[key] = found
        return self._cache[key]  # type: ignore[return-value]

    def headings(self, doc: Document) -> list[tuple[int, str, int]]:
        """Each heading pandoc found, as (level, text, source line); line 0 where the source disagrees."""
        parsed = self.indexes[doc.path].headers
        src = self.source_headings(doc)
        if len(src) == len(parsed):
            return [(level, text, s.line) for (level, text), s in zip(parsed, src)]
        return [(level, text, self.find_line(doc, text)) for level, text in parsed]

    def sections(self, doc: Document) -> list[tuple[str, bool, int]]:
        """Top-level sections as (title, has content, line)."""
        heads = self.headings(doc)
        if not heads:
            return []
        top = min(level for level, _, _ in heads)
        lines = [line for level, _, line in heads if level == top]
        ix = self.indexes[doc.path]
        return [(title, filled, line) for (title, filled), line in zip(ix.sections, lines)]

    def all_markdown(self) -> list[str]:
        """Every Markdown file of the repository outside nsp's own folders, as text: what "used nowhere"
        means for an entry shared by all papers (a bibliography entry, an abbreviation)."""
        key = ("all_markdown", "")
        if key not in self._cache:
            root, out = self.project.root, []
            for path in sorted(root.glob("*/**/*.md")):
                if path.parts[len(root.parts)] in ("build", "tests", "tools", ".venv", "templates", "bench"):
                    continue
                if contained(root, path.relative_to(root).as_posix())[0] is None:
                    continue  # a symbolic link out of the repository is read by nothing (E014 where it is used)
                try:
                    out.append(path.read_text("utf-8", errors="replace"))
                except OSError:
                    continue
            self._cache[key] = out
        found = self._cache[key]
        assert isinstance(found, list)
        return found

    def find_line(self, doc: Document, needle: str, *, in_code: bool = False) -> int:
        """File line of the first body line containing `needle` (outside code blocks unless `in_code`); 0 if none."""
        if not needle:
            return 0
        mask = self.code_mask(doc)
        for i, line in enumerate(doc.body.split("\n")):
            if (in_code or not mask[i]) and needle in line:
                return doc.body_line + i
        return 0

    def find_regex(self, doc: Document, pattern: re.Pattern[str]) -> list[tuple[int, re.Match[str]]]:
        mask = self.code_mask(doc)
        return [(doc.body_line + i, m) for i, line in enumerate(doc.body.split("\n")) if not mask[i]
                for m in pattern.finditer(line)]




CheckFn = Callable[[Context], Iterator[Finding]]
