"""Reading generated workbooks back in tests: openpyxl in normal mode, columns found by header
text."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.metadata import Metadata, parse_metadata
from matrix.i18n import t
from matrix.models.plan import Plan, Status
from matrix.models.returns import ProgressRow


def open_workbook(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def metadata(wb: openpyxl.Workbook) -> Metadata:
    ws = wb[layout.META_SHEET]
    return parse_metadata([list(row) for row in ws.iter_rows(values_only=True)])


def header_columns(ws: Worksheet, lang: str, columns: tuple[layout.Column, ...]) -> dict[str, int]:
    """column key -> 1-based column index, found by the header text in `lang`."""
    headers = [c.value for c in ws[layout.HEADER_ROW]]
    return {
        c.key: headers.index(t(lang, c.header_key)) + 1
        for c in columns
        if t(lang, c.header_key) in headers
    }


def data_rows(ws: Worksheet, lang: str, plan: Plan) -> dict[str, dict[str, object]]:
    """ref -> {column key: value} for every plan row (heading rows have no ref)."""
    cols = header_columns(ws, lang, layout.matrix_columns(plan))
    rows = {}
    for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        ref = ws.cell(r, cols["ref"]).value
        if ref:
            rows[ref] = {key: ws.cell(r, c).value for key, c in cols.items()} | {"_row": r}
    return rows


def locked_fingerprint(row: dict[str, object]) -> str:
    return layout.fingerprint({k: v for k, v in row.items() if k in layout.LOCKED_KEYS})


def sudan_prefill(status: Status, **values: object) -> dict[tuple[str, str], ProgressRow]:
    """`prefill=` for a Sudan matrix: its first row (AP1-1) as the office's last return left it."""
    row = ProgressRow.model_validate(
        {
            "country": "SDN",
            "activity_id": "AP1-1",
            "indicator_index": 0,
            "ref": "AP1-1",
            "sheet": "Matrix",
            "row": 5,
            "status": status,
            **values,
        }
    )
    return {("SDN", "AP1-1"): row}
