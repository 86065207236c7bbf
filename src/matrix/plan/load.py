"""Load `plan.yaml` into a `Plan`, keeping the line of every value so problems point at it."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from matrix.codes import Code, did_you_mean
from matrix.errors import PlanError
from matrix.files import describe
from matrix.i18n import phrase
from matrix.models import plan as plan_models
from matrix.models.issues import Issue, has_errors
from matrix.models.plan import SCHEMA_VERSION, Plan
from matrix.plan.checks import check_plan
from matrix.plan.index import plan_index
from matrix.plan.lines import LineMap, Path_
from matrix.yaml_loader import Refused, bounded_loader

MAX_PLAN_BYTES = 20 * 1024 * 1024

_SINGULAR = {
    "objectives": "objective",
    "activities": "activity",
    "actors": "actor",
    "indicators": "indicator",
    "action_points": "action_point",
}
"""List fields whose items have a kind in the catalogue (`plan.kind.<kind>`); others are named by
their field."""


def _describe(data: Any, path: Path_) -> dict[str, object]:
    """'activity AP3-2' for the innermost object with an id along `path`, else 'plan'."""
    where, node = phrase("plan.where.plan"), data
    for i, step in enumerate(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int) and i > 0 and isinstance(path[i - 1], str):
            field = path[i - 1]
            kind = phrase(f"plan.kind.{_SINGULAR[field]}") if field in _SINGULAR else field
            ident = node.get("id") or node.get("name") if isinstance(node, dict) else None
            if isinstance(ident, dict):  # a translated name: its first text
                ident = next(iter(ident.values()), None)
            where = (phrase("plan.where.named", kind=kind, id=str(ident)) if ident
                     else phrase("plan.where.numbered", kind=kind, number=step + 1))
    return where


def _field_names() -> list[str]:
    names: set[str] = set()
    for obj in vars(plan_models).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return sorted(names)


_TAGS = {"str", "int", "float", "bool", "date", "constrained-str"}


def _clean_loc(loc: tuple, data: Any) -> Path_:
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


_PROBLEMS = {
    "string_too_short": "plan.problem.empty",
    "string_type": "plan.problem.text",
    "float_parsing": "plan.problem.number",
    "float_type": "plan.problem.number",
    "int_parsing": "plan.problem.number",
    "int_type": "plan.problem.number",
    "int_from_float": "plan.problem.whole_number",
    "bool_parsing": "plan.problem.yes_no",
    "bool_type": "plan.problem.yes_no",
    "date_parsing": "plan.problem.date",
    "date_type": "plan.problem.date",
    "date_from_datetime_parsing": "plan.problem.date",
    "date_from_datetime_inexact": "plan.problem.date",
    "list_type": "plan.problem.list",
    "dict_type": "plan.problem.mapping",
    "model_type": "plan.problem.mapping",
    "model_attributes_type": "plan.problem.mapping",
}
"""Pydantic's error types, by the catalogue's words for them."""
_LIMITS = {
    "string_too_long": ("plan.problem.too_long", "max_length"),
    "greater_than_equal": ("plan.problem.at_least", "ge"),
    "less_than_equal": ("plan.problem.at_most", "le"),
    "greater_than": ("plan.problem.more_than", "gt"),
    "less_than": ("plan.problem.less_than", "lt"),
}


def _problem(err: Any) -> dict[str, object]:
    """What is wrong with a value, in the catalogue's words: pydantic's error type and context
    say it; only a type met nowhere in a plan keeps pydantic's own (English) words."""
    kind, context = err["type"], err.get("ctx") or {}
    if kind in _PROBLEMS:
        return phrase(_PROBLEMS[kind])
    if kind in _LIMITS:
        key, name = _LIMITS[kind]
        return phrase(key, limit=context.get(name))
    if kind == "string_pattern_mismatch":
        pattern = context.get("pattern", "")
        return phrase("plan.problem.id") if pattern == plan_models.ID_PATTERN else phrase(
            "plan.problem.pattern", pattern=pattern)
    if kind in ("enum", "literal_error"):
        return phrase("plan.problem.choice", choices=re.findall(r"'([^']*)'", str(context.get("expected", ""))))
    if kind == "too_short":
        return phrase("plan.problem.list_too_short", count=context.get("min_length", 1))
    if kind.startswith("matrix."):  # our own validators say it in the catalogue
        return phrase(f"plan.problem.{kind.removeprefix('matrix.')}", **context)
    return phrase("plan.problem.other", detail=err["msg"])


