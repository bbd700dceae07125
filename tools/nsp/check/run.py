"""`nsp check`: load, parse, run every rule, keep what the user selected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nsp.diagnostics import Diagnostic, Severity, UsageError
from nsp.infra import resultcache

# Review, people and safety rules (and the rule that reports an attempt to ignore them): a chapter's own
# `ignore:` never hides them, and `nsp publish`'s gate keeps them whatever the manifest or command line says.

if TYPE_CHECKING:
    from nsp.infra.pandoc import Index
    from nsp.model import Project


@dataclass(frozen=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    files: int
    unusable: bool = False  # the manifest itself could not be read: a configuration error

    def exit_code(self, strict: bool) -> int:
        if self.unusable:
            return 2
        if any(d.severity is Severity.ERROR for d in self.diagnostics):
            return 1
        return 1 if strict and self.diagnostics else 0


def validate_codes(codes: tuple[str, ...]) -> None:
    from nsp.rules import RULES

    for code in codes:
        if not any(r.startswith(code.strip().upper()) for r in RULES):
            raise UsageError(f"'{code}' matches no rule; `nsp rules` lists them")


def findings(project: Project, loaded: list[Diagnostic], indexes: dict[str, Index], *, scope: set[str] | None = None,
             select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), gate: bool = False) -> list[Diagnostic]:
    """Every finding about the paper, or only about the files in `scope`, filtered and sorted.

    The command line's --select overrides the manifest's; ignores add up; a
    chapter's own `ignore:` covers that chapter only, and never PROTECTED codes.
    With `gate` (publishing), nothing filters PROTECTED codes out.
    """
    from nsp.check.table import run_checks
    from nsp.rules import PROTECTED, matches

    diagnostics = loaded + run_checks(project, indexes, whole_paper=scope is None)
    if scope is not None:
        diagnostics = [d for d in diagnostics if d.path in scope]
    chosen = select or project.paper.select
    dropped = (*project.paper.ignore, *ignore)

    def kept(d: Diagnostic) -> bool:
        skipped = bool(chosen and not matches(d.code, chosen)) or matches(d.code, dropped)
        if matches(d.code, PROTECTED):
            return gate or not skipped
        doc = project.documents.get(d.path)
        return not (skipped or (doc and matches(d.code, doc.ignore)))

    return sorted({d for d in diagnostics if kept(d)})


def check(root: Path, paper: str, *, paths: tuple[str, ...] = (), select: tuple[str, ...] = (),
          ignore: tuple[str, ...] = (), theme: str | None = None, gate: bool = False,
          skip_others: bool = False) -> CheckResult:
    """Check the whole paper, or only the files in `paths` (with the context they need).

    `gate`: publishing's check, in which no select or ignore hides a PROTECTED code.
    `skip_others`: of `paths`, those the paper does not read are passed over rather than refused (a hook
    is handed every changed file: a README, a workflow); none left means nothing to check, not the whole paper.

    Nothing changed since the last identical check: its findings are replayed
    without loading anything (the heavy imports below happen only on a miss).
    """
    options = (paper, *paths, "theme", theme or "", "select", *select, "ignore", *ignore, "gate" if gate else "",
               "skip-others" if skip_others else "")
    name, key = "check-" + resultcache.name_for(*options), resultcache.fingerprint(root, *options)
    cached = resultcache.load(root, name, key)
    diagnostics = resultcache.diagnostics_from_json(cached.get("diagnostics")) if cached else None
    if cached is not None and diagnostics is not None:
        return CheckResult(diagnostics, int(cached.get("files", 0)))
    result = _check(root, paper, paths=paths, select=select, ignore=ignore, theme=theme, gate=gate,
                    skip_others=skip_others)
    if not result.unusable:
        resultcache.store(root, name, key, {"diagnostics": resultcache.diagnostics_to_json(result.diagnostics),
                                            "files": result.files})
    return result


def theme_files(project: Project, paths: tuple[str, ...], theme: str | None) -> tuple[str, ...]:
    """Paths with each theme folder (`cyber_crime/`) and the --theme replaced by the theme's own files."""
    from nsp.plan.plan import theme_by_id

    out: list[str] = []
    for path, is_theme in (*((p, False) for p in paths), *([(theme, True)] if theme else [])):
        if is_theme or path.strip("/") in project.paper.themes or (project.root / path).is_dir():
            chosen = theme_by_id(project, path)
            out += [chosen.path, *(p for p in chosen.chapters if p in project.documents)]
        else:
            out.append(path)
    return tuple(dict.fromkeys(out))


def _check(root: Path, paper: str, *, paths: tuple[str, ...], select: tuple[str, ...],
           ignore: tuple[str, ...], theme: str | None = None, gate: bool = False,
           skip_others: bool = False) -> CheckResult:
    from nsp.infra.pandoc import index_documents
    from nsp.load.project import load_project

    validate_codes((*select, *ignore))
    project, loaded = load_project(root, paper)
    if project is None:
        return CheckResult(loaded, 1, unusable=True)
    paths = theme_files(project, paths, theme)
    if skip_others and paths:
        paths = tuple(p for p in paths if p in project.files)
        if not paths:
            return CheckResult([], 0)
    if not paths:
        indexes = index_documents(project, list(project.documents.values()))
        return CheckResult(findings(project, loaded, indexes, select=select, ignore=ignore, gate=gate),
                           len(project.files))
    _require_in_paper(project, paper, paths)
    indexes = index_documents(project, [project.documents[p] for p in paths if p in project.documents])
    return CheckResult(findings(project, loaded, indexes, scope=set(paths), select=select, ignore=ignore, gate=gate),
                       len(paths))


def _require_in_paper(project: Project, paper: str, paths: tuple[str, ...]) -> None:
    """Every one of `paths` exists and is a file the paper reads; else a usage error naming the first wrong ones."""
    missing = [p for p in paths if not (project.root / p).is_file()]
    if missing:
        from nsp.load.schema import did_you_mean

        known = [*project.files, *(f"{t}/" for t in project.paper.themes)]
        raise UsageError(f"no such file: {', '.join(missing)}{did_you_mean(missing[0], known)}")
    outside = [p for p in paths if p not in project.files]
    if outside:
        raise UsageError(
            f"{', '.join(outside)} is not part of papers/{paper}.yaml; use --paper to choose another paper"
        )
