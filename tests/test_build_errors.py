"""A build with a mistake in it: one clear line per problem, exit 1, build/ untouched."""

from __future__ import annotations

from pathlib import Path

from conftest import run_in, snapshot, write


def assert_refused(root: Path, before: dict[str, str], expected_line: str) -> None:
    result = run_in(root, ["build", "--paper", "small"])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert expected_line in lines
    assert "Traceback" not in result.output
    assert lines[-1].startswith("nsp: build refused: 1 error")
    assert snapshot(root) == before
    assert not list((root / "build").glob(".nsp-tmp-*"))


def test_chapter_listed_but_missing(built: Path) -> None:
    before = snapshot(built)
    (built / "alpha" / "02-second.md").unlink()
    assert_refused(
        built, before, "alpha/theme.yaml:7: S101 chapter '02-second.md' is listed but alpha/02-second.md does not exist"
    )


def test_bad_yaml_in_front_matter(built: Path) -> None:
    before = snapshot(built)
    write(built, "alpha/01-first.md", '---\ntitle: "First\nauthors: [ana]\n---\n\n## Context\n\nText.\n')
    result = run_in(built, ["build", "--paper", "small"])
    assert result.exit_code == 1
    first = next(line for line in result.output.splitlines() if not line.startswith("nsp: "))  # after progress
    assert first.startswith("alpha/01-first.md:3: E003 YAML syntax error:")
    assert snapshot(built) == before


def test_duplicate_key_in_theme_file(built: Path) -> None:
    before = snapshot(built)
    text = (built / "alpha" / "theme.yaml").read_text()
    (built / "alpha" / "theme.yaml").write_text(text + 'title: "Again"\n')
    assert_refused(built, before, "alpha/theme.yaml:8: E004 duplicate key 'title' (first on line 1); remove one")


def test_unknown_citation_names_line_and_suggests(built: Path) -> None:
    before = snapshot(built)
    write(
        built,
        "alpha/02-second.md",
        '---\ntitle: "Second"\nauthors: [ana]\n---\n\n## Context\n\nOne.\n\nAs @smith2001 argues.\n',
    )
    assert_refused(
        built,
        before,
        "alpha/02-second.md:10: C201 citation 'smith2001' is not in any bibliography (did you mean 'smith2010'?)",
    )


def test_force_renders_a_draft_despite_errors(built: Path) -> None:
    before = snapshot(built)
    write(built, "alpha/02-second.md", '---\ntitle: "Second"\nauthors: [ana]\n---\n\nAs @nobody2000 argues.\n')
    result = run_in(built, ["build", "--paper", "small", "--force"])
    assert result.exit_code == 0, result.output
    assert "C201 citation 'nobody2000'" in result.output
    assert snapshot(built) != before


def test_unknown_paper_is_a_usage_error(small_paper: Path) -> None:
    result = run_in(small_paper, ["build", "--paper", "nope"])
    assert result.exit_code == 2
    assert "no paper 'nope': papers/nope.yaml does not exist (papers here: small)" in result.output
