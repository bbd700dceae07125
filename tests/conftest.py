"""Fixtures: small paper trees in tmp_path, and a build of the real manuscript."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from nsp.cli import main
from nsp.review.confirm import confirm_rules
from nsp.review.log import record_review

REPO = Path(__file__).resolve().parents[1]
MANUSCRIPT = ("papers", "terror_financing", "drug_trafficking", "human_trafficking", "cyber_crime", "templates",
              "newsletters")


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def chapter(title: str, authors: str, body: str) -> str:
    """A chapter file: front matter, then `body` dedented (so it can be written as an indented block)."""
    return f"---\ntitle: \"{title}\"\nauthors: [{authors}]\n---\n" + textwrap.dedent(body).lstrip("\n")


def context_chapter(body: str, title: str = "First Chapter", front: str = "") -> str:
    """A chapter by ana whose one section, Context, holds `body` exactly as given; `front` adds front matter."""
    return f'---\ntitle: "{title}"\nauthors: [ana]\n{front}---\n\n## Context\n\n{body}\n'


def snapshot(root: Path) -> dict[str, str]:
    """Every output in build/ (caches, staging and temporaries aside), by name and content."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "build").iterdir()
            if p.is_file() and not p.name.startswith(".")}


def build_tree(root: Path) -> dict[str, str]:
    """Every file under build/, by path and content, but the cache and nsp's own temporaries."""
    build = root / "build"
    return {p.relative_to(build).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in build.rglob("*") if p.is_file() and ".cache" not in p.parts and not p.name.startswith(".nsp")}


def refused(root: Path, line: str, *args: str, code: int = 1) -> str:
    """`nsp build` (with `args`) refuses with `line` among its findings: exit `code`, no traceback, build/ untouched
    and no temporary left in it. Returns what it printed on stderr."""
    before = snapshot(root)
    result = nsp(root, "build", "--paper", "small", *args)
    assert result.returncode == code, result.stdout + result.stderr
    assert line in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(root) == before
    assert not list((root / "build").glob(".nsp-tmp-*"))
    return result.stderr


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(path).pages]


def pdf_text(path: Path, pages: slice = slice(None)) -> str:
    """The text of a PDF (or of `pages`), with every run of white space as one space: line breaks fall anywhere."""
    return " ".join(" ".join(pdf_pages(path)[pages]).split())


