"""C2xx: citations that resolve, and a bibliography without dead weight."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.crossref import is_crossref
from nsp.load.bib import BibEntry
from nsp.load.csl import is_csl, printed_references
from nsp.load.schema import did_you_mean


def _key_pattern(key: str) -> re.Pattern[str]:
    return re.compile(r"@\{?" + re.escape(key) + r"(?![\w:.#$%&+?<>~/-]*\w)")


def unknown_citations(ctx: Context) -> Iterator[Finding]:
    """C201: A citation key that is in no bibliography."""
    known = set(ctx.project.bibliography.entries)
    for doc in ctx.documents():
        for key in dict.fromkeys(ctx.indexes[doc.path].cites):
            if key not in known and not is_crossref(key, known):  # @fig-… and the like: X604's
                lines = ctx.find_regex(doc, _key_pattern(key))
                yield (
                    doc.path,
                    lines[0][0] if lines else 0,
                    f"citation '{key}' is not in any bibliography{did_you_mean(key, known)}",
                )


def unused_entries(ctx: Context) -> Iterator[Finding]:
    """C202: A bibliography entry that no Markdown file in the repository cites."""
    bib = ctx.project.bibliography
    if not bib.entries:
        return
    text = "\n".join(ctx.all_markdown())
    mentioned = set(re.findall(r"@\{?([\w][\w:.#$%&+?<>~/-]*)", text))
    mentioned |= {k.rstrip(".:;,?!-") for k in mentioned}
    for entry in bib.entries.values():
        if entry.key not in mentioned:
            yield entry.path, entry.line, f"entry '{entry.key}' is cited nowhere; cite it or remove it"


US_PUBLIC_LAW = re.compile(r"^\s*\d+\s*[-–]\s*\d+\s*$")  # "107-56": what the style prints as "Pub. L. No. 107-56"


def foreign_legislation(ctx: Context) -> Iterator[Finding]:
    """C206: A `@legislation` entry that the paper's citation style prints as a US public law."""
    acts = [e for e in _bibtex_entries(ctx) if e.entry_type == "legislation" and e.csl
            and e.fields.get("number") and not US_PUBLIC_LAW.match(e.fields["number"])]
    if not acts:
        return
    # Judged by printing them: nsp's Chicago style prints another country's number as written, pandoc's own
    # (and many others) as "Pub. L. No.".
    printed = printed_references(ctx.project.root, ctx.project.paper.csl, [e.csl for e in acts])
    lines = _FieldLines(ctx)
    style = ctx.project.paper.csl or "pandoc's default style"
    for entry in acts:
        text = printed.get(entry.key, "")
        if "Pub. L." in text:
            yield entry.path, lines.of(entry, "number"), (
                f"@legislation{{{entry.key}}} prints as '{text}' in {style}, a US public law; use "
                "templates/csl/chicago-author-date.csl (it prints the number as written), or write the act as "
                "@misc with its number in `number` and the government as `publisher`")


NAME_LISTS = ("author", "editor", "translator")  # split at "and" into persons
LITERAL_LISTS = ("institution", "publisher", "organization")  # split at "and" into several bodies
CORPORATE_WORD = re.compile(r"\b(of|for|on|the|against|and)\b")


def corporate_names(ctx: Context) -> Iterator[Finding]:
    """C207: An organization's name that the bibliography splits at "and" or reads as a person's name."""
    lines = _FieldLines(ctx)
    for entry in _bibtex_entries(ctx):
        for name, value in entry.fields.items():
            parts = _split_and(value)
            if name in NAME_LISTS:
                split = any("," not in p and len(p.split()) >= 3 and CORPORATE_WORD.search(p)
                            and not (p.startswith("{") and p.endswith("}")) for p in parts)
            elif name in LITERAL_LISTS:
                split = len(parts) > 1 and any("," in p for p in parts)
            else:
                continue
            if split:
                yield entry.path, lines.of(entry, name), (
                    f"{name} of {entry.key} would be split at 'and' into {' / '.join(repr(p) for p in parts)}; "
                    f"an organization's name goes in double braces: {name} = {{{{{value}}}}}")


def _bibtex_entries(ctx: Context) -> list[BibEntry]:
    """The entries written in BibTeX: C206 and C207 are about how its fields are split and printed (a CSL file
    names its authors one by one, and its types are citeproc's own)."""
    return [e for e in ctx.project.bibliography.entries.values() if not is_csl(e.path)]


def _split_and(value: str) -> list[str]:
    """The parts a BibTeX list field falls into: split at " and " outside braces; braced text stays whole."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(value):
        c = value[i]
        depth += (c == "{") - (c == "}")
        if depth == 0 and value[i:i + 5].lower() == " and ":
            parts.append(value[start:i])
            start = i = i + 5
            continue
        i += 1
    parts.append(value[start:])
    return [p.strip() for p in parts]


class _FieldLines:
    """The line of a field inside a .bib entry (entries know only where they start)."""

    def __init__(self, ctx: Context) -> None:
        self.root = ctx.project.root
        self.texts: dict[str, list[str]] = {}

    def of(self, entry: object, name: str) -> int:
        path: str = getattr(entry, "path")
        start: int = getattr(entry, "line")
        if path not in self.texts:
            try:
                self.texts[path] = (self.root / path).read_text("utf-8", errors="replace").splitlines()
            except OSError:
                self.texts[path] = []
        field_start = re.compile(rf"^\s*{re.escape(name)}\s*=", re.I)
        for n, line in enumerate(self.texts[path][start - 1:], start=start):
            if field_start.match(line):
                return n
            if n > start and line.lstrip().startswith("@"):
                break
        return start
