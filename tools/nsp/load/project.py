"""Read the manifest, people, themes, chapters and bibliographies into the model.

Loading never raises on a user's mistake: it returns what it could read plus
diagnostics with file and line, so `check` can report everything at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nsp.diagnostics import Diagnostic, UsageError
from nsp.infra.limits import LIMIT_NAMES, Limits, check_values, limit_range
from nsp.infra.resources import contained, outside_reason
from nsp.infra.sanitize import LANG_TAG
from nsp.load import schema as s
from nsp.load.agencies import AGENCIES, load_agencies
from nsp.load.bib import BibEntry, Bibliography, merge_bibliographies, read_bibtex
from nsp.load.csl import BIBLIOGRAPHY_SUFFIXES, is_csl, parse_csl, read_bibtex_as_csl
from nsp.load.glossary import load_glossary
from nsp.load.imprint import IMPRINT_SCHEMA, load_imprint
from nsp.load.network import EVENTS, load_events, load_organizations
from nsp.load.text import read_text
from nsp.load.yamlfile import LineDict, LineList, parse_yaml
from nsp.model import ID, ID_RULE, MONTH, Document, Paper, Person, Project, Theme, valid_id
from nsp.review.provenance import trace_reviews
from nsp.review.records import Provenance, Review, Rules
from nsp.review.signoff import load_signoff, signoff_path
from nsp.review.state import judge_project, load_reviews, reviews_path
from nsp.rules import finding

MILESTONES = ("drafts", "reviews", "publication")  # every chapter in review; every chapter approved; released
OUTPUTS = ("pdf", "docx", "html")
LISTS = ("figures", "tables")
URDU_TYPEFACES = ("nastaliq", "naskh")
LIMITS_SCHEMA: s.Schema = {
    name: s.Field("int", doc=f"{name.replace('_', ' ')} (default {default})", minimum=low, maximum=high)
    for name, default, (low, high) in ((n, getattr(Limits(), n), limit_range(n)) for n in LIMIT_NAMES)
}
_PAGES = "files relative to papers/ (or to the repository root)"
PAPER_SCHEMA: s.Schema = {
    "title": s.Field("text", required=True, doc="the paper's title, on its cover and title page"),
    "subtitle": s.Field("text", doc="the line under the title"),
    "short_title": s.Field("text", doc="the title in running heads and on the site (the title when absent)"),
    "publisher": s.Field("text", doc="who publishes the paper, on the title page and in the colophon"),
    "secretariat": s.Field("text", doc="the secretariat that edits the paper (for the record: not printed)"),
    "edition": s.Field("text", doc="the edition, e.g. First edition"),
    "date": s.Field("date", doc="the paper's date, like 2020-04-30"),
    "lang": s.Field("text", doc="the paper's language tag, e.g. en-GB (the default)"),
    "front_matter": s.Field("texts", doc=f"pages before the themes: {_PAGES}"),
    "themes": s.Field("texts", required=True, pattern=ID.pattern,
                      doc=f"theme folder ids, in the order of the paper ({ID_RULE})"),
    "back_matter": s.Field("texts", doc=f"pages after the themes (annexes): {_PAGES}"),
    "bibliography": s.Field("texts", doc=f"BibTeX, CSL JSON or CSL YAML files: {_PAGES}"),
    "csl": s.Field("text", doc="the citation style (a .csl file)"),
    "outputs": s.Field("texts", choices=OUTPUTS, doc="what `nsp build` writes (default: pdf, docx)"),
    "lists": s.Field("texts", choices=LISTS, doc="lists after the contents: figures, tables"),
    "select": s.Field("texts", doc="the rule codes or prefixes nsp check reports for this paper (all when absent)"),
    "ignore": s.Field("texts", doc="rule codes or prefixes nsp check does not report for this paper"),
    "allow_raw": s.Field("texts", doc="raw formats (typst, html, …) the paper's own pages may use; never chapters"),
    "limits": s.Field("map", shape=LIMITS_SCHEMA, doc="nsp's safety limits, changed for this paper"),
    "require_signed_reviews": s.Field("bool", doc="count only review records in signed commits"),
    "horizon": s.Field("int", doc="the last year actions' deadlines may fall in"),
    "milestones": s.Field("map", choices=MILESTONES, values=s.Field("date"),
                          doc="drafts: every chapter in review; reviews: every chapter approved; publication"),
    "address": s.Field("text", doc="the office's address, for the site and the newsletter"),
    "email": s.Field("text", doc="the office's email, for the site and the newsletter"),
    "imprint": s.Field("map", shape=IMPRINT_SCHEMA,
                       doc="the imprint after the cover: copyright, year, permissions, website, credit, isbn"),
    "logo": s.Field("text", doc="an SVG, on the PDF's cover and the web masthead"),
    "urdu_typeface": s.Field("text", choices=URDU_TYPEFACES,
                             doc="Urdu's typeface in the PDF: nastaliq (the default) or naskh (its text copies)"),
}
THEME_SCHEMA: s.Schema = {
    "title": s.Field("text", required=True, doc="the theme's title: the heading of its part of the paper"),
    "lead": s.Field("text", doc="the theme lead's id in papers/people.yaml: signs every chapter"),
    "researchers": s.Field("texts", doc="ids of the researchers who write its chapters"),
    "reviewers": s.Field("texts", doc="ids of the further reviewers who sign its chapters"),
    "required_sections": s.Field("texts", doc="the ## sections every chapter must have"),
    "chapters": s.Field("texts", required=True, doc="the chapter files in the order of the paper"),
    "min_words": s.Field("int", doc="the fewest words a chapter may have"),
    "max_words": s.Field("int", doc="the most words a chapter may have"),
    "required_reviewers": s.Field("int", doc="how many further reviewers sign each chapter besides the lead (1)"),
    "due": s.Field("map", values=s.Field("date"), doc="chapter file -> the date its draft is due for review"),
}
CHAPTER_SCHEMA: s.Schema = {
    "title": s.Field("text", required=True, doc="the chapter's title"),
    "authors": s.Field("texts", required=True, doc="ids of its authors in papers/people.yaml"),
    "summary": s.Field("text", doc="a sentence or two on what it argues"),
    "ignore": s.Field("texts", doc="rule codes nsp check does not report for this file"),
    "lang": s.Field("text", pattern=LANG_TAG.pattern,
                    doc="a language tag such as ur or en: the chapter's own language"),
}
PERSON_SCHEMA: s.Schema = {
    "name": s.Field("text", required=True, doc="their name as printed"),
    "role": s.Field("text", doc="their role in the initiative"),
    "affiliation": s.Field("text", doc="their institution"),
    "group": s.Field("text", doc="board, secretariat, lead, reviewer, researcher or stakeholder"),
    "email": s.Field("text", doc="their own address, as git knows them: a reviewer's commits are their sign-offs"),
    "public": s.Field("bool", doc="consent to be named on the site, in newsletters and public annexes"),
}
ORGANIZATIONS = "organizations"  # the one key of people.yaml that is no person: nsp.load.network reads it
NEWSLETTERS = "newsletters"  # the secretariat's monthly texts (nsp.newsletter), read and checked as its own pages


def load_yaml_file(
    root: Path, rel: str, what: str, shape: s.Schema
) -> tuple[dict[str, Any] | None, LineDict | None, list[Diagnostic]]:
    text, diags = read_text(root, rel)
    if text is None:
        return None, None, diags
    data, diags = parse_yaml(text.text, rel)
    if diags and data is None:
        return None, None, diags
    fields, more = s.validate(data, shape, rel, what)
    return fields, data if isinstance(data, LineDict) else None, diags + more


def split_front_matter(text: str, rel: str) -> tuple[str | None, int, str, int, list[Diagnostic]]:
    """Return (yaml text, its first line, body, body's first line, diagnostics)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return (
            None,
            0,
            text,
            1,
            [
                finding(
                    rel,
                    1,
                    "E010",
                    "no front matter: start the file with a '---' line, then title: and authors:, then '---'",
                )
            ],
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2, []
    return (
        None,
        0,
        text,
        1,
        [finding(rel, 1, "E011", "front matter is not closed: add a '---' line after the last key")],
    )


def load_document(root: Path, rel: str, theme: str | None) -> tuple[Document | None, list[Diagnostic]]:
    text, diags = read_text(root, rel)
    if text is None:
        return None, diags
    yaml_text, yaml_line, body, body_line, diags = split_front_matter(text.text, rel)
    if yaml_text is None:
        return None, diags
    data, diags = parse_yaml(yaml_text, rel, line_offset=yaml_line - 1)
    if data is None and diags:
        return None, diags
    fields, more = s.validate(data, CHAPTER_SCHEMA, rel, "front matter")
    diags += more
    if "title" not in fields:
        return None, diags
    lang = fields.get("lang", "")
    if lang and not LANG_TAG.fullmatch(lang):
        diags.append(finding(rel, data.line_of("lang") if isinstance(data, LineDict) else 1, "E007",
                             f"'lang': expected a language tag such as ur or en, found '{lang}'"))
        lang = ""
    return Document(
        path=rel, title=fields["title"], authors=fields.get("authors", ()), summary=fields.get("summary", ""),
        body=body, body_line=body_line, sha256=text.sha256, theme=theme,
        key_lines=dict(data.key_lines) if isinstance(data, LineDict) else {}, ignore=fields.get("ignore", ()),
        lang=lang,
    ), diags


def load_people(root: Path, rel: str) -> tuple[dict[str, Person], list[Diagnostic]]:
    text, diags = read_text(root, rel)
    if text is None:
        return {}, diags
    data, diags = parse_yaml(text.text, rel)
    if not isinstance(data, LineDict):
        return {}, diags or [
            finding(rel, 0, "E007", "people.yaml must map each person's id to their name, role and affiliation")
        ]
    people: dict[str, Person] = {}
    for pid, entry in data.items():
        if pid == ORGANIZATIONS:
            continue
        fields, more = s.validate(entry, PERSON_SCHEMA, rel, f"person '{pid}'", data.line_of(pid))
        diags += more
        if "name" in fields:
            people[pid] = Person(pid, fields["name"], fields.get("role", ""), fields.get("affiliation", ""),
                                 fields.get("group", ""), data.line_of(pid), fields.get("email", "").strip(),
                                 fields.get("public"))
    return people, diags


# papers/ also holds the data every paper shares: these are no manifests.
SHARED_DATA = frozenset({"people", "glossary", "agencies", "events"})


def list_papers(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "papers").glob("*.yaml") if p.stem not in SHARED_DATA)


