"""Fixtures: small paper trees in tmp_path, and a build of the real manuscript."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from nsp.cli import main
from nsp.reviewlog import record_review

REPO = Path(__file__).resolve().parents[1]
MANUSCRIPT = ("papers", "terror_financing", "drug_trafficking", "human_trafficking", "cyber_crime", "templates")


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def chapter(title: str, authors: str, body: str) -> str:
    return f"---\ntitle: \"{title}\"\nauthors: [{authors}]\n---\n" + textwrap.dedent(body).lstrip("\n")


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
        lee:
          name: Lee Lead
          role: Theme lead
          group: lead
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
    # Both chapters start approved by the lead, so the paper checks clean.
    for name in ("01-first.md", "02-second.md"):
        record_review(root, f"alpha/{name}", reviewer="lee", verdict="approved", today=dt.date(2020, 1, 15))
    return root


def run_in(root: Path, args: list[str]) -> Result:
    old = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture(scope="session")
def manuscript_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped manuscript, copied and built once for all tests that read its outputs."""
    root = tmp_path_factory.mktemp("manuscript")
    for name in MANUSCRIPT:
        shutil.copytree(REPO / name, root / name)
    result = run_in(root, ["build"])
    assert result.exit_code == 0, result.output
    return root
