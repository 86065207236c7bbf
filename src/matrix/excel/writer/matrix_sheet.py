"""A matrix sheet: one row per plan row under its action point's heading, grey locked plan cells,
yellow input cells (prefilled when asked), a progress formula, drop-downs and number checks."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.layout import Kind
from matrix.excel.metadata import matrix_role
from matrix.excel.writer.book import Book, MatrixSheet
from matrix.excel.writer.frame import row_height, start_table
from matrix.excel.writer.validations import (
    actual_validation,
    number_validation,
    status_drop_down,
)
from matrix.i18n import status_label, t
from matrix.models.plan import ActionPoint, PeriodRule, Status, ValueKind
from matrix.models.returns import ProgressRecord
from matrix.plan import PlanRow
from matrix.semantics import number_date

Fingerprints = dict[tuple[str, str], str]
"""(role key of the matrix sheet, ref) -> fingerprint of the row's locked cells."""


def write_matrix_sheet(ws: Worksheet, book: Book, sheet: MatrixSheet) -> Fingerprints:
    """Write `sheet` and return the fingerprints of its plan rows, for the hidden metadata."""
    f, col, columns, lang = book.formats, book.col, book.columns, book.lang
    role = matrix_role(sheet.office)
    fingerprints: Fingerprints = {}
    start_table(ws, book, columns, book.plan.title, book.subtitle(sheet.label))
    actual_col, target_col, percent_col = col["actual"], col["target"], col["percent"]
    actual_letter, target_letter = xl_col_to_name(actual_col), xl_col_to_name(target_col)
    cells = [
        (i, c.key, c.locked, c.kind is Kind.DATE, f.cell(c))
        for i, c in enumerate(columns)
        if i != percent_col
    ]
    widths = {c.key: c.width for c in columns}
    checked: dict[tuple[str, str], list[int]] = {}
    """(Excel check, input message) -> the 0-based rows of actual cells that get them."""
    r = layout.FIRST_DATA_ROW - 1
    for ap, group in _groups(book, sheet.rows):
        label = book.ap_label(ap, group[0].objective.action_point)
        for i in range(len(columns)):
            ws.write_blank(r, i, None, f.band)
        ws.write_string(r, col["action_point"], label, f.band)
        r += 1
        for plan_row in group:
            values = {
                k: v
                for k, v in layout.plan_cell_values(book.plan, plan_row, lang, label).items()
                if k in col
            }
            fingerprints[role, plan_row.ref] = layout.fingerprint(values)
            inputs = _input_values(book.prefill.get((sheet.office, plan_row.ref)), lang, plan_row)
            for i, key, locked, is_date, fmt in cells:
                value = values[key] if locked else inputs.get(key)
                if value is None or value == "":
                    ws.write_blank(r, i, None, fmt)
                elif key == "actual" and (own := actual_format(plan_row, value)) is not None:
                    ws.write(r, i, value, f.cells[False, own])
                elif is_date:
                    ws.write_datetime(r, i, value, fmt)
                elif isinstance(value, str):
                    ws.write_string(r, i, value, fmt)
                else:
                    ws.write_number(r, i, value, fmt)
            height = row_height(
                [
                    (v, widths[k])
                    for k, v in (*values.items(), *inputs.items())
                    if isinstance(v, str) and k in widths
                ]
            )
            if height:
                ws.set_row(r, height)
            target = values["target"]
            if isinstance(target, int | float) and target:
                given = book.prefill.get((sheet.office, plan_row.ref))
                actual = given.actual if given is not None else None
                a, tg = f"{actual_letter}{r + 1}", f"{target_letter}{r + 1}"
                ws.write_formula(
                    r,
                    percent_col,
                    f'=IF(OR({a}="",N({tg})=0),"",IFERROR({a}/{tg},""))',
                    f.cells[True, Kind.PERCENT],
                    actual / target if actual is not None else "",
                )
            else:
                ws.write_blank(r, percent_col, None, f.cells[True, Kind.PERCENT])
            checked.setdefault(actual_check(plan_row), []).append(r)
            r += 1
    last = r - 1
    first = layout.FIRST_DATA_ROW - 1
    ws.freeze_panes(layout.HEADER_ROW, 1)
    ws.autofilter(layout.HEADER_ROW - 1, 0, max(last, layout.HEADER_ROW - 1), len(columns) - 1)
    if last < first:
        return fingerprints
    status_drop_down(ws, book, col["status"], first, last)
    for (check, key), rows in checked.items():
        ranges = " ".join(
            f"{actual_letter}{a + 1}"
            if a == b
            else f"{actual_letter}{a + 1}:{actual_letter}{b + 1}"
            for a, b in _runs(rows)
        )
        actual_validation(
            ws,
            book,
            check,
            actual_col,
            rows[0],
            rows[-1],
            multi_range=ranges,
            input_title=t(lang, "column.actual")[:32],
            input_message=t(lang, f"validation.actual.{key}")[:255],
        )
    if "funds_secured" in col:
        number_validation(ws, lang, col["funds_secured"], first, last)
    return fingerprints


