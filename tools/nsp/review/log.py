"""Writing the review log: `nsp review` appends a verdict to THEME/reviews.yaml, refusing what cannot count.

review.state reads the log (through review.logfile) and judges each chapter; this module only writes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import yaml

from nsp.diagnostics import Diagnostic, NspError, errors_in
from nsp.editorschema import modeline
from nsp.infra.atomic import job_lock, write_atomic
from nsp.load.project import load_document, load_people, load_theme
from nsp.load.schema import did_you_mean
from nsp.model import Document, Person, Theme
from nsp.review.approved import keep
from nsp.review.provenance import git_email, same_email
from nsp.review.records import APPROVED, Comment, Review, Revision
from nsp.review.state import display_name, load_reviews, reviews_path

HEADER = "# Review log of this theme: append-only, written by `nsp review`. Do not edit by hand.\n"


class Refused(NspError):
    """The review cannot be recorded; the message says why and what to do."""


def record_review(root: Path, chapter: str, *, reviewer: str, verdict: str, note: str = "",
                  today: dt.date | None = None, on_behalf: str = "",
                  comments: tuple[Comment, ...] = ()) -> tuple[Review, list[Diagnostic]]:
    """Append one review of `chapter` (a path relative to the root) to its theme's log, atomically.

    Only the reviewer records their own verdict (git's user.email is theirs), unless `on_behalf` says how a
    sign-off given another way was received; the record then names who recorded it.
    """
    theme, doc, people, found = _chapter(root, chapter, reviewer)
    revision = _revision(root, theme.id, doc)
    day = _may_review(root, theme, doc, people, reviewer, today)
    if verdict != APPROVED and not note.strip():
        raise Refused("say what needs to change: --note is required when requesting changes")
    on_behalf = " ".join(on_behalf.split())
    recorder = _signer(root, people[reviewer], on_behalf)
    review = Review(chapter, reviewer, verdict, revision.id, day, note.strip(), reviews_path(theme.id), 0,
                    revision.text, revision.covers, on_behalf, recorder if on_behalf else "", comments=comments)
    if verdict == APPROVED:  # the approved text is kept first: a record never names a text nsp lacks
        _keep_approved(root, theme.id, review)
    _append(root, theme.id, review)
    return review, found


def _keep_approved(root: Path, theme_id: str, review: Review) -> None:
    """Store the exact approved text (review.approved), so `nsp diff` never depends on a commit."""
    data = (root / review.chapter).read_bytes()
    if "sha256:" + hashlib.sha256(data).hexdigest() != review.text:
        raise Refused(f"{review.chapter} changed while the approval was being recorded; nothing was written: "
                      "approve it again")
    keep(root, theme_id, data)


def _chapter(root: Path, chapter: str, reviewer: str) -> tuple[Theme, Document, dict[str, Person], list[Diagnostic]]:
    """The chapter's theme (as theme.yaml states it), the chapter, the people, and what loading them found."""
    theme_id = chapter.split("/", 1)[0]
    theme, diags = load_theme(root, theme_id) if "/" in chapter else (None, [])
    if theme is None or chapter not in theme.chapters:
        raise Refused(f"{chapter} is not a chapter of any theme: a theme.yaml must list it under chapters:")
    people, _ = load_people(root, "papers/people.yaml")
    if reviewer not in people:
        raise Refused(f"'{reviewer}' is not in papers/people.yaml{did_you_mean(reviewer, set(people))}")
    doc, more = load_document(root, chapter, theme.id)
    if doc is None:
        raise Refused(f"{chapter} cannot be read; fix it first: " + "; ".join(d.text() for d in more))
    return theme, doc, people, diags + more


def _may_review(root: Path, theme: Theme, doc: Document, people: dict[str, Person], reviewer: str,
                today: dt.date | None) -> dt.date:
    """The day of the verdict, once `reviewer` may sign `doc` on it under the confirmed rules; refused otherwise."""
    if reviewer in doc.authors:
        raise Refused(f"{display_name(reviewer, people)} is an author of {doc.path}: authors cannot review their own "
                      "chapters")
    if today and today > dt.date.today():
        raise Refused(f"the date {today} is in the future; a review is recorded when it has been given")
    day = today or dt.date.today()
    theme = _signing_theme(root, theme, people, day)
    if reviewer != theme.lead and reviewer not in theme.reviewers:
        listed = ", ".join(display_name(p, people) for p in dict.fromkeys([theme.lead, *theme.reviewers]) if p)
        raise Refused(f"{display_name(reviewer, people)} is not a reviewer of {theme.id} "
                      f"(its lead and reviewers: {listed or 'none'}); add them to reviewers: in {theme.path} "
                      f"and have the secretariat confirm it: `nsp review confirm-rules {theme.id} --by ID`")
    return day


def _append(root: Path, theme_id: str, review: Review) -> None:
    """Add the record to the theme's log; writers are serialised, and the log re-read under the lock."""
    entry: dict[str, object] = {"chapter": review.chapter.split("/", 1)[1], "reviewer": review.reviewer,
                                "verdict": review.verdict, "revision": review.revision, "text": review.text,
                                "covers": list(review.covers), "date": review.date}
    if review.note:
        entry["note"] = review.note
    if review.on_behalf:
        entry |= {"on_behalf": review.on_behalf, "recorded_by": review.recorded_by}
    if review.comments:
        entry["comments"] = [{k: v for k, v in vars(c).items() if v} for c in review.comments]
    log = root / reviews_path(theme_id)
    with job_lock(root / "build", ".nsp-review.lock"):  # no one else's record is lost
        _, problems = load_reviews(root, theme_id)
        if errors_in(problems):
            raise Refused(f"{reviews_path(theme_id)} is damaged; nothing was written: "
                          + "; ".join(d.text() for d in problems))
        # A new log starts with the comment that points editors at its schema, then what the log is.
        old = log.read_text("utf-8") if log.is_file() else modeline(root, reviews_path(theme_id)) + HEADER
        if old and not old.endswith("\n"):
            old += "\n"
        text = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100)
        write_atomic(log, (old + text).encode("utf-8"))


