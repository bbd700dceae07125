"""Render the merged AST: typst source and PDF, and Word, each written atomically.

PDF and DOCX run side by side: they share nothing but the merged AST.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nsp import ast as A
from nsp.assemble.chapters import BYLINE, CHAPTER, PART, SOURCE
from nsp.assemble.citeproc import resolve_citations
from nsp.ast import Doc, Node
from nsp.diagnostics import NspError
from nsp.infra import cachefile, procs
from nsp.infra.atomic import atomic_paths
from nsp.infra.limits import Limits, image_size
from nsp.infra.pandoc import pandoc_identity, run_pandoc
from nsp.infra.resources import contained

# The environment may tighten the paper's time limit on typst (tests do, to provoke it).
TYPST_TIMEOUT_S = float(os.environ.get("NSP_TYPST_TIMEOUT", "inf"))


class RenderError(NspError):
    """An output could not be produced; the message says which and why."""


@dataclass(frozen=True)
class RenderJob:
    root: Path
    staging: Path  # this output's own folder: the only place typst may read, and where pandoc finds images
    bibliography: tuple[str, ...]  # paths relative to the root
    csl: str | None
    epoch: int | None = None  # SOURCE_DATE_EPOCH for both tools: same sources, same bytes
    pdf_standards: tuple[str, ...] = ()  # e.g. ("a-2a", "ua-1") for a release
    compiler: WarmCompiler | None = None  # nsp watch keeps one running
    downloads: tuple[tuple[str, str], ...] = ()  # (format, file name) the web edition links to
    limits: Limits = Limits()  # time and memory for each pandoc and typst run


def typst_string(text: str) -> str:
    """A typst string literal: the only way generated text reaches typst code, never as markup."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


@dataclass(frozen=True)
class Prepared:
    """The merged document after staging, shared read-only by the renderers running side by side."""

    doc: Doc
    image_blocks: frozenset[int]  # indices of the top-level blocks that contain an image


def _lowered(prepared: Prepared, lower_block: Callable[[Node], list[Node]],
             lower_image: Callable[[Node], Node | None]) -> list[Node]:
    """The top-level blocks, lowered for one format, without copying the whole tree.

    Parts, chapter headings and bylines are always top-level blocks; images can sit anywhere,
    so only the blocks holding one are copied and walked. Shared blocks are never mutated:
    the other formats are being written from them at the same time.
    """
    out: list[Node] = []
    for i, block in enumerate(prepared.doc["blocks"]):
        if i in prepared.image_blocks:
            block = A.walk([A.clone(block)], lambda n: lower_image(n) if n["t"] == "Image" else None)[0]
        out.extend(lower_block(block))
    return out


def lower_for_typst(prepared: Prepared) -> tuple[Doc, list[str]]:
    """The typst form of the document, and its source files in order.

    Each document starts with a `// nsp-source: N` comment in the typst source,
    so that a compile error can be traced back to the file it came from.
    """
    sources: list[str] = []

    def lower_block(node: Node) -> list[Node]:
        lowered = _lower_for_typst(node)
        blocks = lowered if isinstance(lowered, list) else [lowered or node]
        source = dict(node["c"][1][2]).get(SOURCE) if node["t"] == "Header" else None
        if not source:
            return blocks
        sources.append(source)
        return [A.raw_block("typst", f"// nsp-source: {len(sources) - 1}"), *blocks]

    return {**prepared.doc, "blocks": _lowered(prepared, lower_block, _typst_image)}, sources


