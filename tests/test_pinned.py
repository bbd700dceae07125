"""Pinned dependencies: the locks `make paper` installs from."""

from __future__ import annotations

import tomllib
from importlib import metadata

from packaging.markers import Marker
from packaging.requirements import Requirement

from conftest import REPO
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
