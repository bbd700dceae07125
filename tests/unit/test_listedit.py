"""nsp.scaffold.listedit: one entry added to a YAML list by editing text, every other byte kept."""

from __future__ import annotations

import pytest
import yaml

from nsp.diagnostics import NspError
from nsp.scaffold.listedit import add_to_list, scalar


@pytest.mark.parametrize(("before", "after"), [
    ("a: 1\nthemes: [x]\n", "a: 1\nthemes: [x, new]\n"),
    ("themes: []  # none yet\n", "themes: [new]  # none yet\n"),
    ("themes: [ 'x' ]\n", "themes: [ 'x', 'new' ]\n"),
    ("themes:\n  - x   # first\n# after\nb: 2\n", "themes:\n  - x   # first\n  - new\n# after\nb: 2\n"),
    ("themes:\n  - x", "themes:\n  - x\n  - new"),  # no newline at the end: none is added
    ("\ufeffthemes:\r\n  - \"x\"\r\n", "\ufeffthemes:\r\n  - \"x\"\r\n  - \"new\"\r\n"),
    ("other:\n  themes: [q]\nthemes: [x]\n", "other:\n  themes: [q]\nthemes: [x, new]\n"),  # the top level only
], ids=["flow", "flow-empty", "flow-quoted", "block-commented", "block-no-final-newline", "bom-crlf", "nested-key"])
def test_one_entry_is_added_in_the_lists_own_style(before: str, after: str) -> None:
    assert add_to_list(before, "themes", "new", "p.yaml") == after
    assert yaml.safe_load(after.lstrip("\ufeff"))["themes"][-1] == "new"


@pytest.mark.parametrize(("text", "message"), [
    ("themes: [x\n", "p.yaml:2: cannot be parsed"),
    ("- a\n", "p.yaml: is not a mapping"),
    ("title: t\n", "p.yaml: has no themes: list"),
    ("themes: x\n", "p.yaml: themes: is not a list"),
    ("themes: [[x]]\n", "p.yaml: the entries of themes: are not all plain names"),
], ids=["unparsable", "not-a-mapping", "no-key", "not-a-list", "nested-list"])
def test_what_cannot_be_edited_is_refused(text: str, message: str) -> None:
    with pytest.raises(NspError, match=message.replace("[", r"\[")):
        add_to_list(text, "themes", "new", "p.yaml")


@pytest.mark.parametrize(("value", "written"), [
    ("cyber_crime", "cyber_crime"), ("Action plan", "Action plan"), ("a/b.md", "a/b.md"),
    ("no", '"no"'), ("2020-01-01", '"2020-01-01"'), ("12", '"12"'), ("a: b", '"a: b"'), ("x #y", '"x #y"'),
    ("Ünï", '"Ünï"'),
])
def test_scalars_are_plain_only_where_yaml_reads_them_back(value: str, written: str) -> None:
    assert scalar(value) == written
    assert yaml.safe_load(f"[{written}]") == [value]
