"""Script and fonts: a character no font nsp ships can draw (A516), a `lang: ur` document written mostly in
Latin letters (S121)."""

from __future__ import annotations

from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.infra.fonts import describe, drawable, undrawable
from nsp.load.text import read_text

# Arabic, Arabic Supplement, Arabic Extended-A, Presentation Forms A and B: the letters Urdu is written in.
ARABIC_SCRIPT = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
RTL_LANGUAGES = {"ur": ARABIC_SCRIPT}


def undrawable_characters(ctx: Context) -> Iterator[Finding]:
    """A516: A character that no font nsp ships can draw (it would print as an empty box)."""
    covered = drawable(ctx.project.root)
    for doc in ctx.documents():
        text, _ = read_text(ctx.project.root, doc.path)
        if text is None or text.text.isascii():
            continue
        seen: set[str] = set()
        for n, line in enumerate(text.text.split("\n"), start=1):
            for ch in undrawable(line, covered):
                if ch not in seen:
                    seen.add(ch)
                    yield (doc.path, n, f"{describe(ch)} cannot be drawn by any font nsp uses: the PDF would show an "
                                        "empty box; write it differently, or add a font that has it to templates/fonts")


def _in(ch: str, blocks: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= ord(ch) <= b for a, b in blocks)


def mostly_latin(ctx: Context) -> Iterator[Finding]:
    """S121: A document marked `lang: ur` whose letters are mostly Latin."""
    for doc in ctx.documents():
        blocks = RTL_LANGUAGES.get(doc.lang.split("-")[0])
        if blocks is None:
            continue
        mask = ctx.code_mask(doc)
        text = "\n".join(line for i, line in enumerate(doc.body.split("\n")) if not mask[i])
        native = sum(1 for ch in text if _in(ch, blocks))
        latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
        if latin > native:
            share = round(100 * latin / (latin + native))
            yield (doc.path, doc.key_lines.get("lang", 1),
                   f"marked 'lang: {doc.lang}' but {share}% of its letters are Latin: it would be set right to left "
                   "in the Urdu fonts; translate it, or remove 'lang' (mark Urdu phrases with [...]{lang=ur})")
