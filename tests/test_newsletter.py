"""`nsp newsletter MONTH`: the secretariat's text and the month's data, as PDF, mail HTML and plain text.

Every test runs the installed command and reads the files it wrote, as the secretariat would.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MANUSCRIPT, REPO, commit_on, git, nsp, pdf_text, write

EDITIONS = ("pdf", "html", "txt")


@pytest.fixture
def letters(small_paper: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small paper with a history in December 2019 and January 2020, two newsletters, and a January
    consultation that Zara Hidden (a stakeholder who has not agreed to be named) attended."""
    root = small_paper
    shutil.rmtree(root / ".git")
    with (root / "papers/people.yaml").open("a") as f:
        f.write("zara:\n  name: Zara Hidden\n  role: Official\n  group: stakeholder\n  public: false\n"
                "pat:\n  name: Pat Public\n  role: Director\n  group: stakeholder\n  public: true\n"
                "organizations:\n  acme:\n    name: Acme Agency\n    kind: government\n    people: [zara]\n")
    write(root, "papers/events.yaml", """
        consultation-alpha-2020-01:
          title: Consultation on alpha
          kind: consultation
          date: 2020-01-16
          place: Islamabad
          chair: lee
          attendance: [lee, ana, zara, pat, acme]
          themes: [alpha]
          summary: The agencies discussed the routes.
          decisions:
            - The first chapter covers the western route.
        """)
    with (root / "alpha/theme.yaml").open("a") as f:
        f.write("due:\n  01-first.md: 2020-02-10\n")
    with (root / "papers/small.yaml").open("a") as f:
        f.write('address: "Secretariat, Test Initiative, Islamabad"\nemail: office@alpha.example\n')
    write(root, "newsletters/2019-12.md", """
        ---
        title: "The first issue"
        authors: [sam]
        ---

        The initiative begins.
        """)
    write(root, "newsletters/2020-01.md", """
        ---
        title: "A month of work"
        authors: [sam]
        summary: The first consultation met.
        ---

        The first consultation met in January, and the drafts moved on [@unodc2019]. More on the
        [initiative's page](https://example.org/initiative).
        """)
    git(root, "init", "-q")
    commit_on(root, "2019-12-15", [".gitignore", "papers", "templates", "newsletters", "alpha/theme.yaml",
                                   "alpha/02-second.md"], "ana", monkeypatch)
    commit_on(root, "2020-01-01", ["alpha/signoff.yaml"], "sam", monkeypatch)
    commit_on(root, "2020-01-10", ["alpha/01-first.md"], "ana", monkeypatch)
    commit_on(root, "2020-01-20", ["alpha/reviews.yaml", "alpha/approved"], "lee", monkeypatch)
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    return root


def newsletter(root: Path, month: str = "2020-01", paper: str = "small") -> str:
    """Make the month's newsletter (it must succeed); its plain-text edition."""
    out = nsp(root, "newsletter", month, "--paper", paper)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.splitlines() == [f"wrote build/newsletters/{month}.{ext}" for ext in EDITIONS]
    return (root / "build" / "newsletters" / f"{month}.txt").read_text("utf-8")


def editions(root: Path, month: str = "2020-01") -> dict[str, str]:
    folder = root / "build" / "newsletters"
    return {"pdf": pdf_text(folder / f"{month}.pdf"), "html": (folder / f"{month}.html").read_text("utf-8"),
            "txt": (folder / f"{month}.txt").read_text("utf-8")}


def status_month(root: Path, month: str, paper: str) -> dict:  # type: ignore[type-arg]
    out = nsp(root, "status", "--paper", paper, "--month", month, "--format", "json")
    assert out.returncode in (0, 1), out.stderr  # 1: chapters hidden from the table, not an error of --month
    return json.loads(out.stdout)  # type: ignore[no-any-return]


PROGRESS_LINE = re.compile(r"^- (?P<title>[^:]+): Chapters (?P<chapters>\d+), Started (?P<started>\d+), Drafting "
                           r"(?P<drafting>\d+), In review (?P<in_review>\d+), Approved (?P<approved>\d+), Words "
                           r"(?P<words>[\d,]+), Written (?P<written>[+−-]?[\d,]+)$")


def progress_shown(text: str) -> dict[str, dict[str, int]]:
    """Each theme's numbers as the plain-text edition prints them (a list item may wrap over lines)."""
    items = re.findall(r"^- .*?(?=^- |^\S|\Z)", text, flags=re.M | re.S)
    found = {}
    for item in items:
        m = PROGRESS_LINE.match(" ".join(item.split()))
        if m:
            numbers = {k: int(v.replace(",", "").replace("−", "-")) for k, v in m.groupdict().items() if k != "title"}
            found[m["title"]] = numbers
    return found


