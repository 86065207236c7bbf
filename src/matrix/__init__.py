"""matrix: plan, generate, validate, collect and report 10-Point Plan implementation matrices.

The command line (`matrix ...`) is a thin layer over this package; everything it does can be
scripted from Python, most simply through a project folder:

    import matrix

    project = matrix.Project.open("sudan-2026")          # finds plan.yaml and the project key
    project.generate("2026-Q3", out="matrices")
    results = project.validate(["returns/"])
    outcomes = project.collect(["returns/"], period="2026-Q3")
    context = project.report("2026-Q3", "report.html")   # the figures, and the HTML written

or one step at a time (`matrix.load_plan`, `matrix.generate_matrices`, `matrix.validate_file`,
`matrix.Store.open`, `matrix.collect_returns`, ...). The heavier entry points load on first use, so
`matrix --help` stays fast; type checkers see them as the functions and classes they are.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from matrix._version import __version__
from matrix.errors import MatrixError, MatrixWarning, PlanError
from matrix.models.issues import Issue, Severity
from matrix.models.plan import Plan
from matrix.models.returns import ValidationResult
from matrix.periods import Period, PeriodError
from matrix.plan import check_plan_file, load_plan, plan_index

if TYPE_CHECKING:
    from matrix.collect import collect as collect_returns
    from matrix.demo import run_demo
    from matrix.excel.writer import write_workbook
    from matrix.generate import generate as generate_matrices
    from matrix.project import Project
    from matrix.report.source import make_report
    from matrix.store import Store
    from matrix.validation import validate_file, validate_paths

_LAZY = {
    "Project": ("matrix.project", "Project"),
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
    "Issue",
    "MatrixError",
    "MatrixWarning",
    "Period",
    "PeriodError",
    "Plan",
    "PlanError",
    "Project",
    "Severity",
    "Store",
    "ValidationResult",
    "__version__",
    "check_plan_file",
    "collect_returns",
    "generate_matrices",
    "load_plan",
    "make_report",
    "plan_index",
    "run_demo",
    "validate_file",
    "validate_paths",
    "write_workbook",
]
