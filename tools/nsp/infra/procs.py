"""Child processes (pandoc, typst, git): the one place nsp starts them.

Every child is registered, so that an interrupted build can stop them at once:
`cancel()` terminates every running child and makes `cancelled()` true, which
`atomic_path` checks before it moves an output into place.

No child outlives nsp, however nsp ends (even by SIGKILL, which runs no Python):
- on Linux the kernel kills the child when its parent dies (PR_SET_PDEATHSIG).
  That signal fires when the *thread* that forked the child ends, and nsp
  starts children from pool threads that come and go; so every fork happens on
  one spawner thread that lives as long as nsp does.
- elsewhere the child runs under a guard (`python -m nsp.infra.procs FD CMD…`) that
  watches a pipe whose other end only nsp holds, and kills the child when the
  pipe closes, which the operating system does when nsp dies.

A child may also be given an address-space cap (`memory_mb`): typst allocating
40 GB for a forged image then fails inside the child instead of swamping the
machine. (Not for pandoc: GHC reserves a terabyte of address space up front; its
heap is capped with `+RTS -M` instead.)
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_running: dict[subprocess.Popen[Any], int | None] = {}  # child -> write end of its guard's pipe, if any
_cancelled = threading.Event()
_spawner: ThreadPoolExecutor | None = None

PR_SET_PDEATHSIG = 1
# The guard is for systems without a parent-death signal; NSP_CHILD_GUARD=pipe forces it (to test it on Linux).
USE_GUARD = not sys.platform.startswith("linux") or os.environ.get("NSP_CHILD_GUARD") == "pipe"
_prctl: Callable[..., int] | None = None
if not USE_GUARD:
    # Resolved now: the child, between fork and exec, must only call it.
    _prctl = ctypes.CDLL(None, use_errno=True).prctl


def _preexec(parent: int, memory_mb: int | None) -> Callable[[], None] | None:
    """What the child runs between fork and exec: ask to die with nsp, cap its memory."""
    if _prctl is None and not memory_mb:
        return None

    def setup() -> None:
        if _prctl is not None:
            _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:  # nsp died before the request took effect
                os._exit(137)
        if memory_mb:
            import resource

            cap = memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return setup


def _spawn(cmd: Sequence[str], kwargs: dict[str, Any]) -> subprocess.Popen[Any]:
    global _spawner
    with _lock:
        if _spawner is None:
            _spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nsp-spawner")
        spawner = _spawner
    return spawner.submit(lambda: subprocess.Popen(cmd, **kwargs)).result()


def start(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
          memory_mb: int | None = None, text: bool = False) -> subprocess.Popen[Any]:
    """Start a child with pipes on stdin, stdout and stderr; it dies with nsp. `stop()` it when done."""
    kwargs: dict[str, Any] = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE,
                              "env": env, "cwd": cwd, "text": text,
                              "preexec_fn": _preexec(os.getpid(), memory_mb) if os.name == "posix" else None}
    guard_fd: int | None = None
    if USE_GUARD:
        read_end, guard_fd = os.pipe()
        cmd = [sys.executable, "-m", "nsp.infra.procs", str(read_end), *cmd]
        kwargs["pass_fds"] = (read_end,)
        if env is not None:  # the guard imports nsp, wherever it is installed
            env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[2]),
                                                                      env.get("PYTHONPATH", "")]))}
            kwargs["env"] = env
        try:
            proc = _spawn(cmd, kwargs)
        finally:
            os.close(read_end)
    else:
        proc = _spawn(cmd, kwargs)
    with _lock:
        _running[proc] = guard_fd
    return proc


def stop(proc: subprocess.Popen[Any]) -> None:
    """Kill a child (if it still runs) and forget it."""
    _kill(proc)
    with _lock:
        _running.pop(proc, None)
    with contextlib.suppress(OSError, ValueError, subprocess.TimeoutExpired):
        proc.communicate(timeout=10)


def _release_guard(proc: subprocess.Popen[Any]) -> int | None:
    """The write end of the child's guard pipe, now the caller's to close (once)."""
    with _lock:
        fd = _running.get(proc)
        if proc in _running:
            _running[proc] = None
    return fd


def _kill(proc: subprocess.Popen[Any]) -> None:
    guard_fd = _release_guard(proc)
    if guard_fd is not None:
        # Closing the pipe tells the guard to kill its child; killing the guard first would orphan it.
        with contextlib.suppress(OSError):
            os.close(guard_fd)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
    with contextlib.suppress(OSError):
        proc.kill()


def run(cmd: Sequence[str], *, stdin: bytes | None, timeout: float, env: dict[str, str] | None = None,
        cwd: Path | None = None, memory_mb: int | None = None) -> subprocess.CompletedProcess[bytes]:
    """Like subprocess.run with capture_output; raises subprocess.TimeoutExpired after `timeout` seconds."""
    proc = start(cmd, env=env, cwd=cwd, memory_mb=memory_mb)
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except BaseException:
        stop(proc)
        raise
    guard_fd = _release_guard(proc)
    with _lock:
        _running.pop(proc, None)
    if guard_fd is not None:
        os.close(guard_fd)
    return subprocess.CompletedProcess(list(cmd), proc.returncode, out, err)


def cancel() -> None:
    _cancelled.set()
    with _lock:
        running = list(_running)
    for proc in running:
        _kill(proc)


def cancelled() -> bool:
    return _cancelled.is_set()


def reset() -> None:
    """A new render starts uncancelled (one process may build many times: watch mode, tests)."""
    _cancelled.clear()


def _guard(argv: list[str]) -> int:
    """Run argv[1:], killing it as soon as the pipe on descriptor argv[0] closes (nsp has gone)."""
    fd = int(argv[0])
    child = subprocess.Popen(argv[1:])  # stdin, stdout and stderr pass straight through

    def watch() -> None:
        with contextlib.suppress(OSError):
            while os.read(fd, 1):
                pass
        child.kill()
        os._exit(137)

    threading.Thread(target=watch, daemon=True).start()
    return child.wait()


if __name__ == "__main__":
    sys.exit(_guard(sys.argv[1:]))
