"""`nsp new chapter|theme|paper|newsletter`: the new file, its entry in the list that names it, and what to do next.

Everything is checked before anything is written: the theme, paper and people named must exist, the new
file must not, and the file whose list is extended must parse. Then the new file and the edited list are
written together, atomically (both or neither), under a lock so that two scaffolds never race for one list.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nsp.diagnostics import NspError
from nsp.editorschema import modeline
from nsp.infra.atomic import atomic_paths, job_lock
from nsp.load.project import (
    PAPER_SCHEMA,
    THEME_SCHEMA,
    list_papers,
    load_document,
    load_people,
    load_theme,
    load_yaml_file,
)
from nsp.load.schema import Schema, did_you_mean
from nsp.model import ID_RULE, valid_id
from nsp.newsletter.source import bounds, text_path
from nsp.scaffold.listedit import add_to_list, scalar

DEFAULT_SECTIONS = ("Context", "Gaps", "Recommendations", "Action plan")
PLACEHOLDER = "TODO: write this section."  # S106 reports it until the section is written: nothing unwritten ships
THEME_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
THEME_ID_RULE = "lower-case letters, digits and '_', starting with a letter"
# The repository's own folders: no theme may take their names.
RESERVED = {"papers", "templates", "build", "tools", "tests", "docs", "bench", "schemas"}
NUMBERED = re.compile(r"(\d+)-")
# What a theme paper shares with the one it is modelled on; its title and themes are its own.
PAPER_KEYS = ("subtitle", "publisher", "secretariat", "edition", "lang", "front_matter", "bibliography", "csl",
              "outputs")


@dataclass(frozen=True)
class Written:
    """What a scaffold wrote: the new file, the file whose list now names it ("" for none), and what next."""

    created: str
    listed_in: str
    next_step: str
    notes: tuple[str, ...] = ()  # what `nsp check` will say of it that the scaffold could not settle


def slugify(title: str) -> str:
    """The file-name form of a title: lower-case ASCII letters, digits and hyphens ("chapter" if none are left)."""
    ascii_form = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_form.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or "chapter"


def new_chapter(root: Path, theme: str, title: str, authors: tuple[str, ...]) -> Written:
    """Write THEME/NN-slug.md (front matter, one `## Section` per required section) and list it in theme.yaml."""
    title = _one_line(title, "the title")
    theme_rel = _theme_file(root, theme)
    _known_people(root, authors, "author")
    fields, theme_text = _yaml_for_edit(root, theme_rel, "theme.yaml", THEME_SCHEMA)
    name = f"{_next_number(fields.get('chapters', ())):02d}-{slugify(title)}.md"
    rel = f"{theme}/{name}"
    if os.path.lexists(root / rel):
        raise NspError(f"{rel} already exists; nothing written (give the chapter another title, or list that file "
                       f"in {theme_rel})")
    _title_free(root, title)
    body = _chapter_text(title, authors, fields.get("required_sections", ()))
    edited = add_to_list(theme_text, "chapters", name, theme_rel)
    _write(root, {rel: body, theme_rel: edited}, fresh=rel, was={theme_rel: theme_text})
    assigned = {*fields.get("researchers", ()), fields.get("lead", "")}
    notes = tuple(f"note: {a} is neither the lead nor a researcher of {theme}; nsp check reports it (P402) until "
                  f"they are added to researchers: in {theme_rel}" for a in authors if a not in assigned)
    return Written(rel, theme_rel, f"write the sections (nsp check lists each TODO), preview with "
                                   f"`nsp build {rel}`, then `git add {rel} {theme_rel}`", notes)


def new_theme(root: Path, theme: str, lead: str, title: str | None, paper: str) -> Written:
    """Write THEME/theme.yaml (no chapters yet) and add THEME to the `themes:` of papers/PAPER.yaml."""
    if not THEME_ID.fullmatch(theme) or theme in RESERVED:
        why = "is one of the repository's own folders" if theme in RESERVED else f"is not a theme id ({THEME_ID_RULE})"
        raise NspError(f"'{theme}' {why}; nothing written")
    if os.path.lexists(root / theme):
        raise NspError(f"{theme}/ already exists; nothing written")
    _known_people(root, (lead,), "lead")
    paper_rel = _paper_file(root, paper)
    fields, paper_text = _yaml_for_edit(root, paper_rel, "the paper manifest", PAPER_SCHEMA)
    sections = _sections_like(root, fields.get("themes", ()))
    rel = f"{theme}/theme.yaml"
    text = modeline(root, rel) + "\n".join([
        "# The theme's people, its chapters in the order of the paper, and the sections every chapter must have.",
        f"title: {_quoted(_one_line(title or theme.replace('_', ' ').title(), 'the title'))}",
        f"lead: {scalar(lead)}",
        "researchers: []",
        "reviewers: []",
        f"required_sections: {_flow(sections)}",
        "chapters: []",
        "",
    ])
    files = {rel: text}
    if theme not in fields.get("themes", ()):
        files[paper_rel] = add_to_list(paper_text, "themes", theme, paper_rel)
    _write(root, files, fresh=rel, was={paper_rel: paper_text} if paper_rel in files else {})
    return Written(rel, paper_rel if paper_rel in files else "",
                   f"add researchers and reviewers to {rel}, have the secretariat confirm them "
                   f"(`nsp review confirm-rules {theme} --by ID`), then `nsp new chapter {theme} \"Title\" "
                   f"--author ID`; `git add {theme} {paper_rel}`")


def new_paper(root: Path, paper: str, title: str | None, themes: tuple[str, ...]) -> Written:
    """Write papers/PAPER.yaml, modelled on an existing paper of one theme, with `themes:` as given."""
    if not valid_id(paper):
        raise NspError(f"'{paper}' is not a paper id ({ID_RULE}); nothing written")
    rel = f"papers/{paper}.yaml"
    if os.path.lexists(root / rel):
        raise NspError(f"{rel} already exists; nothing written")
    for theme in themes:
        _theme_file(root, theme)
    model, fields = _model_paper(root)
    lines = [f"# {'The strategy paper' if len(themes) == 1 else 'A paper'}: what goes in, in which order"
             + (f" (modelled on {model})." if model else "."),
             f"title: {_quoted(_one_line(title or paper.replace('-', ' ').replace('_', ' ').title(), 'the title'))}"]
    for key in PAPER_KEYS[:PAPER_KEYS.index("front_matter")]:
        if key in fields:
            lines.append(f"{key}: {scalar(fields[key]) if key == 'lang' else _quoted(fields[key])}")
    if "front_matter" in fields:
        lines += ["front_matter:", *(f"  - {scalar(page)}" for page in fields["front_matter"])]
    lines.append(f"themes: {_flow(themes)}")
    for key in ("bibliography", "csl", "outputs"):
        if key in fields:
            value = fields[key]
            lines.append(f"{key}: {_flow(value) if isinstance(value, tuple) else scalar(value)}")
    _write(root, {rel: modeline(root, rel) + "\n".join([*lines, ""])}, fresh=rel, was={})
    return Written(rel, "", f"check it with `nsp check --paper {paper}`, build it with `nsp build --paper {paper}`; "
                            f"`git add {rel}`")


def new_newsletter(root: Path, month: str, title: str | None, authors: tuple[str, ...]) -> Written:
    """Write newsletters/MONTH.md: its front matter, and a marker where the secretariat's text goes."""
    start, _ = bounds(month)
    title = _one_line(title or f"{start:%B %Y}", "the title")
    _known_people(root, authors, "author")
    rel = text_path(month)
    if os.path.lexists(root / rel):
        raise NspError(f"{rel} already exists; nothing written (edit it, then run `nsp newsletter {month}`)")
    text = "\n".join(["---", f"title: {_quoted(title)}", f"authors: {_flow(authors)}", "---", "", PLACEHOLDER, ""])
    _write(root, {rel: text}, fresh=rel, was={})
    return Written(rel, "", f"write the month's text in place of the TODO (nsp newsletter refuses it until "
                            f"then), then `nsp newsletter {month}`")


