"""YAML that remembers where each key was written, and refuses duplicate keys.

PyYAML silently keeps the last of two equal keys and forgets positions once it
has built Python objects; researchers need both, so mappings come back as
`LineDict`s that carry the 1-based line of every key.

Anchors and aliases (`&name`, `*name`) are refused: nsp's files never need
them, and nine aliases of nine aliases of … (a "billion laughs") make a 3 KB
file into billions of values for everything that walks the data.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, SequenceNode

from nsp.diagnostics import Diagnostic
from nsp.rules import finding


class LineDict(dict[str, Any]):
    """A mapping that also knows the line of each key (`key_lines`) and of itself."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A list that also knows the line of each item (`item_lines`)."""

    item_lines: list[int]


# libyaml's parser when present (several times faster); same safe constructors either way.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    duplicates: list[tuple[str, int, int]]


def _construct_mapping(loader: _Loader, node: MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in result.key_lines:
            loader.duplicates.append((key, line, result.key_lines[key]))
        result.key_lines[key] = line
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_sequence(loader: _Loader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date YAML recognises by its shape; one no calendar has (2020-02-30) stays the text written, so that
    the schema reports it at its line ("expected a date like 2020-04-30, found str '2020-02-30'")."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text; return (data or None, diagnostics). Never raises on bad input.

    `line_offset` is added to every line, for YAML that sits inside a chapter.
    """
    loader = _Loader(text)
    loader.duplicates = []
    try:
        alias = _first_alias(text)
        if alias is not None:
            name, line = alias
            return None, [finding(path, line + line_offset, "E015", f"YAML anchor or alias '{name}': nsp does not "
                                "accept them (they can multiply a small file into billions of values); "
                                "write the value out in full")]
        data = loader.get_single_data()
    except ConstructorError as exc:
        line = (exc.problem_mark.line + 1 if exc.problem_mark else 0) + line_offset
        what = exc.problem or "cannot be read"
        if "could not determine a constructor" in what:
            what = f"uses a tag nsp does not accept ({what.split('tag', 1)[-1].strip()}); write plain values"
        return None, [finding(path, line, "E003", f"YAML: {what}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 1 if mark else 0) + line_offset
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [
            finding(path, line, "E003", f"YAML syntax error: {problem}; check indentation, colons and quotes")
        ]
    finally:
        loader.dispose()
    diags = [
        finding(
            path, line + line_offset, "E004", f"duplicate key '{key}' (first on line {first + line_offset}); remove one"
        )
        for key, line, first in loader.duplicates
    ]
    if line_offset:
        _shift_lines(data, line_offset)
    return data, diags


def _first_alias(text: str) -> tuple[str, int] | None:
    """The first anchor or alias, as ('&name' or '*name', 1-based line); found from the parser's
    events, before anything is built, so a bomb costs one pass over its few kilobytes."""
    for event in yaml.parse(text, Loader=_Base):
        anchor = getattr(event, "anchor", None)
        if anchor:
            line = event.start_mark.line + 1 if event.start_mark else 0
            return (f"*{anchor}" if isinstance(event, yaml.AliasEvent) else f"&{anchor}"), line
    return None


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for v in data.values():
            _shift_lines(v, offset)
    elif isinstance(data, LineList):
        data.item_lines = [n + offset for n in data.item_lines]
        for v in data:
            _shift_lines(v, offset)