def _resolve(root: Path, base: str, rel: str) -> str:
    """Manifest paths are relative to the manifest's folder, or else to the repository root."""
    beside = Path(base) / rel
    return beside.as_posix() if (root / beside).exists() or not (root / rel).exists() else Path(rel).as_posix()


def load_paper(root: Path, paper_id: str) -> tuple[Paper | None, list[Diagnostic]]:
    rel = _manifest(root, paper_id)
    fields, data, diags = load_yaml_file(root, rel, "the paper manifest", PAPER_SCHEMA)
    if fields is None or "title" not in fields or "themes" not in fields or data is None:
        return None, diags

    def inside(key: str, names: tuple[str, ...]) -> tuple[str, ...]:
        """The files listed under `key`, relative to the root; those leading outside are reported and dropped."""
        kept = []
        for name in names:
            path = _resolve(root, "papers", name)
            full, why = contained(root, path)
            if full is None:
                diags.append(finding(rel, data.line_of(key), "E014", outside_reason(name, why)))
            else:
                kept.append(path)
        return tuple(kept)

    themes = _theme_ids(fields["themes"], data, rel, diags)
    outputs = _choices(fields.get("outputs", ("pdf", "docx")), OUTPUTS, "output", data.line_of("outputs"), rel, diags)
    lists = _choices(fields.get("lists", ()), LISTS, "list", data.line_of("lists"), rel, diags)
    typeface = _choices((fields.get("urdu_typeface", "nastaliq"),), URDU_TYPEFACES, "urdu_typeface",
                        data.line_of("urdu_typeface"), rel, diags)
    paper = Paper(
        id=paper_id, path=rel, title=fields["title"], subtitle=fields.get("subtitle", ""),
        short_title=fields.get("short_title", fields["title"]), publisher=fields.get("publisher", ""),
        edition=fields.get("edition", ""), date=fields.get("date"), lang=fields.get("lang", "en-GB"),
        front_matter=inside("front_matter", fields.get("front_matter", ())),
        themes=tuple(themes),
        back_matter=inside("back_matter", fields.get("back_matter", ())),
        bibliography=inside("bibliography", fields.get("bibliography", ())),
        csl=next(iter(inside("csl", (fields["csl"],))), None) if "csl" in fields else None,
        outputs=outputs,
        select=fields.get("select", ()), ignore=fields.get("ignore", ()), key_lines=dict(data.key_lines),
        allow_raw=fields.get("allow_raw", ()), limits=_limits(fields.get("limits"), rel, diags),
        require_signed_reviews=fields.get("require_signed_reviews", False),
        horizon=fields.get("horizon", 0), lists=lists,
        milestones=_dates(fields.get("milestones"), MILESTONES, "milestone", rel, diags),
        address=fields.get("address", "").strip(), email=fields.get("email", "").strip(),
        secretariat=fields.get("secretariat", "").strip(),
        imprint=load_imprint(fields.get("imprint"), rel, data.line_of("imprint"), fields.get("date"), diags),
        logo=_logo(root, inside("logo", (fields["logo"],)) if "logo" in fields else (), rel, data.line_of("logo"),
                   diags),
        urdu_typeface="" if typeface in ((), ("nastaliq",)) else typeface[0],
    )
    return paper, diags


