"""Who signs: a verdict is recorded by its reviewer (or on their behalf, saying how), and a record counts only
when the commit that added it is theirs (and signed, where the paper requires it). Through the installed command."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import build_tree, git, nsp, write

GOLDEN = Path(__file__).parent / "golden"
FIRST, SECOND = "alpha/01-first.md", "alpha/02-second.md"
LOG = "alpha/reviews.yaml"
LEE, ANA, SEC = "lee@alpha.example", "ana@alpha.example", "sec@alpha.example"
LETTER = "letter of 12 May, scanned in the secretariat file"


def as_user(root: Path, email: str) -> None:
    """Who `nsp review` is run by: git's user.email in the repository."""
    git(root, "config", "user.email", email)


def commit(root: Path, email: str, *paths: str, message: str = "reviews") -> str:
    git(root, "add", *(paths or ("-A",)))
    git(root, "commit", "-qm", message, email=email, name=email.split("@")[0])
    return git(root, "rev-parse", "HEAD").strip()


def edit(root: Path, chapter: str) -> None:
    path = root / chapter
    path.write_text(path.read_text() + "\nA later sentence.\n")


def sha256(root: Path, rel: str) -> str:
    return "sha256:" + hashlib.sha256((root / rel).read_bytes()).hexdigest()


def last_record_line(root: Path) -> int:
    lines = (root / LOG).read_text().split("\n")
    return max(n for n, line in enumerate(lines, start=1) if line.startswith("- "))


def findings(result: subprocess.CompletedProcess[str], code: str) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if f" {code} " in line]


def status_rows(root: Path, env: dict[str, str] | None = None) -> dict[str, dict[str, object]]:
    result = nsp(root, "status", "--paper", "small", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    return {row["chapter"]: row for row in json.loads(result.stdout)}


# -- nsp review: only the reviewer records their verdict, or it says how it was received ---------------------

def test_review_refuses_to_record_someone_elses_verdict(small_paper: Path) -> None:
    edit(small_paper, SECOND)
    before = (small_paper / LOG).read_bytes()
    as_user(small_paper, ANA)
    result = nsp(small_paper, "review", "approve", SECOND, "--by", "lee")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"nsp: git knows you as {ANA}, not as Lee Lead ({LEE}): only they can record their own verdict; to record one "
        "they gave you, add --on-behalf \"how it was received\" (e.g. a letter's date)")
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert (small_paper / LOG).read_bytes() == before

    changes = nsp(small_paper, "review", "request-changes", SECOND, "--by", "lee", "--note", "More sources.")
    assert changes.returncode == 1 and "git knows you as ana@alpha.example, not as Lee Lead" in changes.stderr
    assert (small_paper / LOG).read_bytes() == before


def test_review_refuses_when_git_does_not_know_who_you_are(small_paper: Path) -> None:
    git(small_paper, "config", "--unset", "user.email")
    before = (small_paper / LOG).read_bytes()
    # No identity anywhere: no repository setting, and no global or system git configuration.
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "EMAIL": ""}
    result = nsp(small_paper, "review", "approve", FIRST, "--by", "lee", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "nsp: git does not know who you are (no user.email), not as Lee Lead (lee@alpha.example)"
    )
    on_behalf = nsp(small_paper, "review", "approve", FIRST, "--by", "lee", "--on-behalf", LETTER, env=env)
    assert on_behalf.returncode == 1
    assert on_behalf.stderr.strip() == ("nsp: a record made on someone's behalf names who made it: set your git email "
                                        "first (git config user.email YOU@…)")
    assert (small_paper / LOG).read_bytes() == before


def test_a_reviewer_without_an_email_can_only_be_recorded_on_their_behalf(small_paper: Path) -> None:
    people = small_paper / "papers" / "people.yaml"
    people.write_text(people.read_text().replace(f"  email: {LEE}\n", ""))
    edit(small_paper, SECOND)
    result = nsp(small_paper, "review", "approve", SECOND, "--by", "lee")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "nsp: Lee Lead has no email: in papers/people.yaml, so nsp cannot tell that you are them"
    )
    as_user(small_paper, SEC)
    assert nsp(small_paper, "review", "approve", SECOND, "--by", "lee", "--on-behalf", LETTER).returncode == 0


