"""P4xx: people who exist and work on the themes they are assigned to."""

from __future__ import annotations

from collections.abc import Iterator

from nsp.check.context import Context, Finding
from nsp.load.schema import did_you_mean


def known_people(ctx: Context) -> Iterator[Finding]:
    """P401: An author, lead, researcher or reviewer id that is not in papers/people.yaml."""
    people = ctx.project.people
    for doc in ctx.documents():
        for author in doc.authors:
            if author not in people:
                yield (
                    doc.path,
                    doc.key_lines.get("authors", 0),
                    f"author '{author}' is not in papers/people.yaml{did_you_mean(author, set(people))}",
                )
    if not ctx.whole_paper:
        return
    for theme in ctx.project.themes:
        for key, ids in (("lead", (theme.lead,) if theme.lead else ()), ("researchers", theme.researchers),
                         ("reviewers", theme.reviewers)):
            for pid in ids:
                if pid not in people:
                    yield (
                        theme.path,
                        theme.key_lines.get(key, 0),
                        f"{key}: '{pid}' is not in papers/people.yaml{did_you_mean(pid, set(people))}",
                    )


def authors_assigned(ctx: Context) -> Iterator[Finding]:
    """P402: A chapter's author is neither a researcher nor the lead of the chapter's theme."""
    themes = {t.id: t for t in ctx.project.themes}
    for doc in ctx.chapters():
        theme = themes.get(doc.theme or "")
        if theme is None:
            continue
        for author in doc.authors:
            if author in ctx.project.people and author not in theme.researchers and author != theme.lead:
                yield (
                    doc.path,
                    doc.key_lines.get("authors", 0),
                    f"author '{author}' is not assigned to {theme.id}; add them to researchers: in {theme.path}",
                )


def themes_have_leads(ctx: Context) -> Iterator[Finding]:
    """P403: A theme with no `lead:`."""
    if not ctx.whole_paper:
        return
    for theme in ctx.project.themes:
        if not theme.lead:
            yield theme.path, 1, "theme has no lead; add lead: with a person's id"
