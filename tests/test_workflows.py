"""The GitHub Actions workflows: actionlint (with shellcheck on their scripts) passes, and the steps that need no
GitHub run here, on a copy of the manuscript, showing what a person sees on the pull request or the release.

A step is run as GitHub runs it (bash --noprofile --norc -eo pipefail), with $GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT
and the variables GitHub sets pointed at files and values of the test's own, and nsp on PATH as the install
step puts it there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import MANUSCRIPT, NSP, REPO, git

WORKFLOWS = REPO / ".github" / "workflows"
BIN = str(Path(NSP).parent)  # the venv's bin: nsp, actionlint, shellcheck

# The `run:` steps this suite runs, by workflow and step id ...
LOCAL = {("pull-request.yml", "annotate"), ("pull-request.yml", "check"), ("pull-request.yml", "status"),
         ("release.yml", "publish"), ("release.yml", "site")}
# ... and every other one, with why it is not run here. A new step must be added to one or the other.
ELSEWHERE = {
    ("pull-request.yml", "install"): "make install: the suite already runs in the installed .venv",
    ("pull-request.yml", "build"): "make papers: five builds, a minute; test_build_outputs builds the national paper",
    ("release.yml", "install"): "make install: the suite already runs in the installed .venv",
    ("release.yml", "attach"): "gh release: talks to GitHub",
    ("release.yml", "fetch"): "gh release: talks to GitHub",
}
CHANGED = "cyber_crime/01-teledensity-and-threats.md"


def workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def run_steps(name: str) -> dict[str, dict[str, Any]]:
    """The workflow's `run:` steps by id (every one must have an id: this suite names them)."""
    steps = [s for job in workflow(name)["jobs"].values() for s in job["steps"] if "run" in s]
    assert all("id" in s for s in steps), f"{name}: a run step without an id"
    return {s["id"]: s for s in steps}


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str
    summary: str  # what the step added to the run's summary page
    output: str  # what it set as step outputs


def run_step(root: Path, name: str, step_id: str, **github: str) -> Ran:
    """Run one step of workflow `name` in `root`. `github` gives the variables GitHub would set (GITHUB_REF_NAME)
    and the values of the step's `${{ }}` env entries, which only GitHub can fill in."""
    assert (name, step_id) in LOCAL
    step = run_steps(name)[step_id]
    files = root.parent / f"github-{step_id}"
    files.mkdir(exist_ok=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "CI": "true", "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(files / "summary.md"), "GITHUB_OUTPUT": str(files / "output"),
           "GITHUB_PATH": str(files / "path"), "GITHUB_ENV": str(files / "env"), "GITHUB_WORKSPACE": str(root),
           "RUNNER_TEMP": str(files)}
    for key, value in {**workflow(name).get("env", {}), **step.get("env", {})}.items():
        env[key] = github[key] if "${{" in str(value) else str(value)
    env.update(github)
    for f in ("summary.md", "output", "path", "env"):
        (files / f).write_text("")
    script = files / "step.sh"
    script.write_text(step["run"])
    out = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert "Traceback" not in out.stdout + out.stderr
    return Ran(out.returncode, out.stdout, out.stderr, (files / "summary.md").read_text("utf-8"),
               (files / "output").read_text("utf-8"))


