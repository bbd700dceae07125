"""Render every requested format from the merged document: citations resolved, files staged, then PDF,
Word and HTML written side by side, replacing the previous outputs together and only if all succeeded."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nsp.assemble.citeproc import resolve_citations
from nsp.ast import Doc
from nsp.infra import procs
from nsp.infra.atomic import atomic_paths
from nsp.infra.progress import Tick, no_tick
from nsp.render.docx import render_docx
from nsp.render.html import render_html
from nsp.render.pdf import render_pdf
from nsp.render.stage import RenderJob, stage


def render_all(job: RenderJob, doc: Doc, targets: dict[str, Path], on_output: Tick = no_tick) -> None:
    """Render every requested format, PDF and DOCX side by side (their work is in child processes);
    the outputs replace the old ones together, and only if all succeeded. `on_output` counts each as it is made."""
    renderers = {"pdf": render_pdf, "docx": render_docx, "html": render_html}
    procs.reset()
    resolve_citations(doc, root=job.root, bibliography=job.bibliography, csl=job.csl,
                      cache_dir=job.root / "build" / ".cache" / "cite")
    prepared = stage(job, doc)
    with atomic_paths(list(targets.values())) as tmps, \
            ThreadPoolExecutor(max_workers=max(1, min(len(targets), os.cpu_count() or 1))) as pool:
        futures = [pool.submit(renderers[fmt], job, prepared, tmp) for fmt, tmp in zip(targets, tmps)]
        for future in futures:  # counted as each finishes, in whichever order
            future.add_done_callback(lambda f: None if f.cancelled() or f.exception() else on_output(1))
        try:
            for future in futures:
                future.result()
        except BaseException:
            procs.cancel()  # stop the other renderer too: its output will not be used
            raise
        if procs.cancelled():  # interrupted while the outputs were being made: keep the old ones
            raise KeyboardInterrupt
