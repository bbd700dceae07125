"""Inputs that used to hang or crash every command (issue 10, items 10-12), and children that outlived nsp
(item 16): each is refused by `nsp check` with file and line before a build starts, through the installed
command; build/ stays byte-identical; no Traceback."""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pytest

from conftest import NSP, context_chapter, nsp, snapshot, write

FIRST = "alpha/01-first.md"
GOLDEN = Path(__file__).parent / "golden"


def set_limits(root: Path, **limits: int) -> None:
    manifest = root / "papers" / "small.yaml"
    text = manifest.read_text() + "limits:\n" + "".join(f"  {k}: {v}\n" for k, v in limits.items())
    manifest.write_text(text)


def both_refuse(root: Path, line: str) -> None:
    """check and build both name `line` and exit 1; build/ is untouched; no traceback anywhere."""
    before = snapshot(root)
    result = nsp(root, "check", "--paper", "small")
    assert result.returncode == 1, result.stdout + result.stderr
    assert line in result.stdout.splitlines(), result.stdout
    build = nsp(root, "build", "--paper", "small")
    assert build.returncode == 1, build.stdout + build.stderr
    assert line in build.stderr.splitlines(), build.stdout + build.stderr
    for out in (result, build):
        assert "Traceback" not in out.stdout + out.stderr
    assert snapshot(root) == before


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": each level is nine aliases of the one before (about 2.6 KB at nine levels)."""
    lines = ['lol0: &lol0 "lol lol lol lol lol lol lol lol lol lol lol lol lol lol lol lol lol lol lol"']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# Item 10: a YAML alias bomb, wherever nsp reads YAML
def test_alias_bomb_in_front_matter_is_refused_at_its_line(built: Path) -> None:
    bomb = "bomb:\n" + "".join("  " + line + "\n" for line in alias_bomb().splitlines())
    write(built, FIRST, context_chapter("Text [@unodc2019].", front=bomb))
    finding = ("alpha/01-first.md:5: E015 YAML anchor or alias '&lol0': nsp does not accept them (they can "
               "multiply a small file into billions of values); write the value out in full")
    both_refuse(built, finding)
    log = (built / "alpha" / "reviews.yaml").read_bytes()
    review = nsp(built, "review", "approve", FIRST, "--by", "lee")  # it hung here too
    assert review.returncode == 1 and finding in review.stderr, review.stderr
    assert (built / "alpha" / "reviews.yaml").read_bytes() == log


@pytest.mark.parametrize("rel, code", [("papers/small.yaml", 2), ("papers/people.yaml", 1),
                                       ("alpha/theme.yaml", 1), ("alpha/reviews.yaml", 1)])
def test_alias_bomb_in_every_yaml_file(small_paper: Path, rel: str, code: int) -> None:
    path = small_paper / rel
    text = path.read_text()
    if rel.endswith("reviews.yaml"):  # a log is a list of records: the bomb is the first record
        line, text = 1, "- " + "\n  ".join(alias_bomb().splitlines()) + "\n" + text
    else:
        line, text = text.count("\n") + 1, text + alias_bomb()
    path.write_text(text)
    result = nsp(small_paper, "check", "--paper", "small")
    assert result.returncode == code, result.stdout + result.stderr  # 2: the manifest itself is unusable
    assert (f"{rel}:{line}: E015 YAML anchor or alias '&lol0': nsp does not accept them (they can multiply a small "
            "file into billions of values); write the value out in full") in result.stdout.splitlines()
    assert "Traceback" not in result.stdout + result.stderr


# Item 11: runs of '[' that pandoc parses for hours
def test_forty_brackets_are_refused_before_pandoc(built: Path) -> None:
    write(built, FIRST, context_chapter("Fine [@unodc2019].\n\n" + "[" * 40 + "a"))
    both_refuse(built, "alpha/01-first.md:10: S112 brackets nested or left open more than 6 deep in one paragraph "
                       "(limits: bracket_depth); pandoc would take minutes on it: close or remove them, or write a "
                       "literal one as \\[")


def test_twenty_thousand_brackets_even_forced(built: Path) -> None:
    write(built, FIRST, context_chapter("Fine [@unodc2019].\n\n" + "[" * 20000))
    before = snapshot(built)
    result = nsp(built, "build", "--paper", "small", "--force")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(
        "nsp: alpha/01-first.md:10: S112 brackets nested or left open more than 6 deep"), result.stderr
    assert result.stderr.strip().endswith("nsp cannot build it, even forced")
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(built) == before


