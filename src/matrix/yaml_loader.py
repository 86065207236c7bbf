"""Parse a YAML document that may be hostile: once, in C when libyaml is there, and within limits.

PyYAML's safe loader has no limits: a 'billion laughs' document of nested aliases expands to 10^9
values from under 500 bytes, and deep nesting exhausts the stack of every step that walks the tree.
The composer here counts, as it builds each node, what the node holds once its aliases are expanded,
and refuses a document beyond the limits before anything walks it. It composes in a loop rather
than by recursion, and the constructor builds plain lists, mappings and scalars itself: a plan of
5,000 activities loads in about a third of the time PyYAML's own loaders take (benchmarks/).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cache
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
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

    def __init__(self, code: Code, mark: Any, **params: Any):  # a Python or a libyaml mark
        super().__init__(code.message(**params))
        self.code, self.line, self.params = code, mark.line + 1, params


class _BoundedComposer(Composer):
    """PyYAML's composer, iterative (no recursion to exhaust) and counting as it goes: the depth
    of the open nodes, and for an alias the values and levels its target holds once expanded."""

    def __init__(self) -> None:
        super().__init__()
        self._alias_values = 0
        self._shape: dict[int, tuple[int, int]] = {}
        """id(anchored node) -> (values, levels) with aliases expanded; absent while it is open."""
        self._tags: dict[tuple[str, tuple[bool, bool]], str] = {}
        """Resolved tags of plain scalars: a plan repeats the same ids, units and dates."""

    if TYPE_CHECKING:  # from the parser and the resolver it is mixed with in the loader class

        def get_event(self) -> Any: ...
        def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str: ...

    def compose_node(self, parent: Node | None, index: object) -> Node:
        """The whole tree under the next event; `compose_document` calls it once, for the root."""
        open_nodes: list[_Open] = []
        get_event, tags, shape, anchors = self.get_event, self._tags, self._shape, self.anchors
        while True:
            event = get_event()
            kind = type(event)
            if kind is AliasEvent:
                node = self._alias(event, len(open_nodes))
                values, levels = shape[id(node)]
            elif kind is ScalarEvent or kind is SequenceStartEvent or kind is MappingStartEvent:
                if len(open_nodes) >= MAX_DEPTH:
                    raise Refused(Code.YAML_TOO_DEEP, event.start_mark, limit=MAX_DEPTH)
                anchor = event.anchor
                if anchor is not None and anchor in anchors:
                    raise ComposerError(
                        f"found duplicate anchor {anchor!r}; first occurrence",
                        anchors[anchor].start_mark,
                        "second occurrence",
                        event.start_mark,
                    )
                if kind is not ScalarEvent:
                    collection = self._open(event, anchor, kind is MappingStartEvent)
                    open_nodes.append(collection)
                    continue
                tag = event.tag
                if tag is None or tag == "!":
                    key = (event.value, event.implicit)
                    if (tag := tags.get(key)) is None:
                        tag = tags[key] = self.resolve(ScalarNode, event.value, event.implicit)
                node = ScalarNode(
                    tag, event.value, event.start_mark, event.end_mark, style=event.style
                )
                values, levels = 1, 1
                if anchor is not None:
                    anchors[anchor] = node
                    shape[id(node)] = (1, 1)
            else:  # the end of the innermost open sequence or mapping
                closed = open_nodes.pop()
                node = closed.node
                node.end_mark = event.end_mark
                values, levels = closed.values, closed.levels + 1
                if closed.anchored:
                    shape[id(node)] = (values, levels)
            if not open_nodes:
                return node
            open_nodes[-1].add(node, values, levels)

    def _open(self, event: Any, anchor: str | None, mapping: bool) -> _Open:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _MAPPING if mapping else _SEQUENCE
        kind = MappingNode if mapping else SequenceNode
        node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node  # an alias to it before it ends is a cycle: no shape yet
        return _Open(node, mapping, anchor is not None)

    def _alias(self, event: Any, depth: int) -> Node:
        """The node an alias repeats, once what it adds is within the limits."""
        target = self.anchors.get(event.anchor)
        if target is None:
            raise ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark
            )
        shape = self._shape.get(id(target))
        if shape is None:
            raise Refused(Code.YAML_ALIAS_CYCLE, event.start_mark, alias=event.anchor)
        values, levels = shape
        self._alias_values += values
        if self._alias_values > MAX_ALIAS_VALUES:
            raise Refused(
                Code.YAML_ALIAS_EXPANSION,
                event.start_mark,
                alias=event.anchor,
                limit=MAX_ALIAS_VALUES,
            )
        if depth + levels > MAX_DEPTH:
            raise Refused(Code.YAML_TOO_DEEP, event.start_mark, limit=MAX_DEPTH)
        return target


class _Open:
    """A sequence or mapping being composed, and what it holds so far with aliases expanded."""

    __slots__ = ("anchored", "key", "levels", "mapping", "node", "values")

    def __init__(self, node: Node, mapping: bool, anchored: bool) -> None:
        self.node, self.mapping, self.anchored = node, mapping, anchored
        self.values, self.levels = 1, 0
        self.key: Node | None = None

    def add(self, child: Node, values: int, levels: int) -> None:
        self.values += values
        self.levels = max(self.levels, levels)
        if not self.mapping:
            self.node.value.append(child)
        elif self.key is None:
            self.key = child
        else:
            self.node.value.append((self.key, child))
            self.key = None


def _text_if_invalid(construct: Callable[[SafeConstructor, ScalarNode], object]) -> Callable:
    """The scalar constructor, keeping the text where it would raise ValueError (a date that does
    not exist, '2026-02-30'; an integer too long to convert), for the schema to report at its
    field."""

    def lenient(self: SafeConstructor, node: ScalarNode) -> object:
        try:
            return construct(self, node)
        except ValueError:
            return node.value

    return lenient


_SCALARS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
"""Tags whose values are immutable, so one constructed value serves every equal scalar."""
_SEQUENCE, _MAPPING = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MISSING = object()


class _Constructor(SafeConstructor):
    """SafeConstructor's values, built directly for plain lists, mappings and scalars (each
    distinct scalar constructed once); anything else (merge keys, sets, other tags) is left to
    SafeConstructor itself."""

    def construct_document(self, node: Node) -> Any:
        self._scalars: dict[tuple[str, str], object] = {}
        try:
            return self._build(node)
        finally:
            self._scalars, self.constructed_objects, self.recursive_objects = {}, {}, {}

    def _build(self, node: Node) -> Any:
        tag = node.tag
        if tag in _SCALARS and type(node) is ScalarNode:
            key = (tag, node.value)
            if (value := self._scalars.get(key, _MISSING)) is _MISSING:
                value = self._scalars[key] = self.construct_object(node)
            return value
        if tag == _SEQUENCE and type(node) is SequenceNode:
            return [self._build(item) for item in node.value]
        if tag == _MAPPING and type(node) is MappingNode:
            mapping = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    break
                key = self._build(key_node)
                if not isinstance(key, Hashable):
                    break
                mapping[key] = self._build(value_node)
            else:
                return mapping
        return self.construct_object(node, deep=True)  # and its errors, as PyYAML words them


for _tag, _construct in (
    ("timestamp", SafeConstructor.construct_yaml_timestamp),
    ("int", SafeConstructor.construct_yaml_int),
):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _text_if_invalid(_construct))


class PythonEvents(Reader, Scanner, Parser):
    """YAML events parsed in Python, for a PyYAML installed without libyaml."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


EVENTS: type
try:
    from yaml._yaml import CParser  # libyaml: parsing in C, about ten times faster

    EVENTS = CParser
except ImportError:  # PyYAML built without libyaml
    EVENTS = PythonEvents


@cache
def _loader_class(events: Any) -> type:
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
