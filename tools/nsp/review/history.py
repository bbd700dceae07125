"""`nsp review show`: one chapter's review history, newest first, with notes and imported comments."""

from __future__ import annotations

import hashlib
from pathlib import Path

from nsp.diagnostics import NspError
from nsp.load.project import load_people
from nsp.model import Person
from nsp.review.records import APPROVED, Review
from nsp.review.state import display_name, load_reviews, on_behalf_note, short_revision


def review_history(root: Path, chapter: str) -> str:
    """Every verdict on `chapter`, newest first: who, when, on which text, the note and each comment by line."""
    if "/" not in chapter or not (root / chapter).is_file():
        raise NspError(f"{chapter} is not a chapter file in this repository")
    reviews, problems = load_reviews(root, chapter.split("/", 1)[0])
    mine = [r for r in reviews if r.chapter == chapter]
    people, _ = load_people(root, "papers/people.yaml")
    current = "sha256:" + hashlib.sha256((root / chapter).read_bytes()).hexdigest()
    lines = [f"{chapter}: {len(mine)} verdict{'s' * (len(mine) != 1)}, newest first"]
    lines += [f"warning: {d.text()}" for d in problems]
    for r in sorted(mine, key=lambda r: (r.date, r.line), reverse=True):
        lines += _entry(r, people, current)
    if not mine:
        lines.append(f"no verdicts yet: a reviewer records one with nsp review approve {chapter} --by ID")
    return "\n".join(lines)


def _entry(r: Review, people: dict[str, Person], current: str) -> list[str]:
    which = "this text" if r.text == current else f"an earlier text, {short_revision(r.revision)}"
    verdict = "approved" if r.verdict == APPROVED else "changes requested"
    how = f"; {on_behalf_note(r)}" if r.on_behalf else ""
    out = [f"{r.date}  {verdict} by {display_name(r.reviewer, people)} ({which}{how})"]
    if r.note:
        out.append(f"            {r.note}")
    for c in r.comments:
        where = f"line {c.line}" if c.line else "place unknown"
        quote = f" on “{c.quote}”" if c.quote else ""
        who = f" — {c.author}" if c.author else ""
        out.append(f"            {where}{quote}: {c.text}{who}")
    return out
