"""The plan index: built once when a plan is loaded, kept with the plan and never part of its
value, made on first use for plans built in code, and the same lookups every command relies on."""

from __future__ import annotations

import pickle

import pytest

from checkout import DAR
from matrix.errors import MatrixError
from matrix.models.plan import Plan
from matrix.plan import PlanIndex, load_plan, plan_index, row_ref, split_ref
from matrix.validation import validate_file
from matrix.validation.rows import PlannedCells
from store_helpers import returned_matrix
from test_plan import MINIMAL, write


def test_loading_a_plan_builds_its_index_once(dar):
    index = plan_index(dar)
    assert isinstance(index, PlanIndex) and index.plan is dar
    assert plan_index(dar) is index  # every command after the first finds it


def test_the_index_is_not_part_of_the_plan(dar):
    again = load_plan(DAR)
    assert plan_index(again) is not plan_index(dar)
    assert again == dar and again.model_dump() == dar.model_dump()
    assert "_index" not in dar.model_dump_json() and again.content_hash() == dar.content_hash()
    assert plan_index(dar).content_hash == dar.content_hash()


def test_a_plan_built_in_code_or_changed_by_copying_gets_an_index_of_its_own(dar):
    built = Plan.model_validate(dar.model_dump())
    assert plan_index(built).offices == plan_index(dar).offices
    fewer = dar.model_copy(update={"countries": ["KEN", "TZA"]})
    assert plan_index(fewer).plan is fewer  # not the index the copy came with
    assert plan_index(fewer).offices == ("KEN", "TZA", "EHAGL")
    assert plan_index(dar).offices == ("ETH", "KEN", "TZA", "BDI", "MWI", "MOZ", "ZAF", "EHAGL")


def test_rows_by_office_and_by_ref(dar):
    index = plan_index(dar)
    assert [row.ref for row in index.rows(None)] == [row.ref for row in index.office_rows("EHAGL")]
    assert {row.activity.id for row in index.rows(None)} == {"CAP-2", "COO-2", "DAT-1"}
    assert all(row.activity.regional for row in index.rows(None))
    malawi = {row.activity.id for row in index.rows("MWI")}
    assert "LEG-2" in malawi and "OUT-1" not in malawi and "CAP-2" not in malawi
    assert index.rows("XXX") == ()
    for row in index.rows("KEN"):
        assert index.row(row.ref) is row
        assert split_ref(row.ref) == (row.activity.id, row.indicator_index)
        assert row_ref(row.activity, row.indicator_index) == row.ref
        assert index.indicator(row.activity.id, row.indicator_index) is row.indicator


def test_offices_names_and_action_points(dar):
    index = plan_index(dar)
    assert index.office_name("EHAGL") == dar.region.name and index.office_name("KEN") == "Kenya"
    assert index.framework.id == "dar-es-salaam-2010"
    for objective, activity in dar.activities():
        assert index.action_point[activity.id] is index.framework.action_point(
            objective.action_point
        )


def test_a_plan_built_in_code_with_an_unknown_framework_says_which_exist(dar):
    plan = dar.model_copy(update={"framework": "11-point-plan"})
    with pytest.raises(
        MatrixError, match="framework '11-point-plan' is not built in; choose one of"
    ):
        plan_index(plan)


def test_a_plan_sent_to_a_worker_process_takes_its_index_without_what_it_made_on_the_way(dar):
    index = plan_index(dar)
    index.rows("KEN")
    index.derived("example", lambda: ["made", "once"])
    sent = pickle.loads(pickle.dumps(dar))
    assert sent == dar and plan_index(sent) is sent._index  # the worker does not build it again
    assert plan_index(sent).content_hash == index.content_hash
    assert plan_index(sent).derived("example", lambda: ["made", "there"]) == ["made", "there"]
    assert [row.ref for row in plan_index(sent).rows("KEN")] == [
        row.ref for row in index.rows("KEN")
    ]


def test_a_batch_reads_the_plans_cells_once_per_language(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = load_plan(write(tmp_path, MINIMAL))
    built: list[str] = []
    original = PlannedCells.__init__

    def counting(self, plan, lang):
        built.append(lang)
        original(self, plan, lang)

    monkeypatch.setattr(PlannedCells, "__init__", counting)
    first = returned_matrix(plan, "2026-Q3", tmp_path / "a", name="first.xlsx")
    second = returned_matrix(plan, "2026-Q3", tmp_path / "b", name="second.xlsx")
    assert validate_file(plan, first).accepted and validate_file(plan, second).accepted
    assert built == ["en"]
    assert validate_file(load_plan(write(tmp_path, MINIMAL)), first).accepted
    assert built == ["en", "en"]  # another plan object: its own cells, nothing shared by accident
