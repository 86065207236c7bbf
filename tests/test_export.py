"""The consolidated dataset in every format: complete, typed, formula-safe, readable by HXL
tools."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime

import hxl
import openpyxl
import pytest

from matrix.errors import MatrixError
from matrix.export import COLUMNS, JSON_SCHEMA_VERSION, dataset, export, hxl_columns
from matrix.files import Inputs
from matrix.plan import plan_rows
from matrix.store import Store
from store_helpers import make_result

pytest_plugins = ["store_fixtures"]

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def store(tmp_path, sudan):
    with Store.open(tmp_path / "matrix.sqlite") as opened:
        opened.record(
            make_result(sudan, "SDN", "2026-08", actual=6, comments=FORMULA, proposed=1), sudan
        )
        yield opened


def test_one_row_per_country_indicator_and_period(store, sudan):
    rows = dataset(sudan, store)
    per_period = len(plan_rows(sudan, "SDN"))
    assert [r["period"] for r in rows] == ["2026-07"] * per_period + ["2026-08"] * per_period
    july, august = rows[0], rows[per_period]
    assert july["status"] == "" and july["actual"] is None
    assert (august["ref"], august["status"], august["actual"], august["target"]) == (
        "AP1-1",
        "on_track",
        6,
        12,
    )
    assert august["percent_of_target"] == 0.5
    assert august["lead"] == "UNHCR" and "IOM" in august["partners"]
    assert august["action_point_title"] == "Cooperation among key partners"
    assert isinstance(august["reported"], datetime) and august["start"] == date(2026, 7, 1)


def test_a_single_period(store, sudan):
    assert {r["period"] for r in dataset(sudan, store, "2026-08")} == {"2026-08"}
    with pytest.raises(MatrixError, match="not a period"):
        dataset(sudan, store, "August")


def test_one_period_gives_its_rows_as_the_whole_dataset_does(store_url, sudan):
    with Store.open(store_url) as both:
        for period, actual in (("2026-07", 3), ("2026-08", 6)):
            both.record(make_result(sudan, "SDN", period, actual=actual), sudan)
        everything = dataset(sudan, both)
        for period in ("2026-07", "2026-08"):
            alone = dataset(sudan, both, period)
            assert alone == [r for r in everything if r["period"] == period]
            assert {r["actual"] for r in alone} - {None} == {3 if period == "2026-07" else 6}


def test_csv_neutralises_formulas(store, sudan, tmp_path):
    out = tmp_path / "export.csv"
    count = export(sudan, store, "2026-08", "csv", out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == count == len(plan_rows(sudan, "SDN"))
    assert rows[0]["comments"] == "'" + FORMULA
    assert rows[0]["target"] == "12" and rows[0]["actual"] == "6"


def test_hxl_parses_with_libhxl(store, sudan, tmp_path):
    out = tmp_path / "export.hxl.csv"
    export(sudan, store, "2026-08", "hxl", out)
    source = hxl.data(str(out), hxl.InputOptions(allow_local=True))
    tags = [column.display_tag for column in source.columns]
    assert tags == [c.hxl for c in hxl_columns()]
    assert "#reached+num+cumulative" in tags and "#reached+num+per_period" in tags
    rows = list(source)
    first = rows[0]
    assert first.get("#country+code") == "SDN"
    assert first.get("#activity+code") == "AP1-1"
    assert first.get("#org+lead") == "UNHCR"
    assert float(first.get("#targeted")) == 12 and float(first.get("#reached+cumulative")) == 6
    assert not first.get("#reached+per_period")
    incidents = next(r for r in rows if r.get("#indicator+code") == "AP3-2")  # counted per month
    assert float(incidents.get("#reached+per_period")) == 6
    assert not incidents.get("#reached+cumulative")
    assert first.get("#status") == "on_track"
    assert first.get("#date+start") == "2026-07-01"
    assert first.get("#meta+comments") == "'" + FORMULA


def test_json_keeps_types_and_proposed_activities(store, sudan, tmp_path):
    out = tmp_path / "export.json"
    export(sudan, store, None, "json", out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["schema_version"] == JSON_SCHEMA_VERSION
    assert document["periods"] == ["2026-07", "2026-08"]
    assert document["plan"]["version"] == sudan.content_hash()
    row = next(r for r in document["rows"] if r["period"] == "2026-08")
    assert row["actual"] == 6 and row["comments"] == FORMULA and row["start"] == "2026-07-01"
    assert [p["title"] for p in document["proposed_activities"]] == ["Idea 0"]


def test_xlsx_is_a_typed_filterable_workbook(store, sudan, tmp_path):
    out = tmp_path / "export.xlsx"
    export(sudan, store, "2026-08", "xlsx", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "All rows"
    assert "AP1 Cooperation among key partn" in book.sheetnames
    assert book.sheetnames[-1] == "Proposed activities"
    sheet = book["All rows"]
    header = [c.value for c in sheet[1]]
    assert header == [c.key for c in COLUMNS]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    values = dict(zip(header, sheet[2], strict=True))
    assert values["target"].value == 12 and values["target"].data_type == "n"
    assert (
        isinstance(values["start"].value, datetime)
        and values["start"].number_format == "yyyy-mm-dd"
    )
    assert values["percent_of_target"].number_format == "0%"
    comments = values["comments"]
    assert comments.data_type == "s" and comments.value == FORMULA and comments.quotePrefix
    per_ap = book["AP1 Cooperation among key partn"]
    assert {row[0].value for row in per_ap.iter_rows(min_row=2)} == {"2026-08"}
    assert per_ap.max_row == 1 + sum(
        r.objective.action_point == "AP1" for r in plan_rows(sudan, "SDN")
    )


def test_regional_plan_exports_countries_and_region(tmp_path, dar):
    with Store.open(tmp_path / "s.sqlite") as store:
        store.record(make_result(dar, "EHAGL", "2026-Q3"), dar)
        rows = dataset(dar, store, "2026-Q3")
    assert {r["country"] for r in rows} == {*dar.countries, "EHAGL"}
    region_rows = [r for r in rows if r["country"] == "EHAGL"]
    assert region_rows and all(r["status"] == "on_track" for r in region_rows)


def test_export_never_overwrites_the_store_or_the_plan(store, sudan, tmp_path):
    for target in (store.path, tmp_path / "matrix.sqlite-wal"):
        with pytest.raises(MatrixError, match="is the store.*, which this command reads"):
            export(sudan, store, "2026-08", "csv", target)
    plan_copy = tmp_path / "plan.yaml"
    plan_copy.write_text("x")
    with pytest.raises(MatrixError, match="is the plan, which this command reads"):
        export(sudan, store, "2026-08", "csv", plan_copy, inputs=Inputs(plan=plan_copy))
    assert plan_copy.read_text() == "x"


def test_failed_export_leaves_the_previous_file(store, sudan, tmp_path):
    out = tmp_path / "export.csv"
    out.write_text("previous")
    with pytest.raises(MatrixError):
        export(sudan, store, "1999-01", "csv", out)
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_nothing_collected_is_said_plainly(tmp_path, sudan):
    with (
        Store.open(tmp_path / "empty.sqlite") as empty,
        pytest.raises(MatrixError, match="nothing has been collected"),
    ):
        export(sudan, empty, None, "csv", tmp_path / "x.csv")
