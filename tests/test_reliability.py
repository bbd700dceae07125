"""Every case of docs/reliability.md: a clear message with file and line, a non-zero exit,
no traceback, build/ exactly as it was, nothing left behind, and nothing read or fetched
from outside the repository."""

from __future__ import annotations

import errno
import http.server
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import MANUSCRIPT, REPO, context_chapter, pdf_text, refused, run_in, snapshot, write
from nsp.infra import pandoc

FIRST = "alpha/01-first.md"


def forced_pdf_text(root: Path) -> str:
    result = run_in(root, ["build", "--paper", "small", "--force"])
    assert result.exit_code == 0, result.output
    return pdf_text(root / "build" / "small.pdf")


# 1 and 2: raw content, by every route
def test_raw_typst_block_and_inline(built: Path) -> None:
    write(built, FIRST, context_chapter('```{=typst}\n#text[INJECTED-BLOCK] #read("/etc/passwd")\n```\n\n'
                                'Inline `#text[INJECTED-INLINE]`{=typst} here [@unodc2019].'))
    refused(
        built,
        """alpha/01-first.md:9: A505 raw typst content '#text[INJECTED-BLOCK] #read("/etc/pas...' is not """
        """allowed; write it in Markdown""",
    )
    text = forced_pdf_text(built)
    assert "INJECTED" not in text and "root:" not in text


def test_raw_openxml_and_html(built: Path) -> None:
    write(built, FIRST, context_chapter('```{=openxml}\n<w:p><w:r><w:t>INJECTED-XML</w:t></w:r></w:p>\n```\n\n'
                                '<script>alert("INJECTED-HTML")</script> [@unodc2019]'))
    out = refused(
        built,
        "alpha/01-first.md:9: A505 raw openxml content '<w:p><w:r><w:t>INJECTED-XML</w:t></w:...' is not "
        "allowed; write it in Markdown",
    )
    assert "A505 raw html content '<script>alert(" in out
    run_in(built, ["build", "--paper", "small", "--force"])
    body = docx.Document(str(built / "build" / "small.docx")).element.body.xml
    assert "INJECTED-XML" not in body and "<script>" not in body


def test_attributes_the_typst_writer_passes_through(built: Path) -> None:
    write(
        built, FIRST, context_chapter('[Look]{typst:text:fill="red, size: 40pt) + text(\\"INJECTED\\""} [@unodc2019].')
    )
    refused(
        built,
        """alpha/01-first.md:8: A506 attribute 'typst:text:fill=red, size: 40pt) + text("INJECTED"' is not """
        """allowed; only width, height, lang (a language tag such as ur) and dir (rtl or ltr) are""",
    )
    forced_pdf_text(built)
    source = (built / "build" / ".staging" / "small" / "paper.typ").read_text()
    assert "INJECTED" not in source and "40pt" not in source


def test_raw_allowed_only_on_the_secretariats_pages(built: Path) -> None:
    manifest = built / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + "allow_raw: [typst]\nfront_matter: [small/notice.md]\n")
    write(built, "papers/small/notice.md", '---\ntitle: "Notice"\nauthors: [lee]\n---\n\n`#text[OWN-RAW]`{=typst}\n')
    write(built, FIRST, context_chapter("`#text[CHAPTER-RAW]`{=typst} [@unodc2019]"))
    text = forced_pdf_text(built)
    assert "OWN-RAW" in text and "CHAPTER-RAW" not in text


# 3, 4, 5: images and links
@pytest.mark.parametrize(
    ("image", "line"),
    [
        (
            "/etc/hostname",
            "alpha/01-first.md:8: A502 image '/etc/hostname' is an absolute path; give it relative to the "
            "chapter, e.g. figures/x.png",
        ),
        (
            "../../../../etc/hostname",
            "alpha/01-first.md:8: A502 image '../../../../etc/hostname' climbs out of the repository; keep "
            "figures inside it",
        ),
        ("figures/fake.png", "alpha/01-first.md:8: A504 'figures/fake.png' is not a PNG, JPEG, GIF or SVG image, "
                             "nor a typst figure source (.typ)"),
    ],
)
def test_images_the_build_may_not_read(built: Path, image: str, line: str) -> None:
    write(built, "alpha/figures/fake.png", "root:x:0:0:this is text, not an image\n")
    write(built, FIRST, context_chapter(f"![Map.]({image}) [@unodc2019]"))
    refused(built, line)
    text = forced_pdf_text(built)
    assert "figure not available" in text and "root:x" not in text