def _groups(book: Book, rows: Sequence[PlanRow]) -> list[tuple[ActionPoint | None, list[PlanRow]]]:
    """Rows under their action point, in action point order, plan order within each."""

    def number(row: PlanRow) -> int:
        ap = book.objective_ap[row.objective.id]
        return ap.number if ap else 0

    return [
        (book.objective_ap[group[0].objective.id], group)
        for group in (list(g) for _, g in groupby(sorted(rows, key=number), key=number))
    ]


PERIOD_MESSAGES = {PeriodRule.CUMULATIVE: "cumulative", PeriodRule.PER_PERIOD: "period"}
"""The input message of an actual cell by period rule; the other rules are levels."""


def actual_check(plan_row: PlanRow) -> tuple[str, str]:
    """The Excel check of a row's actual cell and its input message, from the indicator's kind."""
    kind, indicator = plan_row.kind, plan_row.indicator
    if kind in (ValueKind.YES_NO, ValueKind.DATE):
        return kind.value, kind.value
    if kind is ValueKind.PERCENT:
        return "decimal", "percent"
    message = PERIOD_MESSAGES.get(indicator.period_rule, "level") if indicator else "cumulative"
    return ("whole" if kind is ValueKind.COUNT else "decimal"), message


def _actual_as_typed(actual: float | None, row: PlanRow, lang: str) -> object:
    """A stored actual value as the office would type it again: Yes/No, a date, and a percentage
    under 1 % as the fraction Excel stores for '0.5%' (a bare 0.5 would read as 50 %)."""
    if actual is None:
        return None
    if row.kind is ValueKind.YES_NO:
        return t(lang, "value.yes" if actual else "value.no")
    if row.kind is ValueKind.DATE:
        return number_date(actual)
    if row.kind is ValueKind.PERCENT and 0 < actual < 1:
        return actual / 100
    return actual


def actual_format(row: PlanRow, value: object) -> Kind | None:
    """The format a prefilled actual needs beyond the column's: a date, or a percentage under 1 %
    written as the fraction Excel stores for '0.5%'."""
    if row.kind is ValueKind.DATE:
        return Kind.DATE
    if row.kind is ValueKind.PERCENT and isinstance(value, float) and 0 < value < 0.01:
        return Kind.PERCENT
    return None


def _input_values(given: ProgressRecord | None, lang: str, row: PlanRow) -> dict[str, object]:
    """An office's earlier answers in the input cells (`prefill`), as the office would type them."""
    if given is None:
        return {}
    return {
        "status": status_label(Status(given.status), lang) if given.status else None,
        "actual": _actual_as_typed(given.actual, row, lang),
        "funds_secured": given.funds_secured,
        "comments": given.comments,
        "next_steps": given.next_steps,
        "support_needed": given.support_needed,
    }


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive 0-based row numbers as (first, last) runs, for compact validation ranges."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