def _lower_for_typst(node: Node) -> Node | list[Node] | None:
    if node["t"] == "Header" and CHAPTER in node["c"][1][1]:
        level, (label, _, _), inlines = node["c"]
        # The supplement marks a chapter for the template: it opens a page and is listed in the contents.
        return A.raw_block("typst", f"#heading(level: {int(level)}, supplement: [Chapter], numbering: none, "
                                    f"{typst_string(A.stringify(inlines))}){_typst_label(label)}")
    if node["t"] == "Header" and PART in node["c"][1][1]:
        number = dict(node["c"][1][2]).get("number", "")
        title = A.stringify(node["c"][2])
        label = node["c"][1][0]
        return A.raw_block("typst", f"#nsp-part({typst_string(number)}, {typst_string(title)}){_typst_label(label)}")
    if node["t"] == "Div" and BYLINE in node["c"][0][1]:
        return [A.raw_block("typst", "#nsp-byline["), *node["c"][1], A.raw_block("typst", "]")]
    return None


TYPST_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _typst_label(label: str) -> str:
    """` <label>` for an id made of safe characters only; none for anything else, which would be code."""
    return f" <{label}>" if TYPST_LABEL.fullmatch(label) else ""


TYPST_LENGTH = re.compile(r"^\d+(\.\d+)?(%|cm|mm|in|pt|em)$")


def _typst_image(node: Node) -> Node:
    """An image with its alt text (pandoc's typst writer drops it; PDF/UA and PDF/A need it)."""
    (_, _, attrs), alt, (src, _) = node["c"]
    args = [typst_string(src), f"alt: {typst_string(A.stringify(alt))}"]
    for key, value in attrs:
        if key in ("width", "height") and TYPST_LENGTH.match(value):
            args.append(f"{key}: {value}")
    return {"t": "RawInline", "c": ["typst", f"#box(image({', '.join(args)}))"]}


DRAFT_NOTICE = "DRAFT — for consultation; not for citation or circulation"


def _name_part(node: Node) -> Node:
    """'Terror Financing' becomes 'Part I: Terror Financing' where the format has no part pages."""
    if node["t"] != "Header" or PART not in node["c"][1][1]:
        return node
    level, attr, inlines = node["c"]
    number = dict(attr[2]).get("number", "")
    return {"t": "Header", "c": [level, attr, [*A.text_inlines(f"Part {number}:"), {"t": "Space"}, *inlines]]}


def lower_for_html(job: RenderJob, prepared: Prepared) -> Doc:
    return {**prepared.doc, "blocks": _lowered(prepared, lambda b: [_name_part(b)], lambda n: _embed(job, n))}


def lower_for_docx(job: RenderJob, prepared: Prepared) -> Doc:
    def lower_block(node: Node) -> list[Node]:
        if node["t"] == "Div" and BYLINE in node["c"][0][1]:
            return [A.div([b], attrs=(("custom-style", "Byline"),)) for b in node["c"][1]]
        return [_name_part(node)]

    blocks = _lowered(prepared, lower_block, lambda n: _embed(job, n))
    meta = prepared.doc["meta"]
    if meta.get("draft", {}).get("c"):
        # Word has no page background we can set from pandoc: the notice opens the document instead.
        blocks.insert(0, A.div([A.para(A.text_inlines(DRAFT_NOTICE))], attrs=(("custom-style", "Draft Notice"),)))
    # pandoc's Word cover has one line under the author: it says what the PDF cover says.
    edition = [A.stringify(meta[k]) for k in ("version", "edition", "date") if A.stringify(meta.get(k, []))]
    if meta.get("version"):
        edition[0] = f"Version {edition[0]}"
    cover = {"date": A.meta_inlines(" · ".join(edition))} if edition else {}
    return {**prepared.doc, "meta": {**meta, **cover}, "blocks": blocks}


def _env(job: RenderJob) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": str(job.epoch)} if job.epoch is not None else dict(os.environ)


def _template(job: RenderJob, rel: str) -> Path:
    """A template file, if it is inside the repository (load reports E014 for one that is not)."""
    full, _ = contained(job.root, rel)
    if full is None:
        raise RenderError(f"{rel} is a symbolic link out of the repository; previous outputs were kept")
    return full


