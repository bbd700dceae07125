"""Child process that compiles one typst file, so a crash stays contained.

Usage: python -m nsp.render.typst_worker SOURCE OUTPUT ROOT FONTS [STANDARDS]
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    source, output, root, fonts = argv[:4]
    standards = [s for s in (argv[4] if len(argv) > 4 else "").split(",") if s]
    import typst

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    ppi = os.environ.get("NSP_TYPST_PPI")  # a figure compiled to PNG (render.figures)
    try:
        typst.compile(  # type: ignore[call-overload]  # (its stubs want literal standard names)
            source, output=output, root=root, font_paths=[fonts] if os.path.isdir(fonts) else [],
            ignore_system_fonts=True, timestamp=int(epoch) if epoch else None,
            **({"pdf_standards": standards} if standards else {}),
            **({"ppi": float(ppi), "format": "png"} if ppi and output.endswith(".png") else {}))
    except Exception as exc:  # typst reports compile errors as exceptions with its own message
        # The diagnostic carries "┌─ file:line:col", which nsp maps back to a chapter.
        print(getattr(exc, "diagnostic", None) or str(exc).strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
