"""Load `plan.yaml` into a `Plan`, keeping the line of every value so problems point at it."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from matrix.codes import Code, did_you_mean
from matrix.errors import PlanError
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
            reason = f"{field}: {err['msg'][0].lower()}{err['msg'][1:]} (found {err.get('input')!r})"
            issue = Code.INVALID_VALUE.issue(file=file, line=line, where=where, reason=reason, value=err.get("input"))
        issues.append(issue)
    return issues


def read_plan(path: str | Path) -> tuple[Plan | None, list[Issue]]:
    """Parse and check a plan file; never raises for bad content, returns every issue found."""
    path = Path(path)
    file = str(path)
    try:
        if not path.is_file():  # a device or a FIFO would be read forever or block
            return None, [Code.PLAN_UNREADABLE.issue(file=file, reason="not a regular file")]
        if path.stat().st_size > MAX_PLAN_BYTES:
            return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=f"larger than {MAX_PLAN_BYTES // 2**20} MB")]
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=str(exc))]
    return parse_plan(text, file)


def parse_plan(text: str, file: str) -> tuple[Plan | None, list[Issue]]:
    """`read_plan` of a plan's text, named `file` in the issues (a kept plan version has no file)."""
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
