"""`nsp build`: up to date? → load → plan → check → assemble → render → record, one call each, in that order."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nsp import ast as A
from nsp.assemble.chapters import BodyCache, assemble
from nsp.ast import Doc
from nsp.check.run import findings
from nsp.diagnostics import Diagnostic, errors_in
from nsp.infra import resultcache
from nsp.infra.atomic import build_lock
from nsp.infra.pandoc import Index, LazyAsts, index_documents
from nsp.infra.progress import QUIET, Progress, Tick
from nsp.load.project import load_project
from nsp.model import Document, Project
from nsp.plan.plan import Plan, Release, Selection, make_plan
from nsp.render.figures import compiled_figure
from nsp.render.pdf import WarmCompiler
from nsp.render.run import render_all
from nsp.render.stage import RenderJob
from nsp.review.wordfile import CHAPTER_PROPERTY, TEXT_PROPERTY


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    refused: bool = False  # errors found and not forced: nothing rendered
    unusable: bool = False  # the manifest itself could not be read
    project: Project | None = None
    up_to_date: bool = False  # nothing changed since the last build: nothing was rendered
    documents: list[Document] = field(default_factory=list)  # everything that went into the outputs


def build(root: Path, selection: Selection, *, force: bool = False, wait: bool = True,
          on_wait: Callable[[], None] | None = None, release: Release | None = None,
          progress: Progress = QUIET, formats: tuple[str, ...] | None = None,
          compiler: WarmCompiler | None = None) -> BuildResult:
    """Build `selection` into build/ (or a release's folder); `compiler` is the warm typst process of nsp watch."""
    # Nothing changed since the last identical build, and its outputs are as it left them: done.
    name, key = _result_key(root, selection, force, formats)
    if release is None and (done := _up_to_date(root, name, key)) is not None:
        return done
    # Everything is read, planned and checked before anything is written: a refused
    # build leaves build/ exactly as it was.
    with progress.stage("load"):
        project, diagnostics = load_project(root, selection.paper)
    if project is None:
        return BuildResult(diagnostics, refused=True, unusable=True)
    plan = make_plan(project, selection, release, formats)
    result = BuildResult(diagnostics, project=project)
    with progress.stage("read and check", len(plan.documents), "files") as read:
        indexes = index_documents(project, plan.documents, on_read=read)
        checked = {d.path: indexes[d.path] for d in plan.included}  # generated pages are ours: not checked
        result.diagnostics = findings(project, diagnostics, checked, scope=plan.scope)
    if errors_in(_blocking(project, plan, result.diagnostics)) and not force:
        result.refused = True
        return result
    with progress.stage("assemble", len(plan.documents), "files") as assembled:
        merged = _assemble(project, plan, indexes, assembled)
        if selection.chapter:
            merged = _for_review(merged, root, selection.chapter)
    # Only rendering writes to build/: one build at a time does.
    with build_lock(root / "build", wait=wait, on_wait=on_wait), \
            progress.stage("render", len(plan.targets), f"outputs ({', '.join(plan.targets)})") as written:
        render_all(_render_job(project, plan, release, compiler), merged, plan.targets, written)
    result.outputs, result.documents = list(plan.targets.values()), plan.documents
    if release is None:
        _record(root, name, key, result)
    return result


def _assemble(project: Project, plan: Plan, indexes: dict[str, Index], on_document: Tick) -> Doc:
    """One document from the outline: parsed (or taken from the cache) chapter by chapter."""
    asts = LazyAsts(project, plan.documents)
    cache = BodyCache(project.root / "build" / ".cache" / "body", asts.key,
                      lambda d: indexes[d.path].images if d.path in indexes else [])
    return assemble(plan.outline, asts, project.people, set(project.bibliography.entries), root=project.root,
                    cache=cache, glossary=project.glossary, agencies=project.agencies, on_document=on_document)


def _blocking(project: Project, plan: Plan, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The findings that can refuse this build: not those of a chapter no theme lists yet (S102), unless it is
    the one being previewed. nsp check reports them all; a draft in a theme's folder blocks no paper."""
    # Listed means named in a theme.yaml, whether or not it could be read: a listed chapter's errors always count.
    keep = {d.path for d in plan.included} | {p for t in project.themes for p in t.chapters}
    themes = {t.id for t in project.themes}

    def unlisted(path: str) -> bool:  # a Markdown file right in a theme's folder that the theme does not list
        folder, _, name = path.partition("/")
        return folder in themes and name.endswith(".md") and "/" not in name and path not in keep

    return [d for d in diagnostics if not unlisted(d.path)]


def _for_review(merged: Doc, root: Path, chapter: str) -> Doc:
    """A chapter preview names its chapter and text in the Word file's properties: a reviewer's annotated copy
    can then be read back with `nsp review import` (review.wordfile)."""
    digest = "sha256:" + hashlib.sha256((root / chapter).read_bytes()).hexdigest()
    meta = {**merged["meta"], CHAPTER_PROPERTY: A.meta_string(chapter), TEXT_PROPERTY: A.meta_string(digest)}
    return {**merged, "meta": meta}


def _render_job(project: Project, plan: Plan, release: Release | None, compiler: WarmCompiler | None) -> RenderJob:
    root, limits = project.root, project.paper.limits
    return RenderJob(project.root, plan.staging, project.bibliography.files, project.paper.csl, plan.epoch,
                     pdf_standards=release.pdf_standards if release else (),
                     downloads=tuple((f, t.name) for f, t in plan.targets.items() if f != "html"), compiler=compiler,
                     limits=limits, compile_figure=lambda source: compiled_figure(root, source, limits),
                     typefaces=(("ur", project.paper.urdu_typeface),) if project.paper.urdu_typeface else ())


def _result_key(root: Path, selection: Selection, force: bool, formats: tuple[str, ...] | None) -> tuple[str, str]:
    """The name of this build's entry in the result cache, and the fingerprint of its inputs."""
    options = ("build", selection.paper, selection.theme or "", selection.chapter or "", str(force), *(formats or ()))
    return "build-" + resultcache.name_for(*options), resultcache.fingerprint(root, *options)


def _record(root: Path, name: str, key: str, result: BuildResult) -> None:
    """What the next identical build needs to say it is up to date: the findings and each output's digest."""
    resultcache.store(root, name, key, {
        "diagnostics": resultcache.diagnostics_to_json(result.diagnostics),
        "outputs": {p.relative_to(root).as_posix(): _digest(p) for p in result.outputs}})


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _up_to_date(root: Path, name: str, key: str) -> BuildResult | None:
    """The last build's result, if its inputs are unchanged and its outputs are still what it wrote."""
    cached = resultcache.load(root, name, key)
    if not cached or not isinstance(cached.get("outputs"), dict):
        return None
    diagnostics = resultcache.diagnostics_from_json(cached.get("diagnostics"))
    outputs = {root / rel: digest for rel, digest in cached["outputs"].items()}
    if diagnostics is None or not all(p.is_file() and _digest(p) == d for p, d in outputs.items()):
        return None
    return BuildResult(diagnostics, outputs=list(outputs), up_to_date=True)
