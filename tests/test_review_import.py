"""The Word round trip: nsp's Word file, annotated by a reviewer, comes back as notes and a patch."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import git, nsp
from nsp.review.wordfile import read_word_file
from nsp.review.wordimport import place
from worddocx import Reviewer, docx_from_markdown

CHAPTER = "alpha/01-first.md"
BODY = """\
## Context

Opium moves west [@unodc2019]. Trust matters, as @smith2010 argues.[^1]

| Route | Share |
|-------|-------|
| Balkan | 40% |

[^1]: Seizures rose in 2018.
"""


@pytest.fixture
def lead_reviews(small_paper: Path) -> Path:
    """The small paper with a longer first chapter, committed; git knows the user as the lead, who reviews."""
    path = small_paper / CHAPTER
    path.write_text(path.read_text().split("## Context")[0] + BODY)
    git(small_paper, "commit", "-qam", "A longer first chapter")
    git(small_paper, "config", "user.email", "lee@alpha.example")
    return small_paper


def preview_docx(root: Path) -> Path:
    out = nsp(root, "build", CHAPTER, "--paper", "small")
    assert out.returncode == 0, out.stderr
    return root / "build" / "preview-alpha-01-first.docx"


def line_of(root: Path, words: str) -> int:
    lines = (root / CHAPTER).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if words in line)


def test_comments_and_tracked_changes_come_back_as_notes_and_a_patch(lead_reviews: Path) -> None:
    """A comment and a tracked insertion, deletion and footnote edit in nsp's own chapter preview: the comment
    is recorded at its line with the words it was made on, the edits become a patch that git applies cleanly,
    --apply makes them keeping the citations, and status and review show count and list the comment."""
    root = lead_reviews
    (Reviewer(preview_docx(root)).comment("Trust matters", "Whose trust? Say who.")
                .insert_after("Trust matters", " greatly").delete("40")
                .in_footnotes().insert_after("Seizures rose", " sharply")
                .save(root / "reviewed.docx"))
    out = nsp(root, "review", "import", "reviewed.docx", "--by", "lee")
    assert out.returncode == 0, out.stderr
    line = line_of(root, "Trust matters")
    assert f"  {CHAPTER}:{line}: on “Trust matters”: Whose trust? Say who. — Lee Lead" in out.stdout.splitlines()
    assert "recorded in alpha/reviews.yaml: changes-requested by lee on" in out.stdout
    records = yaml.safe_load((root / "alpha" / "reviews.yaml").read_text())
    assert records[-1]["comments"] == [{"line": line, "quote": "Trust matters", "text": "Whose trust? Say who.",
                                        "author": "Lee Lead", "date": "2026-11-20T10:00:00Z"}]
    patch = root / "alpha" / "01-first.lee.patch"
    assert patch.read_text() in out.stdout
    check = subprocess.run(["git", "apply", "--check", str(patch)], cwd=root, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr

    again = nsp(root, "review", "import", "reviewed.docx", "--by", "lee", "--apply")
    assert again.returncode == 0, again.stderr
    assert "already recorded" in again.stdout  # the same import twice is one verdict
    assert len(yaml.safe_load((root / "alpha" / "reviews.yaml").read_text())) == len(records)
    text = (root / CHAPTER).read_text()
    assert "Opium moves west [@unodc2019]. Trust matters greatly, as @smith2010 argues.[^1]" in text
    assert "| Balkan | % |" in text
    assert "[^1]: Seizures rose sharply in 2018." in text

    status = nsp(root, "status", "--paper", "small")
    assert re.search(r"01-first\.md .* changes requested \(1 open comment\)", status.stdout), status.stdout
    show = nsp(root, "review", "show", CHAPTER)
    assert show.returncode == 0, show.stderr
    assert show.stdout.splitlines()[1].endswith("changes requested by Lee Lead (an earlier text, "
                                                 + show.stdout.split("an earlier text, ")[1].split(")")[0] + ")")
    assert f"line {line} on “Trust matters”: Whose trust? Say who. — Lee Lead" in show.stdout


def test_a_redline_comes_back_without_nsp_s_own_tracked_changes(lead_reviews: Path) -> None:
    """In a redline, the changes nsp tracked are the text under review, not the reviewer's proposals."""
    root = lead_reviews
    assert nsp(root, "review", "approve", CHAPTER, "--by", "lee").returncode == 0
    path = root / CHAPTER
    path.write_text(path.read_text().replace("Opium moves west", "Opium moves west and north"))
    assert nsp(root, "diff", CHAPTER, "--docx").returncode == 0
    reviewed = Reviewer(root / "build" / "diff-alpha-01-first.docx").in_footnotes().delete("Seizures")
    reviewed.save(root / "r.docx")
    out = nsp(root, "review", "import", "r.docx", "--by", "lee")
    assert out.returncode == 0, out.stderr
    changed = [line for line in (root / "alpha" / "01-first.lee.patch").read_text().splitlines()
               if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert changed == ["-[^1]: Seizures rose in 2018.", "+[^1]: rose in 2018."]


@pytest.mark.parametrize(("make", "args", "message"), [
    (lambda root: (root / "x.docx").write_text("not a zip"), ["x.docx"],
     "nsp: x.docx is not a Word file (.docx): save it from Word or LibreOffice as .docx and try again"),
    (lambda root: docx_from_markdown("Words.", root / "x.docx"), ["x.docx"],
     "nsp: the Word file does not say which chapter it shows (nsp did not make it): "
     "name the chapter with --chapter THEME/FILE.md"),
    (lambda root: docx_from_markdown("Words.", root / "x.docx"),
     ["x.docx", "--chapter", CHAPTER],
     "nsp: x.docx has no comments and no tracked changes to import; nothing was recorded "
     f"(to sign the chapter off: nsp review approve {CHAPTER} --by lee)"),
    (lambda root: None, ["missing.docx"], "nsp: missing.docx does not exist"),
    # A file someone sent names any chapter it likes: nsp reads only chapters a theme lists.
    (lambda root: docx_from_markdown("---\nnsp-chapter: ../../etc/passwd\n---\nWords.", root / "x.docx"),
     ["x.docx"], "nsp: ../../etc/passwd is not a chapter of any theme in this repository (a theme.yaml lists its "
     "chapters); name the chapter with --chapter THEME/FILE.md"),
    (lambda root: (root / "reviewed.docx").write_bytes(b""), ["reviewed.docx", "--by", "../../x"],
     "nsp: '../../x' is not in papers/people.yaml"),
])
def test_a_file_that_cannot_be_imported_is_refused_and_nothing_is_written(
    lead_reviews: Path, make: object, args: list[str], message: str
) -> None:
    make(lead_reviews)  # type: ignore[operator]
    before = (lead_reviews / "alpha" / "reviews.yaml").read_text()
    out = nsp(lead_reviews, "review", "import", *args, *([] if "--by" in args else ["--by", "lee"]))
    assert (out.returncode, out.stderr.strip()) == (1, message)
    assert "Traceback" not in out.stderr
    assert (lead_reviews / "alpha" / "reviews.yaml").read_text() == before
    assert not list((lead_reviews / "alpha").glob("*.patch"))


def annotated(markdown: str, tmp_path: Path) -> Path:
    """A Word file pandoc writes from Markdown whose spans are tracked changes and comments."""
    return docx_from_markdown(markdown, tmp_path / "annotated.docx")


def mark(kind: str, text: str) -> str:
    return f'[{text}]{{.{kind} author="Rey" date="2026-11-20T10:00:00Z"}}'


def test_a_change_next_to_a_formatted_citation_lands_next_to_the_citation_key(tmp_path: Path) -> None:
    """Word shows "(UNODC 2019)" where the Markdown says [@unodc2019]: the change is placed by the shared words."""
    source = "---\ntitle: T\n---\n\nOpium moves west [@unodc2019]. Trust *matters* a lot.\n"
    word = read_word_file(annotated(
        f"Opium moves west (UNODC 2019){mark('insertion', ' and north')}. Trust *matters* a {mark('deletion', 'lot')}"
        f"{mark('insertion', 'great deal')}.", tmp_path))
    got = place("alpha/x.md", source, word)
    assert got.patched.endswith("Opium moves west [@unodc2019] and north. Trust *matters* a great deal.\n")
    assert (got.placed, got.unplaced) == (3, 0)


def test_a_change_that_cannot_be_placed_is_kept_as_a_comment(tmp_path: Path) -> None:
    """Inside words the Markdown does not have (a formatted citation), no exact place exists: nothing is guessed,
    and nothing is lost."""
    source = "Opium moves west [@unodc2019].\n"
    word = read_word_file(annotated(f"Opium moves west (UNODC {mark('insertion', 'May')} 2019).", tmp_path))
    got = place("alpha/x.md", source, word)
    assert got.patched == source and (got.placed, got.unplaced) == (0, 1)
    assert got.comments[0].line == 1
    assert got.comments[0].text == "proposed in Word, to make by hand: insert “May” after “Opium moves west (UNODC”"


def test_a_file_libreoffice_saved_again_imports_the_same(lead_reviews: Path, tmp_path: Path) -> None:
    """A reviewer who works in LibreOffice hands back LibreOffice's own Word XML: the same notes, the same patch."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-writer-nogui)")
    root = lead_reviews
    annotated_file = (Reviewer(preview_docx(root)).comment("Trust matters", "Whose trust?")
                      .insert_after("Trust matters", " greatly").save(tmp_path / "reviewed.docx"))
    resaved = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(resaved), str(annotated_file)],
                   capture_output=True, timeout=180, check=True)
    out = nsp(root, "review", "import", str(resaved / "reviewed.docx"), "--by", "lee")
    assert out.returncode == 0, out.stderr
    line = line_of(root, "Trust matters")
    assert f"  {CHAPTER}:{line}: on “Trust matters”: Whose trust? — Lee Lead" in out.stdout.splitlines()
    assert "+Opium moves west [@unodc2019]. Trust matters greatly, as @smith2010 argues.[^1]" in out.stdout


def test_what_a_word_file_says_reaches_no_terminal_as_control_characters(lead_reviews: Path) -> None:
    """A comment is printed and kept: a terminal control (C1 CSI) or a bidirectional override in it is dropped."""
    root = lead_reviews
    Reviewer(preview_docx(root), author="Lee\u202e Lead").comment("Trust matters", "red\x9b31m \u202eevil").save(
        root / "reviewed.docx")
    out = nsp(root, "review", "import", "reviewed.docx", "--by", "lee")
    assert out.returncode == 0, out.stderr
    assert "on “Trust matters”: red31m evil — Lee Lead" in out.stdout
    assert not any(c in out.stdout + (root / "alpha" / "reviews.yaml").read_text() for c in "\x9b\u202e")