def _logo(root: Path, paths: tuple[str, ...], rel: str, line: int, diags: list[Diagnostic]) -> str:
    """The logo's path, if it is an SVG that exists (typst draws it, the web edition embeds it); else an E007."""
    for path in paths:
        if Path(path).suffix.lower() != ".svg":
            diags.append(finding(rel, line, "E007", f"'logo': {path} is not an SVG; give the logo as an .svg file"))
        elif not (root / path).is_file():
            diags.append(finding(rel, line, "E007", f"'logo': {path} does not exist; put the SVG there or remove "
                                 "logo:"))
        else:
            return path
    return ""


def _dates(data: LineDict | None, allowed: tuple[str, ...] | None, what: str, rel: str,
           diags: list[Diagnostic]) -> dict[str, dt.date]:
    """A mapping of names to dates (a manifest's milestones:, a theme's due:); every other entry is an E007."""
    out: dict[str, dt.date] = {}
    for key, value in (data or {}).items():
        line = data.line_of(key) if isinstance(data, LineDict) else 0
        date, problem = s.coerce("date", value)
        if allowed is not None and key not in allowed:
            diags.append(finding(rel, line, "E007", f"unknown {what} '{key}'; choose from {', '.join(allowed)}"
                                 f"{s.did_you_mean(str(key), list(allowed))}"))
        elif problem:
            diags.append(finding(rel, line, "E007", f"{what} '{key}': {problem}"))
        else:
            out[str(key)] = date
    return out


