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
