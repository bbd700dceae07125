"""Running pandoc: where it is, which version, and reading Markdown in bulk.

Every run is bounded: a wall-clock time limit that grows with the input and a
Haskell heap cap (both from the paper's `limits:`), so a pathological chapter
cannot hang or swamp the machine. Before that, each text is scanned for what
is known to make pandoc run away (`limits.scan`): a text that exceeds a limit
is never given to pandoc, and a text on which pandoc still runs out of time or
memory becomes a finding about that chapter alone; the others are read as usual.

Reading is cached by content: one pandoc process parses every chapter not seen
before, writes its AST to build/.cache/ast/ and returns an `Index` of what the
checks need, cached under build/.cache/index/. A check with nothing changed
reads only the small indexes; a build reads the ASTs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nsp.diagnostics import NspError
from nsp.infra import cachefile, procs
from nsp.infra.limits import Limits, Problem, scan
from nsp.infra.progress import Tick, no_tick

if TYPE_CHECKING:
    from nsp.model import Document, Project

# The Markdown dialect chapters are written in. A YAML block in the middle of a
# chapter must not become metadata (a route around our front-matter checks).
READER = "markdown-yaml_metadata_block"
# The environment may tighten the paper's limits on one pandoc run (tests do, to provoke them).
HEAP_CAP = os.environ.get("NSP_PANDOC_HEAP", "")
TIMEOUT_S = float(os.environ.get("NSP_PANDOC_TIMEOUT", "inf"))
INDEX_VERSION = "5"  # 5: the words of actions blocks count
# pandoc runs on one core; a cold parse of many chapters uses one process per core.
PARALLEL_READERS = max(1, min(4, os.cpu_count() or 1))
SPLIT_ABOVE_BYTES = (
    200_000  # below this, a second process costs more than it saves  # bump when read_many.lua's index changes shape
)

Ast = dict[str, Any]


class PandocError(NspError):
    """pandoc failed; the message says on what."""


class PandocTimeout(PandocError):
    """pandoc ran out of time."""


@dataclass(frozen=True)
class Index:
    """What the checks need of one document, in document order."""

    headers: list[tuple[int, str]]  # level, text
    sections: list[tuple[str, bool]]  # top-level section title, has content
    images: list[str]
    links: list[str]
    cites: list[str]
    raws: list[tuple[str, str]]  # format, text
    anchors: list[str]
    words: int
    attrs: list[tuple[str, str]] = field(default_factory=list)  # attributes outside the safe set
    noalt: list[str] = field(default_factory=list)  # images without alt text
    # Limits the text exceeds (then pandoc did not read it, and all else is empty); never cached.
    problems: tuple[Problem, ...] = ()

    @staticmethod
    def refused(problems: list[Problem]) -> Index:
        return Index([], [], [], [], [], [], [], 0, problems=tuple(problems))

    @staticmethod
    def from_json(data: dict[str, Any]) -> Index:
        def items(key: str) -> list[Any]:
            value = data.get(key) or []  # pandoc encodes an empty Lua table as {}
            return [tuple(v) if isinstance(v, list) else v for v in value]

        return Index(items("headers"), items("sections"), items("images"), items("links"), items("cites"),
                     items("raws"), items("anchors"), int(data.get("words", 0)), items("attrs"), items("noalt"))


@functools.cache
def pandoc_path() -> str:
    """The pandoc that pypandoc-binary ships; found without importing pypandoc, which is slow to start."""
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "files" / "pandoc"
        if candidate.is_file():
            return str(candidate)
    import pypandoc  # type: ignore[import-untyped]

    return str(pypandoc.get_pandoc_path())


@functools.cache
def pandoc_version() -> str:
    proc = procs.run([pandoc_path(), "--version"], stdin=None, timeout=60)
    if proc.returncode != 0:
        raise PandocError(f"pandoc --version failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout.decode().split("\n", 1)[0].split()[-1]


def pandoc_identity() -> str:
    """Identifies the pandoc binary without running it (cache keys must change when pandoc does)."""
    st = os.stat(pandoc_path())
    return f"{pandoc_path()}:{st.st_size}:{st.st_mtime_ns}"


LOOK_FOR = "look for long runs of '[', deeply nested lists or quotes, or a huge table"


def run_pandoc(args: Sequence[str], *, stdin: bytes | None = None, what: str, limits: Limits = Limits(),
               env: dict[str, str] | None = None, cwd: Path | None = None) -> bytes:
    """Run pandoc with `args`; raise PandocError naming `what` on failure, timeout or heap exhaustion.

    It may run `limits.time_for` its input's size, with a heap of `limits.memory_mb`.
    """
    timeout = min(TIMEOUT_S, limits.time_for(len(stdin or b"")))
    cmd = [pandoc_path(), "+RTS", f"-M{HEAP_CAP or f'{limits.memory_mb}m'}", "-RTS", *args]
    try:
        proc = procs.run(cmd, stdin=stdin, timeout=timeout, env={**(env or os.environ), "LC_ALL": "C.UTF-8"}, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise PandocTimeout(f"pandoc took longer than {timeout:g} s on {what} (limits: seconds, "
                            f"seconds_per_mb); {LOOK_FOR}") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        if "Heap exhausted" in msg or "heap overflow" in msg:
            raise PandocError(f"pandoc ran out of memory on {what} (over {HEAP_CAP or f'{limits.memory_mb} MB'}; "
                              f"limits: memory_mb); {LOOK_FOR}")
        raise PandocError(f"pandoc failed on {what}: {msg}")
    return proc.stdout


class Reader:
    """Parses Markdown texts through the cache under `cache_dir`."""

    def __init__(self, cache_dir: Path, limits: Limits = Limits()) -> None:
        self.cache_dir = cache_dir
        self.limits = limits
        self._salt = f"{pandoc_identity()}\0{READER}\0{INDEX_VERSION}\0".encode()

    def key(self, text: str) -> str:
        return hashlib.sha256(self._salt + text.encode()).hexdigest()

    def _path(self, kind: str, key: str) -> Path:
        return self.cache_dir / kind / key[:2] / f"{key}.json"

    def indexes(self, texts: Sequence[str], names: Sequence[str], on_read: Tick = no_tick) -> list[Index]:
        """What the checks need of each text; a text over a limit, or on which pandoc ran out of time or
        memory, gets an index with only its `problems`. `on_read` counts the texts as they are read."""
        keys = [self.key(t) for t in texts]
        found: list[Index | None] = [self._read_index(k) for k in keys]
        todo = [i for i, ix in enumerate(found) if ix is None]
        on_read(len(texts) - len(todo))  # the cached ones
        if todo:
            fresh = self._parse([texts[i] for i in todo], [keys[i] for i in todo], [names[i] for i in todo],
                                on_read)
            for i, ix in zip(todo, fresh):
                found[i] = ix
        return [ix for ix in found if ix is not None]

    def asts(self, texts: Sequence[str], names: Sequence[str], first_lines: Sequence[int] = ()) -> list[Ast]:
        """The AST of each text. A text over a limit raises PandocError (even a forced build stops:
        its output would hang or crash); `first_lines` place its problem in the file."""
        keys = [self.key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if cachefile.read(self._path("ast", k)) is None]
        if missing:
            fresh = self._parse([texts[i] for i in missing], [keys[i] for i in missing], [names[i] for i in missing])
            for i, ix in zip(missing, fresh):
                if ix.problems:
                    p = ix.problems[0]
                    line = f":{p.line + first_lines[i]}" if p.line >= 0 and i < len(first_lines) else ""
                    raise PandocError(f"{names[i]}{line}: {p.code} {p.message}; nsp cannot build it, even forced")
        out = []
        for k, name in zip(keys, names):
            try:
                ast = self._read_ast(k)
            except RecursionError:  # nesting past what the limits allow (they cap it well below this)
                raise PandocError(f"{name}: nested too deeply for nsp to read; flatten its lists and quotes") from None
            if ast is None:
                raise PandocError(f"the parse cache in {self.cache_dir} is not writable")
            out.append(ast)
        return out

    def _parse(self, texts: list[str], keys: list[str], names: list[str], on_read: Tick = no_tick) -> list[Index]:
        """Parse in one pandoc process per core, each taking an equal share of the text.

        Texts over a limit are not parsed at all: pandoc could take minutes on them.
        """
        found: dict[int, Index] = {}
        for i, text in enumerate(texts):
            problems = scan(text, self.limits)
            if problems:
                found[i] = Index.refused(problems)
        todo = [i for i in range(len(texts)) if i not in found]
        on_read(len(found))  # the texts refused unread count as read: there is nothing more to do with them
        for i in todo:
            ast_path = self._path("ast", keys[i])
            # Whatever a damaged cache left where these must go: a file for the folder, a folder for the file.
            if ast_path.parent.exists() and not ast_path.parent.is_dir():
                cachefile.discard(ast_path.parent)
            if ast_path.is_dir():
                cachefile.discard(ast_path)
            with contextlib.suppress(OSError):
                ast_path.parent.mkdir(parents=True, exist_ok=True)
        if todo:
            shares = _split_evenly(todo, [len(texts[i]) for i in todo], PARALLEL_READERS)

            def parse(share: list[int]) -> list[tuple[int, Index]]:  # one pandoc process reads a share
                out = self._parse_share(share, texts, keys, names)
                on_read(len(share))
                return out

            with ThreadPoolExecutor(max_workers=len(shares)) as pool:
                outs = list(pool.map(parse, shares))
            found |= {i: ix for share_out in outs for i, ix in share_out}
        return [found[i] for i in range(len(texts))]

    def _parse_share(self, share: list[int], texts: list[str], keys: list[str],
                     names: list[str]) -> list[tuple[int, Index]]:
        jobs = [{"text": texts[i], "ast_path": str(self._path("ast", keys[i]))} for i in share]
        script = Path(__file__).with_name("read_many.lua")
        what = names[share[0]] if len(share) == 1 else f"{len(share)} Markdown files ({names[share[0]]} …)"
        try:
            out = run_pandoc(["lua", str(script), READER], stdin=json.dumps(jobs).encode(), what=what,
                             limits=self.limits)
        except PandocError as exc:
            if len(share) == 1:
                if not isinstance(exc, PandocTimeout) and "ran out of memory" not in str(exc):
                    raise
                # A finding about this chapter alone (line -1: pandoc cannot say where); the rest go on.
                message = str(exc).replace(f" on {what}", " reading this chapter", 1)
                return [(share[0], Index.refused([Problem(-1, "E016", message)]))]
            # The batch failed as a whole (time or memory): read each alone to name the culprit.
            return [pair for i in share for pair in self._parse_share([i], texts, keys, names)]
        results = []
        for i, data in zip(share, json.loads(out)):
            if "error" in data:
                raise PandocError(f"pandoc could not read {names[i]}: {data['error']}")
            self._write_index(keys[i], data)
            results.append((i, Index.from_json(data)))
        return results

    def _read_index(self, key: str) -> Index | None:
        data = cachefile.read_json(self._path("index", key), dict)
        if data is None or data.get("v") != INDEX_VERSION or cachefile.read(self._path("ast", key)) is None:
            return None  # missing or damaged (the entry is gone now): parse again
        try:
            return Index.from_json(data)
        except (TypeError, ValueError, AttributeError):
            cachefile.discard(self._path("index", key))
            return None

    def _write_index(self, key: str, data: dict[str, Any]) -> None:
        cachefile.write_json(self._path("index", key), {**data, "v": INDEX_VERSION})

    def _read_ast(self, key: str) -> Ast | None:
        data = cachefile.read_json(self._path("ast", key), dict)  # written, sealed, by read_many.lua
        if data is not None and not isinstance(data.get("blocks"), list):
            cachefile.discard(self._path("ast", key))
            return None
        return data


def _split_evenly(items: list[int], sizes: list[int], parts: int) -> list[list[int]]:
    """Deal items into at most `parts` shares of similar total size, keeping each share in order."""
    if sum(sizes) < SPLIT_ABOVE_BYTES or parts == 1:
        return [items]
    shares: list[list[int]] = [[] for _ in range(parts)]
    totals = [0] * parts
    for i in sorted(items, key=lambda i: -sizes[i]):
        k = totals.index(min(totals))
        shares[k].append(i)
        totals[k] += sizes[i]
    return [sorted(s) for s in shares if s]


def reader_for(project: Project) -> Reader:
    return Reader(project.root / "build" / ".cache", project.paper.limits)


def parse_documents(project: Project, documents: Sequence[Document]) -> dict[str, Ast]:
    """The AST of each document, by path; uncached ones parsed in one pandoc run."""
    asts = reader_for(project).asts([d.body for d in documents], [d.path for d in documents],
                                    [d.body_line for d in documents])
    return dict(zip((d.path for d in documents), asts))


class LazyAsts(Mapping[str, Ast]):
    """ASTs by path, parsed (in one pandoc run) but read from the cache only when asked for.

    Assembly asks only for documents whose processed body is not cached itself.
    """

    def __init__(self, project: Project, documents: Sequence[Document]) -> None:
        self._reader = reader_for(project)
        self._docs = {d.path: d for d in documents}
        self._reader.indexes([d.body for d in documents], list(self._docs))  # parses what is not cached
        self._loaded: dict[str, Ast] = {}

    def __getitem__(self, path: str) -> Ast:
        if path not in self._loaded:
            doc = self._docs[path]
            self._loaded[path] = self._reader.asts([doc.body], [path], [doc.body_line])[0]
        return self._loaded[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def key(self, doc: Document) -> str:
        return self._reader.key(doc.body)


def index_documents(project: Project, documents: Sequence[Document], on_read: Tick = no_tick) -> dict[str, Index]:
    """What the checks need of each document, by path; cheap when nothing changed. `on_read` counts them."""
    ixs = reader_for(project).indexes([d.body for d in documents], [d.path for d in documents], on_read)
    return dict(zip((d.path for d in documents), ixs))
