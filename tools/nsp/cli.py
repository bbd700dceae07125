"""The `nsp` command: parse options, call one library function, print, exit.

Exit codes: 0 clean, 1 findings or a failed build, 2 usage or configuration
error, 130 interrupted. No user mistake ever ends in a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards that has papers/."""
    for folder in [start, *start.parents]:
        if (folder / "papers").is_dir():
            return folder
    raise click.UsageError("no papers/ folder here or above: run nsp inside the strategy-paper repository")


def handle_errors(fn: F) -> F:
    """Map our exceptions to one clear line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from nsp.diagnostics import NspError, UsageError

        try:
            return fn(*args, **kwargs)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
        except NspError as exc:
            click.echo(f"nsp: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(f"nsp: {exc.strerror or exc}{where}; previous outputs were left as they were", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("nsp: interrupted; previous outputs were left as they were", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nsp")
def main() -> None:
    """Build and check the National Strategy Paper."""


@main.command()
@click.argument("chapter", required=False, type=click.Path(path_type=Path))
@click.option("--paper", default="national-strategy", show_default=True, help="Which paper in papers/ to build.")
@click.option("--theme", help="Build one theme (its folder name) for its lead.")
@click.option("--force", is_flag=True, help="Render a draft even when checks find errors.")
@click.option("--no-wait", is_flag=True, help="Fail at once if another build is running, instead of waiting.")
@handle_errors
def build(chapter: Path | None, paper: str, theme: str | None, force: bool, no_wait: bool) -> None:
    """Build the paper as PDF and DOCX into build/ (or one theme, or preview one CHAPTER)."""
    from nsp.plan.plan import Selection
    from nsp.build import build as run_build
    from nsp.diagnostics import errors_in, format_text

    root = find_root(Path.cwd())
    rel, theme = _chapter_or_theme(root, chapter, theme)
    from nsp.infra.progress import Progress

    result = run_build(root, Selection(paper=paper, theme=theme, chapter=rel), force=force, wait=not no_wait,
                       on_wait=lambda: click.echo("nsp: another build is running; waiting for it to finish…", err=True),
                       progress=Progress())
    if result.diagnostics:
        click.echo(format_text(result.diagnostics), err=True)
    if result.refused:
        n = len(errors_in(result.diagnostics))
        click.echo(f"nsp: build refused: {n} error{'s' if n != 1 else ''} (fix them, or use --force for a draft); "
                   "previous outputs were left as they were", err=True)
        sys.exit(2 if result.unusable else 1)
    for out in result.outputs:
        click.echo(f"{out.relative_to(root)} is up to date" if result.up_to_date else f"wrote {out.relative_to(root)}")


@main.command()
@click.argument("chapter", required=False, type=click.Path(path_type=Path))
@click.option("--paper", default="national-strategy", show_default=True)
@click.option("--theme", help="Watch one theme.")
@handle_errors
def watch(chapter: Path | None, paper: str, theme: str | None) -> None:
    """Rebuild the PDF whenever a file is saved, and show the findings for what changed (Ctrl-C stops)."""
    from nsp.build import BuildResult
    from nsp.plan.plan import Selection
    from nsp.diagnostics import errors_in, format_text
    from nsp.watch import News
    from nsp.watch import watch as run_watch

    root = find_root(Path.cwd())
    rel, theme = _chapter_or_theme(root, chapter, theme)
    news = News()

    def report(result: BuildResult, changed: list[str]) -> None:
        if changed:
            click.echo(f"changed: {', '.join(changed)}")
        fresh, gone = news.update(result.diagnostics)  # each finding is shown once, when it appears
        if fresh:
            click.echo(format_text(fresh))
        if changed and (fresh or gone):
            click.echo(f"findings: {len(fresh)} new, {gone} fixed, {len(result.diagnostics)} open")
        if result.refused:
            n = len(errors_in(result.diagnostics))
            click.echo(f"not rebuilt: {n} error{'s' * (n != 1)}; the last good PDF is still in place")
        for out in result.outputs:
            click.echo(f"{'up to date' if result.up_to_date else 'wrote'} {out.relative_to(root)}")
        click.echo("watching for changes; Ctrl-C stops")

    run_watch(root, Selection(paper=paper, theme=theme, chapter=rel), report=report)


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for v in values for c in v.split(",") if c.strip())


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--paper", default="national-strategy", show_default=True, help="Which paper in papers/ to check.")
@click.option("--theme", help="Check one theme (its folder name); a theme folder among PATHS does the same.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules, by code or prefix (S1,C201).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules, by code or prefix.")
@handle_errors
def check(paths: tuple[Path, ...], paper: str, theme: str | None, fmt: str, strict: bool, select: tuple[str, ...],
          ignore: tuple[str, ...]) -> None:
    """Check the paper (or just PATHS) for what stands between it and publication."""
    from nsp.check.run import check as run_check
    from nsp.diagnostics import FORMATTERS, summary

    root = find_root(Path.cwd())
    result = run_check(root, paper, paths=tuple(_relative(root, p) for p in paths),
                       select=_codes(select), ignore=_codes(ignore), theme=theme)
    out = FORMATTERS[fmt](result.diagnostics)
    if out:
        click.echo(out)
    if fmt == "text":
        click.echo(summary(result.diagnostics, result.files))
    sys.exit(result.exit_code(strict))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule nsp checks: code, severity, what it finds."""
    from nsp.rules import catalogue_markdown, catalogue_text

    click.echo(catalogue_markdown() if fmt == "markdown" else catalogue_text())


