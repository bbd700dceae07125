"""Who signs: each person's own email, and review records traced to the commits that added them.

P404–P405 are about papers/people.yaml; R310–R314 read the project's provenance
(nsp.provenance), traced while loading. All R31x are warnings, so drafts still
build; `--strict` and `nsp publish` refuse on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nsp.check.context import Context
from nsp.diagnostics import Severity
from nsp.review.provenance import Standing, Trace
from nsp.review.state import APPROVED, Review, display_name
from nsp.rules import Finding, rule

E, W = Severity.ERROR, Severity.WARNING
EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z0-9-]{2,}")


@rule("P404", "email-invalid", E)
def valid_emails(ctx: Context) -> Iterator[Finding]:
    """A person's `email:` in papers/people.yaml that is not an email address.

    Why: a reviewer's email is how nsp knows their commits, and so their sign-offs; a typo makes every one of them
    look committed by someone else.
    Example: `email: tariq.parvez@nioc` or `email: Tariq Parvez`.
    """
    if not ctx.whole_paper:
        return
    for person in ctx.project.people.values():
        if person.email and not EMAIL.fullmatch(person.email):
            yield "papers/people.yaml", person.line, (f"email '{person.email}' of {person.id} is not an email address; "
                                                      "write it like name@example.org")


@rule("P405", "email-shared", E)
def unique_emails(ctx: Context) -> Iterator[Finding]:
    """Two people in papers/people.yaml with the same `email:`.

    Why: a commit is matched to its reviewer by email; a shared address lets one person's commit pass as the other's
    sign-off.
    Example: a reviewer given the secretariat's office address that the theme lead also uses.
    """
    if not ctx.whole_paper:
        return
    first: dict[str, str] = {}
    for person in ctx.project.people.values():
        key = person.email.casefold()
        if not key:
            continue
        if key in first:
            other = ctx.project.people[first[key]]
            yield "papers/people.yaml", person.line, (f"{person.id} has the same email as {other.id} (line {other.line}): "
                                                      "each person needs their own, or their commits cannot be told apart")
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


@rule("R310", "review-not-committed", W)
def pending_records(ctx: Context) -> Iterator[Finding]:
    """A review record not yet committed to git: until it is, nobody can tell who added it.

    Why: a record counts because its reviewer committed it. An uncommitted one counts for drafts only; publishing
    waits until it is committed.
    Example: `nsp review approve … --by tariq-parvez` run, and alpha/reviews.yaml not yet committed.
    """
    for r, _, name in _traced(ctx, Standing.PENDING):
        yield r.path, r.line, f"{_what(r, name)} is not committed yet: commit {r.path} (as {name}) so it can be traced"


@rule("R311", "review-committed-by-other", W)
def records_by_their_reviewer(ctx: Context) -> Iterator[Finding]:
    """A review record added (or changed) by a commit whose author is not the reviewer, and not marked as
    recorded on the reviewer's behalf. The record does not count.

    Why: anyone can type a reviewer's id and the current hash into reviews.yaml; only the reviewer's own commit
    shows that they signed. A sign-off received by letter or email is recorded with `--on-behalf`.
    Example: a researcher adds an approval "by" the theme lead, backdated, and commits it as themselves.
    """
    people = ctx.project.people
    for r, trace, name in _traced(ctx, Standing.WRONG_AUTHOR):
        email = people[r.reviewer].email if r.reviewer in people else ""
        theirs = email or "no email: in papers/people.yaml"
        yield r.path, r.line, (f"{_what(r, name)} was committed by {trace.author or 'unknown'} (commit {trace.commit[:10]}), "
                               f"not by {name} ({theirs}): it does not count unless they commit it, or it is "
                               "recorded with --on-behalf")


@rule("R312", "review-unsigned", W)
def signed_records(ctx: Context) -> Iterator[Finding]:
    """With `require_signed_reviews: true` in the paper's manifest, a review record whose commit's signature
    does not verify (`git verify-commit`). The record does not count.

    Why: an email address in a commit is only a claim; a signature made with the reviewer's key is proof.
    Example: the theme lead committed their approval without `git commit -S`, or with a key not in the keyring.
    """
    for r, trace, name in _traced(ctx, Standing.UNSIGNED):
        yield r.path, r.line, (f"{_what(r, name)}: commit {trace.commit[:10]} has no signature that verifies, and "
                               f"{ctx.project.paper.path} requires signed reviews: it does not count; sign the commit "
                               "(git commit -S) with a key the keyring knows")


@rule("R313", "review-untraceable", W)
def traceable_records(ctx: Context) -> Iterator[Finding]:
    """No review record can be traced to the commit that added it: git is missing, the paper is not in a git
    repository, or the clone is shallow. Reported once.

    Why: without history, a record typed in by anyone looks the same as a real sign-off. Drafts still build;
    publishing waits.
    Example: the manuscript copied out of its repository, or a CI checkout with `fetch-depth: 1`.
    """
    provenance = ctx.project.provenance
    if not ctx.whole_paper or provenance is None or not provenance.problem:
        return
    first = next((r for t in ctx.project.themes for r in ctx.project.reviews.get(t.id, ())), None)
    if first is not None:
        yield first.path, 0, provenance.problem


@rule("R314", "on-behalf-recorder-mismatch", W)
def records_by_their_recorder(ctx: Context) -> Iterator[Finding]:
    """A record marked as received on the reviewer's behalf whose commit was not authored by the person the record
    says recorded it (`recorded_by:`), or that does not say who recorded it. The record does not count.

    Why: a sign-off by letter is only as trustworthy as who recorded it; the record names them, and its commit
    must be theirs, so that the name printed beside the approval is true.
    Example: `on_behalf: "phone call"`, `recorded_by: secretariat@…`, committed by a researcher.
    """
    for r, trace, name in _traced(ctx, Standing.WRONG_RECORDER):
        if not r.recorded_by:
            yield r.path, r.line, (f"{_what(r, name)} is marked on their behalf but does not say who recorded it "
                                   "(recorded_by:): it does not count; record it with nsp review --on-behalf")
        else:
            yield r.path, r.line, (f"{_what(r, name)} says it was recorded by {r.recorded_by}, but commit "
                                   f"{trace.commit[:10]} is by {trace.author or 'unknown'}: it does not count")
