"""Writing outputs so that a failed or interrupted build never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from nsp.diagnostics import NspError

TMP_PREFIX = ".nsp-tmp-"


@contextlib.contextmanager
def atomic_paths(targets: list[Path]) -> Iterator[list[Path]]:
    """Yield temporary paths beside `targets`; move them all into place only if every one succeeded.

    A build's outputs change together or not at all: a PDF that failed leaves the old DOCX too.
    """
    tmps: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=target.suffix, dir=target.parent)
            os.close(fd)
            tmps.append(Path(name))
            os.chmod(name, 0o666 & ~_umask())  # mkstemp's 0600 would hide outputs from the rest of the team
        yield tmps
        # All or none: if any temporary vanished (something swept it), replace nothing.
        gone = [t for t in tmps if not t.is_file()]
        if gone:
            raise NspError(f"a temporary output ({gone[0].name}) disappeared before it was moved into place; "
                           "nothing was replaced")
        for tmp, target in zip(tmps, targets):
            os.replace(tmp, target)
    finally:
        for tmp in tmps:
            tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; move it over `target` only on success."""
    with atomic_paths([target]) as (tmp,):
        yield tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


CACHE_TMP_AGE_S = 3600  # cache entries are written outside the build lock (by checks too): sweep only old ones


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files left by a killed build. Only the build lock's holder calls this: outputs are
    written only under that lock, so every output temporary here is stale; cache temporaries may
    belong to a check running beside us, so only those older than an hour go."""
    import time

    leftovers = list(folder.glob(f"{TMP_PREFIX}*"))
    old = time.time() - CACHE_TMP_AGE_S
    for tmp in [*folder.glob(f".cache/**/{TMP_PREFIX}*"), *folder.glob(".cache/ast/*/*.tmp")]:
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < old:
                leftovers.append(tmp)
    for leftover in leftovers:
        with contextlib.suppress(OSError):
            leftover.unlink()


class LockBusy(NspError):
    """Another nsp process holds the build lock."""


@contextlib.contextmanager
def build_lock(folder: Path, *, wait: bool = True, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """One build at a time per folder. The OS drops the lock if the holder is killed.

    The holder of this lock, and only it, sweeps the temporaries a killed build left:
    while it holds the lock no other build is writing them.
    """
    with job_lock(folder, ".nsp.lock", wait=wait, on_wait=on_wait,
                  busy=f"another nsp build is running in {folder}; try again when it has finished"):
        remove_stale_temporaries(folder)
        yield


@contextlib.contextmanager
def job_lock(folder: Path, name: str, *, wait: bool = True, on_wait: Callable[[], None] | None = None,
             busy: str = "") -> Iterator[None]:
    """One `name`d job at a time per folder (a review, a publish), beside and independent of builds.

    It sweeps nothing: a build may be writing its temporaries right now. filelock takes an OS lock on the
    file (flock on Linux and macOS, LockFileEx on Windows), so the OS drops it when the holder dies.
    """
    from filelock import FileLock, Timeout

    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / name)
    try:
        lock.acquire(timeout=0)  # first a try that never waits: --no-wait fails, others say they wait
    except Timeout:
        if not wait:
            raise LockBusy(
                busy or f"another nsp process holds {folder / name}; try again when it has finished"
            ) from None
        if on_wait:
            on_wait()
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