# -- provenance: the commit that added a record ---------------------------------------------------------------

def hand_written_approval(root: Path, chapter: str, date: str) -> int:
    """Append an approval 'by' the lead, with the right hash and an earlier date, as nobody's tool would; its line."""
    log = root / LOG
    text = log.read_text()
    log.write_text(text + f"- chapter: {chapter.split('/')[1]}\n  reviewer: lee\n  verdict: approved\n"
                          f"  revision: {sha256(root, chapter)}\n  date: {date}\n")
    return text.count("\n") + 1


def test_a_hand_added_backdated_record_does_not_count_and_blocks_publishing(small_paper: Path) -> None:
    assert nsp(small_paper, "build", "--paper", "small").returncode == 0
    edit(small_paper, SECOND)
    commit(small_paper, ANA, SECOND, message="More text")
    line = hand_written_approval(small_paper, SECOND, "2020-01-10")
    forged = commit(small_paper, ANA, LOG, message="Lee approved this by phone")

    check = nsp(small_paper, "check", "--paper", "small")
    assert check.returncode == 0  # warnings: drafts still build
    assert findings(check, "R311") == [
        f"{LOG}:{line}: R311 approval by Lee Lead of 02-second.md was committed by {ANA} (commit {forged[:10]}), "
        f"not by Lee Lead ({LEE}): it does not count unless they commit it, or it is recorded with --on-behalf"]
    assert [f.split(": ")[1].split()[0] for f in findings(check, "R302")] == ["R302"]  # still stale: it did not count
    assert status_rows(small_paper)[SECOND]["review"] == "stale"
    assert nsp(small_paper, "check", "--paper", "small", "--strict").returncode == 1

    before = build_tree(small_paper)
    published = nsp(small_paper, "publish", "1.0", "--paper", "small", "--date", "2020-02-01")
    assert published.returncode == 1
    assert f"{LOG}:{line}: R311 approval by Lee Lead of 02-second.md was committed by {ANA}" in published.stderr
    assert published.stderr.strip().endswith("(every chapter approved, no errors, no warnings)")
    assert "Traceback" not in published.stderr
    assert build_tree(small_paper) == before and not (small_paper / "build" / "releases" / "small-1.0").exists()


def test_changing_the_revision_of_the_leads_record_is_caught(small_paper: Path) -> None:
    """The lead's own record, its text hash rewritten to the edited chapter's by someone else
    (blame names that line)."""
    old = sha256(small_paper, SECOND)
    edit(small_paper, SECOND)
    log = small_paper / LOG
    log.write_text(log.read_text().replace(old, sha256(small_paper, SECOND)))
    changed = commit(small_paper, ANA, message="update hash")
    check = nsp(small_paper, "check", "--paper", "small")
    assert findings(check, "R311") == [
        f"{LOG}:10: R311 approval by Lee Lead of 02-second.md was committed by {ANA} (commit {changed[:10]}), "
        f"not by Lee Lead ({LEE}): it does not count unless they commit it, or it is recorded with --on-behalf"]
    assert status_rows(small_paper)[SECOND]["review"] == "draft"


def test_a_mailmap_does_not_make_a_commit_the_leads(small_paper: Path) -> None:
    edit(small_paper, SECOND)
    hand_written_approval(small_paper, SECOND, "2020-01-20")
    write(small_paper, ".mailmap", f"Lee Lead <{LEE}> <{ANA}>\n")  # blame would show Ana's commit as Lee's
    commit(small_paper, ANA, message="approved")
    assert git(small_paper, "blame", "--porcelain", "--", LOG).count(f"author-mail <{LEE}>") > 0  # it would
    check = nsp(small_paper, "check", "--paper", "small")
    assert len(findings(check, "R311")) == 1 and f"committed by {ANA}" in findings(check, "R311")[0]


