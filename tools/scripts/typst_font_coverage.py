"""Write tools/nsp/infra/typst_fonts.txt: the characters the fonts embedded in the installed typst can draw.

typst's own fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono) live inside its library, not as
files nsp could read at check time; this finds them there once. Run it again after upgrading typst
(tests/test_urdu_pdf.py fails until the version in the file is the installed one).

Usage: .venv/bin/python tools/scripts/typst_font_coverage.py
"""

from __future__ import annotations

import io
import re
from importlib.metadata import version
from pathlib import Path

import typst
from fontTools.ttLib import TTFont

OUT = Path(__file__).parents[1] / "nsp" / "infra" / "typst_fonts.txt"


def embedded_fonts(data: bytes) -> dict[str, set[int]]:
    """The cmap of every font file inside `data`, by full name (an sfnt header with a cmap and a name table)."""
    fonts: dict[str, set[int]] = {}
    for m in re.finditer(rb"OTTO|\x00\x01\x00\x00", data):
        start = m.start()
        tables = int.from_bytes(data[start + 4:start + 6], "big")
        tags = {data[start + 12 + 16 * i:start + 16 + 16 * i] for i in range(tables)} if 5 <= tables <= 40 else set()
        if not {b"cmap", b"name"} <= tags:
            continue
        try:
            font = TTFont(io.BytesIO(data[start:start + 30_000_000]), lazy=True)
            fonts[str(font["name"].getDebugName(4))] = set(font.getBestCmap())
        except Exception:  # a byte pattern that only looked like a font
            continue
    return fonts


def ranges(points: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for p in sorted(points):
        if out and out[-1][1] == p - 1:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return out


def main() -> None:
    library = next(Path(typst.__file__).parent.glob("_typst*.so"))
    fonts = embedded_fonts(library.read_bytes())
    covered = set().union(*fonts.values())
    lines = [f"# typst {version('typst')}: the characters its embedded fonts draw "
             "(written by tools/scripts/typst_font_coverage.py)",
             "# " + ", ".join(sorted(fonts)),
             *(f"{a:04X}-{b:04X}" for a, b in ranges(covered))]
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{len(fonts)} fonts, {len(covered)} characters -> {OUT}")


if __name__ == "__main__":
    main()
