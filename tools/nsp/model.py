"""The manuscript as plain frozen data: what load produces and every later stage reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from nsp.infra.limits import Limits
from nsp.load.bib import Bibliography
from nsp.review.records import ChapterReview, Provenance, Review, Revision, Rules, in_force

# Paper and theme ids become file names in build/, typst labels and HTML ids: nothing else may pass.
ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
ID_RULE = "lower-case letters, digits, '-' and '_' only"
# A month as nsp names it (a newsletter's file, `status --month`): YYYY-MM in the initiative's centuries.
MONTH = re.compile(r"^((?:19|20|21)\d\d)-(0[1-9]|1[0-2])$")


def valid_id(text: str) -> bool:
    return ID.fullmatch(text) is not None


def slug_of(path: str) -> str:
    """The anchor prefix of the document at `path`: letters, digits and hyphens, stable and unique.

    Letters outside ASCII do not survive the ASCII form, so two Urdu file names
    would meet in it: where anything was lost, a short hash of the whole name
    (NFC, so that macOS and Linux agree) keeps them apart.
    """
    stem = unicodedata.normalize("NFC", path.removesuffix(".md"))
    ascii_form = re.sub(r"[^A-Za-z0-9-]+", "-", stem).strip("-").lower()
    if not stem.isascii() or not ascii_form:
        ascii_form = f"{ascii_form}-{hashlib.sha256(stem.encode()).hexdigest()[:8]}".strip("-")
    return ascii_form


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    affiliation: str
    group: str
    line: int
    email: str = ""  # who they are in git: their commits are their sign-offs
    consent: bool | None = None  # `public:` as people.yaml says it; None when it does not say

    @property
    def public(self) -> bool:
        """May a public page (the site, a newsletter, a public annex) name them? See nsp.network."""
        if self.consent is not None:
            return self.consent
        # Who writes, leads, reviews or runs the initiative is named on the paper by taking the role;
        # anyone else (a stakeholder, a guest at a meeting) must have agreed in so many words.
        return self.group in NAMED_BY_ROLE


NAMED_BY_ROLE = frozenset({"board", "secretariat", "lead", "reviewer", "researcher"})


@dataclass(frozen=True)
class Organization:
    """An institution in the initiative's network (people.yaml `organizations:`): the FIA, UNODC, CPLC."""

    id: str
    name: str
    kind: str  # government | international | civil society | academia | media | private
    people: tuple[str, ...]  # ids of people.yaml's people who belong to it
    line: int = 0
    website: str = ""


@dataclass(frozen=True)
class Event:
    """A meeting, roundtable or consultation of the initiative (papers/events.yaml), from its minutes."""

    id: str
    title: str
    kind: str  # meeting | roundtable | consultation | workshop
    date: dt.date
    place: str
    chair: str  # a person's id, "" when the minutes name none
    attendance: tuple[str, ...]  # ids of people and organizations
    themes: tuple[str, ...]  # theme ids it served
    decisions: tuple[str, ...]
    summary: str = ""
    line: int = 0
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)


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
    lang: str = ""  # `lang: ur` in the front matter: the document's language, when not the paper's

    @property
    def slug(self) -> str:
        """A short id used to prefix the chapter's anchors (check X603 reports any two that meet)."""
        # Letters, digits and hyphens only: it becomes a typst label, an HTML id and a preview's file name.
        return slug_of(self.path)


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
    due: dict[str, dt.date] = field(default_factory=dict)  # chapter path -> when its draft is due for review

    def signed_by(self, rules: Rules) -> Theme:
        """The theme as confirmed signing rules say: who signs is theirs, everything else theme.yaml's."""
        return replace(self, lead=rules.lead, reviewers=rules.reviewers, required_reviewers=rules.required_reviewers)


