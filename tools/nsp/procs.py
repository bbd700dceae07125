"""Child processes (pandoc, typst) that an interrupted build can stop at once.

An interrupted build must not finish writing in the background: `cancel()`
terminates every running child and makes `cancelled()` true, which
`atomic_path` checks before it moves an output into place.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

_lock = threading.Lock()
_running: set[subprocess.Popen[bytes]] = set()
_cancelled = threading.Event()


def run(cmd: Sequence[str], *, stdin: bytes | None, timeout: float, env: dict[str, str] | None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Like subprocess.run with capture_output, but registered so that `cancel()` can stop it."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    with _lock:
        _running.add(proc)
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    finally:
        with _lock:
            _running.discard(proc)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def cancel() -> None:
    _cancelled.set()
    with _lock:
        for proc in _running:
            proc.kill()


def cancelled() -> bool:
    return _cancelled.is_set()


def reset() -> None:
    """A new render starts uncancelled (one process may build many times: watch mode, tests)."""
    _cancelled.clear()
