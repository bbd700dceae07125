"""nsp watch: rebuild on every save and show what changed in the findings."""

from __future__ import annotations

from pathlib import Path

import click

from nsp.commands.common import chapter_or_theme, find_root, handle_errors
from nsp.commands.complete import chapters_or_themes, papers, themes


@click.command()
@click.argument("chapter", shell_complete=chapters_or_themes, required=False, type=click.Path(path_type=Path))
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True)
@click.option("--theme", shell_complete=themes, help="Watch one theme.")
@handle_errors
def watch(chapter: Path | None, paper: str, theme: str | None) -> None:
    """Rebuild the PDF whenever a file is saved, and show the findings for what changed (Ctrl-C stops)."""
    from nsp.build import BuildResult
    from nsp.diagnostics import errors_in, format_text
    from nsp.plan.plan import Selection
    from nsp.watch import News
    from nsp.watch import watch as run_watch

    root = find_root(Path.cwd())
    rel, theme = chapter_or_theme(root, chapter, theme)
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
