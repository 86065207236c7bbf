"""The benchmark suite runs and reports well-formed figures: its smallest configuration, one rep.

No timing is asserted; speed is shown by `python benchmarks/run.py`, never by a test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import baselines, matrix_api
from benchmarks.data import build_plan, office_fill
from benchmarks.harness import Report, Row, measure, peak_rss_mib
from benchmarks.run import main
from benchmarks.suites import SUITES


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MATRIX_BENCH_CACHE", str(tmp_path / "cache"))


def test_tiny_run_prints_ratios_and_writes_json(tmp_path, capsys):
    assert main(["--config", "tiny", "--results", str(tmp_path / "results"), "--markdown"]) == 0
    out = capsys.readouterr().out
    [path] = (tmp_path / "results").glob("*-tiny.json")
    data = json.loads(path.read_text())

    assert data["config"] == "tiny" and data["machine"]["cpus"] >= 1
    assert data["skipped"] == []
    groups = {row["group"] for row in data["rows"]}
    assert len(groups) >= len(SUITES)
    for row in data["rows"]:
        assert row["value"] >= 0 and row["unit"] in ("s", "MiB", "x")
        if row["baseline"] is not None:
            assert row["ratio"] == pytest.approx(row["value"] / row["baseline"])
        assert row["verdict"] in ("", "pass") or row["verdict"].startswith("MISS by ")
        assert (row["target_ratio"] is None and row["target_abs"] is None) == (row["verdict"] == "")
    targets = [r["name"] for r in data["rows"] if r["verdict"]]
    assert any("write_workbook" in n for n in targets)
    assert any("validate_paths" in n for n in targets)
    assert any("collect" in n for n in targets)
    assert any("growth" in n for n in targets)
    assert "| measurement | value | baseline | ratio | target |" in out
    assert f"results written to {path}" in out or path.name in out


def test_row_ratio_and_verdict():
    row = Row("g", "matrix", 3.0, "s", "floor", 1.0, target_ratio=2.0)
    assert row.ratio == 3.0 and row.verdict == "MISS by 1.50x"
    assert Row("g", "matrix", 1.5, "s", "floor", 1.0, target_ratio=2.0).verdict == "pass"
    assert Row("g", "report", 1.25, "s", target_abs=1.0).verdict == "MISS by 0.25 s"
    assert Row("g", "floor", 1.0, "s").verdict == "" and Row("g", "floor", 1.0, "s").ratio is None


def test_report_json_round_trips(tmp_path):
    report = Report(config="tiny", out=open("/dev/null", "w"))  # noqa: SIM115
    report.add(Row("g", "a", 2.0, "s", "b", 1.0, target_ratio=2.0, others={"c": 4.0}))
    data = json.loads(report.write_json(tmp_path).read_text())
    assert data["rows"][0]["ratio"] == 2.0 and data["rows"][0]["other_ratios"] == {"c": 0.5}


def test_measure_keeps_every_rep():
    calls = []
    timing = measure(lambda: calls.append(1), 3, setup=lambda: None)
    assert len(calls) == 4 and len(timing.cpu_all) == 3 and timing.reps == 3


def test_peak_rss_is_measured_in_a_fresh_process():
    probe = peak_rss_mib("import json; print(json.dumps({'answer': 42}))")
    assert probe["out"] == {"answer": 42} and probe["peak_mib"] > 0


def test_baseline_writers_write_the_cells_matrix_writes(tmp_path):
    """The floors are fair: the same sheets and about the same cells as a generated matrix."""
    plan = build_plan(12, 1)
    office = plan.countries[0]
    fill = office_fill(plan, office, "2026-01")
    matrix_api.write_workbook(plan, office, "2026-01", tmp_path / "matrix.xlsx", prefill=fill)
    content = baselines.workbook_content(plan, office, "2026-01", prefill=fill)
    baselines.write_xlsxwriter(content, tmp_path / "xlsxwriter.xlsx")
    baselines.write_openpyxl(content, tmp_path / "openpyxl.xlsx")

    def shape(name: str) -> list[tuple[int, int]]:
        wb = CalamineWorkbook.from_path(str(tmp_path / name))
        return [
            (
                len(rows := wb.get_sheet_by_name(s).to_python()),
                sum(1 for r in rows for v in r if v != ""),
            )
            for s in wb.sheet_names
        ]

    generated = shape("matrix.xlsx")
    for name in ("xlsxwriter.xlsx", "openpyxl.xlsx"):
        written = shape(name)
        assert len(written) == len(generated)
        rows, cells = written[1]
        assert rows == generated[1][0] and abs(cells - generated[1][1]) <= 0.1 * generated[1][1]
        assert written[-1] == generated[-1]  # the hidden metadata sheet, row for row
    for name in ("matrix.xlsx", "xlsxwriter.xlsx", "openpyxl.xlsx"):
        assert baselines.read_calamine(tmp_path / name) > 0
        assert baselines.read_openpyxl(tmp_path / name) > 0
        assert baselines.unzip_only(tmp_path / name) > 0


def test_compare_lines_up_two_runs(tmp_path):
    from benchmarks.compare import compare

    runs = []
    for value in (1.0, 1.5):
        report = Report(config="tiny", out=open("/dev/null", "w"))  # noqa: SIM115
        report.add(Row("g", "a", value, "s", "b", 0.5, target_ratio=2.0))
        runs.append(report.as_json())
    [_, line] = compare(*runs)
    assert "1.50x" in line and "2.00x" in line and "3.00x" in line
