"""The signing rules of a theme, as the secretariat confirmed them.

A theme's `lead:`, `reviewers:` and `required_reviewers:` decide who must sign
its chapters, so editing theme.yaml must not re-decide it. The rules take effect
only when the secretariat confirms them (`nsp review confirm-rules`), which appends
a record to `THEME/signoff.yaml`: an append-only log, in date order. Until a
change is confirmed the last confirmed rules stay in force (R306), and each
review counts only if its reviewer could sign under the rules in force on its date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from nsp.diagnostics import Diagnostic, NspError, errors_in
from nsp.load import schema as s
from nsp.load.yamlfile import LineDict
from nsp.model import Person, Theme
from nsp.review.state import Review

SECRETARIAT = "secretariat"  # the people.yaml group whose members confirm signing rules
HEADER = ("# Signing rules of this theme as the secretariat confirmed them: append-only, written by "
          "`nsp review confirm-rules`. Do not edit by hand.\n")
RECORD_SCHEMA: s.Schema = {
    "lead": s.Field("text"), "reviewers": s.Field("texts"), "required_reviewers": s.Field("int", required=True),
    "confirmed_by": s.Field("text", required=True), "date": s.Field("date", required=True), "note": s.Field("text"),
}


class Refused(NspError):
    """The confirmation cannot be recorded; the message says why and what to do."""


@dataclass(frozen=True)
class Rules:
    lead: str
    reviewers: tuple[str, ...]
    required_reviewers: int
    confirmed_by: str
    date: dt.date  # from this day on, these rules are in force
    path: str
    line: int
    end_line: int = 0  # the record's last line: its lines are traced to the commits that wrote them

    def as_record(self, theme_id: str) -> Review:
        """This decision as a record provenance can trace: made, and committed, by `confirmed_by`."""
        return Review(f"{theme_id}/theme.yaml", self.confirmed_by, "confirmed-rules", "", self.date, "",
                      self.path, self.line, end_line=self.end_line)

    def same_as(self, theme: Theme) -> bool:
        return not differences(self, theme)

    def apply_to(self, theme: Theme) -> Theme:
        """The theme as these rules say: who signs is theirs, everything else theme.yaml's."""
        return dataclasses.replace(theme, lead=self.lead, reviewers=self.reviewers,
                                   required_reviewers=self.required_reviewers)


def signoff_path(theme_id: str) -> str:
    return f"{theme_id}/signoff.yaml"


def load_signoff(root: Path, theme_id: str) -> tuple[list[Rules], list[Diagnostic]]:
    """Every record of the theme's log, in log order; problems as diagnostics (never raises)."""
    from nsp.review.state import read_log

    rel = signoff_path(theme_id)
    records, diags = read_log(root, rel, RECORD_SCHEMA, "signing-rules record", "nsp review confirm-rules")
    out: list[Rules] = []
    for fields, item, end in records:
        if "confirmed_by" in fields and "date" in fields and "required_reviewers" in fields:
            out.append(Rules(fields.get("lead", ""), tuple(fields.get("reviewers", ())), fields["required_reviewers"],
                             fields["confirmed_by"], fields["date"], rel, item.line if isinstance(item, LineDict) else 0,
                             end))
    return out, diags


def problem(record: Rules, earlier: list[Rules], people: dict[str, Person]) -> str:
    """Why a record cannot count ("" when it does): only the secretariat confirms, in date order."""
    who = people.get(record.confirmed_by)
    if who is None:
        return f"confirmed_by '{record.confirmed_by}' is not in papers/people.yaml; the record does not count"
    if who.group != SECRETARIAT:
        return (f"{who.name} is not in the secretariat (group: {who.group or 'none'} in papers/people.yaml): "
                "only the secretariat confirms signing rules; the record does not count")
    if earlier and record.date < earlier[-1].date:
        return f"dated {record.date}, before the rules confirmed on {earlier[-1].date}; the record does not count"
    return ""


def confirmed(records: list[Rules] | tuple[Rules, ...], people: dict[str, Person]) -> list[Rules]:
    """The records that count, in date order."""
    out: list[Rules] = []
    for r in records:
        if not problem(r, out, people):
            out.append(r)
    return out


