"""Building one theme, previewing one chapter, and choosing a paper."""

from __future__ import annotations

from pathlib import Path

from conftest import nsp, pdf_text, run_in, write


def test_theme_build_holds_only_that_theme(small_paper: Path) -> None:
    write(
        small_paper,
        "papers/small.yaml",
        (small_paper / "papers/small.yaml").read_text().replace("[alpha]", "[alpha, beta]"),
    )
    write(small_paper, "beta/theme.yaml", 'title: "Beta Theme"\nlead: lee\nresearchers: [ana]\nchapters: [01-b.md]\n')
    write(small_paper, "beta/01-b.md", '---\ntitle: "Beta Chapter"\nauthors: [ana]\n---\n\n## Context\n\nBeta text.\n')
    result = run_in(small_paper, ["build", "--paper", "small", "--theme", "beta"])
    assert result.exit_code == 0, result.output
    assert "wrote build/theme-beta.pdf" in result.output
    text = pdf_text(small_paper / "build" / "theme-beta.pdf")
    assert "Beta Chapter" in text and "First Chapter" not in text


def test_chapter_preview_ignores_errors_elsewhere(small_paper: Path) -> None:
    write(small_paper, "alpha/01-first.md", '---\ntitle: "First"\nauthors: [ana]\n---\n\nSee @nobody.\n')
    result = run_in(small_paper / "alpha", ["build", "--paper", "small", "02-second.md"])
    assert result.exit_code == 0, result.output
    assert "wrote build/preview-alpha-02-second.pdf" in result.output
    text = pdf_text(small_paper / "build" / "preview-alpha-02-second.pdf")
    assert "Second Chapter" in text and "Smith (2010)" in text


def test_unknown_theme_is_a_usage_error(small_paper: Path) -> None:
    result = run_in(small_paper, ["build", "--paper", "small", "--theme", "gamma"])
    assert result.exit_code == 2
    assert "no theme 'gamma' in papers/small.yaml (themes: alpha)" in result.output


def test_theme_paper_from_the_real_manuscript(manuscript_build: Path) -> None:
    result = run_in(manuscript_build, ["build", "--paper", "cyber-crime"])
    assert result.exit_code == 0, result.output
    text = pdf_text(manuscript_build / "build" / "cyber-crime.pdf")
    assert "Strategy Paper on Cyber Crime" in text
    assert "Tele-Density and the Growth of Cyber Crime" in text
    assert "Channels of Terror Financing" not in text


def test_unchanged_build_is_up_to_date_until_something_changes(small_paper: Path) -> None:
    assert "wrote build/small.pdf" in run_in(small_paper, ["build", "--paper", "small"]).output
    again = run_in(small_paper, ["build", "--paper", "small"])
    assert again.exit_code == 0 and "build/small.pdf is up to date" in again.output
    (small_paper / "build" / "small.pdf").write_bytes(b"damaged")
    assert "wrote build/small.pdf" in run_in(small_paper, ["build", "--paper", "small"]).output
    write(small_paper, "alpha/02-second.md", (small_paper / "alpha/02-second.md").read_text() + "\nMore.\n")
    assert "wrote build/small.pdf" in run_in(small_paper, ["build", "--paper", "small"]).output


def test_a_chapter_not_yet_listed_is_checked_in_full_and_can_be_previewed(small_paper: Path) -> None:
    """A researcher starts a chapter before the lead lists it: its mistakes are found now, not after listing."""
    write(small_paper, "alpha/03-draft.md", '---\ntitle: "Draft Chapter"\nauthors: [ana]\n---\n\n## Context\n\n'
                                            "Seizures rose [@nosuchkey].\n")
    out = nsp(small_paper, "check", "--paper", "small")
    lines = out.stdout.splitlines()
    assert ("alpha/03-draft.md: S102 chapter is not listed in alpha/theme.yaml; add it to chapters: or move it out "
            "of the theme folder") in lines
    assert any(line.startswith("alpha/03-draft.md:8: C201 citation 'nosuchkey' is not in any bibliography")
               for line in lines), out.stdout
    preview = nsp(small_paper, "build", "alpha/03-draft.md", "--paper", "small", "--force")
    assert preview.returncode == 0, preview.stderr
    assert "Draft Chapter" in pdf_text(small_paper / "build" / "preview-alpha-03-draft.pdf")
    paper = nsp(small_paper, "build", "--paper", "small", "--force")
    assert paper.returncode == 0, paper.stderr
    assert "Draft Chapter" not in pdf_text(small_paper / "build" / "small.pdf")  # no paper includes it yet


def test_a_broken_file_no_theme_lists_is_reported_but_blocks_no_paper(small_paper: Path) -> None:
    """Notes kept in a theme's folder are checked (S102 says to list or move them), but the paper, which does
    not include them, still builds."""
    write(small_paper, "alpha/notes.md", "Some notes without front matter.\n")
    check = nsp(small_paper, "check", "--paper", "small")
    assert check.returncode == 1 and "alpha/notes.md:1: E010 no front matter" in check.stdout
    out = nsp(small_paper, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    assert (small_paper / "build" / "small.pdf").is_file()
