"""Script and fonts: a character no font nsp ships can draw (A516; in chapters, pages and the glossary), a
`lang: ur` document written mostly in Latin letters (S121)."""

from __future__ import annotations

from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.infra.fonts import SCRIPTS, describe, drawable, in_script, undrawable
from nsp.load.text import read_text


def undrawable_characters(ctx: Context) -> Iterator[Finding]:
    """A516: A character that no font nsp ships can draw (it would print as an empty box)."""
    covered = drawable(ctx.project.root)
    paths = [doc.path for doc in ctx.documents()]
    glossary = ctx.project.glossary.path
    if glossary and ctx.whole_paper:  # its expansions (English and Urdu) are printed in every paper's list
        paths.append(glossary)
    for path in paths:
        yield from _undrawable_in(ctx, path, covered)


def _undrawable_in(ctx: Context, path: str, covered: frozenset[int]) -> Iterator[Finding]:
    text, _ = read_text(ctx.project.root, path)
    if text is None or text.text.isascii():
        return
    seen: set[str] = set()
    for n, line in enumerate(text.text.split("\n"), start=1):
        for ch in undrawable(line, covered):
            if ch not in seen:
                seen.add(ch)
                yield (path, n, f"{describe(ch)} cannot be drawn by any font nsp uses: the PDF would show an "
                                "empty box; write it differently, or add a font that has it to templates/fonts")


def mostly_latin(ctx: Context) -> Iterator[Finding]:
    """S121: A document marked `lang: ur` whose letters are mostly Latin."""
    for doc in ctx.documents():
        blocks = SCRIPTS.get(doc.lang.split("-")[0])
        if blocks is None:
            continue
        mask = ctx.code_mask(doc)
        text = "\n".join(line for i, line in enumerate(doc.body.split("\n")) if not mask[i])
        native = sum(1 for ch in text if in_script(ch, blocks))
        latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
        if latin > native:
            share = round(100 * latin / (latin + native))
            yield (doc.path, doc.key_lines.get("lang", 1),
                   f"marked 'lang: {doc.lang}' but {share}% of its letters are Latin: it would be set right to left "
                   "in the Urdu fonts; translate it, or remove 'lang' (mark Urdu phrases with [...]{lang=ur})")
