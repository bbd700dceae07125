"""`nsp build`: load, check, assemble, render — one call each, in that order."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from nsp.assemble.chapters import BodyCache, Outline, assemble
from nsp.check.run import findings
from nsp.diagnostics import Diagnostic, NspError, UsageError, errors_in
from nsp.infra import resultcache
from nsp.infra.atomic import build_lock
from nsp.infra.pandoc import LazyAsts, index_documents
from nsp.infra.progress import QUIET, Progress
from nsp.load.project import load_project
from nsp.load.schema import did_you_mean
from nsp.model import ID_RULE, Document, Project, Theme, valid_id
from nsp.plan.pages import colophon_page, contributors_page, review_status_page
from nsp.render.core import RenderJob, WarmCompiler, render_all
from nsp.review.state import Review, State, display_name, on_behalf_note, waiting_names

DEFAULT_PAPER = "national-strategy"


@dataclass(frozen=True)
class Selection:
    """What to build: the whole paper, one theme, or one chapter."""

    paper: str = DEFAULT_PAPER
    theme: str | None = None
    chapter: str | None = None  # path relative to the root


@dataclass(frozen=True)
class Release:
    """A published edition: no DRAFT, a version and date on the title page, tagged PDF, web edition."""

    version: str
    date: dt.date
    folder: Path  # where its outputs go
    pdf_standards: tuple[str, ...] = ("a-2a", "ua-1")


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    refused: bool = False  # errors found and not forced: nothing rendered
    unusable: bool = False  # the manifest itself could not be read
    project: Project | None = None
    up_to_date: bool = False  # nothing changed since the last build: nothing was rendered
    documents: list[Document] = field(default_factory=list)  # everything that went into the outputs


DRAFT_WORDS = re.compile(r"\b(draft|consultation|provisional|preliminary|not for (citation|circulation))\b", re.I)


def reads_as_draft(edition: str) -> bool:
    """Whether a manifest's `edition:` still speaks of a draft (e.g. "Draft for consultation")."""
    return bool(DRAFT_WORDS.search(edition))


def _outline(project: Project, selection: Selection) -> tuple[Outline, str]:
    """The outline to render and the output's file stem."""
    paper = project.paper
    if selection.chapter:
        doc = project.documents.get(selection.chapter)
        if doc is None or doc.theme is None:
            chapters = [*(d.path for d in project.all_chapters()), *(f"{t.id}/" for t in project.themes)]
            raise UsageError(f"{selection.chapter} is not a chapter of any theme in papers/{paper.id}.yaml"
                             f"{did_you_mean(selection.chapter, chapters)}")
        theme = next(t for t in project.themes if t.id == doc.theme)
        return Outline(paper, doc.title, f"Preview · {theme.title}", (), ((theme, (doc,)),), (), show_parts=False,
                       bylines=_bylines(project)), output_stem(chapter=doc.slug)
    if selection.theme:
        theme = theme_by_id(project, selection.theme)
        return Outline(paper, theme.title, paper.title, (), ((theme, tuple(project.chapters_of(theme))),), (),
                       show_parts=False, bylines=_bylines(project)), output_stem(theme=theme.id)
    parts = tuple((t, tuple(project.chapters_of(t))) for t in project.themes)
    return Outline(paper, paper.title, paper.subtitle, tuple(project.pages(paper.front_matter)), parts,
                   tuple(project.pages(paper.back_matter)), show_parts=len(parts) > 1,
                   bylines=_bylines(project)), output_stem(paper=paper.id)


def output_stem(*, paper: str = "", theme: str = "", chapter: str = "") -> str:
    """The one naming rule for outputs: lower case with hyphens, and a prefix that says what was built
    (build/PAPER.pdf, build/theme-THEME.pdf, build/preview-THEME-CHAPTER.pdf), so a theme's draft never
    overwrites the paper of the same name (--theme cyber_crime and --paper cyber-crime)."""
    if chapter:
        return f"preview-{chapter}"
    return f"theme-{theme.replace('_', '-')}" if theme else paper.replace("_", "-")


