"""nsp new: start a chapter, a theme, a paper or a newsletter, listed where it belongs and ready for `nsp check`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from nsp.commands.common import find_root, handle_errors
from nsp.commands.complete import next_newsletter_month, papers, people, themes

if TYPE_CHECKING:
    from nsp.scaffold.create import Written


@click.group()
def new() -> None:
    """Start a chapter, a theme, a paper or a newsletter (nothing is written if anything named is wrong)."""


@new.command("chapter")
@click.argument("theme", shell_complete=themes)
@click.argument("title")
@click.option("--author", "authors", shell_complete=people, multiple=True, required=True, metavar="ID",
              help="An author's id in papers/people.yaml (repeat for each author).")
@handle_errors
def new_chapter(theme: str, title: str, authors: tuple[str, ...]) -> None:
    """Write THEME/NN-slug.md with the theme's required sections, and add it to THEME/theme.yaml's chapters."""
    from nsp.scaffold.create import new_chapter as create

    root = find_root(Path.cwd())
    _report(create(root, theme.rstrip("/"), title, tuple(dict.fromkeys(authors))), "chapters")


@new.command("theme")
@click.argument("theme_id", metavar="ID")
@click.option("--lead", shell_complete=people, required=True, metavar="ID",
              help="The theme lead's id in papers/people.yaml.")
@click.option("--title", help="The theme's title (default: from its id).")
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True,
              help="The paper whose themes it joins.")
@handle_errors
def new_theme(theme_id: str, lead: str, title: str | None, paper: str) -> None:
    """Write ID/theme.yaml and add ID to the paper's themes."""
    from nsp.scaffold.create import new_theme as create

    _report(create(find_root(Path.cwd()), theme_id, lead, title, paper), "themes")


@new.command("paper")
@click.argument("paper_id", metavar="ID")
@click.option("--title", help="The paper's title (default: from its id).")
@click.option("--theme", "themes", shell_complete=themes, multiple=True, metavar="THEME",
              help="A theme the paper holds (repeatable).")
@handle_errors
def new_paper(paper_id: str, title: str | None, themes: tuple[str, ...]) -> None:
    """Write papers/ID.yaml, modelled on an existing paper of one theme."""
    from nsp.scaffold.create import new_paper as create

    _report(create(find_root(Path.cwd()), paper_id, title, tuple(dict.fromkeys(themes))), "themes")


@new.command("newsletter")
@click.argument("month", shell_complete=next_newsletter_month)
@click.option("--author", "authors", shell_complete=people, multiple=True, required=True, metavar="ID",
              help="An author's id in papers/people.yaml (repeat for each author).")
@click.option("--title", help="The issue's headline (default: the month, e.g. 'March 2020').")
@handle_errors
def new_newsletter(month: str, authors: tuple[str, ...], title: str | None) -> None:
    """Write newsletters/MONTH.md (MONTH: YYYY-MM), the secretariat's text for `nsp newsletter MONTH`."""
    from nsp.scaffold.create import new_newsletter as create

    _report(create(find_root(Path.cwd()), month, title, tuple(dict.fromkeys(authors))), "")


def _report(written: Written, key: str) -> None:
    click.echo(f"wrote {written.created}")
    if written.listed_in:
        click.echo(f"listed it in {written.listed_in} ({key}:)")
    for note in written.notes:
        click.echo(note)
    click.echo(f"next: {written.next_step}")
