"""matrix: plan, generate, validate, collect and report 10-Point Plan implementation matrices.

The command line (`matrix ...`) is a thin layer over this package; everything it does can be
scripted from Python:

    import matrix
    plan = matrix.load_plan("plan.yaml")
    matrix.generate_matrices(plan, "2026-Q3", countries=None, regional=False, lang="fr", out_dir=out)
    result = matrix.validate_file(plan, "returns/SDN_2026-Q3_my-plan.xlsx")
    with matrix.Store.open("matrix.sqlite") as store:
        matrix.collect_returns(plan, ["returns/"], store)

Each command's function lives in the module named for its job (`matrix.collect.collect`,
`matrix.status.status`, `matrix.export.export`, `matrix.annotate.annotate`, ...). The heavier
entry points load on first use, so `matrix --help` stays fast.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

from matrix.errors import MatrixError, PlanError
from matrix.models.issues import Issue, Severity
from matrix.models.plan import Plan
from matrix.models.returns import ValidationResult
from matrix.plan import check_plan_file, load_plan

_LAZY = {
    "generate_matrices": ("matrix.generate", "generate"),
    "write_workbook": ("matrix.excel.writer", "write_workbook"),
    "validate_file": ("matrix.validation", "validate_file"),
    "validate_paths": ("matrix.validation", "validate_paths"),
    "Store": ("matrix.store", "Store"),
    "collect_returns": ("matrix.collect", "collect"),
    "make_report": ("matrix.report.source", "make_report"),
    "run_demo": ("matrix.demo", "run_demo"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'matrix' has no attribute '{name}'")
    module, attribute = _LAZY[name]
    return getattr(import_module(module), attribute)


__all__ = [
    "Issue", "MatrixError", "Plan", "PlanError", "Severity", "Store", "ValidationResult", "__version__",
    "check_plan_file", "collect_returns", "generate_matrices", "load_plan", "make_report", "run_demo",
    "validate_file", "validate_paths", "write_workbook",
]
