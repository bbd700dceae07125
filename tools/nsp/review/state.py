"""Reading the review log and judging each chapter: the state every stage reads, computed once at load.

`THEME/reviews.yaml` is an append-only log. An approval counts only for the
revision it names: a hash of what the reader sees of the chapter (its text, the
bytes of its images, the bibliography entries it cites); a chapter is approved when its theme lead
and the required number of further reviewers have approved its current text,
and nobody's latest word on it is a request for changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nsp.crossref import is_crossref
from nsp.diagnostics import Diagnostic
from nsp.infra.pandoc import Index, index_documents
from nsp.infra.resources import FIGURE_SOURCE
from nsp.load import schema as s
from nsp.load.yamlfile import LineDict
from nsp.model import Document, Person, Project, Theme
from nsp.review.logfile import read_log
from nsp.review.records import (
    APPROVED,
    CHANGES,
    VERDICTS,
    ChapterReview,
    Comment,
    Requirement,
    Review,
    Revision,
    Rules,
    State,
    in_force,
)
from nsp.review.signoff import confirmed
from nsp.rules import finding

if TYPE_CHECKING:
    from nsp.load.bib import Bibliography

RECORD_SCHEMA: s.Schema = {
    "chapter": s.Field("text", required=True, doc="the chapter's file in the theme's folder"),
    "reviewer": s.Field("text", required=True, doc="the reviewer's id in papers/people.yaml"),
    "verdict": s.Field("text", required=True, choices=VERDICTS, doc="approved or changes-requested"),
    "revision": s.Field("text", required=True, doc="the revision judged: text, images and references"),
    "date": s.Field("date", required=True, doc="the day of the verdict"),
    "note": s.Field("text", doc="the reviewer's note"),
    "text": s.Field("text", doc="sha256 of the chapter's file alone (what `nsp diff` looks up)"),
    "covers": s.Field("texts", doc="the images and references the revision covers, with their digests"),
    # A sign-off the reviewer gave another way (a letter), recorded by someone else: how, and by whom (git email).
    "on_behalf": s.Field("text", doc="how a sign-off given another way (a letter) was received"),
    "recorded_by": s.Field("text", doc="the git email of whoever recorded it on the reviewer's behalf"),
    # Comments imported from a Word file (`nsp review import`): line, quote, text, author, date.
    "comments": s.Field("maps", doc="comments imported from Word: line, quote, text, author, date"),
}


def chapter_revision(root: Path, doc: Document, index: Index, bibliography: Bibliography) -> Revision:
    from nsp.infra.resources import usable_image

    covers = set()
    for url in index.images:
        rel, _ = usable_image(root, doc.path, url)
        covers.add(f"image {rel or url} {_image_digest(root / rel) if rel else 'missing'}")
    for key in set(index.cites):
        if is_crossref(key, bibliography.entries):
            continue  # a figure, table or section of the paper: no reference, nothing to sign
        entry = bibliography.entries.get(key)
        canonical = (
            (
                f"@{entry.entry_type}{{{key},\n"
                + "".join(f"  {k} = {{{v}}},\n" for k, v in sorted(entry.fields.items()))
                + "}"
            )
            if entry
            else ""
        )
        covers.add(
            f"reference {key} " + ("sha256:" + hashlib.sha256(canonical.encode()).hexdigest() if entry else "missing")
        )
    return Revision(doc.sha256, tuple(sorted(covers)))


def _image_digest(path: Path) -> str:
    """What a reader sees of an image: its bytes; for a typst figure source, every file of its folder,
    which it may read (a changed data file changes the figure as surely as its source)."""
    if path.suffix.lower() != FIGURE_SOURCE:
        return _file_digest(path)
    files = sorted(p for p in path.parent.iterdir() if p.is_file())
    lines = "\n".join(f"{p.name} {_file_digest(p)}" for p in files)
    return "folder-sha256:" + hashlib.sha256(lines.encode()).hexdigest()


def _file_digest(path: Path) -> str:
    try:
        with path.open("rb") as f:
            return "sha256:" + hashlib.file_digest(f, "sha256").hexdigest()  # streamed: images may be large
    except OSError:
        return "unreadable"


def what_changed(record: Review, now: Revision) -> str:
    """In words, what differs between what `record` approved and the chapter as it stands."""
    if not record.text:
        return ("it covered only the chapter's text; approvals now also cover its images and references and must be "
                "given again")

    def parts(lines: tuple[str, ...]) -> dict[str, str]:
        return {line.rsplit(" ", 1)[0]: line.rsplit(" ", 1)[-1] for line in lines}
    old, new = parts(record.covers), parts(now.covers)
    changes = [f"the text changed (see `nsp diff {record.chapter}`)"] if record.text != now.text else []
    for item in sorted(old.keys() | new.keys()):
        how = (
            "added"
            if item not in old
            else "removed"
            if item not in new
            else "changed"
            if old[item] != new[item]
            else ""
        )
        if how:
            changes.append(f"{item} {how}")
    if changes == changes[:1] and record.text != now.text:
        return f"the chapter has changed since: see `nsp diff {record.chapter}`"  # the text alone, as it always said
    return (
        "since then " + ", ".join(changes) if changes else "the revision does not match what it names (edited by hand?)"
    )


def reviews_path(theme_id: str) -> str:
    return f"{theme_id}/reviews.yaml"


def load_reviews(root: Path, theme_id: str) -> tuple[list[Review], list[Diagnostic]]:
    rel = reviews_path(theme_id)
    records, diags = read_log(root, rel, RECORD_SCHEMA, "review record", "nsp review")
    out: list[Review] = []
    for fields, item, end in records:
        line = item.line if isinstance(item, LineDict) else 0
        if len(fields) < len([k for k, f in RECORD_SCHEMA.items() if f.required]):
            continue
        if fields["verdict"] not in VERDICTS:
            diags.append(finding(rel, item.line_of("verdict") if isinstance(item, LineDict) else 0, "E007",
                               f"verdict '{fields['verdict']}' must be one of: {', '.join(VERDICTS)}"))
            continue
        out.append(Review(f"{theme_id}/{fields['chapter']}", fields["reviewer"], fields["verdict"], fields["revision"],
                          fields["date"], fields.get("note", ""), rel, line, fields.get("text", ""),
                          tuple(fields.get("covers", ())), " ".join(fields.get("on_behalf", "").split()),
                          fields.get("recorded_by", "").strip(), end, _comments(fields.get("comments", ()))))
    return out, diags


def _comments(items: tuple[dict[str, Any], ...]) -> tuple[Comment, ...]:
    """The comments of a record; a field of the wrong type reads as empty (the log is nsp's own writing)."""
    def text(item: dict[str, Any], key: str) -> str:
        value = item.get(key, "")
        return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""

    out = []
    for item in items:
        line = item.get("line", 0)
        out.append(Comment(line if isinstance(line, int) and not isinstance(line, bool) else 0,
                           text(item, "quote"), text(item, "text"), text(item, "author"), text(item, "date")))
    return tuple(out)


def on_behalf_note(r: Review) -> str:
    """How a sign-off recorded by someone else was received, in words for every place it is shown; '' if none."""
    if not r.on_behalf:
        return ""
    return f"on their behalf: “{r.on_behalf}”" + (f", recorded by {r.recorded_by}" if r.recorded_by else "")


def required_approvers(theme: Theme, doc: Document) -> Requirement:
    """The lead and `required_reviewers` further reviewers sign every chapter; authors never count.

    The number is the theme's, whoever wrote the chapter: a lead who is an author is replaced by one more
    further reviewer, and a chapter whose possible signers are its authors cannot be approved until someone
    else is assigned (R301). A theme listing fewer reviewers than it requires asks for all it lists.
    """
    listed = tuple(dict.fromkeys(r for r in theme.reviewers if r and r != theme.lead))
    further = min(theme.required_reviewers, len(listed))
    lead_signs = bool(theme.lead) and theme.lead not in doc.authors
    others = tuple(r for r in listed if r not in doc.authors)
    needed = further + (1 if theme.lead and not lead_signs else 0)
    return Requirement(theme.lead if lead_signs else "", others, min(needed, len(others)),
                       max(0, needed - len(others)), (1 if theme.lead else 0) + further)


def chapter_review(theme: Theme, doc: Document, reviews: list[Review], revision: Revision,
                   rules: list[Rules]) -> ChapterReview:
    """Where a chapter stands under its theme's confirmed signing `rules` (in date order).

    A record counts only if its reviewer could sign (lead or reviewer, not an author) under the rules in force
    on its date. The chapter is approved if the approvals of its current revision satisfy the rules in force
    when one of them was given, or today's; otherwise it is judged against today's rules.
    """
    if not rules:
        return ChapterReview(State.BLOCKED, (), (), (), (), unconfirmed=True)
    def could_sign(r: Review) -> bool:
        then = in_force(rules, r.date)
        return then is not None and r.reviewer not in doc.authors and r.reviewer in (then.lead, *then.reviewers)
    counted = [r for r in reviews if r.chapter == doc.path and could_sign(r)]
    epochs = [in_force(rules, r.date) for r in counted if r.verdict == APPROVED and r.revision == revision.id]
    today = _judge(theme.signed_by(rules[-1]), doc, counted, revision)
    for epoch in dict.fromkeys(e for e in epochs if e is not None and e is not rules[-1]):
        then = _judge(theme.signed_by(epoch), doc, counted, revision)
        if then.state is State.APPROVED and today.state is not State.CHANGES_REQUESTED:
            return then
    return today


def _judge(theme: Theme, doc: Document, reviews: list[Review], revision: Revision) -> ChapterReview:
    allowed = {theme.lead, *theme.reviewers} - set(doc.authors)  # anyone else's record does not count (R305)
    mine = [r for r in reviews if r.chapter == doc.path and r.reviewer in allowed]
    latest: dict[str, Review] = {}
    for r in mine:  # the log is in time order: later lines win
        latest[r.reviewer] = r
    last_approval: dict[str, Review] = {r.reviewer: r for r in mine if r.verdict == APPROVED}
    current = tuple(r for r in last_approval.values() if r.revision == revision.id)
    stale = tuple(r for r in last_approval.values() if r.revision != revision.id)
    open_requests = tuple(r for r in latest.values() if r.verdict == CHANGES)
    approvers = {r.reviewer for r in current if r not in open_requests}
    need = required_approvers(theme, doc)
    waiting, choose = _still_to_sign(need, approvers)
    state = _state(need, waiting, current, stale, open_requests, approvers)
    return ChapterReview(state, current, stale, open_requests, tuple(waiting), choose, need.short)


def _still_to_sign(need: Requirement, approvers: set[str]) -> tuple[list[str], int]:
    """Who still has to approve (the lead first), and how many of the further reviewers listed are needed."""
    waiting = [need.lead] if need.lead and need.lead not in approvers else []
    have = len([o for o in need.others if o in approvers])
    if have >= need.needed:
        return waiting, 0
    missing = [o for o in need.others if o not in approvers]
    return waiting + missing, need.needed - have if len(missing) > need.needed - have else 0


def _state(need: Requirement, waiting: list[str], current: tuple[Review, ...], stale: tuple[Review, ...],
           open_requests: tuple[Review, ...], approvers: set[str]) -> State:
    if open_requests:
        return State.CHANGES_REQUESTED
    if need.short:
        return State.BLOCKED
    if not waiting and need.total:
        return State.APPROVED
    if stale and (not current or any(r.reviewer not in approvers for r in stale)):
        return State.STALE
    return State.IN_REVIEW if current else State.DRAFT


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
    if review.unconfirmed:
        names.append("the secretariat, to confirm the theme's signing rules")
    if review.short:
        names.append(f"{review.short} more reviewer{'s' * (review.short != 1)} who did not write it (none assigned)")
    return names


def short_revision(revision: str) -> str:
    return revision[:19] + "…" if len(revision) > 20 else revision


def judge_project(project: Project) -> Project:
    """The project with every chapter's review state judged: once, at load, for every stage to read.

    The signing rules that count (confirmed by the secretariat and committed by whoever confirmed them,
    R308), each chapter's revision (its text, images and cited entries: pandoc reads all chapters at once),
    and where each chapter stands under those rules.
    """
    confirmed_rules = {t.id: tuple(confirmed(_committed(project, t), project.people)) for t in project.themes}
    # Every chapter, listed or not yet (S102): one not yet listed can be previewed, and says where it stands.
    chapters = [d for d in project.documents.values() if d.theme is not None]
    revisions = {path: chapter_revision(project.root, project.documents[path], index, project.bibliography)
                 for path, index in index_documents(project, chapters).items() if path in project.documents}
    judged = replace(project, confirmed=confirmed_rules, revisions=revisions)
    states = {}
    for theme in project.themes:
        records = judged.records_that_count(theme)
        for doc in (d for d in chapters if d.theme == theme.id):
            states[doc.path] = chapter_review(theme, doc, records, judged.revision_of(doc),
                                              list(confirmed_rules[theme.id]))
    return replace(judged, states=states)


def _committed(project: Project, theme: Theme) -> tuple[Rules, ...]:
    """The theme's signing-rules records, without those committed by someone other than their confirmer (R308)."""
    records = project.signoff.get(theme.id, ())
    if project.provenance is None:
        return records
    return tuple(r for r in records if project.provenance.counts(r.as_record(theme.id)))
