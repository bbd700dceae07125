"""The pinned dependencies: requirements.lock (runtime) and requirements-test.lock (runtime and the suite's tools).

`make lock` writes both with uv (`uv pip compile --universal --generate-hashes`); `make paper` installs the
test lock with `pip install --require-hashes`. A release records the runtime lock's checksum, and which
installed packages are not the locked ones, so it says which dependency set made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

RUNTIME_LOCK = "requirements.lock"
TEST_LOCK = "requirements-test.lock"

# `name==version` opens a pin, perhaps with `; marker`, then ` \` and its `--hash=` lines; `#` lines are comments.
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]*?))?\s*\\?$")
HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}\s*\\?$")


@dataclass(frozen=True)
class Pin:
    name: str  # as PEP 503 compares names: lower case, runs of - _ . as one -
    version: str
    marker: str  # "" when the pin holds on every platform
    hashes: int  # how many --hash=sha256: lines follow it


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text: str) -> dict[str, Pin]:
    """Every pin of a lock by canonical name. Lines neither a pin, a hash nor a comment are not pins."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in text.splitlines():
        if match := PIN.match(line):
            current = Pin(canonical(match["name"]), match["version"], (match["marker"] or "").strip(), 0)
            pins[current.name] = current
        elif current and HASH.match(line):
            current = pins[current.name] = Pin(current.name, current.version, current.marker, current.hashes + 1)
    return pins


def not_as_locked(pins: dict[str, Pin]) -> list[str]:
    """One line per unconditional pin whose installed version is another (or that is not installed).

    A pin with a marker (`; sys_platform == 'win32'`) applies on some machines only; deciding which would
    need `packaging`, which nsp does not depend on, so those are left out.
    """
    out = []
    for pin in sorted(pins.values(), key=lambda p: p.name):
        if pin.marker:
            continue
        try:
            installed = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            out.append(f"{pin.name}: not installed, {pin.version} locked")
            continue
        if installed != pin.version:
            out.append(f"{pin.name}: {installed} installed, {pin.version} locked")
    return out