def test_an_uncommitted_record_is_pending_until_committed_as_the_reviewer(small_paper: Path) -> None:
    edit(small_paper, SECOND)
    commit(small_paper, ANA, SECOND)
    as_user(small_paper, LEE)
    recorded = nsp(small_paper, "review", "approve", SECOND, "--by", "lee")
    assert recorded.returncode == 0, recorded.stderr
    kept = f"alpha/approved/{hashlib.sha256((small_paper / SECOND).read_bytes()).hexdigest()}.md"
    assert recorded.stdout.splitlines()[1] == (f"next: git add alpha/reviews.yaml {kept} && git commit, as yourself; "
                                               "until then nsp check reports the record as pending")
    line = last_record_line(small_paper)
    check = nsp(small_paper, "check", "--paper", "small")
    assert check.stdout.splitlines() == [
        f"{LOG}:{line}: R310 approval by Lee Lead of 02-second.md is not committed yet: commit {LOG} (as Lee Lead) "
        "so it can be traced", "0 errors, 1 warning in 8 files."]
    assert status_rows(small_paper)[SECOND]["review"] == "approved"  # provisionally, for drafts
    assert findings(nsp(small_paper, "publish", "1.0", "--paper", "small"), "R310")

    commit(small_paper, LEE, LOG)  # same files, a new commit: the check must not replay the old answer
    assert nsp(small_paper, "check", "--paper", "small", "--strict").stdout == "All clear: no findings in 8 files.\n"


def test_outside_git_nothing_can_be_traced_and_drafts_still_build(small_paper: Path) -> None:
    shutil.rmtree(small_paper / ".git")
    message = (f"{LOG}: R313 this folder is not in a git repository: no review record can be traced to who committed "
               "it; keep the paper in git")
    check = nsp(small_paper, "check", "--paper", "small")
    assert check.stdout.splitlines() == [message, "0 errors, 1 warning in 8 files."] and check.returncode == 0
    assert nsp(small_paper, "check", "--paper", "small", "--strict").returncode == 1
    build = nsp(small_paper, "build", "--paper", "small")
    assert build.returncode == 0 and message in build.stderr.splitlines()


