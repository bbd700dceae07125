"""`nsp review import`: a reviewer's Word file back into the chapter.

The Word file's text is aligned with the chapter's Markdown word by word (punctuation too), so each
comment and tracked change finds its place in the source even though Word shows citations formatted
and no markup. A change is placed only where the alignment is exact: next to a word both texts share,
or separated from one by the same characters. What cannot be placed is never dropped: it becomes a
comment saying what the reviewer proposed, for the authors to carry over by hand.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from nsp.diagnostics import NspError
from nsp.infra.atomic import write_atomic
from nsp.infra.resources import contained
from nsp.load.project import load_people, load_theme
from nsp.load.schema import did_you_mean
from nsp.review.log import record_review
from nsp.review.records import CHANGES, Comment, Review
from nsp.review.state import load_reviews, short_revision
from nsp.review.wordfile import CHAPTER_PROPERTY, TEXT_PROPERTY, Mark, WordFile, read_word_file

TOKEN = re.compile(r"\w+|[^\w\s]")
MAX_GAP = 120  # characters between a change and the word it is placed by; further is a guess, not a placement
QUOTE_CHARS = 200


@dataclass(frozen=True)
class Edit:
    start: int  # offsets in the chapter's source
    end: int
    text: str  # what replaces source[start:end]
    order: int  # position in the Word file, so edits at one place keep the reviewer's order


@dataclass(frozen=True)
class Imported:
    chapter: str
    source: str  # the chapter's text the marks were placed on
    patched: str  # the chapter with every placed change applied
    comments: tuple[Comment, ...]  # the reviewer's comments, then the changes that could not be placed
    placed: int  # tracked changes placed in the patch
    unplaced: int
    made_from: str  # sha256 of the chapter text the Word file was made from ("" when it does not say)
    older: bool = False  # the chapter has changed since the Word file was made from it

    @property
    def changed(self) -> bool:
        return self.patched != self.source

    def patch(self) -> str:
        """A unified diff of the chapter (git apply and patch -p1 take it)."""
        lines = difflib.unified_diff(self.source.splitlines(keepends=True), self.patched.splitlines(keepends=True),
                                     f"a/{self.chapter}", f"b/{self.chapter}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def chapter_of(word: WordFile, given: str | None) -> str:
    """The chapter the Word file is about: its own property, or --chapter; both must agree."""
    named = word.properties.get(CHAPTER_PROPERTY, "")
    if given and named and given != named:
        raise NspError(f"the Word file was made from {named}, not {given}: drop --chapter, or give the right file")
    if not (given or named):
        raise NspError("the Word file does not say which chapter it shows (nsp did not make it): "
                       "name the chapter with --chapter THEME/FILE.md")
    return given or named


def import_word(root: Path, path: Path, chapter: str | None) -> Imported:
    word = read_word_file(path)
    rel = chapter_of(word, chapter)
    raw = _chapter_bytes(root, rel)
    imported = place(rel, raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n"), word)
    return replace(imported, older=bool(imported.made_from) and imported.made_from != sha256_text(raw))


def _chapter_bytes(root: Path, rel: str) -> bytes:
    """The chapter a Word file names, read only if a theme lists it: a file someone sent names any path it likes."""
    full, _ = contained(root, rel)
    theme, _ = load_theme(root, rel.split("/", 1)[0]) if full is not None and "/" in rel else (None, [])
    if full is None or theme is None or rel not in theme.chapters or not full.is_file():
        raise NspError(f"{rel} is not a chapter of any theme in this repository (a theme.yaml lists its chapters); "
                       "name the chapter with --chapter THEME/FILE.md")
    return full.read_bytes()


def place(chapter: str, source: str, word: WordFile) -> Imported:
    """Every mark of `word` on `source`: comments anchored to a line, changes as edits of the Markdown."""
    aligned = _Alignment(word.text, source)
    comments: list[Comment] = []
    edits: list[Edit] = []
    lost: list[Comment] = []
    for order, mark in enumerate(word.marks):
        if mark.kind == "comment":
            at = aligned.nearest(mark.start)
            comments.append(Comment(_line(source, at) if at is not None else 0, _quote(word.text[mark.start:mark.end]),
                                    mark.text, mark.author, mark.date))
            continue
        edit = aligned.edit(mark, order)
        if edit is None:
            lost.append(_unplaced(mark, word.text, source, aligned))
        else:
            edits.append(edit)
    patched = _apply(source, edits)
    return Imported(chapter, source, patched, tuple(comments + lost), len(edits), len(lost),
                    word.properties.get(TEXT_PROPERTY, ""))


def sha256_text(source: bytes) -> str:
    return "sha256:" + hashlib.sha256(source).hexdigest()


class _Alignment:
    """Which characters of the Word text are which of the source: shared words and punctuation, matched in order."""

    def __init__(self, word_text: str, source: str) -> None:
        self.word_text, self.source = word_text, source
        a = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(word_text)]
        b = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(source)]
        matcher = difflib.SequenceMatcher(None, [t for t, _, _ in a], [t for t, _, _ in b], autojunk=False)
        self.starts: dict[int, int] = {}  # Word text offset of a matched token's start -> source offset
        self.ends: dict[int, int] = {}
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                _, ws, we = a[block.a + k]
                _, ss, se = b[block.b + k]
                self.starts[ws], self.ends[we] = ss, se
        self.sorted_starts, self.sorted_ends = sorted(self.starts), sorted(self.ends)

    def at(self, p: int, *, prefer_end: bool) -> int | None:
        """The source offset of Word text offset `p`, when the alignment pins it exactly."""
        direct = (self.ends.get(p), self.starts.get(p)) if prefer_end else (self.starts.get(p), self.ends.get(p))
        for found in direct:
            if found is not None:
                return found
        k = bisect.bisect_right(self.sorted_ends, p) - 1
        if k >= 0:
            e = self.sorted_ends[k]
            after = _same(self.source, self.ends[e], self.word_text[e:p], forward=True)
            if after is not None:
                return after
        k = bisect.bisect_left(self.sorted_starts, p)
        if k < len(self.sorted_starts):
            s = self.sorted_starts[k]
            return _same(self.source, self.starts[s], self.word_text[p:s], forward=False)
        return None

    def nearest(self, p: int) -> int | None:
        """The source offset of `p` or of the nearest shared word after it (else before): a comment's line."""
        exact = self.at(p, prefer_end=False)
        if exact is not None:
            return exact
        k = bisect.bisect_left(self.sorted_starts, p)
        if k < len(self.sorted_starts):
            return self.starts[self.sorted_starts[k]]
        return self.ends[self.sorted_ends[-1]] if self.sorted_ends else None

    def edit(self, mark: Mark, order: int) -> Edit | None:
        start = self.at(mark.start, prefer_end=False)
        if mark.kind == "insert":
            return None if start is None else Edit(start, start, _spaced(self.source, start, mark.text), order)
        end = self.at(mark.end, prefer_end=True)
        if start is None or end is None or end <= start:
            return None
        removed = self.source[start:end]
        # The source span must be the deleted text with its markup, not a stretch the alignment skipped.
        if len(removed) > 3 * len(mark.text) + 40 or ("\n\n" in removed) != ("\n\n" in mark.text):
            return None
        return Edit(start, end, "", order)


