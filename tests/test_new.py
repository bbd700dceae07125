"""`nsp new chapter|theme|paper`, run as a user runs it: the files it writes, the list it adds them to (edited in
place: every comment and every other byte of the file stays), what `nsp check` says next, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import nsp, write

THEME_YAML = (
    "# Alpha: the chapters in the order of the paper.\n"
    'title: "Alpha Theme"   # as the cover shows it\n'
    "lead: lee\n"
    "researchers: [ana]\n"
    "required_sections: [Context]\n"
    "chapters:\n"
    "  - 01-first.md\n"
    "  - 02-second.md  # the short one\n"
    "# Keep a new chapter's number one above the last.\n"
)

NEW_CHAPTER = (
    "---\n"
    'title: "Border Trust"\n'
    "authors: [ana]\n"
    "---\n"
    "\n"
    "## Context\n"
    "\n"
    "TODO: write this section.\n"
)

# What `nsp check` says of a chapter nsp new has just written: a draft nobody has approved, one TODO a section.
CHECK_AFTER_CHAPTER = [
    "alpha/03-border-trust.md:2: R304 not yet approved (draft); waiting for Lee Lead",
    "alpha/03-border-trust.md:8: S106 TODO marker: resolve it before the chapter is approved",
    "0 errors, 2 warnings in 9 files.",
]


def files(root: Path) -> dict[str, bytes]:
    """Every file of the repository (git's own and build/ aside), by path and bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not {".git", "build"} & set(p.relative_to(root).parts)}


def refuses(root: Path, line: str, *args: str) -> None:
    """`nsp new …` exits 1 with exactly `line` and writes nothing."""
    before = files(root)
    result = nsp(root, "new", *args)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", line + "\n")
    assert files(root) == before


def test_new_chapter_is_written_and_listed_with_every_comment_kept(small_paper: Path) -> None:
    write(small_paper, "alpha/theme.yaml", THEME_YAML)
    result = nsp(small_paper, "new", "chapter", "alpha", "Border Trust", "--author", "ana")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote alpha/03-border-trust.md",
        "listed it in alpha/theme.yaml (chapters:)",
        "next: write the sections (nsp check lists each TODO), preview with `nsp build alpha/03-border-trust.md`, "
        "then `git add alpha/03-border-trust.md alpha/theme.yaml`",
    ]
    assert (small_paper / "alpha/03-border-trust.md").read_text("utf-8") == NEW_CHAPTER
    # The theme.yaml is the same bytes, comments and all, with one line inserted after the last chapter.
    lines = THEME_YAML.splitlines(keepends=True)
    assert (small_paper / "alpha/theme.yaml").read_text("utf-8") == "".join(
        [*lines[:8], "  - 03-border-trust.md\n", *lines[8:]])
    check = nsp(small_paper, "check", "--paper", "small")
    assert (check.returncode, check.stdout.splitlines(), check.stderr) == (0, CHECK_AFTER_CHAPTER, "")


@pytest.mark.parametrize(("chapters", "after"), [
    ("chapters: [01-first.md, 02-second.md]  # in order\n",
     "chapters: [01-first.md, 02-second.md, 03-border-trust.md]  # in order\n"),
    ('chapters: ["01-first.md", "02-second.md"]\n',
     'chapters: ["01-first.md", "02-second.md", "03-border-trust.md"]\n'),
    ("chapters: [\n    01-first.md,\n    02-second.md,\n]\n",
     "chapters: [\n    01-first.md,\n    02-second.md,\n    03-border-trust.md,\n]\n"),
    ("chapters:\n- '01-first.md'\n- '02-second.md'\nmin_words: 1\n",
     "chapters:\n- '01-first.md'\n- '02-second.md'\n- '03-border-trust.md'\nmin_words: 1\n"),
], ids=["flow", "flow-quoted", "flow-one-a-line", "block-unindented-quoted"])
def test_new_chapter_follows_the_style_of_the_list(small_paper: Path, chapters: str, after: str) -> None:
    head = '# Alpha\ntitle: "Alpha Theme"\nlead: lee\nresearchers: [ana]\nrequired_sections: [Context]\n'
    write(small_paper, "alpha/theme.yaml", head + chapters)
    result = nsp(small_paper, "new", "chapter", "alpha", "Border Trust", "--author", "ana")
    assert result.returncode == 0, result.stderr
    assert (small_paper / "alpha/theme.yaml").read_text("utf-8") == head + after


