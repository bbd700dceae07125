"""The sign-off gate holds (issue 10, items 1-4): authors never sign, chapters cannot silence the gate,
theme rules change only when the secretariat confirms them, and an approval covers what the reader sees."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from conftest import chapter, git, nsp, snapshot, write

FIRST, SECOND = "alpha/01-first.md", "alpha/02-second.md"


def status_row(root: Path, path: str) -> dict[str, object]:
    out = nsp(root, "status", "--paper", "small", "--format", "json")
    return next(r for r in json.loads(out.stdout) if r["chapter"] == path)


def releases(root: Path) -> list[str]:
    folder = root / "build" / "releases"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def confirm(root: Path, date: str) -> None:
    """The secretariat confirms theme.yaml's signing rules, as itself, and commits its decision."""
    git(root, "config", "user.email", "sam@alpha.example")
    done = nsp(root, "review", "confirm-rules", "alpha", "--by", "sam", "--date", date)
    assert done.returncode == 0, done.stderr
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Signing rules", email="sam@alpha.example", name="Sam Secretary")


def approve(root: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`nsp review approve PATH --by ID …` as that reviewer would: under their own git email, then committed."""
    who = args[args.index("--by") + 1]
    git(root, "config", "user.email", f"{who}@alpha.example")
    done = nsp(root, "review", "approve", path, *args)
    if done.returncode == 0:
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"Approval by {who}", email=f"{who}@alpha.example", name=who)
    return done


@pytest.fixture
def paper(small_paper: Path) -> Path:
    """The small paper with Rey as the theme's reviewer (the lead and one further reviewer sign)."""
    theme = small_paper / "alpha" / "theme.yaml"
    theme.write_text(theme.read_text().replace("researchers: [ana]", "researchers: [ana]\nreviewers: [rey]"))
    people = small_paper / "papers" / "people.yaml"
    people.write_text(
        people.read_text() + "rey:\n  name: Rey Reviewer\n  group: reviewer\n  email: rey@alpha.example\n"
    )
    confirm(small_paper, "2020-01-02")
    for path in (FIRST, SECOND):
        assert approve(small_paper, path, "--by", "rey").returncode == 0
    return small_paper


def test_lead_and_reviewer_as_coauthors_cannot_approve_or_publish(paper: Path) -> None:
    """Item 1: the attack published with "approvals": []."""
    write(paper, FIRST, chapter("First Chapter", "ana, lee, rey", "## Context\n\nOpium moves west [@unodc2019].\n")
          .replace("---\n## Context", "ignore: [R301, P402]\n---\n## Context"))
    check = nsp(paper, "check", "--paper", "small", "--strict")
    lines = check.stdout.splitlines()
    assert f"{FIRST}:3: R301 no one can review this chapter; add reviewers: to alpha/theme.yaml" in lines
    assert (
        f"{FIRST}:3: P402 author 'rey' is not assigned to alpha; add them to researchers: in alpha/theme.yaml" in lines
    )
    assert check.returncode == 1 and "Traceback" not in check.stderr
    row = status_row(paper, FIRST)
    assert row["review"] == "cannot be approved"
    assert row["waiting_for"] == ["2 more reviewers who did not write it (none assigned)"]
    published = nsp(paper, "publish", "1.0", "--paper", "small")
    assert published.returncode == 1
    assert f"{FIRST}:3: R301 no one can review this chapter; add reviewers: to alpha/theme.yaml" in published.stderr
    assert releases(paper) == []


def test_lead_as_coauthor_needs_one_more_reviewer_not_fewer_signoffs(paper: Path) -> None:
    write(paper, FIRST, chapter("First Chapter", "ana, lee", "## Context\n\nOpium moves west [@unodc2019].\n"))
    assert approve(paper, FIRST, "--by", "rey").returncode == 0  # the one reviewer there is
    check = nsp(paper, "check", "--paper", "small", "--strict", FIRST)
    assert (f"{FIRST}:3: R301 cannot be approved: it needs 2 sign-offs by people who did not write it, and Lee Lead "
            "is an author; add 1 more reviewer to reviewers: in alpha/theme.yaml") in check.stdout.splitlines()
    assert check.returncode == 1
    assert status_row(paper, FIRST)["review"] == "cannot be approved"
    # A second reviewer who did not write it: now both further reviewers must sign in the lead's place.
    theme = paper / "alpha" / "theme.yaml"
    theme.write_text(theme.read_text().replace("reviewers: [rey]", "reviewers: [rey, ana2]"))
    (paper / "papers" / "people.yaml").write_text(
        (paper / "papers" / "people.yaml").read_text()
        + "ana2:\n  name: Ann Other\n  group: reviewer\n  email: ana2@alpha.example\n"
    )
    confirm(paper, "2020-01-03")
    assert status_row(paper, FIRST)["waiting_for"] == ["Ann Other"]
    assert approve(paper, FIRST, "--by", "ana2").returncode == 0
    assert status_row(paper, FIRST)["review"] == "approved"


def test_a_chapter_cannot_ignore_review_people_or_safety_rules(paper: Path) -> None:
    """Item 2: `ignore: [R302, R304]` made an edited chapter "All clear"."""
    text = (paper / SECOND).read_text().replace("Trust matters", "Trust counts")
    (paper / SECOND).write_text(text.replace("---\n## Context", "ignore: [R302, R304, S107]\n---\n## Context"))
    check = nsp(paper, "check", "--paper", "small", SECOND)
    lines = check.stdout.splitlines()
    assert any(line.startswith(f"{SECOND}:2: R302 approval by Rey Reviewer on ") for line in lines), lines
    assert (f"{SECOND}:4: E013 ignore: R302, R304 cannot be ignored here: review (R3xx), people (P4xx) and safety "
            "(A5xx) rules judge the chapter, so it cannot silence them; remove them from ignore:") in lines
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert status_row(paper, SECOND)["review"] == "stale"


def test_the_manifest_cannot_empty_the_publish_gate(paper: Path) -> None:
    edited = (paper / SECOND).read_text().replace("Trust matters", "Trust counts")
    (paper / SECOND).write_text(edited)
    manifest = paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + "select: [S1]\nignore: [R3, P4, A5]\n")
    assert nsp(paper, "check", "--paper", "small", "--strict").returncode == 0  # a view the user chose
    assert nsp(paper, "build", "--paper", "small").returncode == 0
    before = snapshot(paper)
    published = nsp(paper, "publish", "1.0", "--paper", "small")
    assert published.returncode == 1
    assert any(
        line.startswith(f"{SECOND}:2: R302 approval by Rey Reviewer on ") for line in published.stderr.splitlines()
    )
    assert releases(paper) == [] and snapshot(paper) == before