def test_without_git_installed_one_finding_and_no_traceback(small_paper: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    check = nsp(small_paper, "check", "--paper", "small", env={"PATH": str(empty)})
    assert check.stdout.splitlines() == [
        f"{LOG}: R313 git is not installed: no review record can be traced to who committed it; keep the paper in git",
        "0 errors, 1 warning in 8 files."]
    review = nsp(small_paper, "review", "approve", FIRST, "--by", "lee", env={"PATH": str(empty)})
    assert review.returncode == 1 and "git does not know who you are" in review.stderr
    assert "Traceback" not in check.stderr + review.stderr


def test_a_shallow_clone_cannot_trace_its_records(small_paper: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{small_paper}", str(clone))
    check = nsp(clone, "check", "--paper", "small")
    assert findings(check, "R313") == [f"{LOG}: R313 this is a shallow clone: review records cannot be traced to the "
                                       "commits that added them; fetch the whole history (git fetch --unshallow)"]


# -- on behalf: recorded, committed by who recorded it, shown wherever the approval appears -------------------

def test_on_behalf_is_recorded_and_shown_everywhere(small_paper: Path) -> None:
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + "outputs: [html]\n")
    edit(small_paper, FIRST)
    edit(small_paper, SECOND)
    commit(small_paper, ANA, message="More text")
    as_user(small_paper, SEC)
    recorded = nsp(
        small_paper, "review", "approve", SECOND, "--by", "lee", "--on-behalf", LETTER, "--date", "2020-01-20"
    )
    assert recorded.returncode == 0, recorded.stderr
    how = f"on their behalf: “{LETTER}”, recorded by {SEC}"
    assert recorded.stdout.splitlines()[0].endswith(f"({how})")
    assert f"  on_behalf: {LETTER}\n  recorded_by: {SEC}\n" in (small_paper / LOG).read_text()
    commit(small_paper, SEC, LOG)

    check = nsp(small_paper, "check", "--paper", "small")
    assert not findings(check, "R311") and not findings(check, "R314")  # committed by who recorded it
    row = status_rows(small_paper)[SECOND]
    assert row["review"] == "approved"
    assert row["approvals"] == [{"reviewer": "lee", "name": "Lee Lead", "date": "2020-01-20", "on_behalf": LETTER,
                                 "recorded_by": SEC}]
    text = nsp(small_paper, "status", "--paper", "small").stdout
    assert f"  02-second.md: approved by Lee Lead on 2020-01-20 {how}" in text.splitlines()

    # A draft (the first chapter's approval is stale): the byline and the review-status annex say how.
    assert nsp(small_paper, "build", "--paper", "small").returncode == 0
    draft = " ".join((small_paper / "build" / "small.html").read_text().split())
    assert f"Reviewers: Lee Lead (theme lead, approved 20 Jan 2020 {how}) · Status: approved" in draft
    assert f"Lee Lead (20 Jan 2020 {how})" in draft  # the annex

    as_user(small_paper, LEE)
    assert nsp(small_paper, "review", "approve", FIRST, "--by", "lee", "--date", "2020-01-21").returncode == 0
    commit(small_paper, LEE, LOG)
    published = nsp(small_paper, "publish", "1.0", "--paper", "small", "--date", "2020-02-01")
    assert published.returncode == 0, published.stderr
    folder = small_paper / "build" / "releases" / "small-1.0"
    chapters = {c["path"]: c for c in json.loads((folder / "manifest.json").read_text())["chapters"]}
    by_letter = git(small_paper, "log", "--format=%H", "--author", SEC, "--", LOG).split()[0]
    assert chapters[SECOND]["approvals"] == [{"reviewer": "lee", "name": "Lee Lead", "date": "2020-01-20",
                                              "commit": by_letter, "on_behalf": LETTER, "recorded_by": SEC}]
    assert "on_behalf" not in chapters[FIRST]["approvals"][0]
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(folder / "small.pdf").pages).split())
    colophon = pdf.split("Colophon")[-1]
    assert f"Lee Lead, Second Chapter, 20 Jan 2020: {how}" in colophon
    web = " ".join((folder / "small.html").read_text().split())
    assert f"approved 20 Jan 2020 {how}" in web


def test_an_on_behalf_record_committed_by_someone_else_does_not_count(small_paper: Path) -> None:
    edit(small_paper, SECOND)
    as_user(small_paper, SEC)
    assert nsp(small_paper, "review", "approve", SECOND, "--by", "lee", "--on-behalf", LETTER).returncode == 0
    by_ana = commit(small_paper, ANA, message="recorded")
    check = nsp(small_paper, "check", "--paper", "small")
    line = last_record_line(small_paper)
    assert findings(check, "R314") == [
        f"{LOG}:{line}: R314 approval by Lee Lead of 02-second.md says it was recorded by {SEC}, but commit "
        f"{by_ana[:10]} is by {ANA}: it does not count"]
    assert status_rows(small_paper)[SECOND]["review"] == "stale"


# -- signed commits ------------------------------------------------------------------------------------------

