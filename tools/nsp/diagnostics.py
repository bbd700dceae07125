"""The one record type every stage reports problems with, and its printers."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the repository root, with forward slashes
    line: int  # 1-based; 0 = the whole file
    code: str
    severity: Severity
    message: str

    def text(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.code} {self.message}"


class UsageError(Exception):
    """A mistake in how nsp was called or configured: exit 2, no traceback."""


class NspError(Exception):
    """A failure the user can act on (a tool failed, the disk is full): exit 1, one line, no traceback."""


def errors_in(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    n_err = len(errors_in(diagnostics))
    n_warn = len(diagnostics) - n_err

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if not files:
        return "Nothing to check: none of the files given is part of the paper."
    if not diagnostics:
        return f"All clear: no findings in {plural(files, 'file')}."
    return f"{plural(n_err, 'error')}, {plural(n_warn, 'warning')} in {plural(files, 'file')}."


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    return "\n".join(d.text() for d in sorted(diagnostics))


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    rows = [{**asdict(d), "severity": d.severity.value} for d in sorted(diagnostics)]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub workflow commands, so findings show up on the pull request's diff."""

    def escape(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    lines = []
    for d in sorted(diagnostics):
        where = f"file={escape(d.path)}" + (f",line={d.line}" if d.line else "")
        lines.append(f"::{d.severity.value} {where},title={d.code}::{escape(d.message)}")
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
