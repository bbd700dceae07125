"""Where a chapter's files, images and links may point: inside the repository, real images, nothing
remote; and which characters may not reorder its text.

Used by the checks (to report) and by assembly (to refuse), so both judge alike.
"""

from __future__ import annotations

import base64
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Formats typst (PDF) and Word can both show, recognised by their first bytes.
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}
SAFE_LINK_SCHEMES = {"http", "https", "mailto"}
# Characters that reorder what is shown ("trojan source", CVE-2021-42574): embeddings, overrides
# and isolates, as compilers report them. LRM/RLM (U+200E/U+200F) and the Arabic letter mark
# only mark the direction of neutral characters next to them: Urdu text needs them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_remote(url: str) -> bool:
    scheme = urlsplit(url).scheme
    return len(scheme) > 1  # 'C:' is a Windows drive, not a scheme


def contained(root: Path, rel: str) -> tuple[Path | None, str]:
    """The file `rel` (a path relative to the root) names, if it stays inside the repository after
    symbolic links are followed; else (None, why): "absolute", "climbs" or "symlink".

    The one test of containment: images, chapters, pages, bibliographies and styles all pass it.
    """
    if rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":"):
        return None, "absolute"
    rel = posixpath.normpath(rel)
    if rel == ".." or rel.startswith("../"):
        return None, "climbs"
    full = root / rel
    try:
        full.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return None, "symlink"
    return full, ""


def outside_reason(name: str, why: str) -> str:
    """The message for a file named in a manifest or theme that `contained` refused."""
    if why == "symlink":
        return (
            f"'{name}' is a symbolic link to a file outside the repository; copy the file into the repository instead"
        )
    return f"'{name}' is outside the repository; keep every file the paper uses inside it"


IMAGE_REASONS = {
    "absolute": "is an absolute path; give it relative to the chapter, e.g. figures/x.png",
    "climbs": "climbs out of the repository; keep figures inside it",
    "symlink": "leads outside the repository (through a symbolic link)",
}


def resolve_local(root: Path, doc_path: str, url: str) -> tuple[Path | None, str]:
    """The file a relative path in `doc_path` names, the way pandoc and typst would find it; or why not."""
    path = unquote(urlsplit(url).path)
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        return None, IMAGE_REASONS["absolute"]
    full, why = contained(root, posixpath.join(posixpath.dirname(doc_path), path))
    return full, IMAGE_REASONS.get(why, "")


MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml",
        ".ttf": "font/ttf"}  # the Urdu font the web edition embeds


def data_uri(path: Path, data: bytes | None = None, suffix: str = "") -> str:
    """An image file (or `data` of the kind `suffix` names) as a data: URI: it travels inside the document,
    so pandoc needs no file access."""
    mime = MIME.get((suffix or path.suffix).lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes() if data is None else data).decode()}"


# A figure may be given as its typst source (figures/x.typ): nsp compiles it (render.stage). It may read
# files of its own folder only, and import no package: a package would be fetched from the network.
FIGURE_SOURCE = ".typ"
PACKAGE_IMPORT = re.compile(rb"""(?:import|include)\s*\(?\s*["']@""")
MAX_FIGURE_SOURCE_BYTES = 1024 * 1024


def figure_source_problem(path: Path) -> str:
    """Why a .typ figure cannot be compiled as it stands ("" when it can)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if len(data) > MAX_FIGURE_SOURCE_BYTES:
        return "is over 1 MB of typst source"
    if PACKAGE_IMPORT.search(data):
        return "imports a typst package (@preview/…), which would be fetched from the network: draw it without one"
    return ""


def image_kind(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            head = f.read(512)
    except OSError:
        return None
    if path.suffix.lower() == FIGURE_SOURCE:
        return "typst figure" if not figure_source_problem(path) else None
    for magic, kind in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in head):
        return "SVG"
    return None


def usable_image(root: Path, doc_path: str, url: str) -> tuple[str | None, str]:
    """(path relative to the root, "") for an image the build may read; (None, why) otherwise."""
    if is_remote(url):
        return None, "remote images are not fetched"
    full, why = resolve_local(root, doc_path, url)
    if full is None:
        return None, why
    if not full.is_file():
        return None, "does not exist"
    if image_kind(full) is None:
        return None, "is not an image"
    return full.relative_to(root).as_posix(), ""


def safe_link(url: str) -> bool:
    """Links may go to the web, to mail, or within the paper; never javascript: or file: and the like."""
    scheme = urlsplit(url).scheme.lower()
    return not scheme or len(scheme) == 1 or scheme in SAFE_LINK_SCHEMES