@pytest.fixture
def gnupg() -> Iterator[dict[str, str]]:
    """A throwaway GnuPG home holding one key for the lead; its agent is stopped afterwards."""
    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed: signed commits cannot be made here")
    home = tempfile.mkdtemp(prefix="nsp-gpg-", dir="/tmp")  # short: gpg-agent's socket path has a length limit
    env = {**os.environ, "GNUPGHOME": home}
    try:
        made = subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", f"Lee Lead <{LEE}>",
                               "ed25519", "sign", "never"], env=env, capture_output=True, text=True, timeout=60)
        if made.returncode != 0:
            pytest.skip(f"gpg cannot make a key here: {made.stderr.strip().splitlines()[-1:]}")
        yield {"GNUPGHOME": home}
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env=env, capture_output=True, timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def test_signatures_when_the_paper_requires_them(small_paper: Path, gnupg: dict[str, str]) -> None:
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text() + "require_signed_reviews: true\n")
    commit(small_paper, ANA, message="Require signed reviews")
    check = nsp(small_paper, "check", "--paper", "small", env=gnupg)
    unsigned = findings(check, "R312")  # the fixture's commit by the lead is not signed
    assert len(unsigned) == 2 and unsigned[0].startswith(
        f"{LOG}:2: R312 approval by Lee Lead of 01-first.md: commit ")
    assert unsigned[0].endswith("has no signature that verifies, and papers/small.yaml requires signed reviews: it "
                                "does not count; sign the commit (git commit -S) with a key the keyring knows")
    assert status_rows(small_paper, gnupg)[FIRST]["review"] == "draft"

    edit(small_paper, FIRST)
    edit(small_paper, SECOND)
    commit(small_paper, ANA, message="More text")
    as_user(small_paper, LEE)
    for chapter in (FIRST, SECOND):
        assert nsp(small_paper, "review", "approve", chapter, "--by", "lee").returncode == 0
    identity = {"GIT_AUTHOR_NAME": "Lee Lead", "GIT_AUTHOR_EMAIL": LEE, "GIT_COMMITTER_NAME": "Lee Lead",
                "GIT_COMMITTER_EMAIL": LEE, **gnupg}
    git(small_paper, "add", LOG)
    signed = subprocess.run(["git", "-c", f"user.signingkey={LEE}", "commit", "-S", "-qm", "Signed approvals"],
                            cwd=small_paper, env={**os.environ, **identity}, capture_output=True, text=True, timeout=60)
    assert signed.returncode == 0, signed.stderr
    check = nsp(small_paper, "check", "--paper", "small", "--strict", env=gnupg)
    assert check.stdout == "All clear: no findings in 8 files.\n", check.stdout  # the old unsigned ones are superseded
    assert status_rows(small_paper, gnupg)[FIRST]["review"] == "approved"
    # The same signature, without the key in the keyring, verifies nothing: every record fails again.
    other_home = tempfile.mkdtemp(prefix="nsp-gpg-", dir="/tmp")
    try:
        stranger = {"GNUPGHOME": other_home}
        failed = findings(nsp(small_paper, "check", "--paper", "small", env=stranger), "R312")
        assert [f.split(": ")[0] for f in failed] == [f"{LOG}:{n}" for n in (2, 10, 18, 26)]
        assert status_rows(small_paper, stranger)[FIRST]["review"] == "draft"
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env={**os.environ, "GNUPGHOME": other_home}, capture_output=True)
        shutil.rmtree(other_home, ignore_errors=True)


# -- the golden case: every rule of this family, from a history made here ------------------------------------

def test_golden_signoff(tmp_path: Path) -> None:
    root = tmp_path / "signoff"
    shutil.copytree(GOLDEN / "signoff", root)
    log = (root / LOG).read_text()
    header, *records = log.split("\n- ")
    records = ["- " + r.rstrip("\n") + "\n" for r in records]
    (root / LOG).write_text(header + "\n")
    git(root, "init", "-q")
    decisions = (root / "alpha/signoff.yaml").read_text()
    (root / "alpha/signoff.yaml").write_text(decisions[: decisions.rindex("\n- ") + 1])
    commit(root, SEC, "alpha/signoff.yaml", message="Who signs alpha")  # the secretariat's own decision
    (root / "alpha/signoff.yaml").write_text(decisions)  # a second one, in its name, that ana commits (R308)
    commit(root, ANA, message="The chapters")
    for n, author in enumerate((LEE, ANA, ANA), start=1):  # lee's own (unsigned), a forgery, a letter ana committed
        (root / LOG).write_text(header + "\n" + "".join(records[:n]))
        commit(root, author, LOG)
    (root / LOG).write_text(log)  # the last record: not committed
    result = nsp(root, "check", "--paper", "golden")
    commits = git(root, "log", "--format=%h", "--abbrev=10").split()
    expected = (GOLDEN / "signoff.expected").read_text().replace("{forged}", commits[1]).replace("{letter}", commits[0])
    expected = expected.replace("{unsigned}", commits[2]).replace("{chapters}", commits[3])
    assert result.stdout == expected
    assert result.returncode == 1