def _choices(given: tuple[str, ...], allowed: tuple[str, ...], what: str, line: int, rel: str,
             diags: list[Diagnostic]) -> tuple[str, ...]:
    """The values of a manifest's list that are among `allowed`; each other one is an E007 at `line`."""
    diags += [finding(rel, line, "E007", f"unknown {what} '{bad}'; choose from {', '.join(allowed)}")
              for bad in given if bad not in allowed]
    return tuple(v for v in given if v in allowed)


def _manifest(root: Path, paper_id: str) -> str:
    """The manifest's path; a usage error when the id is not one or names no paper here."""
    rel = f"papers/{paper_id}.yaml"
    known = ", ".join(list_papers(root)) or "none"
    if not valid_id(paper_id):  # it names a file to read and the outputs to write: no '..', no '/'
        raise UsageError(f"'{paper_id}' is not a paper id ({ID_RULE}); papers here: {known}")
    if paper_id in SHARED_DATA:
        raise UsageError(f"{rel} holds data every paper shares, not a paper; papers here: {known}")
    if not (root / rel).is_file():
        papers = list_papers(root)
        hint = s.did_you_mean(paper_id, papers) or f" (papers here: {', '.join(papers) or 'none'})"
        raise UsageError(f"no paper '{paper_id}': {rel} does not exist{hint}")
    return rel