def theme_by_id(project: Project, theme_id: str) -> Theme:
    """The theme of the paper with this id (its folder name); a typo gets a did-you-mean."""
    theme_id = theme_id.strip("/")
    if not valid_id(theme_id):  # it names the output file: build/theme-THEME.pdf
        raise UsageError(f"'{theme_id}' is not a theme id ({ID_RULE}); themes: {', '.join(t.id for t in project.themes)}")
    for theme in project.themes:
        if theme.id == theme_id:
            return theme
    known = [t.id for t in project.themes]
    raise UsageError(f"no theme '{theme_id}' in papers/{project.paper.id}.yaml"
                     f"{did_you_mean(theme_id, known) or ' (themes: ' + ', '.join(known) + ')'}")



def _bylines(project: Project) -> dict[str, str]:
    """Each chapter's review line: who reviews it, what each has said of the current text, its state."""
    people = project.people
    out: dict[str, str] = {}
    for doc in project.all_chapters():
        theme, review = project.theme_of(doc), project.review_of(doc)
        assert theme is not None and review is not None
        said = {r.reviewer: f"approved {_day(r.date)}{_how(r)}" for r in review.current}
        said |= {r.reviewer: "approval stale" for r in review.stale if r.reviewer not in said}
        said |= {r.reviewer: f"changes requested {_day(r.date)}{_how(r)}" for r in review.open_requests}
        names = []
        for pid in dict.fromkeys(p for p in (theme.lead, *theme.reviewers) if p and p not in doc.authors):
            notes = ["theme lead"] if pid == theme.lead else []
            notes += [said[pid]] if pid in said else []
            names.append(display_name(pid, people) + (f" ({', '.join(notes)})" if notes else ""))
        out[doc.path] = ("Reviewers: " + ", ".join(names) if names else "No reviewer assigned") + \
            f" · Status: {review.state.value}"
    return out


def doc_theme(project: Project, doc: Document) -> Theme:
    theme = project.theme_of(doc)
    assert theme is not None, "chapters in an outline belong to a loaded theme"
    return theme


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%b %Y}"


def _how(r: Review) -> str:
    """A sign-off someone else recorded says so wherever it is shown."""
    return f" {on_behalf_note(r)}" if r.on_behalf else ""


def _review_annex(project: Project, chapters: list[Document]) -> Document:
    rows = []
    for number, doc in enumerate(chapters, start=1):
        review = project.review_of(doc)
        assert review is not None
        rows.append({"number": str(number), "title": doc.title, "state": review.state.value,
                     "approved": ", ".join(f"{display_name(r.reviewer, project.people)} ({_day(r.date)}{_how(r)})"
                                           for r in sorted(review.current, key=lambda r: r.date)) or "—",
                     "waiting": ", ".join(waiting_names(review, project.people, doc_theme(project, doc).lead)) or "—"})
    return Document(path=f"papers/{project.paper.id}/review-status.generated.md", title="Review Status",
                    authors=(), summary="", body=review_status_page(project.root, rows), body_line=1, sha256="", theme=None)


def _contributors(project: Project) -> Document:
    body = contributors_page(project.root, project.people)
    return Document(path=f"papers/{project.paper.id}/contributors.generated.md", title="Contributors",
                    authors=(), summary="", body=body, body_line=1, sha256="", theme=None)


