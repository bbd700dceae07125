"""E0xx: files and syntax found in the parsed chapters (most are found while loading, by the loaders)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nsp.check.context import Context, Finding

YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*:(\s|$)")


def no_second_front_matter(ctx: Context) -> Iterator[Finding]:
    """E012: A `---` line inside a chapter followed by `key: value` lines, like a second front-matter block."""
    for doc in ctx.documents():
        lines = doc.body.split("\n")
        mask = ctx.code_mask(doc)
        for i, line in enumerate(lines[:-1]):
            if not mask[i] and line.rstrip() == "---" and YAML_KEY.match(lines[i + 1]):
                yield (
                    doc.path,
                    doc.body_line + i,
                    (
                        "a second front-matter block starts here; move its keys into the one "
                        "at the top, or write *** for a horizontal rule"
                    ),
                )
