"""`nsp status --format markdown`: the status tables as a pull request's job summary shows them."""

from __future__ import annotations

from pathlib import Path

from conftest import nsp

TABLE_HEAD = ["| Chapter | Authors | Words | Sections | Review | Still to sign | Due | Findings |",
              "|---|---|--:|---|---|---|---|---|"]


def test_status_markdown_is_a_table_per_theme(small_paper: Path) -> None:
    out = nsp(small_paper, "status", "--paper", "small", "--format", "markdown")
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout.splitlines() == [
        "## Small Paper: where every chapter stands", "",
        r"### Alpha Theme \(alpha\)", "", *TABLE_HEAD,
        r"| 01\-first\.md | Ana Author | 6 | 1/1 | approved | — | — | none |",
        r"| 02\-second\.md | Ana Author | 6 | 1/1 | approved | — | — | none |",
        "", r"2 chapters\: 2 approved\.",
    ]


def test_names_cannot_break_the_table(small_paper: Path) -> None:
    # A name is data: a `|` in it must not add a column, nor `*` start emphasis.
    people = small_paper / "papers" / "people.yaml"
    people.write_text(people.read_text().replace("name: Ana Author", "name: 'Ana | *Author*'"))
    out = nsp(small_paper, "status", "--paper", "small", "--format", "markdown")
    assert out.returncode == 0, out.stderr
    rows = [line for line in out.stdout.splitlines() if line.startswith("| 01")]
    assert rows == [r"| 01\-first\.md | Ana \| \*Author\* | 6 | 1/1 | approved | — | — | none |"]


def test_the_dashboard_note_stays_out_of_the_markdown(small_paper: Path) -> None:
    # The Markdown goes to a file ($GITHUB_STEP_SUMMARY); the line saying where the dashboard went does not.
    out = nsp(small_paper, "status", "--paper", "small", "--format", "markdown", "--html", "build/dash.html")
    assert out.returncode == 0, out.stderr
    assert out.stderr == "wrote build/dash.html\n"
    assert "wrote" not in out.stdout and out.stdout.startswith("## Small Paper")
