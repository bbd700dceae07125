"""nsp status: where every chapter stands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nsp.commands.common import find_root, handle_errors


@click.command()
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
