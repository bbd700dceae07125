"""PDF: typst sets the typst source in a child process (one per build, or kept warm by nsp watch);
a failure, timeout or runaway memory is explained in terms of the chapter to look at."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

from nsp.infra import procs
from nsp.infra.fonts import describe, drawable, undrawable
from nsp.infra.limits import Limits, image_size
from nsp.render.stage import Prepared, RenderError, RenderJob, tool_env
from nsp.render.typst_source import typst_source

# The environment may tighten the paper's time limit on typst (tests do, to provoke it).
TYPST_TIMEOUT_S = float(os.environ.get("NSP_TYPST_TIMEOUT", "inf"))


def render_pdf(job: RenderJob, prepared: Prepared, target: Path) -> None:
    source = job.staging / "paper.typ"
    text, sources = typst_source(job, prepared)
    refuse_undrawable(job.root, text, sources)
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, "utf-8")
    if job.compiler is not None:
        job.compiler.compile(source, target, job.epoch, sources, job.limits)
    else:
        compile_typst(job.root, source, target, tool_env(job), sources, job.pdf_standards, job.limits)
    lang = prepared.doc["meta"].get("lang", {}).get("c", "")
    # Only for the tagged, archival PDF of a release (PDF/UA wants the exact language): rewriting costs
    # ~0.4 s for a 26-page paper, too much for every save in `nsp watch`.
    if job.pdf_standards and isinstance(lang, str) and "-" in lang:
        set_pdf_language(target, lang)


def refuse_undrawable(root: Path, text: str, sources: list[str]) -> None:
    """typst prints a character no font has as an empty box, and says nothing: refuse it here, naming the
    chapter (a forced build skips check A516; text from a bibliography or YAML is not in any chapter)."""
    missing = undrawable(text, drawable(root))
    if not missing:
        return
    at = text.index(missing[0])
    chapter = "the paper's generated pages"
    for m in re.finditer(r"^// nsp-source: (\d+)$", text[:at], flags=re.M):
        chapter = sources[int(m.group(1))] if int(m.group(1)) < len(sources) else chapter
    more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
    raise RenderError(f"{chapter}: {describe(missing[0])}{more} cannot be drawn by any font nsp uses (A516): the PDF "
                      "would show an empty box; write it differently or add a font to templates/fonts; the previous "
                      "PDF was kept")


def set_pdf_language(path: Path, lang: str) -> None:
    """Give the PDF the manifest's full language tag (en-GB): typst writes only the language (en) to
    /Lang and the XMP metadata. An incremental update, so typst's PDF/A and tagging stay as they were."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(io.BytesIO(path.read_bytes()), incremental=True)
    catalog = writer.root_object
    catalog[NameObject("/Lang")] = TextStringObject(lang)
    if "/Metadata" in catalog:
        meta: Any = catalog["/Metadata"].get_object()  # a stream: pypdf's types do not say so
        xmp = meta.get_data().decode("utf-8")
        xmp = re.sub(
            r"(<dc:language><rdf:Bag>)(.*?)(</rdf:Bag>)", rf"\g<1><rdf:li>{lang}</rdf:li>\g<3>", xmp, flags=re.S
        )
        meta.set_data(xmp.encode("utf-8"))
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())


