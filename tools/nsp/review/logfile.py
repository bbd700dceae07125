"""Reading the append-only YAML logs people keep with nsp: THEME/reviews.yaml and THEME/signoff.yaml.

Each record comes with its valid fields, its raw item (for line numbers) and its last line, which
review.provenance traces to the commits that wrote it. Problems are findings; nothing raises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nsp.diagnostics import Diagnostic
from nsp.load import schema as s
from nsp.load.text import read_text
from nsp.load.yamlfile import parse_yaml
from nsp.rules import finding


def read_log(
    root: Path, rel: str, schema: s.Schema, what: str, writer: str
) -> tuple[list[tuple[dict[str, Any], Any, int]], list[Diagnostic]]:
    """An append-only YAML log (reviews.yaml, signoff.yaml): each record's valid fields, raw item and last line."""
    if not (root / rel).is_file():
        return [], []
    text, diags = read_text(root, rel)
    if text is None:
        return [], diags
    data, diags = parse_yaml(text.text, rel)
    if data is None:
        return [], diags
    if not isinstance(data, list):
        return [], diags + [
            finding(rel, 1, "E007", f"{Path(rel).name} must be a list of {what}s; write it with `{writer}`")
        ]
    out = []
    for item, end in zip(data, _record_ends(data, text.text)):
        fields, more = s.validate(item, schema, rel, what)
        diags += more
        out.append((fields, item, end))
    return out, diags


def _record_ends(data: list[object], text: str) -> list[int]:
    """The last line of each record: the line before the next record starts, or the file's last line."""
    starts = list(getattr(data, "item_lines", [])) or [0] * len(data)
    last = len(text.rstrip("\n").split("\n"))
    return [(starts[i + 1] - 1 if i + 1 < len(starts) else last) for i in range(len(starts))]
