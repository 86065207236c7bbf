"""A plan written as YAML a coordinator reads and edits: the examples' key order, defaults left
out, short mappings and lists of ids on one line, a blank line between objectives.

`matrix plan import` writes plan workbooks this way; loading the text gives back the same plan
(the same `Plan.content_hash()`), which the tests check over every example and generated plans.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import yaml
from pydantic import BaseModel

from matrix.models.plan import Localised, Plan

ALWAYS = ("schema_version", "framework", "countries", "currency")
"""Shown even at their default: a reader should not have to know the defaults of these."""
LAST = ("actors", "objectives")
"""The long lists come after every setting, as in the examples."""
AFTER_CURRENCY = ("language", "office_languages", "paper")
"""Who works in which language and the paper come after the countries and currency, as in the
examples."""
WIDTH = 100
"""Lines are folded beyond this many characters."""
ONE_LINE = 76
"""A mapping of plain values this short (keys and values) goes on one line, indented and braced:
`{name: Officials trained, unit: people, target: 150}`."""


def plan_yaml(plan: Plan, *, comment: str = "") -> str:
    """The plan as YAML text, after `comment` (each line prefixed with '# ')."""
    text = yaml.dump(_plain(plan), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH)
    header = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    return header + _spaced(text)


def _spaced(text: str) -> str:
    """A blank line before each block of settings and between objectives, as in the examples."""
    out: list[str] = []
    section = ""
    for line in text.splitlines(keepends=True):
        if not line.startswith(" "):
            section = line.partition(":")[0]
            if out and line.rstrip().endswith(":"):
                out.append("\n")
        elif section == "objectives" and line.startswith("  - ") and out[-1] != "objectives:\n":
            out.append("\n")
        out.append(line)
    return "".join(out)


def _plain(plan: Plan) -> dict[str, Any]:
    """Plan fields in writing order without their defaults, as plain values."""
    full = plan.model_dump(mode="python")
    brief = plan.model_dump(mode="python", exclude_defaults=True)
    settings = [name for name in Plan.model_fields if name not in (*LAST, *AFTER_CURRENCY)]
    at = settings.index("currency") + 1
    order = [*settings[:at], *AFTER_CURRENCY, *settings[at:], *LAST]
    data = {}
    for name in order:
        if name in brief:
            data[name] = plain(brief[name])
        elif name in ALWAYS or (
            name == "language" and "office_languages" in brief
        ):  # whose default
            data[name] = plain(full[name])
    return data


def plain(value: Any) -> Any:
    """A value as a person would type it: parts of a plan as mappings, enums as their values,
    whole numbers without '.0', a text with translations as a mapping by language."""
    if isinstance(value, Localised):
        return {value.lang: str(value), **value.translations} if value.translations else str(value)
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="python"))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, flow style for lists of plain values and short mappings of
    them, multi-line text as a literal block, and no anchors: equal dates are not one value."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _is_plain(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(_is_plain(v) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    flow = all(_is_plain(v) for v in data.values()) and (
        sum(len(str(k)) + len(str(v)) + 4 for k, v in data.items()) <= ONE_LINE
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_date(dumper: yaml.SafeDumper, data: date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", data.isoformat())


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(date, _represent_date)
