"""Front matter → plain data plus the source line of every field.

PyYAML's safe loader is used, with two changes for untrusted files: aliases are
refused (an alias bomb is rejected at its first alias, before anything is
expanded) and a key given twice is reported instead of silently overwritten.

Front matter is first read with libyaml (C, ~20x faster), which gives the same
nodes and lines. Anything unusual (an alias, a syntax error, a special character)
is read again by the Python loader, whose error messages are the ones instructors see.
"""
from __future__ import annotations

import re

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, SequenceNode


class AliasRefused(Exception):
    def __init__(self, line: int):
        self.line = line


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int):
        self.key, self.line = key, line


class _Loader(yaml.SafeLoader):
    """Safe loader without aliases; dates stay text so that one parser checks them."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            raise AliasRefused(self.peek_event().start_mark.line)
        return super().compose_node(parent, index)


_NO_TIMESTAMPS = _Loader.yaml_implicit_resolvers


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    yaml_implicit_resolvers = _NO_TIMESTAMPS


# where libyaml and PyYAML disagree (found by tests/test_yamlfm.py): tabs, tags, a comment
# glued to a block scalar's indicator (|# and >#), ? in a text with flow collections, special characters
_PYTHON_ONLY = re.compile(r"[\t!]|[|>][-+0-9]*#|\?(?=.*[\[{])|[\[{](?=.*\?)", re.S)


def _fast(text: str):
    """(node, loader) from libyaml, or None when the Python loader must read the text."""
    if not getattr(yaml, "__with_libyaml__", False) or _PYTHON_ONLY.search(text) \
            or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    try:
        for event in yaml.parse(text, Loader=_FastLoader):  # events only: nothing is expanded yet
            if isinstance(event, AliasEvent):
                return None
    except yaml.YAMLError:
        return None
    loader = _FastLoader(text)
    try:
        return loader.get_single_node(), loader
    except yaml.YAMLError:
        loader.dispose()
        return None


def _record_lines(node, path, lines):
    if isinstance(node, MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node.value, str) else str(key_node.value)
            if key in seen:
                raise DuplicateKey(key, key_node.start_mark.line)
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line
            _record_lines(value_node, path + (key,), lines)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line
            _record_lines(item, path + (i,), lines)


def parse(text: str, use_libyaml: bool = True):
    """Return (data, lines): lines maps a key path such as ('sources', 0, 'url') to a 0-based line."""
    fast = _fast(text) if use_libyaml else None
    if fast is not None:
        node, loader = fast
    else:
        loader = _Loader(text)
    try:
        if fast is None:
            node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[tuple, int] = {}
        _record_lines(node, (), lines)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


# what parse() raises for a file a person typed wrong; error_line() says where, 1-based
LOAD_ERRORS = (yaml.YAMLError, AliasRefused, DuplicateKey)


def error_line(exc: Exception) -> int:
    """The 1-based line of one of LOAD_ERRORS: our own errors carry .line, YAML's a problem mark (else line 1)."""
    line = getattr(exc, "line", None)
    if line is not None:
        return line + 1
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark else 1
