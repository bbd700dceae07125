"""Which characters the PDF can draw: those of typst's embedded fonts (typst_fonts.txt, read from its library
by tools/scripts/typst_font_coverage.py) and of the fonts in templates/fonts, the only others typst reads.
A character outside all of them would print as an empty box (check A516; the build refuses it)."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

FONT_FOLDER = ("templates", "fonts")
# Arabic, Arabic Supplement, Arabic Extended-A, Presentation Forms A and B: the letters Urdu is written in.
ARABIC_SCRIPT = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# The letters of each right-to-left language nsp has fonts for (checks S121 and S123 count them).
SCRIPTS = {"ur": ARABIC_SCRIPT}
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


@functools.cache
def _embedded() -> frozenset[int]:
    points: set[int] = set()
    for line in Path(__file__).with_name("typst_fonts.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            a, b = line.split("-")
            points.update(range(int(a, 16), int(b, 16) + 1))
    return frozenset(points)


@functools.cache
def _font_file(path: Path, size: int, mtime: int) -> frozenset[int]:
    """The characters of one font file (keyed by size and time too: a replaced font is read again)."""
    from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

    try:
        fonts = TTCollection(str(path), lazy=True).fonts if path.suffix == ".ttc" else [TTFont(str(path), lazy=True)]
        return frozenset(p for font in fonts for p in (font.getBestCmap() or {}))
    except Exception:  # a broken font draws nothing; typst skips it too
        return frozenset()


def drawable(root: Path) -> frozenset[int]:
    """Every character some font typst may use can draw."""
    covered = set(_embedded())
    folder = root.joinpath(*FONT_FOLDER)
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
            st = path.stat()
            covered |= _font_file(path, st.st_size, st.st_mtime_ns)
    return frozenset(covered)


def invisible(ch: str) -> bool:
    """Characters no font needs to draw: spaces, line ends, joiners, direction marks, variation selectors."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F


def undrawable(text: str, covered: frozenset[int]) -> list[str]:
    """The distinct characters of `text` no font draws, in order of first appearance."""
    if text.isascii():
        return []
    return list(dict.fromkeys(ch for ch in text if ord(ch) not in covered and not invisible(ch)))


def in_script(ch: str, blocks: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= ord(ch) <= b for a, b in blocks)


def describe(ch: str) -> str:
    return f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')})"
