"""Typing an office's overview, initiatives and good practices into a generated matrix with
openpyxl, by column key and row, as the office would."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import openpyxl

from matrix.excel import layout
from matrix.excel.layout import Column, SheetRole
from matrix.i18n import t
from matrix.models.plan import Plan, Status
from matrix.models.returns import Initiative
from matrix.overview import overview_headings
from validation_helpers import columns, sheet_by_role

Cells = Mapping[str, object]
"""column key -> value."""
LEGAL_AID: dict[str, object] = {
    "initiative": "Legal aid at police stations",
    "action_point": "3. Operations",
    "actors": "Legal aid NGOs",
    "start": date(2025, 2, 1),
    "status": "On track",
}
"""An initiative row as an office types it on the Initiatives sheet."""


def type_in(
    path: Path, role: SheetRole, rows: Mapping[int, Cells], out: Path | None = None
) -> Path:
    """Write `rows` (0-based data row -> cells) into the sheet playing `role`."""
    wb = openpyxl.load_workbook(path)
    ws = sheet_by_role(wb, role)
    cols = columns(ws, tuple(c.key for c in _columns(role)))
    for index, cells in rows.items():
        for key, value in cells.items():
            typed(ws.cell(layout.FIRST_DATA_ROW + index, cols[key]), value)
    out = out or path
    wb.save(out)
    return out


def overview(path: Path, plan: Plan, texts: Mapping[str, str], lang: str = "en") -> Path:
    """Write each heading's text (heading id -> text) beside the heading's label."""
    wb = openpyxl.load_workbook(path)
    ws = sheet_by_role(wb, SheetRole.OVERVIEW)
    labels = {h.label(lang): h.id for h in overview_headings(plan)}
    for row in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        heading = labels.get(ws.cell(row, 1).value)
        if heading in texts:
            typed(ws.cell(row, 2), texts[heading])
    wb.save(path)
    return path


def initiative(**changes: object) -> Initiative:
    """An initiative as a recorded return holds it (the first row of its sheet, on track since
    February 2025), with `changes`."""
    fields: dict[str, object] = {
        "sheet": "Initiatives",
        "row": 4,
        "ref": "I1",
        "title": "Legal aid",
        "action_point": "OPS",
        "actors": "NGOs",
        "start": date(2025, 2, 1),
        "status": Status.ON_TRACK,
    }
    return Initiative.model_validate(fields | changes)


def typed(cell, value: object) -> None:
    """`value` as an office types it: text starting with '=' stays text, as after a quote."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def header(lang: str, key: str) -> str:
    return t(lang, f"column.{key}")


def _columns(role: SheetRole) -> tuple[Column, ...]:
    return {
        SheetRole.OVERVIEW: layout.OVERVIEW_COLUMNS,
        SheetRole.INITIATIVES: layout.INITIATIVE_COLUMNS,
        SheetRole.GOOD_PRACTICES: layout.GOOD_PRACTICE_COLUMNS,
    }[role]