def _revision(root: Path, theme_id: str, doc: Document) -> Revision:
    """The chapter's revision as a paper that includes its theme sees it (its bibliographies)."""
    from nsp.load.project import list_papers, load_project

    papers = list_papers(root)  # the national paper first: the one every chapter is published in
    for paper in sorted(papers, key=lambda p: p != "national-strategy"):
        project, _ = load_project(root, paper)
        if project is not None and doc.path in project.documents:
            return project.revision_of(project.documents[doc.path])
    raise Refused(f"no paper in papers/ includes the theme {theme_id}: add it to a paper's themes: before reviewing")


def _signing_theme(root: Path, theme: Theme, people: dict[str, Person], day: dt.date) -> Theme:
    """The theme with the signing rules the secretariat confirmed for `day`; refused when there are none."""
    from nsp.review.records import in_force
    from nsp.review.signoff import confirmed, load_signoff

    records, _ = load_signoff(root, theme.id)
    rules = in_force(confirmed(records, people), day)
    if rules is None:
        raise Refused(f"the secretariat has not confirmed the signing rules of {theme.id} in force on {day}; "
                      f"no review can count until it does: `nsp review confirm-rules {theme.id} --by ID`")
    return theme.signed_by(rules)


def _signer(root: Path, person: Person, on_behalf: str) -> str:
    """The git email of whoever is recording; refused unless it is the reviewer's, or `on_behalf` says how."""
    me = git_email(root)
    if on_behalf:
        if not me:
            raise Refused("a record made on someone's behalf names who made it: set your git email first "
                          "(git config user.email YOU@…)")
        return me
    if not person.email:
        raise Refused(f"{person.name} has no email: in papers/people.yaml, so nsp cannot tell that you are them; "
                      f"add it, or record a sign-off received otherwise with --on-behalf \"how it was received\"")
    if not same_email(me, person.email):
        who = f"git knows you as {me}" if me else "git does not know who you are (no user.email)"
        raise Refused(f"{who}, not as {person.name} ({person.email}): only they can record their own verdict; "
                      f"to record one they gave you, add --on-behalf \"how it was received\" (e.g. a letter's date)")
    return me
