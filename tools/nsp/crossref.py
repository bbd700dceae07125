"""Cross-references in Quarto's syntax: `@fig-id`, `@tbl-id`, `@sec-id`, `@ch-id`.

The prefix of the id says what it points to; an id with one of these prefixes is a cross-reference, not a
citation, unless a bibliography has that very key. Chapters are named by their anchor (the file's theme
and name, as `nsp check` shows them: `@ch-terror-financing-01-channels`) or, when no other chapter of the
paper has the same file name, by the file name alone (`@ch-01-channels`).
"""

from __future__ import annotations

from collections.abc import Container

KINDS = {"fig": "Figure", "tbl": "Table", "sec": "Section", "ch": "Chapter"}
# Words that, right before references, already say what they are: "Figures @fig-a and @fig-b" prints numbers.
KIND_WORDS = {word.lower(): kind for kind, name in KINDS.items() for word in (name, name + "s")}


def kind_of(key: str) -> str:
    """'fig' for 'fig-map', '' for a key without a cross-reference prefix."""
    prefix, dash, rest = key.partition("-")
    return prefix if dash and rest and prefix in KINDS else ""


def is_crossref(key: str, bibliography_keys: Container[str]) -> bool:
    return bool(kind_of(key)) and key not in bibliography_keys


def label(kind: str, numbers: list[str]) -> str:
    """'Figure 3', 'Figures 3 and 4', 'Tables 1, 2 and 5'."""
    word = KINDS[kind] + ("s" if len(numbers) > 1 else "")
    return f"{word} {join_numbers(numbers)}"


def join_numbers(numbers: list[str]) -> str:
    return numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