def _epoch(project: Project, release: Release | None = None) -> int | None:
    """Timestamps inside the outputs: SOURCE_DATE_EPOCH if set, else the release's or the paper's date,
    so that rebuilding the same sources gives the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    date = release.date if release else project.paper.date
    return int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()) if date else None


def _colophon(project: Project, release: Release) -> Document:
    leads = []
    for theme in project.themes:
        approvals = [r for doc in project.chapters_of(theme) for r in project.review_of(doc).current  # type: ignore[union-attr]
                     if r.reviewer == theme.lead]
        last = max((r.date for r in approvals), default=None)
        leads.append({"theme": theme.title, "lead": display_name(theme.lead, project.people),
                      "date": _day(last) if last else "—"})
    on_behalf = [f"{display_name(r.reviewer, project.people)}, {doc.title}, {_day(r.date)}:{_how(r)}"
                 for doc in project.all_chapters() for r in project.review_of(doc).current if r.on_behalf]  # type: ignore[union-attr]
    body = colophon_page(project.root, title=project.paper.title, version=release.version,
                         publisher=project.paper.publisher or "the secretariat", date=_day(release.date), leads=leads,
                         on_behalf=on_behalf)
    return Document(path=f"papers/{project.paper.id}/colophon.generated.md", title="Colophon", authors=(),
                    summary="", body=body, body_line=1, sha256="", theme=None)


def build(root: Path, selection: Selection, *, force: bool = False, wait: bool = True,
          on_wait: Callable[[], None] | None = None, release: Release | None = None,
          progress: Progress = QUIET, formats: tuple[str, ...] | None = None,
          compiler: WarmCompiler | None = None) -> BuildResult:
    # Nothing changed since the last identical build, and its outputs are as it left them: done.
    options = ("build", selection.paper, selection.theme or "", selection.chapter or "", str(force), *(formats or ()))
    name, key = "build-" + resultcache.name_for(*options), resultcache.fingerprint(root, *options)
    if release is None and (done := _up_to_date(root, name, key)) is not None:
        return done
    # Everything is read and checked before anything is written: a refused
    # build leaves build/ exactly as it was.
    with progress.stage("load"):
        project, diagnostics = load_project(root, selection.paper)
    result = BuildResult(diagnostics, project=project)
    if project is None:
        result.refused = result.unusable = True
        return result
    outline, stem = _outline(project, selection)
    whole_paper = not selection.chapter and not selection.theme
    included = [*outline.front, *(d for _, docs in outline.parts for d in docs), *outline.back]
    chapters = [d for _, docs in outline.parts for d in docs]
    # The DRAFT marking goes only when every chapter in this output is approved as it stands.
    draft = not chapters or any(project.review_of(d).state is not State.APPROVED for d in chapters)  # type: ignore[union-attr]
    if release and draft:
        raise UsageError("a release needs every chapter approved; `nsp publish` checks this first")
    if release and reads_as_draft(project.paper.edition):
        line = project.paper.key_lines.get("edition", 0)
        raise NspError(f"{project.paper.path}:{line}: edition '{project.paper.edition}' reads as a draft, and a release "
                       "would print it on its cover: set `edition:` to what this release is (e.g. \"First edition\") "
                       "or remove the line, then publish again")
    outline = replace(outline, draft=draft)
    generated = [_contributors(project)] if whole_paper else []
    if draft and not selection.chapter:
        generated.insert(0, _review_annex(project, chapters))
    # A preview answers for its own files only: the rest of the paper may be mid-edit.
    scope = None if whole_paper else {d.path for d in included} | {t.path for t, _ in outline.parts}
    with progress.stage(f"read and check {len(included)} files"):
        indexes = index_documents(project, [*included, *generated])
        checked = {d.path: indexes[d.path] for d in included}  # generated pages are ours: not checked
        result.diagnostics = findings(project, diagnostics, checked, scope=scope)
    if errors_in(result.diagnostics) and not force:
        result.refused = True
        return result
    if generated:
        outline = replace(outline, back=(*outline.back, *generated))
    if release:
        # The cover, masthead and metadata give the release's own date, as the colophon does.
        outline = replace(outline, paper=replace(outline.paper, date=release.date), version=release.version,
                          colophon=_colophon(project, release))
        generated.append(outline.colophon)  # type: ignore[arg-type]
    with progress.stage("assemble"):
        everything = [*included, *generated]
        asts = LazyAsts(project, everything)
        cache = BodyCache(root / "build" / ".cache" / "body", asts.key,
                          lambda d: indexes[d.path].images if d.path in indexes else [])
        merged = assemble(outline, asts, project.people, set(project.bibliography.entries), root=root, cache=cache)
    out_dir = root / "build"
    formats = ("pdf", "docx", "html") if release else formats or project.paper.outputs
    targets = {fmt: (release.folder if release else out_dir) / f"{stem}.{fmt}" for fmt in formats}
    job = RenderJob(root, out_dir / ".staging" / stem, project.bibliography.files, project.paper.csl,
                    _epoch(project, release), pdf_standards=release.pdf_standards if release else (),
                    downloads=tuple((f, t.name) for f, t in targets.items() if f != "html"), compiler=compiler,
                    limits=project.paper.limits)
    with build_lock(out_dir, wait=wait, on_wait=on_wait), progress.stage(f"render {', '.join(targets)}"):
        render_all(job, merged, targets)
    result.outputs = list(targets.values())
    result.documents = [*included, *generated]
    if release is None:
        resultcache.store(root, name, key, {
            "diagnostics": resultcache.diagnostics_to_json(result.diagnostics),
            "outputs": {p.relative_to(root).as_posix(): _digest(p) for p in result.outputs}})
    return result


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