def test_new_chapter_keeps_crlf_and_numbers_after_the_highest(small_paper: Path) -> None:
    text = "title: Alpha\r\nlead: lee\r\nrequired_sections: [Context, Action plan]\r\nchapters:\r\n" \
           "  - 01-first.md\r\n  - 07-second.md\r\n"
    (small_paper / "alpha/theme.yaml").write_bytes(text.encode())
    result = nsp(small_paper, "new", "chapter", "alpha", "Ünïcode — Trust, Borders & Co.!", "--author", "ana",
                 "--author", "lee")
    assert result.returncode == 0, result.stderr
    assert (small_paper / "alpha/theme.yaml").read_bytes() == (text + "  - 08-unicode-trust-borders-co.md\r\n").encode()
    assert (small_paper / "alpha/08-unicode-trust-borders-co.md").read_text("utf-8") == (
        '---\ntitle: "Ünïcode — Trust, Borders & Co.!"\nauthors: [ana, lee]\n---\n\n'
        "## Context\n\nTODO: write this section.\n\n## Action plan\n\nTODO: write this section.\n")


def test_new_chapter_says_which_author_check_will_report(small_paper: Path) -> None:
    # `alpha/` as a path works as the theme's name; sam writes on alpha without being one of its researchers.
    result = nsp(small_paper, "new", "chapter", "alpha/", "Border Trust", "--author", "ana", "--author", "sam")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == ("note: sam is neither the lead nor a researcher of alpha; nsp check "
                                             "reports it (P402) until they are added to researchers: in "
                                             "alpha/theme.yaml")
    check = nsp(small_paper, "check", "--paper", "small", "alpha/03-border-trust.md")
    assert "alpha/03-border-trust.md:3: P402 author 'sam' is not assigned to alpha; add them to researchers: in " \
           "alpha/theme.yaml" in check.stdout.splitlines()
    # The same command again would start a second chapter of that title (S109, an error): refused.
    refuses(small_paper, "nsp: alpha/03-border-trust.md already has the title 'Border Trust'; two chapters of one "
                         "paper cannot share a title (S109); nothing written",
            "chapter", "alpha", "border  trust", "--author", "ana")


def test_new_chapter_refuses_what_it_cannot_do(small_paper: Path) -> None:
    chapter = ("chapter", "alpha", "Border Trust", "--author", "ana")
    refuses(small_paper, "nsp: no theme 'alpah': alpah/theme.yaml does not exist (did you mean 'alpha'?)",
            "chapter", "alpah", "Border Trust", "--author", "ana")
    refuses(small_paper, "nsp: author 'anna' is not in papers/people.yaml (did you mean 'ana'?)",
            "chapter", "alpha", "Border Trust", "--author", "ana", "--author", "anna")
    refuses(small_paper, "nsp: author 'zed' is not in papers/people.yaml; add them there first",
            "chapter", "alpha", "Border Trust", "--author", "zed")
    refuses(small_paper, "nsp: the title must be one line of text; nothing written",
            "chapter", "alpha", "Border\nTrust", "--author", "ana")
    write(small_paper, "alpha/03-border-trust.md", "an orphan draft\n")
    refuses(small_paper, "nsp: alpha/03-border-trust.md already exists; nothing written (give the chapter another "
                         "title, or list that file in alpha/theme.yaml)", *chapter)
    (small_paper / "alpha/03-border-trust.md").unlink()
    write(small_paper, "alpha/theme.yaml", 'title: "Alpha"\nchapters: [01-first.md\n')
    refuses(small_paper, "nsp: alpha/theme.yaml cannot be parsed, nothing written: alpha/theme.yaml:3: E003 YAML "
                         "syntax error: did not find expected ',' or ']'; check indentation, colons and quotes",
            *chapter)
    write(small_paper, "alpha/theme.yaml", 'title: "Alpha"\nchapters: 01-first.md\n')
    refuses(small_paper, "nsp: alpha/theme.yaml: chapters: is not a list (write chapters: [] or one '- name' line "
                         "per entry); nothing written", *chapter)


def test_new_theme_is_written_and_added_to_the_paper(small_paper: Path) -> None:
    manifest = (small_paper / "papers/small.yaml").read_text("utf-8")
    write(small_paper, "papers/small.yaml", "# The small paper.\n" + manifest.replace(
        "themes: [alpha]", "themes: [alpha]   # in order"))
    result = nsp(small_paper, "new", "theme", "beta", "--lead", "lee", "--paper", "small", "--title", "Beta: Ports")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote beta/theme.yaml",
        "listed it in papers/small.yaml (themes:)",
        "next: add researchers and reviewers to beta/theme.yaml, have the secretariat confirm them "
        "(`nsp review confirm-rules beta --by ID`), then `nsp new chapter beta \"Title\" --author ID`; "
        "`git add beta papers/small.yaml`",
    ]
    assert (small_paper / "beta/theme.yaml").read_text("utf-8") == (
        "# The theme's people, its chapters in the order of the paper, and the sections every chapter must have.\n"
        'title: "Beta: Ports"\nlead: lee\nresearchers: []\nreviewers: []\nrequired_sections: [Context]\n'
        "chapters: []\n")
    assert (small_paper / "papers/small.yaml").read_text("utf-8") == "# The small paper.\n" + manifest.replace(
        "themes: [alpha]", "themes: [alpha, beta]   # in order")
    check = nsp(small_paper, "check", "--paper", "small")
    assert (check.returncode, check.stdout.splitlines()) == (0, [
        "beta/theme.yaml:3: R306 the secretariat has not confirmed who signs the chapters of beta (lead, reviewers, "
        "required_reviewers); until it does none can be approved: `nsp review confirm-rules beta --by ID` (ID: a "
        "member of the secretariat)",
        "0 errors, 1 warning in 9 files.",
    ])
    # The new theme takes a chapter at once, numbered 01, with the sections copied from alpha.
    chapter = nsp(small_paper, "new", "chapter", "beta", "Ports", "--author", "lee")
    assert chapter.returncode == 0, chapter.stderr
    assert (small_paper / "beta/theme.yaml").read_text("utf-8").endswith("chapters: [01-ports.md]\n")