def _same(source: str, at: int, gap: str, *, forward: bool) -> int | None:
    """Where `gap` ends (forward) or starts (backward) in `source` from `at`, if the source spells it there
    (runs of white space match runs of white space); None otherwise."""
    if len(gap) > MAX_GAP:
        return None
    pattern = r"\s+".join(re.escape(part) for part in re.split(r"\s+", gap))
    if not forward:
        m = re.search(f"(?:{pattern})$", source[max(0, at - 2 * MAX_GAP):at]) if gap else None
        return at - len(m.group()) if m else (at if not gap else None)
    m = re.compile(pattern).match(source, at) if gap else None
    return m.end() if m else (at if not gap else None)


def _spaced(source: str, at: int, text: str) -> str:
    """An insertion with the spaces pandoc drops at its edges: one between words, none before punctuation,
    none inside a number (a digit typed before "0" makes "40")."""
    text = text.strip()
    before, after = source[at - 1:at], source[at:at + 1]
    if before and not before.isspace() and before not in "([{“‘" and text[:1].isalnum() \
            and not (before.isdigit() and text[:1].isdigit()):
        text = " " + text
    if after and (after.isalnum() or after in "[@") and not (after.isdigit() and text[-1:].isdigit()):
        text = text + " "
    return text


def _apply(source: str, edits: list[Edit]) -> str:
    """`source` with the edits made, last first; an edit overlapping one already made is left out."""
    out, limit = source, len(source) + 1
    for e in sorted(edits, key=lambda e: (e.start, e.end, e.order), reverse=True):
        if e.end > limit:
            continue
        out = out[:e.start] + e.text + out[e.end:]
        # A deleted word leaves no doubled space behind, nor a space before the punctuation that followed it.
        if not e.text and out[e.start - 1:e.start] == " " and out[e.start:e.start + 1] in (" ", ".", ",", ";", ":"):
            out = out[:e.start - 1] + out[e.start:]
        limit = e.start
    return out


