"""The format factory: every cell format a matrix workbook uses, created once per workbook.

xlsxwriter numbers formats in the order they are created, so creating them all here, in one
order, keeps the files the same from run to run; cells then only pick one.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from matrix.excel.layout import Column, Kind
from matrix.models.plan import Status

# Input cells yellow, plan cells grey: "fill in the yellow columns" is all anyone needs to know.
INPUT_FILL = "#FFF2CC"
LOCKED_FILL = "#F2F2F2"
HEADER_FILL = "#1F4E79"
BAND_FILL = "#D9E1F2"
BORDER_COLOUR = "#BFBFBF"
STATUS_COLOURS = {
    Status.NOT_STARTED: ("#EDEDED", "#404040"),
    Status.ON_TRACK: ("#C6EFCE", "#006100"),
    Status.DELAYED: ("#FFEB9C", "#7F6000"),
    Status.COMPLETED: ("#BDD7EE", "#1F3864"),
    Status.CANCELLED: ("#D9D9D9", "#595959"),
}
MONEY_KEYS = frozenset({"budget", "funds_secured"})
DATE_FORMAT = "yyyy-mm-dd"  # unambiguous in every language the workbook may be in
NUMBER_FORMATS = {Kind.NUMBER: "General", Kind.DATE: DATE_FORMAT, Kind.PERCENT: "0%"}


@dataclass(frozen=True)
class Formats:
    title: Format
    subtitle: Format
    header: Format
    band: Format
    """An action point's heading row in a matrix sheet."""
    label: Format
    text: Format
    date: Format
    warning: Format
    small: Format
    heading: Format
    """A locked row label in a table (an overview heading)."""
    hint: Format
    """A locked explanation beside an input cell."""
    cells: dict[tuple[bool, str], Format]
    """(locked, column kind or 'money') -> a table cell: grey and locked, or yellow for input."""
    status: dict[Status, Format]
    """A status cell's colours, applied by conditional formatting as the office picks a status."""
    legend: dict[Status, Format]
    """A status in the instructions' legend."""

    def cell(self, column: Column) -> Format:
        kind = "money" if column.key in MONEY_KEYS else column.kind
        return self.cells[column.locked, kind]


def make_formats(wb: Workbook) -> Formats:
    add = wb.add_format
    border = {"border": 1, "border_color": BORDER_COLOUR, "valign": "top", "text_wrap": True}
    named = {
        "title": add(
            {
                "bold": True,
                "font_size": 14,
                "font_color": HEADER_FILL,
                "text_wrap": True,
                "valign": "top",
            }
        ),
        "subtitle": add(
            {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}
        ),
        "header": add(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": HEADER_FILL,
                "text_wrap": True,
                "valign": "vcenter",
                "border": 1,
                "border_color": BORDER_COLOUR,
            }
        ),
        "band": add(
            {"bold": True, "bg_color": BAND_FILL, "border": 1, "border_color": BORDER_COLOUR}
        ),
        "label": add({"bold": True, "valign": "top"}),
        "text": add({"text_wrap": True, "valign": "top"}),
        "date": add({"num_format": DATE_FORMAT, "valign": "top", "align": "left"}),
        "warning": add({"bold": True, "text_wrap": True, "valign": "top", "font_color": "#9C0006"}),
        "small": add({"italic": True, "font_size": 9, "font_color": "#7F7F7F", "text_wrap": True}),
        "heading": add({**border, "bold": True, "bg_color": LOCKED_FILL, "locked": True}),
        "hint": add(
            {
                **border,
                "italic": True,
                "font_color": "#595959",
                "bg_color": LOCKED_FILL,
                "locked": True,
            }
        ),
    }
    cells: dict[tuple[bool, str], Format] = {}
    for locked, fill in ((True, LOCKED_FILL), (False, INPUT_FILL)):
        base = {**border, "bg_color": fill, "locked": locked}
        for kind in Kind:
            cells[locked, kind] = add({**base, "num_format": NUMBER_FORMATS.get(kind, "General")})
        cells[locked, "money"] = add({**base, "num_format": "#,##0"})
    status, legend = {}, {}
    for state, (fill, font) in STATUS_COLOURS.items():
        status[state] = add({"bg_color": fill, "font_color": font})
        legend[state] = add({"bg_color": fill, "font_color": font, "bold": True, "valign": "top"})
    return Formats(**named, cells=cells, status=status, legend=legend)
