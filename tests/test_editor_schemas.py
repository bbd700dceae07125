"""Editor schemas (schemas/*.schema.json): what the code makes, committed as made, and agreeing with nsp check.

The schemas are read by yaml-language-server as an author types; nsp check reads the same files. A schema that
flags what nsp accepts teaches people to ignore it, and one that accepts what nsp refuses is no help: the tests
hold the two to the same answers, on the manuscript and on files with known mistakes.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import MANUSCRIPT, REPO, git, nsp, write
from nsp.editorschema import MODELINE, schema_for
from nsp.load.project import split_front_matter
from nsp.load.yamlfile import parse_yaml

SCHEMAS = REPO / "schemas"


def as_json(value: Any) -> Any:
    """What nsp's YAML reading gives, as the JSON an editor validates: dates as the text written."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def schema_errors(root: Path, rel: str) -> list[str]:
    """What the committed schema for `rel` says of it (a chapter: of its front matter), read as nsp reads it."""
    name = schema_for(rel)
    assert name is not None, f"no schema describes {rel}"
    text: str | None = (root / rel).read_text("utf-8")
    if rel.endswith(".md"):
        text, _, _, _, problems = split_front_matter(text or "", rel)
        assert text is not None, problems
    data, problems = parse_yaml(text or "", rel)
    assert not problems, problems
    validator = Draft202012Validator(json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8")))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(as_json(data))]


def manuscript_files() -> list[str]:
    folders = [REPO / f for f in MANUSCRIPT if f != "templates"] + [REPO / "newsletters"]
    # Bibliographies (references.bib, .json, .yaml: CSL) are no files of nsp's own shape: pandoc reads them.
    files = [p for f in folders for p in f.rglob("*") if p.suffix in (".yaml", ".md") and p.name != "README.md"
             and not p.name.startswith("references.")]
    return sorted(p.relative_to(REPO).as_posix() for p in files)


def test_the_committed_schemas_are_what_the_code_makes() -> None:
    done = nsp(REPO, "schema", "--check")
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert done.stdout.splitlines()[-1] == "all 9 are what the code makes"
    assert "schemas/theme.schema.json         up to date     THEME/theme.yaml" in done.stdout.splitlines()
    for path in sorted(SCHEMAS.glob("*.json")):
        Draft202012Validator.check_schema(json.loads(path.read_text("utf-8")))  # each is a valid JSON Schema


def test_check_names_what_differs_and_write_makes_it_so(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SCHEMAS, root / "schemas")
    (root / "papers").mkdir()
    theme = root / "schemas" / "theme.schema.json"
    theme.write_text(theme.read_text("utf-8").replace('"chapters"', '"chapter"'), "utf-8")
    (root / "schemas" / "old.schema.json").write_text("{}\n", "utf-8")
    (root / "schemas" / "people.schema.json").unlink()

    shown = nsp(root, "schema")  # listing is no failure: only --check fails
    assert shown.returncode == 0 and "3 of 10 differ from the code" in shown.stdout
    checked = nsp(root, "schema", "--check")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    lines = checked.stdout.splitlines()
    assert "schemas/theme.schema.json         differs        THEME/theme.yaml" in lines
    assert "schemas/people.schema.json        missing        papers/people.yaml" in lines
    assert "schemas/old.schema.json           not generated" in lines
    assert lines[-1] == "3 of 10 differ from the code: run `nsp schema --write` and commit schemas/"

    wrote = nsp(root, "schema", "--write")
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout.splitlines() == [
        "written schemas/theme.schema.json", "written schemas/people.schema.json", "removed schemas/old.schema.json",
        "3 changed; schemas/ is what the code makes"]
    assert sorted(p.name for p in (root / "schemas").iterdir()) == sorted(p.name for p in SCHEMAS.iterdir())
    assert all((root / "schemas" / p.name).read_bytes() == p.read_bytes() for p in SCHEMAS.iterdir())
    again = nsp(root, "schema", "--write")
    assert again.stdout == "schemas/ is already what the code makes: nothing written\n"
    both = nsp(root, "schema", "--write", "--check")
    assert both.returncode == 2 and "--write and --check exclude each other" in both.stderr


@pytest.mark.parametrize("rel", manuscript_files())
def test_every_manuscript_file_fits_its_schema(rel: str) -> None:
    assert schema_errors(REPO, rel) == []
    if rel.endswith(".yaml"):  # a chapter's front matter cannot point at its schema: its editor reads Markdown
        first = (REPO / rel).read_text("utf-8").split("\n", 1)[0]
        assert first == f"{MODELINE}../schemas/{schema_for(rel)}.schema.json"


def test_the_manuscript_has_every_kind_of_file() -> None:
    kinds = {schema_for(rel) for rel in manuscript_files()}
    assert kinds == {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}


# file, what replaces what in it, what the schema says, the line nsp check prints
MISTAKES = [
    ("alpha/theme.yaml", ("researchers:", "reviewer: [lee]\nresearchers:"),
     ": Additional properties are not allowed ('reviewer' was unexpected)",
     "alpha/theme.yaml:4: E006 unknown key 'reviewer' in theme.yaml (did you mean 'reviewers'?)"),
    ("alpha/theme.yaml", ("lead: lee", "lead: lee\nmin_words: many"),
     "min_words: 'many' is not of type 'integer'",
     "alpha/theme.yaml:3: E007 'min_words': expected a whole number, found str 'many'"),
    ("alpha/01-first.md", ("authors: [ana]", "authors: [ana]\nlang: Urdu language"),
     "lang: 'Urdu language' does not match",
     "alpha/01-first.md:4: E007 'lang': expected a language tag such as ur or en, found 'Urdu language'"),
    ("papers/small.yaml", ("themes: [alpha]", "themes: [alpha]\noutputs: [pdf, epub]"),
     "outputs: [",
     "papers/small.yaml:6: E007 unknown output 'epub'; choose from pdf, docx, html"),
    ("papers/people.yaml", ("  email: ana@alpha.example", "  email: ana@alpha.example\n  public: maybe"),
     "ana/public: 'maybe' is not valid under any of the given schemas",
     "papers/people.yaml:6: E007 'public': expected true or false, found str 'maybe'"),
    ("papers/events.yaml", None, "board/kind: 'party' is not valid under any of the given schemas",
     "papers/events.yaml:3: E007 kind 'party': choose from meeting, roundtable, consultation, workshop"),
]


def test_a_mistake_fails_the_schema_and_nsp_check_alike(small_paper: Path) -> None:
    write(small_paper, "papers/events.yaml", "board:\n  title: Board\n  kind: party\n  date: 2020-01-10\n")
    for rel, change, _, _ in MISTAKES:
        if change:
            path = small_paper / rel
            path.write_text(path.read_text("utf-8").replace(*change, 1), "utf-8")
    check = nsp(small_paper, "check", "--paper", "small", "--strict")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    for rel, _, said, _ in MISTAKES:
        errors = schema_errors(small_paper, rel)
        assert len(errors) == [m[0] for m in MISTAKES].count(rel), (rel, errors)  # each mistake once, nothing else
        assert [e for e in errors if said in e], (rel, said, errors)
    found = sorted(line for line in check.stdout.splitlines() if " E0" in line)  # and nsp finds these, no more
    assert found == sorted(line for *_, line in MISTAKES), check.stdout


def test_what_nsp_accepts_the_schema_accepts(small_paper: Path) -> None:
    """YAML 1.1 booleans, numbers as text, one id for a list, any case of a kind, a date with a time."""
    write(small_paper, "papers/events.yaml", """
        board:
          title: 2020
          kind: " Roundtable"
          date: 2020-01-10 10:30:00
          attendance: lee
        """)
    write(small_paper, "papers/glossary.yaml", """
        terms:
          FIA: Federal Investigation Agency
          ANF: {expansion: Anti-Narcotics Force, urdu: "اینٹی نارکوٹکس فورس"}
        """)
    people = small_paper / "papers/people.yaml"
    people.write_text(people.read_text("utf-8").replace("  group: lead\n", "  group: lead\n  public: yes\n"), "utf-8")
    manifest = small_paper / "papers/small.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "limits: {nesting_depth: 100, seconds_per_mb: 0}\n"
                        "milestones: {drafts: 2020-02-01}\noutputs: pdf\n", "utf-8")
    for rel in ("papers/events.yaml", "papers/glossary.yaml", "papers/people.yaml", "papers/small.yaml",
                "alpha/theme.yaml", "alpha/signoff.yaml", "alpha/reviews.yaml", "alpha/01-first.md"):
        assert schema_errors(small_paper, rel) == [], rel
    check = nsp(small_paper, "check", "--paper", "small")
    assert not [line for line in check.stdout.splitlines() if " E0" in line], check.stdout


