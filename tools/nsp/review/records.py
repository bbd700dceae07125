"""The review records and what they add up to, as plain frozen data.

Read from the append-only logs (reviews.yaml: review.state reads it, review.log writes it;
signoff.yaml: review.signoff), traced to their commits (review.provenance), and judged into one
`ChapterReview` per chapter when the project is loaded. Nothing here imports the rest of nsp, so
the model can carry these records and every stage can read them.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass, field

APPROVED, CHANGES = "approved", "changes-requested"
VERDICTS = (APPROVED, CHANGES)

REVISION_FORMAT = "nsp-revision 2"


@dataclass(frozen=True)
class Comment:
    """A reviewer's comment on a chapter, anchored to a line of it and the words it was made on."""

    line: int  # in the chapter as it was when the comment was imported; 0 when it could not be placed
    quote: str  # the words the comment was made on ("" for a comment on a point)
    text: str
    author: str = ""  # as the Word file names them
    date: str = ""


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
    text: str = ""  # sha256 of the chapter file alone (what `nsp diff` looks up); "" in records from before images
    covers: tuple[str, ...] = ()  # "image PATH sha256:…" and "reference KEY sha256:…" lines the revision covers
    on_behalf: str = ""  # how a sign-off given otherwise was received; "" when the reviewer recorded it
    recorded_by: str = ""  # the git email of whoever recorded it on the reviewer's behalf
    end_line: int = 0  # the record's last line in the log (its lines are traced to the commits that wrote them)
    comments: tuple[Comment, ...] = ()  # imported from a Word file the reviewer annotated


@dataclass(frozen=True)
class Revision:
    """What the reader sees of a chapter: its text, its images' bytes, the entries it cites."""

    text: str  # sha256 of the file
    covers: tuple[str, ...]  # sorted "image PATH DIGEST" and "reference KEY DIGEST" lines

    @property
    def id(self) -> str:
        lines = "\n".join((REVISION_FORMAT, f"text {self.text}", *self.covers))
        return "sha256:" + hashlib.sha256(lines.encode()).hexdigest()


class State(str, enum.Enum):
    DRAFT = "draft"
    IN_REVIEW = "in review"
    CHANGES_REQUESTED = "changes requested"
    STALE = "stale"
    APPROVED = "approved"
    BLOCKED = "cannot be approved"  # fewer people who did not write it may sign than must


@dataclass(frozen=True)
class ChapterReview:
    """Where a chapter stands: its state, who signed what, and who still has to sign."""

    state: State
    current: tuple[Review, ...]  # approvals of the current revision that count
    stale: tuple[Review, ...]  # each reviewer's latest approval, of an older revision
    open_requests: tuple[Review, ...]  # change requests not answered by a later approval
    waiting_for: tuple[str, ...]  # ids of those still to approve: the lead, then further reviewers
    choose: int = 0  # when > 0, only this many of the further reviewers in waiting_for are needed
    short: int = 0  # sign-offs nobody can give: the people who may sign are its authors
    unconfirmed: bool = False  # the secretariat has confirmed no signing rules for the theme yet


@dataclass(frozen=True)
class Requirement:
    """Who must sign one chapter: the count never shrinks because signers wrote it."""

    lead: str  # "" when the lead wrote the chapter (or the theme has none): a further reviewer signs instead
    others: tuple[str, ...]  # further reviewers who did not write the chapter
    needed: int  # how many of `others` must approve
    short: int  # sign-offs nobody can give until someone else is assigned
    total: int  # sign-offs the theme's rules require of every chapter


@dataclass(frozen=True)
class Rules:
    lead: str
    reviewers: tuple[str, ...]
    required_reviewers: int
    confirmed_by: str
    date: dt.date  # from this day on, these rules are in force
    path: str
    line: int
    end_line: int = 0  # the record's last line: its lines are traced to the commits that wrote them

    def as_record(self, theme_id: str) -> Review:
        """This decision as a record provenance can trace: made, and committed, by `confirmed_by`."""
        return Review(f"{theme_id}/theme.yaml", self.confirmed_by, "confirmed-rules", "", self.date, "",
                      self.path, self.line, end_line=self.end_line)


def in_force(rules: list[Rules], on: dt.date | None = None) -> Rules | None:
    """The rules in force on a day (today when None): the last confirmed on or before it."""
    found = None
    for r in rules:
        if on is None or r.date <= on:
            found = r
    return found


UNCOMMITTED = "0" * 40


class Standing(str, enum.Enum):
    VERIFIED = "verified"  # committed by its reviewer (or by who recorded it on their behalf), signed if required
    PENDING = "pending"  # some of its lines are not committed yet
    WRONG_AUTHOR = "wrong author"  # committed by someone else, not marked as recorded on the reviewer's behalf
    WRONG_RECORDER = "wrong recorder"  # on-behalf record committed by someone other than who it says recorded it
    UNSIGNED = "unsigned"  # its commit's signature does not verify, and the paper requires signed reviews


FAILED = frozenset({Standing.WRONG_AUTHOR, Standing.WRONG_RECORDER, Standing.UNSIGNED})


@dataclass(frozen=True)
class Trace:
    standing: Standing
    commit: str = ""  # the commit the finding is about (the offending one, else the last that touched the record)
    author: str = ""  # that commit's author email, as recorded in the commit (no .mailmap)


@dataclass(frozen=True)
class Provenance:
    traces: dict[tuple[str, int], Trace] = field(default_factory=dict)  # by (log path, record line)
    problem: str = ""  # why no record could be traced (no git, not a repository); "" when they were

    def of(self, r: Review) -> Trace | None:
        return self.traces.get((r.path, r.line))

    def counts(self, r: Review) -> bool:
        """Failed records never count; verified, pending and untraceable ones do (the last two only for drafts)."""
        trace = self.of(r)
        return trace is None or trace.standing not in FAILED