def _one_line(text: str, what: str) -> str:
    text = text.strip()
    if not text or any(unicodedata.category(c) == "Cc" for c in text):
        raise NspError(f"{what} must be one line of text; nothing written")
    return text


def _quoted(text: str) -> str:
    """`text` in double quotes, as people write titles in these files."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def _themes_here(root: Path) -> list[str]:
    return sorted(p.parent.name for p in root.glob("*/theme.yaml"))


def _theme_file(root: Path, theme: str) -> str:
    """THEME/theme.yaml, or a refusal naming the closest theme there is."""
    if not valid_id(theme) or not (root / theme / "theme.yaml").is_file():
        themes = _themes_here(root)
        hint = did_you_mean(theme, themes) or f" (themes here: {', '.join(themes) or 'none'})"
        raise NspError(f"no theme '{theme}': {theme}/theme.yaml does not exist{hint}")
    return f"{theme}/theme.yaml"


def _paper_file(root: Path, paper: str) -> str:
    if not valid_id(paper) or not (root / "papers" / f"{paper}.yaml").is_file():
        papers = list_papers(root)
        hint = did_you_mean(paper, papers) or f" (papers here: {', '.join(papers) or 'none'})"
        raise NspError(f"no paper '{paper}': papers/{paper}.yaml does not exist{hint}")
    return f"papers/{paper}.yaml"


def _known_people(root: Path, ids: tuple[str, ...], what: str) -> None:
    """Every id is in papers/people.yaml, or a refusal with the closest id there is."""
    people, diags = load_people(root, "papers/people.yaml")
    if not people and diags:
        raise NspError(f"papers/people.yaml cannot be read ({diags[0].text()}); nothing written")
    for pid in ids:
        if pid not in people:
            hint = did_you_mean(pid, set(people)) or "; add them there first"
            raise NspError(f"{what} '{pid}' is not in papers/people.yaml{hint}")


def _yaml_for_edit(root: Path, rel: str, what: str, shape: Schema) -> tuple[dict[str, Any], str]:
    """The fields of the YAML file `rel` and its exact text (a BOM and CRLF kept), or a refusal if it does not
    parse: a list is never added to a file nsp cannot read."""
    fields, _, diags = load_yaml_file(root, rel, what, shape)
    broken = [d for d in diags if d.code in ("E001", "E002", "E003", "E004", "E005", "E014", "E015")]
    if fields is None or broken:
        first = (broken or diags)[0].text() if (broken or diags) else rel
        raise NspError(f"{rel} cannot be parsed, nothing written: {first}")
    return fields, (root / rel).read_bytes().decode("utf-8")


def _title_free(root: Path, title: str) -> None:
    """No chapter of any theme here has this title already (two would be S109, an error in every paper)."""
    wanted = " ".join(title.lower().split())
    for theme_id in _themes_here(root):
        theme, _ = load_theme(root, theme_id)
        for chapter in theme.chapters if theme else ():
            doc, _ = load_document(root, chapter, theme_id) if (root / chapter).is_file() else (None, [])
            if doc and " ".join(doc.title.lower().split()) == wanted:
                raise NspError(f"{chapter} already has the title '{doc.title}'; two chapters of one paper cannot "
                               "share a title (S109); nothing written")


def _next_number(chapters: tuple[str, ...]) -> int:
    """One more than the highest number that starts a listed chapter's name (one more than their count if none)."""
    numbers = [int(m.group(1)) for name in chapters if (m := NUMBERED.match(Path(name).name))]
    return max(numbers, default=len(chapters)) + 1


