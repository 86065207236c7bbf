"""Where each value of a plan was written (a YAML file's lines, a workbook's cells), so a problem
in a plan names its place."""

from __future__ import annotations

from typing import Any, Protocol

import yaml

from matrix.codes import Code
from matrix.i18n import Phrase, phrase
from matrix.models.issues import Issue

Path_ = tuple[str | int, ...]
"""Keys and list positions from the document's root to a value: ("objectives", 0, "id")."""


class Locations(Protocol):
    """Where each value of a plan was read: a YAML file's lines (`LineMap`) or a plan
    workbook's cells."""

    def place(self, path: Path_) -> dict[str, Any]: ...

    def describe(self, path: Path_) -> Phrase | str: ...


class LineMap:
    """Line numbers (1-based) of every key and value in a YAML document, by path."""

    def __init__(self) -> None:
        self._lines: dict[Path_, int] = {}

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor when the key itself is absent."""
        for end in range(len(path), -1, -1):
            if (found := self._lines.get(tuple(path[:end]))) is not None:
                return found
        return None

    def place(self, path: Path_) -> dict[str, Any]:
        """Where `path` is, as the location fields of an Issue."""
        return {"line": self.line(path)}

    def describe(self, path: Path_) -> Phrase:
        return phrase("plan.where.line", line=self.line(path))

    def record(self, node: yaml.Node, path: Path_, issues: list[Issue], file: str) -> None:
        self._lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    issues.append(Code.DUPLICATE_KEY.issue(file=file, line=line, key=key))
                seen[key] = line
                self._lines[(*path, key)] = line
                self.record(value_node, (*path, key), issues, file)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.record(item, (*path, index), issues, file)
