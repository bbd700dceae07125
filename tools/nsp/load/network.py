"""The initiative's network: organizations (people.yaml `organizations:`) and events (papers/events.yaml).

    organizations:                      # in papers/people.yaml, beside the people
      fia:
        name: Federal Investigation Agency
        kind: government
        people: [tariq-khosa]

    stakeholders-2019-11:               # papers/events.yaml, one entry per meeting
      title: First stakeholders' meeting
      kind: roundtable
      date: 2019-11-22
      place: Islamabad
      chair: muhammad-amir-rana
      attendance: [fia, unodc, tariq-khosa]
      themes: [drug_trafficking]
      decisions:
        - The National Strategy Paper is due within five months.

Whether the ids they name exist is checked later (nsp.check.network): loading only reads, locates
every problem at its line, and never raises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nsp.diagnostics import Diagnostic
from nsp.load import schema as s
from nsp.load.text import read_text
from nsp.load.yamlfile import LineDict, parse_yaml
from nsp.model import Event, Organization
from nsp.rules import finding

PEOPLE = "papers/people.yaml"
EVENTS = "papers/events.yaml"
ORG_KINDS = ("government", "international", "civil society", "academia", "media", "private")
EVENT_KINDS = ("meeting", "roundtable", "consultation", "workshop")

ORGANIZATION_SCHEMA: s.Schema = {
    "name": s.Field("text", required=True, doc="the organization's name as printed"),
    "kind": s.Field("text", choices=ORG_KINDS, any_case=True, doc="what kind of organization (default: government)"),
    "people": s.Field("texts", doc="ids of its people in papers/people.yaml"),
    "website": s.Field("text", doc="its website's address"),
}
EVENT_SCHEMA: s.Schema = {
    "title": s.Field("text", required=True, doc="the event's title"),
    "kind": s.Field("text", choices=EVENT_KINDS, any_case=True, doc="what kind of event (default: meeting)"),
    "date": s.Field("date", required=True, doc="the day it was held, like 2019-11-22"),
    "place": s.Field("text", doc="where it was held"),
    "chair": s.Field("text", doc="the id of the person who chaired it"),
    "attendance": s.Field("texts", doc="ids of the people and organizations who attended"),
    "themes": s.Field("texts", doc="the themes it served"),
    "decisions": s.Field("texts", doc="what it decided, one sentence each"),
    "summary": s.Field("text", doc="what it was about, in a sentence or two"),
}


def _mapping(root: Path, rel: str) -> tuple[LineDict | None, list[Diagnostic]]:
    """The file's top-level mapping; None (with the reason) when it is absent, unreadable or no mapping."""
    if not (root / rel).is_file():
        return None, []
    text, diags = read_text(root, rel)
    if text is None:
        return None, diags
    data, more = parse_yaml(text.text, rel)
    diags += more
    if data is None:
        return None, diags
    if not isinstance(data, LineDict):
        return None, diags + [finding(rel, 1, "E007", f"{rel} must map each id to its entry (id: then its keys)")]
    return data, diags


def _kind(fields: dict[str, Any], allowed: tuple[str, ...], default: str, rel: str, line: int,
          diags: list[Diagnostic]) -> str:
    kind = str(fields.get("kind", default)).strip().lower()
    if kind in allowed:
        return kind
    diags.append(finding(rel, line, "E007", f"kind '{kind}': choose from {', '.join(allowed)}"
                                            f"{s.did_you_mean(kind, list(allowed))}"))
    return default


def load_organizations(root: Path) -> tuple[dict[str, Organization], list[Diagnostic]]:
    data, diags = _mapping(root, PEOPLE)
    section = data.get("organizations") if data is not None else None
    if data is None or section is None:
        return {}, []  # people.yaml's own problems are load_people's to report
    if not isinstance(section, LineDict):
        return {}, [finding(PEOPLE, data.line_of("organizations"), "E007",
                            "organizations: must map each organization's id to its name:, kind: and people:")]
    out: dict[str, Organization] = {}
    for oid, entry in section.items():
        line = section.line_of(oid)
        fields, more = s.validate(entry, ORGANIZATION_SCHEMA, PEOPLE, f"organization '{oid}'", line)
        diags += more
        if "name" not in fields:
            continue
        kind = _kind(fields, ORG_KINDS, "government", PEOPLE, _key_line(entry, "kind", line), diags)
        out[str(oid)] = Organization(str(oid), " ".join(fields["name"].split()), kind, fields.get("people", ()),
                                     line, fields.get("website", "").strip())
    return out, diags


def load_events(root: Path) -> tuple[tuple[Event, ...], list[Diagnostic]]:
    """The events in date order (then by id, so that two on one day keep a stable order)."""
    data, diags = _mapping(root, EVENTS)
    if data is None:
        return (), diags
    out: list[Event] = []
    for eid, entry in data.items():
        line = data.line_of(eid)
        fields, more = s.validate(entry, EVENT_SCHEMA, EVENTS, f"event '{eid}'", line)
        diags += more
        if "title" not in fields or "date" not in fields:
            continue
        kind = _kind(fields, EVENT_KINDS, "meeting", EVENTS, _key_line(entry, "kind", line), diags)
        out.append(Event(
            id=str(eid), title=fields["title"], kind=kind, date=fields["date"], place=fields.get("place", ""),
            chair=fields.get("chair", ""), attendance=fields.get("attendance", ()), themes=fields.get("themes", ()),
            decisions=tuple(" ".join(d.split()) for d in fields.get("decisions", ())),
            summary=" ".join(fields.get("summary", "").split()), line=line,
            key_lines=dict(entry.key_lines) if isinstance(entry, LineDict) else {},
        ))
    return tuple(sorted(out, key=lambda e: (e.date, e.id))), diags


def _key_line(entry: object, key: str, default: int) -> int:
    return entry.line_of(key) if isinstance(entry, LineDict) and key in entry else default
