"""nsp site: the website as a reader and a browser see it — links, no scripts, the feed, consent, releases, drafts."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import html.parser
import importlib.util
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import types
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import MANUSCRIPT, NSP, REPO, git, nsp, write
from test_publish import published, release  # noqa: F401 - the fixture that publishes small 1.0

ATOM = "{http://www.w3.org/2005/Atom}"
NAMESPACES = re.compile(r"http://www\.w3\.org/[\w/.]+|http://www\.sitemaps\.org/schemas/[\w/.]+")
HAS_NEWSLETTER = importlib.util.find_spec("nsp.newsletter") is not None


class Page(html.parser.HTMLParser):
    """What a reader's browser would follow or load from a page, its landmarks, headings and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.lang = ""
        self.first_link = ""
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.urls += [v for k, v in a.items() if k in ("href", "src", "srcset", "poster", "data", "action")]
        if tag == "a" and not self.first_link:
            self.first_link = a.get("href", "")
        if tag == "html":
            self.lang = a.get("lang", "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in a:
            self.ids.add(a["id"])


def text_of(path: Path) -> str:
    """A page's text as a reader sees it: tags gone, entities read, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))).split())


def read(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    return page


def site_of(root: Path, *args: str) -> Path:
    out = nsp(root, "site", *args)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    return root / "build" / "site"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def web_editions(site: Path) -> set[Path]:
    """Pages nsp build wrote (a release's or a draft's web edition): the site copies them, it did not write them."""
    return {p for p in site.glob("releases/*/*.html") if p.name != "index.html"} | {
        p for p in site.glob("drafts/*/*.html") if p.name != "index.html"}


def assert_links_resolve(site: Path) -> None:
    """Every link or resource of every page is a file of the site (or a mailto:), relative, with no folder URLs."""
    for page in sorted(site.rglob("*.html")):
        parsed = read(page)
        for url in parsed.urls:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "data"):  # an address, or an image embedded in a web edition
                continue
            assert not parts.scheme and not parts.netloc and not url.startswith("/"), f"{page}: {url}"
            if not parts.path:
                assert parts.fragment in parsed.ids, f"{page}: {url} names no id of the page"
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)}: {url} is no file of the site"
            assert target.is_relative_to(site.resolve())
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in read(target).ids, f"{page}: {url}: no such id"


def assert_nothing_remote_or_scripted(site: Path) -> None:
    """No script anywhere; no http(s) URL in the pages the site writes. A web edition is the paper's text, whose
    chapters may link to sources on the web (a link to follow): it only loads nothing from elsewhere."""
    editions = web_editions(site)
    for path in sorted([*site.rglob("*.html"), *site.rglob("*.css")]):
        text = path.read_text("utf-8")
        assert not re.search(r"<script|javascript:|\son[a-z]+=\"", text, re.I), path
        if path in editions:
            assert not re.search(r"(src|srcset|poster)=\"(https?:)?//", text, re.I), f"{path} loads from the network"
        else:
            assert not re.search(r"https?://", NAMESPACES.sub("", text)), f"{path} names an http(s) URL"


@pytest.fixture(scope="module")
def manuscript_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped manuscript (and its newsletters, where they exist) with its site written once."""
    root = tmp_path_factory.mktemp("site")
    for name in dict.fromkeys((*MANUSCRIPT, "newsletters")):  # conftest may list newsletters/ already
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    git(root, "init", "-q")  # the newsletter reads progress from the history, as in the real repository
    git(root, "add", "-A")
    git(root, "commit", "-qm", "manuscript")
    site_of(root)
    return root


@pytest.fixture
def released_site(published: Path) -> Path:  # noqa: F811 - the fixture imported above
    site_of(published, "--paper", "small")
    return published


def test_the_manuscripts_site_links_only_to_its_own_files(manuscript_site: Path) -> None:
    site = manuscript_site / "build" / "site"
    assert {"index.html", "papers.html", "network.html", "contact.html", "newsletters/index.html", "site.css",
            "feed.xml", "sitemap.xml"} <= set(tree(site))
    assert_links_resolve(site)
    assert_nothing_remote_or_scripted(site)


def test_every_page_is_accessible_in_structure(manuscript_site: Path) -> None:
    for path in sorted((manuscript_site / "build" / "site").rglob("*.html")):
        page = read(path)
        assert page.lang == "en-GB", path
        assert {"header", "nav", "main", "footer"} <= set(page.tags), path
        assert page.first_link == "#main" and "main" in page.ids, path
        assert page.headings[0] == 1 and page.headings.count(1) == 1, path
        if path.parent.name == "newsletters" and path.name != "index.html":
            continue  # an issue's own headings are the newsletter's: one level under the page's title
        assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:])), f"{path}: {page.headings}"


