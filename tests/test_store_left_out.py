"""A store that already holds returns for periods that are not the plan's (issue 13, point 3):
recorded by an older matrix that did not check the hidden period. Every command still works,
leaves those returns out and says so on stderr, rather than failing on the first one it meets."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from checkout import DAR
from matrix.plan import load_plan
from store_helpers import returned_matrix

PLANTED = ("2026-Q9", "2026-09")
"""Not a quarter at all, and a month in a quarterly plan."""


@pytest.fixture
def project(tmp_path, run):
    """The Dar es Salaam plan with KEN's and ETH's 2026-Q3 returns collected, and then, with plain
    sqlite3, a copy of ETH's return and rows recorded under each of the PLANTED periods."""
    shutil.copy(DAR, tmp_path / "plan.yaml")
    plan = load_plan(tmp_path / "plan.yaml")
    for office in ("KEN", "ETH"):
        returned_matrix(plan, "2026-Q3", tmp_path / "q3", office=office)
    assert run("collect", "q3").exit_code == 0
    conn = sqlite3.connect(tmp_path / "matrix.sqlite", isolation_level=None)
    [(eth,)] = conn.execute("SELECT id FROM submissions WHERE office = 'ETH'").fetchall()
    submission = [
        c for (c,) in conn.execute("SELECT name FROM pragma_table_info('submissions')") if c != "id"
    ]
    copied = ", ".join(f":{c}" if c in ("sha256", "period") else c for c in submission)
    progress = ", ".join(
        c
        for (c,) in conn.execute("SELECT name FROM pragma_table_info('progress')")
        if c != "submission_id"
    )
    for period in PLANTED:
        planted = conn.execute(
            f"INSERT INTO submissions ({', '.join(submission)}) "
            f"SELECT {copied} FROM submissions WHERE id = :eth",
            {"sha256": f"planted {period}", "period": period, "eth": eth},
        ).lastrowid
        conn.execute(
            f"INSERT INTO progress (submission_id, {progress}) SELECT ?, {progress} FROM progress "
            "WHERE submission_id = ?",
            (planted, eth),
        )
    conn.close()
    return tmp_path


def left_out_warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "  warning  store-period-unusable  " in line]


@pytest.mark.parametrize(
    "command, exit_code",
    [
        (("collect", "q3"), 0),  # both again: duplicates, checked against the history first
        (("status", "--period", "2026-Q3"), 1),  # four offices and the region are missing
        (("history", "ETH"), 0),
        (("export", "--format", "json", "-o", "out.json"), 0),
        (("export", "--format", "csv", "-o", "out.csv"), 0),
        (("export", "--format", "xlsx", "-o", "out.xlsx"), 0),
        (("export", "--format", "hxl", "-o", "out.hxl.csv"), 0),
        (("report", "--period", "2026-Q3", "-o", "report.html"), 0),
        (
            (
                "generate",
                "plan.yaml",
                "--period",
                "2026-Q4",
                "--country",
                "ETH",
                "--prefill",
                "-o",
                "q4",
            ),
            0,
        ),
    ],
)
def test_every_command_leaves_out_a_stored_bad_period_and_says_so(run, project, command, exit_code):
    result = run(*command)
    assert result.exit_code == exit_code, result.output
    assert "is not a period" not in result.output and "Traceback" not in result.output
    warnings = left_out_warnings(result.stderr)
    assert len(warnings) == 2
    for warning, period in zip(warnings, sorted(PLANTED), strict=True):
        assert warning.startswith("matrix.sqlite  warning")
        assert (
            f"1 accepted return from ETH is stored for period '{period}', which is not a quarterly "
            "period"
        ) in warning
    assert all(period not in result.stdout for period in PLANTED)


def test_the_export_holds_only_the_plans_periods(run, project):
    assert run("export", "--format", "json", "-o", "out.json").exit_code == 0
    document = json.loads((project / "out.json").read_text(encoding="utf-8"))
    assert document["periods"] == ["2026-Q3"]
    assert {row["period"] for row in document["rows"]} == {"2026-Q3"}
    assert {(row["country"], row["comments"]) for row in document["rows"] if row["comments"]} == {
        ("KEN", "Progress as planned"),
        ("ETH", "Progress as planned"),
    }


def test_history_shows_the_real_period_only(run, project):
    result = run("history", "ETH", "--format", "json")
    assert {entry["period"] for entry in json.loads(result.stdout)} == {"2026-Q3"}
