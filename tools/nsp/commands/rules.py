"""nsp rules: the rule catalogue, as text or as the Markdown of docs/rules.md."""

from __future__ import annotations

import click


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule nsp checks: code, severity, what it finds."""
    from nsp.rules import catalogue_markdown, catalogue_text

    click.echo(catalogue_markdown() if fmt == "markdown" else catalogue_text())