ON_BEHALF_HELP = ("Record a verdict the reviewer gave another way, saying how it was received "
                  "(\"letter of 12 May, scanned in the secretariat file\"); shown wherever the approval appears.")


@main.group()
def review() -> None:
    """Record a reviewer's verdict on a chapter (appends to THEME/reviews.yaml)."""


@review.command("approve")
@click.argument("chapter", type=click.Path(path_type=Path))
@click.option("--by", "reviewer", required=True, metavar="ID", help="The reviewer's id in papers/people.yaml.")
@click.option("--note", default="", help="A short comment kept with the approval.")
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="When it was given, if not today (a sign-off by letter).")
@click.option("--on-behalf", default="", metavar="HOW", help=ON_BEHALF_HELP)
@handle_errors
def review_approve(chapter: Path, reviewer: str, note: str, when: Any, on_behalf: str) -> None:
    """Approve the current text of CHAPTER (as yourself: git's user.email must be the reviewer's)."""
    _record(chapter, reviewer, "approved", note, when, on_behalf)


@review.command("request-changes")
@click.argument("chapter", type=click.Path(path_type=Path))
@click.option("--by", "reviewer", required=True, metavar="ID", help="The reviewer's id in papers/people.yaml.")
@click.option("--note", required=True, help="What needs to change.")
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="When it was given, if not today.")
@click.option("--on-behalf", default="", metavar="HOW", help=ON_BEHALF_HELP)
@handle_errors
def review_request_changes(chapter: Path, reviewer: str, note: str, when: Any, on_behalf: str) -> None:
    """Ask the authors of CHAPTER for changes (as yourself: git's user.email must be the reviewer's)."""
    _record(chapter, reviewer, "changes-requested", note, when, on_behalf)


@review.command("confirm-rules")
@click.argument("theme")
@click.option("--by", "secretary", required=True, metavar="ID", help="A member of the secretariat (people.yaml group).")
@click.option("--note", default="", help="The decision, in a few words (e.g. the board meeting it was taken at).")
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="From when the rules apply, if not today.")
@handle_errors
def review_confirm_rules(theme: str, secretary: str, note: str, when: Any) -> None:
    """Confirm THEME's signing rules (lead, reviewers, required_reviewers) as theme.yaml states them."""
    from nsp.review.signoff import confirm_rules

    rules, written = confirm_rules(find_root(Path.cwd()), theme, by=secretary, note=note,
                                   today=when.date() if when else None)
    if not written:
        click.echo(f"{theme}/theme.yaml states the rules confirmed on {rules.date}; nothing written")
        return
    click.echo(f"recorded in {rules.path}: from {rules.date} the chapters of {theme} are signed by "
               f"lead {rules.lead or 'none'} and {rules.required_reviewers} of reviewers "
               f"{', '.join(rules.reviewers) or 'none'}; confirmed by {secretary}")