def manuscript_repo(root: Path) -> Path:
    """A copy of the manuscript in a git repository of its own, its one commit on `main`."""
    for name in MANUSCRIPT:
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("build"))
    (root / "README.md").write_text("The manuscript.\n")
    (root / ".gitignore").write_text("build/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "The manuscript")
    return root


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A pull request on a copy of the manuscript: a chapter gains a TODO and a citation of nothing, the README a
    line; origin/main is where it branched off, as actions/checkout leaves it."""
    root = manuscript_repo(tmp_path / "repo")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(root, "checkout", "-q", "-b", "proposal")
    with (root / CHANGED).open("a", encoding="utf-8") as f:
        f.write("\nTODO: a source for this.\n\nAs shown before [@nosuchkey].\n")
    with (root / "README.md").open("a", encoding="utf-8") as f:
        f.write("More.\n")
    git(root, "commit", "-qam", "A proposal", email="umer.riaz@nioc.example.pk", name="Umer Riaz")
    return root


def test_actionlint_and_shellcheck_pass_on_the_workflows() -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    out = subprocess.run([str(Path(BIN) / "actionlint"), "-no-color", "-verbose"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout == ""
    assert 'Rule "shellcheck" was disabled' not in out.stderr  # the scripts were checked, not skipped
    assert "Found 0 errors in 2 files" in out.stderr


def test_every_run_step_is_run_here_or_says_why() -> None:
    found = {(name, step_id) for name in ("pull-request.yml", "release.yml") for step_id in run_steps(name)}
    assert found == LOCAL | set(ELSEWHERE)
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == ["pull-request.yml", "release.yml"]


def test_the_workflows_cache_and_pin_as_promised() -> None:
    for name in ("pull-request.yml", "release.yml"):
        text = (WORKFLOWS / name).read_text("utf-8")
        uses = re.findall(r"uses: (\S+)", text)
        assert uses and all(re.fullmatch(r"actions/[a-z-]+@v\d+", u) for u in uses), uses  # major versions only
        assert "fetch-depth: 0" in text  # nsp reads the history
        assert "path: build/.cache" in text
        assert text.count("hashFiles('requirements.lock', 'requirements-test.lock', 'pyproject.toml')") == 2
    assert set(workflow("pull-request.yml")[True]) == {"pull_request"}  # YAML reads the key `on` as true
    assert workflow("release.yml")[True] == {"push": {"tags": ["v*"]}}


def test_a_pull_request_gets_annotations_on_its_changed_lines(pull_request: Path) -> None:
    lines = (pull_request / CHANGED).read_text("utf-8").splitlines()
    todo, cite = lines.index("TODO: a source for this.") + 1, len(lines)
    ran = run_step(pull_request, "pull-request.yml", "annotate", GITHUB_BASE_REF="main")
    assert ran.returncode != 0, ran.stderr  # an error in a changed file fails the step (xargs exits 123)
    annotations = ran.stdout.splitlines()
    assert f"::error file={CHANGED},line={cite},title=C201::citation 'nosuchkey' is not in any bibliography" \
        in annotations
    assert f"::warning file={CHANGED},line={todo},title=S106::TODO marker: resolve it before the chapter is " \
        "approved" in annotations
    # Only the changed chapter: the README is not part of the paper, the other chapters did not change.
    assert all(a.startswith(("::error file=", "::warning file=")) for a in annotations)
    assert {re.search(r"file=([^,]+)", a).group(1) for a in annotations} == {CHANGED}  # type: ignore[union-attr]


def test_a_pull_request_that_touches_no_chapter_annotates_nothing(pull_request: Path) -> None:
    git(pull_request, "checkout", "-q", "main")
    git(pull_request, "checkout", "-q", "-b", "readme-only")
    (pull_request / "README.md").write_text("Only this.\n")
    git(pull_request, "commit", "-qam", "README")
    ran = run_step(pull_request, "pull-request.yml", "annotate", GITHUB_BASE_REF="main")
    assert (ran.returncode, ran.stdout) == (0, "")


def test_a_pull_request_checks_the_whole_paper_and_shows_its_status(pull_request: Path) -> None:
    checked = run_step(pull_request, "pull-request.yml", "check")
    assert checked.returncode == 1
    mine = [line.split(": ", 1)[1][:4] for line in checked.stdout.splitlines() if line.startswith(f"{CHANGED}:")]
    assert mine == ["S106", "C201"]  # the other files' findings are in the log too, but not annotated

    status = run_step(pull_request, "pull-request.yml", "status")
    assert status.returncode == 0, status.stderr
    summary = status.summary.splitlines()
    assert summary[0] == "## National Strategy Paper: where every chapter stands"
    assert r"### Cyber Crime \(cyber\_crime\)" in summary
    assert "| Chapter | Authors | Words | Sections | Review | Still to sign | Due | Findings |" in summary
    row = next(line for line in summary if line.startswith(r"| 01\-teledensity\-and\-threats\.md |"))
    assert row.endswith("| 1 error, 1 warning |"), row  # C201 and S106, as the check listed
    assert len([line for line in summary if line.startswith(r"| 0")]) == 8  # every chapter of the paper


def test_a_tag_whose_paper_is_not_signed_off_fails_and_says_why(tmp_path: Path) -> None:
    root = manuscript_repo(tmp_path / "repo")
    ran = run_step(root, "release.yml", "publish", GITHUB_REF_NAME="v1.0")
    assert ran.returncode == 1
    last = ran.stderr.splitlines()[-1]
    assert re.fullmatch(r"nsp: not published: \d+ findings must be resolved first \(every chapter approved, "
                        r"no errors, no warnings\)", last)
    assert ran.stdout.splitlines() == [f"::error title=nsp publish refused v1.0::{last}"]
    summary = ran.summary.splitlines()
    assert summary[:3] == ["## national-strategy 1.0 was not published", "", "```text"]
    assert any(re.match(r"cyber_crime/theme.yaml:\d+: R306 the secretariat has not confirmed who signs the "
                        r"chapters of cyber_crime", line) for line in summary)  # the findings publish listed
    assert summary[-2:] == [last, "```"]
    assert ran.output == ""  # no folder for the steps that attach and deploy
    assert not (root / "build" / "releases" / "national-strategy-1.0").exists()


def test_a_tag_of_a_signed_off_paper_publishes_it_dated_by_its_commit_and_writes_the_site(small_paper: Path) -> None:
    ran = run_step(small_paper, "release.yml", "publish", GITHUB_REF_NAME="v1.0", PAPER="small")
    assert ran.returncode == 0, ran.stderr
    assert ran.output == "folder=build/releases/small-1.0\n"
    assert ran.summary == "## Published small 1.0\n"
    manifest = json.loads((small_paper / "build/releases/small-1.0/manifest.json").read_text("utf-8"))
    assert manifest["date"] == git(small_paper, "log", "-1", "--format=%cs").strip()  # the tagged commit's date
    assert git(small_paper, "status", "--porcelain") == ""  # nothing left beside the sources (build/ is ignored)

    site = run_step(small_paper, "release.yml", "site", PAPER="small", BASE_URL="https://nioc.example.pk/nsp/")
    assert site.returncode == 0, site.stderr
    index = (small_paper / "build/site/index.html").read_text("utf-8")
    assert "releases/small-1.0/" in index
