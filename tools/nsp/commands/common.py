"""What every command shares: finding the repository, turning our exceptions into one line and an exit code,
and reading paths and codes from the command line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards that has papers/."""
    for folder in [start, *start.parents]:
        if (folder / "papers").is_dir():
            return folder
    raise click.UsageError("no papers/ folder here or above: run nsp inside the strategy-paper repository")


def handle_errors(fn: F) -> F:
    """Map our exceptions to one clear line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from nsp.diagnostics import NspError, UsageError

        try:
            return fn(*args, **kwargs)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
        except NspError as exc:
            click.echo(f"nsp: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(f"nsp: {exc.strerror or exc}{where}; previous outputs were left as they were", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("nsp: interrupted; previous outputs were left as they were", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]



# Progress goes to stderr (nsp.infra.display); the results ("wrote …", findings, errors) print all the same.
quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="Show no progress (findings, errors and the files written are still printed).")


def chapter_or_theme(root: Path, path: Path | None, theme: str | None) -> tuple[str | None, str | None]:
    """A CHAPTER argument that is a folder means that theme, as `--theme` does."""
    if path is None:
        return None, theme
    rel = relative(root, path)
    return (None, rel) if (root / rel).is_dir() else (rel, theme)


def relative(root: Path, path: Path) -> str:
    full = (Path.cwd() / path).resolve()
    try:
        return full.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise click.UsageError(f"{path} is outside the repository {root}") from None



def codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for v in values for c in v.split(",") if c.strip())
