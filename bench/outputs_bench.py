"""Benchmark the secretariat's other outputs on the manuscript: status and its dashboard, a month's
progress, the newsletter and the site.

Run: .venv/bin/python bench/outputs_bench.py [--runs 3]
Works in a fresh clone of this repository (progress is read from git), so nothing here is touched.
Prints each command's first (cold: no cache) and best later (warm) time in seconds.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NSP = str(Path(sys.executable).with_name("nsp"))
COMMANDS = (
    ["status"],
    ["status", "--month", "2020-01", "--format", "json"],
    ["status", "--html", "build/status.html"],
    ["newsletter", "2020-01"],
    ["site"],
    ["site", "--drafts"],
)


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([NSP, *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"nsp {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="warm runs after the cold one")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        print(f"{'command':<48} {'cold s':>7} {'warm s':>7}")
        for args in COMMANDS:
            cold = timed(args, clone)
            warm = min(timed(args, clone) for _ in range(runs))
            print(f"{'nsp ' + ' '.join(args):<48} {cold:7.2f} {warm:7.2f}")


if __name__ == "__main__":
    main()
