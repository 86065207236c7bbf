"""Load `plan.yaml` into a `Plan`, keeping the line of every value so problems point at it."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from matrix.codes import Code
from matrix.errors import PlanError
from matrix.files import describe
from matrix.gcpause import cycle_collection_paused
from matrix.i18n import phrase
from matrix.models.issues import Issue, has_errors
from matrix.models.plan import Plan
from matrix.plan.checks import check_plan
from matrix.plan.index import plan_index
from matrix.plan.lines import LineMap
from matrix.plan.salvage import salvage
from matrix.plan.schema import schema_errors, schema_issue
from matrix.yaml_loader import Refused, bounded_loader

MAX_PLAN_BYTES = 20 * 1024 * 1024
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
"""A zip (.xlsx) or an OLE2 file (.xls, an encrypted .xlsx): read as a plan workbook, which
refuses the second with a message saying what to do."""


def read_plan(path: str | Path) -> tuple[Plan | None, list[Issue]]:
    """Parse and check a plan file; never raises for bad content, returns every issue found."""
    with cycle_collection_paused():  # a node, a mark and a line per value, none in a cycle: 2x
        return _read_plan(Path(path))


def _read_plan(path: Path) -> tuple[Plan | None, list[Issue]]:
    file = str(path)
    try:
        if not path.is_file():  # a device or a FIFO would be read forever or block
            return None, [
                Code.PLAN_UNREADABLE.issue(file=file, reason=phrase("plan.reason.not_regular_file"))
            ]
        if path.stat().st_size > MAX_PLAN_BYTES:
            reason = phrase("plan.reason.too_large", limit=MAX_PLAN_BYTES // 2**20)
            return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=reason)]
        content = path.read_bytes()
        if content.startswith(WORKBOOK_MAGIC):  # a plan workbook, whatever its name
            from matrix.plan.workbook.reader import read_plan_workbook

            return read_plan_workbook(path)
        text = content.decode("utf-8-sig")
    except OSError as exc:
        return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=describe(exc))]
    except UnicodeDecodeError:
        return None, [Code.PLAN_UNREADABLE.issue(file=file, reason=phrase("plan.reason.not_utf8"))]
    return parse_plan(text, file)


def parse_plan(text: str, file: str) -> tuple[Plan | None, list[Issue]]:
    """`read_plan` of a plan's text, named `file` in the issues (a kept plan version has no
    file)."""
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
        return None, [
            Code.YAML_SYNTAX.issue(file=file, line=mark.line + 1 if mark else None, problem=problem)
        ]
    if not isinstance(data, dict):
        return None, [Code.PLAN_NOT_MAPPING.issue(file=file, line=1, found=type(data).__name__)]
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        errors = schema_errors(exc, data)
        for error in errors:
            issues.append(schema_issue(error, data, file=file, line=lines.line(error.at)))
        if (salvaged := salvage(data, errors, lines)) is not None:
            issues += check_plan(salvaged[0], lines, file, salvaged[1])
        return None, issues
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
