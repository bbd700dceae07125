"""Editor schemas: JSON Schemas of the YAML files people write, made from the shapes the loaders check.

`nsp schema --write` writes them to schemas/; a `# yaml-language-server: $schema=…` comment at the top
of theme.yaml, papers/*.yaml and the review logs points VS Code's YAML extension (and any editor using
yaml-language-server) at them, so it completes keys and flags mistakes as the author types. Nothing
here is written by hand: every key, kind, required key, choice and description comes from the
`nsp.load.schema.Field`s the loaders validate with, so the schemas change when the code does, and
`nsp schema --check` fails until they are written again.

The schemas declare draft 2020-12 but use only keywords that mean the same in draft 7, the draft
yaml-language-server implements: type, enum, pattern, minimum, maximum, properties, required,
additionalProperties, items, anyOf, description. They accept everything the loaders accept; where the
editor reads YAML 1.2 and nsp reads YAML 1.1 (yes/no, unquoted dates), they accept both readings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from nsp.diagnostics import NspError
from nsp.infra.atomic import write_atomic
from nsp.infra.resources import contained
from nsp.load import glossary, network, project
from nsp.load.schema import Field, Schema
from nsp.review import signoff, state

DRAFT = "https://json-schema.org/draft/2020-12/schema"
FOLDER = "schemas"
MODELINE = "# yaml-language-server: $schema="
# nsp reads YAML 1.1, where these are booleans; an editor reading YAML 1.2 sees text. Both mean true/false.
YAML11_BOOLEAN = "^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$"
# What the loader reads as a date: 2020-04-30, or that day with a time (YAML's timestamps, ISO text).
DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ]|$)"
NON_BLANK = "\\S"
# yaml-language-server shows this instead of the bare regular expression; validators ignore unknown keywords.
SAYS = "patternErrorMessage"
Json = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """One schema file: its name (schemas/NAME.schema.json), the files it describes, and its body."""

    name: str
    files: str  # in the words of the README: THEME/theme.yaml
    title: str
    body: Json

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.name}.schema.json"

    def text(self) -> str:
        """The file's bytes as text: stable key order, two-space indents, one final newline."""
        document = {"$schema": DRAFT, "title": self.title, **self.body}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Entry:
    """A schema file and how it stands: 'up to date', 'differs', 'missing', 'not generated' (a stale
    file nsp no longer makes); after a write, 'written' or 'removed'."""

    path: str
    state: str
    files: str


def field(f: Field) -> Json:
    """The JSON Schema of one key's value, as `nsp.load.schema.coerce` and the loader's later checks take it."""
    out: Json = {"description": f.doc} if f.doc else {}
    if f.kind == "text":
        return out | _text(f)
    if f.kind == "texts":
        item = _text(f) if f.choices or f.pattern else {"type": "string"}
        return out | {"anyOf": [{"type": "array", "items": item}, item]}  # one text stands for a list of one
    if f.kind == "date":
        return out | {"type": "string", "pattern": DATE, SAYS: "expected a date like 2020-04-30"}
    if f.kind == "int":
        bounds = {"minimum": f.minimum, "maximum": f.maximum}
        return out | {"type": "integer"} | {k: v for k, v in bounds.items() if v is not None}
    if f.kind == "bool":
        yaml11 = {"type": "string", "pattern": YAML11_BOOLEAN, SAYS: "expected true or false"}
        return out | {"anyOf": [{"type": "boolean"}, yaml11]}
    if f.kind == "map":
        return out | _map(f)
    return out | {"type": "array", "items": {"type": "object"}}  # maps: each item is read loosely


def _text(f: Field) -> Json:
    if f.choices and f.any_case:  # the loader strips and lower-cases first: offer the choices, accept any case
        says = f"choose from {', '.join(f.choices)}"
        return {"anyOf": [{"enum": list(f.choices)}, {"type": "string", "pattern": _any_case(f.choices), SAYS: says}]}
    if f.choices:
        return {"enum": list(f.choices)}
    if f.pattern:  # the patterns nsp uses start with a letter: no number matches them
        return {"type": "string", "pattern": f"^(?:{f.pattern})$", SAYS: f"expected {f.doc}"}
    return {"type": ["string", "number"]}  # the loader takes a number as the text of its digits


