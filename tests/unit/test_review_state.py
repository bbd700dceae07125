"""Where a chapter stands, as a table of cases: the pure judgement, no pandoc, no git, no files."""

from __future__ import annotations

import datetime as dt

import pytest

from nsp.model import Document, Theme
from nsp.review.records import APPROVED, CHANGES, Review, Revision, Rules, State
from nsp.review.state import chapter_review, required_approvers

NOW = Revision("sha256:now", ())
OLD = Revision("sha256:old", ())
DAY = dt.date(2024, 3, 1)


def theme(lead: str = "lee", reviewers: tuple[str, ...] = ("rob", "ria"), required: int = 1) -> Theme:
    return Theme("alpha", "alpha/theme.yaml", "Alpha", lead, ("ana",), reviewers, (), ("alpha/01.md",),
                 required_reviewers=required)


def chapter(*authors: str) -> Document:
    return Document("alpha/01.md", "One", authors or ("ana",), "", "text", 4, "sha256:file", "alpha")


def said(who: str, verdict: str = APPROVED, revision: Revision = NOW, day: int = 2, line: int = 1) -> Review:
    return Review("alpha/01.md", who, verdict, revision.id, DAY.replace(day=day), "", "alpha/reviews.yaml", line)


def rules(t: Theme, since: int = 1) -> Rules:
    return Rules(t.lead, t.reviewers, t.required_reviewers, "sam", DAY.replace(day=since), "alpha/signoff.yaml", 1)


CASES = [
    # (case, theme, authors, records, state, still to sign)
    ("nothing said yet", theme(), (), [], State.DRAFT, ("lee", "rob", "ria")),
    ("lead only: a further reviewer is still needed", theme(), (), [said("lee")], State.IN_REVIEW, ("rob", "ria")),
    ("lead and one of two reviewers", theme(), (), [said("lee"), said("rob")], State.APPROVED, ()),
    ("no further reviewer required: the lead alone", theme(required=0), (), [said("lee")], State.APPROVED, ()),
    ("both reviewers required", theme(required=2), (), [said("lee"), said("rob")], State.IN_REVIEW, ("ria",)),
    # The request decides the state; the earlier approval still fills its place in the list (as it always has).
    ("changes requested after an approval", theme(), (), [said("lee"), said("rob"), said("rob", CHANGES, day=3)],
     State.CHANGES_REQUESTED, ()),
    ("changes requested before anyone approved", theme(), (), [said("rob", CHANGES)], State.CHANGES_REQUESTED,
     ("lee", "rob", "ria")),
    ("approved again after a request", theme(), (), [said("lee"), said("rob", CHANGES, day=3), said("rob", day=4)],
     State.APPROVED, ()),
    ("the text changed since the approvals", theme(), (), [said("lee", revision=OLD), said("rob", revision=OLD)],
     State.STALE, ("lee", "rob", "ria")),
    ("one approval current, one of an old text", theme(), (), [said("lee"), said("rob", revision=OLD)],
     State.STALE, ("rob", "ria")),
    ("an author's own approval does not count", theme(), ("ana", "rob"), [said("lee"), said("rob")],
     State.IN_REVIEW, ("ria",)),
    ("lead co-wrote it: two further reviewers instead", theme(), ("ana", "lee"), [said("lee"), said("rob")],
     State.IN_REVIEW, ("ria",)),
    ("lead co-wrote it and both reviewers signed", theme(), ("ana", "lee"), [said("rob"), said("ria")],
     State.APPROVED, ()),
    ("everyone who may sign wrote it", theme(), ("lee", "rob", "ria"), [], State.BLOCKED, ()),
    ("someone outside the theme's signers", theme(), (), [said("lee"), said("eve")], State.IN_REVIEW, ("rob", "ria")),
]


@pytest.mark.parametrize(("t", "authors", "records", "state", "waiting"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_state(t: Theme, authors: tuple[str, ...], records: list[Review], state: State,
               waiting: tuple[str, ...]) -> None:
    judged = chapter_review(t, chapter(*authors), records, NOW, [rules(t)])
    assert judged.state is state
    assert judged.waiting_for == waiting


def test_nothing_counts_before_the_secretariat_confirms_who_signs() -> None:
    judged = chapter_review(theme(), chapter(), [said("lee"), said("rob")], NOW, [])
    assert judged.state is State.BLOCKED and judged.unconfirmed


def test_an_approval_counts_under_the_rules_in_force_on_its_day() -> None:
    """rob signed while he was a reviewer; the rules changed after: his approval still stands."""
    then, later = theme(), theme(reviewers=("ria",))
    judged = chapter_review(later, chapter(), [said("lee", day=2), said("rob", day=2)], NOW,
                            [rules(then, since=1), rules(later, since=5)])
    assert judged.state is State.APPROVED


def test_a_record_from_before_the_reviewer_could_sign_does_not_count() -> None:
    before, after = theme(reviewers=("ria",)), theme()
    judged = chapter_review(after, chapter(), [said("lee", day=2), said("rob", day=2)], NOW,
                            [rules(before, since=1), rules(after, since=5)])
    assert judged.state is State.IN_REVIEW and "rob" in judged.waiting_for


@pytest.mark.parametrize(("authors", "lead", "needed", "short"), [
    ((), "lee", 1, 0), (("lee",), "", 2, 0), (("rob",), "lee", 1, 0), (("lee", "rob"), "", 2, 1),
], ids=["plain", "lead-wrote-it", "a-reviewer-wrote-it", "lead-and-reviewer-wrote-it"])
def test_authors_never_shrink_the_sign_offs(authors: tuple[str, ...], lead: str, needed: int, short: int) -> None:
    need = required_approvers(theme(), chapter("ana", *authors))
    assert (need.lead, need.needed, need.short, need.total) == (lead, min(needed, len(need.others)), short, 2)
