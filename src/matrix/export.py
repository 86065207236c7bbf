"""The consolidated dataset: one row per country × activity indicator × period, plan fields and
reported progress side by side, as xlsx, csv, json (described by a published JSON Schema, see
`matrix.export_schema`), HXL, or an IATI activity file (`matrix.iati`).

Text a spreadsheet would run as a formula (starting with = + - @, tab or CR) is neutralised: a
leading apostrophe in csv and HXL, Excel's own quote prefix (the hidden apostrophe) in xlsx, where
it is also written as a string.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import IO, Any

from matrix._version import __version__
from matrix.errors import MatrixError
from matrix.excel.addresses import sheet_name
from matrix.export_tables import TABLES, ExportColumn, Row, flat, table_rows
from matrix.export_totals import (
    REGIONAL_COLUMNS,
    SEMANTICS_COLUMNS,
    regional_rows,
    semantics_cells,
)
from matrix.files import Inputs, Target, write_file
from matrix.i18n import action_point_title, t
from matrix.models.plan import PeriodRule, Plan, ValueKind, in_language
from matrix.periods import Period, due_date, parse_for_plan, periods_between
from matrix.plan import plan_index
from matrix.semantics import number_date
from matrix.status import office_return
from matrix.store import Store, Submission

FORMATS = ("xlsx", "csv", "json", "hxl", "iati")
JSON_SCHEMA_VERSION = 3
"""Version of the JSON export's layout (`docs/export-json.schema.json`); raised on any change."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REGIONAL_TABLE = "regional"
"""`--table regional`: the regional figure of every country indicator (`export_totals`)."""
REGIONAL_SHEET = "Regional figures"


COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("period", "#date+period", width=9),
    ExportColumn("country", "#country+code", width=8),
    ExportColumn("country_name", "#country+name", width=16),
    ExportColumn("action_point", "#sector+code", width=8),
    ExportColumn("action_point_title", "#sector+name", width=28),
    ExportColumn("objective", "#subsector+code", width=9),
    ExportColumn("objective_title", "#subsector+name", width=30),
    ExportColumn("activity", "#activity+code", width=10),
    ExportColumn("activity_title", "#activity+name", width=40),
    ExportColumn("ref", "#indicator+code", width=10),
    ExportColumn("lead", "#org+lead", width=10),
    ExportColumn("partners", "#org+partner", width=18),
    ExportColumn("indicator", "#indicator+name", width=30),
    ExportColumn("unit", "#indicator+unit", width=10),
    ExportColumn("cumulative", "#indicator+cumulative", width=10),
    *SEMANTICS_COLUMNS,
    ExportColumn("baseline", "#indicator+baseline+num", "number", 9),
    ExportColumn("target", "#targeted+num", "number", 9),
    ExportColumn("start", "#date+start", "date", 11),
    ExportColumn("end", "#date+end", "date", 11),
    ExportColumn("budget", "#value+budget", "money", 12),
    ExportColumn("currency", "#currency", width=8),
    ExportColumn("status", "#status", width=12),
    ExportColumn("actual", "#reached+num", "number", 9),
    ExportColumn("actual_date", "#date+reached", "date", 11),
    ExportColumn("percent_of_target", "#indicator+pct", "percent", 9),
    ExportColumn("funds_secured", "#value+funding", "money", 12),
    ExportColumn("comments", "#meta+comments", width=40),
    ExportColumn("next_steps", "#meta+next_steps", width=30),
    ExportColumn("support_needed", "#meta+support_needed", width=30),
    ExportColumn("reported", "#date+reported", "datetime", 16),
    ExportColumn("source_file", "#meta+source", width=24),
    ExportColumn("return_state", "#status+return", width=10),
    ExportColumn("days_late", "#indicator+days_late+num", "number", 8),
)


def dataset(
    plan: Plan, store: Store, period: str | Period | None = None, lang: str | None = None
) -> list[Row]:
    """Every expected row for `period` (every period up to the latest collected when None), with
    the progress that counts for it; rows nobody reported have empty progress fields. Names and
    titles are in `lang` (default: the plan's language) where the plan or the framework translates
    them; codes (ids, statuses) stay codes."""
    return _rows(plan, store, _periods(plan, store, period), lang)


