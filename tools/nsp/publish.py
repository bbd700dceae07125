"""`nsp publish` and `nsp verify`: a gated, reproducible release with a manifest of checksums.

A release is built into a temporary folder and renamed into build/releases/ID-VERSION
only when complete, so a release folder is either whole or absent, and never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nsp import __version__
from nsp.build import build
from nsp.check.run import check
from nsp.diagnostics import Diagnostic, NspError, UsageError
from nsp.infra.atomic import job_lock
from nsp.infra.git import git
from nsp.infra.pandoc import index_documents, pandoc_version
from nsp.infra.pinned import RUNTIME_LOCK, not_as_locked, read_pins
from nsp.infra.progress import QUIET, Progress
from nsp.infra.resources import usable_image
from nsp.model import Project
from nsp.plan.plan import Release, Selection
from nsp.review.records import Review
from nsp.review.state import display_name

VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$")
MANIFEST = "manifest.json"


@dataclass
class PublishResult:
    folder: Path | None = None
    problems: list[Diagnostic] = field(default_factory=list)  # why it was refused


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def release_folder(root: Path, paper: str, version: str) -> Path:
    return root / "build" / "releases" / f"{paper}-{version}"


def publish(root: Path, version: str, paper: str, *, date: dt.date | None = None,
            progress: Progress = QUIET) -> PublishResult:
    if not VERSION.match(version):
        raise UsageError(f"version '{version}' must be letters, digits, dots, hyphens or underscores, e.g. 1.0")
    folder = release_folder(root, paper, version)
    if folder.exists():
        raise NspError(
            f"{folder.relative_to(root)} already exists: a release is never overwritten; choose a new version"
        )
    # The strict gate: every error and every warning (unapproved or stale chapters among them) blocks.
    with progress.stage("strict check"):
        gate = check(root, paper, gate=True)  # no select or ignore hides review, people or safety findings
    if gate.unusable or gate.diagnostics:
        return PublishResult(problems=gate.diagnostics)
    when = date or _release_date()
    with job_lock(
        folder.parent, ".nsp-publish.lock", busy="another nsp publish is running; try again when it has finished"
    ):
        # One publish at a time: any temporary folder here now was left by a publish that was killed.
        for stale in folder.parent.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        return _publish_into(root, folder, version, paper, when, progress)


def _publish_into(root: Path, folder: Path, version: str, paper: str, when: dt.date,
                  progress: Progress) -> PublishResult:
    tmp = folder.parent / f".tmp-{folder.name}-{os.getpid()}"
    tmp.mkdir(parents=True)
    try:
        result = build(root, Selection(paper=paper), release=Release(version, when, tmp), progress=progress)
        if result.refused or result.project is None:
            return PublishResult(problems=result.diagnostics)
        with progress.stage("manifest"):  # every source's checksum: long with many figures
            manifest = make_manifest(root, result.project, version, when, result.outputs,
                                     [d.path for d in result.documents if not d.path.endswith(".generated.md")])
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
        if folder.exists():
            raise NspError(f"{folder.relative_to(root)} appeared while publishing; nothing was overwritten")
        os.rename(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return PublishResult(folder=folder)


def _release_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else dt.date.today()


def _sources(root: Path, project: Project, documents: list[str]) -> list[str]:
    """Every file that went into the release: manuscript, bibliographies, figures, templates."""
    files = set(project.files)
    docs = [project.documents[p] for p in documents if p in project.documents]
    for path, ix in index_documents(project, docs).items():
        for url in ix.images:
            rel, _ = usable_image(root, path, url)
            if rel:
                files.add(rel)
    templates = root / "templates"
    for pattern in ("typst/*.typ", "html/*.html", "partials/*.j2", "reference.docx"):
        files.update(p.relative_to(root).as_posix() for p in templates.glob(pattern))
    if project.paper.csl:
        files.add(project.paper.csl)
    return sorted(f for f in files if (root / f).is_file())


def _git_commit(root: Path) -> dict[str, Any] | None:
    head = git(root, "rev-parse", "HEAD")
    if not head.ok:
        return None
    dirty = git(root, "status", "--porcelain", "--untracked-files=no").out.strip() != ""
    return {"commit": head.out.strip(), "uncommitted_changes": dirty}


def _dependencies(root: Path) -> dict[str, Any] | None:
    """The runtime lock the release was made with (None where the manuscript keeps none), and the installed
    packages that are not as it pins them: a release made outside the locked set says so."""
    path = root / RUNTIME_LOCK
    if not path.is_file():
        return None
    data = path.read_bytes()  # read once: the pins and the checksum are of the same bytes
    pins = read_pins(data.decode("utf-8", errors="replace"))
    return {"lock": RUNTIME_LOCK, "sha256": "sha256:" + hashlib.sha256(data).hexdigest(),
            "not_as_locked": not_as_locked(pins)}


def make_manifest(root: Path, project: Project, version: str, date: dt.date, outputs: list[Path],
                  documents: list[str]) -> dict[str, Any]:
    import typst

    chapters = []
    for doc in project.all_chapters():
        review = project.review_of(doc)
        assert review is not None
        chapters.append({
            "path": doc.path, "title": doc.title, "revision": project.revision_of(doc).id, "text": doc.sha256,
            "approvals": [_approval(project, r) for r in sorted(review.current, key=lambda r: (r.date, r.reviewer))],
        })
    return {
        "paper": project.paper.id, "title": project.paper.title, "version": version, "date": date.isoformat(),
        "tools": {"nsp": __version__, "pandoc": pandoc_version(), "typst": getattr(typst, "__version__", "unknown"),
                  "python": sys.version.split()[0]},
        "dependencies": _dependencies(root),
        "git": _git_commit(root),
        "pdf_standards": list(Release(version, date, root).pdf_standards),
        "outputs": {p.name: sha256_file(p) for p in outputs},
        "sources": {f: sha256_file(root / f) for f in _sources(root, project, documents)},
        "chapters": chapters,
    }


def _approval(project: Project, r: Review) -> dict[str, Any]:
    """One approval as the release records it: who, when, the commit that added it, and how it was received
    when someone else recorded it."""
    trace = project.provenance.of(r) if project.provenance else None
    out: dict[str, Any] = {"reviewer": r.reviewer, "name": display_name(r.reviewer, project.people),
                           "date": r.date.isoformat(), "commit": trace.commit if trace else None}
    if r.on_behalf:
        out |= {"on_behalf": r.on_behalf, "recorded_by": r.recorded_by}
    return out


@dataclass
class Verification:
    tampered: list[str]  # outputs that differ from the manifest
    moved_on: list[str]  # sources that changed since the release


def verify(root: Path, folder: Path) -> Verification:
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        outputs: dict[str, str] = manifest["outputs"]
        sources: dict[str, str] = manifest["sources"]
    except FileNotFoundError:
        raise NspError(f"{folder} has no {MANIFEST}: is it a release folder?") from None
    except (ValueError, KeyError, TypeError):
        raise NspError(f"{folder / MANIFEST} is damaged: it cannot be read as a release manifest") from None
    tampered = _differences(folder, outputs, missing="missing",
                            changed="its checksum differs from the manifest: the file was changed after release")
    tampered += [f"{extra}: not part of the release" for extra in
                 sorted(p.name for p in folder.iterdir() if p.name not in outputs and p.name != MANIFEST)]
    moved_on = _differences(root, sources, missing="no longer exists", changed="changed since the release")
    return Verification(tampered, moved_on)


def _differences(base: Path, expected: dict[str, str], *, missing: str, changed: str) -> list[str]:
    """One line per file under `base` that is absent or whose checksum is not the one expected."""
    out = []
    for rel, digest in expected.items():
        path = base / rel
        if not path.is_file():
            out.append(f"{rel}: {missing}")
        elif sha256_file(path) != digest:
            out.append(f"{rel}: {changed}")
    return out
