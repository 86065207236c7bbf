"""Plan workbooks for tests: exported by matrix, then edited as a coordinator would (openpyxl
standing in for Excel), cells found by their header and the id of their row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from checkout import SUDAN
from matrix.i18n import t
from matrix.models.plan import (
    ActionPoint,
    Activity,
    Actor,
    ActorType,
    Framework,
    Guidance,
    Iati,
    IatiOrganisation,
    Indicator,
    Objective,
    Plan,
    PlanGuidance,
)
from matrix.plan import load_plan
from matrix.plan.workbook.layout import HEADER_ROW
from matrix.plan.workbook.writer import write_plan_workbook


def rich_plan() -> Plan:
    """The Sudan example with what coordinators rarely edit: its own framework with guidance in
    two languages, the plan's own guidance and overview headings, the IATI block, actors' IATI
    fields, an action point by number, text on
    several lines and with spaces around it, an activity in no country, an indicator with an id,
    a date before 1900 and numbers a spreadsheet would round."""
    framework = Framework(
        id="own",
        title="Our own framework",
        action_points=[
            ActionPoint(
                number=1,
                id="P1",
                title="Protect",
                description="First\nsecond line",
                guidance=Guidance(
                    stakeholders={"en": ["Train staff"], "fr": ["Former le personnel"]}
                ),
            ),
            ActionPoint(number=2, id="P2", title="Include"),
        ],
    )
    return load_plan(SUDAN).model_copy(
        update={
            "framework": framework,
            "iati": Iati(
                reporting_org=IatiOrganisation(ref="XM-DAC-41121", type="40", name="UNHCR"),
                default_language="fr",
            ),
            "guidance": {"P1": PlanGuidance(unhcr_support={"en": ["Help desk"]}, replace=True)},
            "actors": [
                Actor(
                    id="UNHCR",
                    name="UNHCR",
                    type=ActorType.UN_AGENCY,
                    iati_ref="XM-DAC-41121",
                    iati_type="40",
                )
            ],
            "objectives": [
                Objective(
                    id="O1",
                    action_point=2,
                    title="Inclusion",
                    activities=[
                        Activity(
                            id="A-1",
                            title="Nowhere yet",
                            description="  indented\n\tand tabbed",
                            countries=[],
                            lead="UNHCR",
                            start=date(1899, 12, 31),
                            end=date(2031, 1, 1),
                            budget=1e-30,
                            indicators=[
                                Indicator(
                                    id="done",
                                    name="Done",
                                    unit="%",
                                    baseline=0.5,
                                    target=0.1 + 0.2,
                                )
                            ],
                        ),
                    ],
                )
            ],
        }
    )


def export(plan: Plan, path: Path, lang: str = "en") -> Path:
    with path.open("wb") as out:
        write_plan_workbook(plan, out, lang)
    return path


def edit(
    path: Path, change: Callable[[openpyxl.Workbook], object], out: Path | None = None
) -> Path:
    """`path` opened, changed and saved (to `out`, or in place)."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(out or path)
    return out or path


def sheet(wb: openpyxl.Workbook, role: str, lang: str = "en") -> Worksheet:
    return wb[t(lang, f"plan_workbook.sheet.{role}")]


def column(ws: Worksheet, role: str, key: str, lang: str = "en") -> int:
    """The 1-based column whose header is the label of field `key`."""
    label = t(lang, f"plan_workbook.column.{role}.{key}")
    for cell in ws[HEADER_ROW]:
        if cell.value == label:
            return cell.column
    raise KeyError(label)


def row_of(ws: Worksheet, ident: str, at: int = 1) -> int:
    """The first row whose column `at` holds `ident`."""
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=at, max_col=at):
        if row[0].value == ident:
            return row[0].row
    raise KeyError(ident)


def cell(wb: openpyxl.Workbook, role: str, ident: str, key: str, lang: str = "en") -> Cell:
    """The cell of field `key` in the row of `ident` on the sheet of `role`, in a workbook
    exported in `lang`."""
    ws = sheet(wb, role, lang)
    return ws.cell(row_of(ws, ident), column(ws, role, key, lang))


def setting(wb: openpyxl.Workbook, key: str) -> Cell:
    """The Value cell of a setting on the Plan sheet."""
    ws = sheet(wb, "plan")
    return ws.cell(row_of(ws, key), 3)


def append_row(wb: openpyxl.Workbook, role: str, values: dict[str, object]) -> int:
    """A new row under the last one, field -> value; returns its number."""
    ws = sheet(wb, role)
    row = ws.max_row + 1
    for key, value in values.items():
        ws.cell(row, column(ws, role, key), value)
    return row


def drop_downs(path: Path) -> dict[tuple[str, str], str]:
    """(sheet, field's header or setting's key) -> the sheet its list's choices come from."""
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for validation in ws.data_validations.dataValidation:
            if validation.type != "list":
                continue
            first = str(validation.sqref).split()[0].split(":")[0]
            row, col = openpyxl.utils.cell.coordinate_to_tuple(first)
            name = (
                ws.cell(row, 1).value
                if ws.title == t("en", "plan_workbook.sheet.plan")
                else ws.cell(HEADER_ROW, col).value
            )
            found[ws.title, name] = validation.formula1.lstrip("=").split("!")[0].strip("'")
    return found