def test_replacing_an_image_or_a_reference_makes_the_approval_stale(paper: Path) -> None:
    """Item 4: a replaced figure kept the chapter approved and the release carried the new image."""
    from conftest import REPO

    figure = paper / "alpha" / "figures" / "channels.png"
    figure.parent.mkdir()
    figure.write_bytes((REPO / "tests" / "golden" / "assets" / "alpha" / "figures" / "ok.png").read_bytes())
    path = paper / FIRST
    path.write_text(path.read_text() + "\n![Channels of financing](figures/channels.png)\n")
    for who in ("lee", "rey"):
        assert approve(paper, FIRST, "--by", who, "--date", "2020-02-01").returncode == 0
    assert status_row(paper, FIRST)["review"] == "approved"
    log = (paper / "alpha" / "reviews.yaml").read_text()
    assert f"  text: sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}\n" in log  # what `nsp diff` looks up
    assert "  - image alpha/figures/channels.png sha256:" in log and "  - reference unodc2019 sha256:" in log

    figure.write_bytes(figure.read_bytes() + b"replaced")  # same name, other bytes
    check = nsp(paper, "check", "--paper", "small", "--strict", FIRST)
    lines = check.stdout.splitlines()
    for name in ("Lee Lead", "Rey Reviewer"):
        assert any(line.startswith(f"{FIRST}:2: R302 approval by {name} on 2020-02-01 was for revision sha256:")
                   and line.endswith("; since then image alpha/figures/channels.png changed") for line in lines), lines
    assert check.returncode == 1
    assert status_row(paper, FIRST)["review"] == "stale"
    published = nsp(paper, "publish", "1.0", "--paper", "small")
    assert published.returncode == 1 and "image alpha/figures/channels.png changed" in published.stderr
    assert releases(paper) == []

    # The same for the bibliography entry the chapter cites.
    for who in ("lee", "rey"):
        assert approve(paper, FIRST, "--by", who).returncode == 0
    bib = paper / "papers" / "references.bib"
    bib.write_text(bib.read_text().replace("World Drug Report 2019", "World Drug Report 2018"))
    lines = nsp(paper, "check", "--paper", "small", FIRST).stdout.splitlines()
    assert any(line.startswith(f"{FIRST}:2: R302 approval by Rey Reviewer on ")
               and line.endswith("; since then reference unodc2019 changed") for line in lines), lines