def _theme_ids(names: tuple[str, ...], data: LineDict, rel: str, diags: list[Diagnostic]) -> list[str]:
    """The manifest's themes that are valid ids; the folder name becomes a typst label, an HTML id, a file name."""
    themes = []
    for theme_id, line in zip(names, _item_lines(data, "themes")):
        if valid_id(theme_id):
            themes.append(theme_id)
        else:
            diags.append(
                finding(rel, line, "A511", f"theme '{theme_id}' is not a valid id; name theme folders with {ID_RULE}")
            )
    return themes


def _limits(data: LineDict | None, rel: str, diags: list[Diagnostic]) -> Limits:
    """The manifest's `limits:` over the defaults; a value out of range keeps its default (and is reported)."""
    if data is None:
        return Limits()
    values, more = s.validate(data, LIMITS_SCHEMA, rel, "limits")
    diags += more
    for key, problem in check_values(values):
        diags.append(finding(rel, data.line_of(key), "E007", f"limits: '{key}' {problem}"))
        del values[key]
    return Limits(**values)


def load_theme(root: Path, theme_id: str, paper: Paper | None = None) -> tuple[Theme | None, list[Diagnostic]]:
    rel = f"{theme_id}/theme.yaml"
    if not (root / theme_id).is_dir():
        where = (paper.path, paper.key_lines.get("themes", 0)) if paper else (theme_id, 0)
        return None, [finding(*where, "S103", f"theme '{theme_id}' has no folder {theme_id}/")]
    fields, data, diags = load_yaml_file(root, rel, "theme.yaml", THEME_SCHEMA)
    if fields is None or data is None or "title" not in fields:
        return None, diags
    return Theme(
        id=theme_id, path=rel, title=fields["title"], lead=fields.get("lead", ""),
        researchers=fields.get("researchers", ()), reviewers=fields.get("reviewers", ()),
        required_sections=fields.get("required_sections", ()),
        chapters=tuple(f"{theme_id}/{c}" for c in fields.get("chapters", ())), key_lines=dict(data.key_lines),
        chapter_lines=_item_lines(data, "chapters"),
        min_words=fields.get("min_words", 0), max_words=fields.get("max_words", 0),
        required_reviewers=fields.get("required_reviewers", 1),
        due={f"{theme_id}/{name}": date for name, date in _dates(fields.get("due"), None, "due date", rel,
                                                                    diags).items()},
    ), diags


@dataclass
class _Loaded:
    """What loading has gathered so far: every stage below adds to it, none raises on a user's mistake."""

    diags: list[Diagnostic]
    files: list[str]
    themes: list[Theme] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    reviews: dict[str, tuple[Review, ...]] = field(default_factory=dict)
    signoff: dict[str, tuple[Rules, ...]] = field(default_factory=dict)

    def document(self, root: Path, path: str, theme: str | None) -> None:
        doc, more = load_document(root, path, theme)
        self.diags += more
        self.files.append(path)
        if doc:
            self.documents[path] = doc