def stage(job: RenderJob, doc: Doc) -> Prepared:
    """Fill the staging folder: the typst style, and a copy of every image under media/.

    Image paths (already validated, relative to the root) are rewritten to the
    copies, so neither pandoc nor typst needs to read anything outside the folder.
    """
    if job.staging.exists():
        shutil.rmtree(job.staging)
    (job.staging / "media").mkdir(parents=True)
    for style in (job.root / "templates" / "typst").glob("*.typ"):
        if style.name != "paper.typ":
            shutil.copyfile(_template(job, f"templates/typst/{style.name}"), job.staging / style.name)
    copied: dict[str, str] = {}
    holders: set[int] = set()

    def copy_image(node: Node) -> None:
        src = node["c"][2][0]
        if src not in copied:
            full, _ = contained(job.root, src)
            if full is None:  # sanitize lets no such path through; never read one, whatever happens upstream
                raise RenderError(f"the image {src[:60]} is outside the repository; previous outputs were kept")
            data = full.read_bytes()
            name = f"media/{hashlib.sha256(data).hexdigest()[:16]}{Path(src).suffix.lower()}"
            (job.staging / name).write_bytes(data)
            copied[src] = name
        node["c"][2][0] = copied[src]

    for i, block in enumerate(doc["blocks"]):  # the merged document is ours: staged in place
        images = A.collect([block], "Image")
        if images:
            holders.add(i)
        for image in images:
            copy_image(image)
    return Prepared(doc, frozenset(holders))


BODY_MARKER = "/* nsp: the body goes here */"


def typst_source(job: RenderJob, prepared: Prepared) -> tuple[str, list[str]]:
    """The whole typst document, written chapter by chapter with each chapter's markup cached.

    After an edit only the changed chapter goes through pandoc's typst writer again.
    """
    lowered, sources = lower_for_typst(prepared)
    chunks: list[list[Node]] = [[]]
    for block in lowered["blocks"]:
        if block["t"] == "RawBlock" and block["c"][1].startswith("// nsp-source: "):
            chunks.append([])
        chunks[-1].append(block)
    api = lowered["pandoc-api-version"]
    texts = [json.dumps({"pandoc-api-version": api, "meta": {}, "blocks": chunk}) for chunk in chunks]
    salt = f"{pandoc_identity()}\0typst-chunk-2\0".encode()
    keys = [hashlib.sha256(salt + t.encode()).hexdigest() for t in texts]
    cache = job.root / "build" / ".cache" / "typst"
    written: dict[int, str] = {}
    for i, key in enumerate(keys):
        data = cachefile.read(cache / f"{key}.typ")  # verified: a truncated chunk would drop a chapter
        if data is not None:
            with contextlib.suppress(UnicodeDecodeError):
                written[i] = data.decode("utf-8")
    todo = [i for i in range(len(texts)) if i not in written]
    if todo:
        script = Path(__file__).with_name("typst_chunks.lua")
        out = run_pandoc(["lua", str(script)], stdin=json.dumps([texts[i] for i in todo]).encode(),
                         what="the typst source", cwd=job.root, limits=job.limits)
        for i, text in zip(todo, json.loads(out)):
            written[i] = text
            cachefile.write(cache / f"{keys[i]}.typ", text.encode("utf-8"))
    # The template around the body: pandoc fills in the metadata, nsp the body.
    template = _template(job, "templates/typst/paper.typ")
    shell = {**lowered, "blocks": [A.raw_block("typst", BODY_MARKER)]}
    frame = run_pandoc(["-f", "json", "-t", "typst", "--sandbox", f"--template={template}"],
                       stdin=json.dumps(shell).encode(), what="the typst template", cwd=job.root, limits=job.limits).decode("utf-8")
    body = "\n".join(written[i] for i in range(len(texts)))
    return frame.replace(BODY_MARKER, body, 1), sources


