"""Shell completion of the repository's ids (click's own completion: `_NSP_COMPLETE=bash_source nsp`).

Each function completes one kind of value: paper, theme, chapter, person, newsletter month. They read the
repository as cheaply as they can (a glob; people.yaml through its loader) and never raise: a completion that
fails would print a traceback into the user's command line. Outside a repository they offer nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from nsp.commands.common import find_root

Complete = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


def _root() -> Path | None:
    """The repository around the working folder, or None (find_root's usage error: nothing to offer)."""
    try:
        return find_root(Path.cwd())
    except click.UsageError:
        return None


def _offer(read: Callable[[Path], list[str]], kind: str = "plain") -> Complete:
    """A completion offering what `read(root)` lists that starts with what was typed so far."""

    def complete(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            root = _root()
            found = read(root) if root is not None else []
        except Exception:  # noqa: BLE001 (whatever a half-written repository does, the shell gets no traceback)
            return []
        return [CompletionItem(v, type=kind) for v in found if v.startswith(incomplete)]

    return complete


def _papers(root: Path) -> list[str]:
    from nsp.load.project import list_papers

    return list_papers(root)


def _themes(root: Path) -> list[str]:
    return sorted(p.parent.name for p in root.glob("*/theme.yaml"))


def _people(root: Path) -> list[str]:
    from nsp.load.project import load_people

    return sorted(load_people(root, "papers/people.yaml")[0])


def _chapter_files(root: Path) -> list[str]:
    """Every Markdown file in a theme's folder, listed or not (a draft can be previewed), as typed from here."""
    return [_from_here(root, p) for theme in _themes(root) for p in sorted((root / theme).glob("*.md"))]


def _chapters_or_themes(root: Path) -> list[str]:
    """What `nsp build`, `check` and `watch` take: a chapter, or a theme's folder."""
    return [_from_here(root, root / t) + "/" for t in _themes(root)] + _chapter_files(root)


def _from_here(root: Path, path: Path) -> str:
    return Path(os.path.relpath(path, Path.cwd())).as_posix()


def _issues(root: Path) -> list[str]:
    from nsp.newsletter.source import issues

    return issues(root)


def _next_issue(root: Path) -> list[str]:
    """The month after the last newsletter: the one `nsp new newsletter` is most likely to start."""
    last = _issues(root)[-1:]
    if not last:
        return []
    year, month = (int(part) for part in last[0].split("-"))
    return [f"{year + month // 12}-{month % 12 + 1:02d}"]


papers = _offer(_papers)
themes = _offer(_themes)
people = _offer(_people)
chapters = _offer(_chapter_files)
chapters_or_themes = _offer(_chapters_or_themes)
newsletter_months = _offer(_issues)
next_newsletter_month = _offer(_next_issue)
