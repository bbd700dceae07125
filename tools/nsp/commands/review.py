"""nsp review: record a verdict (approve, request-changes) or confirm a theme's signing rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from nsp.commands.common import find_root, handle_errors, relative
from nsp.commands.complete import chapters, people, themes

ON_BEHALF_HELP = ("Record a verdict the reviewer gave another way, saying how it was received "
                  "(\"letter of 12 May, scanned in the secretariat file\"); shown wherever the approval appears.")


@click.group()
def review() -> None:
    """Record a reviewer's verdict on a chapter (appends to THEME/reviews.yaml)."""


@review.command("approve")
@click.argument("chapter", shell_complete=chapters, type=click.Path(path_type=Path))
@click.option("--by", "reviewer", shell_complete=people, required=True, metavar="ID",
              help="The reviewer's id in papers/people.yaml.")
@click.option("--note", default="", help="A short comment kept with the approval.")
@click.option(
    "--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="When it was given, if not today (a sign-off by letter)."
)
@click.option("--on-behalf", default="", metavar="HOW", help=ON_BEHALF_HELP)
@handle_errors
def review_approve(chapter: Path, reviewer: str, note: str, when: Any, on_behalf: str) -> None:
    """Approve the current text of CHAPTER (as yourself: git's user.email must be the reviewer's)."""
    _record(chapter, reviewer, "approved", note, when, on_behalf)


@review.command("request-changes")
@click.argument("chapter", shell_complete=chapters, type=click.Path(path_type=Path))
@click.option("--by", "reviewer", shell_complete=people, required=True, metavar="ID",
              help="The reviewer's id in papers/people.yaml.")
@click.option("--note", required=True, help="What needs to change.")
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="When it was given, if not today.")
@click.option("--on-behalf", default="", metavar="HOW", help=ON_BEHALF_HELP)
@handle_errors
def review_request_changes(chapter: Path, reviewer: str, note: str, when: Any, on_behalf: str) -> None:
    """Ask the authors of CHAPTER for changes (as yourself: git's user.email must be the reviewer's)."""
    _record(chapter, reviewer, "changes-requested", note, when, on_behalf)


@review.command("confirm-rules")
@click.argument("theme", shell_complete=themes)
@click.option("--by", "secretary", shell_complete=people, required=True, metavar="ID",
              help="A member of the secretariat (people.yaml group).")
@click.option("--note", default="", help="The decision, in a few words (e.g. the board meeting it was taken at).")
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="From when the rules apply, if not today.")
@handle_errors
def review_confirm_rules(theme: str, secretary: str, note: str, when: Any) -> None:
    """Confirm THEME's signing rules (lead, reviewers, required_reviewers) as theme.yaml states them."""
    from nsp.review.confirm import confirm_rules

    rules, written = confirm_rules(find_root(Path.cwd()), theme, by=secretary, note=note,
                                   today=when.date() if when else None)
    if not written:
        click.echo(f"{theme}/theme.yaml states the rules confirmed on {rules.date}; nothing written")
        return
    click.echo(f"recorded in {rules.path}: from {rules.date} the chapters of {theme} are signed by "
               f"lead {rules.lead or 'none'} and {rules.required_reviewers} of reviewers "
               f"{', '.join(rules.reviewers) or 'none'}; confirmed by {secretary}")


def _record(chapter: Path, reviewer: str, verdict: str, note: str, when: Any, on_behalf: str) -> None:
    from nsp.review.approved import stored_path
    from nsp.review.log import record_review
    from nsp.review.state import on_behalf_note, short_revision

    root = find_root(Path.cwd())
    rec, _ = record_review(root, relative(root, chapter), reviewer=reviewer, verdict=verdict, note=note,
                               today=when.date() if when else None, on_behalf=on_behalf)
    how = f" ({on_behalf_note(rec)})" if rec.on_behalf else ""
    click.echo(f"recorded in {rec.path}: {rec.verdict} by {reviewer} on {rec.date} for revision "
               f"{short_revision(rec.revision)}{how}")
    kept = f" {stored_path(rec.path.split('/', 1)[0], rec.text)}" if rec.verdict == "approved" else ""
    click.echo(f"next: git add {rec.path}{kept} && git commit, as yourself; until then nsp check reports the "
               "record as pending")


@review.command("import")
@click.argument("docx_file", metavar="REVIEWED.docx", type=click.Path(path_type=Path))
@click.option("--by", "reviewer", shell_complete=people, required=True, metavar="ID",
              help="The reviewer's id in papers/people.yaml.")
@click.option("--chapter", shell_complete=chapters, type=click.Path(path_type=Path),
              help="The chapter the file shows (needed only for Word files nsp did not make).")
@click.option("--apply", "apply_patch", is_flag=True, help="Also make the tracked changes in the chapter.")
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="When the review was given, if not today.")
@click.option("--on-behalf", default="", metavar="HOW", help=ON_BEHALF_HELP)
@handle_errors
def review_import(docx_file: Path, reviewer: str, chapter: Path | None, apply_patch: bool, when: Any,
                  on_behalf: str) -> None:
    """Bring a reviewer's Word comments and tracked changes back: comments become a changes-requested
    verdict with notes at the chapter's lines; tracked changes become a patch beside the chapter."""
    from nsp.review.wordimport import import_report, record_import

    root = find_root(Path.cwd())
    rel = relative(root, chapter) if chapter else None
    done = record_import(root, docx_file, chapter=rel, reviewer=reviewer, apply=apply_patch, on_behalf=on_behalf,
                         today=when.date() if when else None)
    click.echo("\n".join(import_report(done, str(docx_file), reviewer)))


@review.command("show")
@click.argument("chapter", shell_complete=chapters, type=click.Path(path_type=Path))
@handle_errors
def review_show(chapter: Path) -> None:
    """List CHAPTER's verdicts, notes and imported comments, newest first."""
    from nsp.review.history import review_history

    root = find_root(Path.cwd())
    click.echo(review_history(root, relative(root, chapter)))