def in_force(rules: list[Rules], on: dt.date | None = None) -> Rules | None:
    """The rules in force on a day (today when None): the last confirmed on or before it."""
    found = None
    for r in rules:
        if on is None or r.date <= on:
            found = r
    return found


def differences(rules: Rules, theme: Theme) -> list[str]:
    """What theme.yaml changes in the confirmed rules, in words: 'lead: a → b', 'reviewers: + c'."""
    out = []
    if rules.lead != theme.lead:
        out.append(f"lead: {rules.lead or 'none'} → {theme.lead or 'none'}")
    added = [r for r in theme.reviewers if r not in rules.reviewers]
    removed = [r for r in rules.reviewers if r not in theme.reviewers]
    if added or removed:
        out.append("reviewers: " + ", ".join([f"+ {r}" for r in added] + [f"- {r}" for r in removed]))
    if rules.required_reviewers != theme.required_reviewers:
        out.append(f"required_reviewers: {rules.required_reviewers} → {theme.required_reviewers}")
    return out


def confirm_rules(root: Path, theme_id: str, *, by: str, today: dt.date | None = None,
                  note: str = "") -> tuple[Rules, bool]:
    """Record that the secretariat confirms theme.yaml's signing rules; (the rules, whether anything was written)."""
    from nsp.infra.atomic import job_lock, write_atomic
    from nsp.load.project import load_people, load_theme
    from nsp.load.schema import did_you_mean

    theme, diags = load_theme(root, theme_id) if (root / theme_id / "theme.yaml").is_file() else (None, [])
    if theme is None or errors_in(diags):
        why = "; ".join(d.text() for d in errors_in(diags)) or f"{theme_id}/theme.yaml does not exist"
        raise Refused(f"'{theme_id}' is not a theme that can be read: {why}")
    people, _ = load_people(root, "papers/people.yaml")
    if by not in people:
        raise Refused(f"'{by}' is not in papers/people.yaml{did_you_mean(by, set(people))}")
    if people[by].group != SECRETARIAT:
        raise Refused(f"{people[by].name} is not in the secretariat (group: {people[by].group or 'none'} in "
                      "papers/people.yaml): only the secretariat confirms who signs a theme's chapters")
    from nsp.review.provenance import git_email, same_email

    me = git_email(root)
    if not same_email(me, people[by].email):  # the decision is theirs to record, as a verdict is a reviewer's
        who = f"git knows you as {me}" if me else "git does not know who you are (no user.email)"
        raise Refused(f"{who}, not as {people[by].name} ({people[by].email or 'no email: in papers/people.yaml'}): "
                      "only they can record the secretariat's confirmation")
    unknown = [p for p in (theme.lead, *theme.reviewers) if p and p not in people]
    if unknown:
        raise Refused(f"{theme.path} names {', '.join(unknown)}, not in papers/people.yaml; fix it before confirming")
    when = today or dt.date.today()
    if when > dt.date.today():
        raise Refused(f"the date {when} is in the future; rules are confirmed when the decision has been taken")
    rel = signoff_path(theme_id)
    with job_lock(root / "build", ".nsp-review.lock"):
        records, problems = load_signoff(root, theme_id)
        if errors_in(problems):
            raise Refused(f"{rel} is damaged; nothing was written: " + "; ".join(d.text() for d in problems))
        valid = confirmed(records, people)
        current = in_force(valid)
        if current and when < current.date:
            raise Refused(f"the rules confirmed on {current.date} are in force; a confirmation cannot be dated before them")
        if current and current.same_as(theme):
            return current, False
        entry = {"lead": theme.lead, "reviewers": list(theme.reviewers), "required_reviewers": theme.required_reviewers,
                 "confirmed_by": by, "date": when}
        if note.strip():
            entry["note"] = note.strip()
        log = root / rel
        old = log.read_text("utf-8") if log.is_file() else HEADER
        if old and not old.endswith("\n"):
            old += "\n"
        write_atomic(log, (old + yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100)).encode("utf-8"))
    return Rules(theme.lead, theme.reviewers, theme.required_reviewers, by, when, rel, 0), True
