"""`nsp site --drafts`: the current web edition of each paper, built by `nsp build`'s own machinery.

A draft is whatever the manuscript holds today: it is marked DRAFT on every page the site shows it
on, and in the web edition itself, so nobody takes it for a release.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nsp.build import build
from nsp.diagnostics import errors_in
from nsp.plan.plan import Selection

BANNER = ('<p role="note" style="margin:0;padding:.6rem 1.5rem;background:#b22222;color:#fff;font-weight:bold;'
          'font-family:sans-serif">DRAFT — the manuscript as it stands, not a published release; '
          'not for citation or circulation · <a href="../../index.html" style="color:#fff">the site</a></p>')


@dataclass(frozen=True)
class Draft:
    paper: str
    html: Path  # the web edition nsp build wrote (build/PAPER.html)


def build_drafts(root: Path, papers: list[str], warn: Callable[[str], None]) -> list[Draft]:
    """The web edition of each paper that builds; a paper whose checks find errors is left out, with a warning."""
    drafts = []
    for paper in papers:
        result = build(root, Selection(paper=paper), formats=("html",))
        html = next((p for p in result.outputs if p.suffix == ".html"), None)
        if result.refused or html is None:
            n = len(errors_in(result.diagnostics))
            warn(f"papers/{paper}.yaml: draft left out of the site: {n} error{'s' * (n != 1)} "
                 f"(`nsp check --paper {paper}` lists them)")
            continue
        drafts.append(Draft(paper, html))
    return drafts


def marked(document: str) -> str:
    """The web edition with DRAFT in its title and a banner at the top of its page."""
    document = document.replace("<title>", "<title>DRAFT — ", 1)
    head, sep, rest = document.partition("<body>")
    return head + sep + "\n" + BANNER + rest if sep else BANNER + document
