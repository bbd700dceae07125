"""Pinned dependencies and portability: the locks `make paper` installs from, the lock a release records,
the build lock (filelock), `python -m nsp`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

from conftest import REPO, nsp
from nsp.infra.pinned import HASH, PIN, RUNTIME_LOCK, TEST_LOCK, Pin, canonical, read_pins


def pyproject_requirements() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    return ([Requirement(r) for r in project["dependencies"]],
            [Requirement(r) for r in project["optional-dependencies"]["test"]])


def lock(name: str) -> dict[str, Pin]:
    return read_pins((REPO / name).read_text("utf-8"))


def test_every_line_of_the_locks_is_a_pin_a_hash_or_a_comment() -> None:
    # Else a pin written in a form the reader does not know would be missed, and the tests below would pass.
    for name in (RUNTIME_LOCK, TEST_LOCK):
        odd = [line for line in (REPO / name).read_text("utf-8").splitlines()
               if line.strip() and not line.lstrip().startswith("#") and not PIN.match(line) and not HASH.match(line)]
        assert odd == [], name


def test_the_locks_pin_every_dependency_of_pyproject_in_its_range_with_hashes() -> None:
    runtime, test = pyproject_requirements()
    for name, wanted in ((RUNTIME_LOCK, runtime), (TEST_LOCK, runtime + test)):
        pins = lock(name)
        for requirement in wanted:
            pin = pins.get(canonical(requirement.name))
            assert pin is not None, f"{name} does not pin {requirement.name}: run `make lock`"
            assert requirement.specifier.contains(pin.version, prereleases=True), (name, requirement, pin)
            assert pin.hashes >= 1, (name, pin)
        assert all(p.hashes >= 1 for p in pins.values()), name  # dependencies of dependencies too


def test_the_runtime_lock_pins_each_package_as_the_test_lock_does() -> None:
    runtime, everything = lock(RUNTIME_LOCK), lock(TEST_LOCK)
    assert {n: p.version for n, p in runtime.items()} == {n: everything[n].version for n in runtime}


def test_the_environment_holds_exactly_the_locked_versions() -> None:
    # What `make paper` installed: every pin that applies on this machine, at its version, and nothing else
    # of those names. A venv installed some other way (or a lock changed without reinstalling) fails here.
    differ = []
    for pin in lock(TEST_LOCK).values():
        if pin.marker and not Marker(pin.marker).evaluate():
            continue
        try:
            installed = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            installed = "nothing"
        if installed != pin.version:
            differ.append(f"{pin.name}: {installed} installed, {pin.version} locked")
    assert differ == []


def test_a_release_records_the_lock_and_what_is_not_as_locked(small_paper: Path) -> None:
    def published(version: str) -> object:
        result = nsp(small_paper, "publish", version, "--paper", "small", "--date", "2020-02-01")
        assert result.returncode == 0, result.stderr
        manifest = json.loads((small_paper / f"build/releases/small-{version}/manifest.json").read_text("utf-8"))
        return manifest["dependencies"]

    assert published("1.0") is None  # a manuscript that keeps no lock
    shutil.copy(REPO / RUNTIME_LOCK, small_paper / RUNTIME_LOCK)
    digest = "sha256:" + hashlib.sha256((REPO / RUNTIME_LOCK).read_bytes()).hexdigest()
    assert published("1.1") == {"lock": "requirements.lock", "sha256": digest, "not_as_locked": []}

    pins = (small_paper / RUNTIME_LOCK).read_text("utf-8").replace(
        f"\nclick=={metadata.version('click')} ", "\nclick==0.1 ")
    (small_paper / RUNTIME_LOCK).write_text(pins, "utf-8")
    assert published("1.2") == {
        "lock": "requirements.lock", "sha256": "sha256:" + hashlib.sha256(pins.encode()).hexdigest(),
        "not_as_locked": [f"click: {metadata.version('click')} installed, 0.1 locked"]}


HOLD = """
import sys, time
from pathlib import Path
from nsp.infra.atomic import build_lock
with build_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(600)
"""


def test_the_build_lock_fails_fast_waits_and_is_freed_when_its_holder_dies(small_paper: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(small_paper / "build")], stdout=subprocess.PIPE,
                              text=True, start_new_session=True)
    waiter: subprocess.Popen[str] | None = None
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        busy = nsp(small_paper, "build", "--paper", "small", "--no-wait")
        assert busy.returncode == 1 and "Traceback" not in busy.stderr
        assert busy.stderr.splitlines()[-1] == (
            f"nsp: another nsp build is running in {small_paper / 'build'}; try again when it has finished")

        waiter = subprocess.Popen([str(Path(sys.executable).with_name("nsp")), "build", "--paper", "small"],
                                  cwd=small_paper, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        said: list[str] = []
        threading.Thread(target=lambda: said.extend(waiter.stderr or []), daemon=True).start()
        deadline = time.monotonic() + 60
        while "nsp: another build is running; waiting for it to finish…\n" not in said:
            assert time.monotonic() < deadline and waiter.poll() is None, said
            time.sleep(0.05)
        os.killpg(holder.pid, signal.SIGKILL)  # it dies holding the lock: no release, no clean-up of its own
        out, _ = waiter.communicate(timeout=300)
        assert waiter.returncode == 0, said
        assert "wrote build/small.pdf" in out.splitlines()
    finally:
        for proc in (holder, waiter):
            if proc and proc.poll() is None:
                proc.kill()
                proc.wait()


def test_python_m_nsp_is_the_nsp_command(small_paper: Path) -> None:
    by_module = subprocess.run([sys.executable, "-m", "nsp", "check", "--paper", "small"], cwd=small_paper,
                               capture_output=True, text=True, timeout=120)
    by_script = nsp(small_paper, "check", "--paper", "small")
    assert (by_module.returncode, by_module.stdout, by_module.stderr) == (
        by_script.returncode, by_script.stdout, by_script.stderr)
    assert by_module.returncode == 0 and by_module.stdout == "All clear: no findings in 8 files.\n"

    wrong = subprocess.run([sys.executable, "-m", "nsp", "build", "--no-such-option"], cwd=small_paper,
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert wrong.stderr.splitlines()[0] == "Usage: python -m nsp build [OPTIONS] [CHAPTER]"  # click names it so
    assert wrong.stderr.splitlines()[-1] == "Error: No such option '--no-such-option'."
