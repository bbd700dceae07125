"""S117–S119: action plans (```actions blocks, see nsp.actions)."""

from __future__ import annotations

from collections.abc import Iterator

from nsp.actions import Block, agency_problems, blocks_in
from nsp.check.context import Context, Finding
from nsp.diagnostics import Diagnostic
from nsp.model import Document


def malformed_actions(ctx: Context) -> Iterator[Finding]:
    """S117: An action without what, a lead or a deadline; an actions block that is not a list of actions."""
    for doc in ctx.chapters():
        _, diags = _blocks(ctx, doc)
        yield from ((d.path, d.line, d.message) for d in diags)


def unknown_agencies(ctx: Context) -> Iterator[Finding]:
    """S118: An action led or supported by an agency papers/agencies.yaml does not list."""
    agencies = ctx.project.agencies
    for doc in ctx.chapters():
        blocks, _ = _blocks(ctx, doc)
        for action in (a for b in blocks for a in b.actions):
            for _, message in agency_problems(action, agencies):
                yield doc.path, action.line, message + ("" if agencies else " (there is no papers/agencies.yaml)")


def deadlines_beyond_the_horizon(ctx: Context) -> Iterator[Finding]:
    """S119: A deadline before the paper's date or after its horizon (its manifest's horizon:)."""
    paper = ctx.project.paper
    last = paper.horizon or (paper.date.year + 5 if paper.date else 0)
    for doc in ctx.chapters():
        blocks, _ = _blocks(ctx, doc)
        for action in (a for b in blocks for a in b.actions):
            if action.due is None:
                if action.deadline:
                    yield doc.path, action.line, (f"deadline '{action.deadline}' is no date: write a year (2021), "
                                                  "a month (2021-06) or a day (2021-06-30)")
            elif paper.date and action.due < paper.date:
                yield doc.path, action.line, f"deadline {action.deadline} is before the paper's date ({paper.date}); " \
                                             "is it done? say so in the text, and drop it from the plan"
            elif last and action.due.year > last:
                yield doc.path, action.line, (f"deadline {action.deadline} is after the paper's horizon ({last}; "
                                              f"horizon: in {paper.path})")


def _blocks(ctx: Context, doc: Document) -> tuple[list[Block], list[Diagnostic]]:
    """A chapter's action blocks, parsed once for the three rules that read them."""
    key = ("actions", doc.path)
    if key not in ctx._cache:
        ctx._cache[key] = blocks_in(doc)
    found = ctx._cache[key]
    assert isinstance(found, tuple)
    return found
