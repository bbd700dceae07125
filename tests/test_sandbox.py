"""Issue 10, items 6–9: nothing from outside the repository, no code through names or
bibliographies, no invisible text. Every case runs the installed `nsp` as a user does."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import chapter, nsp, refused, snapshot, write

FIRST = "alpha/01-first.md"
PNG = Path(__file__).parent / "golden" / "assets" / "alpha" / "figures" / "ok.png"


@pytest.fixture(autouse=True)
def html_too(small_paper: Path) -> None:
    """Every case here builds all three outputs: the conftest's `built` then builds the web edition too."""
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + "outputs: [pdf, docx, html]\n")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository (not inside it) holding a secret image and a secret chapter."""
    folder = tmp_path / "x"
    folder.mkdir()
    data = PNG.read_bytes() + b"OUTSIDE-SECRET-BYTES"  # still a PNG to every reader, with a marker
    (folder / "secret.png").write_bytes(data)
    (folder / "secret.md").write_text(chapter("Secret", "ana", "## Context\n\nOUTSIDE-SECRET-TEXT [@unodc2019].\n"))
    (folder / "secret.bib").write_text(
        "@book{unodc2019,\n  author = {X},\n  title = {OUTSIDE-SECRET-BIB},\n  year = {2000},\n}\n"
    )
    return folder


def checked(root: Path, line: str, *args: str) -> str:
    result = nsp(root, "check", "--paper", "small", *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert line in result.stdout.splitlines(), result.stdout
    assert "Traceback" not in result.stderr
    return result.stdout


def every_output_byte(root: Path) -> list[tuple[str, bytes]]:
    """Each output file, each member of the DOCX, each image of the PDF, and build/.staging."""
    build = root / "build"
    found = [(p.name, p.read_bytes()) for p in build.iterdir() if p.is_file()]
    with zipfile.ZipFile(build / "small.docx") as z:
        found += [(f"docx:{n}", z.read(n)) for n in z.namelist()]
    found += [("pdf-text", " ".join(p.extract_text() for p in PdfReader(build / "small.pdf").pages).encode())]
    found += [(str(p), p.read_bytes()) for p in (build / ".staging").rglob("*") if p.is_file()]
    return found


def pdf_images(path: Path) -> int:
    """Image XObjects in the PDF, however deeply forms nest them (pypdf's page.images needs Pillow)."""
    seen: set[int] = set()

    def count(resources: object) -> int:
        xobjects = resources.get("/XObject", {}) if hasattr(resources, "get") else {}
        n = 0
        for ref in xobjects.values():
            obj = ref.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            n += 1 if obj.get("/Subtype") == "/Image" else count(obj.get("/Resources", {}))
        return n

    return sum(count(page.get("/Resources", {})) for page in PdfReader(path).pages)


def assert_nothing_from(root: Path, folder: Path) -> None:
    """No byte sequence of any file in `folder` (raw or base64) reaches an output or the staging folder."""
    assert pdf_images(root / "build" / "small.pdf") == 0  # the small paper has none of its own
    for secret in folder.iterdir():
        data = secret.read_bytes()
        marks = [b"OUTSIDE-SECRET", base64.b64encode(data)[:200], hashlib.sha256(data).hexdigest()[:16].encode()]
        for name, content in every_output_byte(root):
            assert not any(m in content for m in marks), f"{secret.name} reached {name}"


def docx_members(root: Path) -> list[bytes]:
    with zipfile.ZipFile(root / "build" / "small.docx") as z:
        return [z.read(n) for n in z.namelist()]


def assert_no_javascript_links(root: Path) -> None:
    """No link target in any output uses the javascript: scheme (the words may remain as text)."""
    build = root / "build"
    uris = [str(a.get_object().get("/A", {}).get("/URI", "")) for page in PdfReader(build / "small.pdf").pages
            for a in page.get("/Annots") or []]
    assert not [u for u in uris if u.strip().lower().startswith("javascript:")], uris
    target = re.compile(rb"""(?:href|Target)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
    with zipfile.ZipFile(build / "small.docx") as z:
        assert not [n for n in z.namelist() if target.search(z.read(n))]
    assert not target.search((build / "small.html").read_bytes())


def forced(root: Path) -> None:
    result = nsp(root, "build", "--paper", "small", "--force", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


# 6: the bibliography is a way in
def test_bibliography_cannot_embed_files_or_links(built: Path, outside: Path) -> None:
    write(built, "papers/references.bib", (built / "papers/references.bib").read_text() + (
        "@book{evil2020,\n"
        "  author = {Evil, Eve},\n"
        f"  title = {{A \\includegraphics{{{outside}/secret.png}} and \\href{{javascript:alert(1)}}{{click me}}}},\n"
        "  url = {javascript:alert(2)},\n"
        "  year = {2020},\n"
        "}\n"))
    write(built, FIRST, chapter("First Chapter", "ana", "## Context\n\nOpium moves west [@unodc2019; @evil2020].\n"))
    out = checked(built, "papers/references.bib:15: A509 \\includegraphics in the bibliography would put a picture "
                         "or file into the paper; write the title as plain text")
    assert (
        "papers/references.bib:15: A509 \\href{javascript:alert(1)} is not allowed; links may use http, https, mailto"
        in out
    )
    assert (
        "papers/references.bib:16: A509 url 'javascript:alert(2)' is not allowed; links may use http, https, mailto"
        in out
    )
    refused(
        built,
        line="papers/references.bib:16: A509 url 'javascript:alert(2)' is not allowed; links may use http, "
        "https, mailto",
    )
    forced(built)
    assert_nothing_from(built, outside)
    assert_no_javascript_links(built)
    # What the reader still sees: the reference, with a placeholder for the picture.
    html = (built / "build" / "small.html").read_text()
    assert "click me" in html.lower() and "figure not available" in html


def test_bibliography_cannot_read_a_device(built: Path) -> None:
    write(
        built,
        "alpha/references.bib",
        "@book{zero,\n  author = {Z},\n  title = {\\includegraphics{/dev/zero}},\n  year = {2020},\n}\n",
    )
    write(built, FIRST, chapter("First Chapter", "ana", "## Context\n\nSee [@zero; @unodc2019].\n"))
    refused(
        built,
        line="alpha/references.bib:3: A509 \\includegraphics in the bibliography would put a picture or file "
        "into the paper; write the title as plain text",
    )
    forced(built)  # within the test's time limit, and without reading the device


def test_generated_pages_and_template_data_are_sanitised(built: Path) -> None:
    # People's names go into the contributors page and bylines; the paper's title into the title page.
    people = built / "papers" / "people.yaml"
    people.write_text(
        people.read_text().replace(
            "Ana Author", '"Ana ![x](/etc/hostname) [y](javascript:alert(3)) `#text[INJ]`{=typst}"'
        )
    )
    manifest = built / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text().replace('"Small Paper"', '"Small #text[INJ] <lbl> Paper"'))
    forced(built)
    assert_no_javascript_links(built)
    text = " ".join(p.extract_text() for p in PdfReader(built / "build" / "small.pdf").pages)
    assert "Small #text[INJ] <lbl> Paper" in " ".join(text.split()) and "#text[INJ]`{=typst}" in text


# 7: paths from outside
def test_theme_lists_a_chapter_outside_the_repository(built: Path, outside: Path) -> None:
    theme = built / "alpha" / "theme.yaml"
    theme.write_text(theme.read_text().replace("  - 02-second.md", "  - 02-second.md\n  - ../../x/secret.md"))
    line = ("alpha/theme.yaml:8: E014 '../../x/secret.md' is outside the repository; "
            "keep every file the paper uses inside it")
    checked(built, line)
    refused(built, line=line)
    forced(built)
    assert_nothing_from(built, outside)


@pytest.mark.parametrize(
    ("link", "line"),
    [
        (
            "alpha/02-second.md",
            "alpha/theme.yaml:7: E014 '02-second.md' is a symbolic link to a file outside the repository; "
            "copy the file into the repository instead",
        ),
        (
            "alpha/references.bib",
            "alpha/references.bib: E014 'alpha/references.bib' is a symbolic link to a file outside the "
            "repository; copy the file into the repository instead",
        ),
    ],
)
def test_symbolic_links_out_of_the_repository(built: Path, outside: Path, link: str, line: str) -> None:
    target = outside / ("secret.md" if link.endswith(".md") else "secret.bib")
    (built / link).unlink(missing_ok=True)
    (built / link).symlink_to(target)
    checked(built, line)
    refused(built, line=line)
    forced(built)
    assert_nothing_from(built, outside)


def test_templates_linked_out_of_the_repository(built: Path, outside: Path) -> None:
    (built / "templates" / "typst" / "evil.typ").symlink_to(outside / "secret.md")
    line = ("templates/typst/evil.typ: E014 'templates/typst/evil.typ' is a symbolic link to a file outside "
            "the repository; copy the file into the repository instead")
    checked(built, line)
    refused(built, line=line)
    stderr = refused(built, "nsp: templates/typst/evil.typ is a symbolic link out of the repository; "
                            "previous outputs were kept", "--force")
    assert "Traceback" not in stderr
    assert not [
        p for p in (built / "build" / ".staging").rglob("*") if p.is_file() and b"OUTSIDE-SECRET" in p.read_bytes()
    ]


@pytest.mark.parametrize("command", [("build", "--paper"), ("check", "--paper"), ("status", "--paper"),
                                     ("publish", "1.0", "--paper"), ("build", "--theme")])
def test_ids_on_the_command_line(built: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    evil = tmp_path / "x"
    evil.mkdir(exist_ok=True)
    (evil / "evil.yaml").write_text("title: Evil\nthemes: [alpha]\n")
    before = snapshot(built)
    args = [*command, "../../x/evil"] + (["--paper", "small"] if command[-1] == "--theme" else [])
    result = nsp(built, *args)
    assert result.returncode == 2, result.stderr
    assert "'../../x/evil' is not" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(built) == before
    assert sorted(p.name for p in evil.iterdir()) == ["evil.yaml"]


# 8: names are data
def test_theme_folder_name_is_not_typst_code(built: Path) -> None:
    name = 'cc> #text[INJECTED #read("nsp.typ").len()] <y'
    shutil.copytree(built / "alpha", built / name)
    (built / name / "reviews.yaml").unlink(missing_ok=True)
    manifest = built / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text().replace("themes: [alpha]", f"themes:\n  - alpha\n  - '{name}'"))
    line = (f"papers/small.yaml:7: A511 theme '{name}' is not a valid id; name theme folders with lower-case "
            "letters, digits, '-' and '_' only")
    checked(built, line)
    refused(built, line=line)
    forced(built)
    text = " ".join(p.extract_text() for p in PdfReader(built / "build" / "small.pdf").pages)
    assert "INJECTED" not in text


def test_chapters_named_in_urdu_get_their_own_anchors(built: Path) -> None:
    names = ["03 تعارف جرائم.md", "03 جائزہ.md"]
    for i, name in enumerate(names):
        write(
            built,
            f"alpha/{name}",
            chapter(f"Urdu {i}", "ana", f"## Context {{#ctx}}\n\nText {i} [@unodc2019], see [here](#ctx).\n"),
        )
    theme = built / "alpha" / "theme.yaml"
    theme.write_text(
        theme.read_text().replace("  - 02-second.md", "  - 02-second.md\n" + "".join(f"  - {n}\n" for n in names))
    )
    result = nsp(built, "check", "--paper", "small", "--select", "X6,S1,E")
    assert result.returncode == 0, result.stdout
    forced(built)
    previews = set()
    for name in names:
        result = nsp(built, "build", "--paper", "small", "--force", f"alpha/{name}")
        assert result.returncode == 0, result.stderr
        previews |= {line.split()[-1] for line in result.stdout.splitlines() if line.endswith(".pdf")}
    assert len(previews) == 2, previews


def test_chapters_whose_anchors_would_collide(built: Path) -> None:
    for name in ("a b.md", "a-b.md"):
        write(built, f"alpha/{name}", chapter(name, "ana", "## Context\n\nText [@unodc2019].\n"))
    theme = built / "alpha" / "theme.yaml"
    theme.write_text(theme.read_text().replace("  - 02-second.md", "  - 02-second.md\n  - a b.md\n  - a-b.md"))
    line = ("alpha/theme.yaml:9: X603 files 'alpha/a b.md' and 'alpha/a-b.md' would share the anchor "
            "'alpha-a-b'; rename one of them")
    checked(built, line)
    refused(built, line=line)


# 9: invisible text
@pytest.mark.parametrize(("rel", "edit", "line"), [
    (FIRST, lambda t: t.replace("Opium moves west", "Opium \u202eevil\u202c moves west"),
     "alpha/01-first.md:7: A510 column 7: U+202E RIGHT-TO-LEFT OVERRIDE changes the order in which the text "
     "is shown; delete it (U+200E/U+200F marks are allowed)"),
    (FIRST, lambda t: t.replace('title: "First Chapter"', 'title: "First \u2067Chapter\u2069"'),
     "alpha/01-first.md:2: A510 column 15: U+2067 RIGHT-TO-LEFT ISOLATE changes the order in which the text "
     "is shown; delete it (U+200E/U+200F marks are allowed)"),
    ("alpha/theme.yaml", lambda t: t.replace("Alpha Theme", "Alpha \u202dTheme"),
     "alpha/theme.yaml:1: A510 column 15: U+202D LEFT-TO-RIGHT OVERRIDE changes the order in which the text "
     "is shown; delete it (U+200E/U+200F marks are allowed)"),
    ("papers/references.bib", lambda t: t.replace("Borders and Trust", "Borders \u202band Trust"),
     "papers/references.bib:9: A510 column 20: U+202B RIGHT-TO-LEFT EMBEDDING changes the order in which the text "
     "is shown; delete it (U+200E/U+200F marks are allowed)"),
])
def test_bidi_controls_are_reported(built: Path, rel: str, edit: Callable[[str], str], line: str) -> None:
    path = built / rel
    path.write_text(edit(path.read_text()))
    checked(built, line)
    refused(built, line=line)
    forced(built)  # a forced draft shows the text in the order it was written
    text = " ".join(p.extract_text() for p in PdfReader(built / "build" / "small.pdf").pages)
    for output in (text.encode(), (built / "build" / "small.html").read_bytes(), *docx_members(built)):
        assert not [c for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" if c.encode() in output]


def test_urdu_direction_marks_are_allowed(built: Path) -> None:
    write(built, FIRST, chapter("First Chapter", "ana", "## Context\n\nاردو\u200f متن \u200eA\u200e [@unodc2019].\n"))
    result = nsp(built, "check", "--paper", "small", "--select", "A5")
    assert result.returncode == 0, result.stdout