@pytest.fixture
def small_paper(tmp_path: Path) -> Path:
    """A paper with one theme of two chapters, citing a two-entry bibliography."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "templates", root / "templates")
    write(root, "papers/small.yaml", """
        title: "Small Paper"
        subtitle: "A test"
        publisher: "Test Initiative"
        date: 2020-01-31
        themes: [alpha]
        bibliography: [references.bib]
        csl: templates/csl/chicago-author-date.csl
        """)
    write(root, "papers/people.yaml", """
        ana:
          name: Ana Author
          role: Researcher
          group: researcher
          email: ana@alpha.example
        lee:
          name: Lee Lead
          role: Theme lead
          group: lead
          email: lee@alpha.example
        sam:
          name: Sam Secretary
          role: Secretary of the initiative
          group: secretariat
          email: sam@alpha.example
        """)
    write(root, "papers/references.bib", """
        @report{unodc2019,
          author = {{United Nations Office on Drugs and Crime}},
          title = {World Drug Report 2019},
          institution = {United Nations},
          year = {2019},
        }
        @book{smith2010,
          author = {Smith, Jane},
          title = {Borders and Trust},
          publisher = {Example Press},
          year = {2010},
        }
        """)
    write(root, "alpha/theme.yaml", """
        title: "Alpha Theme"
        lead: lee
        researchers: [ana]
        required_sections: [Context]
        chapters:
          - 01-first.md
          - 02-second.md
        """)
    write(root, "alpha/01-first.md", chapter("First Chapter", "ana", """
        ## Context

        Opium moves west [@unodc2019].
        """))
    write(root, "alpha/02-second.md", chapter("Second Chapter", "ana", """
        ## Context

        Trust matters, as @smith2010 argues.
        """))
    (root / ".gitignore").write_text("build/\n")  # outputs and locks are never committed, as in the real repository
    git(root, "init", "-q")
    # The secretariat confirms who signs (the lead), and commits its decision itself.
    git(root, "config", "user.email", "sam@alpha.example")
    confirm_rules(root, "alpha", by="sam", today=dt.date(2020, 1, 1))
    git(root, "add", "alpha/signoff.yaml")
    git(root, "commit", "-qm", "Who signs alpha", email="sam@alpha.example", name="Sam Secretary")
    # Both chapters start approved by the lead, recorded and committed by the lead, so the paper checks clean.
    git(root, "add", "-A")
    git(root, "commit", "-qm", "The draft", email="ana@alpha.example", name="Ana Author")
    git(root, "config", "user.email", "lee@alpha.example")
    for name in ("01-first.md", "02-second.md"):
        record_review(root, f"alpha/{name}", reviewer="lee", verdict="approved", today=dt.date(2020, 1, 15))
    git(root, "add", "alpha/reviews.yaml", "alpha/approved")
    git(root, "commit", "-qm", "Approved", email="lee@alpha.example", name="Lee Lead")
    return root


NSP = str(Path(sys.executable).with_name("nsp"))


def nsp(root: Path, *args: str, timeout: float = 600, env: dict[str, str] | None = None,
        input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `nsp` in `root` as a user does: a separate process, its real exit code and output.

    In-process calls can pass while the real command fails (import order, global state); new tests use this.
    """
    return subprocess.run([NSP, *args], cwd=root, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, input=input)


def git(root: Path, *args: str, email: str = "secretariat@nioc.example.pk", name: str = "Secretariat") -> str:
    """Run git in `root` as the given author (tests make their own repositories)."""
    identity = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name,
                "GIT_COMMITTER_EMAIL": email, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **identity})
    assert out.returncode == 0, out.stderr
    return out.stdout


def commit_on(root: Path, day: str, paths: list[str], who: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commit `paths` as person `who` of the small paper (who@alpha.example) on `day`: a history in the past,
    for what nsp reads from git (progress, newsletters)."""
    stamp = f"{day}T12:00:00+05:00"
    monkeypatch.setenv("GIT_AUTHOR_DATE", stamp)
    monkeypatch.setenv("GIT_COMMITTER_DATE", stamp)
    git(root, "add", *paths)
    git(root, "commit", "-qm", f"work of {day}", email=f"{who}@alpha.example", name=who)


def run_in(root: Path, args: list[str]) -> Result:
    old = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def built(small_paper: Path) -> Path:
    """The small paper, built once by `nsp build` as a user runs it: the outputs its manifest asks for, in build/."""
    out = nsp(small_paper, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    return small_paper


@pytest.fixture(scope="session")
def manuscript_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped manuscript, copied and built once for all tests that read its outputs."""
    root = tmp_path_factory.mktemp("manuscript")
    for name in MANUSCRIPT:
        shutil.copytree(REPO / name, root / name)
    result = run_in(root, ["build"])
    assert result.exit_code == 0, result.output
    return root


BUILDS = {"built", "manuscript_build"}  # the fixtures that run pandoc and typst


def pytest_runtest_setup(item: pytest.Item) -> None:
    """tests/unit/ runs in seconds (`make test-fast`) because nothing there builds: keep it so."""
    if item.path.is_relative_to(REPO / "tests" / "unit"):
        builds = BUILDS & set(getattr(item, "fixturenames", ()))
        if builds:
            used = ", ".join(sorted(builds))
            pytest.fail(f"a unit test builds nothing (no pandoc, no typst), but this one uses {used}: "
                        "move it out of tests/unit/", pytrace=False)
