"""A plan revised mid-cycle: matrices generated from version 1 come back after the plan became
version 2, and are read, not rejected. Each version matrices were generated from is kept (in the
project's .matrix folder and in the store), `generate` records who got which version, and
`status`, `plan history` and `generate --outdated` follow from that. Through the command line,
with real workbooks filled in as offices fill them."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import yaml

from checkout import DAR
from matrix.models.plan import Plan
from matrix.plan import load_plan
from matrix.project import Project
from validation_helpers import fill_good

PERIOD = "2026-Q3"


@pytest.fixture(autouse=True)
def versions_beside_the_plan(monkeypatch):
    """These tests are about the .matrix folder beside the plan."""
    monkeypatch.delenv("MATRIX_VERSIONS")


OFFICES = ("ETH", "KEN")


def revise(plan_file: Path) -> None:
    """Version 2: CAP-1's target 150 -> 200, a second indicator for LEG-1 (so LEG-1 becomes
    LEG-1.1), OPS-3 removed, and LEG-3 added for Kenya."""
    data = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    for objective in data["objectives"]:
        for activity in objective["activities"]:
            if activity["id"] == "CAP-1":
                activity["indicators"][0]["target"] = 200
            if activity["id"] == "LEG-1":
                activity["indicators"].append({"name": "Laws amended", "unit": "laws", "target": 2})
        objective["activities"] = [a for a in objective["activities"] if a["id"] != "OPS-3"]
    data["objectives"][0]["activities"].append(
        {
            "id": "LEG-3",
            "title": "Review of statelessness provisions",
            "lead": "GOV",
            "countries": ["KEN"],
            "indicators": [{"name": "Reviews", "unit": "reviews", "target": 1}],
            "start": "2026-10-01",
            "end": "2027-06-30",
        }
    )
    plan_file.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


def v1_returns(run, tmp_path: Path) -> tuple[Plan, Path]:
    """Version 1's matrices for ETH and KEN, generated, filled in as returns, then the plan
    revised to version 2."""
    shutil.copy(DAR, tmp_path / "plan.yaml")
    countries = [arg for office in OFFICES for arg in ("--country", office)]
    assert run("generate", "plan.yaml", "--period", PERIOD, *countries, "-o", "sent").exit_code == 0
    v1 = load_plan(tmp_path / "plan.yaml")
    (tmp_path / "returns").mkdir()
    for sent in sorted((tmp_path / "sent").glob("*.xlsx")):
        fill_good(shutil.copy(sent, tmp_path / "returns" / sent.name), v1)
    revise(tmp_path / "plan.yaml")
    return v1, tmp_path / "returns"


def codes(output: str, file: str) -> list[tuple[str, str]]:
    """(severity, code) of each issue line about `file`."""
    found = []
    for line in output.splitlines():
        if line.startswith(f"returns/{file}") and ("  info  " in line or "  error  " in line):
            parts = line.split("  ")
            index = next(i for i, p in enumerate(parts) if p in ("info", "error", "warning"))
            found.append((parts[index], parts[index + 1]))
    return found


def test_the_revision_scenario_end_to_end(run, tmp_path):
    v1, _ = v1_returns(run, tmp_path)
    v2 = load_plan(tmp_path / "plan.yaml")
    assert v1.content_hash() != v2.content_hash()

    validated = run("validate", "returns")
    assert validated.exit_code == 0, validated.output
    kenya = "KEN_2026-Q3_dar-es-salaam-follow-up.xlsx"
    assert sorted(codes(validated.output, kenya)) == sorted(
        [
            ("info", "plan-version-earlier"),
            ("info", "plan-target-revised"),  # CAP-1: 150 -> 200
            ("info", "plan-row-renumbered"),  # LEG-1 -> LEG-1.1
            ("info", "plan-row-added"),  # LEG-1.2
            ("info", "plan-row-added"),  # LEG-3, Kenya only
            ("info", "plan-row-not-carried"),  # OPS-3 removed
        ]
    )
    lines = validated.output.splitlines()
    assert any("CAP-1" in line and "from 150 to 200" in line for line in lines)
    assert any(
        "OPS-3" in line and "not carried: activity OPS-3 was removed" in line for line in lines
    )
    assert f"returns/{kenya}: valid (6 notes)" in lines
    ethiopia = [c for _, c in codes(validated.output, "ETH_2026-Q3_dar-es-salaam-follow-up.xlsx")]
    assert "plan-row-added" in ethiopia and ethiopia.count("plan-row-added") == 1  # no LEG-3

    collected = run("collect", "returns")
    assert collected.exit_code == 0, collected.output
    assert collected.output.count(" accepted ") == 2
    assert "plan changes" in collected.output

    project = Project(tmp_path)
    report = project.report(PERIOD)
    figures = {figure.ref: figure for figure in report.indicator_figures}  # regional, summed
    cap = figures["CAP-1"]  # Kenya and Ethiopia each reported 75
    assert (cap.value, cap.target, cap.expected) == (
        150,
        200 * 7,
        7,
    )  # the current target, 200 a country
    assert "LEG-1.1" in figures and "LEG-1" not in figures
    assert "OPS-3" not in figures
    noted = {(w.code, w.where) for w in report.plan_changes if w.office_name == "Kenya"}
    assert ("plan-target-revised", "Matrix!J7") in noted and (
        "plan-row-not-carried",
        "Matrix!A13",
    ) in noted
    assert not {w.code for w in report.quality} & {c for c, _ in noted}  # changes, not warnings
    assert run("report", "--period", PERIOD, "-o", "report.html").exit_code == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (
        "Plan changes since the matrices were sent" in html and 'data-code="plan-row-added"' in html
    )

    history = run("plan", "history")
    assert history.exit_code == 0
    assert v1.content_hash()[:12] in history.output and v2.content_hash()[:12] in history.output
    assert "not used yet" in history.output  # version 2: no matrix generated from it yet

    diff = run("plan", "diff", v1.content_hash()[:8], "current", "--format", "json")
    assert diff.exit_code == 1, diff.output
    changes = {
        (c["change"], c["item"], c["id"], c["field"], c["indicator"])
        for c in json.loads(diff.output)["changes"]
    }
    assert changes == {
        ("changed", "indicator", "CAP-1", "target", 1),
        ("added", "indicator", "LEG-1", None, 2),
        ("removed", "activity", "OPS-3", None, None),
        ("added", "activity", "LEG-3", None, None),
    }
    text = run("plan", "diff", v1.content_hash()[:8], "current").output.splitlines()
    assert text[0].startswith(f"version {v1.content_hash()[:12]}") and "4 changes" in text[0]


def test_status_names_the_outdated_offices_and_generate_sends_them_the_current_version(
    run, tmp_path
):
    v1_returns(run, tmp_path)
    assert run("collect", "returns").exit_code == 0
    status = run("status", "--period", PERIOD, "--format", "json")
    offices = {o["office"]: o for o in json.loads(status.output)["offices"]}
    assert offices["KEN"]["outdated"] and offices["ETH"]["outdated"]
    assert not offices["TZA"]["outdated"] and offices["TZA"]["matrix_version"] is None
    text = run("status", "--period", PERIOD).output
    assert "2 offices hold a matrix of an earlier plan version (ETH, KEN)" in text

    kept = tmp_path / ".matrix"
    before = (
        sorted((kept / "plans").iterdir()),
        (kept / "issued.jsonl").read_text(encoding="utf-8"),
    )
    refused = run("generate", "plan.yaml", "--period", PERIOD, "--outdated", "-o", "sent")
    assert refused.exit_code == 2 and "--force" in refused.output
    after = (
        sorted((kept / "plans").iterdir()),
        (kept / "issued.jsonl").read_text(encoding="utf-8"),
    )
    assert after == before  # nothing written, nothing recorded
    again = run("generate", "plan.yaml", "--period", PERIOD, "--outdated", "--force", "-o", "sent")
    assert again.exit_code == 0, again.output
    assert sorted(Path(p).name[:3] for p in again.output.split()) == ["ETH", "KEN"]
    offices = {
        o["office"]: o
        for o in json.loads(run("status", "--period", PERIOD, "--format", "json").output)["offices"]
    }
    assert not offices["KEN"]["outdated"] and offices["KEN"]["matrix_version"]
    nothing = run(
        "generate", "plan.yaml", "--period", PERIOD, "--outdated", "--force", "-o", "sent"
    )
    assert (
        nothing.exit_code == 0
        and "no office holds a matrix of an earlier plan version" in nothing.output
    )


def test_a_return_of_a_version_the_project_does_not_keep_is_refused_saying_what_to_do(
    run, tmp_path
):
    v1_returns(run, tmp_path)
    shutil.rmtree(tmp_path / ".matrix")  # no store either: version 1 is nowhere
    result = run("validate", "returns")
    assert result.exit_code == 1
    refused = [line for line in result.output.splitlines() if "plan-version-unknown" in line]
    assert len(refused) == 2
    assert all(".matrix/plans" in line and "--country" in line for line in refused)


def test_a_damaged_kept_version_is_not_read_as_that_version(run, tmp_path):
    v1_returns(run, tmp_path)
    [kept] = (tmp_path / ".matrix" / "plans").glob("*.yaml")
    kept.write_text(
        kept.read_text(encoding="utf-8").replace("target: 150", "target: 151"), encoding="utf-8"
    )
    result = run("validate", "returns")
    assert result.exit_code == 1 and result.output.count("plan-version-unknown") == 2


def test_versions_are_kept_in_the_store_so_another_machine_reads_the_returns(run, tmp_path):
    """A team's store: the version kept there is enough, without this folder's .matrix."""
    v1_returns(run, tmp_path)
    assert run("collect", "returns", "--store", "team.sqlite").exit_code == 0  # keeps the versions
    shutil.rmtree(tmp_path / ".matrix")
    result = run("validate", "returns", "--store", "team.sqlite")
    assert result.exit_code == 0, result.output
    assert result.output.count("plan-version-earlier") == 2


def test_plan_diff_names_a_version_that_is_not_kept(run, tmp_path):
    v1_returns(run, tmp_path)
    result = run("plan", "diff", "0000000", "current")
    assert result.exit_code == 2
    assert (
        "no kept version of plan 'dar-es-salaam-follow-up' starts with '0000000'" in result.output
    )
    assert "matrix plan history" in result.output


def test_returns_collected_before_a_revision_count_for_their_renamed_rows(run, tmp_path):
    """Q3's returns were collected under version 1; the plan then gave LEG-1 a second indicator.
    The export made under version 2 shows Kenya's Q3 LEG-1 as LEG-1.1, with what Kenya reported."""
    shutil.copy(DAR, tmp_path / "plan.yaml")
    assert (
        run("generate", "plan.yaml", "--period", PERIOD, "--country", "KEN", "-o", "sent").exit_code
        == 0
    )
    v1 = load_plan(tmp_path / "plan.yaml")
    sent = next((tmp_path / "sent").glob("*.xlsx"))
    fill_good(sent, v1)
    assert run("collect", str(sent)).exit_code == 0
    revise(tmp_path / "plan.yaml")

    exported = run("export", "--period", PERIOD, "--format", "csv", "-o", "rows.csv")
    assert exported.exit_code == 0, exported.output
    with (tmp_path / "rows.csv").open(encoding="utf-8") as f:
        rows = {(r["country"], r["ref"]): r for r in csv.DictReader(f)}
    assert rows[("KEN", "LEG-1.1")]["status"] == "on_track"
    assert ("KEN", "LEG-1") not in rows