def _record(chapter: Path, reviewer: str, verdict: str, note: str, when: Any, on_behalf: str) -> None:
    from nsp.diagnostics import format_text
    from nsp.review.state import on_behalf_note, short_revision
    from nsp.review.log import record_review

    root = find_root(Path.cwd())
    rec, found = record_review(root, _relative(root, chapter), reviewer=reviewer, verdict=verdict, note=note,
                               today=when.date() if when else None, on_behalf=on_behalf)
    how = f" ({on_behalf_note(rec)})" if rec.on_behalf else ""
    click.echo(f"recorded in {rec.path}: {rec.verdict} by {reviewer} on {rec.date} for revision "
               f"{short_revision(rec.revision)}{how}")
    if any(d.code == "E018" for d in found):  # the log's own findings belong to `nsp check`
        click.echo(format_text([d for d in found if d.code == "E018"]), err=True)
    click.echo(f"next: git add {rec.path} && git commit, as yourself; until then nsp check reports the record as pending")


@main.command()
@click.option("--paper", default="national-strategy", show_default=True)
@click.option("--theme", help="Only this theme's chapters (its folder name).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def status(paper: str, theme: str | None, fmt: str) -> None:
    """Where every chapter stands: words, sections, review state, who still has to sign."""
    from nsp.review.status import format_json, format_table
    from nsp.review.status import status as run_status

    rows, hidden = run_status(find_root(Path.cwd()), paper, theme)
    click.echo(format_json(rows) if fmt == "json" else format_table(rows))
    for line in hidden:
        click.echo(f"not shown: {line}", err=True)
    sys.exit(1 if hidden else 0)


@main.command()
@click.argument("chapter", type=click.Path(path_type=Path))
@click.option("--since", metavar="REV", help="Compare with this git revision instead of the last approval.")
@click.option("--docx", "as_docx", is_flag=True, help="Also write build/diff-….docx with tracked changes for Word.")
@handle_errors
def diff(chapter: Path, since: str | None, as_docx: bool) -> None:
    """Show what changed in CHAPTER since its last approval, word by word."""
    from nsp.review.diff import chapter_diff, format_terminal, write_docx

    root = find_root(Path.cwd())
    rel = _relative(root, chapter)
    result = chapter_diff(root, rel, since=since)
    click.echo(format_terminal(result, color=sys.stdout.isatty()))
    if as_docx:
        target = root / "build" / f"diff-{rel.removesuffix('.md').replace('/', '-')}.docx"
        write_docx(root, result, target)
        click.echo(f"wrote {target.relative_to(root)}")


@main.command()
@click.argument("version")
@click.option("--paper", default="national-strategy", show_default=True)
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="The release date (default: today, or SOURCE_DATE_EPOCH).")
@handle_errors
def publish(version: str, paper: str, when: Any) -> None:
    """Release VERSION of a paper into build/releases/: strictly checked, no DRAFT, with a manifest."""
    from nsp.diagnostics import format_text
    from nsp.publish import publish as run_publish

    root = find_root(Path.cwd())
    result = run_publish(root, version, paper, date=when.date() if when else None)
    if result.folder is None:
        click.echo(format_text(result.problems), err=True)
        n = len(result.problems)
        click.echo(f"nsp: not published: {n} finding{'s' * (n != 1)} must be resolved first (every chapter approved, "
                   "no errors, no warnings)", err=True)
        sys.exit(1)
    click.echo(f"published {result.folder.relative_to(root)}/")
    for f in sorted(result.folder.iterdir()):
        click.echo(f"  {f.name}")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@handle_errors
def verify(folder: Path) -> None:
    """Check a release folder against its manifest, and say whether the sources have moved on."""
    from nsp.publish import verify as run_verify

    root = find_root(Path.cwd())
    result = run_verify(root, folder)
    for line in result.tampered:
        click.echo(f"TAMPERED {line}")
    for line in result.moved_on:
        click.echo(f"moved on {line}")
    if result.tampered:
        click.echo(f"nsp: {folder} does not match its manifest", err=True)
        sys.exit(1)
    click.echo(f"{folder}: every output matches its manifest" +
               ("" if not result.moved_on else f"; {len(result.moved_on)} source(s) changed since the release"))


def _chapter_or_theme(root: Path, path: Path | None, theme: str | None) -> tuple[str | None, str | None]:
    """A CHAPTER argument that is a folder means that theme, as `--theme` does."""
    if path is None:
        return None, theme
    rel = _relative(root, path)
    return (None, rel) if (root / rel).is_dir() else (rel, theme)


def _relative(root: Path, path: Path) -> str:
    full = (Path.cwd() / path).resolve()
    try:
        return full.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise click.UsageError(f"{path} is outside the repository {root}") from None


if __name__ == "__main__":
    main()
