"""Returns of an earlier plan version, carried onto the current plan (`matrix.validation.carry`):
by activity id and indicator id (or position), with what changed told as notes, never errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from checkout import DAR
from matrix.models.issues import Severity
from matrix.models.plan import SEMANTICS_FIELDS
from matrix.plan import load_plan
from matrix.validation import validate_file
from matrix.versions import IssuedMatrix, PlanVersion, PlanVersions, version_text
from validation_helpers import fill, fill_good, make_matrix

FIRST = datetime(2026, 7, 1, tzinfo=UTC)


def write_plan(path: Path, edit=None) -> Path:
    data = yaml.safe_load(DAR.read_text(encoding="utf-8"))
    if edit:
        edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def activity(data: dict, ident: str) -> dict:
    return next(a for o in data["objectives"] for a in o["activities"] if a["id"] == ident)


def kept(*plans_and_files, issued=()) -> PlanVersions:
    """The versions, first used on the 1st, 2nd... of the month in the order given."""
    versions = [
        PlanVersion(plan.id, plan.content_hash(), version_text(plan, file), FIRST.replace(day=day))
        for day, (plan, file) in enumerate(plans_and_files, 1)
    ]
    return PlanVersions.of(versions, "kept in the test", issued)


def with_ids(data: dict) -> None:
    indicators = activity(data, "OPS-1")["indicators"]
    for indicator, ident in zip(indicators, ("desks", "people", "in-need", "share"), strict=True):
        indicator["id"] = ident


def swapped(data: dict) -> None:
    """'people' first, 'desks' second; the share's denominator follows the people profiled."""
    with_ids(data)
    indicators = activity(data, "OPS-1")["indicators"]
    indicators[0], indicators[1] = indicators[1], indicators[0]
    indicators[3]["denominator"] = "OPS-1.1"


def without_ids_or_semantics(data: dict) -> None:
    """The example as it was before indicators could declare ids and semantics, and before
    Burundi joined it (in French)."""
    indicators = activity(data, "OPS-1")["indicators"]
    del indicators[2:]  # the example's indicators added with semantics
    data["countries"].remove("BDI")
    del data["office_languages"]
    for objective in data["objectives"]:
        for each in objective["activities"]:
            if "BDI" in each.get("countries", []):
                each["countries"].remove("BDI")
            for indicator in each["indicators"]:
                for name in ("id", *SEMANTICS_FIELDS):
                    indicator.pop(name, None)


def test_plans_without_indicator_ids_keep_their_version(tmp_path):
    """The version offices' matrices already carry (the issue quotes it) stays the same."""
    plan = load_plan(write_plan(tmp_path / "plan.yaml", without_ids_or_semantics))
    assert plan.content_hash().startswith("c66f435d6120")


def test_reordered_indicators_with_ids_keep_their_values(tmp_path):
    v1_file = write_plan(tmp_path / "v1.yaml", with_ids)
    v1, path = make_matrix(tmp_path, v1_file, country="KEN")
    fill(
        fill_good(path, v1),
        {
            "OPS-1.1": {"actual": 2, "status": "On track"},
            "OPS-1.2": {"actual": 900, "status": "On track"},
        },
    )
    v2 = load_plan(write_plan(tmp_path / "v2.yaml", swapped))
    result = validate_file(v2, path, versions=kept((v1, v1_file), (v2, None)))
    assert result.accepted, [i.render() for i in result.issues if i.is_error]
    actual = {row.ref: row.actual for row in result.rows}
    assert (actual["OPS-1.1"], actual["OPS-1.2"]) == (900, 2)  # 'people' is now first
    renumbered = [i for i in result.issues if i.code == "plan-row-renumbered"]
    assert sorted(i.value for i in renumbered) == ["OPS-1.1", "OPS-1.2"]


def test_changes_are_notes_and_the_rows_of_an_unchanged_office_read_as_before(tmp_path):
    v1, path = make_matrix(tmp_path, DAR, country="ETH")
    fill(fill_good(path, v1), {"LEG-1": {"actual": 1, "status": "Completed"}})

    def zaf_only(data: dict) -> None:  # a change that does not touch Ethiopia's rows
        activity(data, "OPS-2")["countries"] = ["ZAF"]

    v2 = load_plan(write_plan(tmp_path / "v2.yaml", zaf_only))
    as_v1 = validate_file(v1, path)
    as_v2 = validate_file(v2, path, versions=kept((v1, DAR), (v2, None)))
    assert [(i.code, i.severity) for i in as_v2.issues] == [("plan-version-earlier", Severity.INFO)]
    assert as_v2.rows == as_v1.rows and as_v2.accepted


def revised(data: dict) -> None:
    activity(data, "CAP-1")["indicators"][0]["target"] = 200


def test_a_return_of_a_newer_version_than_the_plan_given_is_refused(tmp_path):
    v1, _ = make_matrix(tmp_path / "v1", DAR, country="ETH")
    v2_file = write_plan(tmp_path / "v2.yaml", revised)
    v2, path = make_matrix(tmp_path / "v2", v2_file, country="ETH")
    result = validate_file(v1, path, versions=kept((v1, DAR), (v2, v2_file)))
    [issue] = [i for i in result.issues if i.is_error]
    assert issue.code == "plan-version-newer" and not result.rows
    assert "validate it with the project's current plan" in issue.message


def test_a_plan_changed_back_reads_returns_of_the_version_in_between(tmp_path):
    """Version 1, then 2, then 1 again (generated from on the 3rd): 2's returns are carried."""
    v1, _ = make_matrix(tmp_path / "v1", DAR, country="ETH")
    v2_file = write_plan(tmp_path / "v2.yaml", revised)
    v2, path = make_matrix(tmp_path / "v2", v2_file, country="ETH")
    fill_good(path, v2)
    again = IssuedMatrix(
        v1.id,
        v1.content_hash(),
        "ETH",
        False,
        "2026-Q3",
        "en",
        FIRST.replace(day=3),
        "ETH_2026-Q3_dar-es-salaam-follow-up.xlsx",
    )
    result = validate_file(v1, path, versions=kept((v1, DAR), (v2, v2_file), issued=[again]))
    assert result.accepted, [i.render() for i in result.issues if i.is_error]
    [revision] = [i for i in result.issues if i.code == "plan-target-revised"]
    assert "from 200 to 150" in revision.message


def test_a_duplicate_indicator_id_is_a_plan_error(tmp_path, run):
    def twice(data: dict) -> None:
        first, second = activity(data, "OPS-1")["indicators"][:2]
        first["id"] = second["id"] = "people"

    write_plan(tmp_path / "plan.yaml", twice)
    result = run("plan", "check", "plan.yaml")
    assert result.exit_code == 1
    assert "activity OPS-1: indicator id 'people' is used more than once" in result.output
