"""nsp schema: the editor schemas in schemas/ (JSON Schema), made from the shapes nsp checks its YAML with."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nsp.commands.common import find_root, handle_errors


@click.command()
@click.option("--write", is_flag=True, help="Write the schemas that differ from the code, remove stale ones.")
@click.option("--check", is_flag=True, help="Exit 1 when schemas/ differs from what the code makes (for CI).")
@handle_errors
def schema(write: bool, check: bool) -> None:
    """List the editor schemas in schemas/ and whether each is what the code makes; --write makes them so."""
    from nsp.diagnostics import UsageError
    from nsp.editorschema import status
    from nsp.editorschema import write as write_schemas

    if write and check:
        raise UsageError("--write and --check exclude each other: --check only reads")
    root = find_root(Path.cwd())
    if write:
        changed = write_schemas(root)
        for entry in changed:
            click.echo(f"{entry.state} {entry.path}")
        click.echo(f"{len(changed)} changed; schemas/ is what the code makes" if changed else
                   "schemas/ is already what the code makes: nothing written")
        return
    entries = status(root)
    width = max(len(e.path) for e in entries)
    for entry in entries:
        click.echo(f"{entry.path:<{width}}  {entry.state:<13}  {entry.files}".rstrip())
    stale = [e for e in entries if e.state != "up to date"]
    if stale:
        click.echo(f"{len(stale)} of {len(entries)} differ from the code: run `nsp schema --write` and commit schemas/")
        sys.exit(1 if check else 0)
    click.echo(f"all {len(entries)} are what the code makes")
