"""Declarative shapes for the YAML files people write, checked with file:line messages."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from nsp.diagnostics import Diagnostic
from nsp.load.yamlfile import LineDict
from nsp.rules import finding

Kind = Literal["text", "texts", "date", "int", "bool", "map", "maps"]


@dataclass(frozen=True)
class Field:
    """One key of a YAML file: its kind and whether it is required, which `validate` checks; the rest says
    what the loader checks after it (choices, patterns, ranges, nested shapes), so that the editor schemas
    (nsp.editorschema) are made from the same declaration. `validate` reads only kind and required."""

    kind: Kind
    required: bool = False
    doc: str = ""  # what the key is for, in a line: editors show it on hover
    choices: tuple[str, ...] = ()  # text(s): the values the loader accepts; map: the keys it accepts
    any_case: bool = False  # the choices are compared without case or surrounding spaces
    pattern: str = ""  # text(s): a regular expression each value must match in full
    minimum: int | None = None  # int: the range the loader accepts
    maximum: int | None = None
    values: Field | None = None  # map: what each value must be (a theme's due: dates)
    shape: Schema | None = None  # map: the keys it may have, checked as a file's are (a manifest's limits:)


Schema = dict[str, Field]


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    """The closest of `choices` as " (did you mean 'x'?)", or "" when none is close enough."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()} (YAML reads yes/no/on/off that way)"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


Coerced = tuple[Any, str | None]  # (value, None) when it fits, else (None, what to tell the user)


def _text(value: Any) -> Coerced:
    if isinstance(value, str):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value), None
    advice = "write one line of text" if isinstance(value, (list, dict)) else "put it in quotes"
    return None, f"expected text, found {_describe(value)}; {advice}"


def _texts(value: Any) -> Coerced:
    if isinstance(value, str):
        return (value,), None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value), None
    return None, f"expected a list of text like [a, b], found {_describe(value)}"


def _date(value: Any) -> Coerced:
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value), None
        except ValueError:
            pass
    return None, f"expected a date like 2020-04-30, found {_describe(value)}"


def _int(value: Any) -> Coerced:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    return None, f"expected a whole number, found {_describe(value)}"


def _bool(value: Any) -> Coerced:
    if isinstance(value, bool):
        return value, None
    return None, f"expected true or false, found {_describe(value)}"


def _map(value: Any) -> Coerced:
    if isinstance(value, dict):
        return value, None
    return None, f"expected a mapping of keys to values, found {_describe(value)}"


def _maps(value: Any) -> Coerced:
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return tuple(value), None
    return None, f"expected a list of mappings (- key: value), found {_describe(value)}"


_COERCE: dict[Kind, Callable[[Any], Coerced]] = {
    "text": _text, "texts": _texts, "date": _date, "int": _int, "bool": _bool, "map": _map, "maps": _maps,
}


def coerce(kind: Kind, value: Any) -> Coerced:
    """Return (value, None) when `value` fits `kind`, else (None, what to tell the user). Never raises."""
    return _COERCE[kind](value)


def validate(data: Any, schema: Schema, path: str, what: str, line: int = 0) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Check a parsed YAML mapping against `schema`; collect every problem, never raise.

    `line` is where an entry inside a file starts (0 for a whole file). Returns only the fields that fit,
    so later stages can trust their types.
    """
    if not isinstance(data, LineDict):
        found = ("nothing" if line else "an empty file") if data is None else _describe(data)
        message = f"{what} must be a mapping of keys to values, found {found}"
        return {}, [finding(path, line or (1 if data is not None else 0), "E007", message)]
    out: dict[str, Any] = {}
    diags: list[Diagnostic] = []
    for key, value in data.items():
        line = data.line_of(key)
        field = schema.get(key)
        if field is None:
            diags.append(finding(path, line, "E006", f"unknown key '{key}' in {what}{did_you_mean(key, set(schema))}"))
            continue
        coerced, problem = coerce(field.kind, value)
        if problem:
            diags.append(finding(path, line, "E007", f"'{key}': {problem}"))
        else:
            out[key] = coerced
    for key, field in schema.items():
        if field.required and key not in data:
            diags.append(finding(path, data.line, "E008", f"{what} lacks the required key '{key}'"))
    return out, diags
