"""nsp build: the paper, one theme, or a preview of one chapter, as PDF and DOCX."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nsp.commands.common import chapter_or_theme, find_root, handle_errors, quiet_option
from nsp.commands.complete import chapters_or_themes, papers, themes


@click.command()
@click.argument("chapter", shell_complete=chapters_or_themes, required=False, type=click.Path(path_type=Path))
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True,
              help="Which paper in papers/ to build.")
@click.option("--theme", shell_complete=themes, help="Build one theme (its folder name) for its lead.")
@click.option("--force", is_flag=True, help="Render a draft even when checks find errors.")
@click.option("--no-wait", is_flag=True, help="Fail at once if another build is running, instead of waiting.")
@quiet_option
@handle_errors
def build(chapter: Path | None, paper: str, theme: str | None, force: bool, no_wait: bool, quiet: bool) -> None:
    """Build the paper as PDF and DOCX into build/ (or one theme, or preview one CHAPTER)."""
    from nsp.build import build as run_build
    from nsp.diagnostics import errors_in, format_text
    from nsp.plan.plan import Selection

    root = find_root(Path.cwd())
    rel, theme = chapter_or_theme(root, chapter, theme)
    from nsp.infra.display import showing

    with showing(quiet) as progress:
        result = run_build(root, Selection(paper=paper, theme=theme, chapter=rel), force=force, wait=not no_wait,
                           on_wait=lambda: progress.note("nsp: another build is running; waiting for it to finish…"),
                           progress=progress)
    if result.diagnostics:
        click.echo(format_text(result.diagnostics), err=True)
    if result.refused:
        n = len(errors_in(result.diagnostics))
        click.echo(f"nsp: build refused: {n} error{'s' if n != 1 else ''} (fix them, or use --force for a draft); "
                   "previous outputs were left as they were", err=True)
        sys.exit(2 if result.unusable else 1)
    for out in result.outputs:
        click.echo(f"{out.relative_to(root)} is up to date" if result.up_to_date else f"wrote {out.relative_to(root)}")