def _line(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def _quote(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= QUOTE_CHARS else words[:QUOTE_CHARS - 1] + "…"


def _unplaced(mark: Mark, word_text: str, source: str, aligned: _Alignment) -> Comment:
    """A change the alignment cannot pin, kept as a comment saying exactly what was proposed where."""
    context = _quote(word_text[max(0, mark.start - 60):mark.start].split("\n\n")[-1])
    what = f"insert “{mark.text}”" if mark.kind == "insert" else f"delete “{_quote(mark.text)}”"
    at = aligned.nearest(mark.start)
    return Comment(_line(source, at) if at is not None else 0, context,
                   f"proposed in Word, to make by hand: {what} after “{context}”", mark.author, mark.date)


@dataclass(frozen=True)
class Recorded:
    imported: Imported
    review: Review | None  # None when this very import was recorded before
    patch: str  # the patch file, relative to the root; "" when the reviewer changed nothing
    applied: bool


def record_import(root: Path, docx: Path, *, chapter: str | None, reviewer: str, apply: bool = False,
                  on_behalf: str = "", today: dt.date | None = None) -> Recorded:
    """Import `docx`: its comments recorded as a changes-requested verdict by `reviewer`, its tracked changes
    written as a patch next to the chapter (and made, with `apply`)."""
    people, _ = load_people(root, "papers/people.yaml")
    if reviewer not in people:  # before anything is read or written: the id names the patch file
        raise NspError(f"'{reviewer}' is not in papers/people.yaml{did_you_mean(reviewer, set(people))}")
    imported = import_word(root, docx, chapter)
    if not imported.comments and not imported.changed:
        raise NspError(f"{docx.name} has no comments and no tracked changes to import; nothing was recorded "
                       f"(to sign the chapter off: nsp review approve {imported.chapter} --by {reviewer})")
    review = None
    if not _recorded_before(root, imported, reviewer):
        counts = [_count(len(imported.comments) - imported.unplaced, "comment"),
                  _count(imported.placed, "proposed change"), _count(imported.unplaced, "change to make by hand")]
        note = f"Reviewed in Word ({docx.name}): " + ", ".join(c for c in counts if c)
        review, _ = record_review(root, imported.chapter, reviewer=reviewer, verdict=CHANGES, note=note,
                                  today=today, on_behalf=on_behalf, comments=imported.comments)
    patch = _write_patch(root, imported, reviewer) if imported.changed else ""
    if apply and imported.changed:
        _apply_to_chapter(root, imported)
    return Recorded(imported, review, patch, apply and imported.changed)


def _count(n: int, what: str) -> str:
    return "" if not n else f"{n} {what}" + ("s" if n != 1 else "")


def _recorded_before(root: Path, imported: Imported, reviewer: str) -> bool:
    """This reviewer's latest verdict on the chapter already holds these comments (an import run again)."""
    reviews, _ = load_reviews(root, imported.chapter.split("/", 1)[0])
    theirs = [r for r in reviews if r.chapter == imported.chapter and r.reviewer == reviewer]
    return bool(theirs) and theirs[-1].verdict == CHANGES and theirs[-1].comments == imported.comments


def _write_patch(root: Path, imported: Imported, reviewer: str) -> str:
    """THEME/CHAPTER.REVIEWER.patch, or -2, -3 … beside one that says something else: nothing is overwritten."""
    data = imported.patch().encode("utf-8")
    stem = imported.chapter.removesuffix(".md")
    for n in range(1, 1000):
        rel = f"{stem}.{reviewer}{'' if n == 1 else f'-{n}'}.patch"
        if not (root / rel).exists():
            write_atomic(root / rel, data)
            return rel
        if (root / rel).read_bytes() == data:
            return rel
    raise NspError(f"too many patches beside {imported.chapter}; remove the old ones")


def _apply_to_chapter(root: Path, imported: Imported) -> None:
    """Make the proposed changes in the chapter, if it still says what they were placed on."""
    raw = (root / imported.chapter).read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    if text.replace("\r\n", "\n") != imported.source:
        raise NspError(f"{imported.chapter} changed while the import ran; the patch is kept, the chapter untouched")
    patched = imported.patched.replace("\n", "\r\n") if "\r\n" in text else imported.patched
    write_atomic(root / imported.chapter, (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"")
                 + patched.encode("utf-8"))


def import_report(done: Recorded, docx: str, reviewer: str) -> list[str]:
    """What `nsp review import` tells the user: what it read, each comment at its line, what it wrote, what next."""
    got = done.imported
    comments, changes = len(got.comments) - got.unplaced, got.placed + got.unplaced
    out = [f"read {docx}: {got.chapter}, {_count(comments, 'comment') or 'no comments'}, "
           f"{_count(changes, 'tracked change') or 'no tracked changes'}"]
    if got.older:
        out.append(f"note: {got.chapter} has changed since this Word file was made; its comments and changes were "
                   "placed on the current text by its words")
    out += [_comment_line(got.chapter, c, reviewer) for c in got.comments]
    return out + _written(done, docx, reviewer)


def _comment_line(chapter: str, c: Comment, reviewer: str) -> str:
    where = f"{chapter}:{c.line}" if c.line else f"{chapter} (place unknown)"
    quote = f" on “{c.quote}”:" if c.quote else ""
    return f"  {where}:{quote} {c.text} — {c.author or reviewer}"


def _written(done: Recorded, docx: str, reviewer: str) -> list[str]:
    """What the import recorded and wrote, and what to do next."""
    got, out = done.imported, []
    if done.review is None:
        out.append(f"already recorded: {reviewer}'s latest verdict on {got.chapter} holds these comments")
    else:
        r = done.review
        out.append(f"recorded in {r.path}: {r.verdict} by {reviewer} on {r.date} for revision "
                   f"{short_revision(r.revision)}")
    if done.patch:
        out.append(f"wrote {done.patch} ({_count(got.placed, 'change') or 'no changes'} to the Markdown):")
        out.append(got.patch().rstrip("\n"))
        if done.applied:
            out.append(f"applied to {got.chapter}")
    files = " ".join(p for p in (done.review.path if done.review else "", got.chapter if done.applied else "") if p)
    if files:
        todo = "" if done.applied or not done.patch else (
            f"; to make the changes: nsp review import {docx} --by {reviewer} --apply (or git apply {done.patch})")
        out.append(f"next: git add {files} && git commit, as yourself{todo}")
    return out
