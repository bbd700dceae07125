"""S1xx: structure — chapters where the theme says, with the sections it requires."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nsp.check.context import Context, Finding

MARKER = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b")
CODE_SPAN = re.compile(r"(`+).+?\1")


def orphan_chapters(ctx: Context) -> Iterator[Finding]:
    """S102: A Markdown file in a theme folder that the theme's `chapters:` list does not name."""
    root = ctx.project.root
    for theme in ctx.project.themes:
        listed = set(theme.chapters)
        for path in sorted((root / theme.id).glob("*.md")):
            rel = path.relative_to(root).as_posix()
            if rel not in listed and path.name.lower() != "readme.md":
                yield (
                    rel,
                    0,
                    f"chapter is not listed in {theme.path}; add it to chapters: or move it out of the theme folder",
                )


def _norm(title: str) -> str:
    return " ".join(title.lower().split())


def required_sections_present(ctx: Context) -> Iterator[Finding]:
    """S104: A section the theme requires (`required_sections:`) is not a top-level heading of the chapter."""
    themes = {t.id: t for t in ctx.project.themes}
    for doc in ctx.chapters():
        have = {_norm(title) for title, _, _ in ctx.sections(doc)}
        for required in themes[doc.theme].required_sections if doc.theme in themes else ():
            if _norm(required) not in have:
                yield (
                    doc.path,
                    doc.key_lines.get("title", 0),
                    f"required section '{required}' is missing; add a '## {required}' heading",
                )


def required_sections_filled(ctx: Context) -> Iterator[Finding]:
    """S105: A required section has a heading but nothing under it."""
    themes = {t.id: t for t in ctx.project.themes}
    for doc in ctx.chapters():
        required = {_norm(s) for s in (themes[doc.theme].required_sections if doc.theme in themes else ())}
        for title, filled, line in ctx.sections(doc):
            if _norm(title) in required and not filled:
                yield doc.path, line, f"section '{title}' is empty; write it, or mark what is missing with TODO"


def todo_markers(ctx: Context) -> Iterator[Finding]:
    """S106: A TODO, TBD, FIXME or XXX marker in a chapter."""
    for doc in ctx.documents():
        for line, m in ctx.find_regex(doc, MARKER):
            if not _in_code_span(doc.body.split("\n")[line - doc.body_line], m.start()):
                yield doc.path, line, f"{m.group(1)} marker: resolve it before the chapter is approved"


def _in_code_span(line: str, pos: int) -> bool:
    return any(m.start() <= pos < m.end() for m in CODE_SPAN.finditer(line))


def word_limits(ctx: Context) -> Iterator[Finding]:
    """S107: A chapter's length is outside the theme's `min_words`/`max_words`."""
    themes = {t.id: t for t in ctx.project.themes}
    for doc in ctx.chapters():
        theme = themes.get(doc.theme or "")
        if theme is None or not (theme.min_words or theme.max_words):  # no budget set
            continue
        words = ctx.indexes[doc.path].words
        if theme.min_words and words < theme.min_words:
            yield doc.path, 0, f"{words} words, fewer than the theme's minimum of {theme.min_words}"
        if theme.max_words and words > theme.max_words:
            yield doc.path, 0, f"{words} words, more than the theme's maximum of {theme.max_words}"


def heading_levels(ctx: Context) -> Iterator[Finding]:
    """S108: A heading more than one level below the one before it."""
    for doc in ctx.documents():
        headings = ctx.headings(doc)
        if not headings:
            continue
        previous = min(level for level, _, _ in headings) - 1
        for level, text, line in headings:
            if level > previous + 1:
                yield doc.path, line, (f"heading '{text}' is level {level} after level {previous}; "
                                       f"use {'#' * (previous + 1)}")
            previous = level


def unique_titles(ctx: Context) -> Iterator[Finding]:
    """S109: Two chapters with the same title."""
    seen: dict[str, str] = {}
    for doc in ctx.project.all_chapters():
        key = _norm(doc.title)
        if key in seen and doc.path in ctx.indexes:
            yield doc.path, doc.key_lines.get("title", 0), f"title '{doc.title}' is also the title of {seen[key]}"
        seen.setdefault(key, doc.path)




DIV_OPEN = re.compile(r"^ {0,3}(:{3,})\s*[^:\s]")
DIV_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")


def closed_divs(ctx: Context) -> Iterator[Finding]:
    """S110: A fenced div (`::: note`) that is never closed with a `:::` line."""
    for doc in ctx.documents():
        mask = ctx.code_mask(doc)
        open_lines: list[int] = []
        for i, text in enumerate(doc.body.split("\n")):
            if mask[i]:
                continue
            if DIV_CLOSE.match(text):
                if open_lines:
                    open_lines.pop()
            elif DIV_OPEN.match(text):
                open_lines.append(doc.body_line + i)
        for line in open_lines:
            yield doc.path, line, "this ::: block is never closed; add a line with ::: where it should end"
