"""`nsp review confirm-rules`: the secretariat confirms who signs a theme's chapters, appending to THEME/signoff.yaml.

Only a member of the secretariat may, as themselves (their git email), and only rules that theme.yaml states
and people.yaml knows; a confirmation is never dated before the rules in force, nor in the future.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from nsp.diagnostics import NspError, errors_in
from nsp.editorschema import modeline
from nsp.infra.atomic import job_lock, write_atomic
from nsp.load.project import load_people, load_theme
from nsp.load.schema import did_you_mean
from nsp.model import Person, Theme
from nsp.review.provenance import git_email, same_email
from nsp.review.records import Rules, in_force
from nsp.review.signoff import HEADER, SECRETARIAT, confirmed, differences, load_signoff, signoff_path


class Refused(NspError):
    """The confirmation cannot be recorded; the message says why and what to do."""


def confirm_rules(root: Path, theme_id: str, *, by: str, today: dt.date | None = None,
                  note: str = "") -> tuple[Rules, bool]:
    """Record that the secretariat confirms theme.yaml's signing rules; (the rules, whether anything was written)."""
    theme = _theme(root, theme_id)
    people, _ = load_people(root, "papers/people.yaml")
    _may_confirm(root, by, people)
    unknown = [p for p in (theme.lead, *theme.reviewers) if p and p not in people]
    if unknown:
        raise Refused(f"{theme.path} names {', '.join(unknown)}, not in papers/people.yaml; fix it before confirming")
    when = today or dt.date.today()
    if when > dt.date.today():
        raise Refused(f"the date {when} is in the future; rules are confirmed when the decision has been taken")
    rel = signoff_path(theme_id)
    with job_lock(root / "build", ".nsp-review.lock"):
        current = _in_force(root, theme_id, people)
        if current and when < current.date:
            raise Refused(
                f"the rules confirmed on {current.date} are in force; a confirmation cannot be dated before them"
            )
        if current and not differences(current, theme):
            return current, False
        _append(root / rel, theme, by, when, note, modeline(root, rel) + HEADER)
    return Rules(theme.lead, theme.reviewers, theme.required_reviewers, by, when, rel, 0), True


def _theme(root: Path, theme_id: str) -> Theme:
    theme, diags = load_theme(root, theme_id) if (root / theme_id / "theme.yaml").is_file() else (None, [])
    if theme is None or errors_in(diags):
        why = "; ".join(d.text() for d in errors_in(diags)) or f"{theme_id}/theme.yaml does not exist"
        raise Refused(f"'{theme_id}' is not a theme that can be read: {why}")
    return theme


def _may_confirm(root: Path, by: str, people: dict[str, Person]) -> None:
    """`by` is a member of the secretariat, and the one running this (git's user.email is theirs)."""
    if by not in people:
        raise Refused(f"'{by}' is not in papers/people.yaml{did_you_mean(by, set(people))}")
    if people[by].group != SECRETARIAT:
        raise Refused(f"{people[by].name} is not in the secretariat (group: {people[by].group or 'none'} in "
                      "papers/people.yaml): only the secretariat confirms who signs a theme's chapters")
    me = git_email(root)
    if not same_email(me, people[by].email):  # the decision is theirs to record, as a verdict is a reviewer's
        who = f"git knows you as {me}" if me else "git does not know who you are (no user.email)"
        raise Refused(f"{who}, not as {people[by].name} ({people[by].email or 'no email: in papers/people.yaml'}): "
                      "only they can record the secretariat's confirmation")


def _in_force(root: Path, theme_id: str, people: dict[str, Person]) -> Rules | None:
    records, problems = load_signoff(root, theme_id)
    if errors_in(problems):
        raise Refused(f"{signoff_path(theme_id)} is damaged; nothing was written: "
                      + "; ".join(d.text() for d in problems))
    return in_force(confirmed(records, people))


def _append(log: Path, theme: Theme, by: str, when: dt.date, note: str, header: str) -> None:
    """Add the record; a new log starts with `header` (the editor's schema comment, then what the log is)."""
    entry: dict[str, object] = {"lead": theme.lead, "reviewers": list(theme.reviewers),
                                "required_reviewers": theme.required_reviewers, "confirmed_by": by, "date": when}
    if note.strip():
        entry["note"] = note.strip()
    old = log.read_text("utf-8") if log.is_file() else header
    if old and not old.endswith("\n"):
        old += "\n"
    write_atomic(log, (old + yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100)).encode("utf-8"))
