"""The plan and progress against it: due dates and milestones, `nsp status --month`, the dashboard, consent."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import chapter, commit_on, git, nsp, pdf_text, write


@pytest.fixture
def dated(small_paper: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small paper with a history in 2020: the rules confirmed on 1 January, the first chapter committed
    on 10 January, the second on 5 February, and the lead's approvals (dated 15 January) committed on 6 February.
    A third chapter, listed and due on 1 February, has never been sent for review."""
    root = small_paper
    shutil.rmtree(root / ".git")
    write(root, "alpha/03-third.md", chapter("Third Chapter", "ana", """
        ## Context

        Three more words.
        """))
    with (root / "alpha/theme.yaml").open("a") as f:
        f.write("  - 03-third.md\ndue:\n  01-first.md: 2020-01-31\n  02-second.md: 2020-02-01\n"
                "  03-third.md: 2020-02-01\n")
    with (root / "papers/small.yaml").open("a") as f:
        f.write("milestones:\n  drafts: 2020-02-29\n  reviews: 2020-03-31\n  publication: 2099-04-22\n")
    git(root, "init", "-q")
    commit_on(root, "2020-01-01", ["alpha/signoff.yaml"], "sam", monkeypatch)
    commit_on(root, "2020-01-10", [".gitignore", "papers", "templates", "alpha/theme.yaml", "alpha/01-first.md"],
              "ana", monkeypatch)
    commit_on(root, "2020-02-05", ["alpha/02-second.md", "alpha/03-third.md"], "ana", monkeypatch)
    commit_on(root, "2020-02-06", ["alpha/reviews.yaml", "alpha/approved"], "lee", monkeypatch)
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    return root


def month(root: Path, which: str) -> dict:  # type: ignore[type-arg]
    out = nsp(root, "status", "--paper", "small", "--month", which, "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_a_months_progress_is_read_from_git_and_the_review_log(dated: Path) -> None:
    january = month(dated, "2020-01")
    assert (january["start"], january["end"]) == ("2020-01-01", "2020-01-31")
    # The second chapter's approval (15 January) proves it existed before git saw it (5 February).
    assert january["themes"] == [{
        "theme": "alpha", "title": "Alpha Theme", "chapters": 3, "started": 2, "drafting": 0, "in_review": 0,
        "approved": 2, "words": 4, "words_written": 4}]  # Context, Opium, moves, west: the citation is no word
    assert [(s["chapter"], s["name"], s["date"]) for s in january["signoffs"]] == [
        ("alpha/01-first.md", "Lee Lead", "2020-01-15"), ("alpha/02-second.md", "Lee Lead", "2020-01-15")]
    # February's deadlines are January's to announce: two drafts due on the 1st, and a milestone.
    assert [(d["date"], d["what"], d["done"]) for d in january["deadlines"]] == [
        ("2020-02-01", "Draft of “Second Chapter” (Alpha Theme) due for review", True),
        ("2020-02-01", "Draft of “Third Chapter” (Alpha Theme) due for review", False),
        ("2020-02-29", "Milestone: every chapter in review", False)]
    february = month(dated, "2020-02")
    assert february["themes"] == [{
        "theme": "alpha", "title": "Alpha Theme", "chapters": 3, "started": 1, "drafting": 1, "in_review": 0,
        "approved": 2, "words": 4 + 5 + 4, "words_written": 5 + 4}]  # each chapter's heading "Context" counts
    assert february["signoffs"] == []


def test_month_in_text_and_a_month_that_is_none(dated: Path) -> None:
    out = nsp(dated, "status", "--paper", "small", "--month", "2020-02")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "2020-02:",
        "  Alpha Theme: 3 chapters; 1 started, 1 drafting, 0 in review, 2 approved; +9 words, 13 in all"]
    bad = nsp(dated, "status", "--paper", "small", "--month", "2020-13")
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[-1] == \
        "Error: '2020-13' is not a month: write it as YYYY-MM (1900–2199), e.g. 2020-01"
    assert nsp(dated, "status", "--paper", "small", "--month", "9999-12").returncode == 2  # no year without a next


