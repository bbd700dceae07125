"""Releases: the strict gate, the release folder, reproducibility, verification, the web edition."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import MANUSCRIPT, REPO, git, run_in, write


def release(root: Path, version: str = "1.0") -> Path:
    return root / "build" / "releases" / f"small-{version}"


@pytest.fixture
def published(small_paper: Path) -> Path:
    result = run_in(small_paper, ["publish", "1.0", "--paper", "small", "--date", "2020-02-01"])
    assert result.exit_code == 0, result.output
    return small_paper


def test_publish_refuses_the_shipped_manuscript_and_lists_why(tmp_path: Path) -> None:
    for name in MANUSCRIPT:
        shutil.copytree(REPO / name, tmp_path / name)
    result = run_in(tmp_path, ["publish", "1.0"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "human_trafficking/02-borders-and-trust.md:2: R304 not yet approved (draft); waiting for Tariq Khosa, "
        "Akhtar Ali Shah"
        in lines
    )
    assert any(" R302 approval by Tariq Parvez on 2020-02-10" in line for line in lines)
    assert any(" R303 Tariq Parvez requested changes on 2020-03-02" in line for line in lines)
    assert (
        "terror_financing/reviews.yaml: R313 this folder is not in a git repository: no review record can be traced "
        "to who committed it; keep the paper in git" in lines
    )  # a copy without its history proves no sign-off
    assert re.match(
        r"nsp: not published: \d+ findings must be resolved first", lines[-1]
    )  # the count moves with the rules
    assert not (tmp_path / "build" / "releases").exists() or not list((tmp_path / "build" / "releases").iterdir())


def test_release_folder_and_manifest(published: Path) -> None:
    folder = release(published)
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "small.docx", "small.html", "small.pdf"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["version"] == "1.0" and manifest["date"] == "2020-02-01"
    assert set(manifest["outputs"]) == {"small.pdf", "small.docx", "small.html"}
    assert {"alpha/01-first.md", "alpha/reviews.yaml", "papers/references.bib", "templates/typst/nsp.typ"} <= set(
        manifest["sources"]
    )
    first = next(c for c in manifest["chapters"] if c["path"] == "alpha/01-first.md")
    added = git(published, "log", "-1", "--format=%H", "--", "alpha/reviews.yaml").strip()  # the lead's own commit
    assert first["approvals"] == [{"reviewer": "lee", "name": "Lee Lead", "date": "2020-01-15", "commit": added}]
    assert first["revision"].startswith("sha256:")
    assert set(manifest["tools"]) == {"nsp", "pandoc", "typst", "python"}


def test_released_pdf_is_final_tagged_and_signed_off(published: Path) -> None:
    reader = PdfReader(release(published) / "small.pdf")
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "DRAFT" not in text and "Review Status" not in text
    assert "Version 1.0" in reader.pages[0].extract_text()
    assert "Colophon" in text and "Lee Lead" in text.split("Colophon")[-1]
    root = reader.root_object
    assert "/StructTreeRoot" in root  # tagged
    assert str(root["/Lang"]).startswith("en")
    assert reader.metadata is not None and reader.metadata.title == "Small Paper"


def test_publishing_twice_from_two_clean_copies_is_byte_identical(published: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(published, copy, ignore=shutil.ignore_patterns("build"))
    assert run_in(copy, ["publish", "1.0", "--paper", "small", "--date", "2020-02-01"]).exit_code == 0
    first = json.loads((release(published) / "manifest.json").read_text())
    second = json.loads((release(copy) / "manifest.json").read_text())
    assert first["outputs"] == second["outputs"]
    assert (release(published) / "manifest.json").read_bytes() == (release(copy) / "manifest.json").read_bytes()


def test_a_release_is_never_overwritten(published: Path) -> None:
    before = {p.name: p.read_bytes() for p in release(published).iterdir()}
    result = run_in(published, ["publish", "1.0", "--paper", "small"])
    assert result.exit_code == 1
    assert result.output.strip() == ("nsp: build/releases/small-1.0 already exists: a release is never overwritten; "
                                     "choose a new version")
    assert {p.name: p.read_bytes() for p in release(published).iterdir()} == before


def test_verify_catches_a_flipped_byte_and_sources_moving_on(published: Path) -> None:
    folder = release(published)
    ok = run_in(published, ["verify", str(folder)])
    assert ok.exit_code == 0 and ok.output.strip().endswith("every output matches its manifest")

    chapter = published / "alpha" / "01-first.md"
    chapter.write_text(chapter.read_text() + "\nA later edit.\n")
    moved = run_in(published, ["verify", str(folder)])
    assert moved.exit_code == 0
    assert "moved on alpha/01-first.md: changed since the release" in moved.output

    pdf = folder / "small.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    tampered = run_in(published, ["verify", str(folder)])
    assert tampered.exit_code == 1
    assert (
        "TAMPERED small.pdf: its checksum differs from the manifest: the file was changed after release"
        in tampered.output
    )


class Page(html.parser.HTMLParser):
    """Collects ids, in-page links and script tags of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.links.append((a["href"] or "")[1:])
        self.scripts += tag == "script"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_web_edition_is_whole_self_contained_and_linked(published: Path) -> None:
    source = (release(published) / "small.html").read_text()
    page = Page()
    page.feed(source)
    text = " ".join(" ".join(page.text).split())
    assert "First Chapter" in text and "Second Chapter" in text
    assert "Reviewers: Lee Lead (theme lead, approved 15 Jan 2020) · Status: approved" in text
    citations = re.findall(r'href="#(ref-[^"]+)"', source)
    assert {"ref-unodc2019", "ref-smith2010"} <= set(citations)
    assert all(link in page.ids for link in page.links), "an in-page link leads nowhere"
    assert page.scripts == 0 and "http://" not in source.replace("http://www.w3.org", "")
    assert 'href="small.pdf"' in source and 'href="small.docx"' in source
    assert '<html lang="en-GB">' in source


def test_raw_html_never_reaches_the_web_edition(small_paper: Path) -> None:
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + "outputs: [html]\n")
    write(small_paper, "alpha/01-first.md", '---\ntitle: "First"\nauthors: [ana]\n---\n\n## Context\n\n'
          '<script>alert("INJECTED")</script> <img src=x onerror=alert(1)> [x]{onclick="alert(2)"} [@unodc2019]\n')
    result = run_in(small_paper, ["build", "--paper", "small", "--force"])
    assert result.exit_code == 0, result.output
    source = (small_paper / "build" / "small.html").read_text()
    assert "<script" not in source and "onerror" not in source and "onclick" not in source and "INJECTED" not in source
