"""Generated workbooks saved again by LibreOffice Calc keep their values, drop-downs, protection and
metadata, so an office working in Calc sends back a file `matrix validate` can still read.

Known Calc changes we tolerate: veryHidden becomes hidden, list formulas lose their '=' and
needless quotes, and a headless conversion (no view) drops frozen panes.
"""

from __future__ import annotations

import pytest

from checkout import DAR, SUDAN, require_tool
from libreoffice_helpers import saved_by_calc
from matrix.excel import layout
from matrix.excel.layout import DROP_DOWNS, Kind, SheetRole
from matrix.excel.metadata import matrix_role
from matrix.excel.writer import write_workbook
from matrix.i18n import status_label
from matrix.models.plan import Status
from matrix.periods import Period
from matrix.plan import load_plan
from workbook_helpers import (
    data_rows,
    header_columns,
    locked_fingerprint,
    metadata,
    open_workbook,
    sudan_prefill,
)

CASES = {
    "SDN_en": (SUDAN, "SDN", "2026-07", "en", False),
    "SDN_ar": (SUDAN, "SDN", "2026-07", "ar", False),
    "EHAGL_fr": (DAR, "EHAGL", "2026-Q3", "fr", True),
}
PREFILL = sudan_prefill(Status.ON_TRACK, actual=4, comments="Minutes on file")


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """case -> (plan, lang, workbook as generated, workbook as saved by LibreOffice)."""
    require_tool("soffice")  # before building anything
    src = tmp_path_factory.mktemp("generated")
    plans, files = {}, []
    for case, (plan_file, office, period, lang, regional) in CASES.items():
        plan = plans.setdefault(plan_file, load_plan(plan_file))
        path = src / f"{case}.xlsx"
        write_workbook(
            plan,
            office,
            Period.parse(period),
            lang,
            path,
            regional=regional,
            prefill=PREFILL,
        )
        files.append(path)
    out = saved_by_calc(files, tmp_path_factory)
    return {
        case: (
            plans[plan_file],
            lang,
            open_workbook(src / f"{case}.xlsx"),
            open_workbook(out / f"{case}.xlsx"),
        )
        for case, (plan_file, _, _, lang, _) in CASES.items()
    }


@pytest.mark.parametrize("case", CASES)
def test_metadata_survives(round_trip, case):
    _, _, before, after = round_trip[case]
    assert metadata(after).identity == metadata(before).identity
    assert metadata(after).sheets == metadata(before).sheets
    assert metadata(after).fingerprints == metadata(before).fingerprints
    assert after[layout.META_SHEET].sheet_state in ("hidden", "veryHidden")
    assert after[metadata(after).sheets[SheetRole.LISTS]].sheet_state == "hidden"


@pytest.mark.parametrize("case", CASES)
def test_values_and_fingerprints_survive(round_trip, case):
    plan, lang, before, after = round_trip[case]
    meta = metadata(after)
    for office, name in meta.matrix_sheets().items():
        rows_before, rows_after = (
            data_rows(before[name], lang, plan),
            data_rows(after[name], lang, plan),
        )
        assert rows_after.keys() == rows_before.keys()
        for ref, row in rows_after.items():
            assert meta.fingerprints[f"matrix:{office}", ref] == locked_fingerprint(row), (
                name,
                ref,
            )
            assert {k: v for k, v in row.items() if k != "percent"} == {
                k: v for k, v in rows_before[ref].items() if k != "percent"
            }
    if "matrix:SDN" in meta.sheets:
        row = data_rows(after[meta.sheets["matrix:SDN"]], lang, plan)["AP1-1"]
        assert (row["status"], row["actual"], row["comments"]) == (
            status_label(Status.ON_TRACK, lang),
            4,
            "Minutes on file",
        )


@pytest.mark.parametrize("case", CASES)
def test_drop_downs_validations_and_protection_survive(round_trip, case):
    plan, lang, before, after = round_trip[case]
    lists = metadata(after).sheets[SheetRole.LISTS]
    for role, name in metadata(after).sheets.items():
        if role.startswith(matrix_role("")) or role == SheetRole.NEW_ACTIVITIES:
            ws_before, ws_after = before[name], after[name]
            assert ws_after.protection.sheet
            assert _validations(ws_after, lists) == _validations(ws_before, lists), name
            assert [c.value for c in ws_after[layout.HEADER_ROW]] == [
                c.value for c in ws_before[layout.HEADER_ROW]
            ]
    ws = after[next(iter(metadata(after).matrix_sheets().values()))]
    cols = header_columns(ws, lang, layout.matrix_columns(plan))
    row = next(iter(data_rows(ws, lang, plan).values()))["_row"]
    assert ws.cell(row, cols["status"]).protection.locked is False
    assert ws.cell(row, cols["ref"]).protection.locked is True
    column = DROP_DOWNS[Kind.STATUS].list_column + 1
    labels = [after[lists].cell(r, column).value for r in range(1, len(Status) + 1)]
    assert labels == [status_label(s, lang) for s in Status]
    assert bool(ws.sheet_view.rightToLeft) is (lang == "ar")
    rules = [rule.formula for cf in ws.conditional_formatting for rule in cf.rules]
    assert rules == [[f'"{label}"'] for label in labels]


def _validations(ws, lists_sheet: str) -> set[tuple]:
    """What a validation means, written the way either application writes it (Calc spells out the
    default operator 'between' and adds a second formula where none is used)."""

    def formula(text):
        text = (text or "").lstrip("=")
        return text.replace(f"'{lists_sheet}'!", f"{lists_sheet}!")

    return {
        (
            dv.type,
            " ".join(sorted(str(r) for r in dv.sqref.ranges)),
            formula(dv.formula1),
            dv.formula2 if dv.type == "date" else None,
            dv.operator or "between",
            dv.errorStyle or "stop",
        )
        for dv in ws.data_validations.dataValidation
    }