def test_new_theme_joins_a_block_list_and_defaults_its_title(small_paper: Path) -> None:
    manifest = (small_paper / "papers/small.yaml").read_text("utf-8")
    write(small_paper, "papers/small.yaml", manifest.replace("themes: [alpha]", "themes:\n    - alpha  # first"))
    result = nsp(small_paper, "new", "theme", "port_crime", "--lead", "lee", "--paper", "small")
    assert result.returncode == 0, result.stderr
    assert (small_paper / "papers/small.yaml").read_text("utf-8") == manifest.replace(
        "themes: [alpha]", "themes:\n    - alpha  # first\n    - port_crime")
    assert 'title: "Port Crime"\n' in (small_paper / "port_crime/theme.yaml").read_text("utf-8")


def test_new_theme_refuses_what_it_cannot_do(small_paper: Path) -> None:
    refuses(small_paper, "nsp: alpha/ already exists; nothing written", "theme", "alpha", "--lead", "lee",
            "--paper", "small")
    refuses(small_paper, "nsp: lead 'leee' is not in papers/people.yaml (did you mean 'lee'?)",
            "theme", "beta", "--lead", "leee", "--paper", "small")
    for bad in ("Beta", "be-ta", "_beta", "be/ta"):
        refuses(small_paper, f"nsp: '{bad}' is not a theme id (lower-case letters, digits and '_', starting with a "
                             "letter); nothing written", "theme", bad, "--lead", "lee", "--paper", "small")
    refuses(small_paper, "nsp: 'papers' is one of the repository's own folders; nothing written",
            "theme", "papers", "--lead", "lee", "--paper", "small")
    refuses(small_paper, "nsp: no paper 'national-strategy': papers/national-strategy.yaml does not exist "
                         "(papers here: small)", "theme", "beta", "--lead", "lee")


def test_new_paper_is_modelled_on_a_theme_paper(small_paper: Path) -> None:
    result = nsp(small_paper, "new", "paper", "alpha-paper", "--theme", "alpha", "--title", "Alpha \"Paper\"")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote papers/alpha-paper.yaml",
        "next: check it with `nsp check --paper alpha-paper`, build it with `nsp build --paper alpha-paper`; "
        "`git add papers/alpha-paper.yaml`",
    ]
    assert (small_paper / "papers/alpha-paper.yaml").read_text("utf-8") == (
        "# The strategy paper: what goes in, in which order (modelled on papers/small.yaml).\n"
        'title: "Alpha \\"Paper\\""\nsubtitle: "A test"\npublisher: "Test Initiative"\nthemes: [alpha]\n'
        "bibliography: [references.bib]\ncsl: templates/csl/chicago-author-date.csl\n")
    check = nsp(small_paper, "check", "--paper", "alpha-paper")
    assert (check.returncode, check.stdout) == (0, "All clear: no findings in 8 files.\n")
    empty = nsp(small_paper, "new", "paper", "later")
    assert empty.returncode == 0, empty.stderr
    assert "themes: []\n" in (small_paper / "papers/later.yaml").read_text("utf-8")
    assert nsp(small_paper, "check", "--paper", "later").returncode == 0


def test_new_paper_refuses_what_it_cannot_do(small_paper: Path) -> None:
    refuses(small_paper, "nsp: papers/small.yaml already exists; nothing written", "paper", "small")
    refuses(small_paper, "nsp: papers/people.yaml already exists; nothing written", "paper", "people")
    refuses(small_paper, "nsp: 'Big/Paper' is not a paper id (lower-case letters, digits, '-' and '_' only); "
                         "nothing written", "paper", "Big/Paper")
    refuses(small_paper, "nsp: no theme 'alfa': alfa/theme.yaml does not exist (did you mean 'alpha'?)",
            "paper", "big", "--theme", "alfa")
