"""The plan: loading `plan.yaml` with the line of every value (`load`, `lines`), its cross-reference
checks (`checks`), and the lookups every command makes in it, built once (`index`)."""

from matrix.plan.index import (
    PlanIndex,
    PlanRow,
    expected_offices,
    office_name,
    plan_index,
    plan_rows,
    row_ref,
    split_ref,
)
from matrix.plan.load import check_plan_file, load_plan

__all__ = [
    "PlanIndex",
    "PlanRow",
    "check_plan_file",
    "expected_offices",
    "load_plan",
    "office_name",
    "plan_index",
    "plan_rows",
    "row_ref",
    "split_ref",
]
