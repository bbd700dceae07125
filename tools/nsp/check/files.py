"""E0xx: files and syntax. These are found while loading; here they are documented."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nsp.check.context import Context
from nsp.diagnostics import Severity
from nsp.rules import Finding, declare, rule

E, W = Severity.ERROR, Severity.WARNING

declare("E001", "unreadable-file", E, """
    A file nsp needs cannot be read: it does not exist or permissions forbid it.

    Why: a paper cannot be built from a file nobody can open.
    Example: `papers/people.yaml` deleted by mistake.""")
declare("E002", "not-utf8", E, """
    A file is not UTF-8 text (the message names the first bad byte), or contains a NUL byte.

    Why: pandoc would silently read it as Latin-1 and print mojibake into the paper.
    Example: a chapter saved as "Western European (Windows-1252)" with a 'é' in it.""")
declare("E003", "yaml-syntax", E, """
    YAML that cannot be parsed, or that uses a tag such as `!!python/object`.

    Why: nothing in a broken file can be trusted; tags could make a loader run code.
    Example: `title: "Channels` with no closing quote.""")
declare("E004", "duplicate-key", E, """
    The same key twice in one YAML mapping.

    Why: YAML keeps only the last value, silently; the first is lost.
    Example: two `title:` lines in a chapter's front matter.""")
declare("E005", "file-too-large", E, """
    A chapter over the size limit (5 MiB).

    Why: a chapter is prose; a file this big is pasted data that would stall the build.
    Example: a 50 MB table export saved as `03-data.md`.""")
declare("E006", "unknown-key", W, """
    A key nsp does not know, with a did-you-mean where one is close.

    Why: a misspelt key is ignored, so the setting it meant has no effect.
    Example: `reviewer: [akhtar-ali-shah]` in theme.yaml (the key is `reviewers`).""")
declare("E007", "wrong-type", E, """
    A value of the wrong kind: a list where text is wanted, or a YAML 1.1 boolean or date where text was meant.

    Why: YAML reads `no`, `on` or `2020-04-30` as a boolean or a date, not the text written.
    Example: `title: no` (write `title: "no"`).""")
declare("E008", "missing-key", E, """
    A required key is absent: a chapter's `title` or `authors`, a theme's `title` or `chapters`.

    Why: without it the paper cannot name or order the document.
    Example: front matter with `authors:` but no `title:`.""")
declare("E010", "no-front-matter", E, """
    A chapter does not begin with a front-matter block between `---` lines.

    Why: nsp learns a chapter's title and authors from it.
    Example: a chapter that starts directly with `## Context`.""")
declare("E011", "unterminated-front-matter", E, """
    A chapter's front matter is opened with `---` but never closed.

    Why: the whole chapter would be read as YAML.
    Example: `---` and `title: …` with no second `---`.""")
declare("E014", "path-outside-repository", E, """
    A file the paper uses lies outside the repository: a chapter, page, bibliography or style
    listed with `..` or an absolute path, or a file that is a symbolic link to somewhere outside.

    Why: the build must read only the manuscript. A listed `../../home/x/notes.md` or a
    symbolic link would print a file from the build machine into the paper, and breaks on
    every other machine. The file is not read at all.
    Example: `chapters: [../../../x/secret.md]` in theme.yaml, or `references.bib` linked to `~/refs.bib`.""")
declare("E018", "approved-uncommitted", Severity.WARNING, """
    An approval given to text that is not committed to git (reported by `nsp review approve`).

    Why: `nsp diff` finds the approved text in git history; text in no commit cannot be
    compared with later edits, so the reviewer would have to read the whole chapter again.
    Example: approving terror_financing/01-channels.md with unsaved-to-git edits: commit it, then approve.""")


YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*:(\s|$)")


@rule("E012", "second-front-matter", E)
def no_second_front_matter(ctx: Context) -> Iterator[Finding]:
    """A `---` line inside a chapter followed by `key: value` lines, like a second front-matter block.

    Why: only the block at the top of the file is front matter; pandoc reads this one as a
    horizontal rule and a heading, so keys meant as data are printed in the paper.
    Example: a chapter pasted below another with its own `---` / `title:` block.
    """
    for doc in ctx.documents():
        lines = doc.body.split("\n")
        mask = ctx.code_mask(doc)
        for i, line in enumerate(lines[:-1]):
            if not mask[i] and line.rstrip() == "---" and YAML_KEY.match(lines[i + 1]):
                yield doc.path, doc.body_line + i, ("a second front-matter block starts here; move its keys into the one "
                                                    "at the top, or write *** for a horizontal rule")