def assert_progress_matches_status(root: Path, text: str, month: str, paper: str) -> None:
    report = status_month(root, month, paper)
    expected = {t["title"]: {"chapters": t["chapters"], "started": t["started"], "drafting": t["drafting"],
                             "in_review": t["in_review"], "approved": t["approved"], "words": t["words"],
                             "written": t["words_written"]} for t in report["themes"]}
    assert progress_shown(text) == expected


def test_the_newsletters_progress_numbers_are_those_of_nsp_status_for_the_month(letters: Path) -> None:
    text = newsletter(letters)
    assert_progress_matches_status(letters, text, "2020-01", "small")
    shown = progress_shown(text)["Alpha Theme"]
    # The history above: both chapters approved in January, one of them first committed then.
    assert (shown["chapters"], shown["started"], shown["approved"]) == (2, 1, 2)
    assert shown["words"] > shown["written"] > 0  # the second chapter's words were there in December
    assert "- Lee Lead approved “First Chapter” (Alpha Theme) on 15 Jan 2020" in text
    assert "- 10 Feb 2020: Draft of “First Chapter” (Alpha Theme) due for review" in text


def test_every_edition_has_the_masthead_the_text_and_the_months_meeting(letters: Path) -> None:
    for version, day in (("0.9", "2019-12-30"), ("1.0", "2020-01-20")):  # as nsp publish writes them
        write(letters, f"build/releases/small-{version}/manifest.json",
              json.dumps({"paper": "small", "title": "Small Paper", "version": version, "date": day}))
    newsletter(letters)
    found = editions(letters)
    assert "PUBLISHED THIS MONTH\n\n- Small Paper, version 1.0, published 20 Jan 2020\n" in found["txt"]
    assert "version 0.9" not in found["txt"]
    assert found["txt"].splitlines()[:3] == ["TEST INITIATIVE", "Newsletter · No. 2 · January 2020", "=" * 72]
    assert all(len(line) <= 72 for line in found["txt"].splitlines())
    flat = " ".join(found["txt"].split())
    assert "(United Nations Office on Drugs and Crime 2019)" in flat  # the citation, resolved
    assert "initiative’s page <https://example.org/initiative>" in flat
    for kind in EDITIONS:
        text = " ".join(found[kind].split()).lower()  # the text edition sets the masthead in capitals
        for wanted in ("Test Initiative", "Newsletter", "No. 2", "January 2020", "A month of work",
                       "Consultation on alpha", "16 Jan 2020, Islamabad", "Pat Public", "Acme Agency",
                       "The first chapter covers the western route."):
            assert wanted.lower() in text, (kind, wanted)


def test_nobody_who_has_not_agreed_is_named_though_they_attended(letters: Path) -> None:
    newsletter(letters)
    for kind, text in editions(letters).items():
        assert "Zara" not in text and "Hidden" not in text, kind
    assert "Acme Agency; Ana Author; Pat Public; 1 other participant" in " ".join(editions(letters)["txt"].split())


def test_the_newsletter_text_may_not_name_them_either(letters: Path) -> None:
    with (letters / "newsletters/2020-01.md").open("a") as f:
        f.write("\nZara  Hidden spoke first.\n")
    out = nsp(letters, "newsletter", "2020-01", "--paper", "small")
    assert out.returncode == 1
    assert ("newsletters/2020-01.md:10: P406 names Zara Hidden, who has not agreed to be named (public: false in "
            "papers/people.yaml): write their role instead ('an FIA official'), or record their consent with "
            "public: true") in out.stderr.splitlines()
    assert not (letters / "build" / "newsletters" / "2020-01.txt").exists()


def test_nor_may_the_minutes_of_the_months_meeting(letters: Path) -> None:
    events = (letters / "papers/events.yaml").read_text("utf-8")
    (letters / "papers/events.yaml").write_text(events.replace("The agencies discussed the routes.",
                                                               "Zara Hidden discussed the routes."), "utf-8")
    out = nsp(letters, "newsletter", "2020-01", "--paper", "small")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "papers/events.yaml:1: P406 event 'consultation-alpha-2020-01' names Zara Hidden, who has not agreed to be "
        "named (public: false in papers/people.yaml): write their role instead",
        "nsp: the newsletter for 2020-01 was not made: 1 problem to fix (above); previous outputs were kept"]


