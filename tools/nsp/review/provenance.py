"""Who put each review record in the log: the commits that wrote its lines, their authors and signatures.

Anyone can type a reviewer's id and the right hash into reviews.yaml, so a record
is only as good as the commit that added it. `git blame` names the commit behind
every line of a record; the commit's author must be the reviewer (their `email:`
in people.yaml) or, for a sign-off recorded on the reviewer's behalf, whoever the
record says recorded it. With `require_signed_reviews`, the commit's signature must
also verify. A record that fails does not count toward approval; a record not yet
committed is pending: it counts for drafts, and its finding blocks publishing.

git runs as a bounded child process (nsp.git). Without git, outside a
repository, or in a shallow clone nothing can be traced: one finding, and the
records count provisionally, as pending ones do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from nsp.infra.git import git as _git
from nsp.model import Person
from nsp.review.records import UNCOMMITTED, Provenance, Review, Standing, Trace


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def git_email(root: Path) -> str:
    """`git config user.email` in the repository: who nsp review is being run by; "" when unknown."""
    done = _git(root, "config", "user.email")
    return done.out.strip() if done.ok else ""


def history_key(root: Path) -> str:
    """What the traces depend on besides the files themselves: the commit checked out, and the keyring."""
    head = _git(root, "rev-parse", "HEAD")
    return f"{head.out.strip() if head.ok else ''}\0{os.environ.get('GNUPGHOME', '')}"


def same_email(a: str, b: str) -> bool:
    return bool(a) and a.strip().casefold() == b.strip().casefold()


def trace_reviews(root: Path, reviews: dict[str, tuple[Review, ...]], people: dict[str, Person], *,
                  signed: bool) -> Provenance:
    records = [r for log in reviews.values() for r in log]
    if not records:
        return Provenance()  # nothing to trace: no git needed
    problem = _untraceable(root)
    if problem:
        return Provenance(problem=problem)
    spans, problem = _spans(root, records)
    if problem:
        return Provenance(problem=problem)
    commits = {sha for shas in spans.values() for sha in shas if sha != UNCOMMITTED}
    authors = _authors(root, commits)
    verified = {sha for sha in commits if _git(root, "verify-commit", sha).ok} if signed else commits
    return Provenance({(r.path, r.line): _judge(r, spans[(r.path, r.line)], authors, verified, people)
                       for r in records})


def _spans(root: Path, records: list[Review]) -> tuple[dict[tuple[str, int], list[str]], str]:
    """For each record (log, line): the commit that last wrote each of its lines. Second: what went wrong."""
    commit_of: dict[tuple[str, int], str] = {}  # (log, line) -> commit that last wrote the line
    for log in sorted({r.path for r in records}):
        lines, problem = _blame(root, log)
        if problem:
            return {}, f"git blame {log} failed ({problem}): no review record can be traced"
        commit_of.update({(log, n): sha for n, sha in lines.items()})
    text = {log: (root / log).read_text("utf-8", "replace").split("\n") for log in {r.path for r in records}}
    return {(r.path, r.line): [commit_of.get((r.path, n), UNCOMMITTED) for n in _record_lines(r, text[r.path])]
            for r in records}, ""


def _untraceable(root: Path) -> str:
    """Why no record can be traced here (no git, not a repository, a shallow clone); "" when they can."""
    where = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if not where.ok:
        reason = _first_line(where.err).removeprefix("fatal: ")
        if reason.startswith("not a git repository"):
            reason = "this folder is not in a git repository"
        return f"{reason}: no review record can be traced to who committed it; keep the paper in git"
    if where.out.split()[1:2] == ["true"]:
        return ("this is a shallow clone: review records cannot be traced to the commits that added "
                "them; fetch the whole history (git fetch --unshallow)")
    return ""


def _record_lines(r: Review, text: list[str]) -> list[int]:
    """The lines that make up a record (comments and blank lines carry nothing)."""
    last = max(r.end_line, r.line)
    return [n for n in range(r.line, last + 1)
            if n - 1 < len(text) and text[n - 1].strip() and not text[n - 1].lstrip().startswith("#")]


def _blame(root: Path, log: str) -> tuple[dict[int, str], str]:
    """Line number -> commit that last wrote it; uncommitted lines get UNCOMMITTED. Second: what went wrong."""
    done = _git(root, "-c", "blame.ignoreRevsFile=", "blame", "--porcelain", "--", log)
    if not done.ok:
        if "no such path" in done.err or "no such ref" in done.err or "bad revision" in done.err:
            return {}, ""  # not in any commit yet: every line is pending
        return {}, _first_line(done.err) or "no output"
    lines: dict[int, str] = {}
    for row in done.out.split("\n"):
        head = row.split(" ")
        if len(head) >= 3 and len(head[0]) == 40 and all(c in "0123456789abcdef" for c in head[0]):
            lines[int(head[2])] = head[0]
    return lines, ""


def _authors(root: Path, commits: Iterable[str]) -> dict[str, str]:
    """Commit -> author email as written in the commit: --no-mailmap, since .mailmap is in the tree anyone edits."""
    wanted = sorted(commits)
    if not wanted:
        return {}
    done = _git(root, "show", "-s", "--no-mailmap", "--format=%H %ae", *wanted)
    out = {}
    for row in done.out.splitlines():
        sha, _, email = row.partition(" ")
        out[sha] = email.strip()
    return out


def _judge(r: Review, shas: list[str], authors: dict[str, str], verified: set[str],
           people: dict[str, Person]) -> Trace:
    person = people.get(r.reviewer)
    expected = r.recorded_by if r.on_behalf else (person.email if person else "")
    for sha in dict.fromkeys(s for s in shas if s != UNCOMMITTED):
        author = authors.get(sha, "")
        if not same_email(author, expected):
            return Trace(Standing.WRONG_RECORDER if r.on_behalf else Standing.WRONG_AUTHOR, sha, author)
    for sha in dict.fromkeys(s for s in shas if s != UNCOMMITTED):
        if sha not in verified:
            return Trace(Standing.UNSIGNED, sha, authors.get(sha, ""))
    if UNCOMMITTED in shas or not shas:
        return Trace(Standing.PENDING)
    return Trace(Standing.VERIFIED, shas[-1], authors.get(shas[-1], ""))