def test_records_from_before_images_are_stale_and_diff_still_finds_the_text(paper: Path) -> None:
    text_hash = "sha256:" + hashlib.sha256((paper / SECOND).read_bytes()).hexdigest()
    log = paper / "alpha" / "reviews.yaml"  # an approval as nsp recorded it before: the file's hash alone
    log.write_text(log.read_text() + f"- chapter: 02-second.md\n  reviewer: rey\n  verdict: approved\n"
                   f"  revision: {text_hash}\n  date: 2020-02-02\n")
    lines = nsp(paper, "check", "--paper", "small", SECOND).stdout.splitlines()
    assert (
        f"{SECOND}:2: R302 approval by Rey Reviewer on 2020-02-02 was for revision {text_hash[:19]}…; it covered "
        "only the chapter's text; approvals now also cover its images and references and must be given again"
    ) in lines
    assert status_row(paper, SECOND)["review"] == "stale"
    (paper / SECOND).write_text((paper / SECOND).read_text().replace("Trust matters", "Trust counts"))
    diff = nsp(paper, "diff", SECOND)
    assert diff.returncode == 0 and "[-matters-]{+counts+}" in diff.stdout


def test_a_researcher_cannot_make_themselves_lead_by_editing_theme_yaml(paper: Path) -> None:
    """Item 3: editing theme.yaml (a new lead, required_reviewers: 0) re-decided who must sign."""
    people = paper / "papers" / "people.yaml"
    people.write_text(
        people.read_text() + "umer:\n  name: Umer Riaz\n  group: researcher\n  email: umer@alpha.example\n"
    )
    theme = paper / "alpha" / "theme.yaml"
    theme.write_text(theme.read_text().replace("lead: lee", "lead: umer") + "required_reviewers: 0\n")
    (paper / SECOND).write_text((paper / SECOND).read_text().replace("Trust matters", "Trust counts"))

    refused = approve(paper, SECOND, "--by", "umer")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == (
        "nsp: Umer Riaz is not a reviewer of alpha (its lead and reviewers: Lee Lead, Rey Reviewer); add them to "
        "reviewers: in alpha/theme.yaml and have the secretariat confirm it: `nsp review confirm-rules alpha --by ID`")
    log = paper / "alpha" / "reviews.yaml"  # the same record written by hand does not count either
    log.write_text(log.read_text() + "- chapter: 02-second.md\n  reviewer: umer\n  verdict: approved\n"
                   "  revision: sha256:0\n  date: 2020-02-01\n")
    check = nsp(paper, "check", "--paper", "small")
    lines = check.stdout.splitlines()
    assert ("alpha/theme.yaml:2: R306 changes the signing rules confirmed on 2020-01-02 by Sam Secretary (lead: lee → "
            "umer; required_reviewers: 1 → 0); they stay in force until the secretariat confirms the change: "
            "`nsp review confirm-rules alpha --by ID` (ID: a member of the secretariat)") in lines
    assert any(line.endswith(" R305 'umer' is not a reviewer of alpha; the record does not count") for line in lines)
    assert check.returncode == 1
    assert status_row(paper, SECOND)["review"] == "stale"
    assert status_row(paper, SECOND)["waiting_for"] == ["Lee Lead", "Rey Reviewer"]  # the confirmed rules
    published = nsp(paper, "publish", "1.0", "--paper", "small")
    assert published.returncode == 1 and " R306 changes the signing rules" in published.stderr
    assert releases(paper) == []

    # Only the secretariat confirms; its confirmation is recorded, and from then on the new rules apply.
    denied = nsp(paper, "review", "confirm-rules", "alpha", "--by", "umer")
    assert denied.returncode == 1
    assert denied.stderr.strip() == (
        "nsp: Umer Riaz is not in the secretariat (group: researcher in papers/people.yaml): "
        "only the secretariat confirms who signs a theme's chapters"
    )
    git(paper, "config", "user.email", "sam@alpha.example")
    done = nsp(paper, "review", "confirm-rules", "alpha", "--by", "sam")
    assert done.returncode == 0 and done.stdout.startswith("recorded in alpha/signoff.yaml: from ")
    assert " R306 " not in nsp(paper, "check", "--paper", "small").stdout
    assert status_row(paper, SECOND)["waiting_for"] == ["Umer Riaz"]


