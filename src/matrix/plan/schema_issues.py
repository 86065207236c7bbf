"""Pydantic's errors in a plan as issues, each placed where the value was written (a YAML line or
a workbook cell, through `Locations`), with a did-you-mean for a mistyped field."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from matrix.codes import Code, did_you_mean
from matrix.models import plan as plan_models
from matrix.models.issues import Issue
from matrix.models.plan import SCHEMA_VERSION
from matrix.plan.lines import Locations, Path_

_SINGULAR = {
    "objectives": "objective",
    "activities": "activity",
    "actors": "actor",
    "indicators": "indicator",
    "action_points": "action point",
}


def _describe(data: Any, path: Path_) -> str:
    """'activity AP3-2' for the innermost object with an id along `path`, else 'plan'."""
    where, node = "plan", data
    for i, step in enumerate(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int) and i > 0 and isinstance(parent := path[i - 1], str):
            kind = _SINGULAR.get(parent, parent)
            ident = node.get("id") or node.get("name") if isinstance(node, dict) else None
            where = f"{kind} {ident}" if ident else f"{kind} #{step + 1}"
    return where


def _field_names() -> list[str]:
    names: set[str] = set()
    for obj in vars(plan_models).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return sorted(names)


_TAGS = {"str", "int", "float", "bool", "date", "constrained-str"}


def clean_loc(loc: tuple, data: Any) -> Path_:
    """Drop pydantic's union-member tags ('str', 'Framework', 'function-after[...]') and key markers
    from a location, keeping every part that names a key of the data (such as 'AP3')."""
    path: list[str | int] = []
    node = data
    for part in loc:
        key = _key_in(node, part)
        tag = not isinstance(part, int) and (part[:1].isupper() or "[" in part or part in _TAGS)
        if key is None and tag:
            continue
        path.append(part)
        node = node[key] if key is not None else None
    return tuple(path)


def _key_in(node: Any, part: str | int) -> Any:
    """The key or index of `node` that `part` names (YAML's `5:` is the number 5), else None."""
    if isinstance(node, dict):
        return next((key for key in node if str(key) == str(part)), None)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return part
    return None


def schema_issues(error: ValidationError, data: Any, lines: Locations, file: str) -> list[Issue]:
    issues, seen = [], set()
    for err in error.errors():
        path = clean_loc(err["loc"], data)
        field = next((str(p) for p in reversed(path) if isinstance(p, str)), "plan")
        where = _describe(data, path)
        at = lines.place(path)
        if (path, err["type"]) in seen:
            continue
        seen.add((path, err["type"]))
        if path == ("schema_version",) and err["type"] == "literal_error":
            issue = Code.UNSUPPORTED_SCHEMA.issue(
                file=file, **at, found=err.get("input"), supported=SCHEMA_VERSION
            )
        elif err["type"] == "missing":
            issue = Code.MISSING_FIELD.issue(
                file=file, **lines.place(path), where=where, field=field
            )
        elif err["type"] == "extra_forbidden":
            guess = difflib.get_close_matches(field, _field_names(), n=1, cutoff=0.7)
            issue = Code.UNKNOWN_FIELD.issue(
                file=file,
                **at,
                where=where,
                field=field,
                hint=did_you_mean(guess),
                fix=guess[0] if guess else None,
            )
        else:
            reason = (
                f"{field}: {err['msg'][0].lower()}{err['msg'][1:]} (found {err.get('input')!r})"
            )
            issue = Code.INVALID_VALUE.issue(
                file=file, **at, where=where, reason=reason, value=err.get("input")
            )
        issues.append(issue)
    return issues
