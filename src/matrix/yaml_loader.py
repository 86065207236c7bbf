"""Parse a YAML document that may be hostile: once, in C when libyaml is there, and within limits.

PyYAML's safe loader has no limits: a 'billion laughs' document of nested aliases expands to 10^9
values from under 500 bytes, and deep nesting exhausts the stack of every step that walks the tree.
The composer here counts, as it builds each node, what the node holds once its aliases are expanded,
and refuses a document beyond the limits before anything walks it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from matrix.codes import Code

MAX_DEPTH = 64
"""Levels values may nest, aliases expanded; a plan needs about 8."""
MAX_ALIAS_VALUES = 100_000
"""Values aliases (*name) may add in all once expanded: plenty for repeating partner lists."""


class Refused(yaml.YAMLError):
    """A document beyond the limits, as the issue to report."""

    def __init__(self, code: Code, mark: yaml.Mark, **params: object):
        super().__init__(code.message(**params))
        self.code, self.line, self.params = code, mark.line + 1, params


class _BoundedComposer(Composer):
    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._alias_values = 0
        self._shape: dict[int, tuple[int, int]] = {}
        """id(node) -> (values, levels) with aliases expanded; absent while the node is open."""

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            if (target := self.anchors.get(event.anchor)) is not None:  # else PyYAML's own error
                self._count_alias(event, target)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise Refused(Code.YAML_TOO_DEEP, event.start_mark, limit=MAX_DEPTH)
        node = super().compose_node(parent, index)
        self._depth -= 1
        if isinstance(node, MappingNode):
            shapes = [self._shape[id(child)] for pair in node.value for child in pair]
        elif isinstance(node, SequenceNode):
            shapes = [self._shape[id(child)] for child in node.value]
        else:
            shapes = []
        values = 1 + sum(v for v, _ in shapes)
        self._shape[id(node)] = (values, 1 + max((levels for _, levels in shapes), default=0))
        return node

    def _count_alias(self, event: AliasEvent, target: Node) -> None:
        shape = self._shape.get(id(target))
        if shape is None:
            raise Refused(Code.YAML_ALIAS_CYCLE, event.start_mark, alias=event.anchor)
        values, levels = shape
        self._alias_values += values
        if self._alias_values > MAX_ALIAS_VALUES:
            raise Refused(Code.YAML_ALIAS_EXPANSION, event.start_mark, alias=event.anchor,
                          limit=MAX_ALIAS_VALUES)
        if self._depth + levels > MAX_DEPTH:
            raise Refused(Code.YAML_TOO_DEEP, event.start_mark, limit=MAX_DEPTH)


def _text_if_invalid(construct: Callable[[SafeConstructor, Node], object]) -> Callable:
    """The scalar constructor, keeping the text where it would raise ValueError (a date that does not
    exist, '2026-02-30'; an integer too long to convert), for the schema to report at its field."""

    def lenient(self: SafeConstructor, node: Node) -> object:
        try:
            return construct(self, node)
        except ValueError:
            return node.value

    return lenient


class _Constructor(SafeConstructor):
    pass


for _tag, _construct in (("timestamp", SafeConstructor.construct_yaml_timestamp),
                         ("int", SafeConstructor.construct_yaml_int)):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _text_if_invalid(_construct))


class PythonEvents(Reader, Scanner, Parser):
    """YAML events parsed in Python, for a PyYAML installed without libyaml."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


try:
    from yaml.cyaml import CParser as EVENTS  # libyaml: parsing in C, about ten times faster
except ImportError:  # PyYAML built without libyaml
    EVENTS = PythonEvents


@cache
def _loader_class(events: type) -> type:
    class BoundedLoader(_BoundedComposer, events, _Constructor, Resolver):
        def __init__(self, stream: str) -> None:
            events.__init__(self, stream)
            _BoundedComposer.__init__(self)
            _Constructor.__init__(self)
            Resolver.__init__(self)

    return BoundedLoader


def bounded_loader(text: str, events: type = EVENTS) -> Any:
    """A loader parsing `text` once: `get_single_node()` gives the tree (with line numbers), then
    `construct_document(root)` the data. Raises `Refused`, or PyYAML's errors for invalid YAML."""
    return _loader_class(events)(text)
