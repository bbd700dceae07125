"""Benchmark nsp build against the floor: the time pandoc and typst themselves need.

Run: .venv/bin/python bench/build_bench.py [--chapters 100] [--scaling 10,100,300]
Prints a table with ratios to the floor (goals from issue 7 in brackets).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nsp.infra.pandoc import pandoc_path
from synth import make_paper

NSP = str(Path(sys.executable).with_name("nsp"))


def run(cmd: list[str], cwd: Path, stdin: bytes | None = None) -> tuple[float, bytes]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:3])}… failed:\n{proc.stderr.decode()[-2000:]}")
    return elapsed, proc.stdout


def floor(root: Path) -> dict[str, float]:
    """pandoc reading every chapter in one run, JSON → typst and → DOCX with citeproc, typst compiling."""
    chapters = [str(p) for p in sorted(root.glob("theme_*/*.md"))]
    pandoc = pandoc_path()
    bib = ["--citeproc", "--bibliography=papers/references.bib", "--csl=templates/csl/chicago-author-date.csl"]
    t_read, ast = run([pandoc, "-f", "markdown", "-t", "json", *chapters], root)
    t_typst, typ = run([pandoc, "-f", "json", "-t", "typst", "--standalone", *bib], root, ast)
    (root / "floor.typ").write_bytes(typ)
    t_compile, _ = run([sys.executable, "-c", "import typst; typst.compile('floor.typ', output='floor.pdf')"], root)
    t_docx, _ = run([pandoc, "-f", "json", "-t", "docx", *bib, "-o", "floor.docx"], root, ast)
    return {"read": t_read, "typst": t_typst, "compile": t_compile, "docx": t_docx,
            "total": t_read + t_typst + t_compile + t_docx}


def nsp_build(root: Path) -> float:
    return run([NSP, "build", "--paper", "bench"], root)[0]


def pages(root: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(root / "build" / "bench.pdf").pages)


def edit_one_word(root: Path, n: int) -> None:
    path = sorted(root.glob("theme_*/*.md"))[0]
    text = path.read_text()
    path.write_text(text.replace("## Context\n", f"## Context\n\nEdit {n}.\n", 1))


def watch_edit_to_pdf(root: Path, runs: int) -> float:
    """Seconds from saving a one-word edit to the new PDF, with nsp watch running."""
    proc = subprocess.Popen([NSP, "watch", "--paper", "bench"], cwd=root, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    while "watching" not in proc.stdout.readline():
        pass
    pdf = root / "build" / "bench.pdf"
    times = []
    for n in range(runs + 1):
        before = pdf.stat().st_mtime_ns
        start = time.perf_counter()
        edit_one_word(root, 100 + n)
        while pdf.stat().st_mtime_ns == before:
            if time.perf_counter() - start > 300:
                proc.kill()
                return float("nan")  # not seen: reported as nan rather than hanging the benchmark
            time.sleep(0.01)
        times.append(time.perf_counter() - start)
        while "watching" not in proc.stdout.readline():
            pass
    proc.terminate()
    proc.wait()
    return min(times[1:])  # the first edit after start-up warms typst's caches


def measure(chapters: int, runs: int, with_watch: bool = True) -> dict[str, float]:
    root = make_paper(Path(tempfile.mkdtemp(prefix="nsp-bench-")) / "paper", chapters)
    out: dict[str, float] = {}
    fl = min((floor(root) for _ in range(runs)), key=lambda f: f["total"])
    out.update({f"floor_{k}": v for k, v in fl.items()})
    colds = []
    for _ in range(runs):
        shutil.rmtree(root / "build", ignore_errors=True)
        colds.append(nsp_build(root))
    out["cold"] = min(colds)
    out["noop"] = min(nsp_build(root) for _ in range(runs))
    edits = []
    for n in range(runs):
        edit_one_word(root, n)
        edits.append(nsp_build(root))
    out["edit"] = min(edits)
    out["watch"] = watch_edit_to_pdf(root, runs) if with_watch else float("nan")
    shutil.rmtree(root / "build" / ".cache", ignore_errors=True)
    out["check_cold"] = run([NSP, "check", "--paper", "bench"], root)[0]
    out["check_warm"] = min(run([NSP, "check", "--paper", "bench"], root)[0] for _ in range(runs))
    out["pages"] = pages(root)
    out["words"] = sum(len(p.read_text().split()) for p in root.glob("theme_*/*.md"))
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shutil.rmtree(root.parent)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=100)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--scaling", default="10,100,300", help="chapter counts for the scaling table ('' to skip)")
    args = parser.parse_args()
    m = measure(args.chapters, args.runs)
    fl = m["floor_total"]
    print(f"{args.chapters} chapters, {m['words']:,.0f} words, {m['pages']:.0f} pages")
    print(f"floor: read {m['floor_read']:.2f} s + typst writer {m['floor_typst']:.2f} s + typst compile "
          f"{m['floor_compile']:.2f} s + docx writer {m['floor_docx']:.2f} s = {fl:.2f} s")
    print(f"{'':<26}{'seconds':>9}{'x floor':>9}   goal")
    for key, label, goal in (("cold", "nsp build, cold", "<= 0.9"), ("noop", "nsp build, no change", "<= 0.05"),
                             ("edit", "nsp build, one word", "<= 0.6"), ("watch", "nsp watch, edit to PDF", "<= 0.25"),
                             ("check_cold", "nsp check, cold", "(1.5 x read)"),
                             ("check_warm", "nsp check, no change", "(< 0.3 s)")):
        print(f"{label:<26}{m[key]:>9.2f}{m[key] / fl:>9.2f}   {goal}")
    print(f"peak memory of a child process: {m['peak_mb']:.0f} MB")
    if args.scaling:
        print(f"\n{'chapters':>8}{'pages':>7}{'floor s':>9}{'cold s':>8}{'ms/page':>9}")
        for n in (int(x) for x in args.scaling.split(",")):
            s = m if n == args.chapters else measure(n, 1, with_watch=False)
            print(
                f"{n:>8}{s['pages']:>7.0f}{s['floor_total']:>9.2f}{s['cold']:>8.2f}"
                f"{1000 * s['cold'] / s['pages']:>9.1f}"
            )


if __name__ == "__main__":
    main()
