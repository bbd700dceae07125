"""Action plans as data: a chapter's ```actions block, one entry per action.

    ```actions
    caption: Actions on the channels of terror financing     # optional; a table caption
    actions:
      - action: Joint financial investigation cell in each province
        lead: CTD                  # an agency id from papers/agencies.yaml
        partners: [FMU]            # optional
        deadline: 2020-12          # a year, a month (2020-12) or a day (2020-12-31)
        priority: high             # optional: high, medium or low
        serves: Treat terror financing as a financial investigation   # optional: the recommendation
    ```

(A bare list of actions, without caption: and actions:, is fine too.) The block is rendered as the
chapter's action table; every chapter's actions are collected into the paper's Implementation Matrix
and printed by `nsp actions`. Problems are findings with the file and line; nothing raises.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from nsp.diagnostics import Diagnostic
from nsp.load.schema import did_you_mean
from nsp.load.yamlfile import LineDict, parse_yaml
from nsp.model import Agency, Document
from nsp.rules import finding

FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?:actions|\{[ \t]*\.actions\b[^}]*\})[ \t]*$")
PRIORITIES = ("high", "medium", "low")
FIELDS = ("action", "lead", "partners", "deadline", "priority", "serves")
DEADLINE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Action:
    what: str
    lead: str  # an agency id
    partners: tuple[str, ...]
    deadline: str  # as written: 2021, 2020-12, 2020-12-31
    due: dt.date | None  # the last day the deadline allows; None when it is not a date
    priority: str
    serves: str
    chapter: str  # the chapter's path
    line: int  # the line of its entry


@dataclass(frozen=True)
class Block:
    caption: str
    actions: tuple[Action, ...]
    line: int  # the fence's line


def blocks_in(doc: Document) -> tuple[list[Block], list[Diagnostic]]:
    """Every ```actions block of a chapter, with its actions and what is wrong with them."""
    lines = doc.body.split("\n")
    out: list[Block] = []
    diags: list[Diagnostic] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(m["fence"])), len(lines))
        block, more = parse_block("\n".join(lines[i + 1:end]), doc.path, doc.body_line + i + 1)
        out.append(block)
        diags += more
        i = end + 1
    return out, diags


def parse_block(text: str, path: str, first_line: int) -> tuple[Block, list[Diagnostic]]:
    """One block's YAML (its first line is `first_line` of the file)."""
    data, diags = parse_yaml(text, path)
    diags = [_shifted(d, first_line) for d in diags]
    caption, entries = "", data
    if isinstance(data, dict):
        caption = str(data.get("caption", "") or "")
        entries = data.get("actions")
    if not isinstance(entries, list):
        diags.append(finding(path, first_line - 1, "S117", "an actions block holds a list of actions (- action: …, "
                                                          "lead: …, deadline: …), or caption: and actions:"))
        return Block(caption, (), first_line - 1), diags
    actions = []
    for k, entry in enumerate(entries):
        line = first_line + (entries.item_lines[k] - 1 if hasattr(entries, "item_lines") else 0)
        action, more = _action(entry, path, line)
        diags += more
        if action is not None:
            actions.append(action)
    return Block(caption, tuple(actions), first_line - 1), diags


def _shifted(d: Diagnostic, first_line: int) -> Diagnostic:
    return Diagnostic(d.path, d.line + first_line - 1 if d.line else first_line, d.code, d.severity, d.message)


def _action(entry: Any, path: str, line: int) -> tuple[Action | None, list[Diagnostic]]:
    if not isinstance(entry, dict):
        return None, [finding(path, line, "S117", "each action is a mapping: - action: …, lead: …, deadline: …")]
    diags = [finding(path, _line(entry, key, line), "S117",
                     f"unknown key '{key}' in an action{did_you_mean(str(key), set(FIELDS))}")
             for key in entry if key not in FIELDS]
    what, lead = _text(entry.get("action")), _text(entry.get("lead"))
    deadline = _text(entry.get("deadline"))
    missing = [name for name, value in (("action", what), ("lead", lead), ("deadline", deadline)) if not value]
    if missing:
        diags.append(finding(path, line, "S117", f"the action '{what or '?'}' has no {' and no '.join(missing)}: "
                                                 "every action names what is done, who leads it and by when"))
    priority = _text(entry.get("priority")).lower()
    if priority and priority not in PRIORITIES:
        diags.append(finding(path, _line(entry, "priority", line), "S117",
                             f"priority '{priority}' must be one of: {', '.join(PRIORITIES)}"))
    partners = entry.get("partners") or []
    partners = tuple(_text(p) for p in (partners if isinstance(partners, list) else [partners]) if _text(p))
    action = Action(what, lead, partners, deadline, due_date(deadline), priority, _text(entry.get("serves")),
                    path, line)
    return action, diags


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _line(entry: Any, key: str, default: int) -> int:
    if isinstance(entry, LineDict) and key in entry:
        return default + entry.line_of(key) - entry.line
    return default


def due_date(deadline: str) -> dt.date | None:
    """The last day a deadline allows: 2021 -> 2021-12-31, 2020-12 -> 2020-12-31."""
    m = DEADLINE.match(deadline)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 12), m[3]
    try:
        return dt.date(year, month, int(day) if day else calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def shown_deadline(deadline: str) -> str:
    """A deadline as a reader reads it: "December 2020", "31 December 2020", "2021" (as written if no date)."""
    m = DEADLINE.match(deadline)
    if not m or due_date(deadline) is None or not m[2]:
        return deadline
    month = calendar.month_name[int(m[2])]
    return f"{int(m[3])} {month} {m[1]}" if m[3] else f"{month} {m[1]}"


def agency_problems(action: Action, agencies: dict[str, Agency]) -> list[tuple[str, str]]:
    """(field, message) for each agency id of `action` not in papers/agencies.yaml."""
    return [(who, f"agency '{who}' is not in papers/agencies.yaml{did_you_mean(who, set(agencies))}")
            for who in (action.lead, *action.partners) if who and who not in agencies]


@dataclass(frozen=True)
class Row:
    """One action as the Implementation Matrix and `nsp actions` show it."""

    agency: str  # the lead's name
    lead: str  # the lead's id
    action: str
    partners: str  # names, comma-separated
    deadline: str  # as written
    by: str  # as a reader reads it (shown_deadline)
    priority: str
    serves: str
    chapter: str  # the chapter's title
    number: int  # the chapter's number in the output it is listed in
    path: str
    line: int


def matrix(chapters: list[Document], agencies: dict[str, Agency]) -> list[Row]:
    """Every action of `chapters`, ordered by the lead agency's name, then deadline, then the paper's order."""
    def name(agency_id: str) -> str:
        return agencies[agency_id].name if agency_id in agencies else agency_id

    rows = []
    for order, doc in enumerate(chapters):
        blocks, _ = blocks_in(doc)
        for action in (a for b in blocks for a in b.actions):
            row = Row(name(action.lead), action.lead, action.what, ", ".join(name(p) for p in action.partners),
                      action.deadline, shown_deadline(action.deadline), action.priority, action.serves, doc.title,
                      order + 1, doc.path, action.line)
            rows.append((row.agency.lower(), action.due or dt.date.max, order, action.line, row))
    return [r[-1] for r in sorted(rows, key=lambda r: r[:4])]


COLUMNS = ("lead", "agency", "action", "partners", "deadline", "priority", "serves", "chapter", "path", "line")


def format_rows(rows: list[Row], fmt: str) -> str:
    """The rows as `nsp actions` prints them: an aligned table, CSV (for a spreadsheet) or JSON."""
    if fmt == "json":
        return json.dumps([{c: getattr(r, c) for c in COLUMNS} for r in rows], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([getattr(r, c) for c in COLUMNS] for r in rows)
        return out.getvalue()
    table = [("Lead", "Action", "By", "Where")] + [(r.agency, r.action, r.deadline, f"{r.path}:{r.line}")
                                                    for r in rows]
    widths = [min(max(len(row[i]) for row in table), 48) for i in range(3)]
    lines = ["  ".join(cell[:w].ljust(w) for cell, w in zip(row[:3], widths)) + "  " + row[3] for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 5)
    return "\n".join(lines) + f"\n{len(rows)} action{'s' * (len(rows) != 1)}.\n"
