"""Issue 11: what a new user meets following the README, each through the installed `nsp`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO

from docx.text.paragraph import Paragraph
from pypdf.generic import StreamObject

from conftest import chapter, nsp, pdf_text, write


def test_select_and_ignore_by_family_from_the_shell(small_paper: Path) -> None:
    # The rule table is complete however nsp was started: not only after the checks happen to be imported.
    for args in (("--select", "C2", "--ignore", "C202"), ("--ignore", "R304"), ("--select", "S1")):
        out = nsp(small_paper, "check", "--paper", "small", *args)
        assert out.returncode == 0, out.stderr
        assert "matches no rule" not in out.stderr
    out = nsp(small_paper, "check", "--paper", "small", "--select", "Q9")
    assert out.returncode == 2 and "'Q9' matches no rule" in out.stderr


def test_forced_draft_renders_a_broken_link_as_marked_text(small_paper: Path) -> None:
    write(small_paper, "alpha/01-first.md", chapter("First Chapter", "ana", """
        ## Context

        Opium moves west [@unodc2019]; see [the map](#fig-nope).
        """))
    refused = nsp(small_paper, "build", "--paper", "small")
    assert refused.returncode == 1, refused.stderr
    assert "alpha/01-first.md:7: X601 link '#fig-nope': there is no anchor '#fig-nope'" in refused.stderr
    out = nsp(small_paper, "build", "--paper", "small", "--force")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    from pypdf import PdfReader
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(small_paper / "build" / "small.pdf").pages).split())
    assert "the map [broken link: #fig-nope]" in text


def test_a_release_states_its_version_and_date_and_no_draft_words(small_paper: Path) -> None:
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + 'edition: "Draft for consultation"\nlang: en-GB\n')
    refused = nsp(small_paper, "publish", "1.0", "--paper", "small", "--date", "2020-05-12")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert ("papers/small.yaml:8: edition 'Draft for consultation' reads as a draft, and a release would print it "
            "on its cover: set `edition:` to what this release is") in refused.stderr
    assert not (small_paper / "build" / "releases" / "small-1.0").exists()
    manifest.write_text(manifest.read_text().replace("Draft for consultation", "First edition"))
    out = nsp(small_paper, "publish", "1.0", "--paper", "small", "--date", "2020-05-12")
    assert out.returncode == 0, out.stderr
    folder = small_paper / "build" / "releases" / "small-1.0"
    cover = pdf_text(folder / "small.pdf", slice(0, 1))
    assert "First edition · 12 May 2020 Version 1.0" in cover
    assert "draft" not in pdf_text(folder / "small.pdf").lower()
    web = (folder / "small.html").read_text()
    assert "Version 1.0 · First edition · 12 May 2020" in web and "draft" not in web.lower()
    from pypdf import PdfReader
    pdf = PdfReader(folder / "small.pdf")
    assert str(pdf.root_object["/Lang"]) == "en-GB"
    metadata = pdf.root_object["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    assert "<rdf:li>en-GB</rdf:li>" in metadata.get_data().decode()


def _docx_with_figure_and_table(root: Path) -> None:
    import shutil

    from conftest import REPO
    shutil.copy(REPO / "tests" / "golden" / "assets" / "alpha" / "figures" / "ok.png", root / "alpha" / "map.png")
    write(root, "alpha/01-first.md", chapter("First Chapter", "ana", """
        ## Context

        Opium moves west [@unodc2019].

        ![Routes west.](map.png){#fig-routes}

        | Route | Share |
        |-------|-------|
        | North | 60 %  |

        : Shares by route {#tbl-shares}
        """))


def _docx_paragraphs(path: Path) -> list[Paragraph]:
    """Every paragraph, also those inside the contents' content control (python-docx lists the body's only)."""
    from docx import Document as Docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph
    d = Docx(str(path))
    return [Paragraph(p, d) for p in d.element.body.iter(qn("w:p"))]


def test_word_contents_captions_and_fields(small_paper: Path) -> None:
    import zipfile
    _docx_with_figure_and_table(small_paper)
    out = nsp(small_paper, "build", "--paper", "small", "--force")
    assert out.returncode == 0, out.stderr
    with zipfile.ZipFile(small_paper / "build" / "small.docx") as z:
        document, settings = z.read("word/document.xml").decode(), z.read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true" />' in settings
    paragraphs = _docx_paragraphs(small_paper / "build" / "small.docx")
    toc = [p.text for p in paragraphs if p.style is not None and p.style.style_id in ("TOC1", "TOC2")]
    # As deep as the PDF's contents: a paper without parts lists its chapters, not their sections.
    assert toc[:3] == ["1 First Chapter", "2 Second Chapter", "References"], toc
    assert 'SEQ Figure' in document and 'SEQ Table' in document
    from docx.oxml.ns import qn
    # Every text run, those inside the SEQ fields too (python-docx's .text skips field results).
    texts = ["".join(t.text or "" for t in p._p.iter(qn("w:t"))).replace("\xa0", " ") for p in paragraphs]
    captions = [t for t in texts if "Routes west" in t or "Shares by route" in t]
    assert captions == ["Figure 1: Routes west.", "Table 1: Shares by route"], captions


def test_word_release_cover_carries_the_version(small_paper: Path) -> None:
    from docx import Document as Docx
    out = nsp(small_paper, "publish", "2.1", "--paper", "small", "--date", "2020-06-03")
    assert out.returncode == 0, out.stderr
    paragraphs = Docx(str(small_paper / "build" / "releases" / "small-2.1" / "small.docx")).paragraphs
    # As the PDF's cover: the date, then the version on a line of its own.
    cover = [p.text for p in paragraphs[:8] if p.text]
    assert cover[cover.index("3 June 2020") + 1] == "Version 2.1", cover


def test_libreoffice_lists_the_word_contents(small_paper: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess

    import pytest
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    out = nsp(small_paper, "build", "--paper", "small", "--force")
    assert out.returncode == 0, out.stderr
    conv = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(small_paper / "build" / "small.docx")],
                          capture_output=True, text=True, timeout=240)
    assert conv.returncode == 0, conv.stderr
    text = pdf_text(tmp_path / "small.pdf")
    contents = text[text.index("Contents"):]
    assert contents.index("1 First Chapter") < contents.index("2 Second Chapter") < contents.index("References")


def test_bibliography_prints_acts_and_corporate_names_whole(small_paper: Path) -> None:
    bib = small_paper / "papers" / "references.bib"
    bib.write_text(bib.read_text() + """
@legislation{amla2010,
  title = {Anti-Money Laundering Act},
  number = {Act No. VII of 2010},
  author = {{Government of Pakistan}},
  year = {2010},
}
@report{survey2013,
  author = {{United Nations Office on Drugs and Crime}},
  title = {Drug Use in Pakistan 2013},
  institution = {UNODC, Ministry of Interior and Narcotics Control, and Pakistan Bureau of Statistics},
  year = {2013},
}
""")
    write(small_paper, "alpha/02-second.md", chapter("Second Chapter", "ana", """
        ## Context

        Trust matters, as @smith2010 argues; see the act [@amla2010] and the survey [@survey2013].
        """))
    out = nsp(small_paper, "check", "--paper", "small", "--select", "C2")
    assert out.returncode == 0 and "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    # The shipped style prints a Pakistani act's number as written: no C206.
    assert lines[0].startswith("papers/references.bib:23: C207 institution of survey2013 would be split at 'and' into "
                               "'UNODC, Ministry of Interior' / 'Narcotics Control,' / 'Pakistan Bureau of Statistics'")
    assert not any(" C206 " in line for line in lines)
    built = nsp(small_paper, "build", "--paper", "small", "--force")
    assert built.returncode == 0, built.stderr
    refs = pdf_text(small_paper / "build" / "small.pdf")
    assert "Anti-Money Laundering Act, Act No. VII of 2010 (2010)." in refs and "Pub. L." not in refs
    # pandoc's own Chicago style (a paper that names no csl:) prints it as a US public law: C206 says so.
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("csl: templates/csl/chicago-author-date.csl\n", ""))
    lines = nsp(small_paper, "check", "--paper", "small", "--select", "C206").stdout.splitlines()
    assert lines[0] == ("papers/references.bib:16: C206 @legislation{amla2010} prints as 'Anti-Money Laundering Act, "
                        "Pub. L. Nos. Act No. VII of 2010 (2010).' in pandoc's default style, a US public law; use "
                        "templates/csl/chicago-author-date.csl (it prints the number as written), or write the act "
                        "as @misc with its number in `number` and the government as `publisher`")


def test_the_shipped_reference_list_has_no_us_law_and_no_split_names(manuscript_build: Path) -> None:
    text = pdf_text(manuscript_build / "build" / "national-strategy.pdf")
    refs = text[text.rindex("References"):]
    assert "Pub. L." not in refs and ",;" not in refs
    assert "Anti-Money Laundering Act. 2010. Act No. VII of 2010. Government of Pakistan." in refs
    assert "UNODC, Ministry of Interior and Narcotics Control, and Pakistan Bureau of Statistics." in refs


def test_a508_names_the_line_of_the_image_without_a_description(small_paper: Path) -> None:
    import shutil

    from conftest import REPO
    shutil.copy(REPO / "tests" / "golden" / "assets" / "alpha" / "figures" / "ok.png",
                small_paper / "alpha" / "map.png")
    write(small_paper, "alpha/01-first.md", chapter("First Chapter", "ana", """
        ## Context

        Opium moves west [@unodc2019].

        ![The western routes.](map.png)

        The same map again, undescribed:

        ![](map.png)
        """))
    out = nsp(small_paper, "check", "--paper", "small", "--select", "A508")
    assert out.stdout.splitlines()[0] == (
        "alpha/01-first.md:13: A508 image 'map.png' has no description; put one between the brackets: ![…](map.png)")


def test_an_approval_keeps_its_text_so_diff_needs_no_commit(small_paper: Path) -> None:
    """nsp keeps the approved text itself (THEME/approved/HEX.md): a later diff never depends on a commit."""
    path = small_paper / "alpha" / "01-first.md"
    path.write_text(path.read_text() + "\nA late sentence.\n")  # never committed
    approved = hashlib.sha256(path.read_bytes()).hexdigest()
    out = nsp(small_paper, "review", "approve", "alpha/01-first.md", "--by", "lee")
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert out.stdout.splitlines()[-1] == (
        f"next: git add alpha/reviews.yaml alpha/approved/{approved}.md && git commit, as yourself; until then "
        "nsp check reports the record as pending")
    assert (small_paper / "alpha" / "approved" / f"{approved}.md").read_bytes() == path.read_bytes()
    path.write_text(path.read_text().replace("A late sentence.", "A later sentence."))
    diff = nsp(small_paper, "diff", "alpha/01-first.md")
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.splitlines()[0].startswith("alpha/01-first.md: changes since the approval by Lee Lead on ")
    assert "[-late-]{+later+}" in diff.stdout
    # A copy edited by hand is not what it claims: ignored, and this text was never committed.
    (small_paper / "alpha" / "approved" / f"{approved}.md").write_text("forged")
    forged = nsp(small_paper, "diff", "alpha/01-first.md")
    assert forged.returncode == 1 and "is neither kept in alpha/approved/ nor in git history" in forged.stderr


def test_diff_since_one_reviewers_approval(small_paper: Path) -> None:
    path = small_paper / "alpha" / "01-first.md"
    path.write_text(path.read_text() + "\nNew words.\n")
    mine = nsp(small_paper, "diff", "alpha/01-first.md", "--by", "lee")
    assert mine.returncode == 0 and "{+New words.+}" in mine.stdout, mine.stderr
    never = nsp(small_paper, "diff", "alpha/01-first.md", "--by", "ana")
    assert never.returncode == 1
    assert never.stderr.strip() == "nsp: Ana Author has never approved alpha/01-first.md; it was approved by Lee Lead"
    both = nsp(small_paper, "diff", "alpha/01-first.md", "--by", "lee", "--since", "HEAD")
    assert both.returncode == 2 and "give one" in both.stderr


def test_a_theme_folder_or_theme_option_selects_a_theme_everywhere(small_paper: Path) -> None:
    write(small_paper, "alpha/02-second.md", chapter("Second Chapter", "ana", """
        ## Context

        Trust matters [@nokey2020].
        """))
    finding = "alpha/02-second.md:7: C201 citation 'nokey2020' is not in any bibliography"
    for args in (("alpha/",), ("alpha",), ("--theme", "alpha")):
        out = nsp(small_paper, "check", "--paper", "small", *args)
        assert out.returncode == 1 and finding in out.stdout, (args, out.stderr)
        assert (
            out.stdout.splitlines()[-1] == "1 error, 1 warning in 3 files."
        )  # the stale approval of the edited chapter
    status = nsp(small_paper, "status", "--paper", "small", "--theme", "alpha", "--format", "json")
    assert status.returncode == 0 and '"chapter": "alpha/02-second.md"' in status.stdout


def test_typos_get_a_did_you_mean(small_paper: Path) -> None:
    cases = [
        (
            ("check", "--paper", "small", "alpha/02-secnd.md"),
            "no such file: alpha/02-secnd.md (did you mean 'alpha/02-second.md'?)",
        ),
        (
            ("check", "--paper", "small", "--theme", "alpah"),
            "no theme 'alpah' in papers/small.yaml (did you mean 'alpha'?)",
        ),
        (
            ("status", "--paper", "small", "--theme", "alpah"),
            "no theme 'alpah' in papers/small.yaml (did you mean 'alpha'?)",
        ),
        (
            ("build", "--paper", "small", "--theme", "alpah"),
            "no theme 'alpah' in papers/small.yaml (did you mean 'alpha'?)",
        ),
        (("build", "--paper", "small", "alpha/02-secnd.md"), "(did you mean 'alpha/02-second.md'?)"),
        (("check", "--paper", "smal"), "no paper 'smal': papers/smal.yaml does not exist (did you mean 'small'?)"),
    ]
    for args, message in cases:
        out = nsp(small_paper, *args)
        assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)


def test_outputs_follow_one_naming_rule(small_paper: Path) -> None:
    write(small_paper, "alpha_beta/theme.yaml", 'title: "AB"\nlead: lee\nresearchers: [ana]\nchapters: [01-ab.md]\n')
    write(small_paper, "alpha_beta/01-ab.md", chapter("AB Chapter", "ana", "## Context\n\nText.\n"))
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text().replace("themes: [alpha]", "themes: [alpha, alpha_beta]"))
    out = nsp(small_paper, "build", "--paper", "small", "--theme", "alpha_beta", "--force")
    assert out.returncode == 0 and "wrote build/theme-alpha-beta.pdf" in out.stdout, out.stderr
    out = nsp(small_paper, "build", "--paper", "small", "alpha_beta/", "--force")
    assert "build/theme-alpha-beta.pdf" in out.stdout, out.stderr


def test_watch_says_each_finding_once_and_stops_quietly_on_ctrl_c(small_paper: Path) -> None:
    import os
    import signal
    import subprocess
    import time

    from conftest import NSP
    write(small_paper, "alpha/02-second.md", chapter("Second Chapter", "ana", """
        ## Context

        TODO: a marker that stays while other lines change.
        """))
    import queue
    import threading

    proc = subprocess.Popen([NSP, "watch", "--paper", "small"], cwd=small_paper, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines: list[str] = []
    incoming: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None

    def pump(stdout: IO[str]) -> None:
        for line in stdout:
            incoming.put(line)

    reader = threading.Thread(target=pump, args=(proc.stdout,), daemon=True)
    reader.start()

    def read_until(text: str, count: int, poke: Path | None = None) -> None:
        deadline = time.monotonic() + 90
        while sum(text in line for line in lines) < count:
            assert time.monotonic() < deadline and proc.poll() is None, lines
            try:
                lines.append(incoming.get(timeout=3))
            except queue.Empty:
                if poke is not None:  # the watcher starts just after it says so: a save before that is unseen
                    poke.write_text(poke.read_text() + "\n")

    try:
        read_until("watching for changes", 1)
        path = small_paper / "alpha" / "02-second.md"
        for n in (1, 2):
            path.write_text(path.read_text() + f"\nSaved sentence {n}.\n")
            read_until("changed: alpha/02-second.md", n, poke=path)
            read_until("watching for changes", 1 + n)
        # Ctrl-C at the terminal: SIGINT to the whole process group, children included.
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        assert proc.stderr is not None
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert sum("S106 TODO marker" in line for line in lines) == 1, lines
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert "interrupted" in err
    alive = subprocess.run(["ps", "-o", "pid=", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert not alive, f"children outlived nsp watch: {alive}"