class WarmCompiler:
    """A typst compiler kept warm in a child process (see typst_server); restarted if it dies."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.limits = Limits()  # those of the paper being built: set by each compile
        self.proc: subprocess.Popen[str] | None = None
        self.source: Path | None = None

    def compile(self, source: Path, output: Path, epoch: int | None, sources: list[str],
                limits: Limits = Limits()) -> None:
        if limits != self.limits:
            self.close()  # its memory cap was set when it started
            self.limits = limits
        if self.proc is None or self.proc.poll() is not None or self.source != source:
            self.close()
            fonts = self.root / "templates" / "fonts"
            self.proc = procs.start(
                [sys.executable, "-m", "nsp.render.typst_server", str(source), str(source.parent), str(fonts)],
                memory_mb=self.limits.memory_mb, text=True)
            self.source = source
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"output": str(output), "timestamp": epoch}) + "\n")
        self.proc.stdin.flush()
        timeout = min(TYPST_TIMEOUT_S, limits.time_for(source.stat().st_size))
        if os.name == "posix" and not select.select([self.proc.stdout], [], [], timeout)[0]:
            self.close()
            raise RenderError(f"typst took longer than {timeout:g} s to set the PDF (limits: seconds, seconds_per_mb); "
                              f"{_suspect(source, sources)}; the previous PDF was kept")
        line = self.proc.stdout.readline()
        if not line:
            self.close()
            raise RenderError(
                "typst stopped unexpectedly; the previous PDF was kept (it will restart on the next save)"
            )
        reply = json.loads(line)
        if "error" in reply:
            raise RenderError(explain_typst_error(str(reply["error"]), 1, source, sources))

    def close(self) -> None:
        if self.proc is not None:
            procs.stop(self.proc)
            self.proc = None


def compile_typst(root: Path, source: Path, output: Path, env: dict[str, str] | None = None,
                  sources: list[str] | None = None, standards: tuple[str, ...] = (), limits: Limits = Limits(),
                  figure: str = "") -> None:
    """Compile in a child process: a typst panic or runaway must not take nsp down with it."""
    fonts = root / "templates" / "fonts"
    # typst's root is the staging folder: a document can read nothing outside it.
    cmd = [sys.executable, "-m", "nsp.render.typst_worker", str(source), str(output), str(source.parent), str(fonts),
           ",".join(standards)]
    # Its time grows with the source; its address space is capped (a forged image must not take 40 GB).
    timeout = min(TYPST_TIMEOUT_S, limits.time_for(source.stat().st_size))
    try:
        proc = procs.run(cmd, stdin=None, timeout=timeout, env=env, memory_mb=limits.memory_mb)
    except subprocess.TimeoutExpired:
        raise RenderError(f"typst took longer than {timeout:g} s to set the PDF (limits: seconds, seconds_per_mb); "
                          f"{_suspect(source, sources or [])}; previous outputs were kept") from None
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0 and ("memory allocation of" in stderr or "MemoryError" in stderr):
        raise RenderError(f"typst ran out of memory setting the PDF (over {limits.memory_mb} MB; limits: "
                          f"memory_mb); {_suspect(source, sources or [])}; previous outputs were kept")
    if proc.returncode != 0 and figure:
        raise RenderError(f"typst could not compile the figure {figure}: {_first_error(stderr)}; fix it (a figure "
                          "may read only the files of its own folder); previous outputs were kept")
    if proc.returncode != 0:
        raise RenderError(
            explain_typst_error(proc.stderr.decode("utf-8", "replace"), proc.returncode, source, sources or [])
        )


def _first_error(stderr: str) -> str:
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    return lines[0].removeprefix("error: ").strip() if lines else "it stopped unexpectedly"


TYPST_LOOK_FOR = "look for very large images, huge paragraphs or tables, or thousands of citations"
TYPST_IMAGE = re.compile(r'image\("(media/[^"]+)"')


def _suspect(source: Path, sources: list[str]) -> str:
    """What to look at when typst ran out of time or memory: typst cannot say where it was, so name the
    chapter holding the image with the most pixels, or else the one with the most to set."""
    try:
        parts = re.split(r"^// nsp-source: (\d+)$", source.read_text("utf-8"), flags=re.M)
    except OSError:
        return TYPST_LOOK_FOR
    image: tuple[int, str, str] = (0, "", "")
    largest: tuple[int, str] = (0, "")
    for number, chunk in zip(parts[1::2], parts[2::2]):
        chapter = sources[int(number)] if int(number) < len(sources) else ""
        largest = max(largest, (len(chunk), chapter))
        for m in TYPST_IMAGE.finditer(chunk):
            w, h = image_size(source.parent / m.group(1)) or (0, 0)
            image = max(image, (w * h, chapter, f"an image of {w}×{h} pixels"))
    if image[0] > 10_000_000:
        return f"{TYPST_LOOK_FOR}; look first at {image[1]} ({image[2]})"
    if largest[0] > 200_000:  # a chapter of typical size is not worth suspecting
        return f"{TYPST_LOOK_FOR}; look first at {largest[1]} (the most to set: {largest[0]:,} characters)"
    return TYPST_LOOK_FOR


TYPST_LOCATION = re.compile(r"┌─ (?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+)")


def explain_typst_error(stderr: str, code: int, source: Path, sources: list[str]) -> str:
    """Name the chapter whose text typst stumbled on, with an excerpt, instead of a line of generated code."""
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    if not lines:
        return f"typst stopped unexpectedly (exit code {code}) on {source.name}; the previous outputs were kept"
    message = lines[0].removeprefix("error: ").strip()
    where = TYPST_LOCATION.search(stderr)
    if not where:
        return f"typst could not compile the paper: {message}"
    if Path(where["file"]).name != source.name:
        return f"typst could not compile the paper: {message} (in the template {where['file']}:{where['line']})"
    typ_lines = source.read_text("utf-8", errors="replace").splitlines()
    n = int(where["line"])
    chapter = "the paper's generated pages"
    for i in range(min(n, len(typ_lines)) - 1, -1, -1):
        if typ_lines[i].startswith("// nsp-source: "):
            index = int(typ_lines[i].split(": ", 1)[1])
            chapter = sources[index] if index < len(sources) else chapter
            break
    excerpt = typ_lines[n - 1].strip() if 0 < n <= len(typ_lines) else ""
    excerpt = excerpt if len(excerpt) <= 80 else excerpt[:77] + "..."
    return (f"{chapter}: typst could not typeset this text: {message}, near «{excerpt}»; "
            "rephrase the passage, and report it: nsp should have escaped it")