def test_someone_who_did_not_agree_is_named_nowhere(manuscript_site: Path) -> None:
    people = (REPO / "papers" / "people.yaml").read_text()
    assert re.search(r"zubair-hashmi:\n  name: Zubair Hashmi\n(.+\n)*?  public: false", people)  # the premise
    site = manuscript_site / "build" / "site"
    for path in sorted(site.rglob("*")):
        if path.is_file():
            text = path.read_text("utf-8")
            assert not re.search(r"zubair\s+hashmi|zubair-hashmi", text, re.I), path
    network = (site / "network.html").read_text()
    assert "Kamran Baig" in network and "Federal Investigation Agency (FIA)" in network  # his organization is there
    assert "Ayesha Siddiqa Khan" in network  # a stakeholder who agreed
    assert "participant not named" in network  # the roundtable counts him without naming him


def test_drafts_name_nobody_who_did_not_agree_either(manuscript_site: Path, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(manuscript_site, root, ignore=shutil.ignore_patterns("build"))
    site = site_of(root, "--drafts")
    editions = web_editions(site)
    assert {p.name for p in editions} == {"national-strategy.html", "terror-financing.html", "drug-trafficking.html",
                                          "human-trafficking.html", "cyber-crime.html"}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            assert not re.search(r"zubair\s+hashmi|zubair-hashmi", path.read_text("utf-8"), re.I), path
    national = text_of(site / "drafts" / "national-strategy" / "national-strategy.html")
    assert "Stakeholders Consulted" in national and "Kamran Baig" in national  # the annex, by consent
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().findall(".//{*}loc")]
    assert "drafts/national-strategy/national-strategy.html" in locs and "drafts/national-strategy/index.html" in locs
    assert_links_resolve(site)
    assert_nothing_remote_or_scripted(site)


def test_the_network_page_shows_meetings_with_what_was_decided(manuscript_site: Path) -> None:
    text = text_of(manuscript_site / "build" / "site" / "network.html")
    assert "First stakeholders' roundtable 22 Nov 2019 · Islamabad · roundtable · chaired by Muhammad Amir Rana" in text
    assert "The National Strategy Paper is due within five months of this meeting, by 22 April 2020." in text
    assert "Naveed Akhtar Director, research National Police Bureau" in text  # name, role, affiliation


def test_home_and_contact_come_from_the_manifest(manuscript_site: Path) -> None:
    site = manuscript_site / "build" / "site"
    home = text_of(site / "index.html")
    assert "National Strategy Paper Countering Organized Crime in Pakistan" in home
    assert "Terror Financing Led by Tariq Parvez" in home and "Cyber Crime Led by Fasih Zaka" in home
    assert "22 Apr 2020 The paper published" in home
    contact = (site / "contact.html").read_text()
    assert "c/o Pak Institute for Peace Studies (PIPS), Islamabad, Pakistan" in contact
    assert 'href="mailto:secretariat@nioc.example.pk"' in contact