def only_that_chapter(root: Path, first_body: str, finding: str) -> None:
    """The first chapter gets `finding`; the second (citing an unknown key) is still checked; build/ untouched."""
    write(root, FIRST, context_chapter(first_body))
    write(root, "alpha/02-second.md", context_chapter("Cites the unknown [@nobody2020].", title="Second Chapter"))
    before = snapshot(root)
    result = nsp(root, "check", "--paper", "small")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert finding in lines, result.stdout
    assert any(line.startswith("alpha/02-second.md:8: C201 citation 'nobody2020'") for line in lines), lines
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(root) == before


def test_timeout_is_a_finding_about_one_chapter_and_the_others_are_checked(built: Path) -> None:
    # Ten nested pairs pass a raised bracket limit but take pandoc over ten seconds; the limit is 2 s.
    set_limits(built, bracket_depth=20, seconds=2, seconds_per_mb=0)
    only_that_chapter(built, "Slow: " + "[" * 10 + "a" + "]" * 10,
                      "alpha/01-first.md: E016 pandoc took longer than 2 s reading this chapter (limits: seconds, "
                      "seconds_per_mb); look for long runs of '[', deeply nested lists or quotes, or a huge table")


def test_pandoc_over_its_memory_cap_is_a_finding_about_that_chapter(built: Path) -> None:
    # 64 MB of heap reads a short chapter, not 300 KB of prose.
    set_limits(built, memory_mb=64)
    only_that_chapter(built, ("word " * 200 + "\n\n") * 300,
                      "alpha/01-first.md: E016 pandoc ran out of memory reading this chapter (over 64 MB; limits: "
                      "memory_mb); look for long runs of '[', deeply nested lists or quotes, or a huge table")


# Item 12: nesting, citations, images, paragraphs
@pytest.mark.parametrize("body, line", [
    ("> " * 600 + "deep", 10),
    ("".join("  " * i + "- item\n" for i in range(600)), 22),  # the 13th item passes the limit
    ("::: box\n" * 600 + "deep\n" + ":::\n" * 600, 22),
    ("<span>" * 600 + "deep" + "</span>" * 600, 10),
], ids=["quotes", "list", "divs", "spans"])
def test_deep_nesting_is_refused_and_a_forced_build_shows_no_traceback(built: Path, body: str, line: int) -> None:
    write(built, FIRST, context_chapter("Fine [@unodc2019].\n\n" + body))
    finding = (
        f"alpha/01-first.md:{line}: S111 lists, quotes and divisions nested more than 12 deep (limits: nesting_depth); "
        "flatten them: typst and nsp give out on deep nesting"
    )
    both_refuse(built, finding)
    before = snapshot(built)
    forced = nsp(built, "build", "--paper", "small", "--force")  # once a RecursionError traceback
    assert forced.returncode == 1
    assert forced.stderr.strip().splitlines()[-1] == f"nsp: {finding}; nsp cannot build it, even forced"
    assert "Traceback" not in forced.stdout + forced.stderr
    assert snapshot(built) == before


def test_one_key_cited_a_hundred_thousand_times(built: Path) -> None:
    # Ten citations a paragraph: the 2,001st is in the 201st paragraph, on line 8 + 2 × 200.
    write(built, FIRST, context_chapter("\n\n".join(["Claim [@unodc2019] " * 10] * 10_000)))
    both_refuse(built, "alpha/01-first.md:408: S114 100,000 citations in one chapter, over the limit of 2,000 "
                       "(limits: citations_per_chapter), passed on this line; cite each source once per passage")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def forged_png(width: int, height: int) -> bytes:
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"\0")) + _chunk(b"IEND", b""))


FORGED = {
    "png": forged_png(100000, 100000),
    "gif": b"GIF89a" + struct.pack("<HH", 60000, 60000) + b"\x00\x00\x00;",
    # SOI, an APP0 segment, then a baseline frame header claiming 65000×65000.
    "jpg": (b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
            + b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 65000, 65000, 1) + b"\x01\x11\x00\xff\xd9"),
}


