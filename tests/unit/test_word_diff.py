"""The word diff `nsp diff` prints: whole words change, Markdown around them stays, nothing is lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nsp.review.diff import ChapterDiff, Segment, format_terminal, tracked_markdown, word_diff


def sides(segments: list[Segment]) -> tuple[str, str]:
    """The old text (equal and deleted) and the new text (equal and inserted) the segments spell."""
    old = "".join(s.text for s in segments if s.kind != "insert")
    new = "".join(s.text for s in segments if s.kind != "delete")
    return old, new


def test_one_changed_word_is_one_deletion_and_one_insertion() -> None:
    assert word_diff("Opium moves west.", "Opium moves east.") == [
        Segment("equal", "Opium moves "), Segment("delete", "west"), Segment("insert", "east"), Segment("equal", "."),
    ]


def test_markup_around_a_changed_word_stays_unchanged() -> None:
    segments = word_diff("See **west** [@unodc2019].", "See **east** [@unodc2019].")
    assert [s for s in segments if s.kind != "equal"] == [Segment("delete", "west"), Segment("insert", "east")]


def test_a_word_is_never_split() -> None:
    segments = word_diff("trafficking", "traffickers")
    assert segments == [Segment("delete", "trafficking"), Segment("insert", "traffickers")]


@pytest.mark.parametrize(("old", "new", "kinds"), [
    ("same text", "same text", ["equal"]),
    ("", "", []),
    ("", "new words", ["insert"]),
    ("old words", "", ["delete"]),
    ("a b", "a new b", ["equal", "insert", "equal"]),
])
def test_kinds_of_change(old: str, new: str, kinds: list[str]) -> None:
    assert [s.kind for s in word_diff(old, new)] == kinds


@given(st.text(max_size=60), st.text(max_size=60))
def test_the_segments_spell_both_texts(old: str, new: str) -> None:
    assert sides(word_diff(old, new)) == (old, new)


def diff_of(old: str, new: str) -> ChapterDiff:
    return ChapterDiff("alpha/01-first.md", "approval of 2020-01-15", old, new, word_diff(old, new))


def test_the_terminal_shows_only_changed_lines_numbered_as_in_the_new_file() -> None:
    text = format_terminal(diff_of("One.\n\nTwo west.\n", "One.\n\nTwo east.\n"), color=False)
    assert text == "alpha/01-first.md: changes since the approval of 2020-01-15\n   3: Two [-west-]{+east+}."


def test_the_terminal_says_when_nothing_changed() -> None:
    diff = diff_of("Same.\n", "Same.\n")
    assert not diff.changed
    assert format_terminal(diff, color=False).endswith("\nno changes")


def test_colour_marks_deletions_red_struck_and_insertions_green_underlined() -> None:
    text = format_terminal(diff_of("west", "east"), color=True)
    assert "\x1b[31;9mwest\x1b[0m" in text and "\x1b[32;4meast\x1b[0m" in text


@pytest.mark.parametrize("whole", [
    "[@unodc2019]", "[see @smith2010, p. 3; @unodc2019]", "@smith2010", "[^mer-scope]",
    "![A map.](figures/map.png){#fig-map width=80%}", "[the report](https://example.org/r)",
])
def test_what_a_reader_sees_as_one_thing_is_never_cut(whole: str) -> None:
    """An edit right next to a citation, footnote reference, image or link leaves it one unchanged token."""
    segments = word_diff(f"Before {whole}.", f"Before {whole}, and after.")
    assert Segment("insert", ", and after") in segments
    assert all(whole in s.text or s.kind == "insert" for s in segments if "@" in s.text or "](" in s.text)
    assert "".join(s.text for s in segments if s.kind != "insert") == f"Before {whole}."


INS = '{.insertion author="A" date="D"}'


@pytest.mark.parametrize(("old", "new", "tracked"), [
    ("- a\n", "- a\n- b c\n", f"- a\n- [b c]{INS}\n"),  # an inserted item stays an item
    ("Text.\n", "Text.\n\n## New part\n", f"Text.\n\n## [New part]{INS}\n"),  # a heading stays a heading
    ("| A |\n|---|\n| x |\n", "| A | B |\n|---|---|\n| x | 1 |\n",
     f"| A | [B]{INS} |\n|---|---|\n| x | [1]{INS} |\n"),  # each cell on its own, the rule untouched
    ("Text.\n", "Text.\n\n```\ncode\n```\n", "Text.\n\n```\ncode\n```\n"),  # code cannot hold a span
    ("Use `a` now.\n", "Use `a b` now.\n", "Use `a b` now.\n"),
    ("Text.[^1]\n\n[^1]: Old.\n", "Text.[^1]\n\n[^1]: Old.\n\n[^2]: New.\n",
     f"Text.[^1]\n\n[^1]: Old.\n\n[^2]: [New.]{INS}\n"),  # a new note stays a note
])
def test_tracked_markdown_keeps_the_blocks_an_insertion_makes(old: str, new: str, tracked: str) -> None:
    assert tracked_markdown(diff_of(old, new), "A", "D") == tracked


def test_a_rewrapped_paragraph_is_no_change_but_a_changed_word_in_it_is() -> None:
    old = "Terror groups move money\nthrough charities and hawala.\n"
    rewrapped = "Terror groups move\nmoney through charities and hawala.\n"
    assert not diff_of(old, rewrapped).changed
    assert format_terminal(diff_of(old, rewrapped), color=False).endswith("\nno changes")
    assert tracked_markdown(diff_of(old, rewrapped), "A", "D") == rewrapped
    edited = rewrapped.replace("charities", "fronts")
    assert format_terminal(diff_of(old, edited), color=False).splitlines()[1:] == [
        "   2: money through [-charities-]{+fronts+} and hawala."]


def test_joining_two_paragraphs_is_a_change() -> None:
    assert diff_of("One.\n\nTwo.\n", "One. Two.\n").changed


def test_a_paragraph_break_made_or_removed_shows_as_a_pilcrow() -> None:
    assert format_terminal(diff_of("One.\n\nTwo.\n", "One. Two.\n"), color=False).splitlines()[1:] == [
        "   1: One.[-¶-] Two."]
    assert format_terminal(diff_of("One. Two.\n", "One.\n\nTwo.\n"), color=False).splitlines()[1:] == [
        "   1: One.{+¶+}"]


DEL = '{.deletion author="A" date="D"}'


@pytest.mark.parametrize(("old", "new", "tracked"), [
    ("- a\n- b\n- c\n", "- a\n- c\n", f"- a\n- [b]{DEL}\n- c\n"),  # a deleted item is an item, struck
    ("One.\n\nGone now.\n\nTwo.\n", "One.\n\nTwo.\n", f"One.\n\n[Gone now.]{DEL}\n\nTwo.\n"),
    ("| A |\n|---|\n| x |\n| y |\n", "| A |\n|---|\n| x |\n", f"| A |\n|---|\n| x |\n| [y]{DEL} |\n"),
    ("## Old part\n\nText.\n", "Text.\n", f"## [Old part]{DEL}\n\nText.\n"),
])
def test_tracked_markdown_keeps_the_blocks_a_deletion_removes(old: str, new: str, tracked: str) -> None:
    assert tracked_markdown(diff_of(old, new), "A", "D") == tracked
