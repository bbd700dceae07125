"""`nsp diff`: what changed in a chapter since it was approved, word by word.

The approved text is the one nsp kept when it was approved (review.approved), or else
found in git history by its content hash; or it is taken from a git revision the user gives. The same
word diff is printed for the terminal or written as a Word file with tracked
changes, which a theme lead reviews as they are used to.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nsp.diagnostics import NspError
from nsp.infra.atomic import atomic_path
from nsp.infra.docxfile import finish_docx
from nsp.infra.git import git
from nsp.infra.limits import Limits
from nsp.infra.pandoc import run_pandoc
from nsp.infra.resources import FIGURE_SOURCE, data_uri, usable_image
from nsp.load.csl import BIBLIOGRAPHY_SUFFIXES
from nsp.load.project import load_document, load_people, split_front_matter
from nsp.load.yamlfile import parse_yaml
from nsp.model import Person
from nsp.review.approved import approved_text
from nsp.review.records import APPROVED, Review
from nsp.review.state import display_name, load_reviews, short_revision
from nsp.review.wordfile import CHAPTER_PROPERTY, OURS_AUTHOR, OURS_DATE, TEXT_PROPERTY

# What a reader sees as one thing is one token, never cut by the diff: a citation group, a footnote
# reference, an image, a link (each has balanced brackets, so it can sit whole inside a tracked span).
FOOTNOTE_REF = r"\[\^[^\]\s]+\]"
CITATION_GROUP = r"\[[^\[\]\n]*@[^\[\]\n]*\]"  # [see @a, p. 3; @b]
WHOLE = re.compile(
    r"!\[[^\]]*\]\([^)\n]*\)(?:\{[^}\n]*\})?"  # an image, with its attributes (its caption may wrap)
    rf"|{FOOTNOTE_REF}"
    rf"|{CITATION_GROUP}(?!\()"  # (followed by a URL it would be a link)
    r"|\[[^\[\]\n]*\]\([^)\n]*\)"  # a link
    r"|-?@[\w][\w:.#$%&+?<>~/-]*\w"  # a bare citation: @smith2010
)
# A citation group or footnote reference that ends a text: a span right after it would read as a reference link.
GLUED = re.compile(rf"({CITATION_GROUP}|{FOOTNOTE_REF})$")
# Those, words, runs of space, and each punctuation mark on its own: '**' and '[' stay
# unchanged around a changed word, so Markdown around it survives the diff.
TOKEN = re.compile(rf"{WHOLE.pattern}|\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "delete" or "insert"
    text: str


@dataclass(frozen=True)
class ChapterDiff:
    chapter: str
    since: str  # what the old side is, in words
    old: str
    new: str
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.kind != "equal" and not reflowed(s) for s in self.segments)


def _key(token: str) -> str:
    """What the comparison sees of a token: white space inside a paragraph is one space, so a paragraph
    re-wrapped to other line lengths is not a change; a blank line (a paragraph break) still is."""
    return " " if token.isspace() and "\n\n" not in token else token


def word_diff(old: str, new: str) -> list[Segment]:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += _equal(a[i1:i2], b[j1:j2])
            continue
        if op in ("delete", "replace"):
            out.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Segment("insert", "".join(b[j1:j2])))
    return _slid(_whole_changes(out))


def _slid(segments: list[Segment]) -> list[Segment]:
    """A lone insertion or deletion between two unchanged stretches, slid to where it reads best.

    "One.|.\n\nGone now|.\n\nTwo." and "One.\n\n|Gone now.\n\n|Two." are the same change; the second
    deletes a whole paragraph, and a redline then shows that paragraph struck through as a block.
    """
    out = list(segments)
    for k in range(1, len(out) - 1):
        before, seg, after = out[k - 1], out[k], out[k + 1]
        if seg.kind == "equal" or before.kind != "equal" or after.kind != "equal":
            continue
        best = max(_slides(before.text, seg.text, after.text), key=_boundary_score)
        out[k - 1], out[k], out[k + 1] = (Segment("equal", best[0]), Segment(seg.kind, best[1]),
                                          Segment("equal", best[2]))
    return [s for s in out if s.text]


def _slides(left: str, run: str, right: str) -> list[tuple[str, str, str]]:
    """Every place the run can stand with both texts unchanged: shifted left while `left` ends as it ends,
    right while `right` starts as it starts (at most a line's length either way)."""
    found = [(left, run, right)]
    a, r, b = left, run, right
    while a and r and a[-1] == r[-1] and len(found) < 200:
        a, r, b = a[:-1], a[-1] + r[:-1], r[-1] + b
        found.append((a, r, b))
    a, r, b = left, run, right
    while b and r and b[0] == r[0] and len(found) < 400:
        a, r, b = a + r[0], r[1:] + b[0], b[1:]
        found.append((a, r, b))
    return found


def _boundary_score(place: tuple[str, str, str]) -> int:
    """Higher where the run starts a line and ends one: whole lines read as whole blocks."""
    left, run, right = place
    starts = not left or left.endswith("\n")
    ends = run.endswith("\n") or not right or right.startswith("\n")
    return 2 * starts + 2 * ends + (not run[:1].isspace())


def _whole_changes(segments: list[Segment]) -> list[Segment]:
    """Each run of changes as one deletion and one insertion, a lone space matched between them included:
    a new sentence reads {+New words.+}, not {+New+} {+words.+} around some old line end's space."""
    out: list[Segment] = []
    run: list[Segment] = []

    def flush() -> None:
        for kind in ("delete", "insert"):
            text = "".join(s.text for s in run if s.kind == kind)
            if text:
                out.append(Segment(kind, text))
        run.clear()

    for k, seg in enumerate(segments):
        between = 0 < k < len(segments) - 1 and segments[k - 1].kind != "equal" != segments[k + 1].kind
        if seg.kind == "equal" and seg.text.isspace() and between:
            run += [Segment("delete", seg.text), Segment("insert", seg.text)]
        elif seg.kind == "equal":
            flush()
            out.append(seg)
        else:
            run.append(seg)
    flush()
    return out


def _equal(a: list[str], b: list[str]) -> list[Segment]:
    """Tokens the comparison found equal; where only their white space differs (a re-wrapped line), the old
    and the new space, which every view shows as the new one (see `reflowed`)."""
    out: list[Segment] = []
    run: list[str] = []
    for x, y in zip(a, b):
        if x == y:
            run.append(y)
            continue
        if run:
            out.append(Segment("equal", "".join(run)))
            run = []
        out += [Segment("delete", x), Segment("insert", y)]
    if run:
        out.append(Segment("equal", "".join(run)))
    return out


def reflowed(seg: Segment) -> bool:
    """A change of white space inside a paragraph: not shown as a change anywhere (the new space is printed as
    it is). A paragraph break made or removed is a change."""
    return seg.kind != "equal" and seg.text.isspace() and "\n\n" not in seg.text


def _git(root: Path, *args: str) -> bytes | None:
    done = git(root, *args, timeout=60)
    return done.data if done.ok else None


def text_at_revision(root: Path, chapter: str, revision: str) -> str | None:
    """The chapter's text whose sha256 is `revision`, searched in git history (newest first)."""
    log = _git(root, "log", "--format=%H", "--", chapter)
    for commit in (log or b"").decode().split():
        blob = _git(root, "show", f"{commit}:{chapter}")
        if blob is not None and "sha256:" + hashlib.sha256(blob).hexdigest() == revision:
            return blob.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    return None


def chapter_diff(root: Path, chapter: str, *, since: str | None = None, by: str | None = None) -> ChapterDiff:
    """Diff `chapter` against its last approval (by anyone, or by reviewer `by`), or against git revision `since`."""
    current = (root / chapter).read_text("utf-8-sig").replace("\r\n", "\n") if (root / chapter).is_file() else None
    if current is None:
        raise NspError(f"{chapter} does not exist")
    if since:
        blob = _git(root, "show", f"{since}:{chapter}")
        if blob is None:
            raise NspError(
                f"git has no {chapter} at revision '{since}' (is this a git repository, and the revision right?)"
            )
        return ChapterDiff(chapter, f"git revision {since}", blob.decode("utf-8-sig", errors="replace"), current,
                           word_diff(blob.decode("utf-8-sig", errors="replace"), current))
    theme_id = chapter.split("/", 1)[0]
    people, _ = load_people(root, "papers/people.yaml")
    last = _last_approval(root, chapter, by, people)
    since_text = f"approval by {display_name(last.reviewer, people)} on {last.date} ({short_revision(last.revision)})"
    # Records from before images named the text alone; texts approved before nsp kept them are in git history.
    digest = last.text or last.revision
    old = approved_text(root, theme_id, digest) or text_at_revision(root, chapter, digest)
    if old is None:
        raise NspError(f"the approved revision {short_revision(last.revision)} of {chapter} is neither kept in "
                       f"{theme_id}/approved/ nor in git history; use --since REV to compare with a git revision")
    return ChapterDiff(chapter, since_text, old, current, word_diff(old, current))


def _last_approval(root: Path, chapter: str, by: str | None, people: dict[str, Person]) -> Review:
    reviews, _ = load_reviews(root, chapter.split("/", 1)[0])
    approvals = [r for r in reviews if r.chapter == chapter and r.verdict == APPROVED]
    if not approvals:
        raise NspError(f"{chapter} has never been approved; use --since REV to compare with a git revision")
    if by is None:
        return approvals[-1]
    theirs = [r for r in approvals if r.reviewer == by]
    if not theirs:
        who = sorted({r.reviewer for r in approvals})
        raise NspError(f"{display_name(by, people)} has never approved {chapter}; it was approved by "
                       f"{', '.join(display_name(w, people) for w in who)}")
    return theirs[-1]


def format_terminal(diff: ChapterDiff, *, color: bool) -> str:
    """Changed lines only, numbered as in the current file, git --word-diff style."""
    def mark(seg: Segment) -> str:
        if seg.kind == "equal":
            return seg.text
        text = seg.text
        if color:
            return f"\x1b[{'31;9' if seg.kind == 'delete' else '32;4'}m{text}\x1b[0m"
        return f"[-{text}-]" if seg.kind == "delete" else f"{{+{text}+}}"

    lines: list[tuple[int, str, bool]] = []  # new-file line number, text, changed?
    line_no, buffer, changed = 1, "", False
    for seg in _visible(diff.segments):
        pieces = seg.text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                lines.append((line_no, buffer, changed))
                buffer, changed = "", False
                if seg.kind != "delete":
                    line_no += 1
            if piece:
                buffer += mark(Segment(seg.kind, piece))
            if seg.kind != "equal" and (piece or len(pieces) == 1):
                changed = True
    lines.append((line_no, buffer, changed))
    body = [f"{n:>4}: {text}" for n, text, ch in lines if ch]
    head = f"{diff.chapter}: changes since the {diff.since}"
    return head + ("\n" + "\n".join(body) if body else "\nno changes")


def _visible(segments: list[Segment]) -> list[Segment]:
    """The segments as the terminal shows them: a change of white space inside a paragraph reads as the new
    space, unchanged; a paragraph break made or removed as a pilcrow."""
    out: list[Segment] = []
    for s in segments:
        if reflowed(s):
            out += [Segment("equal", s.text)] if s.kind == "insert" else []
        elif s.kind != "equal" and s.text.isspace():
            out += [Segment(s.kind, "¶")] + ([Segment("equal", s.text)] if s.kind == "insert" else [])
        else:
            out.append(s)
    return out


def _span(text: str, kind: str, author: str, date: str) -> str:
    # Brackets outside whole tokens are escaped; whole ones (citations, links) stay live inside the span.
    pieces, end = [], 0
    for m in WHOLE.finditer(text):
        pieces.append(_escape(text[end:m.start()]) + m.group(0))
        end = m.end()
    escaped = "".join(pieces) + _escape(text[end:])
    cls = "deletion" if kind == "delete" else "insertion"
    return f'[{escaped}]{{.{cls} author="{author}" date="{date}"}}'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _unglued(text: str) -> str:
    """`text` such that a span right after it stays a span: `[@a][…]{.insertion}` would read as a reference
    link, so a citation group or footnote reference at its end is wrapped in a span of its own."""
    m = GLUED.search(text)
    return text[:m.start()] + f"[{m.group(1)}]{{}}" if m else text


# What opens a line and gives it its kind of block: it stays outside a tracked span, so an inserted
# heading stays a heading and an inserted item stays an item.
BLOCK_MARK = re.compile(r"(?:#{1,6}(?:[ \t]+|$)|[-*+](?:[ \t]+|$)|\d+[.)](?:[ \t]+|$)|>[ \t]?|\[\^[^\]\s]+\]:[ \t]*)+")
RULE_CELL = re.compile(r":?-{3,}:?")  # a table's rule under its header: no words to track
FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


def _block_mark(core: str) -> tuple[str, str]:
    """A changed line's block mark (heading, item, quote, note), kept outside the span, and the rest."""
    mark = BLOCK_MARK.match(core)
    return (mark.group(0), core[mark.end():]) if mark else ("", core)


class _Tracker:
    """The tracked Markdown, built a segment at a time, knowing where in the new text's lines it is."""

    def __init__(self, author: str, date: str) -> None:
        self.out: list[str] = []
        self.author, self.date = author, date
        self.line = ""  # the current line of the new text so far (deletions aside)
        self.in_code = False  # inside a fenced code block of the new text

    def equal(self, text: str) -> None:
        for k, piece in enumerate(text.split("\n")):
            if k:
                self.newline()
            self.out.append(piece)
            self.line += piece

    def newline(self) -> None:
        if FENCE.match(self.line):
            self.in_code = not self.in_code
        self.out.append("\n")
        self.line = ""

    def change(self, kind: str, text: str) -> None:
        # An image whose caption wraps is one thing: its line break becomes a space, so no span cuts it.
        text = WHOLE.sub(lambda m: m.group(0).replace("\n", " "), text)
        if kind == "delete":
            self.deletion(text)
            return
        for k, piece in enumerate(text.split("\n")):
            if k:
                self.newline()
            self.out.append(self.tracked(kind, piece, self.line))
            self.line += piece

    def deletion(self, text: str) -> None:
        """Deleted lines keep their own lines and block marks, so a deleted item, heading, paragraph or table
        row shows as one, struck through; deleted code (where no span can be) shows in the terminal only."""
        if text.isspace():
            return  # the new text's own spacing stands
        if "\n" not in text or self.in_code or any(FENCE.match(line) for line in text.split("\n")):
            self.out.append(self.tracked("delete", text.replace("\n", " "), self.line))
            return
        for k, piece in enumerate(text.split("\n")):
            if k:
                self.out.append("\n")  # a line of the old text only: the new text's line goes on after it
            self.out.append(self.tracked("delete", piece, self.line if k == 0 else ""))

    def tracked(self, kind: str, piece: str, line: str) -> str:
        """`piece` as tracked Markdown where it stands (after `line` on its line); in code, where no span can
        be, as it is (a deletion there shows in the terminal diff only)."""
        if not piece.strip() or self._in_code(line + piece):
            return piece if kind == "insert" else ""
        lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", piece, re.S).groups()  # type: ignore[union-attr]
        prefix, core = _block_mark(core) if not line.strip() else ("", core)
        if not lead and not prefix and self.out:
            self.out[-1] = _unglued(self.out[-1])
        if (line + piece).lstrip().startswith("|"):  # a table row: each cell's words on their own
            cells = [c if c == "|" or not c.strip() or RULE_CELL.fullmatch(c.strip()) else self._cell(c, kind)
                     for c in re.split(r"(\|)", core)]
            return lead + prefix + "".join(cells) + trail
        return lead + prefix + (_span(core, kind, self.author, self.date) if core else "") + trail

    def _in_code(self, line: str) -> bool:
        """In a fenced block, on a fence, or inside a code span: places no span can be."""
        return self.in_code or bool(FENCE.match(line)) or bool(line.count("`") % 2)

    def _cell(self, cell: str, kind: str) -> str:
        lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", cell, re.S).groups()  # type: ignore[union-attr]
        return lead + _span(core, kind, self.author, self.date) + trail


def tracked_markdown(diff: ChapterDiff, author: str, date: str) -> str:
    """The current body with every change as a pandoc insertion or deletion span."""
    tracker = _Tracker(author, date)
    for seg in diff.segments:
        if seg.kind == "equal":
            tracker.equal(seg.text)
        else:
            tracker.change(seg.kind, seg.text)
    _, _, body, _, _ = split_front_matter("".join(tracker.out), diff.chapter)
    return body


def _front(text: str, rel: str) -> dict[str, str]:
    """Title, authors and summary of a chapter's front matter, as text ('' when absent or unreadable)."""
    yaml_text, _, _, _, _ = split_front_matter(text, rel)
    data, _ = parse_yaml(yaml_text or "", rel)
    if not isinstance(data, dict):
        return {}
    authors = data.get("authors")
    out = {"title": data.get("title"), "summary": data.get("summary"),
           "authors": ", ".join(map(str, authors)) if isinstance(authors, list) else authors}
    return {k: " ".join(v.split()) for k, v in out.items() if isinstance(v, str) and v.strip()}


def _front_changes(diff: ChapterDiff, title: str, author: str, date: str) -> tuple[str, str]:
    """The redline's heading, and a paragraph per other front-matter field that changed (authors, summary)."""
    before, after = _front(diff.old, diff.chapter), _front(diff.new, diff.chapter)

    def change(old: str, new: str) -> str:
        return f"{_span(old, 'delete', author, date)} {_span(new, 'insert', author, date)}"

    old_title, new_title = before.get("title", title), after.get("title", title)
    heading = change(old_title, new_title) if old_title != new_title else title  # a new title is a change too
    fields = "".join(f"**{label}:** {change(before[key], after[key])}\n\n"
                     for key, label in (("authors", "Authors"), ("summary", "Summary"))
                     if key in before and key in after and before[key] != after[key])
    return heading, fields


def figure_bytes(root: Path, rel: str) -> tuple[bytes, str]:
    """An image's bytes and suffix as an output shows it: a typst figure source as the PNG it compiles to."""
    if rel.lower().endswith(FIGURE_SOURCE):
        from nsp.render.figures import compiled_figure

        return compiled_figure(root, root / rel, Limits()), ".png"
    return (root / rel).read_bytes(), Path(rel).suffix.lower()


def data_uri_of_figure(root: Path, rel: str) -> str:
    data, suffix = figure_bytes(root, rel)
    return data_uri(root / rel, data, suffix)


def changed_at(root: Path, chapter: str) -> dt.datetime:
    """When the chapter's text last changed: its file's time if it has changes git has not committed, else the
    time of the last commit that touched it (a fresh clone gives every file the clone's time)."""
    dirty = git(root, "status", "--porcelain", "--", chapter, timeout=60)
    if dirty.ok and not dirty.data.strip():
        last = git(root, "log", "-1", "--format=%ct", "--", chapter, timeout=60)
        if last.ok and last.data.strip().isdigit():
            return dt.datetime.fromtimestamp(int(last.data), dt.UTC)
    return dt.datetime.fromtimestamp(int((root / chapter).stat().st_mtime), dt.UTC)


@dataclass(frozen=True)
class Redline:
    """The chapter with its changes tracked, as Markdown for pandoc, and what the Word and PDF files say of it."""

    markdown: str  # heading (a changed title tracked), intro, changed authors and summary, then the body
    title: str
    author: str  # the chapter's authors, who made the changes
    when: str  # when the text changed, ISO 8601 UTC
    bibliographies: list[Path]
    csl: Path | None
    images: dict[str, str]  # each image URL the chapter gives -> the file (relative to the root), if it may be read

    def with_images(self, where: Callable[[str], str]) -> str:
        """The Markdown with each readable image pointing where `where` puts its file (a data: URI, a staged
        copy); the rest stay as they are, and the redline filter prints their captions instead."""
        def swap(m: re.Match[str]) -> str:
            rel = self.images.get(m.group(2))
            return m.group(1) + where(rel) + m.group(3) if rel else m.group(0)

        return IMAGE_URL.sub(swap, self.markdown)


def redline(root: Path, diff: ChapterDiff, advice: str = "") -> Redline:
    theme_id = diff.chapter.split("/", 1)[0]
    doc, _ = load_document(root, diff.chapter, theme_id)
    people, _ = load_people(root, "papers/people.yaml")
    names = ", ".join(display_name(a, people) for a in doc.authors) if doc else "the authors"
    when = changed_at(root, diff.chapter).isoformat().replace("+00:00", "Z")
    title = doc.title if doc else diff.chapter
    heading, fields = _front_changes(diff, title, names, when)
    intro = f"*Tracked changes in {diff.chapter} since the {diff.since}.{advice}*\n\n"
    bibs = [p for p in (root / "papers" / "references.bib",
                        *(root / theme_id / f"references{suffix}" for suffix in BIBLIOGRAPHY_SUFFIXES)) if p.is_file()]
    csl = root / "templates" / "csl" / "chicago-author-date.csl"
    markdown = f"# {heading}\n\n{intro}{fields}{tracked_markdown(diff, names, when)}"
    images = {}
    for m in IMAGE_URL.finditer(markdown):  # the same containment test a build applies to every image
        rel, _ = usable_image(root, diff.chapter, m.group(2))
        if rel:
            images[m.group(2)] = rel
    return Redline(markdown, title, names, when, bibs, csl if csl.is_file() else None, images)


IMAGE_URL = re.compile(r'(!\[[^\]]*\]\()([^)\s]+)((?:\s+"[^"\n]*")?\))')  # a caption may wrap
# The chapter is not trusted: no raw formats, and --sandbox so pandoc reads only the files named here
# (figures travel inside the text, as data: URIs or staged copies).
READ_CHAPTER = "markdown-yaml_metadata_block-raw_html-raw_attribute-raw_tex"
FILTER = Path(__file__).with_name("redline.lua")  # unreadable figures as captions; tracked spans as typst marks


def citeproc_args(r: Redline) -> list[str]:
    if not r.bibliographies:
        return ["--citeproc"]  # a citation with no bibliography reads "(key?)", never an error
    return ["--citeproc", "--metadata=reference-section-title:References",
            *(f"--bibliography={b}" for b in r.bibliographies), *([f"--csl={r.csl}"] if r.csl else [])]


def write_docx(root: Path, diff: ChapterDiff, target: Path) -> None:
    r = redline(root, diff, " Accept or reject them in Word's Review tab.")
    # The file says which chapter and text it shows, and which tracked changes are nsp's own, so that
    # `nsp review import` can read a reviewer's comments and changes on it back (review.wordfile).
    digest = "sha256:" + hashlib.sha256((root / diff.chapter).read_bytes()).hexdigest()
    # No title: the reference document sets a title on a cover page of its own; the chapter's heading is enough.
    properties = {CHAPTER_PROPERTY: diff.chapter, TEXT_PROPERTY: digest, OURS_AUTHOR: r.author, OURS_DATE: r.when}
    args = ["-f", READ_CHAPTER, "-t", "docx", "--sandbox", f"--lua-filter={FILTER}",
            f"--reference-doc={root / 'templates' / 'reference.docx'}",
            *(f"--metadata={k}:{v}" for k, v in properties.items()),
            *citeproc_args(r)]
    markdown = r.with_images(lambda rel: data_uri_of_figure(root, rel))
    with atomic_path(target) as tmp:
        run_pandoc([*args, "-o", str(tmp)], stdin=markdown.encode(), what=f"the Word redline of {diff.chapter}")
        finish_docx(tmp, dt.datetime.now(dt.UTC).replace(microsecond=0))
