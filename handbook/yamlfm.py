"""Front matter → plain data plus the source line of every field.

PyYAML's safe loader is used, with two changes for untrusted files: aliases are
refused (an alias bomb is rejected at its first alias, before anything is
expanded) and a key given twice is reported instead of silently overwritten.
"""
from __future__ import annotations

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


def parse(text: str):
    """Return (data, lines): lines maps a key path such as ('sources', 0, 'url') to a 0-based line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[tuple, int] = {}
        _record_lines(node, (), lines)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()