def _rows(plan: Plan, store: Store, periods: list[str], lang: str | None = None) -> list[Row]:
    lang = lang or plan.language
    index = plan_index(plan)
    one = periods[0] if len(periods) == 1 else None  # one period: only its rows are read
    counted = store.current_rows(plan, period=one)
    progress = {(s.period, s.row.country, s.row.ref): s for s in counted}
    submissions: dict[str | None, list[Submission]] = {}
    for submission in store.submissions(plan):
        submissions.setdefault(submission.period, []).append(submission)
    rows = []
    for period_ in periods:
        due = due_date(plan.reporting, Period.parse(period_))
        for office in index.offices:
            returned = office_return(office, submissions.get(period_, []), due)
            for planned in index.office_rows(office):
                activity, indicator = planned.activity, planned.indicator
                ap = index.action_point[activity.id]
                stored = progress.get((period_, office, planned.ref))
                reported = stored.row if stored else None
                target = indicator.target if indicator else None
                actual = reported.actual if reported else None
                dated = planned.kind is ValueKind.DATE and actual is not None
                rows.append(
                    {
                        "period": period_,
                        "country": office,
                        "country_name": index.office_name(office, lang),
                        "action_point": ap.id if ap else str(planned.objective.action_point),
                        "action_point_title": action_point_title(
                            index.framework.id, ap.id, ap.title, lang
                        )
                        if ap
                        else "",
                        "objective": planned.objective.id,
                        "objective_title": in_language(planned.objective.title, lang),
                        "activity": activity.id,
                        "activity_title": in_language(activity.title, lang),
                        "ref": planned.ref,
                        "lead": activity.lead or "",
                        "partners": ", ".join(activity.partners),
                        "indicator": in_language(indicator.name, lang) if indicator else "",
                        "unit": in_language(indicator.unit, lang)
                        if indicator and indicator.unit
                        else "",
                        "cumulative": ("yes" if indicator.is_total_to_date else "no")
                        if indicator
                        else "",
                        **semantics_cells(indicator),
                        "baseline": indicator.baseline if indicator else None,
                        "target": target,
                        "start": activity.start,
                        "end": activity.end,
                        "budget": activity.budget,
                        "currency": (activity.currency or plan.currency)
                        if activity.budget is not None
                        else "",
                        "status": (reported.status or "") if reported else "",
                        "actual": None if dated else actual,
                        "actual_date": number_date(actual)
                        if dated and actual is not None
                        else None,
                        "percent_of_target": round(actual / target, 4)
                        if actual is not None and target
                        else None,
                        "funds_secured": reported.funds_secured if reported else None,
                        "comments": reported.comments if reported else "",
                        "next_steps": reported.next_steps if reported else "",
                        "support_needed": reported.support_needed if reported else "",
                        "reported": stored.received_at if stored else None,
                        "source_file": stored.file_name if stored else "",
                        "return_state": returned.state.value,
                        "days_late": returned.days_late,
                    }
                )
    return rows


def _periods(plan: Plan, store: Store, period: str | Period | None) -> list[str]:
    if period is not None:
        return [parse_for_plan(plan.reporting, period).id]
    collected = store.periods(plan)
    if not collected:
        raise MatrixError("error.nothing_collected", plan=plan.id)
    first = Period.parse(plan.reporting.first_period)
    return [p.id for p in periods_between(first, Period.parse(collected[-1]))]


def regional(
    plan: Plan,
    store: Store,
    periods: list[str],
    rows: list[Row] | None = None,
    lang: str | None = None,
) -> list[Row]:
    """The regional figures of `periods`, from every period's rows up to the last of them
    (`rows` when they are those, else read again)."""
    if not periods:
        return []
    first, last = Period.parse(plan.reporting.first_period), Period.parse(periods[-1])
    needed = [p.id for p in periods_between(first, last)]
    if rows is None or list(dict.fromkeys(row["period"] for row in rows)) != needed:
        rows = _rows(plan, store, needed, lang)
    return regional_rows(plan, rows, periods)