def test_status_names_what_is_overdue_and_what_is_due_soon(dated: Path) -> None:
    soon = dt.date.today() + dt.timedelta(days=10)
    text = (dated / "alpha/theme.yaml").read_text().replace("03-third.md: 2020-02-01", f"03-third.md: {soon}")
    (dated / "alpha/theme.yaml").write_text(text.replace("02-second.md: 2020-02-01", "02-second.md: 2020-01-20"))
    out = nsp(dated, "status", "--paper", "small")
    assert out.returncode == 0, out.stderr
    today = dt.date.today()
    rows = {line.split()[0]: line for line in out.stdout.splitlines() if line.strip().startswith("0")}
    assert "31 Jan 2020" in rows["01-first.md"] and "(overdue)" not in rows["01-first.md"]  # approved in time
    assert f"{soon.day} {soon:%b %Y}" in rows["03-third.md"]
    plan = out.stdout[out.stdout.index("Plan, as of"):].splitlines()
    assert plan == [f"Plan, as of {today.day} {today:%b %Y}:",
                    "  overdue since 29 Feb 2020: Milestone: every chapter in review",
                    "  overdue since 31 Mar 2020: Milestone: every chapter approved",
                    f"  due {soon.day} {soon:%b %Y}: Draft of “Third Chapter” (Alpha Theme) due for review"]
    rows_json = json.loads(nsp(dated, "status", "--paper", "small", "--format", "json").stdout)
    assert [(r["chapter"], r["due"], r["overdue"]) for r in rows_json] == [
        ("alpha/01-first.md", "2020-01-31", False), ("alpha/02-second.md", "2020-01-20", False),
        ("alpha/03-third.md", soon.isoformat(), False)]