def _any_case(choices: tuple[str, ...]) -> str:
    def letters(word: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
    return "^\\s*(?:" + "|".join(letters(c) for c in choices) + ")\\s*$"


def _map(f: Field) -> Json:
    if f.shape is not None:
        return mapping(f.shape)
    if f.choices and f.values is not None:
        return {"type": "object", "properties": {c: field(f.values) for c in f.choices}, "additionalProperties": False}
    if f.values is not None:
        return {"type": "object", "additionalProperties": field(f.values)}
    return {"type": "object"}


def mapping(shape: Schema, doc: str = "") -> Json:
    """A mapping checked with `nsp.load.schema.validate`: these keys only (E006), the required ones present (E008)."""
    out: Json = {"description": doc} if doc else {}
    out |= {"type": "object", "properties": {key: field(f) for key, f in shape.items()}}
    required = [key for key, f in shape.items() if f.required]
    return out | ({"required": required} if required else {}) | {"additionalProperties": False}


def _by_id(entry: Json, doc: str, *, empty: bool = False) -> Json:
    """A file (or section) that maps each id to an entry; `empty`: a file with nothing in it is fine too."""
    return {"description": doc, "type": ["object", "null"] if empty else "object", "additionalProperties": entry}


def _log(record: Schema, doc: str) -> Json:
    """An append-only log: a list of records (a new log holds only its header comment, which reads as null)."""
    return {"description": doc, "type": ["array", "null"], "items": mapping(record)}


def _glossary() -> Json:
    """glossary.SCHEMA, with each term as nsp.load.glossary reads it: its expansion as text, or a mapping of
    TERM_SCHEMA's keys whose expansion is text."""
    body = mapping(glossary.SCHEMA, "papers/glossary.yaml: the abbreviations the papers use")
    term = mapping(glossary.TERM_SCHEMA)  # the loader reports a term's unknown key (E006) and a wrong type (E007)
    term["properties"]["expansion"] |= {"pattern": NON_BLANK, SAYS: "say what it stands for"}
    terms = body["properties"]["terms"]
    said = {"type": "string", "pattern": NON_BLANK, SAYS: "say what it stands for"}
    terms["additionalProperties"] = {"anyOf": [said, term]}
    body["type"] = ["object", "null"]  # an empty glossary is no glossary
    return body


def _people() -> Json:
    people = _by_id(mapping(project.PERSON_SCHEMA, "a person, by their id"),
                    "papers/people.yaml: everyone, by id; and the organizations of the network")
    organizations = _by_id(mapping(network.ORGANIZATION_SCHEMA, "an organization, by its id"),
                           "the organizations of the initiative's network, by id")
    return people | {"properties": {project.ORGANIZATIONS: organizations}}


def targets() -> tuple[Target, ...]:
    """Every schema nsp makes, in the order `nsp schema` lists them."""
    agency = {"type": "string", "pattern": NON_BLANK, "description": "the agency's name", SAYS: "write its name"}
    return (
        Target("paper", "papers/PAPER.yaml", "nsp paper manifest",
               mapping(project.PAPER_SCHEMA, "A paper: what goes in, in which order")),
        Target("theme", "THEME/theme.yaml", "nsp theme",
               mapping(project.THEME_SCHEMA, "A theme: its people, its chapters and their rules")),
        Target("front-matter", "the front matter of every chapter and page (*.md)", "nsp front matter",
               mapping(project.CHAPTER_SCHEMA, "The YAML between the --- lines at the top of a chapter")),
        Target("people", "papers/people.yaml", "nsp people", _people()),
        Target("events", "papers/events.yaml", "nsp events",
               _by_id(mapping(network.EVENT_SCHEMA, "an event, by its id"),
                      "papers/events.yaml: the initiative's meetings, by id", empty=True)),
        Target("glossary", "papers/glossary.yaml", "nsp glossary", _glossary()),
        Target("agencies", "papers/agencies.yaml", "nsp agencies",
               _by_id(agency, "papers/agencies.yaml: each agency's id and name", empty=True)),
        Target("reviews", "THEME/reviews.yaml", "nsp review log",
               _log(state.RECORD_SCHEMA, "THEME/reviews.yaml: written by `nsp review`; do not edit by hand")),
        Target("signoff", "THEME/signoff.yaml", "nsp signing rules",
               _log(signoff.RECORD_SCHEMA, "THEME/signoff.yaml: written by `nsp review confirm-rules`")),
    )


def schema_for(rel: str) -> str | None:
    """The name of the schema that describes the repository file `rel` (a chapter: its front matter)."""
    path = PurePosixPath(rel)
    if path.suffix == ".md":
        return "front-matter"
    if len(path.parts) != 2 or path.suffix != ".yaml":
        return None
    if path.parts[0] == "papers":
        return path.stem if path.stem in project.SHARED_DATA else "paper"
    return {"theme": "theme", "reviews": "reviews", "signoff": "signoff"}.get(path.stem)


def modeline(root: Path, rel: str) -> str:
    """The comment that points an editor at the schema of `rel` ('' when the repository has no such schema):
    relative, so that it works in every clone."""
    name = schema_for(rel)
    if name is None or name == "front-matter" or not (root / FOLDER / f"{name}.schema.json").is_file():
        return ""
    up = "../" * (len(PurePosixPath(rel).parts) - 1)
    return f"{MODELINE}{up}{FOLDER}/{name}.schema.json\n"


def status(root: Path) -> list[Entry]:
    """How each file in schemas/ stands against what the code makes now; nothing is written."""
    out = []
    for target in targets():
        file = root / target.path
        now = file.read_text("utf-8") if file.is_file() else None
        how = "missing" if now is None else "up to date" if now == target.text() else "differs"
        out.append(Entry(target.path, how, target.files))
    made = {t.path for t in targets()}
    folder = root / FOLDER
    for stale in sorted(folder.glob("*.schema.json")) if folder.is_dir() else ():
        if f"{FOLDER}/{stale.name}" not in made:
            out.append(Entry(f"{FOLDER}/{stale.name}", "not generated", ""))
    return out


def write(root: Path) -> list[Entry]:
    """Write every schema that is missing or differs (atomically), remove those nsp no longer makes;
    the entries of what changed."""
    if contained(root, FOLDER)[0] is None:
        raise NspError(f"{FOLDER}/ leads outside the repository (a symbolic link); nothing written")
    (root / FOLDER).mkdir(exist_ok=True)
    texts = {t.path: t.text() for t in targets()}
    changed = []
    for entry in status(root):
        if entry.state in ("missing", "differs"):
            write_atomic(root / entry.path, texts[entry.path].encode("utf-8"))
            changed.append(Entry(entry.path, "written", entry.files))
        elif entry.state == "not generated":
            (root / entry.path).unlink()
            changed.append(Entry(entry.path, "removed", ""))
    return changed
