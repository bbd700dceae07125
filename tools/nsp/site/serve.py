"""`nsp site --serve`: build/site on http://127.0.0.1:PORT/, rebuilt when an input changes.

The inputs are polled (mtimes and sizes, once a second) rather than watched: releases appear by a
rename inside build/, which nsp watch's filter ignores, and a second's delay is no matter here.
Only this machine can connect: the server binds the loopback address.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path

from nsp.diagnostics import NspError
from nsp.watch import IGNORED_DIRS

HOST = "127.0.0.1"
POLL_S = 1.0


def inputs(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file the site is made from: the manuscript, papers/, newsletters/,
    templates/ and the releases in build/releases/."""
    out = {}
    folders = [p for p in root.iterdir() if p.is_dir() and p.name not in IGNORED_DIRS and not p.name.startswith(".")]
    for folder in [*folders, root / "build" / "releases"]:
        for path in folder.rglob("*"):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts):
                stat = path.stat()
                out[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return out


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # one line per request would bury what the rebuilds report


def serve(root: Path, site: Path, port: int, rebuild: Callable[[list[str]], None], ready: Callable[[], None],
          stop: threading.Event | None = None) -> None:
    """Serve `site` until `stop` is set or Ctrl-C; call `ready()` once it listens, and `rebuild(changed files)`
    after each change of the inputs."""
    handler = functools.partial(_Quiet, directory=str(site))  # a path: the folder swapped in is served next request
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise NspError(f"cannot serve on {HOST}:{port} ({exc.strerror}): choose another port with --port") from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ready()
    stop = stop or threading.Event()
    try:
        seen = inputs(root)
        while not stop.wait(POLL_S):
            now = inputs(root)
            if files := changed(seen, now):
                rebuild(files)
                seen = inputs(root)  # a draft build writes nothing we watch, but read again after it anyway
    except KeyboardInterrupt:
        pass  # Ctrl-C is how one stops a server: not an error
    finally:
        server.shutdown()
        server.server_close()
