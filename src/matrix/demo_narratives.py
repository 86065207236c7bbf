"""What the demo's offices write besides their figures (`demo_data/narratives.yaml`): an overview
of the period, their stock-take of initiatives outside the plan and two good practices, typed into
their workbooks as an office would, in the workbook's language where the sheet offers a list."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.layout import Column, SheetRole
from matrix.excel.metadata import Metadata
from matrix.i18n import localised_action_point_label, status_label, t
from matrix.models.plan import Plan, Status
from matrix.overview import overview_headings
from matrix.plan import plan_index

RESOURCE = "demo_data/narratives.yaml"


@cache
def demo_narratives() -> dict[str, Any]:
    """office -> period -> {overview, initiatives, good_practices}, as the file writes them."""
    text = files("matrix").joinpath(RESOURCE).read_text(encoding="utf-8")
    return yaml.safe_load(text)["offices"]


def write_narratives(wb: Workbook, meta: Metadata, plan: Plan, office: str, period: str) -> None:
    """Type what `office` writes for `period` into the workbook's narrative sheets."""
    entry = demo_narratives().get(office, {}).get(period)
    if entry is None:
        return
    lang = meta.identity.lang
    sheets = {
        role: wb[meta.sheets[role]]
        for role in map(str, layout.NARRATIVE_SHEETS)
        if role in meta.sheets
    }
    if (ws := sheets.get(SheetRole.OVERVIEW)) is not None:
        _overview(ws, plan, lang, entry["overview"])
    if (ws := sheets.get(SheetRole.INITIATIVES)) is not None:
        _initiatives(ws, plan, lang, entry["initiatives"])
    if (ws := sheets.get(SheetRole.GOOD_PRACTICES)) is not None:
        _good_practices(ws, plan, lang, entry.get("good_practices", []))


def _overview(ws: Worksheet, plan: Plan, lang: str, texts: dict[str, str]) -> None:
    columns = header_columns(ws, lang, layout.OVERVIEW_COLUMNS)
    rows = {
        ws.cell(r, columns["heading"]).value: r
        for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1)
    }
    for heading in overview_headings(plan):
        if heading.id in texts and heading.label(lang) in rows:
            ws.cell(rows[heading.label(lang)], columns["summary"]).value = texts[heading.id]


def _initiatives(ws: Worksheet, plan: Plan, lang: str, initiatives: list[dict[str, Any]]) -> None:
    columns = header_columns(ws, lang, layout.INITIATIVE_COLUMNS)
    rows = {
        ws.cell(r, columns["ref"]).value: r for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1)
    }
    framework = plan_index(plan).framework
    for item in initiatives:
        ap = framework.action_point(item["action_point"])
        values = {
            "initiative": item["title"],
            "action_point": localised_action_point_label(framework, ap, lang)
            if ap
            else item["action_point"],
            "actors": ", ".join(item["actors"]),
            "start": item["start"],
            "end": item["end"],
            "status": status_label(Status(item["status"]), lang),
        }
        for key, value in values.items():
            ws.cell(rows[item["ref"]], columns[key]).value = value


def _good_practices(ws: Worksheet, plan: Plan, lang: str, practices: list[dict[str, Any]]) -> None:
    columns = header_columns(ws, lang, layout.GOOD_PRACTICE_COLUMNS)
    titles = {activity.id: activity.title for _, activity in plan.activities()}
    for row, practice in enumerate(practices, layout.FIRST_DATA_ROW):
        subject = practice.get("activity") or practice["initiative"]
        links = [f"{link['title']}: {link['url']}" for link in practice["further_information"]]
        values = {
            "subject": layout.subject_label(subject, titles.get(subject)),
            "practice": practice["title"],
            "background": practice["background"],
            "practice_actors": "\n".join(practice["actors"]),
            "actions": "\n".join(practice["actions"]),
            "review": practice["review"],
            "further_information": "\n".join(links),
        }
        for key, value in values.items():
            ws.cell(row, columns[key]).value = value


def header_columns(ws: Worksheet, lang: str, columns: tuple[Column, ...]) -> dict[str, int]:
    """Column key -> 1-based column number, found by header text as the reader does."""
    by_header = {t(lang, c.header_key): c.key for c in columns}
    return {
        by_header[cell.value]: cell.column
        for cell in ws[layout.HEADER_ROW]
        if isinstance(cell.value, str) and cell.value in by_header
    }