def test_a_theme_without_confirmed_rules_can_approve_nothing(paper: Path) -> None:
    (paper / "alpha" / "signoff.yaml").unlink()
    lines = nsp(paper, "check", "--paper", "small").stdout.splitlines()
    assert ("alpha/theme.yaml:2: R306 the secretariat has not confirmed who signs the chapters of alpha (lead, "
            "reviewers, required_reviewers); until it does none can be approved: `nsp review confirm-rules alpha "
            "--by ID` (ID: a member of the secretariat)") in lines
    row = status_row(paper, FIRST)
    assert row["review"] == "cannot be approved"
    assert row["waiting_for"] == ["the secretariat, to confirm the theme's signing rules"]
    refused = approve(paper, FIRST, "--by", "lee")
    assert refused.returncode == 1 and refused.stderr.startswith(
        "nsp: the secretariat has not confirmed the signing rules of alpha in force on ")
    assert nsp(paper, "publish", "1.0", "--paper", "small").returncode == 1 and releases(paper) == []


def test_approvals_are_judged_against_the_rules_in_force_when_given(paper: Path) -> None:
    for who in ("lee", "rey"):
        assert approve(paper, FIRST, "--by", who, "--date", "2020-02-01").returncode == 0
    people = paper / "papers" / "people.yaml"
    people.write_text(people.read_text() + "nia:\n  name: Nia New\n  group: lead\n  email: nia@alpha.example\n")
    theme = paper / "alpha" / "theme.yaml"
    theme.write_text(theme.read_text().replace("lead: lee", "lead: nia"))
    confirm(paper, "2020-03-01")  # a new lead from March
    assert status_row(paper, FIRST)["review"] == "approved"  # signed off by the lead of the time
    published = nsp(paper, "publish", "1.0", "--paper", "small", "--date", "2020-04-01")
    assert published.returncode == 0, published.stderr
    manifest = json.loads((paper / "build" / "releases" / "small-1.0" / "manifest.json").read_text())
    first = next(c for c in manifest["chapters"] if c["path"] == FIRST)
    assert sorted(a["reviewer"] for a in first["approvals"]) == ["lee", "rey"]  # Lee was the lead then
    assert f"  revision: {first['revision']}\n" in (paper / "alpha" / "reviews.yaml").read_text()
    # A sign-off dated before Nia was lead does not count, however it was written.
    log = paper / "alpha" / "reviews.yaml"
    log.write_text(log.read_text() + "- chapter: 02-second.md\n  reviewer: nia\n  verdict: approved\n"
                   "  revision: sha256:0\n  date: 2020-02-15\n")
    lines = nsp(paper, "check", "--paper", "small").stdout.splitlines()
    assert any(line.endswith(" R305 'nia' is not a reviewer of alpha; the record does not count") for line in lines)
    assert approve(paper, SECOND, "--by", "nia", "--date", "2020-02-15").returncode == 1


def test_a_confirmation_is_the_secretarys_own_or_it_does_not_count(paper: Path) -> None:
    """Naming the secretary is not enough: `confirm-rules` runs as them, and the commit that adds it is theirs."""
    theme = paper / "alpha" / "theme.yaml"
    theme.write_text(theme.read_text().replace("lead: lee", "lead: ana2"))
    people = paper / "papers" / "people.yaml"
    people.write_text(people.read_text() + "ana2:\n  name: Ann Other\n  group: lead\n  email: ana2@alpha.example\n")
    git(paper, "config", "user.email", "ana@alpha.example")
    refused = nsp(paper, "review", "confirm-rules", "alpha", "--by", "sam")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "nsp: git knows you as ana@alpha.example, not as Sam Secretary (sam@alpha.example): "
        "only they can record the secretariat's confirmation"
    )
    log = paper / "alpha" / "signoff.yaml"  # the same decision appended by hand, and committed by its author
    log.write_text(log.read_text() + "- lead: ana2\n  reviewers: [rey]\n  required_reviewers: 1\n"
                   "  confirmed_by: sam\n  date: 2020-03-01\n")
    git(paper, "add", "-A")
    git(paper, "commit", "-qm", "new lead", email="ana@alpha.example", name="Ana Author")
    sha = git(paper, "log", "-1", "--format=%h", "--abbrev=10").strip()
    check = nsp(paper, "check", "--paper", "small")
    assert (
        f"alpha/signoff.yaml:13: R308 confirmation by Sam Secretary on 2020-03-01 was committed by ana@alpha.example "
        f"(commit {sha}), not by Sam Secretary (sam@alpha.example): it does not count"
    ) in check.stdout.splitlines()
    assert any(" R306 changes the signing rules confirmed on 2020-01-02 by Sam Secretary (lead: lee → ana2)" in line
               for line in check.stdout.splitlines()), check.stdout  # the forged decision changed nothing
    assert nsp(paper, "publish", "1.0", "--paper", "small").returncode == 1 and releases(paper) == []
