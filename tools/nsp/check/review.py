"""R3xx: every chapter reviewed, and approved in its current form."""

from __future__ import annotations

from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.review.records import ChapterReview, Rules, State, in_force
from nsp.review.signoff import differences, problem
from nsp.review.state import display_name, required_approvers, short_revision, waiting_names, what_changed
from nsp.rules import PROTECTED, RULES, matches


def _reviews(ctx: Context) -> Iterator[tuple[str, int, ChapterReview]]:
    for doc in ctx.chapters():
        review = ctx.project.review_of(doc)
        if review is not None:
            yield doc.path, doc.key_lines.get("title", 0), review


def chapters_have_reviewers(ctx: Context) -> Iterator[Finding]:
    """R301: A chapter that cannot get the sign-offs its theme requires from people who did not write it."""
    people = ctx.project.people
    for doc in ctx.chapters():
        theme = ctx.project.theme_of(doc)
        if theme is None:
            continue
        theme = ctx.project.signing_theme(theme)  # the rules in force, not an unconfirmed edit of theme.yaml
        need = required_approvers(theme, doc)
        line = doc.key_lines.get("authors", 0)
        if not [p for p in (theme.lead, *theme.reviewers) if p and p not in doc.authors]:
            yield doc.path, line, f"no one can review this chapter; add reviewers: to {theme.path}"
        elif need.short:
            signers = [p for p in dict.fromkeys((theme.lead, *theme.reviewers)) if p and p in doc.authors]
            wrote = " and ".join(display_name(p, people) for p in signers)
            yield (
                doc.path,
                line,
                (
                    f"cannot be approved: it needs {need.total} sign-offs by people who did not write "
                    f"it, and {wrote} {'is an author' if len(signers) == 1 else 'are authors'}; "
                    f"add {need.short} more reviewer{'s' * (need.short != 1)} to reviewers: in {theme.path}"
                ),
            )


def stale_approvals(ctx: Context) -> Iterator[Finding]:
    """R302: An approval of an earlier revision: the chapter, an image or a cited reference has changed since."""
    people = ctx.project.people
    for path, line, review in _reviews(ctx):
        if review.state is State.STALE:
            now = ctx.project.revision_of(ctx.project.documents[path])
            for r in sorted(review.stale, key=lambda r: r.reviewer):
                yield path, line, (f"approval by {display_name(r.reviewer, people)} on {r.date} was for revision "
                                   f"{short_revision(r.revision)}; {what_changed(r, now)}")


def open_change_requests(ctx: Context) -> Iterator[Finding]:
    """R303: A reviewer asked for changes, and has not approved since."""
    people = ctx.project.people
    for path, line, review in _reviews(ctx):
        for r in review.open_requests:
            note = f": {r.note}" if r.note else ""
            yield path, line, f"{display_name(r.reviewer, people)} requested changes on {r.date}{note}"


def not_yet_approved(ctx: Context) -> Iterator[Finding]:
    """R304: A chapter still waiting for required approvals."""
    people = ctx.project.people
    for path, line, review in _reviews(ctx):
        theme = ctx.project.theme_of(ctx.project.documents[path])
        if review.state in (State.DRAFT, State.IN_REVIEW) and review.waiting_for and theme:
            names = ", ".join(waiting_names(review, people, theme.lead))
            yield path, line, f"not yet approved ({review.state.value}); waiting for {names}"


def valid_records(ctx: Context) -> Iterator[Finding]:
    """R305: A review record that cannot count: for a chapter the theme does not list, by someone not in people.yaml,"""
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
                yield (
                    r.path,
                    r.line,
                    f"'{r.reviewer}' is an author of {r.chapter}: authors cannot review their own chapters",
                )
            elif (rules := ctx.project.rules_of(theme)) and (then := in_force(rules, r.date)) is None:
                yield r.path, r.line, (f"dated {r.date}, before the secretariat first confirmed the signing rules of "
                                       f"{theme.id} ({rules[0].date}); the record does not count")
            elif r.reviewer not in ((then.lead, *then.reviewers) if rules and then else (theme.lead, *theme.reviewers)):
                yield r.path, r.line, f"'{r.reviewer}' is not a reviewer of {theme.id}; the record does not count"


def signing_rules_confirmed(ctx: Context) -> Iterator[Finding]:
    """R306: A theme whose signing rules the secretariat has not confirmed as they stand."""
    if not ctx.whole_paper:
        return
    for theme in ctx.project.themes:
        rules = in_force(ctx.project.rules_of(theme))
        command = f"`nsp review confirm-rules {theme.id} --by ID` (ID: a member of the secretariat)"
        if rules is None:
            yield theme.path, theme.key_lines.get("lead", 1), (
                f"the secretariat has not confirmed who signs the chapters of {theme.id} (lead, reviewers, "
                f"required_reviewers); until it does none can be approved: {command}")
            continue
        changed = differences(rules, theme)
        if changed:
            key = next(k for k in ("lead", "reviewers", "required_reviewers") if changed[0].startswith(k))
            yield theme.path, theme.key_lines.get(key, 1), (
                f"changes the signing rules confirmed on {rules.date} by "
                f"{display_name(rules.confirmed_by, ctx.project.people)} ({'; '.join(changed)}); they stay in force "
                f"until the secretariat confirms the change: {command}")


def valid_signing_rules(ctx: Context) -> Iterator[Finding]:
    """R307: A record in THEME/signoff.yaml that cannot count."""
    if not ctx.whole_paper:
        return
    for theme in ctx.project.themes:
        good: list[Rules] = []
        for r in ctx.project.signoff.get(theme.id, ()):
            why = problem(r, good, ctx.project.people)
            if why:
                yield r.path, r.line, why
            else:
                good.append(r)


def signing_rules_committed_by_the_secretariat(ctx: Context) -> Iterator[Finding]:
    """R308: A confirmation in THEME/signoff.yaml not committed, or committed by someone other than its confirmer."""
    provenance = ctx.project.provenance
    if not ctx.whole_paper or provenance is None:
        return
    from nsp.review.records import Standing

    people = ctx.project.people
    for theme in ctx.project.themes:
        for r in ctx.project.signoff.get(theme.id, ()):
            trace = provenance.of(r.as_record(theme.id))
            if trace is None or trace.standing is Standing.VERIFIED:
                continue
            who = display_name(r.confirmed_by, people)
            if trace.standing is Standing.PENDING:
                yield r.path, r.line, (f"confirmation by {who} on {r.date} is not committed yet: {who} commits "
                                       f"{r.path} so it can be traced; until then it counts for drafts only")
            else:
                email = people[r.confirmed_by].email if r.confirmed_by in people else "no email"
                yield r.path, r.line, (f"confirmation by {who} on {r.date} was committed by {trace.author} (commit "
                                       f"{trace.commit[:10]}), not by {who} ({email}): it does not count")


def ignores_that_silence_the_gate(ctx: Context) -> Iterator[Finding]:
    """E013: A chapter's `ignore:` names review (R3xx), people (P4xx) or safety (A5xx) rules, or this one."""
    for doc in ctx.documents():
        bad = [p for p in doc.ignore if p.strip() and any(c.startswith(p.strip().upper()) for c in RULES
                                                          if matches(c, PROTECTED))]
        if bad:
            yield doc.path, doc.key_lines.get("ignore", 0), (
                f"ignore: {', '.join(bad)} cannot be ignored here: review (R3xx), people (P4xx) and safety (A5xx) "
                "rules judge the chapter, so it cannot silence them; remove them from ignore:")
