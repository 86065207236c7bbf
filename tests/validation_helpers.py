"""Returned workbooks for validation tests: generate a real matrix, then fill it in with openpyxl
the way an office would (or would not)."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.metadata import matrix_role
from matrix.generate import generate
from matrix.i18n import status_label, t
from matrix.models.plan import Plan, Status
from matrix.models.returns import Earlier, ProgressRecord
from matrix.plan import load_plan, split_ref
from matrix.validation import validate_file
from matrix.validation.structure import header_lookup, normalise_header

Fill = Mapping[str, Mapping[str, object]]
"""ref -> {column key: value}."""


def make_matrix(
    out_dir: Path,
    plan_file: Path,
    *,
    lang: str = "en",
    regional: bool = False,
    country: str | None = None,
) -> tuple[Plan, Path]:
    plan = load_plan(plan_file)
    countries = None if regional else [country or plan.countries[0]]
    [path] = generate(
        plan,
        plan.reporting.first_period,
        countries=countries,
        regional=regional,
        lang=lang,
        out_dir=out_dir,
        force=True,
    )
    return plan, path


def columns(ws: Worksheet, keys: tuple[str, ...] | None = None) -> dict[str, int]:
    """column key -> 1-based column, by header text in any language (as the reader does)."""
    lookup = header_lookup(keys or tuple(c.key for c in layout.MATRIX_COLUMNS), "en")
    return {
        lookup[normalise_header(c.value)]: c.column
        for c in ws[layout.HEADER_ROW]
        if isinstance(c.value, str) and normalise_header(c.value) in lookup
    }


def ref_rows(ws: Worksheet) -> dict[str, int]:
    ref_col = columns(ws)["ref"]
    return {
        ws.cell(r, ref_col).value: r
        for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1)
        if ws.cell(r, ref_col).value
    }


def sheet_by_role(wb: openpyxl.Workbook, role: str) -> Worksheet:
    """The sheet with `role` in the role map of the hidden metadata."""
    for row in wb[layout.META_SHEET].iter_rows(values_only=True):
        if row[0] == "sheet" and row[1] == role:
            return wb[row[2]]
    raise KeyError(role)


def sheet_of(wb: openpyxl.Workbook, office: str) -> Worksheet:
    """The matrix sheet of `office`."""
    return sheet_by_role(wb, matrix_role(office))


def new_activities_sheet(wb: openpyxl.Workbook) -> Worksheet:
    return sheet_by_role(wb, layout.SheetRole.NEW_ACTIVITIES)


def fill(path: Path, values: Fill, *, office: str | None = None, out: Path | None = None) -> Path:
    """Write `values` into the matrix sheet of `office` (default: the workbook's only or first
    one)."""
    wb = openpyxl.load_workbook(path)
    ws = sheet_of(wb, office) if office else wb[wb.sheetnames[1]]
    cols, rows = columns(ws), ref_rows(ws)
    for ref, cells in values.items():
        for key, value in cells.items():
            ws.cell(rows[ref], cols[key]).value = value
    out = out or path
    wb.save(out)
    return out


def good_values(plan: Plan, ws_refs: list[str], lang: str = "en") -> dict[str, dict[str, object]]:
    """A correct return: every row on track at half its target, with a comment."""
    activities = {a.id: a for _, a in plan.activities()}
    values: dict[str, dict[str, object]] = {}
    for ref in ws_refs:
        activity_id, index = split_ref(ref)
        indicators = activities[activity_id].indicators
        target = indicators[index].target if indicators else None
        values[ref] = {
            "status": status_label(Status.ON_TRACK, lang),
            "comments": "Progress as planned",
            "actual": (target or 0) // 2 if indicators else None,
        }
    return values


def fill_good(path: Path, plan: Plan, *, lang: str = "en", office: str | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = sheet_of(wb, office) if office else wb[wb.sheetnames[1]]
    return fill(path, good_values(plan, list(ref_rows(ws)), lang), office=office)


def issues_of(plan: Plan, path: Path, **kwargs) -> set[tuple[str, str | None, str | None]]:
    return {(i.code, i.sheet, i.cell) for i in validate_file(plan, path, **kwargs).issues}


def header(lang: str, key: str) -> str:
    return t(lang, f"column.{key}")


def rewrite(
    src: Path,
    dst: Path,
    *,
    replace: dict[str, tuple[bytes, bytes]] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A copy of a zip with some parts' bytes replaced and parts added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if replace and info.filename in replace:
                old, new = replace[info.filename]
                assert old in data, (info.filename, old)
                data = data.replace(old, new)
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


SHEET = "xl/worksheets/sheet1.xml"


def edit_metadata(
    path: Path,
    values: Mapping[str, str] | None = None,
    *,
    replace: tuple[str, str] | None = None,
    drop: frozenset[str] = frozenset(),
) -> Path:
    """Edit the hidden metadata sheet as a hostile office would, in place: set the value of
    identity rows (`values`, by key), replace text in every cell, delete the rows whose key is in
    `drop`."""
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.META_SHEET]
    for row in ws.iter_rows():
        if row[0].value in (values or {}):
            row[1].value = values[row[0].value]
        for cell in row:
            if replace and isinstance(cell.value, str):
                cell.value = cell.value.replace(*replace)
    for index in reversed([r[0].row for r in ws.iter_rows() if r[0].value in drop]):
        ws.delete_rows(index)
    wb.save(path)
    return path


def earlier(
    totals: Mapping[tuple[str, str], float], *, period: str = "2026-06", status: str = "on_track"
) -> dict[tuple[str, str], Earlier]:
    """A store's history (`Store.earlier`) of these rows: each accepted for `period` with `status`
    and this total to date."""
    return {
        key: Earlier(period, ProgressRecord(*key, status, total, None, "earlier", "", ""), total)
        for key, total in totals.items()
    }
