"""Running git: the one place nsp does, bounded and never raising (no git is a result like any other)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from nsp.infra import procs

GIT_TIMEOUT = float(os.environ.get("NSP_GIT_TIMEOUT", "30"))  # seconds for each git command


@dataclass(frozen=True)
class Git:
    ok: bool
    data: bytes  # standard output, as git wrote it (file contents are bytes)
    err: str
    ran: bool = True  # False: git is missing, could not start, or ran out of time

    @property
    def out(self) -> str:
        return self.data.decode("utf-8", "replace")


def git(root: Path, *args: str, timeout: float = GIT_TIMEOUT) -> Git:
    """Run git in `root`. No replace refs: a pushed refs/replace/ could swap the commit a blame names."""
    env = {
        **os.environ,
        "LC_ALL": "C",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_TERMINAL_PROMPT": "0",
    }
    try:
        done = procs.run(["git", *args], stdin=None, timeout=timeout, env=env, cwd=root)
    except FileNotFoundError:
        return Git(False, b"", "git is not installed", ran=False)
    except OSError as exc:
        return Git(False, b"", f"git could not run: {exc.strerror or exc}", ran=False)
    except subprocess.TimeoutExpired:
        return Git(False, b"", f"git {args[0]} took over {timeout:g} s", ran=False)
    return Git(done.returncode == 0, done.stdout, done.stderr.decode("utf-8", "replace"))
