"""How fast `nsp check` refuses the inputs that used to hang or crash it (issue 10, items 10-12).

Run: .venv/bin/python bench/refusal_bench.py
Each input is put into terror_financing/01-channels.md of a copy of the manuscript (its other chapters'
caches warm) and `nsp check` is timed. Goal: every refusal in a few seconds, exit 1, the code shown.
Before the limits, these took minutes (40 `[`: over 5 minutes) or crashed later in the build.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NSP = str(Path(sys.executable).with_name("nsp"))
CHAPTER = "terror_financing/01-channels.md"
CODES = ("E015", "E016", "S111", "S112", "S113", "S114", "A515")


def alias_bomb() -> str:
    """Nine levels, each nine aliases of the one before: 9**9 strings if expanded."""
    lines = ['bomb:', '  l0: &l0 "lol lol lol lol lol lol lol lol"']
    lines += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def forged_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))


def append(text: str) -> Callable[[Path], object]:
    return lambda root: (root / CHAPTER).write_text((root / CHAPTER).read_text() + "\n" + text + "\n")


def front_matter(text: str) -> Callable[[Path], object]:
    return lambda root: (root / CHAPTER).write_text((root / CHAPTER).read_text().replace("---\n", "---\n" + text, 1))


def image(data: bytes) -> Callable[[Path], object]:
    def put(root: Path) -> None:
        (root / "terror_financing/figures/huge.png").write_bytes(data)
        append("![A forged image.](figures/huge.png)")(root)
    return put


CASES: dict[str, Callable[[Path], object]] = {
    "alias bomb in front matter": front_matter(alias_bomb()),
    "40 x [ and a letter": append("[" * 40 + "a"),
    "20,000 x [": append("[" * 20000),
    "600-level blockquote": append("> " * 600 + "deep"),
    "600-level list": append("\n".join("  " * i + "- item" for i in range(600))),
    "one key cited 100,000 x": append("[@fatf2019mer]" * 100_000),
    "4.8 MB paragraph": append("word " * 960_000),
    "PNG claiming 100000x100000": image(forged_png(100_000, 100_000)),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        for name in ("papers", "terror_financing", "drug_trafficking", "human_trafficking", "cyber_crime", "templates"):
            shutil.copytree(REPO / name, base / name)
        subprocess.run([NSP, "check"], cwd=base, capture_output=True)  # warm the other chapters' caches
        print(f"{'input':<30} {'seconds':>8}  exit  codes")
        for i, (name, apply) in enumerate(CASES.items()):
            root = Path(tmp) / f"case{i}"
            shutil.copytree(base, root)
            apply(root)
            start = time.perf_counter()
            out = subprocess.run([NSP, "check"], cwd=root, capture_output=True, text=True, timeout=900)
            elapsed = time.perf_counter() - start
            codes = sorted({c for c in CODES if f" {c} " in out.stdout})
            print(f"{name:<30} {elapsed:8.2f}  {out.returncode:>4}  {' '.join(codes)}")
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
