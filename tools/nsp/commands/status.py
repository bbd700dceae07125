"""nsp status: where every chapter stands, what the plan says is due, and a month's progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nsp.commands.common import find_root, handle_errors
from nsp.commands.complete import papers, themes
from nsp.diagnostics import UsageError


@click.command()
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True)
@click.option("--theme", shell_complete=themes, help="Only this theme's chapters (its folder name).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="markdown: the tables for a pull request's job summary ($GITHUB_STEP_SUMMARY).")
@click.option("--month", metavar="YYYY-MM", help="Each theme's progress in that month, as the newsletter shows it.")
@click.option("--html", "html", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the dashboard: each theme's progress over time against the plan.")
@handle_errors
def status(paper: str, theme: str | None, fmt: str, month: str | None, html: Path | None) -> None:
    """Where every chapter stands: words, sections, review state, who still has to sign, what is due."""
    root = find_root(Path.cwd())
    if month:
        _month(root, paper, month, fmt)
        return
    from nsp.review.status import format_json, format_markdown, format_plan, format_table
    from nsp.review.status import status as run_status

    report = run_status(root, paper, theme)
    if fmt == "markdown":
        click.echo(format_markdown(report))
    else:
        click.echo(format_json(report.rows) if fmt == "json" else format_table(report.rows))
    if fmt == "text" and format_plan(report):
        click.echo("\n" + format_plan(report))
    if html is not None:
        from nsp.dashboard import write_dashboard

        if report.project is None:
            raise UsageError("; ".join(report.hidden) or f"papers/{paper}.yaml cannot be read")
        # json and markdown are read by programs (a job summary): the note goes beside them, not into them.
        click.echo(f"wrote {write_dashboard(report.project, html)}", err=fmt != "text")
    for line in report.hidden:
        click.echo(f"not shown: {line}", err=True)
    sys.exit(1 if report.hidden else 0)


def _month(root: Path, paper: str, month: str, fmt: str) -> None:
    """A month's progress; errors in the data it is read from are printed after it, and the exit is 1."""
    from nsp.check.network import data_errors
    from nsp.load.project import load_project
    from nsp.progress import month_bounds, month_report

    try:
        month_bounds(month)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    project, loaded = load_project(root, paper)
    if project is None:
        raise UsageError("; ".join(d.text() for d in loaded) or f"papers/{paper}.yaml cannot be read")
    report = month_report(project, month)
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{month}:")
        for t in report.themes:
            click.echo(f"  {t.title}: {t.chapters} chapters; {t.started} started, {t.drafting} drafting, "
                       f"{t.in_review} in review, {t.approved} approved; {t.words_written:+,} words, "
                       f"{t.words:,} in all")
        for s in report.signoffs:
            click.echo(f"  signed {s.date}: {s.title} by {s.name}")
    problems = data_errors(project, loaded)
    for d in problems:
        click.echo(d.text(), err=True)
    sys.exit(1 if problems else 0)
