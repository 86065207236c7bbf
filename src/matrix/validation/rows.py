"""One matrix sheet -> the office's progress rows: refs matched to plan rows, locked cells checked
against their fingerprints, input cells read and the row rules applied."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from matrix.codes import Code, did_you_mean
from matrix.excel.layout import (
    canonical,
    cell_fingerprint,
    plan_cell_values,
)
from matrix.i18n import Phrase, localised_action_point_label, phrase, t
from matrix.models.issues import Issue
from matrix.models.plan import Objective, Plan, in_language
from matrix.models.returns import ProgressRow
from matrix.periods import Period
from matrix.plan import PlanRow, plan_index
from matrix.validation.kinds import NUMERIC, read_actual
from matrix.validation.rules import row_rules
from matrix.validation.structure import Table
from matrix.validation.values import EPOCH_1900, EPOCH_1904, CellReader, is_blank, plain_text

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
    period: Period | None = None
    """The period the return reports on, for the rules that judge dates (overdue, at risk)."""
    dates_shifted: bool = False
    """Whether locked dates were found moved by a switch to the 1904 date system (warned once)."""

    def __post_init__(self) -> None:
        self.planned = plan_index(self.plan).derived(
            (PlannedCells, self.lang), lambda: PlannedCells(self.plan, self.lang)
        )
        self.at_risk_margin = self.plan.check_settings.at_risk_margin


class PlannedCells:
    """The locked cells of every plan row as `matrix generate` writes them, built once per plan
    and language (kept with the plan's index) and shared by every file of a batch."""

    def __init__(self, plan: Plan, lang: str):
        self.plan, self.lang = plan, lang
        self.index = plan_index(plan)
        self._labels: dict[str, str] = {}
        self._rows: dict[str, dict[str, object]] = {}
        self._tuples: dict[tuple[str, ...], dict[str, tuple[object, ...]]] = {}

    def _action_point_label(self, objective: Objective) -> str:
        if objective.id not in self._labels:
            ap = self.index.objective_action_point[objective.id]
            self._labels[objective.id] = (
                localised_action_point_label(self.index.framework, ap, self.lang)
                if ap
                else str(objective.action_point)
            )
        return self._labels[objective.id]

    def values(self, row: PlanRow) -> dict[str, object]:
        if row.ref not in self._rows:
            label = self._action_point_label(row.objective)
            self._rows[row.ref] = plan_cell_values(self.plan, row, self.lang, ap_label=label)
        return self._rows[row.ref]

    def as_read(self, row: PlanRow, keys: tuple[str, ...]) -> tuple[object, ...]:
        """The values calamine reads back from an untouched row (blanks are '')."""
        by_ref = self._tuples.setdefault(keys, {})
        found = by_ref.get(row.ref)
        if found is None:
            values = self.values(row)
            found = by_ref[row.ref] = tuple("" if values[k] is None else values[k] for k in keys)
        return found


def _cell_text(value: object) -> Phrase:
    """A cell's value in a message: quoted, numbers in the message's language, or 'blank'."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return phrase("value.cell", value=value)
    text = canonical(value)
    return phrase("value.cell", value=text) if text else phrase("value.blank")


def check_locked(
    table: Table,
    row: int,
    values: dict[str, object],
    plan_row: PlanRow,
    stored: str,
    ctx: SheetContext,
) -> None:
    """Report each locked cell whose value no longer matches its fingerprint, old and new value.

    A row still holding exactly the plan's values is unchanged; otherwise each cell is judged by
    the fingerprint the writer stored, which tolerates what office software does to numbers and
    dates."""
    keys = table.locked_keys
    if table.locked_values(values) == ctx.planned.as_read(plan_row, keys):
        return
    planned = ctx.planned.values(plan_row)
    for part in stored.split(";"):
        key, _, digest = part.partition("=")
        if key not in values or cell_fingerprint(values[key]) == digest:
            continue
        value = values[key]
        if ctx.date1904 and isinstance(value, date) and _moved_by_date_system(value, digest, ctx):
            continue
        ctx.issues.append(
            Code.LOCKED_CELL_EDITED.issue(
                file=ctx.file,
                sheet=table.sheet.name,
                cell=table.cell(row, key),
                value=plain_text(value) or None,
                column=t(ctx.lang, f"column.{key}"),
                ref=plan_row.ref,
                old=_cell_text(planned.get(key)),
                new=_cell_text(value),
            )
        )


DATE_SYSTEM_SHIFT = EPOCH_1904 - EPOCH_1900
"""1,462 days: Excel keeps a workbook's date serial numbers when it is switched to the 1904 date
system, so every date already in it then shows (and reads) this much later."""


def _moved_by_date_system(value: date, digest: str, ctx: SheetContext) -> bool:
    """Whether a locked date differs from the plan's only by the 1904 switch; warns once a file."""
    if cell_fingerprint(value - DATE_SYSTEM_SHIFT) != digest:
        return False
    if not ctx.dates_shifted:
        ctx.dates_shifted = True
        ctx.issues.append(Code.DATE_SYSTEM_1904.issue(file=ctx.file))
    return True


def _ref(value: object) -> str:
    return value.strip() if isinstance(value, str) else canonical(value)


def read_matrix_sheet(
    table: Table,
    office: str,
    role: str,
    plan_rows: Sequence[PlanRow],
    fingerprints: Mapping[tuple[str, str], str],
    ctx: SheetContext,
) -> list[ProgressRow]:
    sheet = table.sheet
    cells = CellReader(ctx.file, table, ctx.lang, ctx.date1904, ctx.issues)
    expected = {plan_row.ref: plan_row for plan_row in plan_rows}
    inputs = [key for key in INPUT_KEYS if key in table.columns]
    seen: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    rows: list[ProgressRow] = []
    for row, values in table.data_rows():
        ref = _ref(values["ref"])
        if not ref or ref in seen or ref not in expected:
            _stray_row(table, row, values, ref, inputs, seen, unknown, ctx)
            continue
        seen[ref] = row
        plan_row = expected[ref]
        if (stored := fingerprints.get((role, ref))) is not None:
            check_locked(table, row, values, plan_row, stored, ctx)
        rows.append(_read_row(table, row, values, office, plan_row, cells, ctx))
    missing = [ref for ref in expected if ref not in seen]
    _unknown_refs(table, unknown, missing, ctx)
    for ref in missing:
        ctx.issues.append(
            Code.PLAN_ROW_MISSING.issue(
                file=ctx.file,
                sheet=sheet.name,
                value=ref,
                ref=ref,
                activity=in_language(expected[ref].activity.title, ctx.lang),
            )
        )
    return rows


def _stray_row(
    table: Table,
    row: int,
    values: dict[str, object],
    ref: str,
    inputs: list[str],
    seen: dict[str, int],
    unknown: list[tuple[int, str]],
    ctx: SheetContext,
) -> None:
    """A row that is not a plan row: a heading or blank row, or one the office added or copied.
    Unknown refs are collected, to be reported once every plan row has been seen."""
    has_input = any(not is_blank(values[key]) for key in inputs)
    where: dict[str, Any] = {
        "file": ctx.file,
        "sheet": table.sheet.name,
        "cell": table.cell(row, "ref"),
    }
    if not ref:
        if has_input:
            ctx.issues.append(Code.ROW_WITHOUT_REF.issue(**where, row=row, new_sheet=ctx.new_sheet))
    elif ref in seen:
        ctx.issues.append(Code.DUPLICATE_REF.issue(**where, value=ref, ref=ref, first=seen[ref]))
    elif has_input:
        unknown.append((row, ref))


def _unknown_refs(
    table: Table, unknown: list[tuple[int, str]], missing: list[str], ctx: SheetContext
) -> None:
    """Report refs that are not in the plan, suggesting a missing plan row they may be a typo of."""
    for row, ref in unknown:
        guess = difflib.get_close_matches(ref, missing, n=1, cutoff=0.7)
        ctx.issues.append(
            Code.UNKNOWN_REF.issue(
                file=ctx.file,
                sheet=table.sheet.name,
                cell=table.cell(row, "ref"),
                value=ref,
                ref=ref,
                new_sheet=ctx.new_sheet,
                hint=did_you_mean(guess),
                fix=guess[0] if guess else None,
            )
        )


def _text(cells: CellReader, values: dict[str, object], row: int, key: str) -> str:
    value = values[key]
    return value.strip() if type(value) is str else cells.text(value, (row, key))


def _read_row(
    table: Table,
    row: int,
    values: dict[str, object],
    office: str,
    plan_row: PlanRow,
    cells: CellReader,
    ctx: SheetContext,
) -> ProgressRow:
    """The row's progress; each reader runs only when a cell is not the plain case (a known status
    word, a number of 0 or more, text), which keeps clean rows cheap."""
    raw_status, raw_actual = values["status"], values["actual"]
    status = cells.known_status(raw_status)
    if status is None:
        status = cells.status(raw_status, (row, "status"))
        if status is None and is_blank(raw_status):
            ctx.issues.append(
                Code.STATUS_MISSING.issue(
                    file=ctx.file,
                    sheet=table.sheet.name,
                    cell=table.cell(row, "status"),
                    ref=plan_row.ref,
                    choices=cells.choices,
                )
            )
    actual = raw_actual
    if type(actual) is not float or actual < 0 or plan_row.kind not in NUMERIC:
        actual = read_actual(cells, actual, (row, "actual"), plan_row)
    funds = values.get("funds_secured")
    if funds is not None and (type(funds) is not float or funds < 0):
        funds = cells.number(
            funds, (row, "funds_secured"), phrase("wanted.funds", currency=ctx.plan.currency)
        )
    progress = ProgressRow.model_validate(
        {
            "country": office,
            "activity_id": plan_row.activity.id,
            "indicator_index": plan_row.indicator_index,
            "ref": plan_row.ref,
            "sheet": table.sheet.name,
            "row": row,
            "status": status,
            "actual": actual,
            "funds_secured": funds,
            "comments": _text(cells, values, row, "comments"),
            "next_steps": _text(cells, values, row, "next_steps"),
            "support_needed": _text(cells, values, row, "support_needed"),
        }
    )
    if issues := row_rules(
        progress,
        plan_row,
        table,
        ctx.lang,
        ctx.file,
        is_blank(raw_actual),
        ctx.period,
        ctx.at_risk_margin,
    ):
        ctx.issues.extend(issues)
    return progress
