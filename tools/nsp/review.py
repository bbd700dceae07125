"""Review records and the state they give each chapter.

`THEME/reviews.yaml` is an append-only log. An approval counts only for the
revision (content hash) it names; a chapter is approved when its theme lead
and the required number of further reviewers have approved its current text,
and nobody's latest word on it is a request for changes.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path

from . import schema as s
from .diagnostics import Diagnostic, error
from .model import Document, Person, Theme
from .yamlfile import LineDict, parse_yaml

APPROVED, CHANGES = "approved", "changes-requested"
VERDICTS = (APPROVED, CHANGES)
RECORD_SCHEMA: s.Schema = {
    "chapter": s.Field("text", required=True), "reviewer": s.Field("text", required=True),
    "verdict": s.Field("text", required=True), "revision": s.Field("text", required=True),
    "date": s.Field("date", required=True), "note": s.Field("text"),
    # A sign-off the reviewer gave another way (a letter), recorded by someone else: how, and by whom (git email).
    "on_behalf": s.Field("text"), "recorded_by": s.Field("text"),
}


@dataclass(frozen=True)
class Review:
    chapter: str  # path relative to the root
    reviewer: str
    verdict: str
    revision: str
    date: dt.date
    note: str
    path: str  # the log it was read from
    line: int
    on_behalf: str = ""  # how a sign-off given otherwise was received; "" when the reviewer recorded it
    recorded_by: str = ""  # the git email of whoever recorded it on the reviewer's behalf
    end_line: int = 0  # the record's last line in the log (its lines are traced to the commits that wrote them)


class State(str, enum.Enum):
    DRAFT = "draft"
    IN_REVIEW = "in review"
    CHANGES_REQUESTED = "changes requested"
    STALE = "stale"
    APPROVED = "approved"


@dataclass(frozen=True)
class ChapterReview:
    """Where a chapter stands: its state, who signed what, and who still has to sign."""

    state: State
    current: tuple[Review, ...]  # approvals of the current revision that count
    stale: tuple[Review, ...]  # each reviewer's latest approval, of an older revision
    open_requests: tuple[Review, ...]  # change requests not answered by a later approval
    waiting_for: tuple[str, ...]  # ids of those still to approve: the lead, then further reviewers
    choose: int = 0  # when > 0, only this many of the further reviewers in waiting_for are needed

    @property
    def last_approval(self) -> Review | None:
        approvals = sorted((*self.current, *self.stale), key=lambda r: (r.date, r.line))
        return approvals[-1] if approvals else None


def reviews_path(theme_id: str) -> str:
    return f"{theme_id}/reviews.yaml"


def load_reviews(root: Path, theme_id: str) -> tuple[list[Review], list[Diagnostic]]:
    rel = reviews_path(theme_id)
    if not (root / rel).is_file():
        return [], []
    from .load import read_text

    text, diags = read_text(root, rel)
    if text is None:
        return [], diags
    data, diags = parse_yaml(text.text, rel)
    if data is None:
        return [], diags
    if not isinstance(data, list):
        return [], diags + [error(rel, 1, "E007", "reviews.yaml must be a list of review records; write it with `nsp review`")]
    out: list[Review] = []
    ends = _record_ends(data, text.text)
    for item, end in zip(data, ends):
        fields, more = s.validate(item, RECORD_SCHEMA, rel, "review record")
        diags += more
        line = item.line if isinstance(item, LineDict) else 0
        if len(fields) < len([k for k, f in RECORD_SCHEMA.items() if f.required]):
            continue
        if fields["verdict"] not in VERDICTS:
            diags.append(error(rel, item.line_of("verdict") if isinstance(item, LineDict) else 0, "E007",
                               f"verdict '{fields['verdict']}' must be one of: {', '.join(VERDICTS)}"))
            continue
        out.append(Review(f"{theme_id}/{fields['chapter']}", fields["reviewer"], fields["verdict"], fields["revision"],
                          fields["date"], fields.get("note", ""), rel, line, " ".join(fields.get("on_behalf", "").split()),
                          fields.get("recorded_by", "").strip(), end))
    return out, diags


def _record_ends(data: list[object], text: str) -> list[int]:
    """The last line of each record: the line before the next record starts, or the file's last line."""
    starts = list(getattr(data, "item_lines", [])) or [0] * len(data)
    last = len(text.rstrip("\n").split("\n"))
    return [(starts[i + 1] - 1 if i + 1 < len(starts) else last) for i in range(len(starts))]


def on_behalf_note(r: Review) -> str:
    """How a sign-off recorded by someone else was received, in words for every place it is shown; '' if none."""
    if not r.on_behalf:
        return ""
    return f"on their behalf: “{r.on_behalf}”" + (f", recorded by {r.recorded_by}" if r.recorded_by else "")


def required_approvers(theme: Theme, doc: Document) -> tuple[str, tuple[str, ...], int]:
    """(lead, eligible further reviewers, how many of them must approve) for one chapter."""
    others = tuple(r for r in theme.reviewers if r != theme.lead and r not in doc.authors)
    return theme.lead, others, min(theme.required_reviewers, len(others))


def chapter_review(theme: Theme, doc: Document, reviews: list[Review]) -> ChapterReview:
    allowed = {theme.lead, *theme.reviewers} - set(doc.authors)  # anyone else's record does not count (R305)
    mine = [r for r in reviews if r.chapter == doc.path and r.reviewer in allowed]
    latest: dict[str, Review] = {}
    for r in mine:  # the log is in time order: later lines win
        latest[r.reviewer] = r
    last_approval: dict[str, Review] = {r.reviewer: r for r in mine if r.verdict == APPROVED}
    current = tuple(r for r in last_approval.values() if r.revision == doc.sha256)
    stale = tuple(r for r in last_approval.values() if r.revision != doc.sha256)
    open_requests = tuple(r for r in latest.values() if r.verdict == CHANGES)
    approvers = {r.reviewer for r in current if r not in open_requests}

    lead, others, needed = required_approvers(theme, doc)
    waiting: list[str] = []
    if lead and lead not in doc.authors and lead not in approvers:
        waiting.append(lead)
    have = len([o for o in others if o in approvers])
    choose = 0
    if have < needed:
        missing = [o for o in others if o not in approvers]
        waiting += missing
        choose = needed - have if len(missing) > needed - have else 0

    if open_requests:
        state = State.CHANGES_REQUESTED
    elif not waiting and (lead or needed):
        state = State.APPROVED
    elif stale and not current or stale and any(r.reviewer not in approvers for r in stale):
        state = State.STALE
    elif current:
        state = State.IN_REVIEW
    else:
        state = State.DRAFT
    return ChapterReview(state, current, stale, open_requests, tuple(waiting), choose)


def display_name(pid: str, people: dict[str, Person]) -> str:
    return people[pid].name if pid in people else pid


def waiting_names(review: ChapterReview, people: dict[str, Person], lead: str) -> list[str]:
    """Who still has to sign, in words: 'Tariq Khosa', '1 of Khalid Aziz or Akhtar Ali Shah'."""
    names = [display_name(p, people) for p in review.waiting_for if p == lead]
    others = [display_name(p, people) for p in review.waiting_for if p != lead]
    if review.choose and others:
        names.append(f"{review.choose} of {' or '.join(others)}")
    else:
        names += others
    return names


def short_revision(revision: str) -> str:
    return revision[:19] + "…" if len(revision) > 20 else revision
