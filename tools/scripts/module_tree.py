"""Print the layout of tools/nsp as a tree, one line per module: its name and the first line of its docstring.

docs/architecture.md carries this tree; tests/unit/test_docs.py checks that every module is in it.
Run: .venv/bin/python tools/scripts/module_tree.py
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "nsp"


def summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    first = first.split(". ")[0].rstrip(".")
    # One line a module: long summaries end at a word, with an ellipsis (the docstring has the rest).
    return first if len(first) <= 90 else first[:90].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def tree(folder: Path, indent: str = "") -> list[str]:
    lines = []
    entries = sorted(folder.iterdir(), key=lambda p: (p.is_dir(), p.name != "__init__.py", p.name))
    for path in entries:
        if path.name == "__pycache__" or path.name.endswith(".egg-info"):
            continue
        if path.is_dir():
            init = path / "__init__.py"
            lines.append(f"{indent}{path.name}/{' ' * max(1, 22 - len(indent) - len(path.name))}{summary(init)}")
            lines += tree(path, indent + "  ")
        elif path.suffix in (".py", ".lua") and path.name != "__init__.py":
            text = (
                summary(path) if path.suffix == ".py" else path.read_text(encoding="utf-8").splitlines()[0].lstrip("- ")
            )
            lines.append(f"{indent}{path.name}{' ' * max(1, 23 - len(indent) - len(path.name))}{text}")
    return lines


if __name__ == "__main__":
    print("```text\ntools/nsp/")
    print("\n".join("  " + line for line in tree(PACKAGE)))
    print("```")
