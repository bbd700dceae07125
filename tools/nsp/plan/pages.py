"""Pages generated from data through jinja2 partials (contributors, review status)."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from nsp.model import Person

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~^@$&=:\"'])")


def md_escape(text: str) -> str:
    """Data is text, never Markdown: a name cannot become a raw block or a link."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "templates" / "partials"),
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined, autoescape=False,
    )
    env.filters["md"] = md_escape
    return env


GROUPS = (("board", "Advisory board"), ("secretariat", "Secretariat"), ("lead", "Theme leads"),
          ("reviewer", "Reviewers"), ("researcher", "Researchers"), ("stakeholder", "Stakeholders consulted"))


def contributors_page(root: Path, people: dict[str, Person]) -> str:
    groups = [(title, sorted((p for p in people.values() if p.group == key), key=lambda p: p.name))
              for key, title in GROUPS]
    return environment(root).get_template("contributors.md.j2").render(groups=[g for g in groups if g[1]])


def review_status_page(root: Path, rows: list[dict[str, str]]) -> str:
    return environment(root).get_template("review-status.md.j2").render(rows=rows)


def colophon_page(root: Path, **fields: object) -> str:
    return environment(root).get_template("colophon.md.j2").render(**fields)
