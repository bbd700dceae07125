"""Sign-off: recording verdicts, stale approvals, status, diffs for the reviewer, and builds that carry the state."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import REPO, git, nsp, run_in, write
from nsp.review.confirm import confirm_rules

CHAPTER = "alpha/02-second.md"


@pytest.fixture
def reviewed(small_paper: Path) -> Path:
    """The small paper under git, with Rey as a second reviewer the theme requires."""
    theme = small_paper / "alpha" / "theme.yaml"
    theme.write_text(theme.read_text().replace("researchers: [ana]", "researchers: [ana]\nreviewers: [rey]"))
    people = small_paper / "papers" / "people.yaml"
    people.write_text(
        people.read_text() + "rey:\n  name: Rey Reviewer\n  group: reviewer\n  email: rey@alpha.example\n"
    )
    git(small_paper, "config", "user.email", "sam@alpha.example")  # the secretariat's decision, recorded by it
    confirm_rules(small_paper, "alpha", by="sam", today=dt.date(2020, 1, 2))
    git(small_paper, "add", "alpha/signoff.yaml")
    git(small_paper, "commit", "-qm", "Rey reviews alpha", email="sam@alpha.example", name="Sam Secretary")
    git(small_paper, "add", "-A")
    git(small_paper, "commit", "-qm", "draft")
    git(small_paper, "config", "user.email", "rey@alpha.example")  # the tests record Rey's verdicts, as Rey
    return small_paper


def edit_one_word(root: Path) -> None:
    path = root / CHAPTER
    path.write_text(path.read_text().replace("Trust matters", "Trust counts"))


def test_approve_edit_reapprove(reviewed: Path) -> None:
    result = run_in(reviewed, ["review", "approve", CHAPTER, "--by", "rey", "--note", "Fine."])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"recorded in alpha/reviews.yaml: approved by rey on {dt.date.today()} for revision sha256:"
    )
    assert status_of(reviewed, CHAPTER) == "approved"

    edit_one_word(reviewed)
    check = run_in(reviewed, ["check", "--paper", "small"])
    assert "alpha/02-second.md:2: R302 approval by Lee Lead on 2020-01-15 was for revision" in check.output
    assert f"R302 approval by Rey Reviewer on {dt.date.today()} was for revision" in check.output
    assert status_of(reviewed, CHAPTER) == "stale"

    git(reviewed, "config", "user.email", "lee@alpha.example")
    assert run_in(reviewed, ["review", "approve", CHAPTER, "--by", "lee"]).exit_code == 0
    assert status_of(reviewed, CHAPTER) == "stale"  # Rey's approval is still of the old text
    git(reviewed, "config", "user.email", "rey@alpha.example")
    run_in(reviewed, ["review", "approve", CHAPTER, "--by", "rey"])
    assert status_of(reviewed, CHAPTER) == "approved"
    assert run_in(reviewed, ["check", "--paper", "small", "--strict", CHAPTER]).exit_code == 0


def status_of(root: Path, chapter: str) -> str:
    result = run_in(root, ["status", "--paper", "small", "--format", "json"])
    rows: list[dict[str, str]] = json.loads(result.output)
    return next(row["review"] for row in rows if row["chapter"] == chapter)


def test_changes_requested_until_a_later_approval(reviewed: Path) -> None:
    run_in(reviewed, ["review", "request-changes", CHAPTER, "--by", "rey", "--note", "Cite the 2019 report."])
    assert "R303 Rey Reviewer requested changes on" in run_in(reviewed, ["check", "--paper", "small"]).output
    assert status_of(reviewed, CHAPTER) == "changes requested"
    run_in(reviewed, ["review", "approve", CHAPTER, "--by", "rey"])
    assert status_of(reviewed, CHAPTER) == "approved"


@pytest.mark.parametrize(("args", "message"), [
    (["--by", "ana"], "nsp: Ana Author is an author of alpha/02-second.md: authors cannot review their own chapters"),
    (["--by", "rye"], "nsp: 'rye' is not in papers/people.yaml (did you mean 'rey'?)"),
])
def test_refusals(reviewed: Path, args: list[str], message: str) -> None:
    before = (reviewed / "alpha" / "reviews.yaml").read_bytes()
    result = run_in(reviewed, ["review", "approve", CHAPTER, *args])
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert (reviewed / "alpha" / "reviews.yaml").read_bytes() == before


def test_self_review_refused_even_for_the_lead(reviewed: Path) -> None:
    path = reviewed / CHAPTER
    path.write_text(path.read_text().replace("authors: [ana]", "authors: [ana, lee]"))
    result = run_in(reviewed, ["review", "approve", CHAPTER, "--by", "lee"])
    assert result.exit_code == 1
    assert "Lee Lead is an author of alpha/02-second.md: authors cannot review their own chapters" in result.output


def test_reviewer_not_listed_and_chapter_not_in_a_theme(reviewed: Path) -> None:
    people = reviewed / "papers" / "people.yaml"
    people.write_text(people.read_text() + "zoe:\n  name: Zoe Outsider\n")
    result = run_in(reviewed, ["review", "approve", CHAPTER, "--by", "zoe"])
    assert result.output.strip() == (
        "nsp: Zoe Outsider is not a reviewer of alpha (its lead and reviewers: Lee Lead, "
        "Rey Reviewer); add them to reviewers: in alpha/theme.yaml and have the secretariat "
        "confirm it: `nsp review confirm-rules alpha --by ID`"
    )
    write(reviewed, "alpha/notes.md", "---\ntitle: Notes\nauthors: [ana]\n---\n")
    result = run_in(reviewed, ["review", "approve", "alpha/notes.md", "--by", "rey"])
    assert result.exit_code == 1
    assert "alpha/notes.md is not a chapter of any theme" in result.output


def test_interrupted_write_loses_nothing(reviewed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = reviewed / "alpha" / "reviews.yaml"
    before = log.read_bytes()

    def killed(*_: object) -> None:
        raise KeyboardInterrupt  # as if Ctrl-C arrived between writing the new log and moving it in place

    monkeypatch.setattr(os, "replace", killed)
    result = run_in(reviewed, ["review", "approve", CHAPTER, "--by", "rey"])
    assert result.exit_code == 130
    assert log.read_bytes() == before
    assert [p.name for p in log.parent.iterdir() if p.name.startswith(".nsp-tmp")] == []


def test_diff_in_the_terminal_and_as_tracked_changes(reviewed: Path) -> None:
    run_in(reviewed, ["review", "approve", CHAPTER, "--by", "rey"])
    git(reviewed, "commit", "-qam", "approved")
    edit_one_word(reviewed)
    result = run_in(reviewed, ["diff", CHAPTER, "--docx"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("alpha/02-second.md: changes since the approval by Rey Reviewer on")
    assert lines[1] == "   7: Trust [-matters-]{+counts+}, as @smith2010 argues."
    out = reviewed / "build" / "diff-alpha-02-second.docx"
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert '<w:del ' in xml and '<w:delText xml:space="preserve">matters</w:delText>' in xml
    assert '<w:ins ' in xml and 'w:author="Ana Author"' in xml and '>counts</w:t>' in xml
    assert any("Smith" in p.text for p in docx.Document(str(out)).paragraphs)  # opens; citations formatted


def test_diff_since_a_git_revision_and_without_history(reviewed: Path) -> None:
    edit_one_word(reviewed)
    result = run_in(reviewed, ["diff", CHAPTER, "--since", "HEAD"])
    assert "Trust [-matters-]{+counts+}" in result.output
    no_history = run_in(reviewed, ["diff", "alpha/01-first.md"])
    assert no_history.exit_code == 0  # the approved revision is the first commit
    assert no_history.output.splitlines()[-1] == "no changes"


def test_builds_carry_the_review_state(reviewed: Path) -> None:
    result = run_in(reviewed, ["build", "--paper", "small"])
    assert result.exit_code == 0, result.output
    text = " ".join(p.extract_text() for p in PdfReader(reviewed / "build" / "small.pdf").pages)
    assert "Reviewers: Lee Lead (theme lead, approved 15 Jan 2020), Rey Reviewer · Status: in review" in " ".join(
        text.split()
    )
    assert "DRAFT" in text and "Review Status" in text

    for name in ("01-first.md", "02-second.md"):
        run_in(reviewed, ["review", "approve", f"alpha/{name}", "--by", "rey", "--date", "2020-01-20"])
    run_in(reviewed, ["build", "--paper", "small"])
    text = " ".join(p.extract_text() for p in PdfReader(reviewed / "build" / "small.pdf").pages)
    assert "DRAFT" not in text and "Review Status" not in text
    assert "Status: approved" in text


def test_an_edit_next_to_a_citation_is_a_tracked_insertion_and_the_citation_stays_whole(small_paper: Path) -> None:
    """The word diff never cuts through `[@…]`: the terminal shows the citation whole, and the Word redline
    carries a real w:ins with the citation formatted as in the paper (it once had none at all)."""
    path = small_paper / "alpha" / "01-first.md"
    path.write_text(
        path.read_text().replace("Opium moves west [@unodc2019].", "Opium moves west [@unodc2019], and east.")
    )
    out = nsp(small_paper, "diff", "alpha/01-first.md", "--docx")
    assert out.returncode == 0, out.stderr
    assert "Opium moves west [@unodc2019]{+, and east+}." in out.stdout
    with zipfile.ZipFile(small_paper / "build" / "diff-alpha-01-first.docx") as z:
        xml = z.read("word/document.xml").decode()
    runs = re.findall(r"<w:ins [^>]*>(.*?)</w:ins>", xml, re.S)
    inserted = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", run)) for run in runs]
    assert inserted == [", and east"]
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "Opium moves west (United Nations Office on Drugs and Crime 2019), and east." in text
    assert "[@" not in text and "@unodc2019" not in text


def test_a_new_title_is_a_tracked_change_in_the_word_redline(small_paper: Path) -> None:
    """Front matter is not body text: a changed title (and authors) still shows in the redline, first."""
    path = small_paper / "alpha" / "01-first.md"
    path.write_text(path.read_text().replace('title: "First Chapter"', 'title: "The Opening Chapter"'))
    out = nsp(small_paper, "diff", "alpha/01-first.md", "--docx")
    assert out.returncode == 0, out.stderr
    with zipfile.ZipFile(small_paper / "build" / "diff-alpha-01-first.docx") as z:
        xml = z.read("word/document.xml").decode()

    def tracked(tag: str, text_tag: str) -> list[str]:
        runs = re.findall(rf"<w:{tag} [^>]*>(.*?)</w:{tag}>", xml, re.S)
        return ["".join(re.findall(rf"<w:{text_tag}[^>]*>([^<]*)</w:{text_tag}>", run)) for run in runs]

    assert tracked("del", "delText") == ["First Chapter"]
    assert tracked("ins", "t") == ["The Opening Chapter"]
    heading = xml.index("First Chapter")
    assert heading < xml.index("Tracked changes in alpha/01-first.md")  # the title's change comes first


def tracked_runs(xml: str, tag: str) -> list[str]:
    """The text of each w:ins or w:del in a Word part, in order."""
    text_tag = "delText" if tag == "del" else "t"
    runs = re.findall(rf"<w:{tag} [^>]*>(.*?)</w:{tag}>", xml, re.S)
    return ["".join(re.findall(rf"<w:{text_tag}[^>]*>([^<]*)</w:{text_tag}>", run)) for run in runs]


def test_edits_in_a_citation_sentence_a_footnote_a_table_cell_and_the_title_are_each_tracked(
    small_paper: Path,
) -> None:
    """Every kind of place an edit lands shows as a w:ins/w:del, and every citation comes out formatted."""
    path = small_paper / "alpha" / "01-first.md"
    path.write_text(path.read_text().replace("Opium moves west [@unodc2019].", (
        "Opium moves west [@unodc2019].[^1]\n\n"
        "| Route | Share |\n|-------|-------|\n| Balkan | 40% |\n| Southern | 30% |\n\n"
        "[^1]: Seizures rose in 2018 [@smith2010].")))
    git(small_paper, "commit", "-qam", "footnote and table")
    git(small_paper, "config", "user.email", "lee@alpha.example")
    assert nsp(small_paper, "review", "approve", "alpha/01-first.md", "--by", "lee").returncode == 0
    text = path.read_text()
    for old, new in (('title: "First Chapter"', 'title: "The First Chapter"'),
                     ("west [@unodc2019].", "west [@unodc2019] and east."),
                     ("| Balkan | 40% |", "| Balkan | 45% |"),
                     ("rose in 2018", "rose sharply in 2018")):
        text = text.replace(old, new)
    path.write_text(text)

    out = nsp(small_paper, "diff", "alpha/01-first.md", "--docx")
    assert out.returncode == 0, out.stderr
    assert "{+ and east+}" in out.stdout and "[-40-]{+45+}%" in out.stdout and "{+sharply +}" in out.stdout
    with zipfile.ZipFile(small_paper / "build" / "diff-alpha-01-first.docx") as z:
        body, notes = z.read("word/document.xml").decode(), z.read("word/footnotes.xml").decode()
    assert tracked_runs(body, "ins") == ["The First Chapter", "and east", "45"]
    assert tracked_runs(body, "del") == ["First Chapter", "40"]
    assert tracked_runs(notes, "ins") == ["sharply"]
    words = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body + notes))
    assert "(United Nations Office on Drugs and Crime 2019)" in words and "(Smith 2010)" in words
    assert "@" not in words


def test_the_shipped_stale_chapter_shows_its_added_sentence_in_every_redline(tmp_path: Path) -> None:
    """The chapter the manuscript ships with stale approvals: its approved text is in git history, and the
    sentence added since is an insertion in the terminal, in Word (w:ins, citations formatted) and in the PDF."""
    clone = tmp_path / "clone"
    cloned = subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], capture_output=True, text=True)
    if cloned.returncode != 0:
        pytest.skip(f"the repository is not a git clone here: {cloned.stderr.strip()}")
    out = nsp(clone, "diff", "terror_financing/01-channels.md", "--docx", "--pdf")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1:5] == [
        '  22: state to "choking" the financing of terrorism [@nap2014]{+, and the action plan+}',
        "  23: {+agreed with the FATF in 2018 turned that commitment into deadlines that the+}",
        "  24: {+2019 evaluation measured [@fatf2019mer]+}.",
        "  26: [-Figure [1](#fig-channels)-]{+@fig-channels+} summarises the channels discussed in this chapter and",
    ]  # then its action plan, which became data
    assert lines[-2:] == ["wrote build/diff-terror_financing-01-channels.docx",
                          "wrote build/diff-terror_financing-01-channels.pdf"]
    with zipfile.ZipFile(clone / "build" / "diff-terror_financing-01-channels.docx") as z:
        xml = z.read("word/document.xml").decode()
        assert any(n.startswith("word/media/") for n in z.namelist())  # the figure, as in the paper
    inserted = " ".join(tracked_runs(xml, "ins"))
    assert "and the action plan agreed with the FATF in 2018 turned that commitment into deadlines" in inserted
    assert "Asia/Pacific Group on Money Laundering 2019" in inserted  # the inserted citation, formatted
    assert "@" not in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    first = PdfReader(clone / "build" / "diff-terror_financing-01-channels.pdf").pages[0]
    assert len(first.images) == 1  # the figure
    pdf = " ".join(first.extract_text().split())
    assert "Tracked changes in terror_financing/01-channels.md since the approval by Tariq Parvez" in pdf
    assert "and the action plan agreed with the FATF in 2018" in pdf and "[@" not in pdf


def test_the_redline_pdf_sets_what_a_chapter_says_as_text_never_as_typst(small_paper: Path) -> None:
    """Typst markup typed into a chapter, raw typst blocks and brackets inside a change stay words on the page;
    an image outside the repository is never read."""
    path = small_paper / "alpha" / "01-first.md"
    attack = ('Opium moves west [@unodc2019]. #set page(fill: red) #read("/etc/passwd") ] [ `#panic()`{=typst}'
              '\n\n```{=typst}\n#panic("raw block")\n```\n\n![A secret](../../../etc/passwd)\n')
    path.write_text(path.read_text().replace("Opium moves west [@unodc2019].\n", attack))
    out = nsp(small_paper, "diff", "alpha/01-first.md", "--pdf")
    assert out.returncode == 0, out.stderr
    pages = PdfReader(small_paper / "build" / "diff-alpha-01-first.pdf").pages
    text = " ".join(pages[0].extract_text().split())
    assert "#set page(fill: red) #read(“/etc/" in text and "] [ #panic(){=typst}" in text
    assert '#panic("raw block")' in text and len(pages) == 1
    assert "Figure (not shown): A secret" in text and not pages[0].images  # read by no one
