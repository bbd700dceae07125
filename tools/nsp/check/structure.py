"""S1xx: structure — chapters where the theme says, with the sections it requires."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nsp.check.context import Context
from nsp.diagnostics import Severity
from nsp.rules import Finding, declare, rule

E, W = Severity.ERROR, Severity.WARNING

declare("S101", "chapter-missing", E, """
    A chapter listed in theme.yaml (or a page listed in the manifest) does not exist.

    Why: the paper would silently lack a chapter its readers are told about.
    Example: `chapters: [03-borders.md]` but the file is called `03-border.md`.""")
declare("S103", "theme-without-folder", E, """
    A theme named in the manifest has no folder.

    Why: the part cannot be built; usually a typo in the manifest.
    Example: `themes: [cyber-crime]` when the folder is `cyber_crime/`.""")

MARKER = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b")
CODE_SPAN = re.compile(r"(`+).+?\1")


@rule("S102", "orphan-chapter", W)
def orphan_chapters(ctx: Context) -> Iterator[Finding]:
    """A Markdown file in a theme folder that the theme's `chapters:` list does not name.

    Why: it will not appear in the paper, which is rarely what its author expects.
    Example: `04-new.md` written but not added to theme.yaml.
    """
    root = ctx.project.root
    for theme in ctx.project.themes:
        listed = set(theme.chapters)
        for path in sorted((root / theme.id).glob("*.md")):
            rel = path.relative_to(root).as_posix()
            if rel not in listed and path.name.lower() != "readme.md":
                yield rel, 0, f"chapter is not listed in {theme.path}; add it to chapters: or move it out of the theme folder"


def _norm(title: str) -> str:
    return " ".join(title.lower().split())


@rule("S104", "required-section-missing", E)
def required_sections_present(ctx: Context) -> Iterator[Finding]:
    """A section the theme requires (`required_sections:`) is not a top-level heading of the chapter.

    Why: every chapter of a theme is read against the same outline: context, gaps, recommendations…
    Example: a chapter with `## Context` and `## Gaps` but no `## Recommendations`.
    """
    themes = {t.id: t for t in ctx.project.themes}
    for doc in ctx.chapters():
        have = {_norm(title) for title, _, _ in ctx.sections(doc)}
        for required in themes[doc.theme].required_sections if doc.theme in themes else ():
            if _norm(required) not in have:
                yield doc.path, doc.key_lines.get("title", 0), f"required section '{required}' is missing; add a '## {required}' heading"


@rule("S105", "required-section-empty", W)
def required_sections_filled(ctx: Context) -> Iterator[Finding]:
    """A required section has a heading but nothing under it.

    Why: an empty section reads as finished in the outline but says nothing.
    Example: `## Action plan` followed directly by the end of the file.
    """
    themes = {t.id: t for t in ctx.project.themes}
    for doc in ctx.chapters():
        required = {_norm(s) for s in (themes[doc.theme].required_sections if doc.theme in themes else ())}
        for title, filled, line in ctx.sections(doc):
            if _norm(title) in required and not filled:
                yield doc.path, line, f"section '{title}' is empty; write it, or mark what is missing with TODO"


@rule("S106", "todo-marker", W)
def todo_markers(ctx: Context) -> Iterator[Finding]:
    """A TODO, TBD, FIXME or XXX marker in a chapter.

    Why: markers are notes to the authors; none may reach a published paper.
    Example: `TODO: add the 2019 seizure figures.`
    """
    for doc in ctx.documents():
        for line, m in ctx.find_regex(doc, MARKER):
            if not _in_code_span(doc.body.split("\n")[line - doc.body_line], m.start()):
                yield doc.path, line, f"{m.group(1)} marker: resolve it before the chapter is approved"


def _in_code_span(line: str, pos: int) -> bool:
    return any(m.start() <= pos < m.end() for m in CODE_SPAN.finditer(line))


@rule("S107", "word-count", W)
def word_limits(ctx: Context) -> Iterator[Finding]:
    """A chapter's length is outside the theme's `min_words`/`max_words`.

    Why: the paper is read by busy people; the secretariat sets a budget per chapter.
    Example: a 9,000-word chapter where the theme allows 5,000.
    """
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


@rule("S108", "heading-level-skipped", W)
def heading_levels(ctx: Context) -> Iterator[Finding]:
    """A heading more than one level below the one before it.

    Why: the numbering and the contents would show a section with no parent.
    Example: `## Gaps` followed by `#### Borders` with no `###` between.
    """
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


@rule("S109", "duplicate-chapter-title", E)
def unique_titles(ctx: Context) -> Iterator[Finding]:
    """Two chapters with the same title.

    Why: the contents and every cross-reference would be ambiguous.
    Example: two chapters titled "Context and Gaps" in different themes.
    """
    seen: dict[str, str] = {}
    for doc in ctx.project.all_chapters():
        key = _norm(doc.title)
        if key in seen and doc.path in ctx.indexes:
            yield doc.path, doc.key_lines.get("title", 0), f"title '{doc.title}' is also the title of {seen[key]}"
        seen.setdefault(key, doc.path)




DIV_OPEN = re.compile(r"^ {0,3}(:{3,})\s*[^:\s]")
DIV_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")


@rule("S110", "unclosed-div", E)
def closed_divs(ctx: Context) -> Iterator[Finding]:
    """A fenced div (`::: note`) that is never closed with a `:::` line.

    Why: pandoc closes it silently at the end of the file, so everything after it
    becomes part of the box, a layout the author never saw coming.
    Example: `::: warning` with no `:::` after the warned-of paragraph.
    """
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
