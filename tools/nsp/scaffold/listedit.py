"""Adding one entry to a top-level YAML list by editing the file's text: comments, order and quotes stay.

A YAML dumper would rewrite the whole file (dropping comments, reflowing lists); here the parser only says
where the list's last entry is, and one entry is inserted after it in the same style: a new `- item` line
with the same indentation in a block list, `, item` before the `]` of a flow list (a new line of its own when
the flow list has one entry a line).
"""

from __future__ import annotations

import json
import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nsp.diagnostics import NspError

BLOCK_PREFIX = re.compile(r"[ \t]*-[ \t]+")
PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./ -]*")


def scalar(value: str) -> str:
    """`value` as a YAML scalar: plain where YAML reads it back as the same text (in a flow list too),
    double-quoted otherwise."""
    plain = PLAIN.fullmatch(value) and value == value.strip() and " #" not in value
    if plain and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


def styled(value: str, like: ScalarNode) -> str:
    """`value` written as the entry `like` is: in double quotes, single quotes or plain."""
    if like.style == '"':
        return json.dumps(value, ensure_ascii=False)
    if like.style == "'":
        return "'" + value.replace("'", "''") + "'"
    return scalar(value)


def add_to_list(text: str, key: str, item: str, rel: str) -> str:
    """`text` (the whole YAML file) with `item` added after the last entry of its top-level list `key`.

    Raises NspError, naming `rel`, when the file cannot be parsed or `key` is not a list there.
    """
    value = _list_node(text, key, rel)
    entries = value.value
    if any(not isinstance(entry, ScalarNode) for entry in entries):
        raise NspError(f"{rel}: the entries of {key}: are not all plain names; add {item} there by hand")
    newline = "\r\n" if "\r\n" in text else "\n"
    if value.flow_style:
        return _insert_flow(text, value, item, newline)
    return _insert_block(text, entries[-1], item, newline)


def _list_node(text: str, key: str, rel: str) -> SequenceNode:
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{rel}:{mark.line + 1}" if mark else rel
        raise NspError(f"{where}: cannot be parsed ({getattr(exc, 'problem', None) or exc}); "
                       "nothing written") from None
    if not isinstance(document, MappingNode):
        raise NspError(f"{rel}: is not a mapping of keys to values; nothing written")
    value: Node | None = next((v for k, v in document.value if isinstance(k, ScalarNode) and k.value == key), None)
    if not isinstance(value, SequenceNode):
        what = f"has no {key}: list" if value is None else f"{key}: is not a list"
        raise NspError(f"{rel}: {what} (write {key}: [] or one '- name' line per entry); nothing written")
    return value


def _insert_block(text: str, last: ScalarNode, item: str, newline: str) -> str:
    """A new line after the last entry's line (after its comment, if it has one), indented as it is."""
    start = last.start_mark.index
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start]
    if not BLOCK_PREFIX.fullmatch(prefix):
        prefix = " " * last.start_mark.column + "- "
    line = prefix + styled(item, last)
    end = text.find("\n", last.end_mark.index)
    if end < 0:  # the entry is on the file's last line, which has no newline
        return text + newline + line
    return text[:end + 1] + line + newline + text[end + 1:]


def _insert_flow(text: str, value: SequenceNode, item: str, newline: str) -> str:
    """`[a, b]` → `[a, b, item]`; `[]` → `[item]`; a flow list of one entry a line gets a line of its own."""
    if not value.value:
        at = text.index("[", value.start_mark.index) + 1
        return text[:at] + scalar(item) + text[at:]
    last = value.value[-1]
    end = last.end_mark.index
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    indent = text[line_start:last.start_mark.index]
    if last.start_mark.line != value.start_mark.line and not indent.strip():
        return text[:end] + "," + newline + indent + styled(item, last) + text[end:]
    return text[:end] + ", " + styled(item, last) + text[end:]
