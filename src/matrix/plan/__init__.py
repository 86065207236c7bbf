"""The plan: loading `plan.yaml` (or a plan workbook) with the place of every value (`load`,
`lines`, `schema`, `salvage`), its cross-reference checks (`checks`), the lookups every command
makes in it, built once (`index`), what changed between two plans (`diff`), and the plan written
as YAML (`yaml_writer`) or as a workbook (`workbook`)."""

from matrix.plan.diff import PlanDiff, diff_plans, render_diff
from matrix.plan.index import (
    PlanIndex,
    PlanRow,
    RowKey,
    expected_offices,
    office_name,
    plan_index,
    plan_rows,
    row_key,
    row_ref,
    split_ref,
)
from matrix.plan.load import check_plan_file, load_plan, read_plan

__all__ = [
    "PlanDiff",
    "PlanIndex",
    "PlanRow",
    "RowKey",
    "check_plan_file",
    "diff_plans",
    "expected_offices",
    "load_plan",
    "office_name",
    "plan_index",
    "plan_rows",
    "read_plan",
    "render_diff",
    "row_key",
    "row_ref",
    "split_ref",
]
