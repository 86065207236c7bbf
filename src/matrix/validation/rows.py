"""One matrix sheet -> the office's progress rows: refs matched to plan rows, locked cells checked
against their fingerprints, input cells read and the row rules applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from matrix.codes import Code
from matrix.excel.layout import PlanRow, action_point_label, canonical, cell_fingerprint
from matrix.i18n import action_point_title, t
from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.models.returns import ProgressRow
from matrix.validation.rules import actual_wanted, row_rules
from matrix.validation.structure import Table
from matrix.validation.values import CellReader, is_blank, plain_text

INPUT_KEYS = ("status", "actual", "funds_secured", "comments", "next_steps", "support_needed")
NEEDED = frozenset({"ref", *INPUT_KEYS})
"""Columns without which a return cannot be read; other missing columns are only warnings."""


@dataclass
class SheetContext:
    plan: Plan
    file: str
    lang: str
    date1904: bool
    new_sheet: str
    """Name of the New activities sheet, for messages that send people there."""
    issues: list[Issue]


def plan_cell_values(plan: Plan, row: PlanRow, lang: str) -> dict[str, object]:
    """The locked cells of a plan row as `matrix generate` writes them, to show what an edited
    cell should say."""
    framework = plan.resolved_framework
    ap = framework.action_point(row.objective.action_point)
    activity, indicator = row.activity, row.indicator
    return {
        "ref": row.ref,
        "action_point": action_point_label(ap.number, action_point_title(framework.id, ap.id, ap.title, lang))
        if ap else str(row.objective.action_point),
        "objective": row.objective.title,
        "activity": activity.title,
        "lead": activity.lead,
        "partners": ", ".join(activity.partners) or None,
        "indicator": indicator.name if indicator else None,
        "unit": indicator.unit if indicator else None,
        "baseline": indicator.baseline if indicator else None,
        "target": indicator.target if indicator else None,
        "start": activity.start,
        "end": activity.end,
        "budget": activity.budget,
    }


def _quoted(value: object) -> str:
    text = canonical(value)
    return f"'{text}'" if text else "blank"


def check_locked(
    table: Table, row: int, plan_row: PlanRow, stored: str, ctx: SheetContext
) -> None:
    """Report each locked cell whose value no longer matches its fingerprint, old and new value."""
    plan_values: dict[str, object] | None = None
    for part in stored.split(";"):
        key, _, digest = part.partition("=")
        if key not in table.columns:
            continue
        value = table.value(row, key)
        if cell_fingerprint(value) == digest:
            continue
        plan_values = plan_values or plan_cell_values(ctx.plan, plan_row, ctx.lang)
        ctx.issues.append(Code.LOCKED_CELL_EDITED.issue(
            file=ctx.file, sheet=table.sheet.name, cell=table.cell(row, key), value=plain_text(value) or None,
            column=t(ctx.lang, f"column.{key}"), ref=plan_row.ref, old=_quoted(plan_values.get(key)),
            new=_quoted(value),
        ))


def read_matrix_sheet(
    table: Table, office: str, role: str, plan_rows: list[PlanRow], fingerprints: Mapping[tuple[str, str], str],
    ctx: SheetContext, previous: Mapping[tuple[str, str], float],
) -> list[ProgressRow]:
    sheet = table.sheet
    cells = CellReader(ctx.file, sheet.name, ctx.lang, ctx.date1904, ctx.issues)
    expected = {plan_row.ref: plan_row for plan_row in plan_rows}
    seen: dict[str, int] = {}
    rows: list[ProgressRow] = []
    for row in range(table.header_row + 1, len(sheet.rows) + 1):
        ref = canonical(table.value(row, "ref"))
        has_input = any(not is_blank(table.value(row, key)) for key in INPUT_KEYS if key in table.columns)
        where = {"file": ctx.file, "sheet": sheet.name, "cell": table.cell(row, "ref")}
        if not ref:
            if has_input:
                ctx.issues.append(Code.ROW_WITHOUT_REF.issue(**where, row=row, new_sheet=ctx.new_sheet))
            continue
        if ref in seen:
            ctx.issues.append(Code.DUPLICATE_REF.issue(**where, value=ref, ref=ref, first=seen[ref]))
            continue
        if ref not in expected:
            if has_input:
                ctx.issues.append(Code.UNKNOWN_REF.issue(**where, value=ref, ref=ref, new_sheet=ctx.new_sheet))
            continue
        seen[ref] = row
        plan_row = expected[ref]
        if (stored := fingerprints.get((role, ref))) is not None:
            check_locked(table, row, plan_row, stored, ctx)
        rows.append(_read_row(table, row, office, plan_row, cells, ctx, previous))
    for ref, plan_row in expected.items():
        if ref not in seen:
            ctx.issues.append(Code.PLAN_ROW_MISSING.issue(
                file=ctx.file, sheet=sheet.name, value=ref, ref=ref, activity=plan_row.activity.title
            ))
    return rows


def _read_row(
    table: Table, row: int, office: str, plan_row: PlanRow, cells: CellReader, ctx: SheetContext,
    previous: Mapping[tuple[str, str], float],
) -> ProgressRow:
    def value(key: str) -> object:
        return table.value(row, key)

    def cell(key: str) -> str:
        return table.cell(row, key)

    status = cells.status(value("status"), cell("status"))
    if status is None and is_blank(value("status")):
        ctx.issues.append(Code.STATUS_MISSING.issue(
            file=ctx.file, sheet=table.sheet.name, cell=cell("status"), ref=plan_row.ref, choices=cells.choices
        ))
    actual = cells.number(value("actual"), cell("actual"), actual_wanted(plan_row), Code.ACTUAL_NOT_A_NUMBER)
    funds = None
    if "funds_secured" in table.columns:
        funds = cells.number(value("funds_secured"), cell("funds_secured"), f"the funds secured in {ctx.plan.currency}")
    progress = ProgressRow(
        country=office, activity_id=plan_row.activity.id, indicator_index=plan_row.indicator_index,
        ref=plan_row.ref, sheet=table.sheet.name, row=row, status=status, actual=actual, funds_secured=funds,
        comments=cells.text(value("comments"), cell("comments")),
        next_steps=cells.text(value("next_steps"), cell("next_steps")),
        support_needed=cells.text(value("support_needed"), cell("support_needed")),
    )
    ctx.issues.extend(row_rules(progress, plan_row, table, ctx.lang, ctx.file, is_blank(value("actual")), previous))
    return progress
