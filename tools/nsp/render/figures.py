"""Figures given as typst source (figures/x.typ), compiled by nsp into the PNG every output can show.

Compiled once per source text (build/.cache/figures/, by its sha256 and the compiler's version), in a
child process with the build's time and memory limits, reading nothing outside the figure's own folder
and importing no package (infra.resources.figure_source_problem): no hand-compiled image is committed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from nsp.infra.atomic import atomic_path
from nsp.infra.limits import Limits

PPI = 200  # sharp in print at the widths chapters use, and small enough for Word
VERSION = "1"


def compiled_figure(root: Path, source: Path, limits: Limits) -> bytes:
    """The PNG of a .typ figure source, from the cache or compiled now (RenderError naming it if it fails)."""
    from importlib.metadata import version

    from nsp.render.pdf import compile_typst

    data = source.read_bytes()
    key = hashlib.sha256(f"{VERSION}\0{version('typst')}\0{PPI}\0".encode() + data).hexdigest()
    cached = root / "build" / ".cache" / "figures" / f"{key}.png"
    if cached.is_file():
        return cached.read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    # typst fetches @preview packages from the network; figure_source_problem refuses those imports, and a
    # proxy that leads nowhere stops any fetch that slipped by.
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "NSP_TYPST_PPI": str(PPI)}
    with atomic_path(cached) as tmp:  # the temporary file keeps .png: typst writes the format it names
        compile_typst(root, source, tmp, env=env, limits=limits, figure=source.relative_to(root).as_posix())
    return cached.read_bytes()
