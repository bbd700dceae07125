"""Issue 11: what a new user meets following the README, each through the installed `nsp`."""

from __future__ import annotations

from pathlib import Path

from conftest import chapter, git, nsp, write


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


def _pdf_text(path: Path, pages: slice = slice(None)) -> str:
    from pypdf import PdfReader
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages[pages]).split())


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
    cover = _pdf_text(folder / "small.pdf", slice(0, 1))
    assert "First edition · 12 May 2020 Version 1.0" in cover
    assert "draft" not in _pdf_text(folder / "small.pdf").lower()
    web = (folder / "small.html").read_text()
    assert "Version 1.0 · First edition · 12 May 2020" in web and "draft" not in web.lower()
    from pypdf import PdfReader
    pdf = PdfReader(folder / "small.pdf")
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"
    assert "<rdf:li>en-GB</rdf:li>" in pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
