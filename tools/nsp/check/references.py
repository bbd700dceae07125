"""C204, C208: bibliography entries judged the way the paper prints them, from citeproc's reading of each
entry (load/csl.py): what the citation style needs for the entry's type, and one work under two keys."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.load.bib import BibEntry
from nsp.load.csl import is_csl

ONLINE = (("title",), ("URL",), ("issued", "accessed"))  # a date, or the day it was read
# What the style needs to print an entry a reader can find again, by CSL type: each group is a set of CSL
# variables one of which must be there ("author or editor"). Types not listed need a title.
# An article, a chapter and a conference paper all need the work they appeared in (journal, book, proceedings).
CONTAINED = (("title",), ("author", "editor"), ("container-title",), ("issued",))
NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "article-journal": CONTAINED, "article-magazine": CONTAINED, "article-newspaper": CONTAINED,
    "article": (("title",), ("author", "editor"), ("issued",)),
    "book": (("title",), ("author", "editor", "publisher"), ("issued",)),
    "report": (("title",), ("author", "publisher"), ("issued",)),
    "chapter": CONTAINED, "paper-conference": CONTAINED,
    "thesis": (("title",), ("author",), ("issued",)),
    "legislation": (("title",), ("issued",)),
    "webpage": ONLINE, "post-weblog": ONLINE,
}
NOT_WORKS = ("set", "xdata")  # biblatex entries that group or lend fields to others: nothing is printed of them
# biblatex types pandoc gives a CSL type that asks for more than they have: a whole issue of a journal
# (@periodical, an "article-journal") has editors at most, and no author.
BIBLATEX_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {"periodical": (("title",), ("issued",))}

# How a .bib writes each CSL variable, in BibTeX's name (biblatex's in parentheses), by CSL type where it varies.
BIB_NAMES: dict[str, str] = {
    "title": "title", "author": "author", "editor": "editor", "issued": "year (or date)", "URL": "url",
    "accessed": "urldate", "publisher": "publisher", "container-title": "journal (or journaltitle)",
}
BIB_NAMES_BY_TYPE: dict[tuple[str, str], str] = {
    ("chapter", "container-title"): "booktitle", ("paper-conference", "container-title"): "booktitle",
    ("report", "publisher"): "institution", ("thesis", "publisher"): "institution",
}


def incomplete_entries(ctx: Context) -> Iterator[Finding]:
    """C204: A bibliography entry lacks what the citation style needs to print it (title, author, date…)."""
    for entry in ctx.project.bibliography.entries.values():
        if not entry.csl or entry.entry_type in NOT_WORKS:
            continue  # pandoc could not read its file (C205), or nothing of it is printed
        kind = str(entry.csl.get("type", ""))
        needs = BIBLATEX_NEEDS.get(entry.entry_type) or NEEDS.get(kind, (("title",),))
        missing = [group for group in needs if not any(_present(entry.csl, v) for v in group)]
        if missing:
            if is_csl(entry.path):
                names = [" or ".join(group) for group in missing]
                yield entry.path, entry.line, f"{entry.key} ({kind or 'no type'}) lacks {', '.join(names)}"
            else:
                names = [" or ".join(BIB_NAMES_BY_TYPE.get((kind, v), BIB_NAMES.get(v, v)) for v in g) for g in missing]
                yield entry.path, entry.line, f"@{entry.entry_type}{{{entry.key}}} lacks {', '.join(names)}"


def _present(item: dict[str, object], variable: str) -> bool:
    value = item.get(variable)
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def same_works(ctx: Context) -> Iterator[Finding]:
    """C208: One work under two keys: the same DOI, or the same title, first author and year (and volume)."""
    seen: dict[str, BibEntry] = {}
    for entry in ctx.project.bibliography.entries.values():
        if not entry.csl or entry.entry_type in NOT_WORKS:
            continue
        for mark, why in _identities(entry):
            first = seen.setdefault(mark, entry)
            if first is not entry:
                yield entry.path, entry.line, (f"{entry.key} is the same work as {first.key} "
                                               f"({first.path}:{first.line}): {why}; cite one key and remove the other")
                break


def _identities(entry: BibEntry) -> list[tuple[str, str]]:
    """What makes two entries one work: the DOI; the normalised title with the first author's name and the year."""
    item = entry.csl
    marks = []
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", str(item.get("DOI", "")).strip().lower())
    if doi:
        marks.append((f"doi {doi}", f"the same DOI {doi}"))
    title, year = _words(str(item.get("title", ""))), _year(item.get("issued"))
    if title and year:  # the volume too: the volumes of one work share its title
        marks.append((f"work {title}|{_first_name(item)}|{year}|{item.get('volume', '')}",
                      "the same title, first author and year"))
    return marks


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _year(issued: object) -> str:
    found = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", json.dumps(issued, default=str)) if issued else None
    return found.group(1) if found else ""


def _first_name(item: dict[str, object]) -> str:
    for variable in ("author", "editor"):
        names = item.get(variable)
        if isinstance(names, list) and names and isinstance(names[0], dict):
            return _words(str(names[0].get("family") or names[0].get("literal") or ""))
    return ""