class Page(HTMLParser):
    """What a browser would fetch, and run, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.fetched += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]


def test_the_dashboard_is_one_page_with_a_chart_per_theme(dated: Path) -> None:
    out = nsp(dated, "status", "--paper", "small", "--html", "build/status.html")
    assert out.returncode == 0, out.stderr
    assert "wrote build/status.html" in out.stdout
    html = (dated / "build/status.html").read_text()
    page = Page()
    page.feed(html)
    assert "script" not in page.tags and page.tags.count("svg") == 1  # one theme, one chart
    assert [u for u in page.fetched if not u.startswith("#")] == []  # nothing to load: it opens anywhere
    assert "Overdue since 29 Feb 2020:</span> Milestone: every chapter in review" in html
    assert "<td>Third Chapter</td><td>drafting</td><td class=\"late\">1 Feb 2020 (overdue)</td>" in html
    assert "Today: 1 drafting, 0 in review, 2 approved." in html
    again = nsp(dated, "status", "--paper", "small", "--html", "build/status.html")
    assert again.returncode == 0 and (dated / "build/status.html").read_text() == html  # reproducible, replaced


def test_the_dashboard_never_replaces_a_file_nsp_did_not_write(dated: Path) -> None:
    mine = write(dated, "notes.html", "<p>my notes</p>\n")
    out = nsp(dated, "status", "--paper", "small", "--html", "notes.html")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "notes.html exists and nsp did not write it; choose another name, or move it away first" in out.stderr
    assert mine.read_text() == "<p>my notes</p>\n"
    out = nsp(dated, "status", "--paper", "small", "--html", "alpha/01-first.md")
    assert out.returncode == 2 and "give a file name ending in .html" in out.stderr


def test_plan_dates_that_are_no_dates_are_located(dated: Path) -> None:
    with (dated / "alpha/theme.yaml").open("a") as f:
        f.write("  04-fourth.md: soon\n")
    (dated / "papers/small.yaml").write_text((dated / "papers/small.yaml").read_text()
                                             .replace("  reviews: 2020-03-31", "  review: 2020-03-31"))
    out = nsp(dated, "check", "--paper", "small")
    assert "alpha/theme.yaml:13: E007 due date '04-fourth.md': expected a date like 2020-04-30, found str 'soon'" \
        in out.stdout
    assert "papers/small.yaml:10: E007 unknown milestone 'review'; choose from drafts, reviews, publication " \
           "(did you mean 'reviews'?)" in out.stdout
    assert out.returncode == 1 and "Traceback" not in out.stderr


def test_stakeholders_annex_names_only_who_agreed(manuscript_build: Path) -> None:
    text = pdf_text(manuscript_build / "build" / "national-strategy.pdf")
    annex = text[text.rindex("Annex A: Stakeholders Consulted"):text.rindex("Annex B")]
    for shown in ("First stakeholders' roundtable", "Consultation on terror financing",
                  "United Nations Office on Drugs and Crime (UNODC)", "Citizens-Police Liaison Committee (CPLC)",
                  "Ayesha Siddiqa Khan", "Kamran Baig"):
        assert shown in annex
    # Zubair Hashmi took part for the FIA but has not agreed to be named: no page of the paper names him.
    assert "Hashmi" not in text
    assert "Federal Investigation Agency (FIA)" in annex


def test_a_missing_dashboard_template_is_named(dated: Path) -> None:
    (dated / "templates/html/dashboard.html.j2").unlink()
    out = nsp(dated, "status", "--paper", "small", "--html", "build/status.html")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.splitlines()[-1] == \
        "Error: templates/html/dashboard.html.j2: it is missing; restore it from git, or fix it"
    assert not (dated / "build/status.html").exists()


def test_the_dashboard_makes_no_folder_outside_build(dated: Path) -> None:
    out = nsp(dated, "status", "--paper", "small", "--html", "nowhere/status.html")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.splitlines()[-1] == ("Error: nowhere/status.html: the folder nowhere does not exist; make it "
                                           "first, or write into build/")
    assert not (dated / "nowhere").exists()
    assert nsp(dated, "status", "--paper", "small", "--html", "build/plan/status.html").returncode == 0


def test_an_impossible_date_is_located_not_a_traceback(dated: Path) -> None:
    text = (dated / "alpha/theme.yaml").read_text().replace("01-first.md: 2020-01-31", "01-first.md: 2020-01-32")
    (dated / "alpha/theme.yaml").write_text(text)
    out = nsp(dated, "status", "--paper", "small")
    assert "Traceback" not in out.stderr
    assert "not shown: alpha/theme.yaml:10: E007 due date '01-first.md': expected a date like 2020-04-30, " \
           "found str '2020-01-32'" in out.stderr.splitlines()


def test_a_name_in_a_chapter_title_or_a_role_blocks_the_paper(small_paper: Path) -> None:
    with (small_paper / "papers/people.yaml").open("a") as f:
        f.write("zed:\n  name: Zed Hidden\n  role: Official\n  group: stakeholder\n")
    text = (small_paper / "alpha/01-first.md").read_text().replace('"First Chapter"', '"First Chapter, by Z. Hidden"')
    (small_paper / "alpha/01-first.md").write_text(text)
    people = (small_paper / "papers/people.yaml").read_text().replace("role: Researcher", "role: Aide to Hidden, Zed")
    (small_paper / "papers/people.yaml").write_text(people)
    out = nsp(small_paper, "check", "--paper", "small")
    assert out.returncode == 1
    assert "alpha/01-first.md:2: P406 names Zed Hidden, who has not agreed to be named (no public: true in " \
           "papers/people.yaml): write their role instead ('an FIA official'), or record their consent with " \
           "public: true" in out.stdout.splitlines()
    assert "papers/people.yaml:1: P406 person 'ana' names Zed Hidden, who has not agreed to be named (no public: " \
           "true in papers/people.yaml): write their role instead" in out.stdout.splitlines()


def test_an_empty_event_is_located(small_paper: Path) -> None:
    write(small_paper, "papers/events.yaml", "board:\n  title: Board\n  date: 2020-01-05\nnothing-yet:\n")
    out = nsp(small_paper, "check", "--paper", "small")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "papers/events.yaml:4: E007 event 'nothing-yet' must be a mapping of keys to values, found nothing" \
        in out.stdout.splitlines()


def test_a_months_progress_names_broken_data_and_fails(dated: Path) -> None:
    write(dated, "papers/events.yaml", "board:\n  title: Board\n  date: 2020-01-05\n  chair: nobody\n")
    out = nsp(dated, "status", "--paper", "small", "--month", "2020-01")
    assert out.returncode == 1 and out.stdout.startswith("2020-01:\n")
    assert out.stderr.splitlines() == [
        "papers/events.yaml:4: P407 event 'board': chair 'nobody' is neither a person nor an organization in "
        "papers/people.yaml"]
