"""Action plans as data: each chapter's table, the paper's Implementation Matrix, `nsp actions`, the checks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import nsp, pdf_text, write


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_matrix_lists_every_action_of_every_chapter(manuscript_build: Path) -> None:
    """`nsp actions` and the national paper's Implementation Matrix agree, action for action, ordered by
    the lead agency and deadline; each chapter's own table shows its actions with the agencies' names."""
    listed = json.loads(nsp(manuscript_build, "actions", "--format", "json").stdout)
    chapters = {a["path"] for a in listed}
    assert len(chapters) == 7 and len(listed) == 21  # every chapter but 02-fatf-compliance plans actions
    pages = PdfReader(manuscript_build / "build" / "national-strategy.pdf").pages
    start = next(i for i, p in enumerate(pages) if "Implementation Matrix Every action" in words(p.extract_text()))
    matrix = words(" ".join(p.extract_text() for p in pages[start:start + 3]))
    positions = [matrix.find(words(a["action"])[:30]) for a in listed]
    assert all(p >= 0 for p in positions), [a["action"] for a, p in zip(listed, positions) if p < 0]
    assert positions == sorted(positions)  # in the order nsp actions gives: by agency, then deadline
    assert [a["agency"] for a in listed] == sorted((a["agency"] for a in listed), key=str.lower)
    paper = words(pdf_text(manuscript_build / "build" / "national-strategy.pdf"))
    assert ("Table 1: Actions on the channels of terror financing Action Lead With By Joint financial "
            "investigation cell in each province Provincial counter- terrorism departments December 2020") in paper


def test_actions_as_csv_for_a_spreadsheet(manuscript_build: Path) -> None:
    out = nsp(manuscript_build, "actions", "--theme", "cyber_crime", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert out.stdout.splitlines()[0] == "lead,agency,action,partners,deadline,priority,serves,chapter,path,line"
    assert {r["path"] for r in rows} == {"cyber_crime/01-teledensity-and-threats.md",
                                         "cyber_crime/02-data-and-investigation.md"}
    assert rows[0]["agency"] == "FIA cyber crime wing" or rows[0]["agency"] == "Federal Investigation Agency"


@pytest.fixture
def planned(small_paper: Path) -> Path:
    write(small_paper, "papers/agencies.yaml", "FIA: Federal Investigation Agency\nANF: Anti-Narcotics Force\n")
    path = small_paper / "alpha" / "01-first.md"
    path.write_text(path.read_text() + """
## Action plan

```actions
- action: Shared seizure database
  lead: ANF
  partners: [FIA]
  deadline: 2021-06
- action: A wish
  lead: ANF
- action: Joint cell
  lead: Anti-Narcotic Force
  deadline: 2021
- action: Far away
  lead: FIA
  deadline: 2052
```
""")
    return small_paper


def test_an_action_without_deadline_an_unknown_agency_and_a_far_deadline_are_found(planned: Path) -> None:
    out = nsp(planned, "check", "--paper", "small")
    lines = out.stdout.splitlines()
    assert out.returncode == 1
    assert ("alpha/01-first.md:16: S117 the action 'A wish' has no deadline: every action names what is done, "
            "who leads it and by when") in lines, out.stdout
    assert ("alpha/01-first.md:18: S118 agency 'Anti-Narcotic Force' is not in papers/agencies.yaml") in lines
    assert ("alpha/01-first.md:21: S119 deadline 2052 is after the paper's horizon (2025; horizon: in "
            "papers/small.yaml)") in lines


def test_the_chapter_table_and_the_matrix_of_a_small_paper(planned: Path) -> None:
    path = planned / "alpha" / "01-first.md"
    text = path.read_text()
    path.write_text(text[:text.index("- action: A wish")] + "```\n")
    out = nsp(planned, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    pdf = words(pdf_text(planned / "build" / "small.pdf"))
    assert "Action Lead With By Shared seizure database Anti-Narcotics Force Federal Investigation Agency June 2021" \
        in pdf
    assert "Annex A: Implementation Matrix" in pdf
    assert "Anti-Narcotics Force Shared seizure database Federal Investigation Agency June 2021 1" in pdf