def load_project(root: Path, paper_id: str) -> tuple[Project | None, list[Diagnostic]]:
    """Load everything one paper needs. Returns None only when the manifest itself is unusable."""
    paper, diags = load_paper(root, paper_id)
    if paper is None:
        return None, diags
    people, more = load_people(root, "papers/people.yaml")
    loaded = _Loaded(diags + more, [paper.path, "papers/people.yaml"])
    for theme_id in paper.themes:
        _load_theme(root, theme_id, paper, loaded)
    for page in paper.front_matter + paper.back_matter:
        if not (root / page).is_file():
            key = "front_matter" if page in paper.front_matter else "back_matter"
            loaded.diags.append(finding(paper.path, paper.key_lines.get(key, 0), "S101",
                                        f"page {page} is listed but does not exist"))
            continue
        loaded.document(root, page, None)
    _newsletters(root, loaded)
    bibliography = _bibliography(root, paper, loaded)
    glossary, more = load_glossary(root)
    loaded.diags += more
    agencies, more = load_agencies(root)
    loaded.diags += more
    organizations, more = load_organizations(root)
    loaded.diags += more
    events, more = load_events(root)
    loaded.diags += more
    loaded.files += [f for f in (glossary.path, AGENCIES if agencies else "", EVENTS if events else "") if f]
    loaded.diags += _templates_outside(root)
    project = Project(root, paper, people, tuple(loaded.themes), loaded.documents, bibliography, tuple(loaded.files),
                      loaded.reviews, signoff=loaded.signoff,
                      provenance=_provenance(root, loaded, people, paper.require_signed_reviews),
                      glossary=glossary, agencies=agencies, organizations=organizations, events=events)
    return judge_project(project), loaded.diags


def require_project(root: Path, paper_id: str) -> Project:
    """The project, for commands that only read it; a UsageError naming why when its manifest is unusable."""
    project, diags = load_project(root, paper_id)
    if project is None:
        raise UsageError("; ".join(d.text() for d in diags if d.severity.value == "error") or
                         f"papers/{paper_id}.yaml cannot be read")
    return project


def _load_theme(root: Path, theme_id: str, paper: Paper, loaded: _Loaded) -> None:
    """A theme: its theme.yaml, its review and signing-rules logs, and the chapters it lists."""
    theme, more = load_theme(root, theme_id, paper)
    loaded.diags += more
    if theme is None:
        return
    loaded.themes.append(theme)
    loaded.files.append(theme.path)
    theme_reviews, more = load_reviews(root, theme.id)
    loaded.diags += more
    loaded.reviews[theme.id] = tuple(theme_reviews)
    if (root / reviews_path(theme.id)).is_file():
        loaded.files.append(reviews_path(theme.id))
    theme_rules, more = load_signoff(root, theme.id)  # who signs, as the secretariat confirmed it
    loaded.diags += more
    loaded.signoff[theme.id] = tuple(theme_rules)
    if (root / signoff_path(theme.id)).is_file():
        loaded.files.append(signoff_path(theme.id))
    for i, chapter in enumerate(theme.chapters):
        _, why = contained(root, chapter)
        if why:
            loaded.diags.append(finding(theme.path, theme.chapter_lines[i], "E014",
                                        outside_reason(chapter.removeprefix(f"{theme.id}/"), why)))
        elif not (root / chapter).is_file():
            loaded.diags.append(finding(theme.path, theme.chapter_lines[i], "S101",
                                        f"chapter '{Path(chapter).name}' is listed but {chapter} does not exist"))
        else:
            loaded.document(root, chapter, theme.id)
    _unlisted(root, theme, loaded)