@pytest.mark.parametrize("kind", FORGED)
def test_an_image_claiming_billions_of_pixels(built: Path, kind: str) -> None:
    (built / "alpha" / "figures").mkdir(exist_ok=True)
    (built / "alpha" / "figures" / f"huge.{kind}").write_bytes(FORGED[kind])
    write(built, FIRST, context_chapter(f"A map [@unodc2019]:\n\n![The routes.](figures/huge.{kind})"))
    size = {"png": "100000×100000", "gif": "60000×60000", "jpg": "65000×65000"}[kind]
    both_refuse(built, f"alpha/01-first.md:10: A515 image 'figures/huge.{kind}' is {size} pixels, over the limit of "
                       "50 million (limits: image_megapixels); scale it down to the size it is printed at")


def test_typst_over_its_memory_cap_ends_with_a_message(built: Path) -> None:
    # Forced past the pixel check, with a small cap: typst must fail in its own process, and say so.
    (built / "alpha" / "figures").mkdir(exist_ok=True)
    (built / "alpha" / "figures" / "huge.png").write_bytes(forged_png(40000, 40000))
    write(built, FIRST, context_chapter("A map [@unodc2019]:\n\n![The routes.](figures/huge.png)"))
    set_limits(built, image_megapixels=10_000, memory_mb=1500)
    before = snapshot(built)
    result = nsp(built, "build", "--paper", "small")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "nsp: typst ran out of memory setting the PDF (over 1500 MB; limits: memory_mb); look for very large "
        "images, huge paragraphs or tables, or thousands of citations; look first at alpha/01-first.md (an image "
        "of 40000×40000 pixels); previous outputs were kept")
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(built) == before


def test_a_huge_paragraph(built: Path) -> None:
    write(built, FIRST, context_chapter("Fine [@unodc2019].\n\n" + "word " * 960_000))  # 4.8 MB, one paragraph
    both_refuse(built, "alpha/01-first.md:10: S113 a paragraph of over 100,000 characters (limits: paragraph_chars); "
                       "typst lays out a paragraph whole: split it with blank lines")


def test_limits_in_the_manifest_are_checked(small_paper: Path) -> None:
    set_limits(small_paper, nesting_depth=5000, seconds=0, bracket_dept=3)
    result = nsp(small_paper, "check", "--paper", "small")
    lines = result.stdout.splitlines()
    assert ("papers/small.yaml:9: E007 limits: 'nesting_depth' may be at most 100: deeper nesting crashes the build"
            in lines), result.stdout
    assert "papers/small.yaml:10: E007 limits: 'seconds' must be at least 1" in lines
    assert ("papers/small.yaml:11: E006 unknown key 'bracket_dept' in limits (did you mean 'bracket_depth'?)"
            in lines)
    assert result.returncode == 1


def test_golden_limits_report() -> None:
    """The golden tree for this family (every rule above, with small limits; one chapter times out)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "limits"
        shutil.copytree(GOLDEN / "limits", root)
        result = nsp(root, "check", "--paper", "golden")
    assert result.stdout == (GOLDEN / "limits.expected").read_text()
    assert result.returncode == 1


# Item 16: no child outlives nsp
def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for t in tasks for c in (t / "children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the child through /proc")
@pytest.mark.parametrize("guard", ["", "pipe"], ids=["pdeathsig", "pipe-guard"])
def test_sigkill_of_check_takes_its_pandoc_child_with_it(small_paper: Path, guard: str) -> None:
    # A chapter that keeps pandoc busy for minutes, allowed through the bracket scan.
    set_limits(small_paper, bracket_depth=100)
    write(small_paper, FIRST, context_chapter("[" * 16 + "a" + "]" * 16))
    env = {**os.environ, "NSP_CHILD_GUARD": guard}
    proc = subprocess.Popen([NSP, "check", "--paper", "small"], cwd=small_paper, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline, pandoc = time.time() + 30, list[int]()
        while time.time() < deadline and not pandoc:
            time.sleep(0.1)
            family = _children(proc.pid)
            family += [g for c in family for g in _children(c)]  # under the guard, pandoc is a grandchild
            pandoc = [
                p
                for p in family
                if _alive(p)
                and "pandoc" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace").split("\0")[0]
            ]
        assert pandoc, "pandoc never started"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.time() + 5
        while time.time() < deadline and any(_alive(p) for p in pandoc):
            time.sleep(0.1)
        assert not any(_alive(p) for p in pandoc), "pandoc outlived nsp"
    finally:
        if proc.poll() is None:
            proc.kill()
