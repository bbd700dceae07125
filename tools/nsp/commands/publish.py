"""nsp publish and nsp verify: release a signed-off paper, and check a release against its manifest."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from nsp.commands.common import find_root, handle_errors, quiet_option
from nsp.commands.complete import papers


@click.command()
@click.argument("version")
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True)
@click.option(
    "--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="The release date (default: today, or SOURCE_DATE_EPOCH)."
)
@quiet_option
@handle_errors
def publish(version: str, paper: str, when: Any, quiet: bool) -> None:
    """Release VERSION of a paper into build/releases/: strictly checked, no DRAFT, with a manifest."""
    from nsp.diagnostics import format_text
    from nsp.infra.display import showing
    from nsp.publish import publish as run_publish

    root = find_root(Path.cwd())
    with showing(quiet) as progress:
        result = run_publish(root, version, paper, date=when.date() if when else None, progress=progress)
    if result.folder is None:
        click.echo(format_text(result.problems), err=True)
        n = len(result.problems)
        click.echo(f"nsp: not published: {n} finding{'s' * (n != 1)} must be resolved first (every chapter approved, "
                   "no errors, no warnings)", err=True)
        sys.exit(1)
    click.echo(f"published {result.folder.relative_to(root)}/")
    for f in sorted(result.folder.iterdir()):
        click.echo(f"  {f.name}")


@click.command()
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