def _unlisted(root: Path, theme: Theme, loaded: _Loaded) -> None:
    """A chapter in the theme's folder that theme.yaml does not list yet (S102) is read all the same: it is
    checked in full and can be previewed, though no paper includes it until it is listed."""
    for path in sorted((root / theme.id).glob("*.md")):
        rel = path.relative_to(root).as_posix()
        if rel not in theme.chapters and path.name.lower() != "readme.md" and contained(root, rel)[0] is not None:
            loaded.document(root, rel, theme.id)


def _newsletters(root: Path, loaded: _Loaded) -> None:
    """newsletters/*.md: published in every paper's name, so every paper's check reads them (no paper lists them)."""
    folder = root / NEWSLETTERS
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        rel = path.relative_to(root).as_posix()
        if contained(root, rel)[0] is None:
            continue
        loaded.document(root, rel, None)
        if not MONTH.fullmatch(path.stem) and path.name.lower() != "readme.md":
            loaded.diags.append(finding(rel, 1, "S122", f"'{path.name}' names no month, so no newsletter is made "
                                                        "from it: name it YYYY-MM.md (e.g. 2020-01.md)"))


def _bibliography(root: Path, paper: Paper, loaded: _Loaded) -> Bibliography:
    """The paper's bibliographies and the themes' own, merged; one leading outside is never handed to pandoc."""
    bib_files = paper.bibliography + tuple(f"{t.id}/references{suffix}" for t in loaded.themes
                                           for suffix in BIBLIOGRAPHY_SUFFIXES
                                           if (root / t.id / f"references{suffix}").is_file())
    parsed: list[tuple[list[BibEntry], list[Diagnostic]]] = []
    usable: list[str] = []
    for bib in bib_files:
        text, more = read_text(root, bib)
        if any(d.code == "E014" for d in more):  # pandoc must never be handed it
            loaded.diags += more
            continue
        parsed.append(_bibliography_file(root, text.text, bib) if text else ([], more))
        loaded.files.append(bib)
        usable.append(bib)
    bibliography, more = merge_bibliographies(parsed, tuple(usable))
    loaded.diags += more
    return bibliography


def _bibliography_file(root: Path, text: str, rel: str) -> tuple[list[BibEntry], list[Diagnostic]]:
    """A CSL file's entries; a .bib's, each with pandoc's CSL reading of it (what citeproc prints)."""
    if is_csl(rel):
        return parse_csl(text, rel)
    entries, diags, failed = read_bibtex(text, rel)
    items, more = read_bibtex_as_csl(text, rel, failed, cache=root / "build" / ".cache" / "csl")
    return [replace(e, csl=items.get(e.key, {})) for e in entries], diags + more


def _provenance(root: Path, loaded: _Loaded, people: dict[str, Person], signed: bool) -> Provenance:
    """Review records and the secretariat's confirmations of who signs are traced to their commits alike
    (signatures, where the paper requires them, of review records)."""
    decisions = {f"{t}/signoff": tuple(r.as_record(t) for r in rules) for t, rules in loaded.signoff.items()}
    verdicts = trace_reviews(root, loaded.reviews, people, signed=signed)
    confirmations = trace_reviews(root, decisions, people, signed=False)
    return Provenance({**verdicts.traces, **confirmations.traces}, verdicts.problem or confirmations.problem)


def _templates_outside(root: Path) -> list[Diagnostic]:
    """Templates are read by pandoc, typst and jinja directly: none may be a link out of the repository."""
    out = []
    for path in sorted((root / "templates").rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() and contained(root, rel)[0] is None:
            out.append(finding(rel, 0, "E014", outside_reason(rel, "symlink")))
    return out


def _item_lines(data: LineDict, key: str) -> tuple[int, ...]:
    """Line of each item of the list under `key`; the key's line where there is none."""
    items = data.get(key)
    if isinstance(items, LineList):
        return tuple(items.item_lines)
    return (data.line_of(key),) * (len(items) if isinstance(items, list) else 0)