def export(
    plan: Plan,
    store: Store,
    period: str | Period | None,
    fmt: str,
    out_path: Target,
    *,
    table: str = "rows",
    inputs: Inputs | None = None,
    lang: str | None = None,
) -> int:
    """Write the dataset to `out_path`, its texts in `lang` (default: the plan's language); returns
    the number of rows (of `table`: a csv or hxl file holds one table, the dataset's rows or one of
    `export_tables.TABLES`). Refuses to write over the store or any of `inputs` (the plan)."""
    lang = lang or plan.language
    if fmt not in FORMATS:
        raise MatrixError("error.unknown_format", format=fmt, formats=list(FORMATS))
    if table not in ("rows", REGIONAL_TABLE) and table not in TABLES:
        raise MatrixError(
            "error.unknown_table", table=table, tables=["rows", REGIONAL_TABLE, *TABLES]
        )
    if table != "rows" and fmt not in ("csv", "hxl"):
        raise MatrixError("error.table_format", format=fmt)
    inputs = inputs or Inputs()
    if store.path is not None:
        inputs.add_store(store.path)
    inputs.refuse(out_path)
    with store.reading():  # one state of the store, whatever collects run meanwhile
        if table != "rows":
            periods = _periods(plan, store, period)
            if table == REGIONAL_TABLE:
                columns, extra = REGIONAL_COLUMNS, regional(plan, store, periods, lang=lang)
            else:
                columns, extra = TABLES[table], table_rows(plan, store, periods, table)
            write = _write_hxl_table if fmt == "hxl" else _write_csv_table
            encoding = "utf-8" if fmt == "hxl" else "utf-8-sig"
            write_file(
                out_path,
                lambda out: write(out, columns, extra),
                encoding=encoding,
                newline="",
                inputs=inputs,
            )
            return len(extra)
        rows = dataset(plan, store, period, lang)
        if fmt == "xlsx":
            write_file(
                out_path, lambda out: _write_xlsx(out, plan, store, rows, lang), inputs=inputs
            )
        elif fmt == "iati":
            from matrix.iati import activities_xml

            document = activities_xml(
                plan, rows
            )  # checked against the IATI schema before a byte is written
            write_file(out_path, lambda out: out.write(document), inputs=inputs)
        elif fmt == "json":
            write_file(
                out_path,
                lambda out: _write_json(out, plan, store, rows, lang),
                encoding="utf-8",
                inputs=inputs,
            )
        elif fmt == "hxl":
            write_file(
                out_path,
                lambda out: _write_hxl(out, rows),
                encoding="utf-8",
                newline="",
                inputs=inputs,
            )
        else:
            # utf-8-sig: Excel reads a BOM-marked CSV as UTF-8: Arabic or French names stay intact
            write_file(
                out_path,
                lambda out: _write_csv(out, rows),
                encoding="utf-8-sig",
                newline="",
                inputs=inputs,
            )
    return len(rows)


def neutralise(text: str) -> str:
    """ "'=SUM(A1)": a spreadsheet shows the text instead of running it."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _plain(value: Any) -> Any:
    """A value as text-file cell: 12 rather than 12.0, ISO dates, formula-safe text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return value


def _write_csv(out: IO[str], rows: list[Row]) -> None:
    _write_csv_table(out, COLUMNS, rows)


def _write_csv_table(out: IO[str], columns: tuple[ExportColumn, ...], rows: list[Row]) -> None:
    writer = csv.writer(out)
    writer.writerow([c.key for c in columns])
    writer.writerows([_plain(flat(row[c.key])) for c in columns] for row in rows)


def _write_hxl_table(out: IO[str], columns: tuple[ExportColumn, ...], rows: list[Row]) -> None:
    writer = csv.writer(out)
    writer.writerow([c.key for c in columns])
    writer.writerow([c.hxl for c in columns])
    writer.writerows([_plain(flat(row[c.key])) for c in columns] for row in rows)


PERIOD_RULES = tuple(rule.value for rule in PeriodRule)
"""The `periods` cell of a row names the HXL attribute of the column its actual value goes in."""


def hxl_columns() -> tuple[ExportColumn, ...]:
    """The export's columns, with the actual value split by how it combines over periods: one
    column per rule, so an HXL tool can sum `#reached+per_period` and take the latest
    `#reached+cumulative` without knowing our column names."""
    out: list[ExportColumn] = []
    for column in COLUMNS:
        if column.key == "actual":
            out += [
                replace(column, key=f"actual_{rule}", hxl=f"{column.hxl}+{rule}")
                for rule in PERIOD_RULES
            ]
        else:
            out.append(column)
    return tuple(out)