def _chapter_text(title: str, authors: tuple[str, ...], sections: tuple[str, ...]) -> str:
    lines = ["---", f"title: {_quoted(title)}", f"authors: {_flow(authors)}", "---", ""]
    for section in sections:
        lines += [f"## {section}", "", PLACEHOLDER, ""]
    if not sections:
        lines += [PLACEHOLDER, ""]
    return "\n".join(lines)


def _sections_like(root: Path, themes: tuple[str, ...]) -> tuple[str, ...]:
    """The required sections of the paper's first theme that has some (any theme's, else the default)."""
    for theme in [*themes, *_themes_here(root)]:
        if (root / theme / "theme.yaml").is_file():
            fields, _, _ = load_yaml_file(root, f"{theme}/theme.yaml", "theme.yaml", THEME_SCHEMA)
            if fields and fields.get("required_sections"):
                return tuple(fields["required_sections"])
    return DEFAULT_SECTIONS


def _model_paper(root: Path) -> tuple[str, dict[str, Any]]:
    """The paper a new one is modelled on: the first of one theme (else the first there is), and its fields."""
    found: list[tuple[str, dict[str, Any]]] = []
    for paper in list_papers(root):
        rel = f"papers/{paper}.yaml"
        fields, _, _ = load_yaml_file(root, rel, "the paper manifest", PAPER_SCHEMA)
        if fields:
            found.append((rel, fields))
    found.sort(key=lambda pair: len(pair[1].get("themes", ())) != 1)
    return found[0] if found else ("", {})


def _write(root: Path, files: dict[str, str], *, fresh: str, was: dict[str, str]) -> None:
    """Write every file or none, one scaffold at a time: `fresh` must still not exist, and each file of `was`
    must still hold the text it was read with (else another edit would be lost)."""
    with job_lock(root / "build", ".nsp-new.lock"):
        if os.path.lexists(root / fresh):
            raise NspError(f"{fresh} was created while nsp new was writing it; nothing written")
        for rel, text in was.items():
            if (root / rel).read_bytes().decode("utf-8") != text:
                raise NspError(f"{rel} changed while nsp new was writing; nothing written (run it again)")
        targets = [root / rel for rel in files]
        with atomic_paths(targets) as tmps:
            for tmp, text in zip(tmps, files.values()):
                tmp.write_bytes(text.encode("utf-8"))
