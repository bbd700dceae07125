"""R3xx: every chapter reviewed, and approved in its current form."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..review import ChapterReview, State, display_name, short_revision, waiting_names
from ..rules import Finding, rule
from .context import Context

E, W = Severity.ERROR, Severity.WARNING


def _reviews(ctx: Context) -> Iterator[tuple[str, int, ChapterReview]]:
    for doc in ctx.chapters():
        review = ctx.project.review_of(doc)
        if review is not None:
            yield doc.path, doc.key_lines.get("title", 0), review


@rule("R301", "no-reviewer", W)
def chapters_have_reviewers(ctx: Context) -> Iterator[Finding]:
    """A chapter that nobody other than its own authors can review.

    Why: every chapter needs a second pair of eyes before it is published; authors cannot approve their own work.
    Example: a theme whose lead is also the only author and which lists no reviewers.
    """
    for doc in ctx.chapters():
        theme = ctx.project.theme_of(doc)
        if theme and not [p for p in (theme.lead, *theme.reviewers) if p and p not in doc.authors]:
            yield doc.path, doc.key_lines.get("authors", 0), f"no one can review this chapter; add reviewers: to {theme.path}"


@rule("R302", "approval-stale", W)
def stale_approvals(ctx: Context) -> Iterator[Finding]:
    """An approval given to an earlier revision: the chapter has changed since.

    Why: a sign-off vouches for a text, not a file name; what the reviewer read is not what will be published.
    Example: approved on 10 February, then a paragraph rewritten. `nsp diff CHAPTER` shows the reviewer what changed.
    """
    people = ctx.project.people
    for path, line, review in _reviews(ctx):
        if review.state is State.STALE:
            for r in sorted(review.stale, key=lambda r: r.reviewer):
                yield path, line, (f"approval by {display_name(r.reviewer, people)} on {r.date} was for revision "
                                   f"{short_revision(r.revision)}; the chapter has changed since: see `nsp diff {path}`")


@rule("R303", "changes-requested", W)
def open_change_requests(ctx: Context) -> Iterator[Finding]:
    """A reviewer asked for changes, and has not approved since.

    Why: the request is the reviewer's standing verdict until they approve a later revision.
    Example: "changes-requested: add the 2019 FATF plan", with no approval after it.
    """
    people = ctx.project.people
    for path, line, review in _reviews(ctx):
        for r in review.open_requests:
            note = f": {r.note}" if r.note else ""
            yield path, line, f"{display_name(r.reviewer, people)} requested changes on {r.date}{note}"


@rule("R304", "not-approved", W)
def not_yet_approved(ctx: Context) -> Iterator[Finding]:
    """A chapter still waiting for required approvals (a warning while drafting; `--strict` and publishing fail on it).

    Why: the theme's rules say who must sign off (its lead and N further reviewers) before the paper goes out.
    Example: the lead approved, the second reviewer has not yet.
    """
    people = ctx.project.people
    for path, line, review in _reviews(ctx):
        theme = ctx.project.theme_of(ctx.project.documents[path])
        if review.state in (State.DRAFT, State.IN_REVIEW) and review.waiting_for and theme:
            names = ", ".join(waiting_names(review, people, theme.lead))
            yield path, line, f"not yet approved ({review.state.value}); waiting for {names}"


@rule("R305", "review-record-invalid", E)
def valid_records(ctx: Context) -> Iterator[Finding]:
    """A review record that cannot count: for a chapter the theme does not list, by someone not in people.yaml,
    by someone who is not a reviewer of the theme, or by an author of the chapter.

    Why: reviews.yaml is written by `nsp review`, which refuses these; a record like this was edited by hand.
    Example: `reviewer: umer-riaz` approving a chapter Umer Riaz wrote.
    """
    if not ctx.whole_paper:
        return
    for theme in ctx.project.themes:
        for r in ctx.project.reviews.get(theme.id, ()):
            doc = ctx.project.documents.get(r.chapter)
            if r.chapter not in theme.chapters:
                yield r.path, r.line, f"review of '{r.chapter}', which {theme.path} does not list"
            elif r.reviewer not in ctx.project.people:
                yield r.path, r.line, f"reviewer '{r.reviewer}' is not in papers/people.yaml"
            elif doc and r.reviewer in doc.authors:
                yield r.path, r.line, f"'{r.reviewer}' is an author of {r.chapter}: authors cannot review their own chapters"
            elif r.reviewer != theme.lead and r.reviewer not in theme.reviewers:
                yield r.path, r.line, f"'{r.reviewer}' is not a reviewer of {theme.id}; the record does not count"
