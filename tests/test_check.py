"""`nsp check` as a user drives it: scope, selection, strictness, exit codes."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, run_in, write


def add_todo(root: Path) -> None:
    """Edit a chapter: a TODO marker, and (as with any edit) a stale approval."""
    path = root / "alpha" / "02-second.md"
    path.write_text(path.read_text() + "\nTODO: one more source.\n")


def stale_revision(root: Path) -> str:
    log = (root / "alpha" / "reviews.yaml").read_text()
    return log.split("chapter: 02-second.md")[1].split("revision: ")[1][:19]


def test_clean_paper_is_all_clear(small_paper: Path) -> None:
    result = run_in(small_paper, ["check", "--paper", "small"])
    assert result.output == "All clear: no findings in 8 files.\n"
    assert result.exit_code == 0


def test_warnings_pass_unless_strict(small_paper: Path) -> None:
    add_todo(small_paper)
    result = run_in(small_paper, ["check", "--paper", "small"])
    assert result.output.splitlines() == [
        "alpha/02-second.md:2: R302 approval by Lee Lead on 2020-01-15 was for revision "
        f"{stale_revision(small_paper)}…; the chapter has changed since: see `nsp diff alpha/02-second.md`",
        "alpha/02-second.md:9: S106 TODO marker: resolve it before the chapter is approved",
        "0 errors, 2 warnings in 8 files.",
    ]
    assert result.exit_code == 0
    assert run_in(small_paper, ["check", "--paper", "small", "--strict"]).exit_code == 1


def test_select_and_ignore_on_the_command_line(small_paper: Path) -> None:
    add_todo(small_paper)
    write(small_paper, "alpha/01-first.md", '---\ntitle: "First"\nauthors: [ana]\n---\n\n## Context\n\nSee @nobody.\n')
    both = run_in(small_paper, ["check", "--paper", "small"]).output
    assert "C201" in both and "S106" in both
    only_c = run_in(small_paper, ["check", "--paper", "small", "--select", "C2"])
    assert "C201" in only_c.output and "S106" not in only_c.output and only_c.exit_code == 1
    no_c = run_in(small_paper, ["check", "--paper", "small", "--ignore", "C2,S1,R3"])
    assert no_c.output == "All clear: no findings in 8 files.\n" and no_c.exit_code == 0


def test_manifest_ignore_and_chapter_suppression(small_paper: Path) -> None:
    add_todo(small_paper)
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + "ignore: [S106, R302]\n")
    assert run_in(small_paper, ["check", "--paper", "small", "--strict"]).exit_code == 0
    manifest.write_text(manifest.read_text().replace("ignore: [S106, R302]\n", ""))
    chapter = small_paper / "alpha" / "02-second.md"
    chapter.write_text(
        chapter.read_text().replace("authors: [ana]", "authors: [ana]\nignore: [S106]  # sources pending from FIA")
    )
    result = run_in(small_paper, ["check", "--paper", "small", "--strict"])
    assert "S106" not in result.output
    # A chapter cannot ignore its own review state (issue 10): the stale approval is still reported.
    assert "alpha/02-second.md:2: R302 approval by Lee Lead on 2020-01-15 was for revision" in result.output


def test_checking_one_chapter_reports_only_that_chapter(small_paper: Path) -> None:
    add_todo(small_paper)
    write(small_paper, "alpha/01-first.md", '---\ntitle: "First"\nauthors: [ana]\n---\n\n## Context\n\nSee @nobody.\n')
    result = run_in(small_paper / "alpha", ["check", "--paper", "small", "--ignore", "R3", "02-second.md"])
    assert result.output.splitlines() == [
        "alpha/02-second.md:9: S106 TODO marker: resolve it before the chapter is approved",
        "0 errors, 1 warning in 1 file.",
    ]


def test_unknown_rule_and_foreign_path_are_usage_errors(small_paper: Path) -> None:
    result = run_in(small_paper, ["check", "--paper", "small", "--select", "Q999"])
    assert result.exit_code == 2 and "'Q999' matches no rule; `nsp rules` lists them" in result.output
    write(small_paper, "notes/draft.md", "# notes\n")
    result = run_in(small_paper, ["check", "--paper", "small", "notes/draft.md"])
    assert result.exit_code == 2 and "notes/draft.md is not part of papers/small.yaml" in result.output


def test_unreadable_people_file(small_paper: Path) -> None:
    (small_paper / "papers" / "people.yaml").unlink()
    result = run_in(small_paper, ["check", "--paper", "small", "--select", "E"])
    assert result.output.splitlines()[0] == "papers/people.yaml: E001 file not found"
    assert result.exit_code == 1


def test_oversized_chapter_is_refused_before_pandoc(small_paper: Path) -> None:
    chapter = small_paper / "alpha" / "02-second.md"
    chapter.write_text(chapter.read_text() + ("word " * 200 + "\n") * 6000)
    result = run_in(small_paper, ["check", "--paper", "small"])
    assert (
        "alpha/02-second.md: E005 file is 6.0 MB, over the 5 MiB limit; split it or remove pasted data" in result.output
    )
    assert result.exit_code == 1


def test_build_refuses_and_names_the_errors(small_paper: Path) -> None:
    write(
        small_paper,
        "alpha/01-first.md",
        '---\ntitle: "First"\nauthors: [ana]\n---\n\n## Context\n\n![x](/etc/passwd)\n',
    )
    result = run_in(small_paper, ["build", "--paper", "small"])
    assert result.exit_code == 1
    assert "alpha/01-first.md:8: A502 image '/etc/passwd' is an absolute path" in result.output
    assert not (small_paper / "build" / "small.pdf").exists()


def test_rules_catalogue_and_its_generated_page_agree() -> None:
    from nsp.rules import catalogue_markdown

    assert (REPO / "docs" / "rules.md").read_text() == catalogue_markdown() + "\n", \
        "docs/rules.md is stale: run `nsp rules --format markdown > docs/rules.md`"


def test_shipped_manuscript_has_no_errors(manuscript_build: Path) -> None:
    result = run_in(manuscript_build, ["check"])
    assert result.exit_code == 0, result.output
    assert " 0 errors" in " " + result.output.splitlines()[-1]


def test_repeated_check_sees_every_edit_and_survives_a_corrupt_cache(small_paper: Path) -> None:
    assert run_in(small_paper, ["check", "--paper", "small"]).exit_code == 0
    add_todo(small_paper)
    again = run_in(small_paper, ["check", "--paper", "small"])
    assert "S106 TODO marker" in again.output
    for cached in (small_paper / "build" / ".cache").rglob("*.json"):
        cached.write_text("{ not json")
    assert run_in(small_paper, ["check", "--paper", "small"]).output == again.output


def test_unreadable_manifest_is_a_configuration_error(small_paper: Path) -> None:
    write(small_paper, "papers/small.yaml", "title: [unclosed\n")
    result = run_in(small_paper, ["check", "--paper", "small"])
    assert result.output.splitlines()[0].startswith("papers/small.yaml:2: E003 YAML syntax error:")
    assert result.exit_code == 2
    assert run_in(small_paper, ["build", "--paper", "small"]).exit_code == 2
