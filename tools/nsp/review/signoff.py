"""The signing rules of a theme, as the secretariat confirmed them.

A theme's `lead:`, `reviewers:` and `required_reviewers:` decide who must sign
its chapters, so editing theme.yaml must not re-decide it. The rules take effect
only when the secretariat confirms them (`nsp review confirm-rules`), which appends
a record to `THEME/signoff.yaml`: an append-only log, in date order. Until a
change is confirmed the last confirmed rules stay in force (R306), and each
review counts only if its reviewer could sign under the rules in force on its date.
"""

from __future__ import annotations

from pathlib import Path

from nsp.diagnostics import Diagnostic
from nsp.load import schema as s
from nsp.load.yamlfile import LineDict
from nsp.model import Person, Theme
from nsp.review.logfile import read_log
from nsp.review.records import Rules

SECRETARIAT = "secretariat"  # the people.yaml group whose members confirm signing rules
HEADER = ("# Signing rules of this theme as the secretariat confirmed them: append-only, written by "
          "`nsp review confirm-rules`. Do not edit by hand.\n")
RECORD_SCHEMA: s.Schema = {
    "lead": s.Field("text", doc="the theme lead confirmed"),
    "reviewers": s.Field("texts", doc="the further reviewers confirmed"),
    "required_reviewers": s.Field("int", required=True, doc="how many further reviewers sign each chapter"),
    "confirmed_by": s.Field("text", required=True, doc="the id of the member of the secretariat who confirmed"),
    "date": s.Field("date", required=True, doc="the day they were confirmed: in force from then"),
    "note": s.Field("text", doc="why they changed"),
}


def signoff_path(theme_id: str) -> str:
    return f"{theme_id}/signoff.yaml"


def load_signoff(root: Path, theme_id: str) -> tuple[list[Rules], list[Diagnostic]]:
    """Every record of the theme's log, in log order; problems as diagnostics (never raises)."""
    rel = signoff_path(theme_id)
    records, diags = read_log(root, rel, RECORD_SCHEMA, "signing-rules record", "nsp review confirm-rules")
    out: list[Rules] = []
    for fields, item, end in records:
        if "confirmed_by" in fields and "date" in fields and "required_reviewers" in fields:
            out.append(
                Rules(
                    fields.get("lead", ""),
                    tuple(fields.get("reviewers", ())),
                    fields["required_reviewers"],
                    fields["confirmed_by"],
                    fields["date"],
                    rel,
                    item.line if isinstance(item, LineDict) else 0,
                    end,
                )
            )
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