def _write_hxl(out: IO[str], rows: list[Row]) -> None:
    columns = hxl_columns()
    writer = csv.writer(out)
    writer.writerow([c.key for c in columns])
    writer.writerow([c.hxl for c in columns])
    for row in rows:
        rule = row["periods"]
        split = {f"actual_{rule}": row["actual"]} if rule else {}
        writer.writerow([_plain(split.get(c.key, row.get(c.key))) for c in columns])


def _write_json(out: IO[str], plan: Plan, store: Store, rows: list[Row], lang: str) -> None:
    periods = sorted({row["period"] for row in rows}, key=Period.parse)
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "plan": {
            "id": plan.id,
            "title": in_language(plan.title, lang),
            "version": plan_index(plan).content_hash,
        },
        "periods": periods,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool_version": __version__,
        "rows": rows,
        "proposed_activities": _proposed(plan, store, periods),
        "regional_figures": regional(plan, store, periods, rows, lang),
        **{table: table_rows(plan, store, periods, table) for table in JSON_TABLES},
    }
    json.dump(document, out, ensure_ascii=False, indent=1, default=_json_value)


def _json_value(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


JSON_TABLES = ("initiatives", "overviews", "good_practices")
"""Tables the json export holds beside `rows` and `proposed_activities` (kept as it was)."""


def _proposed(plan: Plan, store: Store, periods: list[str]) -> list[Row]:
    return [
        {"period": p, "office": office, **fields}
        for p in periods
        for office, fields in store.proposed(plan, p)
    ]


def _write_xlsx(out: IO[bytes], plan: Plan, store: Store, rows: list[Row], lang: str) -> None:
    import xlsxwriter

    from matrix.excel.writer import close_workbook

    book = xlsxwriter.Workbook(
        out,
        {
            "remove_timezone": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    formats = {
        "header": book.add_format(
            {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "text": book.add_format({"valign": "top"}),
        "formula_text": book.add_format({"valign": "top", "quote_prefix": True}),
        "number": book.add_format({"valign": "top"}),
        "money": book.add_format({"num_format": "#,##0", "valign": "top"}),
        "percent": book.add_format({"num_format": "0%", "valign": "top"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm", "valign": "top"}),
    }
    used: set[str] = set()
    _xlsx_sheet(book, sheet_name(t(lang, "export.sheet.rows"), used), COLUMNS, rows, formats)
    by_action_point: dict[str, list[Row]] = {}
    for row in rows:
        by_action_point.setdefault(f"{row['action_point']} {row['action_point_title']}", []).append(
            row
        )
    for title, ap_rows in by_action_point.items():
        _xlsx_sheet(book, sheet_name(title, used), COLUMNS, ap_rows, formats)
    periods = sorted({row["period"] for row in rows}, key=Period.parse)
    if figures := regional(plan, store, periods, rows, lang):
        _xlsx_sheet(book, sheet_name(REGIONAL_SHEET, used), REGIONAL_COLUMNS, figures, formats)
    for table, columns in TABLES.items():
        if extra := table_rows(plan, store, periods, table):
            flattened = [{key: flat(value) for key, value in row.items()} for row in extra]
            _xlsx_sheet(
                book,
                sheet_name(t(lang, f"export.sheet.{table}"), used),
                columns,
                flattened,
                formats,
            )
    close_workbook(book)


def _xlsx_sheet(
    book, name: str, columns: tuple[ExportColumn, ...], rows: list[Row], formats
) -> None:
    sheet = book.add_worksheet(name)
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.key, formats["header"])
        sheet.set_column(col, col, column.width)
    for r, row in enumerate(rows, start=1):
        for col, column in enumerate(columns):
            _xlsx_cell(sheet, r, col, row[column.key], column.kind, formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def _xlsx_cell(sheet, r: int, col: int, value: Any, kind: str, formats) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime):
        sheet.write_datetime(r, col, value.astimezone(UTC), formats["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(r, col, datetime(value.year, value.month, value.day), formats["date"])
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(
            r, col, value, formats[kind if kind in ("money", "percent") else "number"]
        )
    else:
        text = str(value)
        sheet.write_string(
            r, col, text, formats["formula_text" if text.startswith(FORMULA_STARTS) else "text"]
        )
