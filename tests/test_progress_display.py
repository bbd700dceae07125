"""The progress display of nsp build and nsp publish: plain lines in CI and pipes, rich's live display on a
terminal, nothing with --quiet; and the outputs the same whichever is shown."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from conftest import NSP, nsp

CI = {"CI": "true"}
SECONDS = r"\d+\.\d s"


def outputs(root: Path, stdout: str) -> dict[str, str]:
    """The sha256 of each file the run says it wrote."""
    written = [line.removeprefix("wrote ") for line in stdout.splitlines() if line.startswith("wrote ")]
    assert written, stdout
    return {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest() for rel in written}


def cold(root: Path) -> None:
    """Forget every cache, so the next build reads, assembles and renders everything again."""
    shutil.rmtree(root / "build" / ".cache", ignore_errors=True)


def on_a_terminal(root: Path, *args: str, columns: int = 100) -> tuple[int, str, str]:
    """Run the installed nsp with stderr on a pseudo-terminal, as in a terminal window; stdout is a pipe, as
    when a script reads it. Returns the exit code, what the terminal showed, and stdout."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")} | {"TERM": "xterm"}
    proc = subprocess.Popen([NSP, *args], cwd=root, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.stdout is not None
    stdout = proc.stdout.read().decode()
    return proc.wait(timeout=600), shown.decode(errors="replace"), stdout


def test_in_ci_each_finished_stage_is_one_plain_line_with_its_count(small_paper: Path) -> None:
    out = nsp(small_paper, "build", "--paper", "small", env=CI)
    assert out.returncode == 0, out.stderr
    # 3 files: the two chapters and the contributors page nsp generates (read, not checked)
    assert [re.sub(SECONDS + "$", "T", line) for line in out.stderr.splitlines()] == [
        "nsp: load T", "nsp: read and check 3 files T", "nsp: assemble 3 files T",
        "nsp: render 2 outputs (pdf, docx) T"], out.stderr
    assert "\x1b" not in out.stderr and "\r" not in out.stderr
    assert out.stdout.splitlines() == ["wrote build/small.pdf", "wrote build/small.docx"]
    again = nsp(small_paper, "build", "--paper", "small", env=CI)  # nothing to do: no stage to show
    assert again.returncode == 0 and again.stderr == "", again.stderr
    assert again.stdout.splitlines() == ["build/small.pdf is up to date", "build/small.docx is up to date"]


def test_a_terminal_sees_the_live_display_quiet_sees_none_and_the_outputs_are_the_same(small_paper: Path) -> None:
    quiet = nsp(small_paper, "build", "--paper", "small", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert quiet.stdout.splitlines() == ["wrote build/small.pdf", "wrote build/small.docx"]  # --quiet keeps these
    plain = outputs(small_paper, quiet.stdout)
    cold(small_paper)
    code, shown, stdout = on_a_terminal(small_paper, "build", "--paper", "small")
    assert code == 0, shown
    assert "\x1b[" in shown  # drawn and redrawn in place, with colour
    for text in ("load", "read and check", "3/3 files", "assemble", "2/2 outputs (pdf, docx)", "✓"):
        assert text in shown, shown
    assert "Traceback" not in shown
    assert stdout.splitlines() == ["wrote build/small.pdf", "wrote build/small.docx"]  # stdout as it was
    assert outputs(small_paper, stdout) == plain  # byte for byte


def test_a_narrow_terminal_is_no_trouble(small_paper: Path) -> None:
    code, shown, stdout = on_a_terminal(small_paper, "build", "--paper", "small", columns=12)
    assert code == 0 and "Traceback" not in shown, shown
    assert stdout.splitlines() == ["wrote build/small.pdf", "wrote build/small.docx"]


def test_a_build_whose_stderr_is_gone_still_builds(small_paper: Path) -> None:
    """Nobody reads stderr any more (the reader of the pipe went away): the display falls silent, the build
    goes on and says what it wrote."""
    reader, writer = os.pipe()
    os.close(reader)
    out = subprocess.run([NSP, "build", "--paper", "small"], cwd=small_paper, stdout=subprocess.PIPE,
                         stderr=writer, text=True, env={**os.environ, **CI}, timeout=600)
    os.close(writer)
    assert out.returncode == 0
    assert out.stdout.splitlines() == ["wrote build/small.pdf", "wrote build/small.docx"]


def test_publish_shows_its_steps(small_paper: Path) -> None:
    out = nsp(small_paper, "publish", "1.0", "--paper", "small", "--date", "2020-02-01", env=CI)
    assert out.returncode == 0, out.stderr
    steps = [re.sub(" " + SECONDS + "$", "", line) for line in out.stderr.splitlines()]
    # A release adds its colophon: 4 files
    assert steps == ["nsp: strict check", "nsp: load", "nsp: read and check 4 files", "nsp: assemble 4 files",
                     "nsp: render 3 outputs (pdf, docx, html)", "nsp: manifest"], out.stderr
    assert out.stdout.splitlines()[0] == "published build/releases/small-1.0/"
