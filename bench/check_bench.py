"""Benchmark `nsp check` against the floor: a plain pandoc parse of the same chapters.

Run: .venv/bin/python bench/check_bench.py [--chapters 100]
Goals (issue 3): cold check <= 1.5 x pandoc parse; warm (nothing changed) < 0.3 s.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nsp.infra.pandoc import pandoc_path
from synth import make_paper


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = make_paper(Path(tempfile.mkdtemp(prefix="nsp-bench-")) / "paper", args.chapters)
    chapters = sorted(root.glob("theme_*/*.md"))
    words = sum(len(p.read_text().split()) for p in chapters)
    nsp = str(Path(sys.executable).with_name("nsp"))
    # The floor: pandoc reading every chapter to its AST, one process, as a user would run it.
    floor = min(timed([pandoc_path(), "-f", "markdown", "-t", "json", "-o", "/dev/null", *map(str, chapters)], root)
                for _ in range(args.runs))
    cold = []
    for _ in range(args.runs):
        shutil.rmtree(root / "build", ignore_errors=True)
        cold.append(timed([nsp, "check", "--paper", "bench"], root))
    warm = min(timed([nsp, "check", "--paper", "bench"], root) for _ in range(args.runs))
    print(f"{len(chapters)} chapters, {words:,} words")
    print(f"{'pandoc parse (floor)':<28}{floor:8.2f} s")
    print(f"{'nsp check, cold':<28}{min(cold):8.2f} s   {min(cold) / floor:5.2f} x floor   (goal <= 1.5 x)")
    print(f"{'nsp check, nothing changed':<28}{warm:8.2f} s   {'met' if warm < 0.3 else 'NOT met'} (goal < 0.3 s)")
    shutil.rmtree(root.parent)


if __name__ == "__main__":
    main()