def _shown_input(value: object) -> object:
    """The value as an issue keeps it (JSON): text for anything but plain values."""
    return value if value is None or isinstance(value, bool | int | float | str) else repr(value)


def _schema_issues(error: ValidationError, data: Any, lines: LineMap, file: str) -> list[Issue]:
    issues, seen = [], set()
    for err in error.errors():
        path = _clean_loc(err["loc"], data)
        field = next((str(p) for p in reversed(path) if isinstance(p, str)), "plan")
        where = _describe(data, path)
        line = lines.line(path)
        if (path, err["type"]) in seen:
            continue
        seen.add((path, err["type"]))
        if path == ("schema_version",) and err["type"] == "literal_error":
            issue = Code.UNSUPPORTED_SCHEMA.issue(
                file=file, line=line, found=err.get("input"), supported=SCHEMA_VERSION
            )
        elif err["type"] == "missing":
            issue = Code.MISSING_FIELD.issue(file=file, line=lines.line(path[:-1]), where=where, field=field)
        elif err["type"] == "extra_forbidden":
            guess = difflib.get_close_matches(field, _field_names(), n=1, cutoff=0.7)
            issue = Code.UNKNOWN_FIELD.issue(
                file=file, line=line, where=where, field=field, hint=did_you_mean(guess), fix=guess[0] if guess else None
            )
        else:
            reason = phrase("plan.invalid", field=field, problem=_problem(err), found=repr(err.get("input")))
            issue = Code.INVALID_VALUE.issue(file=file, line=line, where=where, reason=reason,
                                             value=_shown_input(err.get("input")))
        issues.append(issue)
    return issues


def read_plan(path: str | Path) -> tuple[Plan | None, list[Issue]]:
    """Parse and check a plan file; never raises for bad content, returns every issue found."""
    path = Path(path)
    file = str(path)
    try:
        if not path.is_file():  # a device or a FIFO would be read forever or block
            return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=phrase("plan.reason.not_regular_file"))]
        if path.stat().st_size > MAX_PLAN_BYTES:
            reason = phrase("plan.reason.too_large", limit=MAX_PLAN_BYTES // 2**20)
            return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=reason)]
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=describe(exc))]
    except UnicodeDecodeError:
        return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=phrase("plan.reason.not_utf8"))]
    issues: list[Issue] = []
    lines = LineMap()
    try:
        loader = bounded_loader(text)
        root = loader.get_single_node()
        if root is None:
            return None, [Code.PLAN_EMPTY.issue(file=file)]
        lines.record(root, (), issues, file)  # before construction flattens merge keys (<<)
        data = loader.construct_document(root)
    except Refused as exc:
        return None, [exc.code.issue(file=file, line=exc.line, **exc.params)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Code.YAML_SYNTAX.issue(file=file, line=mark.line + 1 if mark else None, problem=problem)]
    if not isinstance(data, dict):
        return None, [Code.PLAN_NOT_MAPPING.issue(file=file, line=1, found=type(data).__name__)]
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        return None, issues + _schema_issues(exc, data, lines, file)
    issues += check_plan(plan, lines, file)
    return plan, issues


def load_plan(path: str | Path) -> Plan:
    """The plan, or PlanError listing every error; warnings (gaps) do not stop anyone."""
    plan, issues = read_plan(path)
    if plan is None or has_errors(issues):
        raise PlanError(str(path), issues)
    plan_index(plan)  # once, here: every command using the plan looks things up in it
    return plan


def check_plan_file(path: str | Path) -> list[Issue]:
    """Every problem in the plan, errors and warnings, in line order."""
    _, issues = read_plan(path)
    return sorted(issues, key=lambda i: (i.line or 0, i.code))
