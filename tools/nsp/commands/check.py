"""nsp check: the findings that stand between the paper and publication."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nsp.commands.common import codes, find_root, handle_errors, relative
from nsp.commands.complete import chapters_or_themes, papers, themes


@click.command()
@click.argument("paths", shell_complete=chapters_or_themes, nargs=-1, type=click.Path(path_type=Path))
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True,
              help="Which paper in papers/ to check.")
@click.option("--theme", shell_complete=themes,
              help="Check one theme (its folder name); a theme folder among PATHS does the same.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules, by code or prefix (S1,C201).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules, by code or prefix.")
@click.option("--skip-others", is_flag=True,
              help="Of PATHS, check those the paper reads and pass over the rest (pre-commit hands over every "
                   "changed file).")
@handle_errors
def check(paths: tuple[Path, ...], paper: str, theme: str | None, fmt: str, strict: bool, select: tuple[str, ...],
          ignore: tuple[str, ...], skip_others: bool) -> None:
    """Check the paper (or just PATHS) for what stands between it and publication."""
    from nsp.check.run import check as run_check
    from nsp.diagnostics import FORMATTERS, summary

    root = find_root(Path.cwd())
    result = run_check(root, paper, paths=tuple(relative(root, p) for p in paths),
                       select=codes(select), ignore=codes(ignore), theme=theme, skip_others=skip_others)
    out = FORMATTERS[fmt](result.diagnostics)
    if out:
        click.echo(out)
    if fmt == "text":
        click.echo(summary(result.diagnostics, result.files))
    sys.exit(result.exit_code(strict))
