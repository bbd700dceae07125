"""Guards on the shape of tools/nsp: no import cycles, no function too branchy to read.

Both read the source only (ast and radon); nothing is imported or run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class, Function

TOOLS = Path(__file__).resolve().parents[2] / "tools"
PACKAGE = TOOLS / "nsp"
MOST_COMPLEX = 15  # radon grade C at most: above this, split the function


def modules() -> dict[str, Path]:
    """Every module of nsp by dotted name (a package by its own name, not `.__init__`)."""
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(TOOLS).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The nsp modules `name` imports anywhere: at the top, inside functions, under TYPE_CHECKING.

    An import inside a function still ties the two modules together; it only hides the cycle from Python.
    """
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    deps: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                sub = f"{target}.{alias.name}"  # `from nsp.check import assets` imports a module
                if sub in known:
                    deps.add(sub)
                elif target in known:
                    deps.add(target)
        elif isinstance(node, ast.Import):
            deps |= {alias.name for alias in node.names if alias.name in known}
    deps.discard(name)
    return deps


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycles_finds_a_cycle_and_only_the_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    known = modules()
    found = cycles({name: imported(name, path, known) for name, path in known.items()})
    assert not found, "modules of nsp that import each other (counting imports inside functions):\n" + "\n".join(
        " <-> ".join(c) for c in found)


def functions(blocks: list[Function | Class]) -> list[Function]:
    """Functions and methods (a class's own score sums its methods, so it is not a function to split)."""
    out: list[Function] = []
    for block in blocks:
        if isinstance(block, Class):
            out += block.methods
        else:
            out.append(block)
    return out


def test_no_function_above_complexity_15() -> None:
    too_complex = [f"{path.relative_to(TOOLS)}:{f.lineno} {f.fullname} {f.complexity}"
                   for path in sorted(PACKAGE.rglob("*.py"))
                   for f in functions(cc_visit(path.read_text(encoding="utf-8")))
                   if f.complexity > MOST_COMPLEX]
    assert not too_complex, f"split these functions (cyclomatic complexity above {MOST_COMPLEX}):\n" + "\n".join(
        too_complex)
