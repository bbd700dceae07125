"""Who signs: each person's own email, and review records traced to the commits that added them.

P404–P405 are about papers/people.yaml; R310–R314 read the project's provenance
(nsp.provenance), traced while loading. All R31x are warnings, so drafts still
build; `--strict` and `nsp publish` refuse on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.review.records import APPROVED, Review, Standing, Trace
from nsp.review.state import display_name

EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z0-9-]{2,}")


def valid_emails(ctx: Context) -> Iterator[Finding]:
    """P404: A person's `email:` in papers/people.yaml that is not an email address."""
    if not ctx.whole_paper:
        return
    for person in ctx.project.people.values():
        if person.email and not EMAIL.fullmatch(person.email):
            yield "papers/people.yaml", person.line, (f"email '{person.email}' of {person.id} is not an email address; "
                                                      "write it like name@example.org")


def unique_emails(ctx: Context) -> Iterator[Finding]:
    """P405: Two people in papers/people.yaml with the same `email:`."""
    if not ctx.whole_paper:
        return
    first: dict[str, str] = {}
    for person in ctx.project.people.values():
        key = person.email.casefold()
        if not key:
            continue
        if key in first:
            other = ctx.project.people[first[key]]
            yield (
                "papers/people.yaml",
                person.line,
                (
                    f"{person.id} has the same email as {other.id} (line {other.line}): "
                    "each person needs their own, or their commits cannot be told apart"
                ),
            )
        else:
            first[key] = person.id


def _traced(ctx: Context, standing: Standing) -> Iterator[tuple[Review, Trace, str]]:
    """Records of the paper's themes with the given standing, with the reviewer's name; not those superseded."""
    provenance = ctx.project.provenance
    if not ctx.whole_paper or provenance is None:
        return
    for theme in ctx.project.themes:
        log = ctx.project.reviews.get(theme.id, ())
        for i, r in enumerate(log):
            trace = provenance.of(r)
            if trace is not None and trace.standing is standing and not _superseded(r, log[i + 1:], ctx):
                yield r, trace, display_name(r.reviewer, ctx.project.people)


def _superseded(r: Review, later: tuple[Review, ...], ctx: Context) -> bool:
    """A record a later, verified one by the same reviewer on the same chapter replaces: it decides nothing, so its
    provenance does not matter (the log is append-only: an old unsigned record must not block publishing forever).
    An approval replaces every earlier word; a change request replaces earlier change requests."""
    provenance = ctx.project.provenance
    assert provenance is not None
    return any(n.chapter == r.chapter and n.reviewer == r.reviewer and (n.verdict == APPROVED or n.verdict == r.verdict)
               and (t := provenance.of(n)) is not None and t.standing is Standing.VERIFIED for n in later)


def _what(r: Review, name: str) -> str:
    return f"{'approval' if r.verdict == APPROVED else 'change request'} by {name} of {r.chapter.split('/', 1)[-1]}"


def pending_records(ctx: Context) -> Iterator[Finding]:
    """R310: A review record not yet committed to git: until it is, nobody can tell who added it."""
    for r, _, name in _traced(ctx, Standing.PENDING):
        yield r.path, r.line, f"{_what(r, name)} is not committed yet: commit {r.path} (as {name}) so it can be traced"


def records_by_their_reviewer(ctx: Context) -> Iterator[Finding]:
    """R311: A review record added (or changed) by a commit whose author is not the reviewer, and not marked as"""
    people = ctx.project.people
    for r, trace, name in _traced(ctx, Standing.WRONG_AUTHOR):
        email = people[r.reviewer].email if r.reviewer in people else ""
        theirs = email or "no email: in papers/people.yaml"
        yield (
            r.path,
            r.line,
            (
                f"{_what(r, name)} was committed by {trace.author or 'unknown'} (commit {trace.commit[:10]}), "
                f"not by {name} ({theirs}): it does not count unless they commit it, or it is "
                "recorded with --on-behalf"
            ),
        )


def signed_records(ctx: Context) -> Iterator[Finding]:
    """R312: With `require_signed_reviews: true` in the paper's manifest, a review record whose commit's signature"""
    for r, trace, name in _traced(ctx, Standing.UNSIGNED):
        yield r.path, r.line, (f"{_what(r, name)}: commit {trace.commit[:10]} has no signature that verifies, and "
                               f"{ctx.project.paper.path} requires signed reviews: it does not count; sign the commit "
                               "(git commit -S) with a key the keyring knows")


def traceable_records(ctx: Context) -> Iterator[Finding]:
    """R313: No review record can be traced to the commit that added it: git is missing, the paper is not in a git"""
    provenance = ctx.project.provenance
    if not ctx.whole_paper or provenance is None or not provenance.problem:
        return
    first = next((r for t in ctx.project.themes for r in ctx.project.reviews.get(t.id, ())), None)
    if first is not None:
        yield first.path, 0, provenance.problem


def records_by_their_recorder(ctx: Context) -> Iterator[Finding]:
    """R314: An on-behalf record whose commit was not authored by the person it says recorded it."""
    for r, trace, name in _traced(ctx, Standing.WRONG_RECORDER):
        if not r.recorded_by:
            yield r.path, r.line, (f"{_what(r, name)} is marked on their behalf but does not say who recorded it "
                                   "(recorded_by:): it does not count; record it with nsp review --on-behalf")
        else:
            yield r.path, r.line, (f"{_what(r, name)} says it was recorded by {r.recorded_by}, but commit "
                                   f"{trace.commit[:10]} is by {trace.author or 'unknown'}: it does not count")