class Resources(HTMLParser):
    """Every element, and every address an element or a style could load."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.loads: list[str] = []  # src, and url( in styles: fetched by the client when shown
        self.links: list[tuple[str, str]] = []  # (element, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for key, value in attrs:
            if key in ("src", "srcset", "background", "poster", "data"):
                self.loads.append(value or "")
            if key == "href":
                self.links.append((tag, value or ""))
            if key == "style":
                self.loads += re.findall(r"url\(\s*['\"]?([^'\")]*)", value or "")

    def handle_data(self, data: str) -> None:
        self.loads += re.findall(r"url\(\s*['\"]?([^'\")]*)", data)  # a <style> block's


def test_the_mail_edition_has_no_script_and_loads_nothing_remote(letters: Path) -> None:
    write(letters, "newsletters/figures/logo.png", "")
    shutil.copyfile(REPO / "tests" / "golden" / "assets" / "alpha" / "figures" / "ok.png",
                    letters / "newsletters" / "figures" / "logo.png")
    with (letters / "newsletters/2020-01.md").open("a") as f:
        f.write("\n![The initiative's logo](figures/logo.png)\n")
    newsletter(letters)
    html = (letters / "build" / "newsletters" / "2020-01.html").read_text("utf-8")
    page = Resources()
    page.feed(html)
    assert not page.tags & {"script", "link", "style", "iframe", "object", "embed", "form", "base", "meta-refresh"}
    assert page.loads and all(url.startswith("data:image/png;base64,") for url in page.loads), page.loads
    assert {tag for tag, _ in page.links} == {"a"}
    assert all(re.match(r"(mailto:|#|https://example\.org/)", href) for _, href in page.links), page.links
    assert "<table" in html and 'style="' in html and "javascript:" not in html.lower()


def test_the_same_month_gives_the_same_bytes(letters: Path) -> None:
    newsletter(letters)
    folder = letters / "build" / "newsletters"
    first = {kind: hashlib.sha256((folder / f"2020-01.{kind}").read_bytes()).hexdigest() for kind in EDITIONS}
    shutil.rmtree(letters / "build" / ".cache")
    newsletter(letters)
    assert {kind: hashlib.sha256((folder / f"2020-01.{kind}").read_bytes()).hexdigest() for kind in EDITIONS} == first


def test_a_month_without_its_text_is_an_error_that_names_the_file(letters: Path) -> None:
    out = nsp(letters, "newsletter", "2020-02", "--paper", "small")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "nsp: no newsletter for 2020-02: write newsletters/2020-02.md first (`nsp new newsletter 2020-02 --author "
        "ID` starts it; newsletters here: 2019-12, 2020-01)"]
    assert not (letters / "build" / "newsletters").exists()


@pytest.mark.parametrize("month", ["2020-1", "january", "2020-13", "2020-01-01"])
def test_a_month_that_is_none_is_a_usage_error(tmp_path: Path, month: str) -> None:
    (tmp_path / "papers").mkdir()  # refused before anything is read
    out = nsp(tmp_path, "newsletter", month, "--paper", "small")
    assert out.returncode == 2
    assert f"Error: '{month}' is not a month: write it as YYYY-MM (1900–2199), e.g. 2020-01" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_refused_newsletter_leaves_the_previous_editions(letters: Path) -> None:
    newsletter(letters)
    folder = letters / "build" / "newsletters"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}
    with (letters / "newsletters/2020-01.md").open("a") as f:
        f.write("\nAs [@nobody2020] said. TODO ask them.\n")
    out = nsp(letters, "newsletter", "2020-01", "--paper", "small")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "newsletters/2020-01.md:10: C201 citation 'nobody2020' is not in any bibliography",
        "newsletters/2020-01.md:10: S106 TODO marker: resolve it before the chapter is approved",
        "nsp: the newsletter for 2020-01 was not made: 2 problems to fix (above); previous outputs were kept"]
    assert {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")} == before


def test_nsp_check_checks_the_newsletters_too(letters: Path) -> None:
    with (letters / "newsletters/2019-12.md").open("a") as f:
        f.write("\nSee [the draft](javascript:alert(1)).\n")
    out = nsp(letters, "check", "--paper", "small")
    assert "newsletters/2019-12.md:8: A507 link 'javascript:alert(1)' is not allowed; links may use http, https, " \
           "mailto" in out.stdout.splitlines()


def test_the_manuscripts_january_newsletter(tmp_path: Path) -> None:
    """The shipped newsletter of January 2020, made from the shipped manuscript."""
    root = tmp_path / "manuscript"
    for name in MANUSCRIPT:
        shutil.copytree(REPO / name, root / name)
    text = newsletter(root, paper="national-strategy")
    assert_progress_matches_status(root, text, "2020-01", "national-strategy")
    found = editions(root)
    for kind, edition in found.items():
        flat = " ".join(edition.split())
        assert "Newsletter" in flat and "No. 2" in flat and "January 2020" in flat, kind
        assert "Consultation on terror financing" in flat and "16 Jan 2020" in flat, kind
        assert "Zubair" not in flat and "Hashmi" not in flat, kind
    assert found["txt"].startswith("NATIONAL INITIATIVE AGAINST ORGANIZED CRIME (NIOC) PAKISTAN\n")


def test_nsp_new_starts_a_months_text_which_is_not_sent_until_written(letters: Path) -> None:
    out = nsp(letters, "new", "newsletter", "2020-02", "--author", "sam")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "wrote newsletters/2020-02.md",
        "next: write the month's text in place of the TODO (nsp newsletter refuses it until then), then "
        "`nsp newsletter 2020-02`"]
    assert (letters / "newsletters/2020-02.md").read_text("utf-8") == (
        '---\ntitle: "February 2020"\nauthors: [sam]\n---\n\nTODO: write this section.\n')
    out = nsp(letters, "newsletter", "2020-02", "--paper", "small")
    assert out.returncode == 1
    assert out.stderr.splitlines()[0] == ("newsletters/2020-02.md:6: S106 TODO marker: resolve it before the "
                                          "chapter is approved")
    again = nsp(letters, "new", "newsletter", "2020-02", "--author", "sam")
    assert again.returncode == 1
    assert again.stderr.strip() == ("nsp: newsletters/2020-02.md already exists; nothing written (edit it, then "
                                    "run `nsp newsletter 2020-02`)")


def test_a_name_in_a_title_or_a_role_is_found_too(letters: Path) -> None:
    text = (letters / "newsletters/2020-01.md").read_text("utf-8")
    (letters / "newsletters/2020-01.md").write_text(text.replace('"A month of work"', '"A month with Hidden, Zara"'))
    people = letters / "papers/people.yaml"
    people.write_text(people.read_text("utf-8").replace("role: Director", "role: Deputy to Zara Hidden"), "utf-8")
    out = nsp(letters, "newsletter", "2020-01", "--paper", "small")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert "newsletters/2020-01.md:2: P406 names Zara Hidden, who has not agreed to be named (public: false in " \
           "papers/people.yaml): write their role instead ('an FIA official'), or record their consent with " \
           "public: true" in lines
    assert any(line.startswith("papers/people.yaml:") and " P406 person 'pat' names Zara Hidden" in line
               for line in lines)
    assert not (letters / "build/newsletters/2020-01.txt").exists()


def test_broken_data_refuses_the_newsletter_rather_than_print_no_meeting(letters: Path) -> None:
    with (letters / "papers/events.yaml").open("a") as f:
        f.write("- a list item where an event should be\n")
    out = nsp(letters, "newsletter", "2020-01", "--paper", "small")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert any(line.startswith("papers/events.yaml:") and " E003 YAML syntax error" in line
               for line in out.stderr.splitlines())
    (letters / "papers/events.yaml").write_text((letters / "papers/events.yaml").read_text("utf-8")
                                               .replace("- a list item where an event should be\n", "")
                                               .replace("date: 2020-01-16", "date: 2020-02-30"), "utf-8")
    out = nsp(letters, "newsletter", "2020-01", "--paper", "small")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "papers/events.yaml:4: E007 'date': expected a date like 2020-04-30, found str '2020-02-30'" \
        in out.stderr.splitlines()


def test_a_killed_runs_temporaries_are_swept(letters: Path) -> None:
    folder = letters / "build" / "newsletters"
    folder.mkdir(parents=True)
    left = [folder / ".nsp-tmp-killed.pdf", folder / ".nsp-tmp-killed.txt"]
    for tmp in left:
        tmp.write_bytes(b"half")
    newsletter(letters)
    assert [tmp for tmp in left if tmp.exists()] == []


def test_a_writers_ids_cannot_meet_the_references(letters: Path) -> None:
    with (letters / "newsletters/2020-01.md").open("a") as f:
        f.write("\n## Sources {#ref-unodc2019}\n\nAs [above](#ref-unodc2019).\n")
    newsletter(letters)
    html = (letters / "build/newsletters/2020-01.html").read_text("utf-8")
    assert html.count('id="ref-unodc2019"') == 1  # the reference's own
    assert 'id="letter--ref-unodc2019"' in html and 'href="#letter--ref-unodc2019"' in html


def test_urdu_in_a_newsletter_reads_right_to_left(letters: Path) -> None:
    with (letters / "newsletters/2020-01.md").open("a") as f:
        f.write("\nThe roundtable's motto: [قانون کی حکمرانی]{lang=ur}.\n")
    newsletter(letters)
    html = (letters / "build/newsletters/2020-01.html").read_text("utf-8")
    assert '<span lang="ur" dir="rtl">قانون کی حکمرانی</span>' in html