def test_files_nsp_writes_point_at_their_schema_and_keep_the_comment(small_paper: Path) -> None:
    shutil.copytree(SCHEMAS, small_paper / "schemas")
    log = small_paper / "alpha/reviews.yaml"
    log.write_text(f"{MODELINE}../schemas/reviews.schema.json\n" + log.read_text("utf-8"), "utf-8")
    git(small_paper, "add", "-A")
    git(small_paper, "commit", "-qm", "schemas", email="sam@alpha.example", name="Sam Secretary")

    asked = nsp(small_paper, "review", "request-changes", "alpha/02-second.md", "--by", "lee", "--note", "Cite more.")
    assert asked.returncode == 0, asked.stderr
    assert log.read_text("utf-8").startswith(f"{MODELINE}../schemas/reviews.schema.json\n# Review log of this theme")
    assert "verdict: changes-requested" in log.read_text("utf-8")

    assert nsp(small_paper, "new", "theme", "beta", "--lead", "lee", "--paper", "small").returncode == 0
    assert nsp(small_paper, "new", "chapter", "beta", "Ports", "--author", "lee").returncode == 0  # edits theme.yaml
    assert nsp(small_paper, "new", "paper", "beta-paper", "--theme", "beta").returncode == 0
    git(small_paper, "config", "user.email", "sam@alpha.example")
    confirmed = nsp(small_paper, "review", "confirm-rules", "beta", "--by", "sam")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "chapters: [01-ports.md]" in (small_paper / "beta/theme.yaml").read_text("utf-8")
    for rel in ("alpha/reviews.yaml", "beta/theme.yaml", "beta/signoff.yaml", "papers/beta-paper.yaml"):
        first = (small_paper / rel).read_text("utf-8").split("\n", 1)[0]
        assert first == f"{MODELINE}../schemas/{schema_for(rel)}.schema.json", rel
        assert schema_errors(small_paper, rel) == [], rel
    check = nsp(small_paper, "check", "--paper", "beta-paper")
    assert check.returncode == 0 and " E0" not in check.stdout, check.stdout
