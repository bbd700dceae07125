"""nsp diff: what changed in a chapter since its last approval, in the terminal or as tracked changes for Word."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nsp.commands.common import find_root, handle_errors, relative
from nsp.commands.complete import chapters, people


@click.command()
@click.argument("chapter", shell_complete=chapters, type=click.Path(path_type=Path))
@click.option("--since", metavar="REV", help="Compare with this git revision instead of the last approval.")
@click.option("--by", "reviewer", shell_complete=people, metavar="ID",
              help="Compare with this reviewer's last approval (default: anyone's).")
@click.option("--docx", "as_docx", is_flag=True, help="Also write build/diff-….docx with tracked changes for Word.")
@click.option("--pdf", "as_pdf", is_flag=True, help="Also write build/diff-….pdf: the changes in colour.")
@handle_errors
def diff(chapter: Path, since: str | None, reviewer: str | None, as_docx: bool, as_pdf: bool) -> None:
    """Show what changed in CHAPTER since its last approval, word by word."""
    from nsp.review.diff import chapter_diff, format_terminal, write_docx

    root = find_root(Path.cwd())
    rel = relative(root, chapter)
    if since and reviewer:
        raise click.UsageError("--since and --by choose the old text two ways: give one")
    result = chapter_diff(root, rel, since=since, by=reviewer)
    click.echo(format_terminal(result, color=sys.stdout.isatty()))
    stem = root / "build" / f"diff-{rel.removesuffix('.md').replace('/', '-')}"
    if as_docx:
        write_docx(root, result, stem.with_suffix(".docx"))
        click.echo(f"wrote {stem.with_suffix('.docx').relative_to(root)}")
    if as_pdf:
        from nsp.review.redlinepdf import write_pdf

        write_pdf(root, result, stem.with_suffix(".pdf"))
        click.echo(f"wrote {stem.with_suffix('.pdf').relative_to(root)}")
