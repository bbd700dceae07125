"""Schema coercion: each kind takes what fits and names what does not, in the words a user reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nsp.diagnostics import Severity
from nsp.load.schema import Field, Kind, coerce, did_you_mean, validate
from nsp.load.yamlfile import parse_yaml

FITS: list[tuple[Kind, Any, Any]] = [
    ("text", "Alpha", "Alpha"),
    ("text", 2020, "2020"),
    ("text", 1.5, "1.5"),
    ("texts", "ana", ("ana",)),
    ("texts", ["ana", "lee"], ("ana", "lee")),
    ("texts", [], ()),
    ("date", dt.date(2020, 4, 30), dt.date(2020, 4, 30)),
    ("date", dt.datetime(2020, 4, 30, 12, 0), dt.date(2020, 4, 30)),
    ("date", "2020-04-30", dt.date(2020, 4, 30)),
    ("int", 3, 3),
    ("int", 0, 0),
    ("bool", True, True),
    ("bool", False, False),
    ("map", {"a": 1}, {"a": 1}),
]


@pytest.mark.parametrize(("kind", "value", "expected"), FITS)
def test_a_value_that_fits_is_taken(kind: Kind, value: Any, expected: Any) -> None:
    assert coerce(kind, value) == (expected, None)


MISFITS: list[tuple[Kind, Any, str]] = [
    ("text", True, "expected text, found the boolean true (YAML reads yes/no/on/off that way); put it in quotes"),
    ("text", None, "expected text, found nothing; put it in quotes"),
    ("text", dt.date(2020, 1, 1), "expected text, found a date; put it in quotes"),
    ("text", ["a"], "expected text, found a list; write one line of text"),
    ("text", {"a": 1}, "expected text, found a mapping; write one line of text"),
    ("texts", ["a", 1], "expected a list of text like [a, b], found a list"),
    ("texts", 3, "expected a list of text like [a, b], found int 3"),
    ("texts", {"a": "b"}, "expected a list of text like [a, b], found a mapping"),
    ("date", "30/04/2020", "expected a date like 2020-04-30, found str '30/04/2020'"),
    ("date", 2020, "expected a date like 2020-04-30, found int 2020"),
    ("date", None, "expected a date like 2020-04-30, found nothing"),
    ("int", "3", "expected a whole number, found str '3'"),
    ("int", 2.5, "expected a whole number, found float 2.5"),
    ("int", False, "expected a whole number, found the boolean false (YAML reads yes/no/on/off that way)"),
    ("bool", "yes please", "expected true or false, found str 'yes please'"),
    ("bool", 1, "expected true or false, found int 1"),
    ("map", ["a"], "expected a mapping of keys to values, found a list"),
    ("map", "a: b", "expected a mapping of keys to values, found str 'a: b'"),
]


@pytest.mark.parametrize(("kind", "value", "message"), MISFITS)
def test_a_value_that_does_not_fit_is_named(kind: Kind, value: Any, message: str) -> None:
    assert coerce(kind, value) == (None, message)


SCHEMA = {"title": Field("text", required=True), "themes": Field("texts"), "date": Field("date"),
          "limits": Field("map"), "pages": Field("int")}


def validated(text: str) -> tuple[dict[str, Any], list[str]]:
    data, problems = parse_yaml(text, "papers/x.yaml")
    assert not problems
    out, diags = validate(data, SCHEMA, "papers/x.yaml", "a paper manifest")
    return out, [d.text() for d in diags]


def test_a_manifest_that_fits_gives_typed_fields_and_no_findings() -> None:
    out, found = validated("title: Small\nthemes: [alpha, beta]\ndate: 2020-01-31\nlimits: {pages: 3}\npages: 9\n")
    assert found == []
    assert out == {"title": "Small", "themes": ("alpha", "beta"), "date": dt.date(2020, 1, 31),
                   "limits": {"pages": 3}, "pages": 9}


def test_every_problem_is_reported_at_its_line_and_only_fitting_fields_are_kept() -> None:
    out, found = validated("themes: alpha\ndate: someday\ntitel: Small\npages: yes\n")
    assert found == [
        "papers/x.yaml:2: E007 'date': expected a date like 2020-04-30, found str 'someday'",
        "papers/x.yaml:3: E006 unknown key 'titel' in a paper manifest (did you mean 'title'?)",
        "papers/x.yaml:4: E007 'pages': expected a whole number, found the boolean true "
        "(YAML reads yes/no/on/off that way)",
        "papers/x.yaml:1: E008 a paper manifest lacks the required key 'title'",
    ]
    assert out == {"themes": ("alpha",)}


def test_an_unknown_key_warns_and_a_wrong_type_errs() -> None:
    data, _ = parse_yaml("title: 3\ncolour: red\npages: many\n", "papers/x.yaml")
    _, diags = validate(data, SCHEMA, "papers/x.yaml", "a paper manifest")
    assert [(d.code, d.severity) for d in diags] == [("E006", Severity.WARNING), ("E007", Severity.ERROR)]


@pytest.mark.parametrize(("text", "message"), [
    ("", "papers/x.yaml: E007 a paper manifest must be a mapping of keys to values, found an empty file"),
    ("- a\n- b\n", "papers/x.yaml:1: E007 a paper manifest must be a mapping of keys to values, found a list"),
    ("just words\n", "papers/x.yaml:1: E007 a paper manifest must be a mapping of keys to values, "
                     "found str 'just words'"),
])
def test_a_file_that_is_not_a_mapping_is_named(text: str, message: str) -> None:
    out, found = validated(text)
    assert (out, found) == ({}, [message])


@pytest.mark.parametrize(("word", "choices", "hint"), [
    ("titel", ["title", "subtitle", "date"], " (did you mean 'title'?)"),
    ("reseachers", {"researchers", "lead", "chapters"}, " (did you mean 'researchers'?)"),
    ("colour", ["title", "date"], ""),
    ("anything", [], ""),
    ("date", ["date", "data"], " (did you mean 'date'?)"),
])
def test_did_you_mean_offers_the_closest_choice_or_nothing(word: str, choices: list[str] | set[str],
                                                           hint: str) -> None:
    assert did_you_mean(word, choices) == hint


def test_did_you_mean_is_the_same_whatever_the_order_of_choices() -> None:
    assert did_you_mean("lede", ["lead", "lean"]) == did_you_mean("lede", ["lean", "lead"])
