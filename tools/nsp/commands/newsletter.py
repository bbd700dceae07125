"""nsp newsletter: a month's newsletter as PDF, mail HTML and plain text."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nsp.commands.common import find_root, handle_errors
from nsp.commands.complete import newsletter_months, papers


@click.command()
@click.argument("month", shell_complete=newsletter_months)
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True,
              help="The paper whose bibliography, progress and plan the newsletter reports.")
@handle_errors
def newsletter(month: str, paper: str) -> None:
    """Make the newsletter of MONTH (YYYY-MM) from newsletters/MONTH.md and the data: build/newsletters/."""
    from nsp.diagnostics import errors_in
    from nsp.newsletter.edition import NewsletterRefused, write

    root = find_root(Path.cwd())
    try:
        made = write(root, paper, month)
    except NewsletterRefused as refused:
        for d in refused.diagnostics:
            click.echo(d.text(), err=True)
        raise
    for d in made.diagnostics:
        click.echo(d.text(), err=True)
    for path in made.paths:
        click.echo(f"wrote {path.relative_to(root)}")
    sys.exit(1 if errors_in(made.diagnostics) else 0)
