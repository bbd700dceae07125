"""The review line under each chapter's title: who reviews it, what each has said of the current text, its state."""

from __future__ import annotations

import datetime as dt

from nsp.model import Document, Person, Project, Theme
from nsp.review.records import Review
from nsp.review.state import display_name, on_behalf_note


def bylines(project: Project) -> dict[str, str]:
    """Each chapter's review line, by chapter path."""
    out: dict[str, str] = {}
    for doc in project.all_chapters():
        theme, review = project.theme_of(doc), project.review_of(doc)
        assert theme is not None and review is not None
        said = {r.reviewer: f"approved {day(r.date)}{how_signed(r)}" for r in review.current}
        said |= {r.reviewer: "approval stale" for r in review.stale if r.reviewer not in said}
        said |= {r.reviewer: f"changes requested {day(r.date)}{how_signed(r)}" for r in review.open_requests}
        names = _reviewers(doc, theme, said, project.people)
        out[doc.path] = ("Reviewers: " + ", ".join(names) if names else "No reviewer assigned") + \
            f" · Status: {review.state.value}"
    return out


def _reviewers(doc: Document, theme: Theme, said: dict[str, str], people: dict[str, Person]) -> list[str]:
    """The lead first, then the reviewers, each with what they said; an author never reviews their own chapter."""
    names = []
    for pid in dict.fromkeys(p for p in (theme.lead, *theme.reviewers) if p and p not in doc.authors):
        notes = ["theme lead"] if pid == theme.lead else []
        notes += [said[pid]] if pid in said else []
        names.append(display_name(pid, people) + (f" ({', '.join(notes)})" if notes else ""))
    return names


def day(date: dt.date) -> str:
    """A date as the paper prints it: 3 Mar 2025."""
    return f"{date.day} {date:%b %Y}"


def how_signed(r: Review) -> str:
    """A sign-off someone else recorded says so wherever it is shown."""
    return f" {on_behalf_note(r)}" if r.on_behalf else ""