@dataclass(frozen=True)
class Imprint:
    """What the initiative prints after a paper's cover (the manifest's `imprint:`; nsp.load.imprint)."""

    copyright: str  # the holder: "National Initiative Against Organized Crime"
    year: int  # of the copyright (the paper's own year when the manifest gives none)
    permissions: str = ""  # who may quote or reproduce the paper, and how
    website: str = ""  # an http(s) address
    credit: str = ""  # the cover photograph's
    isbn: str = ""  # as the ISBN agency issued it, hyphens and all

    @property
    def notice(self) -> str:
        return f"© {self.year} {self.copyright.rstrip('.')}. All rights reserved."


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
    limits: Limits = Limits()  # what nsp refuses as too big or too deep (the manifest's `limits:`)
    require_signed_reviews: bool = False  # a review record counts only if the commit that added it is signed
    horizon: int = 0  # the last year an action's deadline may fall in (0: five years after the paper's date)
    lists: tuple[str, ...] = ()  # "figures", "tables": lists after the contents
    milestones: dict[str, dt.date] = field(default_factory=dict)  # "drafts", "reviews", "publication" -> date
    address: str = ""  # the office's postal address, for the site's contact page and the newsletter's footer
    email: str = ""  # the office's address for readers
    secretariat: str = ""  # who runs the initiative's office (PIPS), named in the imprint
    imprint: Imprint | None = None  # the page after the cover; none without the manifest's `imprint:`
    logo: str = ""  # an SVG relative to the root (templates/logo.svg), on the PDF's cover and the web masthead
    urdu_typeface: str = ""  # "naskh": Urdu set in Naskh in the PDF, whose text copies correctly ("": Nastaliq)


@dataclass(frozen=True)
class Term:
    """An abbreviation in papers/glossary.yaml: written out at its first use in each paper, listed in front."""

    abbreviation: str
    expansion: str
    urdu: str = ""
    line: int = 0


@dataclass(frozen=True)
class Agency:
    """An institution that leads or supports actions (papers/agencies.yaml): FIA, NACTA, a provincial police."""

    id: str
    name: str
    line: int = 0


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, Term] = field(default_factory=dict)  # by abbreviation
    ignore: frozenset[str] = frozenset()  # capitals that are no abbreviation to list (a roman numeral, a name)
    path: str = ""  # "" when the repository keeps no glossary: then nothing is expanded or checked
    ignore_line: int = 0


@dataclass(frozen=True)
class Project:
    """Everything one paper is made of, as loaded: the review state of every chapter is judged once, at load."""

    root: Path
    paper: Paper
    people: dict[str, Person]
    themes: tuple[Theme, ...]  # in the paper's order, only those that loaded
    documents: dict[str, Document]  # by path; everything that loaded
    bibliography: Bibliography
    files: tuple[str, ...]  # every file read, for the summary line
    reviews: dict[str, tuple[Review, ...]] = field(default_factory=dict)  # by theme id, in log order
    signoff: dict[str, tuple[Rules, ...]] = field(
        default_factory=dict
    )  # by theme id: signing-rules records, in log order
    provenance: Provenance | None = None  # who committed each review record; None: not traced
    glossary: Glossary = Glossary()  # papers/glossary.yaml
    agencies: dict[str, Agency] = field(default_factory=dict)  # papers/agencies.yaml, by id ({} when absent)
    organizations: dict[str, Organization] = field(default_factory=dict)  # people.yaml organizations:, by id
    events: tuple[Event, ...] = ()  # papers/events.yaml, by date
    # Judged at load (nsp.review.state.judge_project), read by every stage:
    confirmed: dict[str, tuple[Rules, ...]] = field(default_factory=dict)  # by theme id: the rules that count, by date
    revisions: dict[str, Revision] = field(default_factory=dict)  # by chapter path: what an approval must name
    states: dict[str, ChapterReview] = field(default_factory=dict)  # by chapter path: where it stands

    def theme_of(self, doc: Document) -> Theme | None:
        return next((t for t in self.themes if t.id == doc.theme), None)

    def review_of(self, doc: Document) -> ChapterReview | None:
        """Where a chapter stands (None for a paper's own pages)."""
        return self.states.get(doc.path)

    def rules_of(self, theme: Theme) -> list[Rules]:
        """The theme's confirmed signing rules that count, in date order (none: nothing can be approved)."""
        return list(self.confirmed.get(theme.id, ()))

    def signing_theme(self, theme: Theme) -> Theme:
        """The theme with the signing rules in force today (theme.yaml's own while none is confirmed)."""
        rules = in_force(self.rules_of(theme))
        return theme.signed_by(rules) if rules else theme

    def revision_of(self, doc: Document) -> Revision:
        """What an approval of `doc` must name: its text, images and cited entries."""
        # pandoc could not read it: a revision no approval names (fail closed)
        return self.revisions.get(doc.path) or Revision(doc.sha256, ("index unavailable",))

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
