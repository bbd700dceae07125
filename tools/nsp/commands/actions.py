"""nsp actions: every action a paper's chapters plan, for the secretariat: a table, CSV or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from nsp.commands.common import find_root, handle_errors
from nsp.commands.complete import papers, themes


@click.command()
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True,
              help="The paper whose chapters to read.")
@click.option("--theme", shell_complete=themes, help="Only this theme's chapters.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@handle_errors
def actions(paper: str, theme: str | None, fmt: str) -> None:
    """List the actions of the paper's chapters by lead agency and deadline (the Implementation Matrix)."""
    from nsp.actions import format_rows, matrix
    from nsp.load.project import require_project
    from nsp.plan.plan import theme_by_id

    project = require_project(find_root(Path.cwd()), paper)
    chapters = project.chapters_of(theme_by_id(project, theme)) if theme else project.all_chapters()
    click.echo(format_rows(matrix(chapters, project.agencies), fmt), nl=False)
