"""`nsp site`: gather the data, render every page into a temporary folder, check its links, swap it in whole.

A build that fails at any step leaves the previous build/site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from nsp.check.network import data_errors
from nsp.diagnostics import Diagnostic, NspError, UsageError, errors_in
from nsp.infra.atomic import job_lock
from nsp.load.project import list_papers, load_paper, load_project
from nsp.model import Project
from nsp.publish import sha256_file
from nsp.site import newsletters
from nsp.site.drafts import Draft, build_drafts, marked
from nsp.site.feed import FEED, feed
from nsp.site.links import problems
from nsp.site.pages import PaperEntry, SiteData, draft_page, pages, release_page
from nsp.site.releases import Published, published
from nsp.site.render import TEMPLATES, environment, render_page
from nsp.site.sitemap import sitemap

SITE = Path("build") / "site"
STYLE = "site.css"


@dataclass
class SiteResult:
    folder: Path | None = None  # build/site, when it was written
    problems: list[Diagnostic] = field(default_factory=list)  # why it was refused
    warnings: list[str] = field(default_factory=list)  # what was left out, and why
    pages: int = 0


def make_site(root: Path, paper: str, *, drafts: bool = False, base_url: str = "") -> SiteResult:
    address = urlsplit(base_url)
    if base_url and not (address.scheme in ("http", "https") and address.netloc):
        raise UsageError(f"--base-url '{base_url}' must be an http:// or https:// address, e.g. https://nioc.example.pk/")
    base_url = base_url and base_url.rstrip("/") + "/"
    project, diagnostics = load_project(root, paper)
    if project is None:
        return SiteResult(problems=errors_in(diagnostics) or diagnostics)
    # The site shows the manifests, people, organizations, meetings and themes, not the chapters: a mistake in
    # those files would leave a page silently short, one in a chapter is `nsp build`'s to refuse.
    blocking = data_errors(project, diagnostics)
    if blocking:
        return SiteResult(problems=blocking)
    result = SiteResult()
    with job_lock(root / "build", ".nsp-site.lock", busy="another nsp site is running; try again when it has finished"):
        data = gather(project, drafts, result.warnings.append)
        result.pages = _write(root, data, base_url)
    result.folder = root / SITE
    return result


def gather(project: Project, drafts: bool, warn: Callable[[str], None]) -> SiteData:
    root = project.root
    releases = published(root, warn)
    entries = []
    # The site's own paper first, then the others by id.
    for paper_id in sorted(list_papers(root), key=lambda p: (p != project.paper.id, p)):
        paper = project.paper if paper_id == project.paper.id else load_paper(root, paper_id)[0]
        if paper is None:
            warn(f"papers/{paper_id}.yaml: left out of the site: it cannot be read (`nsp check --paper {paper_id}`)")
            continue
        entries.append(PaperEntry(paper, tuple(r for r in releases if r.paper == paper_id)))
    for stray in sorted({r.paper for r in releases} - {e.paper.id for e in entries}):
        warn(f"build/releases: the releases of '{stray}' are left out of the site: papers/ has no such paper")
    if drafts:
        built = {d.paper: d for d in build_drafts(root, [e.paper.id for e in entries], warn)}
        entries = [PaperEntry(e.paper, e.releases, built.get(e.paper.id)) for e in entries]
    return SiteData(project, tuple(entries), tuple(newsletters.issues(project, warn)))


def _write(root: Path, data: SiteData, base_url: str) -> int:
    """Everything into a temporary folder beside build/site, checked, then swapped in; returns the page count."""
    site = root / SITE
    for stale in sorted(site.parent.glob(".site-*")):  # left by a killed build: we hold the lock
        if stale.name.startswith(".site-old-") and not site.exists():
            os.rename(stale, site)  # killed between the two renames of _swap: the last site comes back
        else:
            shutil.rmtree(stale, ignore_errors=True)
    tmp = site.parent / f".site-tmp-{os.getpid()}"
    tmp.mkdir(parents=True)
    try:
        listed = _fill(root, tmp, data, base_url)
        broken = problems(tmp)
        if broken:
            raise NspError(f"the site was not replaced: {broken[0]}" +
                           (f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""))
        _swap(tmp, site)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return listed


def _fill(root: Path, tmp: Path, data: SiteData, base_url: str) -> int:
    env = environment(root)
    paper = data.project.paper
    every = pages(data)
    for page in every:
        _put(tmp / page.path, render_page(env, page, paper).encode("utf-8"))
    style = root / TEMPLATES / STYLE
    if not style.is_file():
        raise NspError(f"{TEMPLATES / STYLE} is missing: the site's one style sheet")
    shutil.copyfile(style, tmp / STYLE)
    editions = []  # the web editions: pages of the site too, for the sitemap
    for entry in data.papers:
        for release in entry.releases:
            _copy_release(release, tmp / release_page(release))
            if name := release.output(".html"):
                editions.append(f"releases/{release.name}/{name}")
        if entry.draft:
            _copy_draft(entry.draft, tmp / draft_page(entry.draft))
            editions.append(f"drafts/{entry.draft.paper}/{entry.draft.html.name}")
    for issue in data.issues:
        _put(tmp / f"newsletters/{issue.month}.txt", issue.text.encode("utf-8"))
    _put(tmp / FEED, feed(paper, list(data.issues), base_url))
    _put(tmp / "sitemap.xml", sitemap([*(p.path for p in every), *editions], base_url))
    return len(every)


def _copy_release(release: Published, page: Path) -> None:
    """The released files beside their page, each copy checked against the manifest as `nsp verify` checked
    the originals: a file changed in between is not offered as the release."""
    for name, digest in release.outputs:
        shutil.copyfile(release.folder / name, page.parent / name)
        if sha256_file(page.parent / name) != digest:
            raise NspError(f"{release.folder.name}/{name} changed while the site was being built; run nsp site again")


def _copy_draft(draft: Draft, page: Path) -> None:
    _put(page.parent / draft.html.name, marked(draft.html.read_text("utf-8")).encode("utf-8"))


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _swap(tmp: Path, site: Path) -> None:
    """The new site in place of the old in two renames: a reader sees one or the other, never half of one."""
    old = site.parent / f".site-old-{os.getpid()}"
    if site.exists():
        os.rename(site, old)
    try:
        os.rename(tmp, site)
    except BaseException:  # Ctrl-C or a failure between the renames: put the last site back
        if old.exists() and not site.exists():
            os.rename(old, site)
        raise
    shutil.rmtree(old, ignore_errors=True)
