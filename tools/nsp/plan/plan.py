"""What a build makes, decided before anything is checked or written: the outline with its bylines and
generated pages, the files whose findings count, the output files, draft or release, and the timestamp."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from nsp.assemble.chapters import Outline
from nsp.diagnostics import NspError, UsageError
from nsp.load.schema import did_you_mean
from nsp.model import ID_RULE, Document, Project, Theme, valid_id
from nsp.plan.bylines import bylines
from nsp.plan.pages import colophon, contributors, implementation_matrix, review_annex, stakeholders_annex
from nsp.review.records import State

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


@dataclass(frozen=True)
class Plan:
    """One build, decided: everything after this only carries it out."""

    outline: Outline  # what goes into the outputs, in reading order, generated pages and colophon included
    included: tuple[Document, ...]  # the paper's own files in this output: the ones checked
    generated: tuple[Document, ...]  # pages nsp writes from data (review annex, contributors, colophon): not checked
    scope: set[str] | None  # the files whose findings count; None: the whole paper
    targets: dict[str, Path]  # format -> output file
    staging: Path  # this output's own working folder
    epoch: int | None  # the timestamp written into the outputs

    @property
    def documents(self) -> list[Document]:
        """Everything that goes into the outputs."""
        return [*self.included, *self.generated]


def make_plan(project: Project, selection: Selection, release: Release | None = None,
              formats: tuple[str, ...] | None = None) -> Plan:
    """The plan for building `selection`; a UsageError or NspError if it cannot be built as asked."""
    outline, stem = outline_for(project, selection)
    included = (*outline.front, *(d for _, docs in outline.parts for d in docs), *outline.back)
    chapters = [d for _, docs in outline.parts for d in docs]
    draft = is_draft(project, chapters)
    if release:
        _check_release(project, draft)
    pages = _generated_pages(project, selection, chapters, draft)
    outline = replace(outline, draft=draft, back=(*outline.back, *pages))
    if release:
        # The cover, masthead and metadata give the release's own date, as the colophon does.
        outline = replace(outline, paper=replace(outline.paper, date=release.date), version=release.version,
                          colophon=colophon(project, version=release.version, date=release.date))
        pages.append(outline.colophon)  # type: ignore[arg-type]
    # A preview answers for its own files only: the rest of the paper may be mid-edit.
    scope = ({d.path for d in included} | {t.path for t, _ in outline.parts}) if _preview(selection) else None
    return Plan(outline, included, tuple(pages), scope, targets=_targets(project, stem, release, formats),
                staging=project.root / "build" / ".staging" / stem, epoch=epoch(project, release))


def _preview(selection: Selection) -> bool:
    """One theme or one chapter rather than the whole paper."""
    return bool(selection.chapter or selection.theme)


def _generated_pages(project: Project, selection: Selection, chapters: list[Document], draft: bool) -> list[Document]:
    """The pages nsp writes after the paper's own: for the whole paper, whom the initiative consulted; the
    actions it plans (not in a chapter preview); where review stands (a draft's, not a chapter preview's)
    and, for the whole paper, who contributed."""
    pages = [] if _preview(selection) else [contributors(project)]
    if draft and not selection.chapter:
        pages.insert(0, review_annex(project, chapters))
    matrix = implementation_matrix(project, chapters) if not selection.chapter else None
    stakeholders = None if _preview(selection) else stakeholders_annex(project)
    return [page for page in (stakeholders, matrix) if page] + pages


def _targets(project: Project, stem: str, release: Release | None, formats: tuple[str, ...] | None) -> dict[str, Path]:
    """Format -> output file: a release makes every format into its own folder, a build what was asked into build/."""
    if release:
        return {fmt: release.folder / f"{stem}.{fmt}" for fmt in ("pdf", "docx", "html")}
    return {fmt: project.root / "build" / f"{stem}.{fmt}" for fmt in formats or project.paper.outputs}


def is_draft(project: Project, chapters: list[Document]) -> bool:
    """The DRAFT marking goes only when every chapter in this output is approved as it stands."""
    return not chapters or any(project.review_of(d).state is not State.APPROVED for d in chapters)  # type: ignore[union-attr]


def _check_release(project: Project, draft: bool) -> None:
    if draft:
        raise UsageError("a release needs every chapter approved; `nsp publish` checks this first")
    if reads_as_draft(project.paper.edition):
        line = project.paper.key_lines.get("edition", 0)
        raise NspError(
            f"{project.paper.path}:{line}: edition '{project.paper.edition}' reads as a draft, and a release "
            "would print it on its cover: set `edition:` to what this release is (e.g. \"First edition\") "
            "or remove the line, then publish again"
        )


DRAFT_WORDS = re.compile(r"\b(draft|consultation|provisional|preliminary|not for (citation|circulation))\b", re.I)


def reads_as_draft(edition: str) -> bool:
    """Whether a manifest's `edition:` still speaks of a draft (e.g. "Draft for consultation")."""
    return bool(DRAFT_WORDS.search(edition))


def outline_for(project: Project, selection: Selection) -> tuple[Outline, str]:
    """The paper's own files to render, in order, and the output's file stem."""
    paper = project.paper
    if selection.chapter:
        doc = project.documents.get(selection.chapter)
        if doc is None or doc.theme is None:
            chapters = [*(d.path for d in project.all_chapters()), *(f"{t.id}/" for t in project.themes)]
            raise UsageError(f"{selection.chapter} is not a chapter of any theme in papers/{paper.id}.yaml"
                             f"{did_you_mean(selection.chapter, chapters)}")
        theme = next(t for t in project.themes if t.id == doc.theme)
        return Outline(paper, doc.title, f"Preview · {theme.title}", (), ((theme, (doc,)),), (), show_parts=False,
                       bylines=bylines(project)), output_stem(chapter=doc.slug)
    if selection.theme:
        theme = theme_by_id(project, selection.theme)
        return Outline(paper, theme.title, paper.title, (), ((theme, tuple(project.chapters_of(theme))),), (),
                       show_parts=False, bylines=bylines(project)), output_stem(theme=theme.id)
    parts = tuple((t, tuple(project.chapters_of(t))) for t in project.themes)
    return Outline(paper, paper.title, paper.subtitle, tuple(project.pages(paper.front_matter)), parts,
                   tuple(project.pages(paper.back_matter)), show_parts=len(parts) > 1,
                   bylines=bylines(project)), output_stem(paper=paper.id)


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
        raise UsageError(
            f"'{theme_id}' is not a theme id ({ID_RULE}); themes: {', '.join(t.id for t in project.themes)}"
        )
    for theme in project.themes:
        if theme.id == theme_id:
            return theme
    known = [t.id for t in project.themes]
    raise UsageError(f"no theme '{theme_id}' in papers/{project.paper.id}.yaml"
                     f"{did_you_mean(theme_id, known) or ' (themes: ' + ', '.join(known) + ')'}")


def epoch(project: Project, release: Release | None = None) -> int | None:
    """Timestamps inside the outputs: SOURCE_DATE_EPOCH if set, else the release's or the paper's date,
    so that rebuilding the same sources gives the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    date = release.date if release else project.paper.date
    return int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()) if date else None