def test_symlink_out_of_the_repository(built: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    shutil.copy(REPO / "tests" / "golden" / "assets" / "alpha" / "figures" / "ok.png", outside)
    (built / "alpha" / "figures").mkdir()
    (built / "alpha" / "figures" / "link.png").symlink_to(outside)
    write(built, FIRST, context_chapter("![Map.](figures/link.png) [@unodc2019]"))
    refused(
        built,
        "alpha/01-first.md:8: A502 image 'figures/link.png' leads outside the repository (through a symbolic link)",
    )


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request made to it."""
    seen: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", seen
    httpd.shutdown()


def test_remote_resources_are_never_fetched(built: Path, server: tuple[str, list[str]]) -> None:
    url, seen = server
    write(built, FIRST, context_chapter(f"![Map.]({url}/map.png) and [a link]({url}/page) [@unodc2019]"))
    refused(
        built,
        f"alpha/01-first.md:8: A503 image '{url}/map.png' is remote; save it in the theme's figures/ folder and "
        "link to the file",
    )
    text = forced_pdf_text(built)
    assert "figure not available" in text
    assert seen == []


def test_unsafe_link_schemes(built: Path) -> None:
    write(built, FIRST, context_chapter("[Open](javascript:alert(1)) and [file](file:///etc/passwd) [@unodc2019]"))
    out = refused(
        built, "alpha/01-first.md:8: A507 link 'javascript:alert(1)' is not allowed; links may use http, https, mailto"
    )
    assert "A507 link 'file:///etc/passwd' is not allowed" in out


# 7, 8: bibliographies
def test_same_key_with_different_content(built: Path) -> None:
    write(
        built,
        "alpha/references.bib",
        "@book{smith2010,\n  author = {Smith, John},\n  title = {Other},\n  publisher = {P},\n  year = {2011},\n}\n",
    )
    refused(
        built,
        "alpha/references.bib:1: C203 key 'smith2010' is also in papers/references.bib:7 with different "
        "content; rename one",
    )


@pytest.mark.parametrize(
    ("bib", "line"),
    [
        (
            "@book{a1,\n  title = {Unclosed,\n  year = {2000},\n}\n",
            "alpha/references.bib:1: C205 this entry cannot be parsed: check for an unclosed brace or a missing comma",
        ),
        (
            "@book{a2,\n  title = ,\n  year = {2000},\n}\n",
            "alpha/references.bib:1: C205 field 'title' of a2 has no value; give it one or remove it",
        ),
        (
            "@book{a3,\n  title = {A},\n  title = {B},\n  year = {2000},\n}\n",
            "alpha/references.bib:1: C205 entry has the field title twice; keep one",
        ),
    ],
)
def test_broken_bib_entries(built: Path, bib: str, line: str) -> None:
    write(built, "alpha/references.bib", bib)
    refused(built, line)


# 9: encodings and sizes
def test_bom_and_crlf_build_and_keep_line_numbers(built: Path) -> None:
    text = context_chapter("Opium moves west [@unodc2019].\n\nAnd see @smith2099.")
    (built / FIRST).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    refused(
        built, "alpha/01-first.md:10: C201 citation 'smith2099' is not in any bibliography (did you mean 'smith2010'?)"
    )
    write(built, FIRST, "")
    (built / FIRST).write_bytes(
        b"\xef\xbb\xbf" + context_chapter("Opium moves west [@unodc2019].").replace("\n", "\r\n").encode()
    )
    assert run_in(built, ["build", "--paper", "small", "--force"]).exit_code == 0


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (
            "Caf\xe9".encode("latin-1"),
            "alpha/01-first.md:9: E002 byte 0xe9 at column 4 is not UTF-8; save the file as UTF-8",
        ),
        (b"A\0B", "alpha/01-first.md:9: E002 file contains a NUL byte; it is not a text file, or it is damaged"),
    ],
)
def test_not_text(built: Path, data: bytes, line: str) -> None:
    (built / FIRST).write_bytes(context_chapter("").encode() + data)
    refused(built, line)


def test_fifty_megabytes_are_refused_before_pandoc(built: Path) -> None:
    with open(built / FIRST, "wb") as f:
        f.write(context_chapter("").encode())
        f.truncate(50 * 2**20)
    refused(built, "alpha/01-first.md: E005 file is 52.4 MB, over the 5 MiB limit; split it or remove pasted data")


# 10: YAML
@pytest.mark.parametrize(
    ("theme_yaml", "line"),
    [
        ("", "alpha/theme.yaml: E007 theme.yaml must be a mapping of keys to values, found an empty file"),
        ("- title: Alpha\n", "alpha/theme.yaml:1: E007 theme.yaml must be a mapping of keys to values, found a list"),
        (
            "title: 2020-01-01\nchapters: [01-first.md]\n",
            "alpha/theme.yaml:1: E007 'title': expected text, found a date; put it in quotes",
        ),
    ],
)
def test_yaml_shapes(built: Path, theme_yaml: str, line: str) -> None:
    write(built, "alpha/theme.yaml", theme_yaml)
    refused(built, line)


# 14: chapter order is the theme's, never the file names'
def test_chapter_order_follows_the_theme_file(built: Path) -> None:
    write(built, "alpha/02-x.md", context_chapter("Two [@unodc2019].", title="Chapter Two X"))
    write(built, "alpha/10-y.md", context_chapter("Ten [@smith2010].", title="Chapter Ten Y"))
    write(
        built,
        "alpha/theme.yaml",
        'title: "Alpha Theme"\nlead: lee\nresearchers: [ana]\nchapters: [10-y.md, 02-x.md, 01-first.md, '
        '02-second.md]\n',
    )
    text = forced_pdf_text(built)
    assert text.index("1 Chapter Ten Y") < text.index("2 Chapter Two X") < text.index("3 First Chapter")


# 15: a typst error is traced to its chapter
def test_typst_error_names_the_page_and_quotes_it(built: Path) -> None:
    manifest = built / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + "allow_raw: [typst]\nfront_matter: [small/notice.md]\n")
    write(
        built,
        "papers/small/notice.md",
        '---\ntitle: "Notice"\nauthors: [lee]\n---\n\nFine text.\n\n`#unknown-function(1)`{=typst}\n',
    )
    before = snapshot(built)
    result = run_in(built, ["build", "--paper", "small"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "nsp: papers/small/notice.md: typst could not typeset this text: unknown variable: unknown-function, "
        "near «#unknown-function(1)»; rephrase the passage, and report it: nsp should have escaped it")
    assert snapshot(built) == before


# Bounded work: a chapter that makes pandoc run away is named
def test_pandoc_timeout_names_the_chapter(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(built, "alpha/02-second.md", context_chapter(("word " * 200 + "\n\n") * 800, title="Second Chapter"))
    write(built, FIRST, context_chapter("Changed, so both are parsed again [@unodc2019]."))
    monkeypatch.setattr(pandoc, "TIMEOUT_S", 1.0)
    before = snapshot(built)
    result = run_in(built, ["build", "--paper", "small"])
    assert result.exit_code == 1
    # A finding about that chapter alone (the other is read as usual), and the build is refused.
    assert ("alpha/02-second.md: E016 pandoc took longer than 1 s reading this chapter (limits: seconds, "
            "seconds_per_mb); look for long runs of '[', deeply nested lists or quotes, or a huge table"
            ) in result.output.splitlines(), result.output
    assert snapshot(built) == before


# 16: killed in the middle
def _start_build(root: Path) -> subprocess.Popen[bytes]:
    nsp_cmd = str(Path(sys.executable).with_name("nsp"))
    # A session of its own, so that killing its process group spares the test runner.
    return subprocess.Popen([nsp_cmd, "build"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.fixture
def manuscript_copy(tmp_path: Path) -> Path:
    root = tmp_path / "manuscript"
    for name in MANUSCRIPT:
        shutil.copytree(REPO / name, root / name)
    assert run_in(root, ["build"]).exit_code == 0
    return root


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_build_keeps_old_outputs_and_the_next_one_cleans_up(manuscript_copy: Path, sig: signal.Signals) -> None:
    root = manuscript_copy
    before = snapshot(root)
    chapter_path = root / "terror_financing" / "01-channels.md"
    chapter_path.write_text(chapter_path.read_text() + "\nA sentence added after the last build.\n")
    proc = _start_build(root)
    deadline = time.monotonic() + 60
    while not list((root / "build").glob(".nsp-tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.005)  # wait until an output is being written: the worst moment to die
    if sig == signal.SIGKILL:
        os.killpg(proc.pid, sig)  # nsp and its pandoc and typst children, all at once, as a crash would
    else:
        proc.send_signal(sig)  # Ctrl-C reaches nsp; it must stop cleanly
    out, _ = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "Traceback" not in out.decode(), out.decode()
    assert snapshot(root) == before
    result = run_in(root, ["build"])
    assert result.exit_code == 0, result.output
    assert not list((root / "build").glob(".nsp-tmp-*"))
    assert snapshot(root) != before
    assert "A sentence added after the last build." in " ".join(
        p.extract_text() for p in PdfReader(root / "build" / "national-strategy.pdf").pages)


# 17: two builds at once: tests/test_pinned.py::test_the_build_lock_fails_fast_waits_and_is_freed_when_its_holder_dies


# 18: a read-only build folder, a full disk
@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")]
)
def test_unwritable_build_folder(built: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str) -> None:
    write(built, FIRST, context_chapter("A change to build [@unodc2019]."))

    def no_room(*_: object, **__: object) -> tuple[int, str]:
        raise OSError(code, os.strerror(code), str(built / "build"))

    monkeypatch.setattr(tempfile, "mkstemp", no_room)  # the module nsp.infra.atomic uses
    before = snapshot(built)
    result = run_in(built, ["build", "--paper", "small"])
    assert result.exit_code == 1
    assert (
        result.output.strip().splitlines()[-1]
        == f"nsp: {words} ({built / 'build'}); previous outputs were left as they were"
    )
    assert snapshot(built) == before


def test_typst_timeout_is_a_clear_error(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nsp.render import pdf as render

    write(built, FIRST, context_chapter("A change to build [@unodc2019]."))
    monkeypatch.setattr(render, "TYPST_TIMEOUT_S", 0.01)
    before = snapshot(built)
    result = run_in(built, ["build", "--paper", "small"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "nsp: typst took longer than 0.01 s to set the PDF (limits: seconds, seconds_per_mb); look for very "
        "large images, huge paragraphs or tables, or thousands of citations; previous outputs were kept")
    assert snapshot(built) == before