def render_pdf(job: RenderJob, prepared: Prepared, target: Path) -> None:
    source = job.staging / "paper.typ"
    text, sources = typst_source(job, prepared)
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, "utf-8")
    if job.compiler is not None:
        job.compiler.compile(source, target, job.epoch, sources, job.limits)
    else:
        compile_typst(job.root, source, target, _env(job), sources, job.pdf_standards, job.limits)
    lang = prepared.doc["meta"].get("lang", {}).get("c", "")
    # Only for the tagged, archival PDF of a release (PDF/UA wants the exact language): rewriting costs
    # ~0.4 s for a 26-page paper, too much for every save in `nsp watch`.
    if job.pdf_standards and isinstance(lang, str) and "-" in lang:
        set_pdf_language(target, lang)


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
        xmp = re.sub(r"(<dc:language><rdf:Bag>)(.*?)(</rdf:Bag>)", rf"\g<1><rdf:li>{lang}</rdf:li>\g<3>", xmp, flags=re.S)
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
            raise RenderError("typst stopped unexpectedly; the previous PDF was kept (it will restart on the next save)")
        reply = json.loads(line)
        if "error" in reply:
            raise RenderError(explain_typst_error(str(reply["error"]), 1, source, sources))

    def close(self) -> None:
        if self.proc is not None:
            procs.stop(self.proc)
            self.proc = None


def compile_typst(root: Path, source: Path, output: Path, env: dict[str, str] | None = None,
                  sources: list[str] | None = None, standards: tuple[str, ...] = (), limits: Limits = Limits()) -> None:
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
    if proc.returncode != 0:
        raise RenderError(explain_typst_error(proc.stderr.decode("utf-8", "replace"), proc.returncode, source, sources or []))


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


def render_docx(job: RenderJob, prepared: Prepared, target: Path) -> None:
    reference = _template(job, "templates/reference.docx")
    # --sandbox: pandoc reads only the files named here; the images travel inside the AST as data: URIs.
    run_pandoc(
        ["-f", "json", "-t", "docx+native_numbering", "--sandbox", f"--reference-doc={reference}", "--toc", "--toc-depth=2",
         "-o", str(target)],
        stdin=json.dumps(lower_for_docx(job, prepared)).encode(), what="the Word document", env=_env(job),
        cwd=job.root, limits=job.limits,
    )
    finish_docx(target, dt.datetime.fromtimestamp(job.epoch, dt.UTC) if job.epoch is not None else None)


def date_docx(path: Path, when: dt.datetime) -> None:
    finish_docx(path, when)