def test_the_feed_is_atom_dated_from_the_data(manuscript_site: Path) -> None:
    feed = ET.parse(manuscript_site / "build" / "site" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for tag in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag
        link = entry.find(f"{ATOM}link")
        assert link is not None and (manuscript_site / "build" / "site" / link.get("href", "")).is_file()
    months = sorted(p.stem for p in (manuscript_site / "newsletters").glob("*.md")) if HAS_NEWSLETTER else []
    assert len(entries) == len(months)
    updated = feed.findtext(f"{ATOM}updated")
    assert updated == (max(e.findtext(f"{ATOM}updated") or "" for e in entries) if entries else "2020-04-30T00:00:00Z")


@pytest.mark.skipif(not HAS_NEWSLETTER, reason="the newsletter (nsp.newsletter) is not part of this nsp yet")
def test_each_newsletter_has_a_page_in_the_archive(manuscript_site: Path) -> None:
    site = manuscript_site / "build" / "site"
    months = sorted(p.stem for p in (manuscript_site / "newsletters").glob("*.md"))
    assert months, "the manuscript has newsletters"
    archive = (site / "newsletters" / "index.html").read_text()
    for month in months:
        assert f'href="{month}.html"' in archive
        assert (site / "newsletters" / f"{month}.txt").is_file()
    home = (site / "index.html").read_text()
    assert f'href="newsletters/{months[-1]}.html"' in home  # the latest issue


@dataclass(frozen=True)
class StandIn:
    """An edition as nsp.newsletter.render returns one (issue 15's interface), for the test below."""

    month: str
    number: int
    title: str
    date: dt.date
    summary: str
    html: str
    text: str


def test_newsletters_make_the_archive_the_pages_and_the_feed(manuscript_site: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, with a stand-in for nsp.newsletter: what the site makes of the issues it is given."""
    from nsp.diagnostics import NspError
    from nsp.site.make import make_site

    def render(project: object, month: str) -> StandIn:
        number = int(month[-2:])
        if month == "2020-03":
            raise NspError("newsletter 2020-03 refused: 1 error (`nsp newsletter 2020-03` lists it)")
        return StandIn(month, number, f"Newsletter No. {number} <b>", dt.date(2020, number, 28), f"Summary {month} &",
                       f"<!DOCTYPE html><html><head><title>x</title></head><body style='margin:0'><h1>Issue {number}"
                       f"</h1><table role='presentation'><tr><td><h2>Events</h2><p>Text {month}</p></td></tr></table>"
                       "</body></html>", f"Issue {number}\n")

    stand_in = types.SimpleNamespace(issues=lambda root: ["2020-01", "2020-02", "2020-03"], render=render)
    monkeypatch.setitem(sys.modules, "nsp.newsletter.edition", stand_in)
    root = tmp_path / "copy"
    shutil.copytree(manuscript_site, root, ignore=shutil.ignore_patterns("build", "newsletters"))
    result = make_site(root, "national-strategy")
    site = root / "build" / "site"
    assert result.folder == site and result.pages == 7  # five, and two issues: March's draft is left out
    assert result.warnings == ["newsletters/2020-03.md: left out of the site until it can be made: newsletter 2020-03 "
                               "refused: 1 error (`nsp newsletter 2020-03` lists it)"]
    page = (site / "newsletters" / "2020-02.html").read_text()
    assert "<title>Newsletter No. 2 &lt;b&gt; — " in page  # data is text
    assert "<h2>Issue 2</h2>" in page and "<h3>Events</h3>" in page and "<p>Text 2020-02</p>" in page
    assert read(site / "newsletters" / "2020-02.html").headings == [1, 2, 3]
    assert (site / "newsletters" / "2020-02.txt").read_text() == "Issue 2\n"
    assert 'href="newsletters/2020-02.html"' in (site / "index.html").read_text()  # the latest, on the home page
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "2020-02-28T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newsletter No. 2 <b>", "Newsletter No. 1 <b>"]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [  # type: ignore[union-attr]
        "newsletters/2020-02.html", "newsletters/2020-01.html"]
    assert entries[0].findtext(f"{ATOM}summary") == "Summary 2020-02 &"
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 2
    assert_links_resolve(site)
    assert_nothing_remote_or_scripted(site)


def test_the_same_inputs_make_the_same_bytes(manuscript_site: Path) -> None:
    site = manuscript_site / "build" / "site"
    before = tree(site)
    site_of(manuscript_site)
    assert tree(site) == before


def test_a_base_url_makes_feed_and_sitemap_absolute_and_nothing_else(manuscript_site: Path, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(manuscript_site, root, ignore=shutil.ignore_patterns("build"))
    site = site_of(root, "--base-url", "https://nioc.example.pk/site")
    locs = [e.text or "" for e in ET.parse(site / "sitemap.xml").getroot().findall(".//{*}loc")]
    assert locs[0] == "https://nioc.example.pk/site/index.html" and all(u.startswith("https://") for u in locs)
    assert 'href="https://nioc.example.pk/site/feed.xml"' in (site / "feed.xml").read_text()
    assert_nothing_remote_or_scripted(site)
    bad = nsp(root, "site", "--base-url", "nioc.example.pk")
    assert bad.returncode == 2 and "must be an http:// or https:// address" in bad.stderr


def test_a_published_release_appears_with_its_checksums(released_site: Path) -> None:
    site = released_site / "build" / "site"
    manifest = json.loads((release(released_site) / "manifest.json").read_text())
    page = (site / "releases" / "small-1.0" / "index.html").read_text()
    for name, digest in manifest["outputs"].items():
        assert f"<td>{name}</td><td><code>{digest.removeprefix('sha256:')}</code></td>" in page
        copied = site / "releases" / "small-1.0" / name
        assert "sha256:" + hashlib.sha256(copied.read_bytes()).hexdigest() == digest  # the released bytes
    for label, name in (("Web edition", "small.html"), ("PDF", "small.pdf"), ("Word", "small.docx")):
        assert f'<a href="{name}">{label}</a>' in page
    home = (site / "index.html").read_text()
    assert ('<a href="releases/small-1.0/index.html">Version 1.0</a>, <time datetime="2020-02-01">1 Feb 2020</time>'
            in home)
    assert_links_resolve(site)
    assert_nothing_remote_or_scripted(site)
    assert "DRAFT" not in "".join(p.read_text() for p in site.rglob("*.html") if p not in web_editions(site))


def test_a_release_changed_after_publishing_is_left_out_with_a_warning(released_site: Path) -> None:
    pdf = release(released_site) / "small.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    out = nsp(released_site, "site", "--paper", "small")
    assert out.returncode == 0, out.stderr
    assert ("nsp: warning: build/releases/small-1.0: left out of the site: small.pdf: its checksum differs from the "
            "manifest: the file was changed after release (`nsp verify build/releases/small-1.0` lists every "
            "difference)") in out.stderr.splitlines()
    site = released_site / "build" / "site"
    assert not (site / "releases").exists() and "small-1.0" not in (site / "index.html").read_text()


def assert_refused(root: Path, before: dict[str, str], first: str) -> None:
    """`nsp site` fails with `first` at the start of its message, and build/site is as it was, nothing left aside."""
    out = nsp(root, "site", "--paper", "small")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith(first), out.stderr
    site = root / "build" / "site"
    assert tree(site) == before
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site-")]


def test_a_failed_build_leaves_the_previous_site(released_site: Path) -> None:
    site = released_site / "build" / "site"
    before = tree(site)
    template = released_site / "templates" / "site" / "network.html.j2"
    template.write_text(template.read_text().replace("{% endblock %}", "{% endblok %}"))
    assert_refused(released_site, before, "nsp: templates/site/network.html.j2:")


def test_a_site_a_killed_build_left_aside_comes_back(small_paper: Path) -> None:
    site = site_of(small_paper, "--paper", "small")
    before = tree(site)
    site.rename(site.parent / ".site-old-999")  # killed between its two renames: no build/site, the old one aside
    template = small_paper / "templates" / "site" / "home.html.j2"
    template.write_text(template.read_text().replace("{% block main %}", "{% block main %}{{ nothing_of_the_sort }}"))
    assert_refused(small_paper, before, "nsp: templates/site/home.html.j2: 'nothing_of_the_sort' is undefined")


def test_a_meeting_that_names_someone_without_consent_refuses_the_site(released_site: Path) -> None:
    site = released_site / "build" / "site"
    before = tree(site)
    write(released_site, "papers/events.yaml", """
        board-2020-01:
          title: First meeting
          kind: meeting
          date: 2020-01-10
          place: Islamabad
          attendance: [lee]
          decisions:
            - Ana Private presents the chapter.
        """)
    people = released_site / "papers" / "people.yaml"
    people.write_text(people.read_text() + "pat:\n  name: Ana Private\n  role: Guest\n  group: stakeholder\n")
    out = nsp(released_site, "site", "--paper", "small")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert ("papers/events.yaml:1: P406 event 'board-2020-01' names Ana Private, who has not agreed to be named "
            "(no public: true in papers/people.yaml): write their role instead") in out.stderr.splitlines()
    assert tree(site) == before


def test_drafts_appear_only_with_drafts_and_are_marked(small_paper: Path) -> None:
    site = site_of(small_paper, "--paper", "small")
    assert not (site / "drafts").exists()
    assert "DRAFT" not in "".join(p.read_text() for p in site.rglob("*.html"))
    site = site_of(small_paper, "--paper", "small", "--drafts")
    page = (site / "drafts" / "small" / "index.html").read_text()
    assert "<title>DRAFT — DRAFT — Small Paper" not in page and "<title>DRAFT — Small Paper" in page
    assert 'class="draft-banner"' in page and '<a href="small.html">Read the draft web edition</a>' in page
    edition = (site / "drafts" / "small" / "small.html").read_text()
    assert "<title>DRAFT — Small Paper" in edition and "DRAFT — the manuscript as it stands" in edition
    assert "First Chapter" in text_of(site / "drafts" / "small" / "small.html")
    assert 'href="drafts/small/index.html"' in (site / "papers.html").read_text()
    assert_links_resolve(site)
    assert_nothing_remote_or_scripted(site)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # 127.0.0.1: this machine only
        return str(response.read().decode("utf-8"))


def test_serve_rebuilds_on_change_and_stops_on_ctrl_c(small_paper: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([NSP, "site", "--paper", "small", "--serve", "--port", str(port)], cwd=small_paper,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/index.html"
        deadline = time.monotonic() + 60
        page = ""
        while time.monotonic() < deadline and "Small Paper" not in page:
            time.sleep(0.3)
            try:
                page = _get(url)
            except OSError:
                continue
        assert "Small Paper" in page
        manifest = small_paper / "papers" / "small.yaml"
        manifest.write_text(manifest.read_text().replace('title: "Small Paper"', 'title: "Renamed Paper"'))
        while time.monotonic() < deadline and "Renamed Paper" not in page:
            time.sleep(0.3)
            page = _get(url)
        assert "Renamed Paper" in page
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Traceback" not in err
    assert out.splitlines()[-1] == "stopped" and "changed: papers/small.yaml" in out


def _screenshot(tmp_path: Path, page: Path) -> bytes:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    png = tmp_path / f"{page.stem}.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={png}",
                    "--window-size=1200,1600", page.as_uri()], capture_output=True, timeout=120, check=False)
    assert png.is_file(), "chromium wrote no screenshot"
    return png.read_bytes()


@pytest.mark.parametrize("name", ["index.html", "network.html"])
def test_a_browser_draws_the_page(manuscript_site: Path, tmp_path: Path, name: str) -> None:
    png = _screenshot(tmp_path, manuscript_site / "build" / "site" / name)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1200, 1600)
    # A blank page compresses to a few kilobytes; text, the green masthead and the cards take far more.
    assert len(png) > 50_000, len(png)


def test_an_issue_on_the_site_is_never_dropped_silently(manuscript_site: Path, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(manuscript_site, root)
    site = root / "build" / "site"
    before = tree(site)
    with (root / "newsletters" / "2020-01.md").open("a") as f:
        f.write("\nWe thank Hashmi, Zubair, of the FIA.\n")
    out = nsp(root, "site")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert any(" P406 names Zubair Hashmi, who has not agreed to be named" in line for line in lines)
    assert lines[-1] == ("newsletters/2020-01.md: the site shows this issue, and it can no longer be made: fix the "
                         "problems above, or take it off the site by deleting the file")
    assert tree(site) == before  # the issue stays on the site, and its old text with it
    # A new month's draft that cannot be made yet is only left out, with its problem named.
    (root / "newsletters" / "2020-01.md").write_text((REPO / "newsletters" / "2020-01.md").read_text("utf-8"))
    shutil.copy(REPO / "newsletters" / "2019-12.md", root / "newsletters" / "2020-02.md")
    with (root / "newsletters" / "2020-02.md").open("a") as f:
        f.write("\nTODO the February text.\n")
    out = nsp(root, "site")
    assert out.returncode == 0, out.stderr
    assert "newsletters/2020-02.md: left out of the site until it can be made: newsletters/2020-02.md:" in out.stderr
    assert not (site / "newsletters" / "2020-02.html").exists() and (site / "newsletters" / "2020-01.html").exists()


def test_port_without_serve_is_a_usage_error(small_paper: Path) -> None:
    out = nsp(small_paper, "site", "--paper", "small", "--port", "8123")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.splitlines()[-1] == "Error: --port is the port --serve uses: add --serve, or leave --port out"
    assert not (small_paper / "build" / "site").exists()
