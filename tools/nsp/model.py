"""The manuscript as plain frozen data: what load produces and every later stage reads."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .bib import Bibliography

if TYPE_CHECKING:
    from .provenance import Provenance
    from .review import ChapterReview, Review


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    affiliation: str
    group: str
    line: int
    email: str = ""  # who they are in git: their commits are their sign-offs


@dataclass(frozen=True)
class Document:
    """One Markdown file: a chapter of a theme, or a page of a paper's own (foreword, annex)."""

    path: str  # relative to the repository root
    title: str
    authors: tuple[str, ...]
    summary: str
    body: str  # the Markdown after the front matter, newlines normalised
    body_line: int  # the file line on which `body` starts
    sha256: str  # of the file's bytes: what a review approves
    theme: str | None  # None for a paper's own pages
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    ignore: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """A short id, unique in the repository, used to prefix the chapter's anchors."""
        # Letters, digits and hyphens only: it becomes a typst label and an HTML id.
        return re.sub(r"[^A-Za-z0-9-]+", "-", self.path.removesuffix(".md")).strip("-").lower()


@dataclass(frozen=True)
class Theme:
    id: str  # the folder name
    path: str  # of theme.yaml
    title: str
    lead: str
    researchers: tuple[str, ...]
    reviewers: tuple[str, ...]
    required_sections: tuple[str, ...]
    chapters: tuple[str, ...]  # paths relative to the root, in the theme's order
    min_words: int = 0
    max_words: int = 0
    required_reviewers: int = 1  # further reviewers, besides the lead, who must approve each chapter
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    chapter_lines: tuple[int, ...] = field(default=(), compare=False)  # where each chapter is listed


@dataclass(frozen=True)
class Paper:
    id: str
    path: str
    title: str
    subtitle: str
    short_title: str
    publisher: str
    edition: str
    date: dt.date | None
    lang: str
    front_matter: tuple[str, ...]  # paths relative to the root
    themes: tuple[str, ...]
    back_matter: tuple[str, ...]
    bibliography: tuple[str, ...]
    csl: str | None
    outputs: tuple[str, ...]
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    allow_raw: tuple[str, ...] = ()  # raw formats the paper's own pages may use (never chapters)
    require_signed_reviews: bool = False  # a review record counts only if the commit that added it is signed


@dataclass(frozen=True)
class Project:
    root: Path
    paper: Paper
    people: dict[str, Person]
    themes: tuple[Theme, ...]  # in the paper's order, only those that loaded
    documents: dict[str, Document]  # by path; everything that loaded
    bibliography: Bibliography
    files: tuple[str, ...]  # every file read, for the summary line
    reviews: dict[str, tuple[Review, ...]] = field(default_factory=dict)  # by theme id, in log order
    provenance: Provenance | None = None  # who committed each review record; None: not traced

    def theme_of(self, doc: Document) -> Theme | None:
        return next((t for t in self.themes if t.id == doc.theme), None)

    def review_of(self, doc: Document) -> ChapterReview | None:
        from .review import chapter_review

        theme = self.theme_of(doc)
        return chapter_review(theme, doc, self.records_that_count(theme)) if theme else None

    def records_that_count(self, theme: Theme) -> list[Review]:
        """The theme's review log without the records whose provenance failed (committed by someone else,
        unsigned where signatures are required): those are reported, and never approve anything."""
        records = self.reviews.get(theme.id, ())
        return [r for r in records if self.provenance is None or self.provenance.counts(r)]

    def chapters_of(self, theme: Theme) -> list[Document]:
        return [self.documents[p] for p in theme.chapters if p in self.documents]

    def pages(self, paths: tuple[str, ...]) -> list[Document]:
        return [self.documents[p] for p in paths if p in self.documents]

    def all_chapters(self) -> list[Document]:
        return [d for t in self.themes for d in self.chapters_of(t)]