def finish_docx(path: Path, when: dt.datetime | None) -> None:
    """What pandoc's Word file lacks: contents that show without updating fields, and its creation date."""
    with zipfile.ZipFile(path) as old:
        entries = [(info, old.read(info.filename)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in entries:
            if info.filename == "word/document.xml":
                data = fill_toc(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "word/settings.xml":
                data = update_fields_on_open(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "docProps/core.xml" and when is not None:
                # A sandboxed pandoc knows no clock and writes 1970.
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            if when is not None:
                info.date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
            new.writestr(info, data)


TOC_FIELD = re.compile(r'(<w:instrText xml:space="preserve">TOC [^<]*</w:instrText><w:fldChar w:fldCharType="separate" />)'
                       r'(<w:fldChar w:fldCharType="end" />)(</w:r></w:p>)')
HEADING = re.compile(r'(?:<w:bookmarkStart w:id="\d+" w:name="(?P<anchor>[^"]+)" />\s*)?'
                     r'<w:p><w:pPr><w:pStyle w:val="Heading(?P<level>[12])" />.*?</w:p>', re.S)
TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def fill_toc(xml: str) -> str:
    """Write the contents' entries into the TOC field's result.

    pandoc leaves the result empty for Word to fill when fields are updated; LibreOffice and
    viewers that update nothing show the heading alone. The entries carry no page numbers (only a
    layout engine knows them); Word replaces them with its own when it updates fields on opening.
    """
    match = TOC_FIELD.search(xml)
    if not match:
        return xml
    entries = []
    for h in HEADING.finditer(xml, match.end()):
        text = "".join(TEXT.findall(h.group(0)))
        run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
        if h["anchor"]:
            run = f'<w:hyperlink w:anchor="{h["anchor"]}">{run}</w:hyperlink>'
        entries.append((f'<w:pPr><w:pStyle w:val="TOC{h["level"]}" /></w:pPr>', run))
    if not entries:
        return xml
    # One field across several paragraphs: it opens in the first entry's paragraph and closes in the last's.
    first_style, first_run = entries[0]
    out = [match.group(1) + "</w:r>" + first_run + "</w:p>"]
    out += [f"<w:p>{style}{run}</w:p>" for style, run in entries[1:]]
    out[-1] = out[-1].removesuffix("</w:p>") + "<w:r>" + match.group(2) + "</w:r></w:p>"
    head = xml[:match.start()]
    # The field's own paragraph gets the first entry's style.
    para = head.rfind("<w:p>")
    head = head[:para] + "<w:p>" + first_style + head[para + len("<w:p>"):]
    return head + "".join(out) + xml[match.end():]


# Elements that must follow w:updateFields in settings.xml (the schema fixes their order).
AFTER_UPDATE_FIELDS = ("<w:hdrShapeDefaults", "<w:footnotePr", "<w:endnotePr", "<w:compat", "<w:docVars", "<w:rsids",
                       "<m:mathPr", "<w:attachedSchema", "<w:themeFontLang", "<w:clrSchemeMapping", "</w:settings>")


def update_fields_on_open(xml: str) -> str:
    """Ask Word to update fields (page numbers in the contents, caption numbers) when the file is opened."""
    if "<w:updateFields" in xml:
        return xml
    at = min((i for i in (xml.find(tag) for tag in AFTER_UPDATE_FIELDS) if i >= 0), default=-1)
    return xml if at < 0 else xml[:at] + '<w:updateFields w:val="true" />' + xml[at:]


MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml"}


def _embed(job: RenderJob, node: Node) -> Node:
    """An image whose staged file travels inside the AST as a data: URI, so pandoc needs no file access."""
    src = node["c"][2][0]
    if src.startswith("media/"):
        path = job.staging / src
        mime = MIME.get(path.suffix.lower(), "application/octet-stream")
        node["c"][2][0] = f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"
    return node


def render_html(job: RenderJob, prepared: Prepared, target: Path) -> None:
    """The web edition: one self-contained page (styles inline, images as data: URIs, no scripts)."""
    template = _template(job, "templates/html/paper.html")
    links = [f"--metadata={fmt}-file:{name}" for fmt, name in job.downloads]
    run_pandoc(
        ["-f", "json", "-t", "html5", "--standalone", "--sandbox", f"--template={template}", "--toc",
         "--toc-depth=2", *links, "-o", str(target)],
        stdin=json.dumps(lower_for_html(job, prepared)).encode(), what="the web edition", env=_env(job),
        cwd=job.root, limits=job.limits,
    )


def render_all(job: RenderJob, doc: Doc, targets: dict[str, Path]) -> None:
    """Render every requested format, PDF and DOCX side by side (their work is in child processes);
    the outputs replace the old ones together, and only if all succeeded."""
    renderers = {"pdf": render_pdf, "docx": render_docx, "html": render_html}
    procs.reset()
    resolve_citations(doc, root=job.root, bibliography=job.bibliography, csl=job.csl,
                      cache_dir=job.root / "build" / ".cache" / "cite")
    prepared = stage(job, doc)
    with atomic_paths(list(targets.values())) as tmps, \
            ThreadPoolExecutor(max_workers=max(1, min(len(targets), os.cpu_count() or 1))) as pool:
        futures = [pool.submit(renderers[fmt], job, prepared, tmp) for fmt, tmp in zip(targets, tmps)]
        try:
            for future in futures:
                future.result()
        except BaseException:
            procs.cancel()  # stop the other renderer too: its output will not be used
            raise
        if procs.cancelled():  # interrupted while the outputs were being made: keep the old ones
            raise KeyboardInterrupt
